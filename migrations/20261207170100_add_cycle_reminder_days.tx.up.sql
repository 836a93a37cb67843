-- How many days before the nomination deadline the members of
-- organisations with a draft not yet submitted are reminded of it, and
-- before the scoring deadline the jurors with assessments left: by
-- default a week and a day before. Empty: no reminders.
ALTER TABLE cycles
    ADD COLUMN reminder_days integer[] NOT NULL DEFAULT '{7,1}',
    ADD CONSTRAINT cycles_reminder_days CHECK (
        cardinality(reminder_days) <= 5 AND 1 <= ALL (reminder_days) AND 60 >= ALL (reminder_days));
