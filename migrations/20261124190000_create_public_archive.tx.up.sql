-- The public archive answers from an in-process cache. Two things can make
-- a cached answer wrong, and both are said here, next to the embargo views:
-- a write to anything the archive shows (announced to every replica by
-- NOTIFY heder_public when the writing transaction commits), and the clock
-- passing a scheduled announcement's instant (public_horizon says when the
-- next one is, by the database clock).
CREATE FUNCTION notify_public_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('heder_public', TG_TABLE_NAME);
    RETURN NULL;
END;
$$;

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['awards', 'cycles', 'criteria', 'organisations', 'nominations', 'nomination_organisations',
        'nomination_projects', 'projects', 'project_results', 'attachments', 'decisions', 'announcements'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
            FOR EACH STATEMENT EXECUTE FUNCTION notify_public_change()', t || '_notify_public', t);
    END LOOP;
END;
$$;

-- The jury's statements become public with the winners' announcement, the
-- finalists' too: in April the public learns who the finalists are, in June
-- what the jury says about each (the contract of issue 5: "statements only
-- with the winners'"). Before, a finalist's statement showed in April.
CREATE OR REPLACE VIEW published_outcomes AS
SELECT d.nomination_id, d.cycle_id, d.outcome,
       CASE WHEN bool_or(a.kind = 'winners') THEN d.statement_nb ELSE '' END AS statement_nb,
       CASE WHEN bool_or(a.kind = 'winners') THEN d.statement_nn ELSE '' END AS statement_nn,
       CASE WHEN bool_or(a.kind = 'winners') THEN d.statement_en ELSE '' END AS statement_en,
       min(a.publish_at) AS published_at
FROM decisions d
JOIN announcements a ON a.cycle_id = d.cycle_id AND a.unpublished_at IS NULL AND a.publish_at <= now()
WHERE a.kind = 'winners' OR (a.kind = 'finalists' AND d.outcome = 'finalist')
GROUP BY d.nomination_id, d.cycle_id, d.outcome, d.statement_nb, d.statement_nn, d.statement_en;

-- public_horizon: the database's now() and the next instant at which
-- published_outcomes and public_nominations change by time alone (the
-- earliest live announcement still ahead), NULL when none is scheduled.
CREATE VIEW public_horizon AS
SELECT now() AS db_now,
       (SELECT min(a.publish_at) FROM announcements a WHERE a.unpublished_at IS NULL AND a.publish_at > now()) AS next_change;

-- Searching the archive for a municipality's name ("Asker") finds its
-- nominations.
CREATE INDEX organisations_name_search ON organisations USING gin (to_tsvector('norwegian', name));
