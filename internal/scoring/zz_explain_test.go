package scoring

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/pgtest"
)

func TestZZExplain(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	ex := func(q string, args ...any) {
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			t.Fatal(err)
		}
	}
	ex(`INSERT INTO organisations (kind, name, number) SELECT 'municipality', 'K' || g, lpad(g::text, 4, '0') FROM generate_series(1, 700) g`)
	ex(`INSERT INTO awards (slug, name_nb) VALUES ('a', 'A')`)
	ex(`INSERT INTO cycles (award_id, year, title, phase, scoring_deadline) SELECT id, 2027, 'C', 'judging', now() + interval '4 days' FROM awards`)
	ex(`INSERT INTO criteria (cycle_id, name_nb, position) SELECT c.id, 'K' || g, g FROM cycles c, generate_series(1, 6) g`)
	ex(`INSERT INTO users (issuer, subject, name) SELECT 'i', 'u' || g, 'U' || g FROM generate_series(1, 4) g`)
	ex(`INSERT INTO jurors (cycle_id, user_id, declared_at) SELECT c.id, u.id, now() FROM cycles c, users u`)
	ex(`INSERT INTO conflict_reviews (juror_id, organisation_id) SELECT j.id, o.id FROM jurors j, organisations o`)
	ex(`INSERT INTO nominations (cycle_id, title, status) SELECT c.id, 'N' || g, 'submitted' FROM cycles c, generate_series(1, 20) g`)
	ex(`INSERT INTO nomination_organisations (nomination_id, organisation_id) SELECT n.id, n.id FROM nominations n`)
	ex(`INSERT INTO projects (organisation_id, title) SELECT n.id, 'P' || g FROM nominations n, generate_series(1, 3) g`)
	ex(`INSERT INTO nomination_projects (nomination_id, project_id) SELECT p.organisation_id, p.id FROM projects p`)
	ex(`INSERT INTO scores (juror_id, nomination_id, criterion_id, value) SELECT j.id, n.id, cr.id, 3 FROM jurors j, nominations n, criteria cr`)
	ex(`INSERT INTO score_submissions (juror_id, nomination_id) SELECT j.id, n.id FROM jurors j, nominations n`)
	ex(`ANALYZE`)
	var pub string
	db.NewRaw(`SELECT public_id FROM nominations WHERE id = 1`).Scan(ctx, &pub)
	show := func(name, q string, args ...any) {
		var lines []string
		if err := db.NewRaw("EXPLAIN (ANALYZE, BUFFERS) "+q, args...).Scan(ctx, &lines); err != nil {
			t.Fatal(err)
		}
		fmt.Println("=====", name)
		for _, l := range lines {
			fmt.Println(l)
		}
		start := time.Now()
		for range 200 {
			var raw []byte
			_ = raw
			if _, err := db.ExecContext(ctx, "SELECT 1 FROM ("+q+") x", args...); err != nil {
				t.Fatal(err)
			}
		}
		fmt.Println("=====", name, time.Since(start)/200)
	}
	show("target", targetSelect, int64(1), pub, "", "")
	show("doc", docQuery, true, int64(1), true, true, int64(1))
	s := NewService(db)
	a := &awards.Actor{User: awards.User{ID: 1}}
	start := time.Now()
	for range 200 {
		if _, err := s.Screen(ctx, a, "", pub); err != nil {
			t.Fatal(err)
		}
	}
	fmt.Println("===== screen", time.Since(start)/200)
}
