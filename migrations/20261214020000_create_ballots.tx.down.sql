DROP TABLE ballot_submissions;
DROP TABLE ballots;
