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

-- Bidding is open while the cycle assigns automatically and no automatic
-- assignment has been made yet: from the close of the call (or in
-- judging, for a cycle that went straight on) until the admin's first
-- automatic run. Bids after that run would be read only by a re-run,
-- which keeps earlier cells where it can, so a late bid would promise
-- what it cannot keep.
CREATE FUNCTION bidding_open(c cycles) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN c.assignment_mode = 'auto' AND c.phase IN ('closed', 'judging') AND NOT EXISTS (
        SELECT 1 FROM assignments a JOIN jurors j ON j.id = a.juror_id WHERE j.cycle_id = c.id AND NOT a.manual);
