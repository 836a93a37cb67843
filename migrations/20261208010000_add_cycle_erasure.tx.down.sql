DROP VIEW cycle_publications;
ALTER TABLE cycles DROP COLUMN personal_data_erased_at;
