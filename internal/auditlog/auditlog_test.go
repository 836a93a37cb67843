package auditlog_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/auditlog"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/pgtest"
	"github.com/heder-awards/heder/internal/postgres"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// world is a log of two cycles' entries and the instance's, written
// with the times and actors the tests filter by.
type world struct {
	db              *postgres.DB
	admin, asker    int64
	cycleA, cycleB  string
	nomA, nomB      string
	ids             map[string]int64 // entry ids by name
	projectPublicID string
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{db: pgtest.New(t), ids: map[string]int64{}}
	scan := func(q string, args []any, dst ...any) {
		t.Helper()
		if err := w.db.QueryRowContext(ctx, q, args...).Scan(dst...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	var org, award, cycA, cycB, nomA, nomB, project, crit, juror int64
	scan(`INSERT INTO users (issuer, subject, name, email, is_admin) VALUES ('https://idp.example', 'a', 'Astrid Admin', 'astrid@kdd.dep.no', true) RETURNING id`, nil, &w.admin)
	scan(`INSERT INTO users (issuer, subject, name, email) VALUES ('https://idp.example', 'b', 'Kari Asker', 'kari@asker.kommune.no') RETURNING id`, nil, &w.asker)
	scan(`INSERT INTO organisations (kind, name) VALUES ('municipality', 'Asker kommune') RETURNING id`, nil, &org)
	scan(`INSERT INTO awards (slug, name_nb) VALUES ('kommunal-innovasjonspris', 'Kommunal innovasjonspris') RETURNING id`, nil, &award)
	scan(`INSERT INTO cycles (award_id, year, title, phase) VALUES (?, 2017, 'Innovasjonsprisen 2017', 'judging') RETURNING id, public_id`, []any{award}, &cycA, &w.cycleA)
	scan(`INSERT INTO cycles (award_id, year, title, phase) VALUES (?, 2018, 'Innovasjonsprisen 2018', 'open') RETURNING id, public_id`, []any{award}, &cycB, &w.cycleB)
	scan(`INSERT INTO nominations (cycle_id, title) VALUES (?, 'Løsningsjakten') RETURNING id, public_id`, []any{cycA}, &nomA, &w.nomA)
	scan(`INSERT INTO nominations (cycle_id, title) VALUES (?, 'Trehuset') RETURNING id, public_id`, []any{cycB}, &nomB, &w.nomB)
	scan(`INSERT INTO projects (organisation_id, title) VALUES (?, 'Holmen svømmehall') RETURNING id, public_id`, []any{org}, &project, &w.projectPublicID)
	if _, err := w.db.ExecContext(ctx, `INSERT INTO nomination_projects (nomination_id, project_id, position) VALUES (?, ?, 0)`, nomA, project); err != nil {
		t.Fatal(err)
	}
	scan(`INSERT INTO criteria (cycle_id, name_nb, weight, scale_min, scale_max, scale_step, position) VALUES (?, 'Nytt', 1, 1, 5, 1, 0) RETURNING id`, []any{cycA}, &crit)
	scan(`INSERT INTO jurors (cycle_id, user_id) VALUES (?, ?) RETURNING id`, []any{cycA, w.admin}, &juror)

	day := func(d int) time.Time { return time.Date(2026, time.February, d, 12, 0, 0, 0, time.UTC) }
	for _, e := range []struct {
		name          string
		at            time.Time
		actor         int64
		action        string
		entity        string
		id            int64
		before, after string
	}{
		{"import", day(1), 0, "import", "organisations", 0, "", `{"created": 357}`},
		{"cycleA", day(2), w.admin, "create", "cycle", cycA, "", `{"title": "Innovasjonsprisen 2017"}`},
		{"nomA", day(3), w.asker, "create", "nomination", nomA, "", `{"title": "Løsningsjakten"}`},
		{"nomA-update", day(4), w.asker, "update", "nomination", nomA,
			`{"title": "Løsningsjakt", "contact_email": "kari@asker.kommune.no"}`, `{"title": "Løsningsjakten", "contact_email": "kari@asker.kommune.no"}`},
		{"project", day(5), w.asker, "create", "project", project, "", `{"title": "Holmen svømmehall"}`},
		{"link", day(5), w.asker, "link_project", "nomination", nomA, "", `{"project_id": 1}`},
		{"attachment", day(6), w.asker, "delete", "attachment", 424242, fmt.Sprintf(`{"project_id": %d, "filename": "plan.pdf"}`, project), ""},
		{"criterion", day(7), w.admin, "create", "criterion", crit, "", `{"NameNB": "Nytt"}`},
		{"criterion-gone", day(8), w.admin, "delete", "criterion", 737373, fmt.Sprintf(`{"CycleID": %d, "NameNB": "Gammelt"}`, cycA), ""},
		{"scores", day(9), w.admin, "save", "scores", nomA, "", `{"scores": [4, 5]}`},
		{"decision", day(10), w.admin, "update", "decision", cycA, `{"decisions": []}`, `{"decisions": [1]}`},
		{"seat", day(11), w.admin, "seat", "juror", juror, "", `{"chair": false}`},
		{"nomB", day(12), w.asker, "create", "nomination", nomB, "", `{"title": "Trehuset"}`},
		{"cycleB", day(13), w.admin, "create", "cycle", cycB, "", `{"title": "Innovasjonsprisen 2018"}`},
		{"award", day(14), w.admin, "update", "award", award, `{"name_nb": "Innovasjonsprisen"}`, `{"name_nb": "Kommunal innovasjonspris"}`},
	} {
		var before, after any
		if e.before != "" {
			before = e.before
		}
		if e.after != "" {
			after = e.after
		}
		var id int64
		scan(`INSERT INTO audit_log (at, actor_id, action, entity, entity_id, before, after)
			VALUES (?, NULLIF(?, 0), ?, ?, NULLIF(?, 0), ?::jsonb, ?::jsonb) RETURNING id`,
			[]any{e.at, e.actor, e.action, e.entity, e.id, before, after}, &id)
		w.ids[e.name] = id
	}
	return w
}

func admin(w *world) *awards.Actor {
	return &awards.Actor{User: awards.User{ID: w.admin, IsAdmin: true}}
}

// names lists the entries of a page by their fixture names.
func (w *world) names(t *testing.T, entries []auditlog.Entry) []string {
	t.Helper()
	byID := map[int64]string{}
	for k, v := range w.ids {
		byID[v] = k
	}
	var out []string
	for _, e := range entries {
		out = append(out, byID[e.ID])
	}
	return out
}

func TestListFilters(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	cases := []struct {
		name string
		q    auditlog.Query
		want []string
	}{
		{"all, newest first", auditlog.Query{}, []string{"award", "cycleB", "nomB", "seat", "decision", "scores", "criterion-gone",
			"criterion", "attachment", "link", "project", "nomA-update", "nomA", "cycleA", "import"}},
		{"cycle: its nominations, their projects and files, its criteria, jury, scores and decision",
			auditlog.Query{Cycle: w.cycleA}, []string{"seat", "decision", "scores", "criterion-gone", "criterion", "attachment", "link",
				"project", "nomA-update", "nomA", "cycleA"}},
		{"the other cycle", auditlog.Query{Cycle: w.cycleB}, []string{"cycleB", "nomB"}},
		{"nomination: its own entries, scores, projects and files", auditlog.Query{Nomination: w.nomA},
			[]string{"scores", "attachment", "link", "project", "nomA-update", "nomA"}},
		{"nomination within its cycle", auditlog.Query{Cycle: w.cycleA, Nomination: w.nomA},
			[]string{"scores", "attachment", "link", "project", "nomA-update", "nomA"}},
		{"nomination of another cycle", auditlog.Query{Cycle: w.cycleB, Nomination: w.nomA}, nil},
		{"person", auditlog.Query{Actor: itoa(w.asker)}, []string{"nomB", "attachment", "link", "project", "nomA-update", "nomA"}},
		{"system", auditlog.Query{Actor: "system"}, []string{"import"}},
		{"action", auditlog.Query{Action: "update"}, []string{"award", "decision", "nomA-update"}},
		{"from a date", auditlog.Query{From: "2026-02-12"}, []string{"award", "cycleB", "nomB"}},
		{"to a date, the whole day", auditlog.Query{To: "2026-02-02"}, []string{"cycleA", "import"}},
		{"instants, both included", auditlog.Query{From: "2026-02-03T12:00:00Z", To: "2026-02-05T13:00:00+01:00"},
			[]string{"link", "project", "nomA-update", "nomA"}},
		{"combined: cycle, person, action and time", auditlog.Query{Cycle: w.cycleA, Actor: itoa(w.admin), Action: "create",
			From: "2026-02-03"}, []string{"criterion"}},
		{"after: older than an entry", auditlog.Query{Cycle: w.cycleA, After: itoa(w.ids["link"])}, []string{"project", "nomA-update", "nomA", "cycleA"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := auditlog.NewService(w.db).List(ctx, admin(w), tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, w.names(t, p.Entries)); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
			if p.Next != 0 {
				t.Errorf("next = %d on a short page", p.Next)
			}
		})
	}
}

func TestListNamesWhoAndWhat(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	p, err := auditlog.NewService(w.db).List(context.Background(), admin(w), auditlog.Query{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]auditlog.Entry{}
	for i, name := range w.names(t, p.Entries) {
		got[name] = p.Entries[i]
	}
	type who struct {
		Actor   string
		Subject auditlog.Subject
	}
	for name, want := range map[string]who{
		"import":         {"", auditlog.Subject{}},
		"nomA-update":    {"Kari Asker", auditlog.Subject{Kind: "nomination", Ref: w.nomA, Label: "Løsningsjakten"}},
		"scores":         {"Astrid Admin", auditlog.Subject{Kind: "nomination", Ref: w.nomA, Label: "Løsningsjakten"}},
		"attachment":     {"Kari Asker", auditlog.Subject{Kind: "project", Ref: w.projectPublicID, Label: "Holmen svømmehall"}},
		"criterion-gone": {"Astrid Admin", auditlog.Subject{Kind: "cycle", Ref: w.cycleA, Label: "Innovasjonsprisen 2017"}},
		"seat":           {"Astrid Admin", auditlog.Subject{Kind: "cycle", Ref: w.cycleA, Label: "Innovasjonsprisen 2017"}},
		"award":          {"Astrid Admin", auditlog.Subject{Kind: "award", Ref: "kommunal-innovasjonspris", Label: "Kommunal innovasjonspris"}},
	} {
		e := got[name]
		if diff := cmp.Diff(want, who{e.ActorName, e.Subject}); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
	}
	if e := got["import"]; e.ActorID != 0 || e.Entity != "organisations" || string(e.Before) != "null" {
		t.Errorf("system entry = %+v", e)
	}
}

func TestListPagesByKeyset(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	// 120 more entries of cycle A's nomination: with its 6, three pages.
	if _, err := w.db.ExecContext(ctx, `INSERT INTO audit_log (actor_id, action, entity, entity_id, after)
		SELECT ?, 'update', 'nomination', n.id, jsonb_build_object('title', 'v' || g) FROM nominations n, generate_series(1, 120) g
		WHERE n.public_id = ?`, w.asker, w.nomA); err != nil {
		t.Fatal(err)
	}
	s := auditlog.NewService(w.db)
	var all []int64
	after, pages := "", 0
	for {
		p, err := s.List(ctx, admin(w), auditlog.Query{Nomination: w.nomA, After: after})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, e := range p.Entries {
			all = append(all, e.ID)
		}
		if p.Next == 0 {
			break
		}
		if len(p.Entries) != auditlog.PageSize || p.Next != p.Entries[len(p.Entries)-1].ID {
			t.Fatalf("page %d: %d entries, next %d", pages, len(p.Entries), p.Next)
		}
		after = itoa(p.Next)
	}
	if pages != 3 || len(all) != 126 {
		t.Fatalf("%d pages, %d entries; want 3 and 126", pages, len(all))
	}
	if !slices.IsSortedFunc(all, func(a, b int64) int { return int(b - a) }) || len(slices.Compact(slices.Clone(all))) != len(all) {
		t.Errorf("entries are not newest first, each once: %v", all)
	}
	// Entries written while a reader pages on do not shift the next page.
	p1, _ := s.List(ctx, admin(w), auditlog.Query{Nomination: w.nomA})
	if _, err := w.db.ExecContext(ctx, `INSERT INTO audit_log (action, entity, entity_id) SELECT 'update', 'nomination', id FROM nominations WHERE public_id = ?`, w.nomA); err != nil {
		t.Fatal(err)
	}
	p2, _ := s.List(ctx, admin(w), auditlog.Query{Nomination: w.nomA, After: itoa(p1.Next)})
	if p2.Entries[0].ID != all[auditlog.PageSize] {
		t.Errorf("second page starts at %d, want %d", p2.Entries[0].ID, all[auditlog.PageSize])
	}
}

func TestListBadInput(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	for _, tc := range []struct {
		q    auditlog.Query
		want map[string]string
	}{
		{auditlog.Query{Cycle: "nope"}, map[string]string{"cycle": "audit.error.cycle"}},
		{auditlog.Query{Nomination: "nope"}, map[string]string{"nomination": "audit.error.nomination"}},
		{auditlog.Query{Actor: "kari"}, map[string]string{"actor": "audit.error.actor_format"}},
		{auditlog.Query{Actor: "999999"}, map[string]string{"actor": "audit.error.actor"}},
		{auditlog.Query{Action: "update; --"}, map[string]string{"action": "audit.error.action"}},
		{auditlog.Query{From: "31.12.2026", To: "2026-13-01"}, map[string]string{"from": "audit.error.date", "to": "audit.error.date"}},
		{auditlog.Query{From: "2026-02-10", To: "2026-02-09"}, map[string]string{"to": "audit.error.date_order"}},
		{auditlog.Query{After: "-4"}, map[string]string{"after": "audit.error.after"}},
		{auditlog.Query{After: "999999"}, map[string]string{"after": "audit.error.after"}},
	} {
		_, err := auditlog.NewService(w.db).List(ctx, admin(w), tc.q)
		if awards.ErrorCode(err) != awards.EInvalid {
			t.Errorf("%+v: err = %v, want invalid", tc.q, err)
			continue
		}
		if diff := cmp.Diff(tc.want, awards.ErrorFields(err)); diff != "" {
			t.Errorf("%+v: fields (-want +got):\n%s", tc.q, diff)
		}
	}
	// The same day as from and to is one day, not a wrong order.
	if _, err := auditlog.NewService(w.db).List(ctx, admin(w), auditlog.Query{From: "2026-02-10", To: "2026-02-10"}); err != nil {
		t.Errorf("one day: %v", err)
	}
}

func TestOnlySiteAdmins(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	s := auditlog.NewService(w.db)
	for _, a := range []*awards.Actor{nil, {User: awards.User{ID: w.asker}}} {
		if _, err := s.List(ctx, a, auditlog.Query{}); awards.ErrorCode(err) != awards.EForbidden {
			t.Errorf("list as %+v: %v", a, err)
		}
		if err := s.Export(ctx, a, auditlog.Query{}, func(auditlog.Entry) error { return nil }); awards.ErrorCode(err) != awards.EForbidden {
			t.Errorf("export as %+v: %v", a, err)
		}
		if _, err := s.Choices(ctx, a); awards.ErrorCode(err) != awards.EForbidden {
			t.Errorf("choices as %+v: %v", a, err)
		}
	}
}

func TestExportAndChoices(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	s := auditlog.NewService(w.db)
	var got []auditlog.Entry
	if err := s.Export(ctx, admin(w), auditlog.Query{Cycle: w.cycleB}, func(e auditlog.Entry) error {
		got = append(got, e)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"cycleB", "nomB"}, w.names(t, got)); diff != "" {
		t.Errorf("export (-want +got):\n%s", diff)
	}
	c, err := s.Choices(ctx, admin(w))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"create", "delete", "import", "link_project", "save", "seat", "update"}, c.Actions); diff != "" {
		t.Errorf("actions (-want +got):\n%s", diff)
	}
	if len(c.Actors) != 2 || c.Actors[0].Name != "Astrid Admin" || len(c.Cycles) != 2 || c.Cycles[0].PublicID != w.cycleB {
		t.Errorf("choices = %+v", c)
	}
}

func itoa(n int64) string { return fmt.Sprint(n) }
