CREATE OR REPLACE FUNCTION jury_screen_changed_by_nomination() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        PERFORM jury_screen_bump((SELECT n.cycle_id FROM nominations n WHERE n.id = NEW.nomination_id AND n.status <> 'draft'));
    END IF;
    IF TG_OP <> 'INSERT' THEN
        PERFORM jury_screen_bump((SELECT n.cycle_id FROM nominations n WHERE n.id = OLD.nomination_id AND n.status <> 'draft'));
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION bump_jury_screens(cycle_ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF cardinality(cycle_ids) = 0 THEN
        RETURN;
    END IF;
    IF cardinality(cycle_ids) > 1 THEN
        PERFORM 1 FROM jury_screen_versions WHERE cycle_id = ANY (cycle_ids) ORDER BY cycle_id FOR NO KEY UPDATE;
    END IF;
    UPDATE jury_screen_versions SET version = version + 1 WHERE cycle_id = ANY (cycle_ids);
END $$;

DROP FUNCTION jury_screen_bump(bigint, boolean);
CREATE FUNCTION jury_screen_bump(cycle bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF cycle IS NULL OR current_setting('heder.jury_screen_' || cycle, true) = 'raised' THEN
        RETURN;
    END IF;
    UPDATE jury_screen_versions SET version = version + 1 WHERE cycle_id = cycle;
    PERFORM set_config('heder.jury_screen_' || cycle, 'raised', true);
END $$;

ALTER TABLE jury_screen_versions DROP COLUMN facts_version;
