-- A nomination's status is its own work flow: draft, submitted, withdrawn,
-- ineligible. The jury's outcome is the decision's (decisions.outcome) and
-- becomes known only through the cycle's announcements (published_outcomes),
-- so no code sets a status of finalist, winner or honourable_mention. The
-- demo's past years did, beside decisions with the same outcomes: those
-- nominations were submitted. A status with no such decision behind it
-- would be lost here, so it fails the constraint instead.
UPDATE nominations n SET status = 'submitted'
WHERE n.status IN ('finalist', 'winner', 'honourable_mention')
    AND EXISTS (SELECT 1 FROM decisions d WHERE d.nomination_id = n.id AND d.outcome = n.status);
ALTER TABLE nominations DROP CONSTRAINT nominations_status_check,
    ADD CONSTRAINT nominations_status_check CHECK (status IN ('draft', 'submitted', 'withdrawn', 'ineligible'));
