-- tsvector_agg joins search vectors, so that a search can match a
-- nomination and its linked projects as one text: "svømmehall Asker"
-- finds a nomination whose summary names Asker and whose project is the
-- swimming hall.
CREATE AGGREGATE tsvector_agg (tsvector) (SFUNC = tsvector_concat, STYPE = tsvector, INITCOND = '');
