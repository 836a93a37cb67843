DROP TABLE caught_mails;
