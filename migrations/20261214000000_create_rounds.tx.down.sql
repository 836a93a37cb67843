-- Back to one judging phase: the first round's rows stay, the later
-- rounds' criteria, assignments and submissions go with them.
CREATE OR REPLACE FUNCTION juror_nominations_of(juror bigint) RETURNS TABLE (nomination_id bigint)
LANGUAGE sql STABLE AS $$
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

CREATE OR REPLACE FUNCTION scoring_open(c cycles) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN c.phase = 'judging' AND now() < coalesce(c.scoring_deadline, 'infinity');

DROP TRIGGER jury_comments_round_default ON jury_comments;
DROP TRIGGER score_submissions_round_default ON score_submissions;
DROP TRIGGER assignments_round_default ON assignments;
DROP TRIGGER criteria_round_default ON criteria;
DROP FUNCTION juror_round_default();
DROP FUNCTION criteria_round_default();

ALTER TABLE jury_comments DROP COLUMN round_id;
DELETE FROM score_submissions s USING rounds r WHERE r.id = s.round_id AND r.position > 1;
ALTER TABLE score_submissions DROP CONSTRAINT score_submissions_pkey, ADD PRIMARY KEY (juror_id, nomination_id), DROP COLUMN round_id;
DELETE FROM assignments a USING rounds r WHERE r.id = a.round_id AND r.position > 1;
ALTER TABLE assignments DROP CONSTRAINT assignments_pkey, ADD PRIMARY KEY (juror_id, nomination_id), DROP COLUMN round_id;
DELETE FROM scores s USING criteria cr JOIN rounds r ON r.id = cr.round_id WHERE cr.id = s.criterion_id AND r.position > 1;
DELETE FROM criteria cr USING rounds r WHERE r.id = cr.round_id AND r.position > 1;
DROP INDEX criteria_round;
DROP INDEX criteria_cycle;
ALTER TABLE criteria DROP COLUMN round_id;
CREATE INDEX criteria_cycle ON criteria (cycle_id, position);

DROP TRIGGER rounds_take_every_seat ON rounds;
DROP TRIGGER jurors_serve_every_round ON jurors;
DROP TRIGGER cycles_first_round ON cycles;
DROP FUNCTION rounds_take_every_seat();
DROP FUNCTION jurors_serve_every_round();
DROP FUNCTION cycles_first_round();
DROP FUNCTION in_round(bigint, bigint);
DROP FUNCTION current_round(bigint);
DROP TABLE round_jurors;
DROP TABLE round_nominations;
DROP TABLE rounds;
