-- The constraint as it was; the nominations made submitted stay so (their
-- outcome is the decision's).
ALTER TABLE nominations DROP CONSTRAINT nominations_status_check,
    ADD CONSTRAINT nominations_status_check
        CHECK (status IN ('draft', 'submitted', 'withdrawn', 'ineligible', 'finalist', 'winner', 'honourable_mention'));
