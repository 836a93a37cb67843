DROP INDEX organisations_name_search;
DROP VIEW public_horizon;
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['awards', 'cycles', 'criteria', 'organisations', 'nominations', 'nomination_organisations',
        'nomination_projects', 'projects', 'project_results', 'attachments', 'decisions', 'announcements'] LOOP
        EXECUTE format('DROP TRIGGER %I ON %I', t || '_notify_public', t);
    END LOOP;
END;
$$;
DROP FUNCTION notify_public_change();
