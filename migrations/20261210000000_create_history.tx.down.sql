DELETE FROM decisions WHERE outcome <> 'finalist' AND statement_nb = '';
ALTER TABLE decisions DROP CONSTRAINT decisions_statement, DROP COLUMN sources,
    ADD CONSTRAINT decisions_check CHECK (outcome = 'finalist' OR length(statement_nb) > 0);
ALTER TABLE projects DROP COLUMN history_key, DROP COLUMN sources;
ALTER TABLE nominations DROP COLUMN history_key, DROP COLUMN sources;
DROP TABLE history_facts;
DROP TABLE sources;
