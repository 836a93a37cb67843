-- A joint entry is led by one organisation: the one that created it, until
-- it hands the lead to another nominee. Rows inserted without a lead (by
-- older code) are led by their lowest organisation ID, which is also what
-- the backfill below falls back to when the audit log does not say.
ALTER TABLE nomination_organisations ADD COLUMN lead boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX nomination_organisations_one_lead ON nomination_organisations (nomination_id) WHERE lead;

UPDATE nomination_organisations x SET lead = true
FROM (
    SELECT n.id AS nomination_id,
           coalesce((SELECT (l.after ->> 'organisation_id')::bigint FROM audit_log l
                     WHERE l.entity = 'nomination' AND l.entity_id = n.id AND l.action = 'create'
                       AND EXISTS (SELECT 1 FROM nomination_organisations y
                                   WHERE y.nomination_id = n.id AND y.organisation_id = (l.after ->> 'organisation_id')::bigint)
                     ORDER BY l.id LIMIT 1),
                    (SELECT min(y.organisation_id) FROM nomination_organisations y WHERE y.nomination_id = n.id)) AS organisation_id
    FROM nominations n
) l
WHERE x.nomination_id = l.nomination_id AND x.organisation_id = l.organisation_id;

-- An organisation joins a joint entry only when one of its members accepts
-- the lead's invitation. Until then it is no nominee: it is not in
-- nomination_organisations, so it counts towards no quota, conflicts no
-- juror and is never published.
CREATE TABLE nominee_invitations (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id text NOT NULL UNIQUE DEFAULT replace(gen_random_uuid()::text, '-', ''),
    nomination_id bigint NOT NULL REFERENCES nominations (id) ON DELETE CASCADE,
    organisation_id bigint NOT NULL REFERENCES organisations (id) ON DELETE RESTRICT,
    inviting_organisation_id bigint NOT NULL REFERENCES organisations (id) ON DELETE RESTRICT,
    invited_by bigint REFERENCES users (id) ON DELETE SET NULL,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined', 'withdrawn', 'lapsed')),
    answered_by bigint REFERENCES users (id) ON DELETE SET NULL,
    answered_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (organisation_id <> inviting_organisation_id),
    CHECK ((status = 'pending') = (answered_at IS NULL))
);
CREATE UNIQUE INDEX nominee_invitations_one_pending ON nominee_invitations (nomination_id, organisation_id) WHERE status = 'pending';
CREATE INDEX nominee_invitations_organisation ON nominee_invitations (organisation_id, status);
CREATE INDEX nominee_invitations_nomination ON nominee_invitations (nomination_id);
