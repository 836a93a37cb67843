CREATE OR REPLACE VIEW published_outcomes AS
SELECT d.nomination_id, d.cycle_id, d.outcome,
       CASE WHEN bool_or(a.kind = 'winners') THEN d.statement_nb ELSE '' END AS statement_nb,
       CASE WHEN bool_or(a.kind = 'winners') THEN d.statement_nn ELSE '' END AS statement_nn,
       CASE WHEN bool_or(a.kind = 'winners') THEN d.statement_en ELSE '' END AS statement_en,
       min(a.publish_at) AS published_at
FROM decisions d
JOIN announcements a ON a.cycle_id = d.cycle_id AND a.unpublished_at IS NULL AND a.publish_at <= now()
WHERE a.kind = 'winners' OR (a.kind = 'finalists' AND d.outcome = 'finalist')
GROUP BY d.nomination_id, d.cycle_id, d.outcome, d.statement_nb, d.statement_nn, d.statement_en;
