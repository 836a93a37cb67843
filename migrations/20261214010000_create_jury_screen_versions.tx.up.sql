-- The scoring screen is rendered once and kept in each server's memory
-- while nothing it shows has changed (issue 15 §6). What it shows is a
-- cycle's: the nomination, its nominees, projects, measures and files,
-- the criteria, every juror's scores and submissions, the discussion,
-- the jurors and their names, and the reader's list (assignments,
-- conflicts, declarations, the other nominations' titles and status).
-- Each cycle has a version here that every write to any of those rows
-- raises, in the writer's own transaction; a server reads it with the
-- reader's rights on every request and renders again when it differs.
-- Several servers share the database, so no server can know of a change
-- any other way.
--
-- A draft is on no screen, so writes to a draft nomination and to its
-- rows (nominees, projects, files) raise nothing: in the last minutes
-- before the deadline, the saves of a cycle's submitters do not queue on
-- its version's row. Leaving draft (submit, withdraw) raises it. No write
-- to a draft's rows can commit unseen after that: its writers hold the
-- nomination's row (nominations.forEdit, or a foreign key's lock) or
-- their project's (attachments, project edits), and the submission locks
-- both, so it waits for them, and they for it.
CREATE TABLE jury_screen_versions (
    cycle_id bigint PRIMARY KEY REFERENCES cycles ON DELETE CASCADE,
    version bigint NOT NULL DEFAULT 0
);
INSERT INTO jury_screen_versions (cycle_id) SELECT id FROM cycles;

-- bump_jury_screens raises the versions of the cycles given. The row lock
-- is held until the writer commits, so a reader that sees the new version
-- sees the write too. Writers to one cycle queue on its row from their
-- write to their commit; a score save holds it for its last round trip.
CREATE FUNCTION bump_jury_screens(cycle_ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF cardinality(cycle_ids) = 0 THEN
        RETURN;
    END IF;
    IF cardinality(cycle_ids) > 1 THEN
        -- One order for every writer of several cycles: no deadlock.
        PERFORM 1 FROM jury_screen_versions WHERE cycle_id = ANY (cycle_ids) ORDER BY cycle_id FOR NO KEY UPDATE;
    END IF;
    UPDATE jury_screen_versions SET version = version + 1 WHERE cycle_id = ANY (cycle_ids);
END $$;

-- jury_screen_bump raises one cycle's version, once per transaction: the
-- row lock and the new version last until the commit, which makes every
-- change of the transaction visible with it.
CREATE FUNCTION jury_screen_bump(cycle bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF cycle IS NULL OR current_setting('heder.jury_screen_' || cycle, true) = 'raised' THEN
        RETURN;
    END IF;
    UPDATE jury_screen_versions SET version = version + 1 WHERE cycle_id = cycle;
    PERFORM set_config('heder.jury_screen_' || cycle, 'raised', true);
END $$;

-- The trigger functions of the tables whose rows lead to their cycle by
-- a key, one per key, attached FOR EACH ROW AFTER INSERT OR UPDATE OR
-- DELETE. Row triggers: a score save writes a row or two, and a statement
-- trigger's transition tables cost it more than the bump itself.

-- Nominations, but for drafts.
CREATE FUNCTION jury_screen_changed_nomination() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' AND NEW.status <> 'draft' THEN
        PERFORM jury_screen_bump(NEW.cycle_id);
    END IF;
    IF TG_OP <> 'INSERT' AND OLD.status <> 'draft' THEN
        PERFORM jury_screen_bump(OLD.cycle_id);
    END IF;
    RETURN NULL;
END $$;

-- Rows with a cycle_id (criteria, jurors; rounds).
CREATE FUNCTION jury_screen_changed_by_cycle() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        PERFORM jury_screen_bump(NEW.cycle_id);
    END IF;
    IF TG_OP <> 'INSERT' THEN
        PERFORM jury_screen_bump(OLD.cycle_id);
    END IF;
    RETURN NULL;
END $$;

-- Rows with a nomination_id (scores, score_submissions, jury_comments,
-- assignments, nomination_organisations, nomination_projects;
-- round_nominations), but for a draft's.
CREATE FUNCTION jury_screen_changed_by_nomination() RETURNS trigger
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

-- Rows with a juror_id (conflicts, conflict_reviews; round_jurors).
CREATE FUNCTION jury_screen_changed_by_juror() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        PERFORM jury_screen_bump((SELECT j.cycle_id FROM jurors j WHERE j.id = NEW.juror_id));
    END IF;
    IF TG_OP <> 'INSERT' THEN
        PERFORM jury_screen_bump((SELECT j.cycle_id FROM jurors j WHERE j.id = OLD.juror_id));
    END IF;
    RETURN NULL;
END $$;

-- The cycles whose nominations, other than drafts, link one of the
-- projects.
CREATE FUNCTION jury_screen_cycles_of_projects(project_ids bigint[]) RETURNS bigint[]
LANGUAGE sql STABLE AS $$
    SELECT ARRAY(SELECT DISTINCT n.cycle_id FROM nomination_projects np JOIN nominations n ON n.id = np.nomination_id
        WHERE np.project_id = ANY (project_ids) AND n.status <> 'draft')
$$;

-- Rows with a project_id (project_results, attachments).
CREATE FUNCTION jury_screen_changed_by_project() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    c bigint;
BEGIN
    FOREACH c IN ARRAY jury_screen_cycles_of_projects(CASE TG_OP
        WHEN 'INSERT' THEN ARRAY[NEW.project_id] WHEN 'DELETE' THEN ARRAY[OLD.project_id]
        ELSE ARRAY[NEW.project_id, OLD.project_id] END)
    LOOP
        PERFORM jury_screen_bump(c);
    END LOOP;
    RETURN NULL;
END $$;

-- Rows with a user_id (memberships, which make a juror conflicted): the
-- cycles the user sits in.
CREATE FUNCTION jury_screen_changed_by_user() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    c bigint;
BEGIN
    FOR c IN SELECT DISTINCT j.cycle_id FROM jurors j WHERE j.user_id = ANY (CASE TG_OP
        WHEN 'INSERT' THEN ARRAY[NEW.user_id] WHEN 'DELETE' THEN ARRAY[OLD.user_id]
        ELSE ARRAY[NEW.user_id, OLD.user_id] END)
    LOOP
        PERFORM jury_screen_bump(c);
    END LOOP;
    RETURN NULL;
END $$;

-- The tables whose rows reach many cycles at once (projects, organisations,
-- users, awards, cycles) are changed rarely, and one statement may change
-- many rows: their triggers run once per statement, with the transition
-- table new_rows (and old_rows), and bump the cycles in one order.

-- projects, when changed: a project comes to a screen and leaves it
-- through nomination_projects, whose own triggers see that.
CREATE FUNCTION jury_screen_changed_projects() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM bump_jury_screens(jury_screen_cycles_of_projects(ARRAY(SELECT id FROM new_rows)));
    RETURN NULL;
END $$;

-- organisations, when changed: their names show as nominees and as
-- projects' owners (they come and go through nomination_organisations
-- and projects).
CREATE FUNCTION jury_screen_changed_organisations() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[] := ARRAY(SELECT id FROM new_rows);
BEGIN
    PERFORM bump_jury_screens(ARRAY(
        SELECT n.cycle_id FROM nomination_organisations no JOIN nominations n ON n.id = no.nomination_id
        WHERE no.organisation_id = ANY (ids)
        UNION
        SELECT n.cycle_id FROM projects p JOIN nomination_projects np ON np.project_id = p.id JOIN nominations n ON n.id = np.nomination_id
        WHERE p.organisation_id = ANY (ids)));
    RETURN NULL;
END $$;

-- users: a juror's name shows beside their scores and posts. Logging in
-- writes the row each time; only a changed name counts.
CREATE FUNCTION jury_screen_changed_users() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM bump_jury_screens(ARRAY(SELECT DISTINCT j.cycle_id FROM jurors j
        WHERE j.user_id IN (SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.name IS DISTINCT FROM o.name)));
    RETURN NULL;
END $$;

-- cycles: a new one gets its version; a changed one (phase, deadline,
-- title, scoring level, assignment mode) is bumped. A deleted one takes
-- its version along (the foreign key).
CREATE FUNCTION jury_screen_changed_cycles() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO jury_screen_versions (cycle_id) SELECT id FROM new_rows;
    ELSE
        PERFORM bump_jury_screens(ARRAY(SELECT id FROM new_rows ORDER BY id));
    END IF;
    RETURN NULL;
END $$;

-- awards: their cycles' state is read with them.
CREATE FUNCTION jury_screen_changed_awards() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM bump_jury_screens(ARRAY(SELECT c.id FROM cycles c WHERE c.award_id IN (SELECT id FROM new_rows)));
    RETURN NULL;
END $$;

CREATE TRIGGER jury_screen_insert AFTER INSERT ON cycles REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jury_screen_changed_cycles();
CREATE TRIGGER jury_screen_update AFTER UPDATE ON cycles REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jury_screen_changed_cycles();
CREATE TRIGGER jury_screen_update AFTER UPDATE ON awards REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jury_screen_changed_awards();
CREATE TRIGGER jury_screen_update AFTER UPDATE ON users REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jury_screen_changed_users();
CREATE TRIGGER jury_screen_update AFTER UPDATE ON organisations REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jury_screen_changed_organisations();
CREATE TRIGGER jury_screen_update AFTER UPDATE ON projects REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jury_screen_changed_projects();

-- Each table whose rows lead to their cycle by a key, and the rounds of
-- 20261214000000_create_rounds where they have the key named.
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES
        ('criteria', 'cycle'), ('jurors', 'cycle'),
        ('scores', 'nomination'), ('score_submissions', 'nomination'), ('jury_comments', 'nomination'),
        ('assignments', 'nomination'), ('nomination_organisations', 'nomination'), ('nomination_projects', 'nomination'),
        ('conflicts', 'juror'), ('conflict_reviews', 'juror'),
        ('project_results', 'project'), ('attachments', 'project'),
        ('memberships', 'user'),
        ('rounds', 'cycle'), ('round_jurors', 'juror'), ('round_nominations', 'nomination')) AS x (tab, via)
        WHERE EXISTS (SELECT 1 FROM information_schema.columns c
            WHERE c.table_schema = 'public' AND c.table_name = x.tab AND c.column_name = x.via || '_id')
    LOOP
        EXECUTE format('CREATE TRIGGER jury_screen AFTER INSERT OR UPDATE OR DELETE ON %I
            FOR EACH ROW EXECUTE FUNCTION jury_screen_changed_by_%s()', t.tab, t.via);
    END LOOP;
END $$;

CREATE TRIGGER jury_screen AFTER INSERT OR UPDATE OR DELETE ON nominations
    FOR EACH ROW EXECUTE FUNCTION jury_screen_changed_nomination();

-- The cycles a user sits in, for jury_screen_changed_users and the
-- actor's seats, by the user's key.
CREATE INDEX jurors_user ON jurors (user_id);

-- One nomination's visibility to a juror reads that nomination's nominees
-- and looks each up among the juror's reviews by key, instead of reading
-- all of the juror's reviews (500 in a large cycle) for it. The outer
-- subquery stays a subplan per nomination (OFFSET 0), so no plan reads
-- nomination_organisations or conflict_reviews of other cycles.
CREATE OR REPLACE FUNCTION juror_visible_nominations_of(juror bigint) RETURNS TABLE (nomination_id bigint)
LANGUAGE sql STABLE AS $$
    SELECT jn.nomination_id
    FROM juror_nominations_of(juror) jn
    WHERE EXISTS (SELECT 1 FROM jurors j WHERE j.id = juror AND j.declared_at IS NOT NULL)
      AND NOT EXISTS (
          SELECT 1 FROM nomination_organisations no
          WHERE no.nomination_id = jn.nomination_id
            AND NOT EXISTS (SELECT 1 FROM conflict_reviews r WHERE r.juror_id = juror AND r.organisation_id = no.organisation_id)
          OFFSET 0)
$$;
