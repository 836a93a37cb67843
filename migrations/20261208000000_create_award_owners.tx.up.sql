-- Award owners: the organisations that run awards on this instance (a
-- ministry, a directorate, KS, a county, a foundation), each with its own
-- owner admins. Site admins make an organisation an owner by granting its
-- first owner admin; owner admins run their owner's awards and nothing
-- else. awards.owner_id keeps pointing at the organisation, so an award's
-- public owner and the owner whose admins run it are one fact.
CREATE TABLE award_owners (
    organisation_id bigint PRIMARY KEY REFERENCES organisations (id) ON DELETE RESTRICT,
    -- Months after a cycle's publication before its personal data is
    -- deleted or anonymised; NULL keeps it until someone decides.
    retention_months integer CHECK (retention_months BETWEEN 1 AND 600),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO award_owners (organisation_id) SELECT DISTINCT owner_id FROM awards WHERE owner_id IS NOT NULL;

ALTER TABLE awards DROP CONSTRAINT awards_owner_id_fkey;
ALTER TABLE awards ADD CONSTRAINT awards_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES award_owners (organisation_id);
CREATE INDEX awards_owner ON awards (owner_id);

CREATE TABLE owner_admins (
    owner_id bigint NOT NULL REFERENCES award_owners (organisation_id) ON DELETE CASCADE,
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (owner_id, user_id)
);
CREATE INDEX owner_admins_user ON owner_admins (user_id);
