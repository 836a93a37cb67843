package ui

import (
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/deciding"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/scorestats"
)

// TestAdvanceInput: the nominations ticked, with their reasons, in a
// stable order; an unreadable deadline is a field error.
func TestAdvanceInput(t *testing.T) {
	t.Parallel()
	form := url.Values{"advance-b": {"true"}, "advance-a": {"true"}, "advance-c": {""}, "advance_reason-a": {"Best"},
		"advance_reason-c": {"Ikke valgt"}, "next_scoring_deadline": {"2031-05-01T12:00"}}
	in, err := advanceInput(form, 7)
	if err != nil {
		t.Fatal(err)
	}
	want := []deciding.AdvanceItem{{NominationID: "a", Reason: "Best"}, {NominationID: "b"}}
	if d := cmp.Diff(want, in.Nominations); d != "" || in.RoundID != 7 {
		t.Errorf("nominations (-want +got):\n%s", d)
	}
	if at := time.Date(2031, 5, 1, 12, 0, 0, 0, i18n.Oslo()); in.NextDeadline == nil || !in.NextDeadline.Equal(at) {
		t.Errorf("deadline %v, want %v", in.NextDeadline, at)
	}
	form.Set("next_scoring_deadline", "1. mai")
	if _, err := advanceInput(form, 7); awards.ErrorFields(err)[deciding.FieldNextDeadline] != "cycles.error.datetime" {
		t.Errorf("an unreadable deadline: %v", err)
	}
}

// TestAdvanceForm: the form lists the round's nominations in ranking
// order, says when they become the shortlist, shows a refused attempt
// again, and is not there where nothing can be advanced.
func TestAdvanceForm(t *testing.T) {
	t.Parallel()
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	l := b.Localizer("nb")
	deadline := time.Date(2031, 5, 1, 10, 0, 0, 0, time.UTC)
	rounds := []awards.Round{{ID: 1, Position: 1, NameNB: "Grovsortering", Current: true},
		{ID: 2, Position: 2, NameNB: "Kortliste", ScoringDeadline: &deadline}, {ID: 3, Position: 3, NameNB: "Finale"}}
	rk := &deciding.Ranking{Cycle: deciding.Cycle{State: cycles.State{PublicID: "c", Phase: awards.PhaseJudging}},
		Round: rounds[0], Rounds: rounds,
		Nominations: map[int64]deciding.Nomination{10: {PublicID: "n10", Title: "Ti"}, 11: {PublicID: "n11", Title: "Elleve"}},
		Result:      scorestats.Result{Rows: []scorestats.Row{{Nomination: 11, ZRank: 1}, {Nomination: 10}}}}

	f := newAdvanceForm(l, rk, refusal{})
	if f == nil || f.Action != "/jury/c/runder/1/videre" || f.Next != "Runde 2: Kortliste" || f.Shortlist || len(f.Rows) != 2 {
		t.Fatalf("form %+v", f)
	}
	if r := f.Rows[0]; r.Title != "Elleve" || r.Place != "1" || r.Choose.Name != "advance-n11" || r.Choose.Checked ||
		r.Reason.Name != "advance_reason-n11" || r.Reason.Label != "Begrunnelse for «Elleve»" || f.Rows[1].Place != "" {
		t.Errorf("first row %+v", r)
	}
	if f.Deadline.Value != "2031-05-01T12:00" || f.Group.ID != "advancing-nominations" {
		t.Errorf("deadline %q, group %q", f.Deadline.Value, f.Group.ID)
	}

	refused := refusal{values: url.Values{"advance-n10": {"true"}, "advance_reason-n10": {""}},
		errs: map[string]string{"advance_reason-n10": "Skriv hvorfor."}}
	f = newAdvanceForm(l, rk, refused)
	if r := f.Rows[1]; !r.Choose.Checked || r.Reason.Error != "Skriv hvorfor." || len(f.errors) != 1 ||
		f.errors[0].ID != "advancing-advance_reason-n10" || f.Deadline.Value != "" {
		t.Errorf("refused form: row %+v, errors %+v", r, f.errors)
	}

	// Out of round 2 the nominations become the finalists.
	rk.Round = awards.Round{ID: 2, Position: 2, Current: true}
	if f := newAdvanceForm(l, rk, refusal{}); f == nil || !f.Shortlist || f.Next != "Runde 3: Finale" {
		t.Errorf("round 2's form %+v", f)
	}
	for name, change := range map[string]func(*deciding.Ranking){
		"the final round":     func(r *deciding.Ranking) { r.Round = awards.Round{ID: 3, Position: 3, Current: true} },
		"a closed round":      func(r *deciding.Ranking) { r.Round = awards.Round{ID: 1, Position: 1} },
		"a cycle not judging": func(r *deciding.Ranking) { r.Cycle.Phase = awards.PhaseDecided },
	} {
		x := *rk
		change(&x)
		if f := newAdvanceForm(l, &x, refusal{}); f != nil {
			t.Errorf("%s has a form", name)
		}
	}
}
