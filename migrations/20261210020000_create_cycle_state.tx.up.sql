-- A cycle's state has one owner: these functions of a cycles row say
-- whether nominations and scores are open now, by the database's clock.
-- Every query asks them instead of writing the phase and the deadlines
-- out. Both are inlined.
CREATE FUNCTION nominations_open(c cycles) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN c.phase = 'open' AND now() >= coalesce(c.call_opens_at, '-infinity') AND now() < coalesce(c.nomination_deadline, 'infinity');

CREATE FUNCTION scoring_open(c cycles) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN c.phase = 'judging' AND now() < coalesce(c.scoring_deadline, 'infinity');
