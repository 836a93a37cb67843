package assignment_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/assignment"
	"github.com/heder-awards/heder/internal/awards"
)

// jury4 is a jury of four with six nominations. Jon works in Asker, Kari
// in Bergen and Per in Træna (each a conflict by membership with their
// own municipality's nomination); Ola has no organisation but declared
// that he works for Voss.
func jury4(t *testing.T) *world {
	t.Helper()
	w := newWorld(t)
	w.juror("Jon", "Asker")
	w.juror("Kari", "Bergen")
	w.juror("Ola", "")
	w.juror("Per", "Træna")
	w.nomination("Velferdslab", "Asker")
	w.nomination("Byfornying", "Bergen")
	w.nomination("Kulturløft", "Træna")
	w.nomination("Skyss", "Voss")
	w.nomination("Havn", "Bodø")
	w.nomination("Elvepark", "Drammen")
	w.conflict("Ola", "Voss", "Jobber i Voss kommune")
	return w
}

// conflicted are jury4's conflicts, as juror/title.
var conflicted = map[string]bool{"Jon/Velferdslab": true, "Kari/Byfornying": true, "Per/Kulturløft": true, "Ola/Skyss": true}

// assignedCells returns the matrix's assigned cells as juror/title, and
// checks every row's juror count.
func assignedCells(t *testing.T, m assignment.Matrix) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, n := range m.Nominations {
		count := 0
		for j, c := range n.Cells {
			if c.State == assignment.CellAssigned {
				out[m.Jurors[j].Name+"/"+n.Title] = true
				count++
			}
		}
		if count != n.Jurors {
			t.Errorf("%s: %d assigned cells, but Jurors = %d", n.Title, count, n.Jurors)
		}
	}
	return out
}

// checkAuto checks an automatic assignment: k jurors per nomination, no
// conflicted cell, loads within one of each other, and the matrix equal
// to what jurors see (juror_nominations).
func checkAuto(t *testing.T, w *world, k int) assignment.Matrix {
	t.Helper()
	m := w.matrix()
	cells := assignedCells(t, m)
	if diff := cmp.Diff(w.works(), cells); diff != "" {
		t.Errorf("matrix differs from juror_nominations (-view +matrix):\n%s", diff)
	}
	for _, n := range m.Nominations {
		if n.Jurors != k {
			t.Errorf("%s has %d jurors, want %d", n.Title, n.Jurors, k)
		}
	}
	// The automatic rows never name a conflicted cell.
	if n := w.count(`SELECT count(*) FROM assignments a JOIN jurors j ON j.id = a.juror_id
		WHERE j.cycle_id = ? AND NOT a.manual AND a.assigned
		AND EXISTS (SELECT 1 FROM juror_conflicts jc WHERE jc.juror_id = a.juror_id AND jc.nomination_id = a.nomination_id)`, w.cycle); n != 0 {
		t.Errorf("%d automatic cells are conflicted", n)
	}
	if m.MaxLoad-m.MinLoad > 1 {
		t.Errorf("loads %d–%d", m.MinLoad, m.MaxLoad)
	}
	return m
}

func TestModeAll(t *testing.T) {
	t.Parallel()
	w := jury4(t)
	m := w.matrix()
	if m.Settings != (assignment.Settings{Mode: assignment.ModeAll, K: 3}) || !m.Editable {
		t.Fatalf("settings %+v, editable %v", m.Settings, m.Editable)
	}
	want := map[string]bool{}
	for _, u := range []string{"Jon", "Kari", "Ola", "Per"} {
		for _, n := range []string{"Velferdslab", "Byfornying", "Kulturløft", "Skyss", "Havn", "Elvepark"} {
			if !conflicted[u+"/"+n] {
				want[u+"/"+n] = true
			}
		}
	}
	if diff := cmp.Diff(want, assignedCells(t, m)); diff != "" {
		t.Errorf("assigned cells (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, w.works()); diff != "" {
		t.Errorf("juror_nominations (-want +got):\n%s", diff)
	}
	if m.Assigned != 20 || m.MinLoad != 5 || m.MaxLoad != 5 || m.Short != 0 {
		t.Errorf("assigned %d, loads %d–%d, short %d", m.Assigned, m.MinLoad, m.MaxLoad, m.Short)
	}
	// Admins see the kind and the reason; membership has no reason.
	if diff := cmp.Diff(assignment.Cell{State: assignment.CellConflict, Conflicts: []assignment.Conflict{{Kind: "employed", Reason: "Jobber i Voss kommune"}}},
		cell(t, m, "Ola", "Skyss")); diff != "" {
		t.Errorf("declared conflict (-want +got):\n%s", diff)
	}
	if c := cell(t, m, "Jon", "Velferdslab"); c.State != assignment.CellConflict || c.Conflicts[0].Kind != "member" {
		t.Errorf("membership conflict: %+v", c)
	}
	if u := m.Jurors[0]; u.Name != "Jon" || u.County != "Viken" || !u.Declared {
		t.Errorf("first juror %+v", u)
	}
	if m.Jurors[2].County != "" {
		t.Errorf("Ola's county %q, want none", m.Jurors[2].County)
	}

	// Nothing to assign in this mode.
	before := w.snapshot()
	_, err := w.s.Auto(w.ctx, w.admin(), w.public)
	wantCode(t, err, awards.EConflict)
	if !errors.Is(err, assignment.ErrModeAll) {
		t.Errorf("auto in mode all: %v", err)
	}
	_, err = w.s.SetCell(w.ctx, w.admin(), w.public, w.jurors["Jon"], w.pub["Havn"], assignment.ChoiceExcluded)
	if !errors.Is(err, assignment.ErrModeAll) {
		t.Errorf("set cell in mode all: %v", err)
	}
	if w.snapshot() != before || len(w.audits("assign_auto"))+len(w.audits("assign_cells")) != 0 {
		t.Error("a refused change changed something")
	}
}

func TestAutoRespectsConflictsAndK(t *testing.T) {
	t.Parallel()
	w := jury4(t)
	for _, tt := range []struct {
		k, assigned, min, max int
	}{{2, 12, 3, 3}, {3, 18, 4, 5}, {1, 6, 1, 2}} {
		run := w.auto(tt.k, false)
		if run.Assigned != tt.assigned || run.MinLoad != tt.min || run.MaxLoad != tt.max || run.Nominations != 6 || run.Jurors != 4 {
			t.Errorf("k=%d: run %+v", tt.k, run)
		}
		m := checkAuto(t, w, tt.k)
		if m.Settings != (assignment.Settings{Mode: assignment.ModeAuto, K: tt.k}) || m.Assigned != tt.assigned {
			t.Errorf("k=%d: settings %+v, assigned %d", tt.k, m.Settings, m.Assigned)
		}
	}
	// Each run is audited with its summary, and the settings' changes.
	runs := w.audits("assign_auto")
	if len(runs) != 3 {
		t.Fatalf("%d assign_auto entries, want 3", len(runs))
	}
	var after struct {
		Assigned int                 `json:"assigned"`
		MinLoad  int                 `json:"min_load"`
		Settings assignment.Settings `json:"settings"`
	}
	if err := json.Unmarshal(runs[1].After, &after); err != nil {
		t.Fatal(err)
	}
	var before struct {
		Assigned int `json:"assigned"`
		MinLoad  int `json:"min_load"`
	}
	if err := json.Unmarshal(runs[1].Before, &before); err != nil {
		t.Fatal(err)
	}
	if after.Assigned != 18 || after.MinLoad != 4 || after.Settings.K != 3 || before.Assigned != 12 || before.MinLoad != 3 {
		t.Errorf("audit of the second run: before %s after %s", runs[1].Before, runs[1].After)
	}
	if runs[1].ActorID != w.users["admin"] {
		t.Errorf("audit actor %d", runs[1].ActorID)
	}
	if n := len(w.audits("assignment_settings")); n != 3 {
		t.Errorf("%d assignment_settings entries, want 3 (all→auto k=2, k=3, k=1)", n)
	}
}

func TestRerunKeepsManualCells(t *testing.T) {
	t.Parallel()
	w := jury4(t)
	w.auto(2, false)
	m := w.matrix()
	// Pick an open cell to assign and an assigned one to exclude, on
	// nominations without conflicts.
	var open, taken string
	for _, n := range m.Nominations {
		if n.Title != "Havn" {
			continue
		}
		for j, c := range n.Cells {
			switch {
			case c.State == assignment.CellOpen && open == "":
				open = m.Jurors[j].Name
			case c.State == assignment.CellAssigned && taken == "":
				taken = m.Jurors[j].Name
			}
		}
	}
	w.set(open, "Havn", assignment.ChoiceAssigned)
	w.set(taken, "Havn", assignment.ChoiceExcluded)
	m = w.matrix()
	if c := cell(t, m, open, "Havn"); c.State != assignment.CellAssigned || !c.Manual {
		t.Fatalf("manual assignment: %+v", c)
	}
	if c := cell(t, m, taken, "Havn"); c.State != assignment.CellExcluded || !c.Manual {
		t.Fatalf("manual exclusion: %+v", c)
	}

	for i := range 2 {
		run, err := w.s.Auto(w.ctx, w.admin(), w.public)
		if err != nil {
			t.Fatal(err)
		}
		if run.Manual != 1 || run.Excluded != 1 {
			t.Errorf("run %d: manual %d, excluded %d", i, run.Manual, run.Excluded)
		}
		m = checkAuto(t, w, 2)
		if c := cell(t, m, open, "Havn"); c.State != assignment.CellAssigned || !c.Manual {
			t.Errorf("run %d: manual assignment lost: %+v", i, c)
		}
		if c := cell(t, m, taken, "Havn"); c.State != assignment.CellExcluded || !c.Manual {
			t.Errorf("run %d: manual exclusion lost: %+v", i, c)
		}
	}
	// A second run with nothing changed changes nothing.
	before := w.snapshot()
	run, err := w.s.Auto(w.ctx, w.admin(), w.public)
	if err != nil {
		t.Fatal(err)
	}
	if run.Added != 0 || run.Removed != 0 || w.snapshot() != before {
		t.Errorf("an idle re-run changed cells: %+v", run)
	}

	// Back to automatic: the assigned cell stays assigned (now the
	// automatic assignment's), the excluded one is open until the next run.
	w.set(open, "Havn", assignment.ChoiceAuto)
	w.set(taken, "Havn", assignment.ChoiceAuto)
	m = w.matrix()
	if c := cell(t, m, open, "Havn"); c.State != assignment.CellAssigned || c.Manual {
		t.Errorf("cleared assignment: %+v", c)
	}
	if c := cell(t, m, taken, "Havn"); c.State != assignment.CellOpen || c.Manual {
		t.Errorf("cleared exclusion: %+v", c)
	}
	// Each change is audited with the cells it changed.
	entries := w.audits("assign_cells")
	if len(entries) != 4 {
		t.Fatalf("%d assign_cells entries, want 4", len(entries))
	}
	var last struct{ Cells []assignment.Changed }
	if err := json.Unmarshal(entries[3].After, &last); err != nil {
		t.Fatal(err)
	}
	want := []assignment.Changed{{JurorID: w.jurors[taken], Nomination: w.pub["Havn"], From: "excluded", To: "auto"}}
	if diff := cmp.Diff(want, last.Cells); diff != "" {
		t.Errorf("audit (-want +got):\n%s", diff)
	}
	// Setting a cell to what it is changes nothing and is not audited.
	changed, err := w.s.SetCell(w.ctx, w.admin(), w.public, w.jurors[taken], w.pub["Havn"], assignment.ChoiceAuto)
	if err != nil || len(changed) != 0 || len(w.audits("assign_cells")) != 4 {
		t.Errorf("idle change: %v %v", changed, err)
	}
}

func TestStartedCellsStay(t *testing.T) {
	t.Parallel()
	w := jury4(t)
	w.auto(2, false)
	// Jon has begun scoring all his nominations.
	var assigned []int64
	if err := w.db.NewRaw(`SELECT nomination_id FROM assignments WHERE juror_id = ?`, w.jurors["Jon"]).Scan(w.ctx, &assigned); err != nil {
		t.Fatal(err)
	}
	for _, n := range assigned {
		w.SubmitScores(w.jurors["Jon"], n)
	}
	jons := w.count(`SELECT count(*) FROM assignments WHERE juror_id = ?`, w.jurors["Jon"])
	// A fifth juror joins: balance alone would move some of Jon's cells.
	w.juror("Siv", "")
	run, err := w.s.Auto(w.ctx, w.admin(), w.public)
	if err != nil {
		t.Fatal(err)
	}
	if run.Started != jons {
		t.Errorf("started %d, want %d", run.Started, jons)
	}
	checkAuto(t, w, 2)
	if n := w.count(`SELECT count(*) FROM juror_nominations jn JOIN score_submissions s ON s.juror_id = jn.juror_id AND s.nomination_id = jn.nomination_id
		WHERE jn.juror_id = ?`, w.jurors["Jon"]); n != jons {
		t.Errorf("Jon keeps %d of his %d started nominations", n, jons)
	}
	if c := cell(t, w.matrix(), "Jon", "Havn"); c.State == assignment.CellAssigned && !c.Started {
		t.Errorf("Jon's cell not marked as started: %+v", c)
	}
}

func TestInfeasibleChangesNothing(t *testing.T) {
	t.Parallel()
	w := jury4(t)
	w.conflict("Ola", "Bergen", "Bror er rådmann")
	nb, en := localizer(t, "nb"), localizer(t, "en")

	// k = 3 leaves Byfornying with Jon and Per only; the mode stays "all".
	before := w.snapshot()
	k := 3
	_, err := w.s.AutoWith(w.ctx, w.admin(), w.public, &k, nil)
	inf := asInfeasible(t, err)
	if w.snapshot() != before || len(w.audits("assign_auto"))+len(w.audits("assignment_settings")) != 0 {
		t.Fatal("a refused run changed something")
	}
	if got, want := inf.Reasons(en.T), []string{"Byfornying (Bergen): only 2 of 4 jurors can be assigned (Kari and Ola must step aside)"}; !cmp.Equal(got, want) {
		t.Errorf("en reasons %q, want %q", got, want)
	}
	if got, want := inf.Reasons(nb.T), []string{"Byfornying (Bergen): bare 2 av 4 jurymedlemmer kan tildeles (inhabilitet hos Kari og Ola)"}; !cmp.Equal(got, want) {
		t.Errorf("nb reasons %q, want %q", got, want)
	}
	if msg := awards.ErrorMessage(err); !strings.Contains(msg, "Byfornying (Bergen): only 2 of 4") {
		t.Errorf("message %q", msg)
	}
	if inf.Nominations[0].Nomination != w.pub["Byfornying"] {
		t.Errorf("issue names %q", inf.Nominations[0].Nomination)
	}

	// With k = 2 it works; then a manual exclusion and k = 3 block two
	// nominations, listed in the matrix's order.
	w.auto(2, false)
	w.set("Per", "Byfornying", assignment.ChoiceExcluded)
	w.set("Jon", "Havn", assignment.ChoiceExcluded)
	w.set("Kari", "Havn", assignment.ChoiceExcluded)
	before = w.snapshot()
	_, err = w.s.AutoWith(w.ctx, w.admin(), w.public, &k, nil)
	inf = asInfeasible(t, err)
	want := []string{
		"Byfornying (Bergen): bare 1 av 4 jurymedlemmer kan tildeles (inhabilitet hos Kari og Ola; manuelt unntak for Per)",
		"Havn (Bodø): bare 2 av 4 jurymedlemmer kan tildeles (manuelt unntak for Jon og Kari)",
	}
	if diff := cmp.Diff(want, inf.Reasons(nb.T)); diff != "" {
		t.Errorf("reasons (-want +got):\n%s", diff)
	}
	if w.snapshot() != before || len(w.audits("assign_auto")) != 1 {
		t.Error("a refused run changed something")
	}

	// More jurors per nomination than the jury has.
	k = 5
	_, err = w.s.AutoWith(w.ctx, w.admin(), w.public, &k, nil)
	inf = asInfeasible(t, err)
	if got := inf.Reasons(en.T); !cmp.Equal(got, []string{"Every nomination needs 5 jurors, but the jury has only 4."}) {
		t.Errorf("too few jurors: %q", got)
	}
	if w.snapshot() != before {
		t.Error("a refused run changed something")
	}
}

func TestSetCellRefusesConflicts(t *testing.T) {
	t.Parallel()
	w := jury4(t)
	w.auto(2, false)
	nb := localizer(t, "nb")
	before := w.snapshot()
	for _, tt := range []struct {
		juror, title, want string
		member             bool
	}{
		{"Ola", "Skyss", "Ola har meldt seg inhabil for Skyss (Voss)", false},
		{"Jon", "Velferdslab", "Jon er inhabil for Velferdslab (Asker) som medlem av en nominert organisasjon", true},
	} {
		// The conflicted cell comes second: the first is not saved either.
		_, err := w.s.SetCells(w.ctx, w.admin(), w.public, []assignment.CellChange{
			{JurorID: w.jurors["Per"], Nomination: w.pub["Havn"], State: assignment.ChoiceExcluded},
			{JurorID: w.jurors[tt.juror], Nomination: w.pub[tt.title], State: assignment.ChoiceAssigned}})
		wantCode(t, err, awards.EConflict)
		var cc *assignment.CellConflictError
		if !errors.As(err, &cc) {
			t.Fatalf("%s/%s: %v", tt.juror, tt.title, err)
		}
		if got := cc.Explain(nb.T); got != tt.want || cc.Index != 1 || cc.Member != tt.member {
			t.Errorf("%s/%s: %q (index %d)", tt.juror, tt.title, got, cc.Index)
		}
	}
	if w.snapshot() != before || len(w.audits("assign_cells")) != 0 {
		t.Error("a refused change changed something")
	}
	// Excluding a conflicted juror is harmless and allowed.
	w.set("Ola", "Skyss", assignment.ChoiceExcluded)
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	w := jury4(t)
	w.nomination("Utkast", "Stord")
	w.exec(`UPDATE nominations SET status = 'draft' WHERE id = ?`, w.noms["Utkast"])
	gone := w.juror("Borte", "")
	w.exec(`UPDATE jurors SET removed_at = now() WHERE id = ?`, gone)
	if _, err := w.s.SetMode(w.ctx, w.admin(), w.public, assignment.Settings{Mode: assignment.ModeAuto, K: 2}); err != nil {
		t.Fatal(err)
	}
	before := w.snapshot()
	admin := w.admin()
	jon, havn := w.jurors["Jon"], w.pub["Havn"]

	for _, tt := range []struct {
		name  string
		cells []assignment.CellChange
		want  map[string]string
	}{
		{"no cells", nil, map[string]string{"cells": "assignment.error.cells"}},
		{"unknown juror", []assignment.CellChange{{JurorID: 999999, Nomination: havn, State: "assigned"}},
			map[string]string{"cells[0].juror_id": "assignment.error.juror"}},
		{"removed juror", []assignment.CellChange{{JurorID: gone, Nomination: havn, State: "assigned"}},
			map[string]string{"cells[0].juror_id": "assignment.error.juror"}},
		{"unknown nomination", []assignment.CellChange{{JurorID: jon, Nomination: "nope", State: "assigned"}},
			map[string]string{"cells[0].nomination_id": "assignment.error.nomination"}},
		{"draft nomination", []assignment.CellChange{{JurorID: jon, Nomination: w.pub["Utkast"], State: "assigned"}},
			map[string]string{"cells[0].nomination_id": "assignment.error.nomination"}},
		{"invalid state", []assignment.CellChange{{JurorID: jon, Nomination: havn, State: "maybe"}},
			map[string]string{"cells[0].state": "assignment.error.state"}},
		{"twice", []assignment.CellChange{{JurorID: jon, Nomination: havn, State: "assigned"}, {JurorID: jon, Nomination: havn, State: "excluded"}},
			map[string]string{"cells[1]": "assignment.error.duplicate"}},
		{"several at once", []assignment.CellChange{{JurorID: jon, Nomination: havn, State: "assigned"}, {JurorID: 0, Nomination: "", State: ""}},
			map[string]string{"cells[1].juror_id": "assignment.error.juror", "cells[1].nomination_id": "assignment.error.nomination", "cells[1].state": "assignment.error.state"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := w.s.SetCells(w.ctx, admin, w.public, tt.cells)
			wantFields(t, err, tt.want)
		})
	}
	for _, tt := range []struct {
		name string
		in   assignment.Settings
		want map[string]string
	}{
		{"k = 0", assignment.Settings{Mode: assignment.ModeAuto, K: 0}, map[string]string{"k": "assignment.error.k"}},
		{"k = 51", assignment.Settings{Mode: assignment.ModeAuto, K: 51}, map[string]string{"k": "assignment.error.k"}},
		{"no mode", assignment.Settings{Mode: "some", K: 3}, map[string]string{"mode": "assignment.error.mode"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := w.s.SetMode(w.ctx, admin, w.public, tt.in)
			wantFields(t, err, tt.want)
		})
	}
	for _, k := range []int{0, -1, 51} {
		_, err := w.s.AutoWith(w.ctx, admin, w.public, &k, nil)
		wantFields(t, err, map[string]string{"k": "assignment.error.k"})
	}
	if w.snapshot() != before {
		t.Error("bad input changed something")
	}
}

func TestAccess(t *testing.T) {
	t.Parallel()
	w := jury4(t)
	w.juror("Leder", "Asker")
	w.exec(`UPDATE jurors SET chair = true, declared_at = NULL WHERE id = ?`, w.jurors["Leder"])
	w.user("Outsider", false)
	k := 2
	outsider, juror, chair := w.actor("Outsider"), w.actor("Kari"), w.actor("Leder")

	// An undeclared chair sees nothing yet.
	_, err := w.s.Matrix(w.ctx, chair, w.public)
	wantCode(t, err, awards.EForbidden)
	if !errors.Is(err, assignment.ErrNotDeclared) {
		t.Errorf("undeclared chair: %v", err)
	}
	// Once declared, the chair reads the matrix without the nomination of
	// Asker, where the chair works.
	w.exec(`UPDATE jurors SET declared_at = now() WHERE id = ?`, w.jurors["Leder"])
	w.reviewAll("Leder")
	m, err := w.s.Matrix(w.ctx, w.actor("Leder"), w.public)
	if err != nil {
		t.Fatal(err)
	}
	if m.Editable || m.Hidden != 1 || len(m.Nominations) != 5 {
		t.Errorf("chair: editable %v, hidden %d, %d rows", m.Editable, m.Hidden, len(m.Nominations))
	}
	for _, n := range m.Nominations {
		if n.Title == "Velferdslab" {
			t.Error("the chair sees the nomination they are conflicted with")
		}
	}
	// A nomination the chair has not declared about is hidden too.
	w.nomination("Nytt", "Stord")
	if m, _ := w.s.Matrix(w.ctx, w.actor("Leder"), w.public); m.Hidden != 2 {
		t.Errorf("chair: hidden %d, want 2", m.Hidden)
	}

	for _, tt := range []struct {
		name  string
		actor *awards.Actor
		read  string // code of Matrix
		write string // code of the changes
	}{
		{"anonymous", &awards.Actor{}, awards.EUnauthenticated, awards.EUnauthenticated},
		{"outsider", outsider, awards.EForbidden, awards.EForbidden},
		{"juror", juror, awards.EForbidden, awards.EForbidden},
		{"chair", w.actor("Leder"), "", awards.EForbidden},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := w.s.Matrix(w.ctx, tt.actor, w.public)
			if awards.ErrorCode(err) != tt.read {
				t.Errorf("matrix: %v, want %q", err, tt.read)
			}
			_, err = w.s.SetMode(w.ctx, tt.actor, w.public, assignment.Settings{Mode: assignment.ModeAuto, K: 2})
			wantCode(t, err, tt.write)
			_, err = w.s.AutoWith(w.ctx, tt.actor, w.public, &k, nil)
			wantCode(t, err, tt.write)
			_, err = w.s.Auto(w.ctx, tt.actor, w.public)
			wantCode(t, err, tt.write)
			_, err = w.s.SetCell(w.ctx, tt.actor, w.public, w.jurors["Jon"], w.pub["Havn"], assignment.ChoiceExcluded)
			wantCode(t, err, tt.write)
		})
	}
	// Unknown and draft cycles do not exist for those who may not know them.
	_, err = w.s.Matrix(w.ctx, w.admin(), "nope")
	wantCode(t, err, awards.ENotFound)
	w.exec(`UPDATE cycles SET phase = 'draft' WHERE id = ?`, w.cycle)
	_, err = w.s.Matrix(w.ctx, outsider, w.public)
	wantCode(t, err, awards.ENotFound)
	// Published: read-only for everyone.
	w.exec(`UPDATE cycles SET phase = 'published' WHERE id = ?`, w.cycle)
	if m := w.matrix(); m.Editable {
		t.Error("a published cycle's matrix is editable")
	}
	_, err = w.s.AutoWith(w.ctx, w.admin(), w.public, &k, nil)
	if wantCode(t, err, awards.EConflict); !errors.Is(err, assignment.ErrPublished) {
		t.Errorf("published: %v", err)
	}
}

func TestSpreadCounties(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.juror("Anne", "Asker")
	w.juror("Bjørn", "Bærum")
	w.juror("Cecilie", "Bergen")
	w.juror("Dag", "Voss")
	w.nomination("Elvepark", "Drammen")
	w.nomination("Verft", "Stord")
	run := w.auto(2, true)
	if run.OwnCountyPairs != 0 || run.SameCountyPairs != 2 || run.MinLoad != 1 || run.MaxLoad != 1 {
		t.Errorf("run %+v", run)
	}
	m := w.matrix()
	if diff := cmp.Diff(map[string]bool{"Cecilie/Elvepark": true, "Dag/Elvepark": true, "Anne/Verft": true, "Bjørn/Verft": true},
		assignedCells(t, m)); diff != "" {
		t.Errorf("cells (-want +got):\n%s", diff)
	}
	if m.Nominations[0].County != "Viken" || m.Jurors[2].County != "Vestland" {
		t.Errorf("counties: %q, %q", m.Nominations[0].County, m.Jurors[2].County)
	}
}

func TestLateConflictShowsShortRow(t *testing.T) {
	t.Parallel()
	w := jury4(t)
	w.auto(2, false)
	// Someone assigned to Havn declares a conflict with Bodø afterwards.
	var who string
	for c := range w.works() {
		if name, ok := strings.CutSuffix(c, "/Havn"); ok {
			who = name
		}
	}
	w.conflict(who, "Bodø", "Ny jobb")
	m := w.matrix()
	if c := cell(t, m, who, "Havn"); c.State != assignment.CellConflict || m.Short != 1 {
		t.Errorf("late conflict: %+v, short %d", c, m.Short)
	}
	if w.works()[who+"/Havn"] {
		t.Error("the conflicted juror still works on the nomination")
	}
	// The next run fills the gap and keeps the rest.
	run, err := w.s.Auto(w.ctx, w.admin(), w.public)
	if err != nil {
		t.Fatal(err)
	}
	if run.Added < 1 || run.Removed < 1 || run.Kept < 10 {
		t.Errorf("re-run %+v", run)
	}
	checkAuto(t, w, 2)
}
