DROP INDEX score_submissions_nomination;

CREATE OR REPLACE VIEW juror_visible_nominations AS
SELECT jn.juror_id, jn.user_id, jn.cycle_id, jn.nomination_id
FROM juror_nominations jn
JOIN jurors j ON j.id = jn.juror_id
WHERE j.declared_at IS NOT NULL
  AND NOT EXISTS (
      SELECT 1 FROM nomination_organisations no
      WHERE no.nomination_id = jn.nomination_id
        AND NOT EXISTS (SELECT 1 FROM conflict_reviews r WHERE r.juror_id = jn.juror_id AND r.organisation_id = no.organisation_id));

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

DROP FUNCTION juror_visible_nominations_of(bigint);
DROP FUNCTION juror_nominations_of(bigint);
