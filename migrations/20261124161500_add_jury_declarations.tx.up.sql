-- Invitations remember the language of their e-mail and when it went out:
-- the job that mails an invitation gives it the token people click (only
-- its hash is stored), once.
ALTER TABLE jury_invitations
    ADD COLUMN language text NOT NULL DEFAULT 'nb' CHECK (language IN ('nb', 'nn', 'en')),
    ADD COLUMN mailed_at timestamptz;

-- conflict_reviews: the nominee organisations a juror has declared about,
-- conflicted or not (conflicts holds the conflicts). An organisation
-- nominated after the juror declared has no row: the juror must review it
-- before seeing its nominations. Internal jury working papers (offl. § 14).
CREATE TABLE conflict_reviews (
    juror_id bigint NOT NULL REFERENCES jurors (id) ON DELETE CASCADE,
    organisation_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    reviewed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (juror_id, organisation_id)
);

-- juror_visible_nominations: the nominations a juror may read now: those
-- juror_nominations gives them, once they have declared, and only where
-- they have declared about every nominee organisation.
CREATE VIEW juror_visible_nominations AS
SELECT jn.juror_id, jn.user_id, jn.cycle_id, jn.nomination_id
FROM juror_nominations jn
JOIN jurors j ON j.id = jn.juror_id
WHERE j.declared_at IS NOT NULL
  AND NOT EXISTS (
      SELECT 1 FROM nomination_organisations no
      WHERE no.nomination_id = jn.nomination_id
        AND NOT EXISTS (SELECT 1 FROM conflict_reviews r WHERE r.juror_id = jn.juror_id AND r.organisation_id = no.organisation_id));
