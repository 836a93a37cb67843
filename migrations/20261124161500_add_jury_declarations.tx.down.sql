DROP VIEW juror_visible_nominations;
DROP TABLE conflict_reviews;
ALTER TABLE jury_invitations DROP COLUMN mailed_at, DROP COLUMN language;
