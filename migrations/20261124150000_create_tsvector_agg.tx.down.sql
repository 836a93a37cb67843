DROP AGGREGATE tsvector_agg (tsvector);
