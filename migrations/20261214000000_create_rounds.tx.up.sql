-- Rounds (issue 15 §2): a cycle judges in one or more rounds, e.g.
-- screening, a shortlist, a final. Each round has its own criteria,
-- jurors, assignment, submissions and so its own ranking; a nomination
-- takes part in the first round when it is in the running, and in a later
-- one when the chair advanced it there, with reasons. Seats (and so
-- conflicts and their reviews) belong to the cycle and carry across
-- rounds. Every cycle has a round 1, so a cycle with one round works as
-- before.
CREATE TABLE rounds (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cycle_id bigint NOT NULL REFERENCES cycles (id) ON DELETE CASCADE,
    position integer NOT NULL CHECK (position BETWEEN 1 AND 9),
    kind text NOT NULL DEFAULT 'scores' CHECK (kind IN ('scores', 'ranked_vote')),
    name_nb text NOT NULL CHECK (length(name_nb) BETWEEN 1 AND 200),
    name_nn text NOT NULL DEFAULT '' CHECK (length(name_nn) <= 200),
    name_en text NOT NULL DEFAULT '' CHECK (length(name_en) <= 200),
    -- Jurors of this round see how the nominations fared in the earlier
    -- rounds (their placing and the chair's reasons) only when true.
    shows_earlier_results boolean NOT NULL DEFAULT false,
    -- NULL: the cycle's scoring deadline.
    scoring_deadline timestamptz,
    -- Set when the chair advanced nominations out of this round; the
    -- current round is the first one not closed.
    closed_at timestamptz,
    closed_by bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (cycle_id, position) DEFERRABLE INITIALLY IMMEDIATE,
    UNIQUE (id, cycle_id)
);

-- The nominations the chair advanced into a round after the first.
CREATE TABLE round_nominations (
    round_id bigint NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    nomination_id bigint NOT NULL REFERENCES nominations (id) ON DELETE CASCADE,
    reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
    decided_by bigint REFERENCES users (id) ON DELETE SET NULL,
    decided_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (round_id, nomination_id)
);
CREATE INDEX round_nominations_nomination ON round_nominations (nomination_id);

-- The seats that serve in a round. A new seat serves in every round of
-- its cycle and a new round takes every seat; admins take seats out.
CREATE TABLE round_jurors (
    round_id bigint NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    juror_id bigint NOT NULL REFERENCES jurors (id) ON DELETE CASCADE,
    PRIMARY KEY (round_id, juror_id)
);
CREATE INDEX round_jurors_juror ON round_jurors (juror_id);

INSERT INTO rounds (cycle_id, position, name_nb, name_nn, name_en)
SELECT id, 1, 'Juryvurdering', 'Juryvurdering', 'Jury assessment' FROM cycles;
INSERT INTO round_jurors (round_id, juror_id)
SELECT r.id, j.id FROM jurors j JOIN rounds r ON r.cycle_id = j.cycle_id;

-- current_round: the first round of the cycle not closed, else its last.
-- It and scoring_open are PL/pgSQL, which keeps its plans for the
-- session: PostgreSQL (before 18) plans a SQL function that it cannot
-- inline, one with a subquery, again in every statement that calls it,
-- 0.1 ms each time, and a score save calls them in five places. Its
-- cost tells the planner to call it once and look the round up by key,
-- rather than once for each row of rounds that it filters.
CREATE FUNCTION current_round(cycle bigint) RETURNS bigint
LANGUAGE plpgsql STABLE PARALLEL SAFE COST 10000 AS $$
BEGIN
    RETURN coalesce(
        (SELECT r.id FROM rounds r WHERE r.cycle_id = cycle AND r.closed_at IS NULL ORDER BY r.position LIMIT 1),
        (SELECT r.id FROM rounds r WHERE r.cycle_id = cycle ORDER BY r.position DESC LIMIT 1));
END $$;

-- in_round: whether a nomination (in the running) takes part in a round.
CREATE FUNCTION in_round(round bigint, nomination bigint) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT EXISTS (SELECT 1 FROM rounds r WHERE r.id = round AND r.position = 1)
        OR EXISTS (SELECT 1 FROM round_nominations rn WHERE rn.round_id = round AND rn.nomination_id = nomination)
$$;

-- Scoring is open in the current round, until its deadline.
CREATE OR REPLACE FUNCTION scoring_open(c cycles) RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    round bigint;
BEGIN
    IF c.phase <> 'judging' THEN
        RETURN false;
    END IF;
    round := current_round(c.id);
    RETURN now() < coalesce((SELECT r.scoring_deadline FROM rounds r WHERE r.id = round), c.scoring_deadline, 'infinity');
END $$;

CREATE FUNCTION cycles_first_round() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO rounds (cycle_id, position, name_nb, name_nn, name_en)
    VALUES (NEW.id, 1, 'Juryvurdering', 'Juryvurdering', 'Jury assessment');
    RETURN NULL;
END $$;
CREATE TRIGGER cycles_first_round AFTER INSERT ON cycles FOR EACH ROW EXECUTE FUNCTION cycles_first_round();

CREATE FUNCTION jurors_serve_every_round() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO round_jurors (round_id, juror_id) SELECT r.id, NEW.id FROM rounds r WHERE r.cycle_id = NEW.cycle_id;
    RETURN NULL;
END $$;
CREATE TRIGGER jurors_serve_every_round AFTER INSERT ON jurors FOR EACH ROW EXECUTE FUNCTION jurors_serve_every_round();

CREATE FUNCTION rounds_take_every_seat() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO round_jurors (round_id, juror_id) SELECT NEW.id, j.id FROM jurors j WHERE j.cycle_id = NEW.cycle_id;
    RETURN NULL;
END $$;
CREATE TRIGGER rounds_take_every_seat AFTER INSERT ON rounds FOR EACH ROW EXECUTE FUNCTION rounds_take_every_seat();

-- Criteria, assignments and submissions belong to a round. Writers that
-- name none get the cycle's current round.
ALTER TABLE criteria ADD COLUMN round_id bigint;
UPDATE criteria cr SET round_id = r.id FROM rounds r WHERE r.cycle_id = cr.cycle_id AND r.position = 1;
ALTER TABLE criteria ALTER COLUMN round_id SET NOT NULL,
    ADD FOREIGN KEY (round_id, cycle_id) REFERENCES rounds (id, cycle_id) ON DELETE CASCADE;
DROP INDEX criteria_cycle;
CREATE INDEX criteria_round ON criteria (round_id, position);
CREATE INDEX criteria_cycle ON criteria (cycle_id);

ALTER TABLE assignments ADD COLUMN round_id bigint;
UPDATE assignments a SET round_id = r.id FROM jurors j JOIN rounds r ON r.cycle_id = j.cycle_id AND r.position = 1
WHERE j.id = a.juror_id;
ALTER TABLE assignments ALTER COLUMN round_id SET NOT NULL,
    ADD FOREIGN KEY (round_id) REFERENCES rounds (id) ON DELETE CASCADE,
    DROP CONSTRAINT assignments_pkey,
    ADD PRIMARY KEY (juror_id, round_id, nomination_id);

ALTER TABLE score_submissions ADD COLUMN round_id bigint;
UPDATE score_submissions s SET round_id = r.id FROM jurors j JOIN rounds r ON r.cycle_id = j.cycle_id AND r.position = 1
WHERE j.id = s.juror_id;
ALTER TABLE score_submissions ALTER COLUMN round_id SET NOT NULL,
    ADD FOREIGN KEY (round_id) REFERENCES rounds (id) ON DELETE CASCADE,
    DROP CONSTRAINT score_submissions_pkey,
    ADD PRIMARY KEY (juror_id, round_id, nomination_id);

-- The jury's discussion is kept by round: a later round's jurors read
-- the earlier rounds' posts only where their round shows earlier results.
ALTER TABLE jury_comments ADD COLUMN round_id bigint;
UPDATE jury_comments jc SET round_id = r.id FROM jurors j JOIN rounds r ON r.cycle_id = j.cycle_id AND r.position = 1
WHERE j.id = jc.juror_id;
ALTER TABLE jury_comments ALTER COLUMN round_id SET NOT NULL,
    ADD FOREIGN KEY (round_id) REFERENCES rounds (id) ON DELETE CASCADE;

CREATE FUNCTION criteria_round_default() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.round_id IS NULL THEN
        NEW.round_id := current_round(NEW.cycle_id);
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER criteria_round_default BEFORE INSERT ON criteria FOR EACH ROW EXECUTE FUNCTION criteria_round_default();

CREATE FUNCTION juror_round_default() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.round_id IS NULL THEN
        NEW.round_id := current_round((SELECT j.cycle_id FROM jurors j WHERE j.id = NEW.juror_id));
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER assignments_round_default BEFORE INSERT ON assignments FOR EACH ROW EXECUTE FUNCTION juror_round_default();
CREATE TRIGGER score_submissions_round_default BEFORE INSERT ON score_submissions FOR EACH ROW EXECUTE FUNCTION juror_round_default();
CREATE TRIGGER jury_comments_round_default BEFORE INSERT ON jury_comments FOR EACH ROW EXECUTE FUNCTION juror_round_default();

-- A juror sees the nominations of the current round, in a round they
-- serve in: every one of a cycle that gives jurors all, their assignments
-- of the round in one that assigns. The seat's facts are read once, first
-- (materialised), so that each branch starts from one row, or none.
CREATE OR REPLACE FUNCTION juror_nominations_of(juror bigint) RETURNS TABLE (nomination_id bigint)
LANGUAGE sql STABLE AS $$
    WITH seat AS MATERIALIZED (
        SELECT j.id, j.cycle_id, c.assignment_mode = 'all' AS all_nominations, r.id AS round_id, r.position = 1 AS first_round
        FROM jurors j
        JOIN cycles c ON c.id = j.cycle_id
        JOIN rounds r ON r.id = current_round(j.cycle_id)
        WHERE j.id = juror AND j.removed_at IS NULL
          AND EXISTS (SELECT 1 FROM round_jurors rj WHERE rj.round_id = r.id AND rj.juror_id = j.id))
    SELECT n.id
    FROM seat JOIN nominations n ON n.cycle_id = seat.cycle_id
    WHERE seat.all_nominations AND in_the_running(n.status)
      AND (seat.first_round OR EXISTS (SELECT 1 FROM round_nominations rn WHERE rn.round_id = seat.round_id AND rn.nomination_id = n.id))
      AND NOT EXISTS (SELECT 1 FROM juror_conflicts jc WHERE jc.juror_id = juror AND jc.nomination_id = n.id)
    UNION ALL
    SELECT n.id
    FROM seat
    JOIN assignments a ON a.juror_id = seat.id AND a.round_id = seat.round_id AND a.assigned
    JOIN nominations n ON n.id = a.nomination_id
    WHERE NOT seat.all_nominations AND in_the_running(n.status)
      AND (seat.first_round OR EXISTS (SELECT 1 FROM round_nominations rn WHERE rn.round_id = seat.round_id AND rn.nomination_id = n.id))
      AND NOT EXISTS (SELECT 1 FROM juror_conflicts jc WHERE jc.juror_id = juror AND jc.nomination_id = n.id)
$$;
