-- When the retention job erased a published cycle's personal data (its
-- owner's retention period after publication): the job does each cycle
-- once, and the owner's page can say that the data is gone.
ALTER TABLE cycles ADD COLUMN personal_data_erased_at timestamptz;

-- cycle_publications: when each published cycle was published, the instant
-- its owner's retention period runs from. A programme's is when its cycle
-- was published; a prize's, its winners' announcement that is out. Only
-- cycles in the published phase are here, so a cycle not yet published
-- never falls due, however old its dates.
CREATE VIEW cycle_publications AS
SELECT c.id AS cycle_id, c.award_id, c.personal_data_erased_at,
       coalesce(c.published_at, (SELECT min(a.publish_at) FROM announcements a
           WHERE a.cycle_id = c.id AND a.kind = 'winners' AND a.unpublished_at IS NULL AND a.publish_at <= now())) AS published_at
FROM cycles c WHERE c.phase = 'published';
