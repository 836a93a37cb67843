DROP TABLE call_optouts;
