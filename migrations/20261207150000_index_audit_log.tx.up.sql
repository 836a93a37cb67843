-- The audit page reads the log newest first, filtered by person, action or
-- time; without these it would walk the whole log, which grows without bound.
CREATE INDEX audit_log_actor ON audit_log (actor_id, id);
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE INDEX audit_log_at ON audit_log (at);
