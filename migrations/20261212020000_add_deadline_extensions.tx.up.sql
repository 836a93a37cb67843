-- An owner admin may give one nomination a later deadline than its cycle's,
-- with a reason (issue 15 §3). It holds by the database's clock like the
-- cycle's own: nomination_open(n, c) is what every write to a nomination's
-- own content asks instead of nominations_open(c). It ends with the call:
-- once the cycle leaves the open phase, no extension keeps it open.
ALTER TABLE nominations
    ADD COLUMN extended_until timestamptz,
    ADD COLUMN extension_reason text NOT NULL DEFAULT '' CHECK (length(extension_reason) <= 2000),
    ADD CONSTRAINT nominations_extension_reason CHECK ((extended_until IS NULL) = (extension_reason = ''));

CREATE FUNCTION nomination_open(n nominations, c cycles) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN nominations_open(c) OR (c.phase = 'open' AND now() < coalesce(n.extended_until, '-infinity'));
