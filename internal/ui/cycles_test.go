package ui

import (
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/i18n"
)

// TestCycleMessagesExist checks the messages the cycle pages name by
// phase, which TestTemplateMessagesExist cannot see: every phase has its
// name, status and confirmation, and every allowed move its button and
// consequence, in every language.
func TestCycleMessagesExist(t *testing.T) {
	t.Parallel()
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, p := range awards.Phases {
		keys = append(keys, phaseKey(p), "cycles.status."+string(p), "cycles.moved."+string(p))
		for _, kind := range []awards.AwardKind{awards.KindPrize, awards.KindProgramme} {
			for _, q := range p.NextFor(kind) {
				keys = append(keys, moveKey(p, q), "cycles.consequence."+string(p)+"_"+string(q))
			}
		}
	}
	keys = append(keys, "cycles.moved.programme_published")
	for _, k := range awards.OrgKinds {
		keys = append(keys, "orgs.kind."+string(k))
	}
	for _, lang := range i18n.Langs {
		ids := b.IDs(lang)
		for _, k := range keys {
			if _, ok := slices.BinarySearch(ids, k); !ok {
				t.Errorf("%s lacks %q", lang, k)
			}
		}
	}
}

func TestFormParser(t *testing.T) {
	t.Parallel()
	form := url.Values{"weight": {"2,5"}, "step": {" 0.25 "}, "bad": {"to"}, "nan": {"NaN"}, "n": {"7"}, "empty": {""},
		"winter": {"2027-03-01T23:59"}, "summer": {"2027-07-01T12:00:30"}, "blank": {""}, "garbage": {"1. mars"}}
	p := newFormParser(form)
	if got := p.decimal("weight"); got == nil || *got != 2.5 {
		t.Errorf("decimal comma: %v", got)
	}
	if got := p.decimal("step"); got == nil || *got != 0.25 {
		t.Errorf("decimal point: %v", got)
	}
	if got := p.integer("n"); got == nil || *got != 7 {
		t.Errorf("integer: %v", got)
	}
	if got := p.optionalInteger("empty"); got != nil {
		t.Errorf("empty optional integer: %v", *got)
	}
	winter, summer := p.instant("winter"), p.instant("summer")
	if !winter.Set || winter.At.UTC().Format(time.RFC3339) != "2027-03-01T22:59:00Z" {
		t.Errorf("winter time: %+v", winter)
	}
	if !summer.Set || summer.At.UTC().Format(time.RFC3339) != "2027-07-01T10:00:30Z" {
		t.Errorf("summer time: %+v", summer)
	}
	if blank := p.instant("blank"); !blank.Set || blank.At != nil {
		t.Errorf("blank clears: %+v", blank)
	}
	if p.err() != nil {
		t.Fatalf("errors so far: %v", p.err())
	}
	p.decimal("bad")
	p.decimal("nan")
	p.integer("weight")
	if g := p.instant("garbage"); g.Set {
		t.Errorf("garbage instant is set: %+v", g)
	}
	want := map[string]string{"bad": "cycles.error.number", "nan": "cycles.error.number", "weight": "cycles.error.integer",
		"garbage": "cycles.error.datetime"}
	if diff := cmp.Diff(want, awards.ErrorFields(p.err())); diff != "" {
		t.Errorf("field errors (-want +got):\n%s", diff)
	}
	// What a form shows is what it reads back.
	at := time.Date(2027, 3, 1, 22, 59, 0, 0, time.UTC)
	back := newFormParser(url.Values{"t": {datetimeLocal(&at)}}).instant("t")
	if back.At == nil || !back.At.Equal(at) {
		t.Errorf("datetimeLocal round trip: %q → %v", datetimeLocal(&at), back.At)
	}
}

func TestTimeline(t *testing.T) {
	t.Parallel()
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	l := b.Localizer("nb")
	deadline := time.Date(2027, 3, 1, 22, 59, 0, 0, time.UTC)
	c := awards.Cycle{Phase: awards.PhaseClosed, NominationDeadline: &deadline}
	var states []string
	for _, s := range timeline(l, c) {
		states = append(states, s.State)
		if s.Phase == awards.PhaseClosed && (s.Date != &deadline || s.DateLabel != "Frist for nominasjoner") {
			t.Errorf("closed step: %+v", s)
		}
	}
	if diff := cmp.Diff([]string{"done", "done", "current", "upcoming", "upcoming", "upcoming"}, states); diff != "" {
		t.Errorf("states (-want +got):\n%s", diff)
	}
	var got []string
	for _, m := range moves(l, c) {
		got = append(got, m.Label)
		if m.Forward != (m.To == awards.PhaseJudging) {
			t.Errorf("move to %s forward = %v", m.To, m.Forward)
		}
	}
	if diff := cmp.Diff([]string{"Start juryens vurdering", "Åpne utlysningen igjen"}, got); diff != "" {
		t.Errorf("moves (-want +got):\n%s", diff)
	}
	if msg, ok := conflictMessage(l, cycles.ErrCriteriaLocked, c, ""); !ok || msg == "" {
		t.Errorf("locked criteria unexplained")
	}
}
