DROP TABLE juror_bids;
