-- "In the running": the one definition of the nominations the jury works
-- on, ranks and decides on, and that a cycle publishing every application
-- publishes. Every view and query asks this function; it is inlined, so
-- it costs nothing over writing the test out.
CREATE FUNCTION in_the_running(status text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN status = 'submitted';

CREATE OR REPLACE VIEW juror_nominations AS
SELECT j.id AS juror_id, j.user_id, j.cycle_id, n.id AS nomination_id
FROM jurors j
JOIN cycles c ON c.id = j.cycle_id
JOIN nominations n ON n.cycle_id = j.cycle_id
WHERE j.removed_at IS NULL
  AND in_the_running(n.status)
  AND (c.assignment_mode = 'all'
       OR EXISTS (SELECT 1 FROM assignments a WHERE a.juror_id = j.id AND a.nomination_id = n.id AND a.assigned))
  AND NOT EXISTS (SELECT 1 FROM juror_conflicts jc WHERE jc.juror_id = j.id AND jc.nomination_id = n.id);

CREATE OR REPLACE VIEW public_nominations AS
SELECT n.id AS nomination_id, n.cycle_id, po.outcome, po.statement_nb, po.statement_nn, po.statement_en,
       coalesce(po.published_at, w.publish_at, CASE WHEN aw.kind = 'programme' THEN c.published_at END) AS published_at
FROM nominations n
LEFT JOIN published_outcomes po ON po.nomination_id = n.id
LEFT JOIN cycles c ON c.id = n.cycle_id
LEFT JOIN awards aw ON aw.id = c.award_id
LEFT JOIN LATERAL (
    SELECT a.publish_at FROM announcements a
    WHERE a.cycle_id = n.cycle_id AND a.kind = 'winners' AND a.unpublished_at IS NULL AND a.publish_at <= now()
    LIMIT 1) w ON true
WHERE po.nomination_id IS NOT NULL
   OR (c.publish_all AND w.publish_at IS NOT NULL AND in_the_running(n.status))
   OR (aw.kind = 'programme' AND c.phase = 'published' AND c.published_at IS NOT NULL AND in_the_running(n.status));
