-- Acceptances still awaiting confirmation keep accepted_at without a
-- seat: the earlier code lists them as accepted, and nobody is seated.
ALTER TABLE jury_invitations
    DROP CONSTRAINT jury_invitations_seated_after_accepted,
    DROP COLUMN confirmed_by,
    DROP COLUMN seated_at;
