package scoring_test

import (
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/scoring"
)

// TestListAndScreen checks a juror's list with progress, the home page's
// counts and what the scoring screen shows of a nomination.
func TestListAndScreen(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.judging()
	juror := e.person("jon", false)
	jid := e.seat(juror, c, false, true)
	a := e.nomination(c, "Asker", "submitted", 2)
	b := e.nomination(c, "Bærum", "submitted", 1)
	s := e.nomination(c, "Sandnes", "submitted", 0)
	tr := e.nomination(c, "Træna", "submitted", 1)
	e.exec(`INSERT INTO conflicts (juror_id, organisation_id, kind) VALUES (?, ?, 'employed')`, jid, e.orgs["Træna"])
	e.nomination(c, "Træna", "draft", 1)
	e.exec(`INSERT INTO nomination_organisations (nomination_id, organisation_id) VALUES (?, ?)`, e.nominationID(a), e.orgs["Bærum"])
	e.exec(`INSERT INTO attachments (project_id, filename, content_type, size, sha256, storage_key, alt_text)
		SELECT np.project_id, 'holmen.png', 'image/png', 10, 'abc', 'k1', 'Svømmehallen' FROM nomination_projects np WHERE np.nomination_id = ? AND np.position = 0`,
		e.nominationID(a))

	_, err := e.s.Save(e.ctx, juror, c.publicID, b, []scoring.Cell{cell(c.crit[0], v(3), "")})
	wantCode(t, "save", err, "")
	_, err = e.s.Submit(e.ctx, juror, c.publicID, s, full(c, 2, 2))
	wantCode(t, "submit", err, "")

	l, err := e.s.Mine(e.ctx, juror, c.publicID)
	wantCode(t, "list", err, "")
	type row struct {
		ID     string
		Status scoring.Status
	}
	var got []row
	for _, it := range l.Items {
		got = append(got, row{it.PublicID, it.Status})
	}
	want := []row{{a, scoring.NotStarted}, {b, scoring.Draft}, {s, scoring.Submitted}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("list (-want +got):\n%s", diff)
	}
	if l.Done != 1 || l.Items[0].Nominees != "Asker, Bærum" || l.Cycle.Deadline == nil || !l.Cycle.Open {
		t.Errorf("list: done %d, nominees %q, cycle %+v", l.Done, l.Items[0].Nominees, l.Cycle)
	}
	seats, err := e.s.Seats(e.ctx, juror)
	wantCode(t, "seats", err, "")
	if len(seats) != 1 || seats[0].Done != 1 || seats[0].Total != 3 || !seats[0].Declared || seats[0].CyclePublicID != c.publicID {
		t.Errorf("seats %+v", seats)
	}

	scr, err := e.s.Screen(e.ctx, juror, c.publicID, a)
	wantCode(t, "screen", err, "")
	n := scr.Nomination
	if n.Summary != "Helhetlig innovasjon." || n.Challenge != awards.ChallengeRenewal || len(n.Nominees) != 2 || len(n.Projects) != 2 {
		t.Fatalf("nomination %+v", n)
	}
	p := n.Projects[0]
	if len(p.Measures) != 1 || p.Measures[0].Value != 783 || len(p.Attachments) != 1 || p.Attachments[0].AltText != "Svømmehallen" {
		t.Errorf("project %+v", p)
	}
	if scr.Prev != "" || scr.Next != b || !scr.Scoring || !scr.CanSave || scr.SeeWork || len(scr.Criteria) != 2 ||
		scr.Criteria[0].Help("nb") != "Er det nytt?" {
		t.Errorf("screen: prev %q next %q scoring %v save %v work %v criteria %+v", scr.Prev, scr.Next, scr.Scoring, scr.CanSave, scr.SeeWork, scr.Criteria)
	}
	scr, _ = e.s.Screen(e.ctx, juror, c.publicID, s)
	if scr.Prev != b || scr.Next != "" || scr.CanSave || !scr.SeeWork {
		t.Errorf("last: prev %q next %q save %v work %v", scr.Prev, scr.Next, scr.CanSave, scr.SeeWork)
	}
	_, err = e.s.Screen(e.ctx, juror, c.publicID, tr)
	wantCode(t, "conflicted screen", err, awards.ENotFound)

	undeclared := e.person("ny", false)
	e.seat(undeclared, c, false, false)
	_, err = e.s.Mine(e.ctx, undeclared, c.publicID)
	wantIs(t, "undeclared list", err, scoring.ErrNotDeclared)
	seats, _ = e.s.Seats(e.ctx, undeclared)
	if len(seats) != 1 || seats[0].Declared || seats[0].Total != 0 {
		t.Errorf("undeclared seats %+v", seats)
	}
	_, err = e.s.Mine(e.ctx, e.person("outsider", false), c.publicID)
	wantCode(t, "outsider's list", err, awards.ENotFound)
	_, err = e.s.Mine(e.ctx, juror, "nosuch")
	wantCode(t, "no such cycle", err, awards.ENotFound)
}

// TestProgress checks the progress board's cells and who sees it.
func TestProgress(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.judging()
	chair := e.person("anne", false)
	cj := e.seat(chair, c, true, true)
	juror := e.person("bjørn", false, "Træna")
	e.seat(juror, c, false, true)
	late := e.person("cecilie", false)
	e.seat(late, c, false, false)
	admin := e.person("admin", true)
	a := e.nomination(c, "Asker", "submitted", 1)
	b := e.nomination(c, "Bærum", "submitted", 1)
	tr := e.nomination(c, "Træna", "submitted", 1)
	e.exec(`INSERT INTO conflicts (juror_id, organisation_id, kind, reason) VALUES (?, ?, 'family', 'Søsteren min er rådmann')`, cj, e.orgs["Bærum"])
	_, err := e.s.Submit(e.ctx, juror, c.publicID, a, full(c, 3, 3))
	wantCode(t, "submit", err, "")
	_, err = e.s.Save(e.ctx, chair, c.publicID, a, []scoring.Cell{cell(c.crit[0], v(3), "")})
	wantCode(t, "save", err, "")

	board, err := e.s.Progress(e.ctx, admin, c.publicID)
	wantCode(t, "admin's board", err, "")
	var jurors []string
	for _, j := range board.Jurors {
		jurors = append(jurors, j.Name)
	}
	if diff := cmp.Diff([]string{"anne", "bjørn", "cecilie"}, jurors); diff != "" {
		t.Fatalf("jurors (-want +got):\n%s", diff)
	}
	cells := map[string][]scoring.CellState{}
	for _, r := range board.Rows {
		cells[r.PublicID] = r.Cells
	}
	want := map[string][]scoring.CellState{
		a:  {scoring.CellDraft, scoring.CellDone, scoring.CellNotStarted},
		b:  {scoring.CellConflict, scoring.CellNotStarted, scoring.CellNotStarted},
		tr: {scoring.CellNotStarted, scoring.CellConflict, scoring.CellNotStarted},
	}
	if diff := cmp.Diff(want, cells); diff != "" {
		t.Errorf("cells (-want +got):\n%s", diff)
	}
	if board.Done != 1 || board.Assigned != 7 || board.Jurors[1].Done != 1 || board.Jurors[1].Assigned != 2 || board.Jurors[2].Declared {
		t.Errorf("totals: %d of %d, jurors %+v", board.Done, board.Assigned, board.Jurors)
	}
	// The chair does not see the nomination they must step aside from.
	board, err = e.s.Progress(e.ctx, chair, c.publicID)
	wantCode(t, "chair's board", err, "")
	if len(board.Rows) != 2 || board.Rows[0].PublicID != a || board.Rows[1].PublicID != tr {
		t.Errorf("chair's rows %+v", board.Rows)
	}
	_, err = e.s.Progress(e.ctx, juror, c.publicID)
	wantCode(t, "juror's board", err, awards.ENotFound)
	e.exec(`UPDATE jurors SET declared_at = NULL WHERE id = ?`, cj)
	_, err = e.s.Progress(e.ctx, e.reload(chair), c.publicID)
	wantIs(t, "undeclared chair's board", err, scoring.ErrNotDeclared)
}

// TestSaveSubmitRace runs saves and a submission of the same juror at
// once: whatever the order, a submission never holds a cell cleared after
// it, and every save after it is refused.
func TestSaveSubmitRace(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.judging()
	juror := e.person("jon", false)
	e.seat(juror, c, false, true)
	for range 5 {
		nom := e.nomination(c, "Asker", "submitted", 0)
		_, err := e.s.Save(e.ctx, juror, c.publicID, nom, full(c, 3, 4))
		wantCode(t, "save", err, "")
		var wg sync.WaitGroup
		var submitErr error
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, submitErr = e.s.Submit(e.ctx, juror, c.publicID, nom, nil)
		}()
		go func() {
			defer wg.Done()
			for range 5 {
				_, _ = e.s.Save(e.ctx, juror, c.publicID, nom, []scoring.Cell{cell(c.crit[0], nil, "")})
				_, _ = e.s.Save(e.ctx, juror, c.publicID, nom, []scoring.Cell{cell(c.crit[0], v(2), "")})
			}
		}()
		wg.Wait()
		submitted := e.count(`SELECT count(*) FROM score_submissions ss JOIN nominations n ON n.id = ss.nomination_id WHERE n.public_id = ?`, nom)
		values := e.count(`SELECT count(*) FROM scores s JOIN nominations n ON n.id = s.nomination_id WHERE n.public_id = ? AND s.value IS NOT NULL`, nom)
		if submitted == 1 && values != 2 {
			t.Errorf("a submission with %d of 2 values (submit error %v)", values, submitErr)
		}
	}
}

// TestToScore checks the scoring screen's pointer to the next nomination
// the juror has left to submit: after this one in their list, then round
// from the top, past submitted ones (a draft is still left), never one
// they stepped aside from, and none when nothing is left.
func TestToScore(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.judging()
	juror := e.person("jon", false)
	jid := e.seat(juror, c, false, true)
	a := e.nomination(c, "Asker", "submitted", 1)
	b := e.nomination(c, "Bærum", "submitted", 1)
	s := e.nomination(c, "Sandnes", "submitted", 1)
	e.nomination(c, "Træna", "submitted", 1)
	e.exec(`INSERT INTO conflicts (juror_id, organisation_id, kind) VALUES (?, ?, 'employed')`, jid, e.orgs["Træna"])
	toScore := func(nom string) string {
		t.Helper()
		scr, err := e.s.Screen(e.ctx, juror, c.publicID, nom)
		wantCode(t, "screen", err, "")
		if scr.ToScore.PublicID != "" && scr.ToScore.Title == "" {
			t.Errorf("to score from %s: no title", nom)
		}
		return scr.ToScore.PublicID
	}
	want := func(what, got, want string) {
		t.Helper()
		if got != want {
			t.Errorf("%s: to score %q, want %q", what, got, want)
		}
	}
	want("from the first", toScore(a), b)
	want("from the last, round from the top", toScore(s), a)
	_, err := e.s.Submit(e.ctx, juror, c.publicID, b, full(c, 3, 5))
	wantCode(t, "submit", err, "")
	want("past a submitted one", toScore(a), s)
	want("from a submitted one", toScore(b), s)
	_, err = e.s.Save(e.ctx, juror, c.publicID, a, []scoring.Cell{cell(c.crit[0], v(3), "")})
	wantCode(t, "save", err, "")
	want("to a draft", toScore(s), a)
	_, err = e.s.Submit(e.ctx, juror, c.publicID, a, full(c, 3, 5))
	wantCode(t, "submit", err, "")
	want("with only this one left, not the conflicted one", toScore(s), "")
	want("from a submitted one to the last left", toScore(a), s)

	// An admin reads as an observer: nothing to score.
	scr, err := e.s.Screen(e.ctx, e.person("admin", true), c.publicID, a)
	wantCode(t, "admin's screen", err, "")
	want("an admin's", scr.ToScore.PublicID, "")
}
