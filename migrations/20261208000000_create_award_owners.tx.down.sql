DROP TABLE owner_admins;
DROP INDEX awards_owner;
ALTER TABLE awards DROP CONSTRAINT awards_owner_id_fkey;
ALTER TABLE awards ADD CONSTRAINT awards_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES organisations (id) ON DELETE SET NULL;
DROP TABLE award_owners;
