-- The audit page reads the log newest first (at, then id), a page at a
-- time, filtered by person, action, time or the entities of a cycle or
-- nomination; without these it would walk the whole log, which grows
-- without bound. Each ends in (at, id) so that a filtered page is read in
-- order and stops after a page.
CREATE INDEX audit_log_at ON audit_log (at, id);
CREATE INDEX audit_log_actor ON audit_log (actor_id, at, id);
CREATE INDEX audit_log_action ON audit_log (action, at, id);
CREATE INDEX audit_log_entity_at ON audit_log (entity, entity_id, at, id);
