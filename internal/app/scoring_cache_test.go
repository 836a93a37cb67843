package app_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestScoringScreenNeverStale: the scoring screen is kept rendered in
// memory (ui.ScreenCache), and every kind of change to what it shows is
// on the next request, whoever made it: this server's own pages and API,
// or a statement on the database, as another server beside it would.
// Each step reads the screen (so that it is kept), makes one change and
// reads it again.
func TestScoringScreenNeverStale(t *testing.T) {
	t.Parallel()
	s := newScoringRun(t)
	ctx := context.Background()
	db := scoringDB(t, s.f)
	// A third juror, asker (no member of the nominees), who has not
	// scored yet; jury-1 and the chair have submitted Bærum, so jury-1
	// sees the jury's work there.
	s.jurors["asker"] = scoringSeat(t, db, s.cycle, s.f.ids["asker"], false)
	scoringScore(t, db, s.jurors["jury-1"], s.nominees["Bærum"], true)
	scoringScore(t, db, s.jurors["jury-chair"], s.nominees["Bærum"], true)
	// change runs a statement on the database, as another server would.
	exec := func(sql string, args ...any) func() {
		return func() {
			t.Helper()
			if _, err := db.ExecContext(ctx, sql, args...); err != nil {
				t.Fatalf("%s: %v", sql, err)
			}
		}
	}
	var nominationID int64
	if err := db.NewRaw(`SELECT id FROM nominations WHERE public_id = ?`, s.nominees["Bærum"]).Scan(ctx, &nominationID); err != nil {
		t.Fatal(err)
	}
	screen := s.screen("Bærum")
	read := func() string {
		t.Helper()
		return html.UnescapeString(s.page("jury-1", screen))
	}
	api := func(who, method, path, body string) func() {
		return func() {
			t.Helper()
			if status, got := s.a.Do(t, s.clients[who], method, path, body); status >= 400 {
				t.Fatalf("%s %s as %s: %d %.500s", method, path, who, status, got)
			}
		}
	}
	scoresPath := "/api/v1/nominations/" + s.nominees["Bærum"] + "/scores"
	askerScores := fmt.Sprintf(`{"scores":[{"criterion_id":"%d","value":2,"comment":"Askers merknad om nytte"},{"criterion_id":"%d","value":1,"comment":""}]}`,
		s.crit[0], s.crit[1])

	steps := []struct {
		name   string
		change func()
		want   []string
		gone   []string
	}{
		{"another juror's score", exec(`UPDATE scores SET comment = 'Chefens nye merknad' WHERE juror_id = ? AND criterion_id = ?`,
			s.jurors["jury-chair"], s.crit[0]), []string{"Chefens nye merknad"}, nil},
		{"another juror saves a draft (not shown) and submits it", func() {
			api("asker", http.MethodPut, scoresPath, askerScores)()
			api("asker", http.MethodPost, scoresPath+"/submission", "")()
		}, []string{"Askers merknad om nytte"}, nil},
		{"a post in the discussion", api("jury-chair", http.MethodPost, screen+"/kommentarer", "body=Vi+tar+den+p%C3%A5+m%C3%B8tet"),
			[]string{"Vi tar den på møtet"}, nil},
		{"a submission left out", exec(`UPDATE score_submissions SET excluded_reason = 'Inhabil' WHERE juror_id = ?`, s.jurors["asker"]),
			nil, []string{"Askers merknad om nytte"}},
		{"the reader's own post, and the flash message saying so", api("jury-1", http.MethodPost, screen+"/kommentarer", "body=Enig+med+leder"),
			[]string{"Enig med leder", `data-color="success" role="status"`}, nil},
		{"nothing: the flash message was shown once", func() {}, nil, []string{`data-color="success" role="status"`}},
		{"the reader made an admin, in the header only", exec(`UPDATE users SET is_admin = true WHERE id = ?`, s.f.ids["jury-1"]),
			[]string{`href="/admin"`}, nil},
		{"and an admin no more", exec(`UPDATE users SET is_admin = false WHERE id = ?`, s.f.ids["jury-1"]), nil, []string{`href="/admin"`}},
		{"a juror's name", exec(`UPDATE users SET name = 'Kari Omdøpt' WHERE id = ?`, s.f.ids["jury-chair"]), []string{"Kari Omdøpt"}, nil},
		{"the nomination's text", exec(`UPDATE nominations SET summary = 'Kommunen skrev om teksten' WHERE id = ?`, nominationID),
			[]string{"Kommunen skrev om teksten"}, []string{"Helhetlig og systematisk."}},
		{"the nomination's title", exec(`UPDATE nominations SET title = 'Ny tittel for Bærum' WHERE id = ?`, nominationID),
			[]string{"Ny tittel for Bærum"}, nil},
		{"a nominee's name", exec(`UPDATE organisations SET name = 'Bærum kommune' WHERE name = 'Bærum' AND kind = 'municipality'`),
			[]string{"Bærum kommune"}, nil},
		{"a project's text", exec(`UPDATE projects SET description = 'Prosjektet ble beskrevet på nytt'
			WHERE id IN (SELECT project_id FROM nomination_projects WHERE nomination_id = ?)`, nominationID),
			[]string{"Prosjektet ble beskrevet på nytt"}, nil},
		{"a project's measure", exec(`INSERT INTO project_results (project_id, label, value, unit, position)
			SELECT project_id, 'brukere', 4242, '', 0 FROM nomination_projects WHERE nomination_id = ?`, nominationID),
			[]string{"brukere"}, nil},
		{"an attachment", exec(`INSERT INTO attachments (project_id, filename, content_type, size, sha256, storage_key)
			SELECT project_id, 'evaluering.pdf', 'application/pdf', 1000, 'abc', 'test/eval' FROM nomination_projects WHERE nomination_id = ?`, nominationID),
			[]string{"evaluering.pdf"}, nil},
		{"a project added", exec(`WITH p AS (INSERT INTO projects (organisation_id, title, description)
				SELECT organisation_id, 'Digital tvilling', 'Et nytt prosjekt' FROM nomination_organisations WHERE nomination_id = ?0 RETURNING id)
			INSERT INTO nomination_projects (nomination_id, project_id, position) SELECT ?0, id, 1 FROM p`, nominationID),
			[]string{"Digital tvilling"}, nil},
		{"a criterion", exec(`UPDATE criteria SET name_nb = 'Nyskapende' WHERE id = ?`, s.crit[0]), []string{"Nyskapende"}, nil},
		{"another nomination's title, in the next link", exec(`UPDATE nominations SET title = 'Sandnes med ny tittel' WHERE public_id = ?`,
			s.nominees["Sandnes"]), []string{"Sandnes med ny tittel"}, nil},
		{"a new conflict takes the next one away", exec(`INSERT INTO conflicts (juror_id, organisation_id, kind, reason)
			SELECT ?, id, 'other', 'Nabo' FROM organisations WHERE kind = 'municipality' AND name = 'Sandnes' AND valid_to IS NULL`, s.jurors["jury-1"]),
			[]string{`id="to-score-none"`}, []string{"Sandnes med ny tittel"}},
		{"the chair removed", exec(`UPDATE jurors SET removed_at = now() WHERE id = ?`, s.jurors["jury-chair"]),
			nil, []string{"Chefens nye merknad"}},
		{"the reader's submission reopened", exec(`DELETE FROM score_submissions WHERE juror_id = ?`, s.jurors["jury-1"]),
			[]string{`id="scoring-form"`}, []string{`id="jury-work"`}},
		{"the scoring deadline moved", exec(`UPDATE cycles SET scoring_deadline = now() + interval '2 seconds' WHERE public_id = ?`, s.cycle),
			[]string{`id="scoring-form"`}, nil},
		{"the deadline passes by the database's clock, nothing written", func() { time.Sleep(2500 * time.Millisecond) },
			[]string{`id="read-only"`}, []string{`id="scoring-form"`}},
		{"the phase", exec(`UPDATE cycles SET phase = 'decided', scoring_deadline = now() + interval '1 day' WHERE public_id = ?`, s.cycle),
			[]string{`id="read-only"`}, nil},
	}
	for _, st := range steps {
		read()
		before := read() // kept now
		st.change()
		after := read()
		for _, w := range st.want {
			if !strings.Contains(after, w) {
				t.Errorf("%s: %q missing on the next read (it was there before: %v)", st.name, w, strings.Contains(before, w))
			}
		}
		for _, g := range st.gone {
			if strings.Contains(after, g) {
				t.Errorf("%s: %q still shown on the next read", st.name, g)
			}
		}
	}
	// The reader's rights change on the next request too: a conflict with
	// the nominee, a declaration taken back, a seat removed.
	conflict := exec(`INSERT INTO conflicts (juror_id, organisation_id, kind, reason)
		SELECT ?, organisation_id, 'other', 'Nabo' FROM nomination_organisations WHERE nomination_id = ?`, s.jurors["jury-1"], nominationID)
	for _, st := range []struct {
		name   string
		change func()
		status int
	}{
		{"a conflict with the nominee", conflict, http.StatusNotFound},
		{"the conflict withdrawn", exec(`DELETE FROM conflicts WHERE juror_id = ?`, s.jurors["jury-1"]), http.StatusOK},
		{"the declaration taken back", exec(`UPDATE jurors SET declared_at = NULL WHERE id = ?`, s.jurors["jury-1"]), http.StatusSeeOther},
		{"declared again", exec(`UPDATE jurors SET declared_at = now() WHERE id = ?`, s.jurors["jury-1"]), http.StatusOK},
		{"the seat removed", exec(`UPDATE jurors SET removed_at = now() WHERE id = ?`, s.jurors["jury-1"]), http.StatusNotFound},
	} {
		s.a.Do(t, s.clients["jury-1"], http.MethodGet, screen, "")
		st.change()
		if status, _ := s.a.Do(t, s.clients["jury-1"], http.MethodGet, screen, ""); status != st.status {
			t.Errorf("%s: the next read answered %d, want %d", st.name, status, st.status)
		}
	}
}
