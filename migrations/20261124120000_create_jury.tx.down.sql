DROP TABLE feedback;
DROP TABLE decisions;
DROP TABLE jury_comments;
DROP TABLE score_submissions;
DROP TABLE scores;
DROP TABLE assignments;
DROP TABLE conflicts;
DROP TABLE jury_invitations;
ALTER TABLE jurors DROP COLUMN removed_by, DROP COLUMN declared_at;
ALTER TABLE cycles DROP COLUMN assignment_mode, DROP COLUMN jurors_per_nomination, DROP COLUMN spread_counties,
    DROP COLUMN scoring_level, DROP COLUMN project_rollup;
