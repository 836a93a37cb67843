DROP TABLE nominee_invitations;
DROP INDEX nomination_organisations_one_lead;
ALTER TABLE nomination_organisations DROP COLUMN lead;
