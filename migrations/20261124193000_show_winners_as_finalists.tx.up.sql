-- A winner is chosen among the finalists, and the decision keeps one
-- outcome per nomination. So at the finalists' announcement a decided
-- winner must show as a finalist: hiding it from the finalists would give
-- the winner away before the winners' instant. Statements stay with the
-- winners' announcement.
CREATE OR REPLACE VIEW published_outcomes AS
WITH live AS (
    SELECT cycle_id, kind, min(publish_at) AS publish_at
    FROM announcements
    WHERE unpublished_at IS NULL AND publish_at <= now()
    GROUP BY cycle_id, kind)
SELECT d.nomination_id, d.cycle_id,
       CASE WHEN w.cycle_id IS NOT NULL THEN d.outcome ELSE 'finalist' END AS outcome,
       CASE WHEN w.cycle_id IS NOT NULL THEN d.statement_nb ELSE '' END AS statement_nb,
       CASE WHEN w.cycle_id IS NOT NULL THEN d.statement_nn ELSE '' END AS statement_nn,
       CASE WHEN w.cycle_id IS NOT NULL THEN d.statement_en ELSE '' END AS statement_en,
       least(f.publish_at, w.publish_at) AS published_at
FROM decisions d
LEFT JOIN live f ON f.cycle_id = d.cycle_id AND f.kind = 'finalists'
LEFT JOIN live w ON w.cycle_id = d.cycle_id AND w.kind = 'winners'
WHERE w.cycle_id IS NOT NULL OR (f.cycle_id IS NOT NULL AND d.outcome IN ('finalist', 'winner'));
