package cycles_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
)

// TestProgrammeTransitions: a programme's cycle has no judging. It moves
// from draft or open straight to published, without a winners'
// announcement, and that instant is when its cohort becomes public; it
// never reaches closed, judging or decided, and takes no criteria. The
// kind is fixed once the award exists.
func TestProgrammeTransitions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p, err := e.s.CreateAward(ctx, e.admin, cycles.AwardFields{Slug: ptr("kommuneinkubatoren"), NameNB: ptr("Kommuneinkubatoren"),
		Kind: ptr(awards.KindProgramme)})
	if err != nil || p.Kind != awards.KindProgramme {
		t.Fatalf("create programme: %+v %v", p, err)
	}
	if a := e.award(t, "pris"); a.Kind != awards.KindPrize {
		t.Errorf("an award without a kind is %q, want prize", a.Kind)
	}
	_, err = e.s.CreateAward(ctx, e.admin, cycles.AwardFields{Slug: ptr("x"), NameNB: ptr("X"), Kind: ptr(awards.AwardKind("lottery"))})
	wantFields(t, err, awards.EInvalid, map[string]string{"kind": "cycles.error.award_kind"})
	_, err = e.s.UpdateAward(ctx, e.admin, p.Slug, cycles.AwardFields{Kind: ptr(awards.KindPrize)})
	wantFields(t, err, awards.EInvalid, map[string]string{"kind": "cycles.error.award_kind_fixed"})

	year := 2020
	fresh := func(t *testing.T, path ...awards.Phase) awards.Cycle {
		year++
		return e.move(t, e.cycle(t, p.Slug, year, cycles.CycleFields{}), path...)
	}
	tests := []struct {
		path []awards.Phase
		to   awards.Phase
		ok   bool
	}{
		{nil, awards.PhasePublished, true},
		{nil, awards.PhaseOpen, true},
		{nil, awards.PhaseClosed, false},
		{nil, awards.PhaseJudging, false},
		{[]awards.Phase{"open"}, awards.PhasePublished, true},
		{[]awards.Phase{"open"}, awards.PhaseDraft, true},
		{[]awards.Phase{"open"}, awards.PhaseClosed, false},
		{[]awards.Phase{"open"}, awards.PhaseJudging, false},
		{[]awards.Phase{"published"}, awards.PhaseDraft, false},
		{[]awards.Phase{"published"}, awards.PhaseDecided, false},
	}
	for _, tt := range tests {
		c := fresh(t, tt.path...)
		if !c.Programme() {
			t.Fatalf("cycle %+v is not a programme's", c)
		}
		got, err := e.s.Transition(ctx, e.admin, c.PublicID, tt.to)
		var publishedAt *string
		if qerr := e.db.NewRaw(`SELECT published_at::text FROM cycles WHERE id = ?`, c.ID).Scan(ctx, &publishedAt); qerr != nil {
			t.Fatal(qerr)
		}
		if tt.ok {
			if err != nil || got.Phase != tt.to {
				t.Errorf("%s → %s: %v", c.Phase, tt.to, err)
			}
			if (tt.to == awards.PhasePublished) != (publishedAt != nil) {
				t.Errorf("%s → %s: published_at %v", c.Phase, tt.to, publishedAt)
			}
			continue
		}
		if awards.ErrorCode(err) != awards.EConflict || !errors.Is(err, cycles.ErrPhaseMove) ||
			!strings.Contains(awards.ErrorMessage(err), "a programme's cycle in phase "+string(c.Phase)+" cannot move to "+string(tt.to)) {
			t.Errorf("%s → %s: %v, want a conflict that names the programme", c.Phase, tt.to, err)
		}
	}

	// A prize's cycle still needs its whole way and its winners.
	prize := e.cycle(t, "pris", 2030, cycles.CycleFields{})
	if _, err := e.s.Transition(ctx, e.admin, prize.PublicID, awards.PhasePublished); !errors.Is(err, cycles.ErrPhaseMove) {
		t.Errorf("prize draft → published: %v, want ErrPhaseMove", err)
	}

	// No criteria: a programme is not scored.
	c := fresh(t)
	_, err = e.s.CreateCriterion(ctx, e.admin, c.PublicID, cycles.CriterionFields{NameNB: ptr("Nytt")})
	var ae *awards.Error
	if !errors.As(err, &ae) || ae.Code != awards.EConflict || ae.Reason != awards.ReasonProgramme || !strings.Contains(ae.Message, "programme") {
		t.Errorf("criterion on a programme's cycle: %v", err)
	}
}
