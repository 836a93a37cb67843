-- One row per e-mail sent about an announcement: one nomination's outcome
-- to one member of one of its nominee organisations. The publication
-- worker inserts the row in the transaction around the send, so a retried
-- or duplicated job skips the people who already have their mail, and a
-- winners' announcement can skip finalists told at the finalists' one.
CREATE TABLE announcement_mails (
    announcement_id bigint NOT NULL REFERENCES announcements (id) ON DELETE CASCADE,
    nomination_id bigint NOT NULL REFERENCES nominations (id) ON DELETE CASCADE,
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organisation_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    outcome text NOT NULL CHECK (outcome IN ('finalist', 'winner', 'honourable_mention')),
    sent_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (announcement_id, nomination_id, user_id)
);
CREATE INDEX announcement_mails_nomination ON announcement_mails (nomination_id, user_id);
CREATE INDEX announcement_mails_user ON announcement_mails (user_id);
