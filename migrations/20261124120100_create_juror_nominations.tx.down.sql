DROP VIEW juror_nominations;
DROP VIEW juror_conflicts;
