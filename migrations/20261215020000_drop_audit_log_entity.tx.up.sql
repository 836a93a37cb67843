-- audit_log_entity_at (entity, entity_id, at, id) answers every query
-- audit_log_entity (entity, entity_id) did, so the latter only cost
-- every audited write an index entry more: a score save has six.
DROP INDEX audit_log_entity;
