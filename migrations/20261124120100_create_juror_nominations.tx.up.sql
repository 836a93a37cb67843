-- juror_conflicts: the (juror, nomination) pairs where the juror must step
-- aside: a declared conflict with a nominee organisation, or membership of
-- one in Heder (automatic).
CREATE VIEW juror_conflicts AS
SELECT j.id AS juror_id, no.nomination_id, c.kind, c.reason, c.declared_at
FROM jurors j
JOIN conflicts c ON c.juror_id = j.id
JOIN nomination_organisations no ON no.organisation_id = c.organisation_id
UNION
SELECT j.id, no.nomination_id, 'member', '', j.created_at
FROM jurors j
JOIN memberships m ON m.user_id = j.user_id
JOIN nomination_organisations no ON no.organisation_id = m.organisation_id;

-- juror_nominations: the one place that says which nominations a juror
-- works on. Removed jurors get none; conflicted pairs are never included;
-- only nominations that were submitted and are still in the running count.
-- In 'all' mode every such nomination of the cycle; in 'auto' mode the
-- assigned cells.
CREATE VIEW juror_nominations AS
SELECT j.id AS juror_id, j.user_id, j.cycle_id, n.id AS nomination_id
FROM jurors j
JOIN cycles c ON c.id = j.cycle_id
JOIN nominations n ON n.cycle_id = j.cycle_id
WHERE j.removed_at IS NULL
  AND n.status IN ('submitted', 'finalist', 'winner', 'honourable_mention')
  AND (c.assignment_mode = 'all'
       OR EXISTS (SELECT 1 FROM assignments a WHERE a.juror_id = j.id AND a.nomination_id = n.id AND a.assigned))
  AND NOT EXISTS (SELECT 1 FROM juror_conflicts jc WHERE jc.juror_id = j.id AND jc.nomination_id = n.id);
