-- A ranked vote (issue 15 §5): in a round of kind ranked_vote each juror
-- ranks the round's nominations and the Schulze method gives the result.
-- A ballot is one row per nomination the juror ranked; equal ranks are a
-- tie on the ballot, and a nomination without a row counts below every
-- ranked one. Who may write what (the current round, a serving juror, a
-- nomination of the round they need not step aside from, while
-- scoring_open) is the voting package's check, in the statement that
-- writes.
CREATE TABLE ballots (
    round_id bigint NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    juror_id bigint NOT NULL REFERENCES jurors (id) ON DELETE CASCADE,
    nomination_id bigint NOT NULL REFERENCES nominations (id) ON DELETE CASCADE,
    rank integer NOT NULL CHECK (rank >= 1),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (round_id, juror_id, nomination_id)
);
-- A juror's or a nomination's deletion finds its rows by these.
CREATE INDEX ballots_juror ON ballots (juror_id);
CREATE INDEX ballots_nomination ON ballots (nomination_id);

-- A submitted ballot counts and is locked until the chair or an admin
-- reopens it (which deletes the row and keeps the ranks).
CREATE TABLE ballot_submissions (
    round_id bigint NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    juror_id bigint NOT NULL REFERENCES jurors (id) ON DELETE CASCADE,
    submitted_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (round_id, juror_id)
);
CREATE INDEX ballot_submissions_juror ON ballot_submissions (juror_id);
