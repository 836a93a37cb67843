-- Mail caught by `heder dev` (and tests) instead of being sent. It lives in
-- the database beside the River jobs and the receipt records that produced
-- it, so all three tell the same story across restarts of the process.
-- Production never writes here.
CREATE TABLE caught_mails (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sender text NOT NULL,
    recipient text NOT NULL,
    subject text NOT NULL,
    text_body text NOT NULL,
    html_body text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now()
);
