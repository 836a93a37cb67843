-- A juror's requests must cost the same whatever other cycles the database
-- holds (issue 15 §6; TestJurorQueriesIgnoreOtherCycles). Written as views
-- over all jurors, the checks "assigned", "not conflicted" and "declared
-- about every nominee" became hashed subplans and anti-joins that read
-- all of assignments, conflict_reviews and nomination_organisations, of
-- every cycle ever judged. As functions of one juror, inlined by the
-- planner, the juror is a value inside each check, so each reads only that
-- juror's rows by its key. The views keep their columns and meaning and
-- are defined through the functions: one definition.
CREATE FUNCTION juror_nominations_of(juror bigint) RETURNS TABLE (nomination_id bigint)
LANGUAGE sql STABLE AS $$
    -- Every nomination of a cycle that gives jurors all, the juror's
    -- assignments (by the juror's key) of one that assigns.
    SELECT n.id
    FROM jurors j
    JOIN cycles c ON c.id = j.cycle_id AND c.assignment_mode = 'all'
    JOIN nominations n ON n.cycle_id = j.cycle_id
    WHERE j.id = juror AND j.removed_at IS NULL AND in_the_running(n.status)
      AND NOT EXISTS (SELECT 1 FROM juror_conflicts jc WHERE jc.juror_id = juror AND jc.nomination_id = n.id)
    UNION ALL
    SELECT n.id
    FROM jurors j
    JOIN cycles c ON c.id = j.cycle_id AND c.assignment_mode <> 'all'
    JOIN assignments a ON a.juror_id = j.id AND a.assigned
    JOIN nominations n ON n.id = a.nomination_id
    WHERE j.id = juror AND j.removed_at IS NULL AND in_the_running(n.status)
      AND NOT EXISTS (SELECT 1 FROM juror_conflicts jc WHERE jc.juror_id = juror AND jc.nomination_id = n.id)
$$;

-- juror_visible_nominations_of: of those, the ones the juror sees: after
-- they have declared, and declared about every nominee organisation. The
-- organisations they reviewed are read once, by the juror's key, and
-- each nomination's nominees by the nomination's.
CREATE FUNCTION juror_visible_nominations_of(juror bigint) RETURNS TABLE (nomination_id bigint)
LANGUAGE sql STABLE AS $$
    WITH reviewed AS MATERIALIZED (SELECT r.organisation_id FROM conflict_reviews r WHERE r.juror_id = juror)
    SELECT jn.nomination_id
    FROM juror_nominations_of(juror) jn
    WHERE EXISTS (SELECT 1 FROM jurors j WHERE j.id = juror AND j.declared_at IS NOT NULL)
      AND NOT EXISTS (
          SELECT 1 FROM nomination_organisations no
          WHERE no.nomination_id = jn.nomination_id
            AND no.organisation_id NOT IN (SELECT organisation_id FROM reviewed)
          OFFSET 0)
$$;

CREATE OR REPLACE VIEW juror_nominations AS
SELECT j.id AS juror_id, j.user_id, j.cycle_id, jn.nomination_id
FROM jurors j CROSS JOIN LATERAL juror_nominations_of(j.id) jn;

CREATE OR REPLACE VIEW juror_visible_nominations AS
SELECT j.id AS juror_id, j.user_id, j.cycle_id, v.nomination_id
FROM jurors j CROSS JOIN LATERAL juror_visible_nominations_of(j.id) v;

-- Who submitted a nomination's scores is asked by nomination (the screen's
-- other jurors, the ranking); the key leads with the juror.
CREATE INDEX score_submissions_nomination ON score_submissions (nomination_id);
