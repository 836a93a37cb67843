package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/heder-awards/heder/internal/postgres"
	"github.com/jackc/pgx/v5"
	"github.com/uptrace/bun"
)

// publicSeed is where bench/public/seed.sql makes its awards: 20 of them,
// each with 10 published years of 100 nominations.
const publicSeed = "generate_series(1, 20) a"

// seedPublic loads bench/public/seed.sql with awards awards instead of 20,
// and returns how many nominations are public.
func seedPublic(ctx context.Context, root, dbURL string, db *postgres.DB, awards int) (int, error) {
	b, err := os.ReadFile(filepath.Join(root, "bench", "public", "seed.sql"))
	if err != nil {
		return 0, err
	}
	sql := string(b)
	if strings.Count(sql, publicSeed) != 1 {
		return 0, fmt.Errorf("bench/public/seed.sql no longer makes its awards with %q once: update bench/replicas", publicSeed)
	}
	sql = strings.Replace(sql, publicSeed, fmt.Sprintf("generate_series(1, %d) a", awards), 1)
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return 0, err
	}
	defer conn.Close(ctx)
	// The file holds many statements: the simple protocol runs them all.
	if _, err := conn.PgConn().Exec(ctx, sql).ReadAll(); err != nil {
		return 0, fmt.Errorf("bench/public/seed.sql: %w", err)
	}
	var public int
	err = db.QueryRowContext(ctx, `SELECT count(*) FROM public_nominations`).Scan(&public)
	return public, err
}

// jury is the judging cycle the score saves go to.
type jury struct {
	nominations []string // public IDs
	criteria    []int64
}

// seedJury makes a cycle being judged, of an award of its own, with
// nominations (each by one municipality) and criteria on a 1–5 scale, and
// seats the users jurors (already provisioned by their login at issuer)
// in its jury, each having declared no conflict with any nominee.
func seedJury(ctx context.Context, db *postgres.DB, issuer string, jurors []string, nominations, criteria int) (jury, error) {
	var id int64
	err := db.NewRaw(`WITH a AS (INSERT INTO awards (slug, name_nb) VALUES ('replikapris', 'Replikaprisen') RETURNING id)
		INSERT INTO cycles (award_id, year, title, phase, scoring_deadline)
		SELECT id, 2030, 'Replikaprisen 2030', 'judging', now() + interval '7 days' FROM a RETURNING id`).Scan(ctx, &id)
	if err != nil {
		return jury{}, fmt.Errorf("cycle: %w", err)
	}
	steps := []struct {
		what string
		sql  string
		args []any
	}{
		{"criteria", `INSERT INTO criteria (cycle_id, name_nb, weight, scale_min, scale_max, position)
			SELECT ?0, 'Kriterium ' || g, 1, 1, 5, g FROM generate_series(1, ?1) g`, []any{id, criteria}},
		{"nominations", `INSERT INTO nominations (cycle_id, title, summary, status, submitted_at)
			SELECT ?0, 'Nominasjon ' || g, 'Helhetlig og systematisk innovasjon.', 'submitted', now() FROM generate_series(1, ?1) g`,
			[]any{id, nominations}},
		{"nominees", `INSERT INTO nomination_organisations (nomination_id, organisation_id)
			SELECT n.id, o.id FROM (SELECT id, row_number() OVER (ORDER BY id) AS k FROM nominations WHERE cycle_id = ?0) n
			JOIN (SELECT id, row_number() OVER (ORDER BY number) - 1 AS k, count(*) OVER () AS m FROM organisations
				WHERE kind = 'municipality' AND valid_to IS NULL) o ON o.k = n.k % o.m`, []any{id}},
		{"seats", `INSERT INTO jurors (cycle_id, user_id, declared_at)
			SELECT ?0, id, now() FROM users WHERE issuer = ?1 AND subject IN (?2)`, []any{id, issuer, bun.In(jurors)}},
		{"declarations", `INSERT INTO conflict_reviews (juror_id, organisation_id)
			SELECT DISTINCT j.id, x.organisation_id FROM jurors j JOIN nominations n ON n.cycle_id = j.cycle_id
			JOIN nomination_organisations x ON x.nomination_id = n.id WHERE j.cycle_id = ?0`, []any{id}},
		{"statistics", `ANALYZE`, nil},
	}
	for _, s := range steps {
		if _, err := db.ExecContext(ctx, s.sql, s.args...); err != nil {
			return jury{}, fmt.Errorf("seed %s: %w", s.what, err)
		}
	}
	var seats int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM jurors WHERE cycle_id = ?`, id).Scan(&seats); err != nil || seats != len(jurors) {
		return jury{}, fmt.Errorf("seed: %d seats (%v), want %d: did every juror log in?", seats, err, len(jurors))
	}
	var j jury
	if err := db.NewRaw(`SELECT public_id FROM nominations WHERE cycle_id = ? ORDER BY id`, id).Scan(ctx, &j.nominations); err != nil {
		return jury{}, err
	}
	if err := db.NewRaw(`SELECT id FROM criteria WHERE cycle_id = ? ORDER BY position`, id).Scan(ctx, &j.criteria); err != nil {
		return jury{}, err
	}
	return j, nil
}
