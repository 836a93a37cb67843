-- Site admins create organisations that are not in SSB's lists: city
-- districts (a part of their municipality), state agencies, companies,
-- foundations and associations. County authorities keep the kind county.
ALTER TABLE organisations DROP CONSTRAINT organisations_kind_check,
    ADD CONSTRAINT organisations_kind_check CHECK (kind IN ('municipality', 'county', 'ministry', 'other',
        'city_district', 'state_agency', 'company', 'foundation', 'association'));
