package cycles_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/pgtest"
)

func TestAwardValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	long := strings.Repeat("å", 201)
	tests := []struct {
		name   string
		f      cycles.AwardFields
		fields map[string]string
	}{
		{"nothing", cycles.AwardFields{}, map[string]string{"slug": "form.required", "name_nb": "form.required"}},
		{"empty name", cycles.AwardFields{Slug: ptr("pris"), NameNB: ptr("   ")}, map[string]string{"name_nb": "form.required"}},
		{"overlong name", cycles.AwardFields{Slug: ptr("pris"), NameNB: ptr(long)}, map[string]string{"name_nb": "form.error.too_long"}},
		{"overlong nynorsk name", cycles.AwardFields{Slug: ptr("pris"), NameNB: ptr("Pris"), NameNN: ptr(long)}, map[string]string{"name_nn": "form.error.too_long"}},
		{"invalid UTF-8", cycles.AwardFields{Slug: ptr("pris"), NameNB: ptr("Pris \xff")}, map[string]string{"name_nb": "cycles.error.text"}},
		{"NUL", cycles.AwardFields{Slug: ptr("pris"), NameNB: ptr("Pris\x00")}, map[string]string{"name_nb": "cycles.error.text"}},
		{"line break in name", cycles.AwardFields{Slug: ptr("pris"), NameNB: ptr("Pris\nto")}, map[string]string{"name_nb": "cycles.error.text"}},
		{"invalid UTF-8 description", cycles.AwardFields{Slug: ptr("pris"), NameNB: ptr("Pris"), DescriptionEN: ptr("\xc3\x28")}, map[string]string{"description_en": "cycles.error.text"}},
		{"overlong description", cycles.AwardFields{Slug: ptr("pris"), NameNB: ptr("Pris"), DescriptionNB: ptr(strings.Repeat("x", 20001))}, map[string]string{"description_nb": "form.error.too_long"}},
		{"slug with space", cycles.AwardFields{Slug: ptr("kommunal pris"), NameNB: ptr("Pris")}, map[string]string{"slug": "cycles.error.slug"}},
		{"slug upper case", cycles.AwardFields{Slug: ptr("Pris"), NameNB: ptr("Pris")}, map[string]string{"slug": "cycles.error.slug"}},
		{"slug double dash", cycles.AwardFields{Slug: ptr("a--b"), NameNB: ptr("Pris")}, map[string]string{"slug": "cycles.error.slug"}},
		{"slug leading dash", cycles.AwardFields{Slug: ptr("-pris"), NameNB: ptr("Pris")}, map[string]string{"slug": "cycles.error.slug"}},
		{"slug trailing dash", cycles.AwardFields{Slug: ptr("pris-"), NameNB: ptr("Pris")}, map[string]string{"slug": "cycles.error.slug"}},
		{"slug æøå", cycles.AwardFields{Slug: ptr("innovasjonspris-for-kommunar-æøå"), NameNB: ptr("Pris")}, map[string]string{"slug": "cycles.error.slug"}},
		{"slug slash", cycles.AwardFields{Slug: ptr("a/b"), NameNB: ptr("Pris")}, map[string]string{"slug": "cycles.error.slug"}},
		{"overlong slug", cycles.AwardFields{Slug: ptr(strings.Repeat("a", 101)), NameNB: ptr("Pris")}, map[string]string{"slug": "form.error.too_long"}},
		{"negative owner", cycles.AwardFields{Slug: ptr("pris"), NameNB: ptr("Pris"), OwnerID: ptr(int64(-1))}, map[string]string{"owner_id": "cycles.error.owner"}},
		{"unknown owner", cycles.AwardFields{Slug: ptr("pris"), NameNB: ptr("Pris"), OwnerID: ptr(int64(999999))}, map[string]string{"owner_id": "cycles.error.owner"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.s.CreateAward(ctx, e.admin, tt.f)
			wantFields(t, err, awards.EInvalid, tt.fields)
		})
	}
	if n := e.count(t, "awards"); n != 0 {
		t.Errorf("%d awards stored after invalid input", n)
	}
	if n := e.count(t, "audit_log"); n != 0 {
		t.Errorf("%d audit entries after invalid input", n)
	}
}

func TestAwardCreateUpdate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a, err := e.s.CreateAward(ctx, e.admin, cycles.AwardFields{Slug: ptr("kommunal-innovasjonspris"), NameNB: ptr("  Kommunal innovasjonspris "),
		NameNN: ptr("Kommunal innovasjonspris"), DescriptionNB: ptr("Til en kommune.\r\nSom jobber helhetlig."), OwnerID: ptr(e.ministry)})
	if err != nil {
		t.Fatal(err)
	}
	want := awards.Award{ID: a.ID, Slug: "kommunal-innovasjonspris", NameNB: "Kommunal innovasjonspris", NameNN: "Kommunal innovasjonspris",
		DescriptionNB: "Til en kommune.\nSom jobber helhetlig.", OwnerID: e.ministry, OwnerName: "Kommunal- og distriktsdepartementet", Kind: awards.KindPrize}
	if diff := cmp.Diff(want, a); diff != "" {
		t.Errorf("created (-want +got):\n%s", diff)
	}
	if a.Name("en") != "Kommunal innovasjonspris" || a.Name("nn") != "Kommunal innovasjonspris" {
		t.Errorf("Name falls back to bokmål: en %q", a.Name("en"))
	}

	_, err = e.s.CreateAward(ctx, e.admin, cycles.AwardFields{Slug: ptr("kommunal-innovasjonspris"), NameNB: ptr("En annen")})
	wantFields(t, err, awards.EConflict, map[string]string{"slug": "cycles.error.slug_taken"})

	for _, actor := range []*awards.Actor{e.anon, e.asker} {
		if _, err := e.s.CreateAward(ctx, actor, cycles.AwardFields{Slug: ptr("x"), NameNB: ptr("X")}); awards.ErrorCode(err) != awards.EForbidden {
			t.Errorf("create as %q: %v, want forbidden", actor.User.Name, err)
		}
		if _, err := e.s.UpdateAward(ctx, actor, a.Slug, cycles.AwardFields{NameNB: ptr("X")}); awards.ErrorCode(err) != awards.EForbidden {
			t.Errorf("update as %q: %v, want forbidden", actor.User.Name, err)
		}
	}

	up, err := e.s.UpdateAward(ctx, e.admin, a.Slug, cycles.AwardFields{NameEN: ptr("Municipal innovation award"), OwnerID: ptr(int64(0))})
	if err != nil {
		t.Fatal(err)
	}
	if up.NameEN != "Municipal innovation award" || up.NameNB != want.NameNB || up.OwnerID != 0 || up.DescriptionNB != want.DescriptionNB {
		t.Errorf("updated = %+v", up)
	}
	_, err = e.s.UpdateAward(ctx, e.admin, a.Slug, cycles.AwardFields{Slug: ptr("ny"), NameNB: ptr("")})
	wantFields(t, err, awards.EInvalid, map[string]string{"slug": "cycles.error.slug_fixed", "name_nb": "form.required"})
	if _, err := e.s.UpdateAward(ctx, e.admin, "finnes-ikke", cycles.AwardFields{}); awards.ErrorCode(err) != awards.ENotFound {
		t.Errorf("update unknown: %v", err)
	}
	entries, err := audit.List(ctx, e.db, "award", a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].Action != "create" || entries[1].Action != "update" || entries[1].ActorID != e.admin.User.ID {
		t.Errorf("audit = %+v", entries)
	}
	list, err := e.s.Awards(ctx)
	if err != nil || len(list) != 1 || list[0].Slug != a.Slug {
		t.Errorf("Awards = %+v, %v", list, err)
	}
}

func TestCycleDefaultsAndValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a := e.award(t, "pris")
	c := e.cycle(t, a.Slug, 2027, cycles.CycleFields{})
	if c.Phase != awards.PhaseDraft || c.MaxNominationsPerOrg != 1 || c.MaxProjects != 3 || c.PublishAll ||
		!cmp.Equal(c.EligibleKinds, []awards.OrgKind{awards.KindMunicipality}) || c.PublicID == "" || c.AwardSlug != "pris" {
		t.Errorf("defaults: %+v", c)
	}

	tests := []struct {
		name   string
		f      cycles.CycleFields
		fields map[string]string
	}{
		{"no year, no title", cycles.CycleFields{Title: ptr("")}, map[string]string{"year": "form.required", "title": "form.required"}},
		{"year too early", cycles.CycleFields{Year: ptr(1999), Title: ptr("X")}, map[string]string{"year": "cycles.error.year"}},
		{"year too late", cycles.CycleFields{Year: ptr(2201), Title: ptr("X")}, map[string]string{"year": "cycles.error.year"}},
		{"overlong title", cycles.CycleFields{Year: ptr(2030), Title: ptr(strings.Repeat("x", 301))}, map[string]string{"title": "form.error.too_long"}},
		{"invalid UTF-8 call text", cycles.CycleFields{Year: ptr(2030), Title: ptr("X"), CallText: ptr("ok \xff")}, map[string]string{"call_text": "cycles.error.text"}},
		{"control character", cycles.CycleFields{Year: ptr(2030), Title: ptr("X"), Description: ptr("bell\a")}, map[string]string{"description": "cycles.error.text"}},
		{"no kinds", cycles.CycleFields{Year: ptr(2030), Title: ptr("X"), EligibleKinds: []awards.OrgKind{}}, map[string]string{"eligible_kinds": "cycles.error.kinds"}},
		{"unknown kind", cycles.CycleFields{Year: ptr(2030), Title: ptr("X"), EligibleKinds: []awards.OrgKind{"municipality", "village"}}, map[string]string{"eligible_kinds": "cycles.error.kinds"}},
		{"negative nominations", cycles.CycleFields{Year: ptr(2030), Title: ptr("X"), MaxNominationsPerOrg: ptr(-1)}, map[string]string{"max_nominations_per_org": "cycles.error.max_nominations"}},
		{"too many nominations", cycles.CycleFields{Year: ptr(2030), Title: ptr("X"), MaxNominationsPerOrg: ptr(101)}, map[string]string{"max_nominations_per_org": "cycles.error.max_nominations"}},
		{"no projects", cycles.CycleFields{Year: ptr(2030), Title: ptr("X"), MaxProjects: ptr(0)}, map[string]string{"max_projects": "cycles.error.max_projects"}},
		{"too many projects", cycles.CycleFields{Year: ptr(2030), Title: ptr("X"), MaxProjects: ptr(51)}, map[string]string{"max_projects": "cycles.error.max_projects"}},
		{"deadline before opening", cycles.CycleFields{Year: ptr(2030), Title: ptr("X"), CallOpensAt: at(oslo("2030-03-01 00:00")), NominationDeadline: at(oslo("2030-01-01 00:00"))},
			map[string]string{"nomination_deadline": "cycles.error.date_order"}},
		{"deadline at opening", cycles.CycleFields{Year: ptr(2030), Title: ptr("X"), CallOpensAt: at(oslo("2030-03-01 00:00")), NominationDeadline: at(oslo("2030-03-01 00:00"))},
			map[string]string{"nomination_deadline": "cycles.error.date_order"}},
		{"scoring before deadline", cycles.CycleFields{Year: ptr(2030), Title: ptr("X"), NominationDeadline: at(oslo("2030-03-01 23:59")), ScoringDeadline: at(oslo("2030-03-01 23:58"))},
			map[string]string{"scoring_deadline": "cycles.error.date_order"}},
		{"announcement before scoring", cycles.CycleFields{Year: ptr(2030), Title: ptr("X"), ScoringDeadline: at(oslo("2030-05-01 12:00")), AnnouncementAt: at(oslo("2030-04-01 12:00"))},
			map[string]string{"announcement_at": "cycles.error.date_order"}},
		{"announcement before opening, nothing between", cycles.CycleFields{Year: ptr(2030), Title: ptr("X"), CallOpensAt: at(oslo("2030-01-10 09:00")), AnnouncementAt: at(oslo("2030-01-09 12:00"))},
			map[string]string{"announcement_at": "cycles.error.date_order"}},
		{"year taken", cycles.CycleFields{Year: ptr(2027), Title: ptr("X")}, map[string]string{"year": "cycles.error.year_taken"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.s.CreateCycle(ctx, e.admin, a.Slug, tt.f)
			code := awards.EInvalid
			if tt.name == "year taken" {
				code = awards.EConflict
			}
			wantFields(t, err, code, tt.fields)
		})
	}
	if n := e.count(t, "cycles"); n != 1 {
		t.Errorf("%d cycles stored, want 1", n)
	}

	// An update is checked against what is stored: a deadline before the
	// stored opening is refused, and nothing changes.
	c, err := e.s.UpdateCycle(ctx, e.admin, c.PublicID, cycles.CycleFields{CallOpensAt: at(oslo("2027-01-15 09:00")),
		NominationDeadline: at(oslo("2027-03-01 23:59")), PublishAll: ptr(true), MaxNominationsPerOrg: ptr(0)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.s.UpdateCycle(ctx, e.admin, c.PublicID, cycles.CycleFields{NominationDeadline: at(oslo("2027-01-01 00:00")), Title: ptr("Ny tittel")})
	wantFields(t, err, awards.EInvalid, map[string]string{"nomination_deadline": "cycles.error.date_order"})
	got, err := e.s.Cycle(ctx, e.admin, c.PublicID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.NominationDeadline.Equal(*oslo("2027-03-01 23:59")) || got.Title != "Innovasjonsprisen 2027" || !got.PublishAll || got.MaxNominationsPerOrg != 0 {
		t.Errorf("after refused update: %+v", got)
	}
	// Clearing a date.
	got, err = e.s.UpdateCycle(ctx, e.admin, c.PublicID, cycles.CycleFields{CallOpensAt: cycles.TimeChange{Set: true}})
	if err != nil || got.CallOpensAt != nil || got.NominationDeadline == nil {
		t.Errorf("clear date: %+v %v", got, err)
	}
	// Moving to a year that is taken.
	e.cycle(t, a.Slug, 2028, cycles.CycleFields{})
	_, err = e.s.UpdateCycle(ctx, e.admin, c.PublicID, cycles.CycleFields{Year: ptr(2028)})
	wantFields(t, err, awards.EConflict, map[string]string{"year": "cycles.error.year_taken"})
	if _, err := e.s.UpdateCycle(ctx, e.asker, c.PublicID, cycles.CycleFields{Title: ptr("X")}); awards.ErrorCode(err) != awards.EForbidden {
		t.Errorf("update as submitter: %v", err)
	}
	if _, err := e.s.CreateCycle(ctx, e.admin, "finnes-ikke", cycles.CycleFields{Year: ptr(2030), Title: ptr("X")}); awards.ErrorCode(err) != awards.ENotFound {
		t.Errorf("create for unknown award: %v", err)
	}
}

func TestTransitions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a := e.award(t, "pris")
	year := 2030
	// fresh returns a new cycle moved along path.
	fresh := func(t *testing.T, path ...awards.Phase) awards.Cycle {
		year++
		return e.move(t, e.cycle(t, a.Slug, year, cycles.CycleFields{}), path...)
	}
	tests := []struct {
		path []awards.Phase
		to   awards.Phase
		ok   bool
	}{
		{nil, awards.PhaseOpen, true},
		{nil, awards.PhaseClosed, false},
		{nil, awards.PhasePublished, false},
		{nil, awards.PhaseDraft, false},
		{[]awards.Phase{"open"}, awards.PhaseClosed, true},
		{[]awards.Phase{"open"}, awards.PhaseDraft, true},
		{[]awards.Phase{"open"}, awards.PhaseJudging, false},
		{[]awards.Phase{"open", "closed"}, awards.PhaseJudging, true},
		{[]awards.Phase{"open", "closed"}, awards.PhaseOpen, true},
		{[]awards.Phase{"open", "closed", "judging"}, awards.PhaseDecided, true},
		{[]awards.Phase{"open", "closed", "judging"}, awards.PhaseClosed, false},
		{[]awards.Phase{"open", "closed", "judging", "decided"}, awards.PhasePublished, true},
		{[]awards.Phase{"open", "closed", "judging", "decided"}, awards.PhaseJudging, true},
		{[]awards.Phase{"open", "closed", "judging", "decided", "published"}, awards.PhaseDecided, false},
		{[]awards.Phase{"open", "closed", "judging", "decided", "published"}, awards.PhaseDraft, false},
	}
	for _, tt := range tests {
		c := fresh(t, tt.path...)
		from := c.Phase
		if tt.to == awards.PhasePublished && tt.ok {
			e.announceWinners(t, c, "now() - interval '1 minute'") // see TestPublishedNeedsWinners
		}
		got, err := e.s.Transition(ctx, e.admin, c.PublicID, tt.to)
		entries, aerr := audit.List(ctx, e.db, "cycle", c.ID)
		if aerr != nil {
			t.Fatal(aerr)
		}
		last := entries[len(entries)-1]
		if tt.ok {
			if err != nil || got.Phase != tt.to {
				t.Errorf("%s → %s: %v, phase %s", from, tt.to, err, got.Phase)
				continue
			}
			if last.Action != "transition" || last.ActorID != e.admin.User.ID ||
				string(last.Before) != `{"phase": "`+string(from)+`"}` || string(last.After) != `{"phase": "`+string(tt.to)+`"}` {
				t.Errorf("%s → %s: audit %s %s %s", from, tt.to, last.Action, last.Before, last.After)
			}
			continue
		}
		if awards.ErrorCode(err) != awards.EConflict || !errors.Is(err, cycles.ErrPhaseMove) {
			t.Errorf("%s → %s: %v, want conflict", from, tt.to, err)
		}
		if !strings.Contains(awards.ErrorMessage(err), "cannot move to "+string(tt.to)) {
			t.Errorf("%s → %s: message %q", from, tt.to, awards.ErrorMessage(err))
		}
		if now, _ := e.s.Cycle(ctx, e.admin, c.PublicID); now.Phase != from {
			t.Errorf("%s → %s refused, but phase is now %s", from, tt.to, now.Phase)
		}
		if len(entries) != 1+len(tt.path) {
			t.Errorf("%s → %s refused, but audited: %d entries", from, tt.to, len(entries))
		}
	}

	c := fresh(t)
	_, err := e.s.Transition(ctx, e.admin, c.PublicID, "finished")
	wantFields(t, err, awards.EInvalid, map[string]string{"to": "cycles.error.phase"})
	if _, err := e.s.Transition(ctx, e.asker, c.PublicID, awards.PhaseOpen); awards.ErrorCode(err) != awards.EForbidden {
		t.Errorf("submitter moves: %v", err)
	}
	if _, err := e.s.Transition(ctx, e.admin, "nope", awards.PhaseOpen); awards.ErrorCode(err) != awards.ENotFound {
		t.Errorf("unknown cycle: %v", err)
	}
}

// TestPublishedNeedsWinners: a decided cycle moves to published only
// once its winners' announcement has passed and stands; until then the
// move is refused, with a message that sends the admin to the
// publication page, and nothing changes.
func TestPublishedNeedsWinners(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a := e.award(t, "pris")
	decided := []awards.Phase{"open", "closed", "judging", "decided"}
	seed := e.seed(t)
	for i, tt := range []struct {
		name  string
		setup func(cycle int64)
		ok    bool
	}{
		{"no announcement", func(int64) {}, false},
		{"finalists only", func(c int64) { seed.Announce(c, "finalists", "now() - interval '1 day'") }, false},
		{"winners tomorrow", func(c int64) { seed.Announce(c, "winners", "now() + interval '1 day'") }, false},
		{"winners unpublished", func(c int64) {
			seed.Exec(`UPDATE announcements SET unpublished_at = now() - interval '1 hour', unpublish_reason = 'Feil vinner' WHERE id = ?`,
				seed.Announce(c, "winners", "now() - interval '1 day'"))
		}, false},
		{"winners announced", func(c int64) { seed.Announce(c, "winners", "now() - interval '1 second'") }, true},
	} {
		c := e.move(t, e.cycle(t, a.Slug, 2040+i, cycles.CycleFields{}), decided...)
		tt.setup(c.ID)
		before, _ := audit.List(ctx, e.db, "cycle", c.ID)
		got, err := e.s.Transition(ctx, e.admin, c.PublicID, awards.PhasePublished)
		if tt.ok {
			if err != nil || got.Phase != awards.PhasePublished {
				t.Errorf("%s: %v, phase %s", tt.name, err, got.Phase)
			}
			continue
		}
		if !errors.Is(err, cycles.ErrNotAnnounced) || awards.ErrorCode(err) != awards.EConflict {
			t.Errorf("%s: %v, want ErrNotAnnounced", tt.name, err)
		}
		after, _ := audit.List(ctx, e.db, "cycle", c.ID)
		if now, err := e.s.Cycle(ctx, e.admin, c.PublicID); err != nil || now.Phase != awards.PhaseDecided || len(after) != len(before) {
			t.Errorf("%s: refused move left phase %s (%v) and %d new audit entries", tt.name, now.Phase, err, len(after)-len(before))
		}
	}
}

// TestTransitionRace has two admins close the same call at once: one
// wins, the other is told the cycle changed, and one move is audited.
func TestTransitionRace(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a := e.award(t, "pris")
	for i := range 5 {
		c := e.move(t, e.cycle(t, a.Slug, 2030+i, cycles.CycleFields{}), awards.PhaseOpen)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		start := make(chan struct{})
		for j := range errs {
			wg.Go(func() {
				<-start
				_, errs[j] = e.s.Transition(ctx, e.admin, c.PublicID, awards.PhaseClosed)
			})
		}
		close(start)
		wg.Wait()
		var ok, conflicts int
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, cycles.ErrPhaseChanged) || errors.Is(err, cycles.ErrPhaseMove):
				conflicts++
			default:
				t.Errorf("unexpected error %v", err)
			}
		}
		if ok != 1 || conflicts != 1 {
			t.Errorf("round %d: %d moves succeeded, %d conflicts; want 1 and 1", i, ok, conflicts)
		}
		entries, _ := audit.List(ctx, e.db, "cycle", c.ID)
		var moves int
		for _, en := range entries {
			if en.Action == "transition" {
				moves++
			}
		}
		if moves != 2 { // open, then closed once
			t.Errorf("round %d: %d transitions audited, want 2", i, moves)
		}
	}
}

func TestCopy(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a := e.award(t, "pris")
	// 1 March is winter time both years; 1 June summer time.
	src := e.cycle(t, a.Slug, 2027, cycles.CycleFields{Title: ptr("Innovasjonsprisen 2027"), CallText: ptr("Send inn innen fristen."), CallTextNN: ptr("Send inn innan fristen."),
		EligibleKinds: []awards.OrgKind{"municipality", "county"}, MaxProjects: ptr(2), PublishAll: ptr(true),
		CallOpensAt: at(oslo("2027-01-04 09:00")), NominationDeadline: at(oslo("2027-03-01 23:59")),
		ScoringDeadline: at(oslo("2027-04-20 12:00")), AnnouncementAt: at(oslo("2027-06-15 12:00"))})
	for _, name := range []string{"Nytt", "Nyttig", "Nyttiggjort"} {
		if _, err := e.s.CreateCriterion(ctx, e.admin, src.PublicID, cycles.CriterionFields{NameNB: ptr(name), HelpNB: ptr("Hjelp til " + name),
			Weight: ptr(1.5), ScaleMin: ptr(0.0), ScaleMax: ptr(10.0), ScaleStep: ptr(0.5)}); err != nil {
			t.Fatal(err)
		}
	}
	src = e.move(t, src, awards.PhaseOpen, awards.PhaseClosed, awards.PhaseJudging)
	if _, err := e.s.Copy(ctx, e.asker, src.PublicID); awards.ErrorCode(err) != awards.EForbidden {
		t.Errorf("copy as submitter: %v", err)
	}
	next, err := e.s.Copy(ctx, e.admin, src.PublicID)
	if err != nil {
		t.Fatal(err)
	}
	if next.Year != 2028 || next.Title != "Innovasjonsprisen 2028" || next.Phase != awards.PhaseDraft || next.PublicID == src.PublicID ||
		next.CallText != src.CallText || !next.PublishAll || next.MaxProjects != 2 || len(next.EligibleKinds) != 2 {
		t.Errorf("copy = %+v", next)
	}
	for _, d := range []struct {
		name string
		got  *time.Time
		want string
	}{
		{"opens", next.CallOpensAt, "2028-01-04 09:00"},
		{"deadline", next.NominationDeadline, "2028-03-01 23:59"},
		{"scoring", next.ScoringDeadline, "2028-04-20 12:00"},
		{"announcement", next.AnnouncementAt, "2028-06-15 12:00"},
	} {
		if d.got == nil || d.got.In(i18n.Oslo()).Format("2006-01-02 15:04") != d.want {
			t.Errorf("%s = %v, want %s Oslo time", d.name, d.got, d.want)
		}
	}
	srcCrit, _ := e.s.Criteria(ctx, e.admin, src.PublicID)
	nextCrit, err := e.s.Criteria(ctx, e.admin, next.PublicID)
	if err != nil || len(nextCrit) != 3 {
		t.Fatalf("copied criteria: %+v %v", nextCrit, err)
	}
	copied := nextCrit[0].ID
	nextRounds, _ := e.s.Rounds(ctx, e.admin, next.PublicID)
	for i := range nextCrit {
		if nextCrit[i].ID == srcCrit[i].ID || nextCrit[i].CycleID != next.ID || nextCrit[i].CyclePublicID != next.PublicID ||
			len(nextRounds) != 1 || nextCrit[i].RoundID != nextRounds[0].ID {
			t.Errorf("criterion %d not a copy: %+v", i, nextCrit[i])
		}
		nextCrit[i].ID, nextCrit[i].CycleID, nextCrit[i].CyclePublicID = srcCrit[i].ID, srcCrit[i].CycleID, srcCrit[i].CyclePublicID
		nextCrit[i].RoundID = srcCrit[i].RoundID
	}
	if diff := cmp.Diff(srcCrit, nextCrit); diff != "" {
		t.Errorf("copied criteria differ (-source +copy):\n%s", diff)
	}
	// The copy's criteria are editable although the source's are locked.
	if _, err := e.s.UpdateCriterion(ctx, e.admin, copied, cycles.CriterionFields{Weight: ptr(2.0)}); err != nil {
		t.Errorf("edit copied criterion: %v", err)
	}
	_, err = e.s.Copy(ctx, e.admin, src.PublicID)
	if awards.ErrorCode(err) != awards.EConflict || !errors.Is(err, cycles.ErrYearTaken) {
		t.Errorf("second copy: %v, want conflict", err)
	}
	entries, _ := audit.List(ctx, e.db, "cycle", next.ID)
	if len(entries) != 1 || entries[0].Action != "copy" || !strings.Contains(string(entries[0].Before), src.PublicID) {
		t.Errorf("audit of copy: %+v", entries)
	}
	// A title without the year gets it added; a leap day moves to 1 March.
	leap := e.cycle(t, a.Slug, 2032, cycles.CycleFields{Title: ptr("Prisen"), NominationDeadline: at(oslo("2032-02-29 12:00"))})
	c, err := e.s.Copy(ctx, e.admin, leap.PublicID)
	if err != nil || c.Title != "Prisen 2033" || c.NominationDeadline.In(i18n.Oslo()).Format("2006-01-02 15:04") != "2033-03-01 12:00" {
		t.Errorf("copy of leap-day cycle: %+v %v", c, err)
	}
}

func TestCriteria(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a := e.award(t, "pris")
	c := e.cycle(t, a.Slug, 2027, cycles.CycleFields{})
	first, err := e.s.CreateCriterion(ctx, e.admin, c.PublicID, cycles.CriterionFields{NameNB: ptr("Nytt"), NameNN: ptr("Nytt"), NameEN: ptr("New"),
		HelpNB: ptr("Er det nytt for kommunen?")})
	if err != nil {
		t.Fatal(err)
	}
	if first.Weight != 1 || first.ScaleMin != 1 || first.ScaleMax != 5 || first.ScaleStep != 1 || first.Position != 1 {
		t.Errorf("defaults: %+v", first)
	}
	if first.Name("en") != "New" || first.Help("en") != "Er det nytt for kommunen?" {
		t.Errorf("Name/Help: %q %q", first.Name("en"), first.Help("en"))
	}
	second, err := e.s.CreateCriterion(ctx, e.admin, c.PublicID, cycles.CriterionFields{NameNB: ptr("Nyttig"), Weight: ptr(2.125),
		ScaleMin: ptr(-1.5), ScaleMax: ptr(1.5), ScaleStep: ptr(0.25)})
	if err != nil {
		t.Fatal(err)
	}
	if second.Position != 2 || second.Weight != 2.125 || second.ScaleMin != -1.5 || second.ScaleStep != 0.25 {
		t.Errorf("second: %+v", second)
	}

	long := strings.Repeat("x", 201)
	tests := []struct {
		name   string
		f      cycles.CriterionFields
		fields map[string]string
	}{
		{"no name", cycles.CriterionFields{}, map[string]string{"name_nb": "form.required"}},
		{"blank name", cycles.CriterionFields{NameNB: ptr(" \t ")}, map[string]string{"name_nb": "form.required"}},
		{"overlong name", cycles.CriterionFields{NameNB: ptr(long)}, map[string]string{"name_nb": "form.error.too_long"}},
		{"overlong English name", cycles.CriterionFields{NameNB: ptr("X"), NameEN: ptr(long)}, map[string]string{"name_en": "form.error.too_long"}},
		{"invalid UTF-8", cycles.CriterionFields{NameNB: ptr("\xed\xa0\x80")}, map[string]string{"name_nb": "cycles.error.text"}},
		{"invalid UTF-8 help", cycles.CriterionFields{NameNB: ptr("X"), HelpNN: ptr("\xff")}, map[string]string{"help_nn": "cycles.error.text"}},
		{"overlong help", cycles.CriterionFields{NameNB: ptr("X"), HelpNB: ptr(strings.Repeat("y", 4001))}, map[string]string{"help_nb": "form.error.too_long"}},
		{"zero weight", cycles.CriterionFields{NameNB: ptr("X"), Weight: ptr(0.0)}, map[string]string{"weight": "cycles.error.weight"}},
		{"negative weight", cycles.CriterionFields{NameNB: ptr("X"), Weight: ptr(-1.0)}, map[string]string{"weight": "cycles.error.weight"}},
		{"huge weight", cycles.CriterionFields{NameNB: ptr("X"), Weight: ptr(1000.0)}, map[string]string{"weight": "cycles.error.weight"}},
		{"NaN weight", cycles.CriterionFields{NameNB: ptr("X"), Weight: ptr(math.NaN())}, map[string]string{"weight": "cycles.error.weight"}},
		{"weight with four decimals", cycles.CriterionFields{NameNB: ptr("X"), Weight: ptr(1.0001)}, map[string]string{"weight": "cycles.error.weight"}},
		{"min equals max", cycles.CriterionFields{NameNB: ptr("X"), ScaleMin: ptr(5.0), ScaleMax: ptr(5.0)}, map[string]string{"scale_max": "cycles.error.scale_order"}},
		{"min above max", cycles.CriterionFields{NameNB: ptr("X"), ScaleMin: ptr(10.0), ScaleMax: ptr(0.0)}, map[string]string{"scale_max": "cycles.error.scale_order"}},
		{"zero step", cycles.CriterionFields{NameNB: ptr("X"), ScaleStep: ptr(0.0)}, map[string]string{"scale_step": "cycles.error.scale_step"}},
		{"negative step", cycles.CriterionFields{NameNB: ptr("X"), ScaleStep: ptr(-1.0)}, map[string]string{"scale_step": "cycles.error.scale_step"}},
		{"step not dividing", cycles.CriterionFields{NameNB: ptr("X"), ScaleMin: ptr(1.0), ScaleMax: ptr(5.0), ScaleStep: ptr(3.0)}, map[string]string{"scale_step": "cycles.error.scale_step"}},
		{"step over range", cycles.CriterionFields{NameNB: ptr("X"), ScaleStep: ptr(10.0)}, map[string]string{"scale_step": "cycles.error.scale_step"}},
		{"too many points", cycles.CriterionFields{NameNB: ptr("X"), ScaleMin: ptr(0.0), ScaleMax: ptr(1000.0)}, map[string]string{"scale_step": "cycles.error.scale_points"}},
		{"three decimals", cycles.CriterionFields{NameNB: ptr("X"), ScaleMin: ptr(0.125)}, map[string]string{"scale_min": "cycles.error.scale_value"}},
		{"infinite max", cycles.CriterionFields{NameNB: ptr("X"), ScaleMax: ptr(math.Inf(1))}, map[string]string{"scale_max": "cycles.error.scale_value"}},
		{"too large", cycles.CriterionFields{NameNB: ptr("X"), ScaleMax: ptr(100000.0)}, map[string]string{"scale_max": "cycles.error.scale_value"}},
		{"NaN step", cycles.CriterionFields{NameNB: ptr("X"), ScaleStep: ptr(math.NaN())}, map[string]string{"scale_step": "cycles.error.scale_step"}},
		{"negative position", cycles.CriterionFields{NameNB: ptr("X"), Position: ptr(-1)}, map[string]string{"position": "cycles.error.position"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.s.CreateCriterion(ctx, e.admin, c.PublicID, tt.f)
			wantFields(t, err, awards.EInvalid, tt.fields)
			if tt.name != "no name" { // an update may leave the name as it is
				_, err = e.s.UpdateCriterion(ctx, e.admin, first.ID, tt.f)
				wantFields(t, err, awards.EInvalid, tt.fields)
			}
		})
	}
	list, err := e.s.Criteria(ctx, e.admin, c.PublicID)
	if err != nil || len(list) != 2 || !cmp.Equal(list[0], first) {
		t.Errorf("after invalid input: %+v %v", list, err)
	}

	// Reordering: the second first.
	if _, err := e.s.UpdateCriterion(ctx, e.admin, second.ID, cycles.CriterionFields{Position: ptr(0)}); err != nil {
		t.Fatal(err)
	}
	list, _ = e.s.Criteria(ctx, e.admin, c.PublicID)
	if len(list) != 2 || list[0].ID != second.ID {
		t.Errorf("order after move: %+v", list)
	}
	if _, err := e.s.CreateCriterion(ctx, e.asker, c.PublicID, cycles.CriterionFields{NameNB: ptr("X")}); awards.ErrorCode(err) != awards.EForbidden {
		t.Errorf("create as submitter: %v", err)
	}
	if _, err := e.s.DeleteCriterion(ctx, e.asker, first.ID); awards.ErrorCode(err) != awards.EForbidden {
		t.Errorf("delete as submitter: %v", err)
	}
	if _, err := e.s.DeleteCriterion(ctx, e.admin, first.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.DeleteCriterion(ctx, e.admin, first.ID); awards.ErrorCode(err) != awards.ENotFound {
		t.Errorf("delete twice: %v", err)
	}
	entries, _ := audit.List(ctx, e.db, "criterion", first.ID)
	var actions []string
	for _, en := range entries {
		actions = append(actions, en.Action)
	}
	if diff := cmp.Diff([]string{"create", "delete"}, actions); diff != "" {
		t.Errorf("audit of criterion (-want +got):\n%s", diff)
	}
}

// TestCriteriaLocked: once judging starts, criteria cannot be added,
// changed or removed, and stay as they were.
func TestCriteriaLocked(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a := e.award(t, "pris")
	for i, path := range [][]awards.Phase{
		{"open", "closed", "judging"},
		{"open", "closed", "judging", "decided"},
		{"open", "closed", "judging", "decided", "published"},
	} {
		c := e.cycle(t, a.Slug, 2030+i, cycles.CycleFields{})
		cr, err := e.s.CreateCriterion(ctx, e.admin, c.PublicID, cycles.CriterionFields{NameNB: ptr("Nytt")})
		if err != nil {
			t.Fatal(err)
		}
		c = e.move(t, c, path...)
		_, err = e.s.CreateCriterion(ctx, e.admin, c.PublicID, cycles.CriterionFields{NameNB: ptr("Nyttig")})
		if !errors.Is(err, cycles.ErrCriteriaLocked) || awards.ErrorCode(err) != awards.EConflict {
			t.Errorf("%s: create: %v", c.Phase, err)
		}
		if _, err := e.s.UpdateCriterion(ctx, e.admin, cr.ID, cycles.CriterionFields{Weight: ptr(3.0)}); !errors.Is(err, cycles.ErrCriteriaLocked) {
			t.Errorf("%s: update: %v", c.Phase, err)
		}
		if _, err := e.s.DeleteCriterion(ctx, e.admin, cr.ID); !errors.Is(err, cycles.ErrCriteriaLocked) {
			t.Errorf("%s: delete: %v", c.Phase, err)
		}
		list, _ := e.s.Criteria(ctx, e.anon, c.PublicID)
		if len(list) != 1 || !cmp.Equal(list[0], cr) {
			t.Errorf("%s: criteria now %+v", c.Phase, list)
		}
	}
	// Before judging (open, closed) criteria may still change.
	c := e.move(t, e.cycle(t, a.Slug, 2040, cycles.CycleFields{}), "open", "closed")
	if _, err := e.s.CreateCriterion(ctx, e.admin, c.PublicID, cycles.CriterionFields{NameNB: ptr("Nytt")}); err != nil {
		t.Errorf("closed: %v", err)
	}
}

func TestDraftInvisible(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a := e.award(t, "pris")
	draft := e.cycle(t, a.Slug, 2027, cycles.CycleFields{})
	open := e.move(t, e.cycle(t, a.Slug, 2026, cycles.CycleFields{}), awards.PhaseOpen)
	cr, err := e.s.CreateCriterion(ctx, e.admin, draft.PublicID, cycles.CriterionFields{NameNB: ptr("Nytt")})
	if err != nil {
		t.Fatal(err)
	}
	for _, actor := range []*awards.Actor{e.anon, e.asker, e.nobody} {
		if _, err := e.s.Cycle(ctx, actor, draft.PublicID); awards.ErrorCode(err) != awards.ENotFound {
			t.Errorf("%q sees draft cycle: %v", actor.User.Name, err)
		}
		if _, err := e.s.Criteria(ctx, actor, draft.PublicID); awards.ErrorCode(err) != awards.ENotFound {
			t.Errorf("%q sees draft criteria: %v", actor.User.Name, err)
		}
		if _, _, err := e.s.Criterion(ctx, actor, cr.ID); awards.ErrorCode(err) != awards.ENotFound {
			t.Errorf("%q sees draft criterion: %v", actor.User.Name, err)
		}
		list, err := e.s.Cycles(ctx, actor, a.Slug)
		if err != nil || len(list) != 1 || list[0].PublicID != open.PublicID {
			t.Errorf("%q lists %+v %v", actor.User.Name, list, err)
		}
		if _, err := e.s.Cycle(ctx, actor, open.PublicID); err != nil {
			t.Errorf("%q cannot see open cycle: %v", actor.User.Name, err)
		}
		if _, err := e.s.Overview(ctx, actor); awards.ErrorCode(err) != awards.EForbidden {
			t.Errorf("%q gets the overview: %v", actor.User.Name, err)
		}
	}
	if _, err := e.s.Cycle(ctx, e.admin, draft.PublicID); err != nil {
		t.Errorf("admin: %v", err)
	}
	if list, _ := e.s.Cycles(ctx, e.admin, a.Slug); len(list) != 2 || list[0].Year != 2027 {
		t.Errorf("admin lists %+v", list)
	}
	ov, err := e.s.Overview(ctx, e.admin)
	if err != nil || len(ov) != 1 || len(ov[0].Cycles) != 2 {
		t.Errorf("overview: %+v %v", ov, err)
	}
	if _, err := e.s.Cycles(ctx, e.anon, "finnes-ikke"); awards.ErrorCode(err) != awards.ENotFound {
		t.Errorf("unknown award: %v", err)
	}
}

func TestOpenFor(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a := e.award(t, "pris")
	now := time.Now()
	past, future := now.Add(-time.Hour), now.Add(48*time.Hour)
	soon := now.Add(24 * time.Hour)
	mk := func(year int, f cycles.CycleFields, path ...awards.Phase) awards.Cycle {
		return e.move(t, e.cycle(t, a.Slug, year, f), path...)
	}
	municipal := mk(2030, cycles.CycleFields{Title: ptr("Kommuner"), NominationDeadline: at(&future)}, "open")
	soonest := mk(2031, cycles.CycleFields{Title: ptr("Kommuner og fylker"), EligibleKinds: []awards.OrgKind{"county", "municipality"},
		CallOpensAt: at(&past), NominationDeadline: at(&soon)}, "open")
	counties := mk(2032, cycles.CycleFields{Title: ptr("Fylker"), EligibleKinds: []awards.OrgKind{"county"}}, "open")
	mk(2033, cycles.CycleFields{Title: ptr("Utkast")})
	mk(2034, cycles.CycleFields{Title: ptr("Åpner senere"), CallOpensAt: at(&future)}, "open")
	mk(2035, cycles.CycleFields{Title: ptr("Stengt")}, "open", "closed")
	mk(2036, cycles.CycleFields{Title: ptr("Departementer"), EligibleKinds: []awards.OrgKind{"ministry"}}, "open", "draft")

	titles := func(actor *awards.Actor) []string {
		list, err := e.s.OpenFor(ctx, actor)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, o := range list {
			if o.Award.Slug != a.Slug || o.Cycle.AwardSlug != a.Slug {
				t.Errorf("award of %s: %+v", o.Cycle.Title, o.Award)
			}
			out = append(out, o.Cycle.Title)
		}
		return out
	}
	for _, tt := range []struct {
		who   string
		actor *awards.Actor
		want  []string
	}{
		{"municipality", e.asker, []string{soonest.Title, municipal.Title}},
		{"county", e.county, []string{soonest.Title, counties.Title}},
		{"ministry", e.admin, nil},
		{"no organisation", e.nobody, nil},
		{"anonymous", e.anon, nil},
	} {
		if diff := cmp.Diff(tt.want, titles(tt.actor)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.who, diff)
		}
	}

	// Asker's one nomination in the municipal call uses it up; a
	// withdrawn one in the other does not.
	used := func() map[string]bool {
		list, err := e.s.OpenFor(ctx, e.asker)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, o := range list {
			out[o.Cycle.Title] = o.Used
		}
		return out
	}
	if got := used(); got[municipal.Title] || got[soonest.Title] {
		t.Errorf("used before any nomination: %v", got)
	}
	for c, status := range map[int64]string{municipal.ID: "draft", soonest.ID: "withdrawn"} {
		e.seed(t).Nomination(pgtest.NominationSpec{Cycle: c, Org: e.asker.Memberships[0].OrganisationID, Status: status, Draft: status == "draft"})
	}
	if got := used(); !got[municipal.Title] || got[soonest.Title] {
		t.Errorf("used after a draft in %q and a withdrawn nomination in %q: %v", municipal.Title, soonest.Title, got)
	}
}

func TestNominationCounts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a := e.award(t, "pris")
	c := e.move(t, e.cycle(t, a.Slug, 2030, cycles.CycleFields{}), "open")
	for _, status := range []string{"draft", "submitted", "submitted", "withdrawn"} {
		e.seed(t).Nomination(pgtest.NominationSpec{Cycle: c.ID, Org: e.asker.Memberships[0].OrganisationID, Status: status, Draft: status == "draft"})
	}
	n, err := e.s.NominationCounts(ctx, e.admin, c.PublicID)
	if err != nil || n != (cycles.Counts{Drafts: 1, Submitted: 2}) {
		t.Errorf("counts = %+v, %v", n, err)
	}
	if _, err := e.s.NominationCounts(ctx, e.asker, c.PublicID); awards.ErrorCode(err) != awards.EForbidden {
		t.Errorf("as submitter: %v", err)
	}
}
