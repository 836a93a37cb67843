-- Awards get texts in three languages; cycles get their rules and dates.
ALTER TABLE awards
    ADD COLUMN description_nn text NOT NULL DEFAULT '',
    ADD COLUMN description_en text NOT NULL DEFAULT '';

ALTER TABLE cycles
    ADD COLUMN public_id text NOT NULL UNIQUE DEFAULT replace(gen_random_uuid()::text, '-', ''),
    ADD COLUMN description text NOT NULL DEFAULT '',
    ADD COLUMN call_text text NOT NULL DEFAULT '',
    ADD COLUMN eligible_kinds text[] NOT NULL DEFAULT '{municipality}',
    ADD COLUMN max_nominations_per_org int NOT NULL DEFAULT 1 CHECK (max_nominations_per_org >= 0),
    ADD COLUMN max_projects int NOT NULL DEFAULT 3 CHECK (max_projects BETWEEN 1 AND 50),
    ADD COLUMN publish_all boolean NOT NULL DEFAULT false,
    ADD COLUMN call_opens_at timestamptz,
    ADD COLUMN nomination_deadline timestamptz,
    ADD COLUMN scoring_deadline timestamptz,
    ADD COLUMN announcement_at timestamptz,
    ADD CONSTRAINT cycles_dates_in_order CHECK (
        (call_opens_at IS NULL OR nomination_deadline IS NULL OR call_opens_at < nomination_deadline)
        AND (nomination_deadline IS NULL OR scoring_deadline IS NULL OR nomination_deadline <= scoring_deadline)
        AND (scoring_deadline IS NULL OR announcement_at IS NULL OR scoring_deadline <= announcement_at));

CREATE TABLE criteria (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cycle_id bigint NOT NULL REFERENCES cycles (id) ON DELETE CASCADE,
    name_nb text NOT NULL CHECK (length(name_nb) BETWEEN 1 AND 200),
    name_nn text NOT NULL DEFAULT '',
    name_en text NOT NULL DEFAULT '',
    help_nb text NOT NULL DEFAULT '',
    help_nn text NOT NULL DEFAULT '',
    help_en text NOT NULL DEFAULT '',
    weight numeric(6, 3) NOT NULL DEFAULT 1 CHECK (weight > 0),
    scale_min numeric(6, 2) NOT NULL DEFAULT 1,
    scale_max numeric(6, 2) NOT NULL DEFAULT 5,
    scale_step numeric(6, 2) NOT NULL DEFAULT 1 CHECK (scale_step > 0),
    position int NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (scale_min < scale_max)
);
CREATE INDEX criteria_cycle ON criteria (cycle_id, position);

CREATE TABLE projects (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id text NOT NULL UNIQUE DEFAULT replace(gen_random_uuid()::text, '-', ''),
    organisation_id bigint NOT NULL REFERENCES organisations (id) ON DELETE RESTRICT,
    title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    description text NOT NULL DEFAULT '',
    results text NOT NULL DEFAULT '',
    partners text NOT NULL DEFAULT '',
    period_start date,
    period_end date,
    links text[] NOT NULL DEFAULT '{}',
    version int NOT NULL DEFAULT 1,
    created_by bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('norwegian', title), 'A') ||
        setweight(to_tsvector('norwegian', description || ' ' || results || ' ' || partners), 'B')) STORED,
    CHECK (period_start IS NULL OR period_end IS NULL OR period_start <= period_end)
);
CREATE INDEX projects_organisation ON projects (organisation_id);
CREATE INDEX projects_search ON projects USING gin (search);

-- Measured results: "participants 783".
CREATE TABLE project_results (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    label text NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
    value numeric NOT NULL CHECK (value >= 0),
    unit text NOT NULL DEFAULT '',
    position int NOT NULL DEFAULT 0
);
CREATE INDEX project_results_project ON project_results (project_id, position);

CREATE TABLE nominations (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id text NOT NULL UNIQUE DEFAULT replace(gen_random_uuid()::text, '-', ''),
    cycle_id bigint NOT NULL REFERENCES cycles (id) ON DELETE RESTRICT,
    title text NOT NULL DEFAULT '' CHECK (length(title) <= 300),
    summary text NOT NULL DEFAULT '',
    challenge text NOT NULL DEFAULT '' CHECK (challenge IN ('', 'burning_platform', 'known_tangle', 'renewal', 'other')),
    contact_name text NOT NULL DEFAULT '',
    contact_email text NOT NULL DEFAULT '',
    contact_phone text NOT NULL DEFAULT '',
    status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'withdrawn', 'ineligible', 'finalist', 'winner', 'honourable_mention')),
    ineligible_reason text NOT NULL DEFAULT '',
    version int NOT NULL DEFAULT 1,
    created_by bigint REFERENCES users (id) ON DELETE SET NULL,
    submitted_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('norwegian', title), 'A') || setweight(to_tsvector('norwegian', summary), 'B')) STORED
);
CREATE INDEX nominations_cycle ON nominations (cycle_id, status);
CREATE INDEX nominations_search ON nominations USING gin (search);

-- Nominee organisations: joint entries have several.
CREATE TABLE nomination_organisations (
    nomination_id bigint NOT NULL REFERENCES nominations (id) ON DELETE CASCADE,
    organisation_id bigint NOT NULL REFERENCES organisations (id) ON DELETE RESTRICT,
    PRIMARY KEY (nomination_id, organisation_id)
);
CREATE INDEX nomination_organisations_org ON nomination_organisations (organisation_id);

CREATE TABLE nomination_projects (
    nomination_id bigint NOT NULL REFERENCES nominations (id) ON DELETE CASCADE,
    project_id bigint NOT NULL REFERENCES projects (id) ON DELETE RESTRICT,
    position int NOT NULL DEFAULT 0,
    PRIMARY KEY (nomination_id, project_id)
);
CREATE INDEX nomination_projects_project ON nomination_projects (project_id);

CREATE TABLE attachments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id text NOT NULL UNIQUE DEFAULT replace(gen_random_uuid()::text, '-', ''),
    project_id bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    filename text NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
    content_type text NOT NULL CHECK (content_type IN ('application/pdf', 'image/png', 'image/jpeg', 'image/webp')),
    size bigint NOT NULL CHECK (size > 0 AND size <= 20971520),
    sha256 text NOT NULL,
    alt_text text NOT NULL DEFAULT '',
    storage_key text NOT NULL UNIQUE,
    public boolean NOT NULL DEFAULT true,
    created_by bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (content_type = 'application/pdf' OR length(alt_text) > 0)
);
CREATE INDEX attachments_project ON attachments (project_id);
