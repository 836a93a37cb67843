-- One row per receipt e-mail sent: a nomination's submission (its
-- submitted_at) to one member of a nominee organisation. The notify worker
-- inserts the row in the transaction around the send, so a retried or
-- duplicated job skips the people who already have their receipt.
CREATE TABLE receipt_mails (
    nomination_id bigint NOT NULL REFERENCES nominations (id) ON DELETE CASCADE,
    submitted_at timestamptz NOT NULL,
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organisation_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    sent_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (nomination_id, submitted_at, user_id)
);
CREATE INDEX receipt_mails_user ON receipt_mails (user_id);
