-- Archive deposits (Noark 5) made by a River job, for cycles too large to
-- stream in one request: the owner admin asks, the job writes the tar
-- into the file store under storage_key, reporting documents done of
-- total as it goes, and the file is kept until it is downloaded and
-- removed a day after (removed_at).
CREATE TABLE noark_exports (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id text NOT NULL UNIQUE DEFAULT replace(gen_random_uuid()::text, '-', ''),
    cycle_id bigint NOT NULL REFERENCES cycles (id) ON DELETE CASCADE,
    requested_by bigint REFERENCES users (id) ON DELETE SET NULL,
    state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
    documents_done int NOT NULL DEFAULT 0 CHECK (documents_done >= 0),
    documents_total int NOT NULL DEFAULT 0 CHECK (documents_total >= 0),
    storage_key text UNIQUE,
    file_name text NOT NULL DEFAULT '',
    size bigint,
    error text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    downloaded_at timestamptz,
    removed_at timestamptz,
    CHECK ((state = 'done') = (storage_key IS NOT NULL))
);

-- One export of a cycle in the making at a time: asking again while one
-- is queued or running gets that one.
CREATE UNIQUE INDEX noark_exports_one_running ON noark_exports (cycle_id) WHERE state IN ('queued', 'running');
CREATE INDEX noark_exports_cycle ON noark_exports (cycle_id, created_at DESC);
-- The clean-up job's look-up of downloaded files still kept.
CREATE INDEX noark_exports_kept ON noark_exports (downloaded_at) WHERE storage_key IS NOT NULL AND removed_at IS NULL;
