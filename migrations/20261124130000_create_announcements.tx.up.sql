-- What of a cycle's decision becomes public, and when.
CREATE TABLE announcements (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cycle_id bigint NOT NULL REFERENCES cycles (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('finalists', 'winners')),
    publish_at timestamptz NOT NULL,
    created_by bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    unpublished_at timestamptz,
    unpublished_by bigint REFERENCES users (id) ON DELETE SET NULL,
    unpublish_reason text CHECK (unpublish_reason IS NULL OR length(unpublish_reason) BETWEEN 1 AND 2000)
);
-- One live announcement of each kind per cycle; unpublished ones stay as history.
CREATE UNIQUE INDEX announcements_live ON announcements (cycle_id, kind) WHERE unpublished_at IS NULL;

-- published_outcomes is the embargo, in one place: a decision is public
-- only once its announcement's instant has passed (by the database clock)
-- and it has not been withdrawn. Finalists become public with the
-- finalists' announcement or the winners'; winners and honourable
-- mentions, with their statements, only with the winners'.
CREATE VIEW published_outcomes AS
SELECT d.nomination_id, d.cycle_id, d.outcome, d.statement_nb, d.statement_nn, d.statement_en,
       min(a.publish_at) AS published_at
FROM decisions d
JOIN announcements a ON a.cycle_id = d.cycle_id AND a.unpublished_at IS NULL AND a.publish_at <= now()
WHERE a.kind = 'winners' OR (a.kind = 'finalists' AND d.outcome = 'finalist')
GROUP BY d.nomination_id, d.cycle_id, d.outcome, d.statement_nb, d.statement_nn, d.statement_en;

-- public_nominations: every nomination the public may see, with its public
-- outcome (NULL for an ordinary applicant shown because the cycle publishes
-- all applications once the winners are out).
CREATE VIEW public_nominations AS
SELECT n.id AS nomination_id, n.cycle_id, po.outcome, po.statement_nb, po.statement_nn, po.statement_en,
       coalesce(po.published_at, w.publish_at) AS published_at
FROM nominations n
LEFT JOIN published_outcomes po ON po.nomination_id = n.id
LEFT JOIN cycles c ON c.id = n.cycle_id
LEFT JOIN LATERAL (
    SELECT a.publish_at FROM announcements a
    WHERE a.cycle_id = n.cycle_id AND a.kind = 'winners' AND a.unpublished_at IS NULL AND a.publish_at <= now()
    LIMIT 1) w ON true
WHERE po.nomination_id IS NOT NULL
   OR (c.publish_all AND w.publish_at IS NOT NULL
       AND n.status IN ('submitted', 'finalist', 'winner', 'honourable_mention'));
