-- Jurors' bids for the automatic assignment: a seated juror marks a
-- nomination eager or not wanted before the assignment runs. Willing, the
-- default, is the absence of a row, so a juror who bids nothing changes
-- nothing. The solver honours bids below even loads and never over a
-- conflict or the admin's manual cells.
CREATE TABLE juror_bids (
    juror_id bigint NOT NULL REFERENCES jurors (id) ON DELETE CASCADE,
    nomination_id bigint NOT NULL REFERENCES nominations (id) ON DELETE CASCADE,
    bid text NOT NULL CHECK (bid IN ('eager', 'not_wanted')),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (juror_id, nomination_id)
);

-- The assignment reads a cycle's bids by nomination as well.
CREATE INDEX juror_bids_nomination ON juror_bids (nomination_id);
