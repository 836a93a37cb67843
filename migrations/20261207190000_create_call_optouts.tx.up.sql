-- Organisations that asked for no more call announcements: an
-- organisation's member followed the unsubscribe link of a call mail and
-- confirmed. The call job leaves out every organisation listed here. Who
-- confirmed, and when, is kept as the record of the choice.
CREATE TABLE call_optouts (
    organisation_id bigint PRIMARY KEY REFERENCES organisations (id) ON DELETE CASCADE,
    -- The member who confirmed (kept when the user is deleted, as the
    -- choice stands) and the address the link was sent to.
    user_id bigint REFERENCES users (id) ON DELETE SET NULL,
    email text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX call_optouts_user ON call_optouts (user_id);
