-- The signature on a cycle's diplomas: who signs (e.g. the minister) and
-- their title in each written form. Set by the cycle's owner admins; a
-- cycle without a row prints its diplomas without a signature line.
CREATE TABLE diploma_signatures (
    cycle_id bigint PRIMARY KEY REFERENCES cycles (id) ON DELETE CASCADE,
    name text NOT NULL CHECK (length(name) <= 200),
    title_nb text NOT NULL DEFAULT '' CHECK (length(title_nb) <= 200),
    title_nn text NOT NULL DEFAULT '' CHECK (length(title_nn) <= 200),
    title_en text NOT NULL DEFAULT '' CHECK (length(title_en) <= 200),
    updated_by bigint REFERENCES users (id) ON DELETE SET NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
