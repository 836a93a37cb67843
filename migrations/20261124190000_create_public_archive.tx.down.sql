DROP INDEX organisations_name_search;
DROP VIEW public_horizon;
CREATE OR REPLACE VIEW published_outcomes AS
SELECT d.nomination_id, d.cycle_id, d.outcome, d.statement_nb, d.statement_nn, d.statement_en,
       min(a.publish_at) AS published_at
FROM decisions d
JOIN announcements a ON a.cycle_id = d.cycle_id AND a.unpublished_at IS NULL AND a.publish_at <= now()
WHERE a.kind = 'winners' OR (a.kind = 'finalists' AND d.outcome = 'finalist')
GROUP BY d.nomination_id, d.cycle_id, d.outcome, d.statement_nb, d.statement_nn, d.statement_en;
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
