-- The outbox: every message Heder sends about a cycle, one row per
-- recipient. A row is written in the transaction of the change that causes
-- it, with the River job that sends it; the job marks it sent in the
-- transaction around the sending, so that several replicas send it once.
-- The row is also what the cycle's outbox page shows: who, what, when and
-- how delivery went.
CREATE TABLE outbox_messages (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cycle_id bigint NOT NULL REFERENCES cycles (id) ON DELETE CASCADE,
    -- What the message is (ineligible, …): it picks the e-mail template.
    kind text NOT NULL,
    -- The recipient: a user (kept when the user is deleted, as the
    -- address the mail went to) and the address used.
    user_id bigint REFERENCES users (id) ON DELETE SET NULL,
    email text NOT NULL CHECK (email <> ''),
    -- The organisation on whose behalf the recipient gets it, whose
    -- written form the message is in.
    organisation_id bigint REFERENCES organisations (id) ON DELETE SET NULL,
    nomination_id bigint REFERENCES nominations (id) ON DELETE SET NULL,
    language text NOT NULL CHECK (language IN ('nb', 'nn', 'en')),
    -- What the template renders, as it was when the change committed.
    data jsonb NOT NULL DEFAULT '{}',
    -- The subject as rendered at the first attempt.
    subject text NOT NULL DEFAULT '',
    state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'failed')),
    attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- The mail server's answer to the last failed attempt; never the body.
    last_error text NOT NULL DEFAULT '',
    -- Says which message this is (kind, cause, recipient), so the same
    -- message is never queued twice.
    dedupe_key text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz,
    CONSTRAINT outbox_messages_sent_at CHECK ((state = 'sent') = (sent_at IS NOT NULL))
);
CREATE INDEX outbox_messages_cycle ON outbox_messages (cycle_id, created_at DESC, id DESC);
CREATE INDEX outbox_messages_user ON outbox_messages (user_id);
CREATE INDEX outbox_messages_nomination ON outbox_messages (nomination_id);
