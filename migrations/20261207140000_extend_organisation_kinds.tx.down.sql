-- Organisations of the new kinds become "other" rather than be lost with
-- their members and nominations.
UPDATE organisations SET kind = 'other'
WHERE kind IN ('city_district', 'state_agency', 'company', 'foundation', 'association');
ALTER TABLE organisations DROP CONSTRAINT organisations_kind_check,
    ADD CONSTRAINT organisations_kind_check CHECK (kind IN ('municipality', 'county', 'ministry', 'other'));
