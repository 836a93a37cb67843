DROP TABLE diploma_signatures;
