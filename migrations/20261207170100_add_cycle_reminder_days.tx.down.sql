ALTER TABLE cycles DROP COLUMN reminder_days;
