DROP FUNCTION bidding_open(cycles);
DROP TABLE juror_bids;
