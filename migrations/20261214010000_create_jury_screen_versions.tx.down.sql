CREATE OR REPLACE FUNCTION juror_visible_nominations_of(juror bigint) RETURNS TABLE (nomination_id bigint)
LANGUAGE sql STABLE AS $$
    WITH reviewed AS MATERIALIZED (SELECT r.organisation_id FROM conflict_reviews r WHERE r.juror_id = juror)
    SELECT jn.nomination_id
    FROM juror_nominations_of(juror) jn
    WHERE EXISTS (SELECT 1 FROM jurors j WHERE j.id = juror AND j.declared_at IS NOT NULL)
      AND NOT EXISTS (
          SELECT 1 FROM nomination_organisations no
          WHERE no.nomination_id = jn.nomination_id
            AND no.organisation_id NOT IN (SELECT organisation_id FROM reviewed)
          OFFSET 0)
$$;

DROP INDEX jurors_user;

DO $$
DECLARE
    t regclass;
BEGIN
    FOR t IN SELECT tgrelid::regclass FROM pg_trigger WHERE tgname = 'jury_screen'
    LOOP
        EXECUTE format('DROP TRIGGER jury_screen ON %s', t);
    END LOOP;
END $$;
DROP TRIGGER jury_screen_insert ON cycles;
DROP TRIGGER jury_screen_update ON cycles;
DROP TRIGGER jury_screen_update ON awards;
DROP TRIGGER jury_screen_update ON users;
DROP TRIGGER jury_screen_update ON organisations;
DROP TRIGGER jury_screen_update ON projects;

DROP FUNCTION jury_screen_changed_awards();
DROP FUNCTION jury_screen_changed_cycles();
DROP FUNCTION jury_screen_changed_users();
DROP FUNCTION jury_screen_changed_by_user();
DROP FUNCTION jury_screen_changed_organisations();
DROP FUNCTION jury_screen_changed_projects();
DROP FUNCTION jury_screen_changed_by_project();
DROP FUNCTION jury_screen_cycles_of_projects(bigint[]);
DROP FUNCTION jury_screen_changed_by_juror();
DROP FUNCTION jury_screen_changed_by_nomination();
DROP FUNCTION jury_screen_changed_by_cycle();
DROP FUNCTION jury_screen_changed_nomination();
DROP FUNCTION jury_screen_bump(bigint);
DROP FUNCTION bump_jury_screens(bigint[]);
DROP TABLE jury_screen_versions;
