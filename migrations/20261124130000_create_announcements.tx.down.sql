DROP VIEW public_nominations;
DROP VIEW published_outcomes;
DROP TABLE announcements;
