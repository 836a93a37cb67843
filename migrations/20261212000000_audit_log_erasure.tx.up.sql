-- Retention must blank the personal data inside audit entries (contact
-- details, individual scores, jury comments, invitation addresses) once
-- an owner's retention period has passed. The log stays append-only for
-- everything else: an entry's who, what and when never change, and only a
-- transaction that sets heder.erasing (privacy.Retain, through
-- audit.AllowErasure) may rewrite its before and after.
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND current_setting('heder.erasing', true) = 'on'
       AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
       AND NEW.action = OLD.action AND NEW.entity = OLD.entity AND NEW.entity_id IS NOT DISTINCT FROM OLD.entity_id THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
