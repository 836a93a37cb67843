DROP FUNCTION scoring_open(cycles);
DROP FUNCTION nominations_open(cycles);
