package auditlog_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/heder-awards/heder/internal/auditlog"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/pgtest"
)

// BenchmarkList measures a page of the audit log over 200,000 entries of
// 20 cycles (50 nominations each, a project per nomination, criteria and
// jurors), two years of them, by 200 people and the system: each filter
// alone, combined, and a page deep in the log. Run it alone, e.g.
// go test -run '^$' -bench List ./internal/auditlog/
func BenchmarkList(b *testing.B) {
	ctx := context.Background()
	db := pgtest.New(b)
	for _, q := range []string{
		`INSERT INTO users (issuer, subject, name, email) SELECT 'https://idp.example', 'u' || i, 'Person ' || i, 'p' || i || '@example.no' FROM generate_series(1, 200) i`,
		`INSERT INTO organisations (kind, name) VALUES ('municipality', 'Asker kommune')`,
		`INSERT INTO awards (slug, name_nb) VALUES ('bench', 'Kommunal innovasjonspris')`,
		`INSERT INTO cycles (award_id, year, title, phase) SELECT a.id, 2000 + i, 'Innovasjonsprisen ' || (2000 + i), 'published' FROM awards a, generate_series(1, 20) i`,
		`INSERT INTO nominations (cycle_id, title) SELECT c.id, 'Nominasjon ' || c.year || '-' || i FROM cycles c, generate_series(1, 50) i`,
		`INSERT INTO projects (organisation_id, title) SELECT o.id, 'Prosjekt ' || n.id FROM organisations o, nominations n`,
		`INSERT INTO nomination_projects (nomination_id, project_id, position)
			SELECT substring(p.title from 'Prosjekt (\d+)')::bigint, p.id, 0 FROM projects p`,
		`INSERT INTO criteria (cycle_id, name_nb, weight, scale_min, scale_max, scale_step, position)
			SELECT c.id, 'Kriterium ' || i, 1, 1, 5, 1, i FROM cycles c, generate_series(1, 5) i`,
		`INSERT INTO jurors (cycle_id, user_id) SELECT c.id, u.id FROM cycles c, users u WHERE u.id % 50 = c.id % 50`,
		// Seven in ten entries about nominations and their scores, one in
		// ten about projects, one in ten about the cycles' own things, the
		// rest about users; one in twenty by the system.
		`INSERT INTO audit_log (at, actor_id, action, entity, entity_id, before, after)
			SELECT now() - (200000 - g) * interval '5 minutes',
				CASE WHEN g % 20 = 0 THEN NULL ELSE 1 + g % 200 END,
				(ARRAY['create', 'update', 'update', 'submit', 'save', 'transition', 'seat', 'set_admin'])[1 + g % 8],
				e.entity,
				CASE e.entity WHEN 'nomination' THEN b.n0 + (g / 10) % 1000 WHEN 'scores' THEN b.n0 + (g / 10) % 1000
					WHEN 'project' THEN b.p0 + (g / 10) % 1000 WHEN 'cycle' THEN b.c0 + (g / 10) % 20
					WHEN 'criterion' THEN b.k0 + (g / 10) % 100 WHEN 'juror' THEN b.j0 + (g / 10) % 80 ELSE 1 + (g / 10) % 200 END,
				jsonb_build_object('title', 'Før ' || g, 'contact_email', 'kari@asker.kommune.no'),
				jsonb_build_object('title', 'Etter ' || g, 'contact_email', 'kari@asker.kommune.no')
			FROM generate_series(1, 200000) g,
				LATERAL (SELECT CASE WHEN g % 10 < 6 THEN 'nomination' WHEN g % 10 = 6 THEN 'scores' WHEN g % 10 = 7 THEN 'project'
					WHEN g % 10 = 8 THEN (ARRAY['cycle', 'criterion', 'juror'])[1 + (g / 10) % 3] ELSE 'user' END AS entity) e,
				(SELECT (SELECT min(id) FROM nominations) n0, (SELECT min(id) FROM projects) p0, (SELECT min(id) FROM cycles) c0,
					(SELECT min(id) FROM criteria) k0, (SELECT min(id) FROM jurors) j0) b`,
		`VACUUM ANALYZE`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	var cycle, nomination string
	if err := db.NewRaw(`SELECT public_id FROM cycles ORDER BY id OFFSET 7 LIMIT 1`).Scan(ctx, &cycle); err != nil {
		b.Fatal(err)
	}
	if err := db.NewRaw(`SELECT public_id FROM nominations ORDER BY id OFFSET 377 LIMIT 1`).Scan(ctx, &nomination); err != nil {
		b.Fatal(err)
	}
	admin := &awards.Actor{User: awards.User{ID: 1, IsAdmin: true}}
	s := auditlog.NewService(db)
	for _, tc := range []struct {
		name string
		q    auditlog.Query
	}{
		{"all", auditlog.Query{}},
		{"cycle", auditlog.Query{Cycle: cycle}},
		{"nomination", auditlog.Query{Nomination: nomination}},
		{"person", auditlog.Query{Actor: "17"}},
		{"system", auditlog.Query{Actor: "system"}},
		{"action", auditlog.Query{Action: "transition"}},
		{"month", auditlog.Query{From: "2025-03-01", To: "2025-03-31"}},
		{"combined", auditlog.Query{Cycle: cycle, Action: "update", From: "2025-01-01", To: "2025-12-31"}},
		{"combined-person", auditlog.Query{Cycle: cycle, Actor: "9", Action: "create", From: "2025-01-01"}},
		{"deep", auditlog.Query{After: "1000"}},
		{"cycle-deep", auditlog.Query{Cycle: cycle, After: "5000"}},
	} {
		p, err := s.List(ctx, admin, tc.q)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("%s-%d", tc.name, len(p.Entries)), func(b *testing.B) {
			for b.Loop() {
				if _, err := s.List(ctx, admin, tc.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
