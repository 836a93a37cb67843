CREATE TABLE organisations (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('municipality', 'county', 'ministry', 'other')),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
    number text CHECK (number ~ '^[0-9]{2,4}$'),
    orgnr text CHECK (orgnr ~ '^[0-9]{9}$'),
    parent_id bigint REFERENCES organisations (id) ON DELETE SET NULL,
    language text NOT NULL DEFAULT 'nb' CHECK (language IN ('nb', 'nn')),
    email_domain text,
    valid_from date,
    valid_to date,
    successor_id bigint REFERENCES organisations (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
-- A number identifies one current organisation of a kind; historical ones
-- (valid_to set) keep their old number and name.
CREATE UNIQUE INDEX organisations_current_number ON organisations (kind, number) WHERE valid_to IS NULL AND number IS NOT NULL;
CREATE UNIQUE INDEX organisations_historical_number ON organisations (kind, number, valid_to) WHERE valid_to IS NOT NULL;
CREATE UNIQUE INDEX organisations_orgnr ON organisations (orgnr) WHERE orgnr IS NOT NULL;
CREATE UNIQUE INDEX organisations_email_domain ON organisations (lower(email_domain)) WHERE email_domain IS NOT NULL;
CREATE INDEX organisations_name ON organisations (lower(name) text_pattern_ops);

CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    issuer text NOT NULL,
    subject text NOT NULL,
    name text NOT NULL DEFAULT '',
    email text NOT NULL DEFAULT '',
    email_verified boolean NOT NULL DEFAULT false,
    locale text NOT NULL DEFAULT 'nb' CHECK (locale IN ('nb', 'nn', 'en')),
    is_admin boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    last_login_at timestamptz,
    UNIQUE (issuer, subject)
);

CREATE TABLE memberships (
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organisation_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    role text NOT NULL CHECK (role IN ('submitter', 'org_admin')),
    source text NOT NULL CHECK (source IN ('admin', 'claim', 'request', 'demo')),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, organisation_id)
);
CREATE INDEX memberships_organisation ON memberships (organisation_id);

CREATE TABLE membership_requests (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organisation_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    message text NOT NULL DEFAULT '' CHECK (length(message) <= 2000),
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    decided_by bigint REFERENCES users (id) ON DELETE SET NULL,
    decided_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX membership_requests_pending ON membership_requests (user_id, organisation_id) WHERE status = 'pending';

CREATE TABLE awards (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name_nb text NOT NULL,
    name_nn text NOT NULL DEFAULT '',
    name_en text NOT NULL DEFAULT '',
    description text NOT NULL DEFAULT '',
    owner_id bigint REFERENCES organisations (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE cycles (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    award_id bigint NOT NULL REFERENCES awards (id) ON DELETE CASCADE,
    year int NOT NULL CHECK (year BETWEEN 2000 AND 2200),
    title text NOT NULL,
    phase text NOT NULL DEFAULT 'draft' CHECK (phase IN ('draft', 'open', 'closed', 'judging', 'decided', 'published')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (award_id, year)
);

CREATE TABLE jurors (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cycle_id bigint NOT NULL REFERENCES cycles (id) ON DELETE CASCADE,
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    chair boolean NOT NULL DEFAULT false,
    removed_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (cycle_id, user_id)
);
CREATE UNIQUE INDEX jurors_one_chair ON jurors (cycle_id) WHERE chair AND removed_at IS NULL;

CREATE TABLE audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    actor_id bigint REFERENCES users (id) ON DELETE RESTRICT,
    action text NOT NULL,
    entity text NOT NULL,
    entity_id bigint,
    before jsonb,
    after jsonb
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);

-- The audit log is append-only: no UPDATE, DELETE or TRUNCATE, whoever asks.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Server-side sessions (alexedwards/scs postgresstore).
CREATE TABLE sessions (
    token text PRIMARY KEY,
    data bytea NOT NULL,
    expiry timestamptz NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);
