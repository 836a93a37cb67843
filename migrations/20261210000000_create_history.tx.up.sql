-- The award's real history (heder import-archive): every fact it holds
-- names the public sources that state it, by key, and is shown with them.
CREATE TABLE sources (
    key text PRIMARY KEY CHECK (key ~ '^[a-z0-9-]+:[A-Za-z0-9-]+$'),
    publisher text NOT NULL CHECK (publisher <> ''),
    title text NOT NULL CHECK (title <> ''),
    url text NOT NULL CHECK (url ~ '^https?://'),
    -- As the source gives it: a year, or a date.
    published text NOT NULL DEFAULT ''
);

-- A fact about a year of an award that has no row of its own elsewhere:
-- dates of the call and the jury, applicant counts, jurors, the prize.
CREATE TABLE history_facts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cycle_id bigint NOT NULL REFERENCES cycles (id) ON DELETE CASCADE,
    -- Stable within the cycle, so that importing again updates in place.
    key text NOT NULL CHECK (key <> ''),
    kind text NOT NULL CHECK (kind IN ('owner', 'secretariat', 'call_announced', 'deadline', 'jury_meeting',
        'applicants', 'nominees_announced', 'winner_announced', 'announced_by', 'prize', 'juror', 'note')),
    position integer NOT NULL,
    on_date date,
    -- Applicants: municipalities and projects (or applications).
    count_a integer,
    count_b integer,
    person text NOT NULL DEFAULT '',
    affiliation text NOT NULL DEFAULT '',
    -- A juror's municipality: Heder's conflict rules would keep them out of
    -- its nominations.
    organisation_id bigint REFERENCES organisations (id) ON DELETE SET NULL,
    chair boolean NOT NULL DEFAULT false,
    -- A note, or a fact as the source words it, in nb (nn, en where given).
    text_nb text NOT NULL DEFAULT '',
    text_nn text NOT NULL DEFAULT '',
    text_en text NOT NULL DEFAULT '',
    sources text[] NOT NULL CHECK (cardinality(sources) > 0),
    UNIQUE (cycle_id, key)
);

-- Imported nominations, projects and decisions: their key in the history
-- and their sources. A decision from the record has no statement of Heder's
-- jury, only its sources.
ALTER TABLE nominations ADD COLUMN history_key text UNIQUE, ADD COLUMN sources text[] NOT NULL DEFAULT '{}';
ALTER TABLE projects ADD COLUMN history_key text UNIQUE, ADD COLUMN sources text[] NOT NULL DEFAULT '{}';
ALTER TABLE decisions ADD COLUMN sources text[] NOT NULL DEFAULT '{}',
    DROP CONSTRAINT decisions_check,
    ADD CONSTRAINT decisions_statement CHECK (outcome = 'finalist' OR length(statement_nb) > 0 OR cardinality(sources) > 0);
