-- How a cycle's jury works.
ALTER TABLE cycles
    ADD COLUMN assignment_mode text NOT NULL DEFAULT 'all' CHECK (assignment_mode IN ('all', 'auto')),
    ADD COLUMN jurors_per_nomination int NOT NULL DEFAULT 3 CHECK (jurors_per_nomination BETWEEN 1 AND 50),
    ADD COLUMN spread_counties boolean NOT NULL DEFAULT false,
    ADD COLUMN scoring_level text NOT NULL DEFAULT 'nomination' CHECK (scoring_level IN ('nomination', 'project')),
    ADD COLUMN project_rollup text NOT NULL DEFAULT 'mean' CHECK (project_rollup IN ('mean', 'best'));

ALTER TABLE jurors
    ADD COLUMN removed_by bigint REFERENCES users (id) ON DELETE SET NULL,
    -- Set when the juror has declared their conflicts (or that they have none).
    ADD COLUMN declared_at timestamptz;

-- Single-use, expiring invitations; only the token's hash is stored.
CREATE TABLE jury_invitations (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cycle_id bigint NOT NULL REFERENCES cycles (id) ON DELETE CASCADE,
    email text NOT NULL CHECK (length(email) BETWEEN 3 AND 320),
    name text NOT NULL DEFAULT '',
    chair boolean NOT NULL DEFAULT false,
    token_hash bytea NOT NULL UNIQUE,
    expires_at timestamptz NOT NULL,
    invited_by bigint REFERENCES users (id) ON DELETE SET NULL,
    accepted_at timestamptz,
    accepted_by bigint REFERENCES users (id) ON DELETE SET NULL,
    revoked_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jury_invitations_cycle ON jury_invitations (cycle_id);

-- Conflict-of-interest declarations per juror and nominee organisation.
-- Internal jury working papers: exempt from public access (offentleglova § 14).
CREATE TABLE conflicts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    juror_id bigint NOT NULL REFERENCES jurors (id) ON DELETE CASCADE,
    organisation_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('employed', 'family', 'involvement', 'other', 'member')),
    reason text NOT NULL DEFAULT '' CHECK (length(reason) <= 2000),
    declared_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (juror_id, organisation_id)
);

CREATE TABLE assignments (
    juror_id bigint NOT NULL REFERENCES jurors (id) ON DELETE CASCADE,
    nomination_id bigint NOT NULL REFERENCES nominations (id) ON DELETE CASCADE,
    -- Manual cells survive re-running the automatic assignment.
    manual boolean NOT NULL DEFAULT false,
    -- A manual "no" keeps the solver from assigning the cell.
    assigned boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (juror_id, nomination_id)
);
CREATE INDEX assignments_nomination ON assignments (nomination_id);

-- Scores per juror × nomination (× project when the cycle scores projects) × criterion.
CREATE TABLE scores (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    juror_id bigint NOT NULL REFERENCES jurors (id) ON DELETE CASCADE,
    nomination_id bigint NOT NULL REFERENCES nominations (id) ON DELETE CASCADE,
    project_id bigint REFERENCES projects (id) ON DELETE CASCADE,
    criterion_id bigint NOT NULL REFERENCES criteria (id) ON DELETE RESTRICT,
    value numeric(6, 2),
    comment text NOT NULL DEFAULT '' CHECK (length(comment) <= 5000),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX scores_cell ON scores (juror_id, nomination_id, coalesce(project_id, 0), criterion_id);
CREATE INDEX scores_nomination ON scores (nomination_id);

-- A juror's scores of one nomination are submitted (locked) together.
CREATE TABLE score_submissions (
    juror_id bigint NOT NULL REFERENCES jurors (id) ON DELETE CASCADE,
    nomination_id bigint NOT NULL REFERENCES nominations (id) ON DELETE CASCADE,
    submitted_at timestamptz NOT NULL DEFAULT now(),
    -- Kept but left out of the ranking, e.g. after a late conflict.
    excluded_reason text,
    PRIMARY KEY (juror_id, nomination_id)
);

CREATE TABLE jury_comments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    nomination_id bigint NOT NULL REFERENCES nominations (id) ON DELETE CASCADE,
    juror_id bigint NOT NULL REFERENCES jurors (id) ON DELETE CASCADE,
    body text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jury_comments_nomination ON jury_comments (nomination_id, created_at);

-- The decision: finalists, winners and honourable mentions with statements.
CREATE TABLE decisions (
    nomination_id bigint PRIMARY KEY REFERENCES nominations (id) ON DELETE CASCADE,
    cycle_id bigint NOT NULL REFERENCES cycles (id) ON DELETE CASCADE,
    outcome text NOT NULL CHECK (outcome IN ('finalist', 'winner', 'honourable_mention')),
    statement_nb text NOT NULL DEFAULT '',
    statement_nn text NOT NULL DEFAULT '',
    statement_en text NOT NULL DEFAULT '',
    decided_by bigint REFERENCES users (id) ON DELETE SET NULL,
    decided_at timestamptz NOT NULL DEFAULT now(),
    CHECK (outcome = 'finalist' OR length(statement_nb) > 0)
);
CREATE INDEX decisions_cycle ON decisions (cycle_id);

-- Written feedback to every assessed nomination, released at publication.
CREATE TABLE feedback (
    nomination_id bigint PRIMARY KEY REFERENCES nominations (id) ON DELETE CASCADE,
    body text NOT NULL DEFAULT '' CHECK (length(body) <= 20000),
    updated_by bigint REFERENCES users (id) ON DELETE SET NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
