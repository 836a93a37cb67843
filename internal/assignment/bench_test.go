package assignment_test

import (
	"context"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/assignment"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/pgtest"
	"github.com/heder-awards/heder/internal/postgres"
)

// seedLarge fills a fresh database with the large case: one
// cycle in judging with 2,000 submitted nominations (one nominee
// municipality each, in eleven counties), 100 jurors (members of a
// county each, so they have one) and conflicts of interest on a
// deterministic 5% of the juror × nomination cells. It returns the
// database, the service, the admin and the cycle's public ID.
func seedLarge(b *testing.B) (*postgres.DB, *assignment.Service, *awards.Actor, string) {
	b.Helper()
	seed := pgtest.NewSeed(b)
	adminID := seed.User("admin", "Admin", "admin@example.org", true, false)
	c := seed.Cycle(pgtest.CycleSpec{Award: seed.Award("stor-pris", "Stor pris"), Year: 2027, Title: "Stor pris 2027", Phase: "judging"})
	// The thousands of rows are set-based: one at a time through the
	// factories they take minutes to commit.
	for _, q := range []string{
		`INSERT INTO organisations (kind, name) SELECT 'county', 'Fylke ' || i FROM generate_series(1, 11) i`,
		`INSERT INTO organisations (kind, name, parent_id)
			SELECT 'municipality', 'Kommune ' || i, (SELECT id FROM organisations WHERE name = 'Fylke ' || (1 + i % 11))
			FROM generate_series(1, 2000) i`,
		`INSERT INTO users (issuer, subject, name, email) SELECT 'https://idp.example', 'juror' || i, 'Jurymedlem ' || i, 'juror' || i || '@example.org'
			FROM generate_series(1, 100) i`,
		`INSERT INTO memberships (user_id, organisation_id, role, source)
			SELECT u.id, (SELECT id FROM organisations WHERE name = 'Fylke ' || (1 + u.id % 11)), 'submitter', 'admin'
			FROM users u WHERE u.subject LIKE 'juror%'`,
		`INSERT INTO jurors (cycle_id, user_id, declared_at) SELECT c.id, u.id, now() FROM cycles c, users u WHERE u.subject LIKE 'juror%'`,
		`INSERT INTO nominations (cycle_id, title, status, submitted_at)
			SELECT c.id, 'Nominasjon ' || i, 'submitted', now() FROM cycles c, generate_series(1, 2000) i`,
		`INSERT INTO nomination_organisations (nomination_id, organisation_id)
			SELECT n.id, o.id FROM nominations n JOIN organisations o ON o.name = 'Kommune ' || substr(n.title, 12)`,
		// 5% of cells, the same ones on every run.
		`INSERT INTO conflicts (juror_id, organisation_id, kind)
			SELECT j.id, no.organisation_id, 'employed' FROM jurors j CROSS JOIN nomination_organisations no
			WHERE abs(hashint8(j.id * 1000003 + no.organisation_id)) % 20 = 0`,
		`ANALYZE`,
	} {
		seed.Exec(q)
	}
	n := seed.ID(`SELECT count(*) FROM juror_conflicts`)
	b.Logf("seeded 2000 nominations × 100 jurors, %d conflicted cells (%.1f%%)", n, float64(n)/2000)
	return seed.DB, assignment.NewService(seed.DB), seed.Actor(adminID), c.PublicID
}

// BenchmarkAuto2000x100 runs the automatic assignment of the issue's
// large case end to end: read, exact solve, write and audit in one
// transaction. "first" starts from no assignment each time (6,000 rows
// written), "rerun" runs again over its own result (the solver keeps
// every cell, nothing is written), "spread" is "first" with county
// spreading. The metrics split the time: read-ms, solve-ms, write-ms
// (statements and audit; the commit is in the total only).
func BenchmarkAuto2000x100(b *testing.B) {
	db, s, admin, cycle := seedLarge(b)
	ctx := context.Background()
	k := 3
	for _, bc := range []struct {
		name          string
		spread, reset bool
	}{{"first", false, true}, {"rerun", false, false}, {"spread", true, true}} {
		b.Run(bc.name, func(b *testing.B) {
			var read, solve, write time.Duration
			var last assignment.Run
			spread := bc.spread
			if !bc.reset {
				// Start from an assignment to re-run over.
				if _, err := s.AutoWith(ctx, admin, cycle, &k, &spread); err != nil {
					b.Fatal(err)
				}
			}
			for b.Loop() {
				if bc.reset {
					b.StopTimer()
					if _, err := db.ExecContext(ctx, `DELETE FROM assignments`); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
				}
				run, err := s.AutoWith(ctx, admin, cycle, &k, &spread)
				if err != nil {
					b.Fatal(err)
				}
				read += run.Timing.Read
				solve += run.Timing.Solve
				write += run.Timing.Write
				last = run
			}
			n := float64(b.N)
			b.ReportMetric(float64(read.Milliseconds())/n, "read-ms/op")
			b.ReportMetric(float64(solve.Milliseconds())/n, "solve-ms/op")
			b.ReportMetric(float64(write.Milliseconds())/n, "write-ms/op")
			if last.Assigned != 6000 || last.MaxLoad-last.MinLoad > 1 {
				b.Fatalf("run %+v", last)
			}
			b.Logf("%s: %d cells, loads %d–%d, added %d, kept %d, same-county pairs %d, own-county %d",
				bc.name, last.Assigned, last.MinLoad, last.MaxLoad, last.Added, last.Kept, last.SameCountyPairs, last.OwnCountyPairs)
		})
	}
	// The matrix of that assignment, as GET shows it.
	b.Run("matrix", func(b *testing.B) {
		if _, err := s.AutoWith(ctx, admin, cycle, &k, nil); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			m, err := s.Matrix(ctx, admin, cycle)
			if err != nil {
				b.Fatal(err)
			}
			if m.Assigned != 6000 {
				b.Fatalf("matrix: %d assigned", m.Assigned)
			}
		}
	})
}
