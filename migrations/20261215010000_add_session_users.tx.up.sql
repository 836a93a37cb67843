-- The user a session is of, beside its data (which stays what says who
-- is logged in), so that a request reads the session and the user's
-- rights in one round trip (internal/auth/store.go). Sessions stored
-- before have none, and are read in two until the next login.
ALTER TABLE sessions ADD COLUMN user_id bigint;
