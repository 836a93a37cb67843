ALTER TABLE nominations DROP CONSTRAINT nominations_status_check,
    ADD CONSTRAINT nominations_status_check
        CHECK (status IN ('draft', 'submitted', 'withdrawn', 'ineligible', 'finalist', 'winner', 'honourable_mention'));
