package scoring_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/scoring"
)

// TestKeptSave: a juror's save after their first of a nomination writes
// with the facts that save kept, in one round trip, through the other
// jurors' saves; and every change to what the save is checked against is
// seen by the next save, which then reads the facts again and refuses or
// saves as they now say.
func TestKeptSave(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.judging()
	juror := e.person("jon", false)
	jid := e.seat(juror, c, false, true)
	other := e.person("kari", false)
	e.seat(other, c, false, true)
	nom := e.nomination(c, "Asker", "submitted", 1)
	nid := e.nominationID(nom)

	const mark = "(kept)"
	// save saves value in the first criterion and says whether the save
	// used the facts kept by the one before.
	save := func(what string, value float64, code string) (kept bool) {
		t.Helper()
		scoring.MarkKept(e.s, juror.User.ID, c.publicID, nom, mark)
		sh, err := e.s.Save(e.ctx, juror, c.publicID, nom, []scoring.Cell{cell(c.crit[0], v(value), "")})
		wantCode(t, what, err, code)
		if code != "" {
			return false
		}
		if got := e.str(`SELECT value::text FROM scores WHERE juror_id = ? AND nomination_id = ? AND criterion_id = ?`, jid, nid, c.crit[0]); got != fmt.Sprintf("%.2f", value) {
			t.Fatalf("%s: stored %s, want %.2f", what, got, value)
		}
		if len(sh.Scores) != 1 || *sh.Scores[0].Value != value || sh.SavedAt == nil || sh.Status != scoring.Draft {
			t.Fatalf("%s: sheet %+v", what, sh)
		}
		return sh.Title == mark
	}

	if save("first save", 3, "") {
		t.Fatal("first save: used kept facts, with none kept")
	}
	if !save("second save", 4, "") {
		t.Fatal("second save: read the facts again, though none changed")
	}
	_, err := e.s.Save(e.ctx, other, c.publicID, nom, []scoring.Cell{cell(c.crit[0], v(2), "")})
	wantCode(t, "another juror's save", err, "")
	if !save("after another juror's save", 5, "") {
		t.Fatal("a save after another juror's read the facts again")
	}
	if n := len(e.auditOf(nom)); n != 3+1 {
		t.Errorf("%d audit entries, want 4", n)
	}

	// Each change to a fact the save is checked against, then its undoing.
	changes := []struct {
		name, change, undo string
		value              float64
		code               string
	}{
		{"conflict", `INSERT INTO conflicts (juror_id, organisation_id, kind) VALUES (?, ?, 'employed')`,
			`DELETE FROM conflicts WHERE juror_id = ? AND organisation_id = ?`, 2, awards.ENotFound},
		{"withdrawn", `UPDATE nominations SET status = 'withdrawn' WHERE id = ?`,
			`UPDATE nominations SET status = 'submitted' WHERE id = ?`, 2, awards.ENotFound},
		{"removed", `UPDATE jurors SET removed_at = now() WHERE id = ?`,
			`UPDATE jurors SET removed_at = NULL WHERE id = ?`, 2, awards.ENotFound},
		{"narrower scale", `UPDATE criteria SET scale_max = 3 WHERE id = ?`,
			`UPDATE criteria SET scale_max = 5 WHERE id = ?`, 5, awards.EInvalid},
		{"closed", `UPDATE cycles SET phase = 'closed' WHERE id = ?`,
			`UPDATE cycles SET phase = 'judging' WHERE id = ?`, 2, awards.EConflict},
	}
	args := map[string][]any{"conflict": {jid, e.orgs["Asker"]}, "withdrawn": {nid}, "removed": {jid},
		"narrower scale": {c.crit[0]}, "closed": {c.id}}
	for _, ch := range changes {
		e.exec(ch.change, args[ch.name]...)
		save(ch.name, ch.value, ch.code)
		e.exec(ch.undo, args[ch.name]...)
		if save("after "+ch.name+" undone", 4, "") {
			t.Fatalf("after %s undone: used facts kept before the change", ch.name)
		}
		if !save("again after "+ch.name+" undone", 3, "") {
			t.Fatalf("again after %s undone: read the facts again, though none changed", ch.name)
		}
	}

	// The clock alone: the deadline passes with nothing written.
	deadline := time.Now().Add(2 * time.Second)
	e.exec(`UPDATE cycles SET scoring_deadline = now() + interval '2 seconds' WHERE id = ?`, c.id)
	save("before the deadline", 4, "")
	if !save("before the deadline, kept", 3, "") {
		t.Fatal("before the deadline: read the facts again, though none changed")
	}
	time.Sleep(time.Until(deadline) + 200*time.Millisecond)
	save("after the deadline", 4, awards.EConflict)
	e.exec(`UPDATE cycles SET scoring_deadline = now() + interval '4 days' WHERE id = ?`, c.id)

	// The juror's own submission.
	_, err = e.s.Submit(e.ctx, juror, c.publicID, nom, full(c, 3, 6))
	wantCode(t, "submit", err, "")
	save("after submitting", 2, awards.EConflict)
}
