package postgres_test

import (
	"context"
	"testing"

	"github.com/heder-awards/heder/internal/pgtest"
)

// TestWinnerShowsAsFinalistFirst: at the finalists' announcement a decided
// winner is listed as a finalist, without its statement, so that the
// finalists list does not give the winner away; at the winners' it is the
// winner, with the statement.
func TestWinnerShowsAsFinalistFirst(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`INSERT INTO awards (slug, name_nb) VALUES ('p', 'Pris')`)
	exec(`INSERT INTO cycles (award_id, year, title, phase) SELECT id, 2030, 'Pris 2030', 'decided' FROM awards`)
	exec(`INSERT INTO nominations (cycle_id, title, status) SELECT id, t, 'submitted' FROM cycles, unnest(ARRAY['A', 'B']) t`)
	exec(`INSERT INTO decisions (nomination_id, cycle_id, outcome, statement_nb)
		SELECT id, cycle_id, CASE title WHEN 'A' THEN 'winner' ELSE 'finalist' END, 'Juryen sier ' || title FROM nominations`)
	type row struct {
		Title, Outcome, Statement string
	}
	outcomes := func() map[string]row {
		t.Helper()
		var rows []row
		if err := db.NewRaw(`SELECT n.title, po.outcome, po.statement_nb AS statement FROM published_outcomes po
			JOIN nominations n ON n.id = po.nomination_id`).Scan(ctx, &rows); err != nil {
			t.Fatal(err)
		}
		m := map[string]row{}
		for _, r := range rows {
			m[r.Title] = r
		}
		return m
	}
	if got := outcomes(); len(got) != 0 {
		t.Fatalf("before any announcement: %v", got)
	}
	exec(`INSERT INTO announcements (cycle_id, kind, publish_at) SELECT id, 'finalists', now() - interval '1 hour' FROM cycles`)
	got := outcomes()
	if got["A"].Outcome != "finalist" || got["B"].Outcome != "finalist" || got["A"].Statement != "" {
		t.Errorf("after the finalists' announcement: %+v", got)
	}
	exec(`INSERT INTO announcements (cycle_id, kind, publish_at) SELECT id, 'winners', now() - interval '1 minute' FROM cycles`)
	got = outcomes()
	if got["A"].Outcome != "winner" || got["A"].Statement != "Juryen sier A" || got["B"].Outcome != "finalist" {
		t.Errorf("after the winners' announcement: %+v", got)
	}
}
