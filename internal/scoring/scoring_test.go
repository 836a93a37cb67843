package scoring_test

import (
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/scoring"
)

func TestSaveAndRead(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.judging()
	juror := e.person("jon", false)
	e.seat(juror, c, false, true)
	nom := e.nomination(c, "Asker", "submitted", 1)

	sh, err := e.s.Scores(e.ctx, juror, nom)
	wantCode(t, "read before scoring", err, "")
	if sh.Status != scoring.NotStarted || len(sh.Missing) != 2 || sh.Others != nil {
		t.Fatalf("fresh sheet: status %s, missing %v, others %v", sh.Status, sh.Missing, sh.Others)
	}
	sh, err = e.s.Save(e.ctx, juror, "", nom, []scoring.Cell{cell(c.crit[0], v(4), "  Nytt for kommunen.\r\nOg for landet. ")})
	wantCode(t, "save", err, "")
	if sh.Status != scoring.Draft || len(sh.Missing) != 1 || sh.SavedAt == nil {
		t.Fatalf("after one save: status %s, missing %v, saved at %v", sh.Status, sh.Missing, sh.SavedAt)
	}
	got, err := e.s.Scores(e.ctx, juror, nom)
	wantCode(t, "read", err, "")
	sc, ok := got.Score(scoring.Key{CriterionID: c.crit[0]})
	if !ok || *sc.Value != 4 || sc.Comment != "Nytt for kommunen.\nOg for landet." {
		t.Fatalf("stored %+v (%v), want 4 with the cleaned comment", sc, ok)
	}
	// A cell with neither value nor comment goes away; others stay.
	_, err = e.s.Save(e.ctx, juror, c.publicID, nom, []scoring.Cell{cell(c.crit[1], v(7.5), "")})
	wantCode(t, "save second", err, "")
	_, err = e.s.Save(e.ctx, juror, c.publicID, nom, []scoring.Cell{cell(c.crit[0], nil, "")})
	wantCode(t, "clear first", err, "")
	if n := e.count(`SELECT count(*) FROM scores`); n != 1 {
		t.Errorf("%d score rows after clearing one of two, want 1", n)
	}
}

// TestValues checks every rule about one cell, each refused without
// storing anything.
func TestValues(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.judging()
	other := e.judging()
	projectCycle := e.cycle("judging", "now() + interval '4 days'", "project")
	juror := e.person("jon", false)
	e.seat(juror, c, false, true)
	e.seat(juror, projectCycle, false, true)
	nom := e.nomination(c, "Asker", "submitted", 1)
	pnom := e.nomination(projectCycle, "Asker", "submitted", 2)
	ps := e.projects(pnom)
	foreign := e.projects(e.nomination(projectCycle, "Træna", "submitted", 1))[0]
	nytt, nyttig := c.crit[0], c.crit[1]
	long := strings.Repeat("å", scoring.MaxComment+1)

	tests := []struct {
		name  string
		nom   string
		cells []scoring.Cell
		field string // "" when the save must succeed
		key   string
		want  *float64 // the stored value of the first cell on success
	}{
		{"lowest", nom, []scoring.Cell{cell(nytt, v(1), "")}, "", "", v(1)},
		{"highest", nom, []scoring.Cell{cell(nytt, v(5), "")}, "", "", v(5)},
		{"a half step", nom, []scoring.Cell{cell(nyttig, v(7.5), "")}, "", "", v(7.5)},
		{"float noise", nom, []scoring.Cell{cell(nytt, v(2.9999999999), "")}, "", "", v(3)},
		{"float noise on a half step", nom, []scoring.Cell{cell(nyttig, v(0.1+0.2+7.2), "")}, "", "", v(7.5)},
		{"comment only", nom, []scoring.Cell{cell(nytt, nil, "Mangler tall.")}, "", "", nil},
		{"comment at the limit", nom, []scoring.Cell{cell(nytt, v(2), long[:len(long)-2])}, "", "", v(2)},
		{"below the scale", nom, []scoring.Cell{cell(nytt, v(0), "")}, "score-" + itoa(nytt), "scoring.error.scale", nil},
		{"above the scale", nom, []scoring.Cell{cell(nytt, v(5.01), "")}, "score-" + itoa(nytt), "scoring.error.scale", nil},
		{"negative", nom, []scoring.Cell{cell(nyttig, v(-0.5), "")}, "score-" + itoa(nyttig), "scoring.error.scale", nil},
		{"between steps", nom, []scoring.Cell{cell(nytt, v(2.5), "")}, "score-" + itoa(nytt), "scoring.error.step", nil},
		{"between half steps", nom, []scoring.Cell{cell(nyttig, v(7.25), "")}, "score-" + itoa(nyttig), "scoring.error.step", nil},
		{"not a number", nom, []scoring.Cell{cell(nytt, v(math.NaN()), "")}, "score-" + itoa(nytt), "scoring.error.number", nil},
		{"infinite", nom, []scoring.Cell{cell(nytt, v(math.Inf(1)), "")}, "score-" + itoa(nytt), "scoring.error.number", nil},
		{"criterion of another cycle", nom, []scoring.Cell{cell(other.crit[0], v(3), "")}, "score-" + itoa(other.crit[0]), "scoring.error.criterion", nil},
		{"unknown criterion", nom, []scoring.Cell{cell(999999, v(3), "")}, "score-999999", "scoring.error.criterion", nil},
		{"a project at nomination level", nom, []scoring.Cell{{Key: scoring.Key{CriterionID: nytt, ProjectID: "x"}, Value: v(3)}},
			"score-" + itoa(nytt) + "-x", "scoring.error.project_not_allowed", nil},
		{"no project at project level", pnom, []scoring.Cell{cell(projectCycle.crit[0], v(3), "")},
			"score-" + itoa(projectCycle.crit[0]), "scoring.error.project_required", nil},
		{"another nomination's project", pnom, []scoring.Cell{{Key: scoring.Key{CriterionID: projectCycle.crit[0], ProjectID: foreign}, Value: v(3)}},
			"score-" + itoa(projectCycle.crit[0]) + "-" + foreign, "scoring.error.project", nil},
		{"project level", pnom, []scoring.Cell{{Key: scoring.Key{CriterionID: projectCycle.crit[0], ProjectID: ps[1]}, Value: v(2)}}, "", "", v(2)},
		{"the same cell twice", nom, []scoring.Cell{cell(nytt, v(3), ""), cell(nytt, v(4), "")}, "score-" + itoa(nytt), "scoring.error.duplicate", nil},
		{"comment too long", nom, []scoring.Cell{cell(nytt, v(3), long)}, "comment-" + itoa(nytt), "form.error.too_long", nil},
		{"control characters", nom, []scoring.Cell{cell(nytt, v(3), "a\x00b")}, "comment-" + itoa(nytt), "scoring.error.text", nil},
		{"invalid UTF-8", nom, []scoring.Cell{cell(nytt, v(3), "a\xffb")}, "comment-" + itoa(nytt), "scoring.error.text", nil},
		{"nothing", nom, nil, "scores", "scoring.error.none", nil},
		// One bad cell refuses the good one beside it.
		{"one good, one bad", nom, []scoring.Cell{cell(nyttig, v(4), ""), cell(nytt, v(9), "")}, "score-" + itoa(nytt), "scoring.error.scale", nil},
	}
	for _, tt := range tests {
		before := e.count(`SELECT count(*) FROM audit_log`)
		rows := e.str(`SELECT coalesce(string_agg(criterion_id || ':' || coalesce(value::text, '-'), ',' ORDER BY id), '') FROM scores`)
		sh, err := e.s.Save(e.ctx, juror, "", tt.nom, tt.cells)
		if tt.field == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
				continue
			}
			got, _ := sh.Score(tt.cells[0].Key)
			if diff := cmp.Diff(tt.want, got.Value); diff != "" {
				t.Errorf("%s: stored value (-want +got):\n%s", tt.name, diff)
			}
			continue
		}
		if awards.ErrorCode(err) != awards.EInvalid || awards.ErrorFields(err)[tt.field] != tt.key {
			t.Errorf("%s: error %v with fields %v, want %s: %s", tt.name, err, awards.ErrorFields(err), tt.field, tt.key)
		}
		if n := e.count(`SELECT count(*) FROM audit_log`); n != before {
			t.Errorf("%s: refused save wrote %d audit entries", tt.name, n-before)
		}
		if after := e.str(`SELECT coalesce(string_agg(criterion_id || ':' || coalesce(value::text, '-'), ',' ORDER BY id), '') FROM scores`); after != rows {
			t.Errorf("%s: refused save changed the scores from %q to %q", tt.name, rows, after)
		}
	}
}

func itoa(id int64) string { return scoring.Key{CriterionID: id}.Field()[len("score-"):] }
