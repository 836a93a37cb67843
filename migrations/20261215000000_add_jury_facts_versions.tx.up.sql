-- A score save checks what the juror may do against facts kept in the
-- server's memory (issue 15 §6): their seat, declaration, conflicts and
-- assignment, the nomination's status, its projects and the round's
-- criteria. The cycle's screen version cannot tell when those are stale:
-- every juror's save raises it, so in a busy cycle it moves between any
-- juror's two saves. facts_version moves with every write the version
-- does but to the jury's working papers (scores, submissions, the
-- discussion), which the save checks in its own statement, so a juror's
-- kept facts last through the others' saves.
ALTER TABLE jury_screen_versions ADD COLUMN facts_version bigint NOT NULL DEFAULT 0;

-- facts: false for a write to the working papers, which leaves
-- facts_version as it is. Each is raised once per transaction: the
-- setting says what has been raised so far ('raised': the version,
-- 'facts': both).
DROP FUNCTION jury_screen_bump(bigint);
CREATE FUNCTION jury_screen_bump(cycle bigint, facts boolean DEFAULT true) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    raised text := current_setting('heder.jury_screen_' || cycle, true);
BEGIN
    IF cycle IS NULL OR raised = 'facts' OR (raised = 'raised' AND NOT facts) THEN
        RETURN;
    END IF;
    UPDATE jury_screen_versions
    SET version = version + CASE WHEN raised = 'raised' THEN 0 ELSE 1 END,
        facts_version = facts_version + CASE WHEN facts THEN 1 ELSE 0 END
    WHERE cycle_id = cycle;
    PERFORM set_config('heder.jury_screen_' || cycle, CASE WHEN facts THEN 'facts' ELSE 'raised' END, true);
END $$;

CREATE OR REPLACE FUNCTION bump_jury_screens(cycle_ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF cardinality(cycle_ids) = 0 THEN
        RETURN;
    END IF;
    IF cardinality(cycle_ids) > 1 THEN
        -- One order for every writer of several cycles: no deadlock.
        PERFORM 1 FROM jury_screen_versions WHERE cycle_id = ANY (cycle_ids) ORDER BY cycle_id FOR NO KEY UPDATE;
    END IF;
    UPDATE jury_screen_versions SET version = version + 1, facts_version = facts_version + 1 WHERE cycle_id = ANY (cycle_ids);
END $$;

-- An update within one nomination (a score's new value) bumps its cycle
-- once, not once for the new row and again for the old.
CREATE OR REPLACE FUNCTION jury_screen_changed_by_nomination() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    facts boolean := TG_TABLE_NAME NOT IN ('scores', 'score_submissions', 'jury_comments');
BEGIN
    IF TG_OP <> 'DELETE' THEN
        PERFORM jury_screen_bump((SELECT n.cycle_id FROM nominations n WHERE n.id = NEW.nomination_id AND n.status <> 'draft'), facts);
    END IF;
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.nomination_id <> NEW.nomination_id) THEN
        PERFORM jury_screen_bump((SELECT n.cycle_id FROM nominations n WHERE n.id = OLD.nomination_id AND n.status <> 'draft'), facts);
    END IF;
    RETURN NULL;
END $$;
