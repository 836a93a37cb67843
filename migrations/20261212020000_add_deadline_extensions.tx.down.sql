DROP FUNCTION nomination_open(nominations, cycles);
ALTER TABLE nominations DROP CONSTRAINT nominations_extension_reason, DROP COLUMN extension_reason, DROP COLUMN extended_until;
