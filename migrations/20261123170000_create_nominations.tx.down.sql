DROP TABLE attachments;
DROP TABLE nomination_projects;
DROP TABLE nomination_organisations;
DROP TABLE nominations;
DROP TABLE project_results;
DROP TABLE projects;
DROP TABLE criteria;
ALTER TABLE cycles DROP CONSTRAINT cycles_dates_in_order,
    DROP COLUMN public_id, DROP COLUMN description, DROP COLUMN call_text, DROP COLUMN eligible_kinds,
    DROP COLUMN max_nominations_per_org, DROP COLUMN max_projects, DROP COLUMN publish_all,
    DROP COLUMN call_opens_at, DROP COLUMN nomination_deadline, DROP COLUMN scoring_deadline, DROP COLUMN announcement_at;
ALTER TABLE awards DROP COLUMN description_nn, DROP COLUMN description_en;
