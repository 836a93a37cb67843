-- An award is a prize (a jury scores nominations and decides winners) or a
-- programme (a cohort of participant organisations works on its own
-- projects: Kommuneinkubatoren). A programme has no jury, criteria,
-- scores or decisions; its participants are its submitted nominations.
ALTER TABLE awards ADD COLUMN kind text NOT NULL DEFAULT 'prize' CHECK (kind IN ('prize', 'programme'));

-- A programme has no winners' announcement: its cohort is public from the
-- instant its cycle moves to published, which this column keeps.
ALTER TABLE cycles ADD COLUMN published_at timestamptz;

-- public_nominations, as before, and also the participants of a published
-- programme's cycle (no outcome).
CREATE OR REPLACE VIEW public_nominations AS
SELECT n.id AS nomination_id, n.cycle_id, po.outcome, po.statement_nb, po.statement_nn, po.statement_en,
       coalesce(po.published_at, w.publish_at, CASE WHEN aw.kind = 'programme' THEN c.published_at END) AS published_at
FROM nominations n
LEFT JOIN published_outcomes po ON po.nomination_id = n.id
LEFT JOIN cycles c ON c.id = n.cycle_id
LEFT JOIN awards aw ON aw.id = c.award_id
LEFT JOIN LATERAL (
    SELECT a.publish_at FROM announcements a
    WHERE a.cycle_id = n.cycle_id AND a.kind = 'winners' AND a.unpublished_at IS NULL AND a.publish_at <= now()
    LIMIT 1) w ON true
WHERE po.nomination_id IS NOT NULL
   OR (c.publish_all AND w.publish_at IS NOT NULL
       AND n.status IN ('submitted', 'finalist', 'winner', 'honourable_mention'))
   OR (aw.kind = 'programme' AND c.phase = 'published' AND c.published_at IS NOT NULL AND n.status = 'submitted');
