CREATE OR REPLACE VIEW public_nominations AS
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
ALTER TABLE cycles DROP COLUMN published_at;
ALTER TABLE awards DROP COLUMN kind;
