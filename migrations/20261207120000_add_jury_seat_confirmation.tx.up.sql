-- An invitation gives a seat at once only to the person it was sent to:
-- a login whose verified e-mail address is the invited one. Anyone else's
-- acceptance is recorded but waits for the chair or an administrator to
-- confirm it; until then there is no seat (no row in jurors), so nothing
-- that reads jurors can give the acceptor any access.
ALTER TABLE jury_invitations
    -- When the acceptance became a seat: at acceptance for the invited
    -- address, at confirmation otherwise.
    ADD COLUMN seated_at timestamptz,
    -- Who confirmed a seat accepted from another address.
    ADD COLUMN confirmed_by bigint REFERENCES users (id) ON DELETE SET NULL,
    ADD CONSTRAINT jury_invitations_seated_after_accepted CHECK (seated_at IS NULL OR accepted_at IS NOT NULL);

-- Every acceptance before this rule gave its seat at once.
UPDATE jury_invitations SET seated_at = accepted_at WHERE accepted_at IS NOT NULL;
