DROP TABLE announcement_mails;
