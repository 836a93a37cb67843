package cycles_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
)

// seat seats a new user on cycle c's jury and returns the seat's ID.
func (e *env) seat(t *testing.T, c awards.Cycle, name string) int64 {
	t.Helper()
	var id int64
	err := e.db.QueryRowContext(context.Background(), `
		WITH u AS (INSERT INTO users (issuer, subject, name) VALUES ('test', ?, ?) RETURNING id)
		INSERT INTO jurors (cycle_id, user_id) SELECT ?, id FROM u RETURNING id`, name+"-"+c.PublicID, name, c.ID).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// rounds lists c's rounds as the admin, failing the test on an error.
func (e *env) rounds(t *testing.T, c awards.Cycle) []awards.Round {
	t.Helper()
	list, err := e.s.Rounds(context.Background(), e.admin, c.PublicID)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func (e *env) addRound(t *testing.T, c awards.Cycle, name string, kind awards.RoundKind) awards.Round {
	t.Helper()
	r, err := e.s.CreateRound(context.Background(), e.admin, c.PublicID, cycles.RoundFields{NameNB: ptr(name), Kind: &kind})
	if err != nil {
		t.Fatalf("create round %s: %v", name, err)
	}
	return r
}

func (e *env) closeRound(t *testing.T, r awards.Round) {
	t.Helper()
	if _, err := e.db.ExecContext(context.Background(), `UPDATE rounds SET closed_at = now() WHERE id = ?`, r.ID); err != nil {
		t.Fatal(err)
	}
}

// wantConflict checks that err is EConflict with cause and reason.
func wantConflict(t *testing.T, what string, err, cause error, reason string) {
	t.Helper()
	if awards.ErrorCode(err) != awards.EConflict || !errors.Is(err, cause) || awards.ErrorReason(err) != reason {
		t.Errorf("%s: %v, want conflict %v (%s)", what, err, cause, reason)
	}
}

func names(rounds []awards.Round) string {
	var s []string
	for _, r := range rounds {
		s = append(s, fmt.Sprintf("%d:%s", r.Position, r.NameNB))
	}
	return strings.Join(s, " ")
}

func TestRounds(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a := e.award(t, "pris")
	c := e.cycle(t, a.Slug, 2040, cycles.CycleFields{NominationDeadline: at(oslo("2040-03-01 23:59"))})
	ann, bo := e.seat(t, c, "Ann"), e.seat(t, c, "Bo")

	list := e.rounds(t, c)
	if len(list) != 1 || list[0].NameNB != "Juryvurdering" || list[0].Position != 1 || !list[0].Current || list[0].Started ||
		list[0].Kind != awards.RoundScores || list[0].Jurors != 2 || !slices.Equal(list[0].SeatIDs, []int64{ann, bo}) ||
		list[0].CyclePublicID != c.PublicID {
		t.Fatalf("a new cycle's rounds: %+v", list)
	}
	first := list[0]
	short := e.addRound(t, c, "Kortliste", awards.RoundScores)
	final := e.addRound(t, c, "Finale", awards.RoundRankedVote)
	if short.Position != 2 || final.Position != 3 || short.Current || final.Kind != awards.RoundRankedVote ||
		!slices.Equal(final.SeatIDs, []int64{ann, bo}) || final.Started {
		t.Errorf("added rounds: %+v %+v", short, final)
	}

	// Every field of a round changes.
	deadline := oslo("2040-04-20 12:00")
	kind := awards.RoundRankedVote
	short, err := e.s.UpdateRound(ctx, e.admin, short.ID, cycles.RoundFields{NameNB: ptr(" Siling "), NameNN: ptr("Siling"),
		NameEN: ptr("Screening"), Kind: &kind, ShowsEarlierResults: ptr(true), ScoringDeadline: at(deadline)})
	if err != nil {
		t.Fatal(err)
	}
	if short.NameNB != "Siling" || short.Name("en") != "Screening" || short.Kind != kind || !short.ShowsEarlierResults ||
		short.ScoringDeadline == nil || !short.ScoringDeadline.Equal(*deadline) {
		t.Errorf("updated round: %+v", short)
	}
	// Fields left out stay; a deadline set to none falls back to the cycle's.
	if short, err = e.s.UpdateRound(ctx, e.admin, short.ID, cycles.RoundFields{ScoringDeadline: cycles.TimeChange{Set: true}}); err != nil ||
		short.ScoringDeadline != nil || short.NameNB != "Siling" {
		t.Errorf("deadline cleared: %+v %v", short, err)
	}

	// Round 1 stays; deleting round 2 moves round 3 up.
	_, err = e.s.DeleteRound(ctx, e.admin, first.ID)
	wantConflict(t, "delete round 1", err, cycles.ErrFirstRound, awards.ReasonFirstRound)
	if _, err := e.s.DeleteRound(ctx, e.admin, short.ID); err != nil {
		t.Fatal(err)
	}
	list = e.rounds(t, c)
	if names(list) != "1:Juryvurdering 2:Finale" || list[1].ID != final.ID {
		t.Errorf("after deleting round 2: %s", names(list))
	}
	if _, err := e.s.DeleteRound(ctx, e.admin, short.ID); awards.ErrorCode(err) != awards.ENotFound {
		t.Errorf("delete twice: %v", err)
	}
	entries, _ := audit.List(ctx, e.db, "round", short.ID)
	var actions []string
	for _, en := range entries {
		actions = append(actions, en.Action)
	}
	if strings.Join(actions, " ") != "create update update delete" {
		t.Errorf("audit of round: %v", actions)
	}

	// Who may do what.
	juror := &awards.Actor{User: awards.User{ID: 999}, Seats: []awards.JurySeat{{CycleID: c.ID}}}
	if got, err := e.s.Rounds(ctx, juror, c.PublicID); err != nil || len(got) != 2 {
		t.Errorf("rounds as the cycle's juror: %v %v", got, err)
	}
	if _, _, err := e.s.Round(ctx, juror, final.ID); err != nil {
		t.Errorf("round as the cycle's juror: %v", err)
	}
	if _, err := e.s.Rounds(ctx, e.anon, c.PublicID); awards.ErrorCode(err) != awards.ENotFound {
		t.Errorf("rounds of a draft, anonymous: %v", err)
	}
	c = e.move(t, c, awards.PhaseOpen)
	for what, err := range map[string]error{
		"rounds":   second(e.s.Rounds(ctx, e.asker, c.PublicID)),
		"round":    third(e.s.Round(ctx, e.asker, final.ID)),
		"create":   second(e.s.CreateRound(ctx, e.asker, c.PublicID, cycles.RoundFields{NameNB: ptr("X")})),
		"update":   second(e.s.UpdateRound(ctx, e.asker, final.ID, cycles.RoundFields{NameNB: ptr("X")})),
		"delete":   second(e.s.DeleteRound(ctx, e.asker, final.ID)),
		"jurors":   second(e.s.SetRoundJurors(ctx, e.asker, final.ID, nil)),
		"as juror": second(e.s.UpdateRound(ctx, juror, final.ID, cycles.RoundFields{NameNB: ptr("X")})),
	} {
		if awards.ErrorCode(err) != awards.EForbidden {
			t.Errorf("%s as a submitter: %v", what, err)
		}
	}
	if names(e.rounds(t, c)) != "1:Juryvurdering 2:Finale" {
		t.Errorf("rounds changed by those refused: %s", names(e.rounds(t, c)))
	}

	// At most awards.MaxRounds.
	for i := 3; i <= awards.MaxRounds; i++ {
		e.addRound(t, c, fmt.Sprintf("Runde %d", i), awards.RoundScores)
	}
	_, err = e.s.CreateRound(ctx, e.admin, c.PublicID, cycles.RoundFields{NameNB: ptr("En for mye")})
	wantConflict(t, "one round too many", err, cycles.ErrTooManyRounds, awards.ReasonQuotaReached)
	if n := len(e.rounds(t, c)); n != awards.MaxRounds {
		t.Errorf("%d rounds, want %d", n, awards.MaxRounds)
	}
}

func second[T any](_ T, err error) error { return err }

func third[T, U any](_ T, _ U, err error) error { return err }

// TestRoundValidation: each bad input is refused with its field and code,
// on create and on update, and nothing is written.
func TestRoundValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a := e.award(t, "pris")
	c := e.cycle(t, a.Slug, 2040, cycles.CycleFields{NominationDeadline: at(oslo("2040-03-01 23:59"))})
	r := e.addRound(t, c, "Kortliste", awards.RoundScores)
	long := strings.Repeat("x", 201)
	unknown := awards.RoundKind("lottery")
	past, early := oslo("2020-01-01 12:00"), oslo("2040-02-01 12:00")
	for _, tt := range []struct {
		name   string
		f      cycles.RoundFields
		fields map[string]string
	}{
		{"no name", cycles.RoundFields{}, map[string]string{"name_nb": "form.required"}},
		{"blank name", cycles.RoundFields{NameNB: ptr("  ")}, map[string]string{"name_nb": "form.required"}},
		{"overlong name", cycles.RoundFields{NameNB: ptr(long)}, map[string]string{"name_nb": "form.error.too_long"}},
		{"overlong English name", cycles.RoundFields{NameNB: ptr("X"), NameEN: ptr(long)}, map[string]string{"name_en": "form.error.too_long"}},
		{"invalid UTF-8", cycles.RoundFields{NameNB: ptr("\xff")}, map[string]string{"name_nb": "cycles.error.text"}},
		{"line break in nynorsk", cycles.RoundFields{NameNB: ptr("X"), NameNN: ptr("a\nb")}, map[string]string{"name_nn": "cycles.error.text"}},
		{"unknown kind", cycles.RoundFields{NameNB: ptr("X"), Kind: &unknown}, map[string]string{"kind": "rounds.error.kind"}},
		{"deadline past", cycles.RoundFields{NameNB: ptr("X"), ScoringDeadline: at(past)}, map[string]string{"scoring_deadline": "rounds.error.deadline_past"}},
		{"deadline before nominations'", cycles.RoundFields{NameNB: ptr("X"), ScoringDeadline: at(early)},
			map[string]string{"scoring_deadline": "rounds.error.deadline_order"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.s.CreateRound(ctx, e.admin, c.PublicID, tt.f)
			wantFields(t, err, awards.EInvalid, tt.fields)
			if tt.name != "no name" {
				_, err = e.s.UpdateRound(ctx, e.admin, r.ID, tt.f)
				wantFields(t, err, awards.EInvalid, tt.fields)
			}
		})
	}
	if got := e.rounds(t, c); len(got) != 2 || got[1].NameNB != "Kortliste" || got[1].ScoringDeadline != nil {
		t.Errorf("after refused input: %+v", got)
	}
	if n := e.count(t, "audit_log WHERE entity = 'round'"); n != 1 {
		t.Errorf("%d audit entries, want the one create", n)
	}
	// A programme's cycle has no rounds to add.
	pa, err := e.s.CreateAward(ctx, e.admin, cycles.AwardFields{Slug: ptr("program"), NameNB: ptr("Program"), Kind: ptr(awards.KindProgramme),
		OwnerID: ptr(e.ministry)})
	if err != nil {
		t.Fatal(err)
	}
	pc := e.cycle(t, pa.Slug, 2040, cycles.CycleFields{})
	if _, err := e.s.CreateRound(ctx, e.admin, pc.PublicID, cycles.RoundFields{NameNB: ptr("X")}); awards.ErrorReason(err) != awards.ReasonProgramme {
		t.Errorf("round of a programme: %v", err)
	}
}

// TestRoundStarted: a round that has started (the current one once the
// cycle judges, or a closed one) keeps its kind and stays; it may still be
// renamed and get another deadline. A closed round keeps its jurors.
func TestRoundStarted(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a := e.award(t, "pris")
	c := e.cycle(t, a.Slug, 2027, cycles.CycleFields{})
	ann, bo := e.seat(t, c, "Ann"), e.seat(t, c, "Bo")
	first := e.rounds(t, c)[0]
	short := e.addRound(t, c, "Kortliste", awards.RoundScores)
	final := e.addRound(t, c, "Finale", awards.RoundScores)
	c = e.move(t, c, awards.PhaseOpen, awards.PhaseClosed)
	if e.rounds(t, c)[0].Started {
		t.Error("round 1 started before judging")
	}
	c = e.move(t, c, awards.PhaseJudging)
	list := e.rounds(t, c)
	if !list[0].Started || !list[0].Current || list[1].Started || list[2].Started {
		t.Fatalf("judging: %+v", list)
	}
	kind := awards.RoundRankedVote
	_, err := e.s.UpdateRound(ctx, e.admin, first.ID, cycles.RoundFields{Kind: &kind})
	wantConflict(t, "kind of the current round", err, cycles.ErrRoundStarted, awards.ReasonRoundStarted)
	if fields := awards.ErrorFields(err); fields["kind"] != "rounds.error.kind_fixed" {
		t.Errorf("fields %v", fields)
	}
	deadline := time.Now().Add(48 * time.Hour).Truncate(time.Second)
	if r, err := e.s.UpdateRound(ctx, e.admin, first.ID, cycles.RoundFields{NameNB: ptr("Siling"), ScoringDeadline: at(&deadline)}); err != nil ||
		r.NameNB != "Siling" || !r.ScoringDeadline.Equal(deadline) {
		t.Errorf("rename the current round: %+v %v", r, err)
	}
	// The current round's jurors may change while it is scored.
	if r, err := e.s.SetRoundJurors(ctx, e.admin, first.ID, []int64{ann}); err != nil || r.Jurors != 1 {
		t.Errorf("jurors of the current round: %+v %v", r, err)
	}

	// The chair closes round 1: round 2 is current and started.
	e.closeRound(t, first)
	list = e.rounds(t, c)
	if !list[0].Started || list[0].Current || !list[1].Current || !list[1].Started || list[2].Started {
		t.Fatalf("after closing round 1: %+v", list)
	}
	_, err = e.s.DeleteRound(ctx, e.admin, short.ID)
	wantConflict(t, "delete the current round", err, cycles.ErrRoundStarted, awards.ReasonRoundStarted)
	_, err = e.s.SetRoundJurors(ctx, e.admin, first.ID, []int64{ann, bo})
	wantConflict(t, "jurors of a closed round", err, cycles.ErrRoundClosed, awards.ReasonRoundClosed)
	_, err = e.s.UpdateRound(ctx, e.admin, first.ID, cycles.RoundFields{Kind: &kind})
	wantConflict(t, "kind of a closed round", err, cycles.ErrRoundStarted, awards.ReasonRoundStarted)
	// A later round is still the admins' to change or delete.
	if _, err := e.s.UpdateRound(ctx, e.admin, final.ID, cycles.RoundFields{Kind: &kind}); err != nil {
		t.Errorf("kind of a later round: %v", err)
	}
	if _, err := e.s.DeleteRound(ctx, e.admin, final.ID); err != nil {
		t.Errorf("delete a later round: %v", err)
	}
	if got := names(e.rounds(t, c)); got != "1:Siling 2:Kortliste" {
		t.Errorf("rounds now %s", got)
	}
}

func TestRoundJurors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a := e.award(t, "pris")
	c := e.cycle(t, a.Slug, 2027, cycles.CycleFields{})
	other := e.cycle(t, a.Slug, 2028, cycles.CycleFields{})
	ann, bo, cai := e.seat(t, c, "Ann"), e.seat(t, c, "Bo"), e.seat(t, c, "Cai")
	gone := e.seat(t, c, "Dag")
	if _, err := e.db.ExecContext(ctx, `UPDATE jurors SET removed_at = now() WHERE id = ?`, gone); err != nil {
		t.Fatal(err)
	}
	stranger := e.seat(t, other, "Eli")
	r := e.addRound(t, c, "Finale", awards.RoundRankedVote)
	if !slices.Equal(r.SeatIDs, []int64{ann, bo, cai}) || r.Jurors != 3 {
		t.Errorf("a new round takes every seat but the removed: %v", r.SeatIDs)
	}
	r, err := e.s.SetRoundJurors(ctx, e.admin, r.ID, []int64{cai, ann, cai})
	if err != nil || !slices.Equal(r.SeatIDs, []int64{ann, cai}) || r.Jurors != 2 {
		t.Errorf("set jurors: %+v %v", r, err)
	}
	for what, seats := range map[string][]int64{"another cycle's seat": {ann, stranger}, "a removed seat": {gone}, "no seat": {987654}} {
		_, err := e.s.SetRoundJurors(ctx, e.admin, r.ID, seats)
		wantFields(t, err, awards.EInvalid, map[string]string{"juror_ids": "rounds.error.seat"})
		if got, _, _ := e.s.Round(ctx, e.admin, r.ID); !slices.Equal(got.SeatIDs, []int64{ann, cai}) {
			t.Errorf("%s: seats now %v", what, got.SeatIDs)
		}
	}
	if r, err = e.s.SetRoundJurors(ctx, e.admin, r.ID, nil); err != nil || len(r.SeatIDs) != 0 || r.Jurors != 0 {
		t.Errorf("no jurors: %+v %v", r, err)
	}
	// Round 1 kept its seats; a seat added later serves in both.
	dag := e.seat(t, c, "Dag2")
	list := e.rounds(t, c)
	if !slices.Equal(list[0].SeatIDs, []int64{ann, bo, cai, dag}) || !slices.Equal(list[1].SeatIDs, []int64{dag}) {
		t.Errorf("seats per round: %v %v", list[0].SeatIDs, list[1].SeatIDs)
	}
	entries, _ := audit.List(ctx, e.db, "round", r.ID)
	if len(entries) != 3 { // create and two changes of jurors
		t.Errorf("audit entries: %d", len(entries))
	}
}

// TestCriteriaPerRound: each criterion belongs to a round; a ranked vote
// has none; the lock is per round, so a later round's criteria stay
// editable while an earlier round is scored.
func TestCriteriaPerRound(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a := e.award(t, "pris")
	c := e.cycle(t, a.Slug, 2027, cycles.CycleFields{})
	other := e.cycle(t, a.Slug, 2028, cycles.CycleFields{})
	first := e.rounds(t, c)[0]
	short := e.addRound(t, c, "Kortliste", awards.RoundScores)
	final := e.addRound(t, c, "Finale", awards.RoundRankedVote)
	crit := func(name string, round *int64) (awards.Criterion, error) {
		return e.s.CreateCriterion(ctx, e.admin, c.PublicID, cycles.CriterionFields{NameNB: ptr(name), RoundID: round})
	}
	nytt, err := crit("Nytt", nil)
	if err != nil || nytt.RoundID != first.ID || nytt.Position != 1 {
		t.Fatalf("default round: %+v %v", nytt, err)
	}
	helhet, err := crit("Helhet", &short.ID)
	if err != nil || helhet.RoundID != short.ID || helhet.Position != 1 {
		t.Fatalf("round 2: %+v %v", helhet, err)
	}
	if _, err := crit("Nyttig", nil); err != nil {
		t.Fatal(err)
	}
	_, err = crit("Rangering", &final.ID)
	wantFields(t, err, awards.EInvalid, map[string]string{"round_id": "rounds.error.ranked_vote"})
	otherRound := e.rounds(t, other)[0]
	_, err = crit("Fremmed", &otherRound.ID)
	wantFields(t, err, awards.EInvalid, map[string]string{"round_id": "rounds.error.round"})
	_, err = e.s.UpdateCriterion(ctx, e.admin, nytt.ID, cycles.CriterionFields{RoundID: &final.ID})
	wantFields(t, err, awards.EInvalid, map[string]string{"round_id": "rounds.error.ranked_vote"})
	// A round with criteria cannot become a ranked vote.
	kind := awards.RoundRankedVote
	_, err = e.s.UpdateRound(ctx, e.admin, short.ID, cycles.RoundFields{Kind: &kind})
	if awards.ErrorCode(err) != awards.EConflict || !errors.Is(err, cycles.ErrRoundHasCriteria) ||
		awards.ErrorFields(err)["kind"] != "rounds.error.has_criteria" {
		t.Errorf("ranked vote with criteria: %v", err)
	}
	// Listed round by round.
	list, _ := e.s.Criteria(ctx, e.admin, c.PublicID)
	var got []string
	for _, cr := range list {
		got = append(got, cr.NameNB)
	}
	if strings.Join(got, " ") != "Nytt Nyttig Helhet" {
		t.Errorf("criteria in order: %v", got)
	}

	c = e.move(t, c, awards.PhaseOpen, awards.PhaseClosed, awards.PhaseJudging)
	// Round 1 is scored: its criteria are fixed, round 2's are not.
	if _, err := e.s.UpdateCriterion(ctx, e.admin, nytt.ID, cycles.CriterionFields{Weight: ptr(2.0)}); !errors.Is(err, cycles.ErrCriteriaLocked) {
		t.Errorf("update in the current round: %v", err)
	}
	if _, err := e.s.DeleteCriterion(ctx, e.admin, nytt.ID); !errors.Is(err, cycles.ErrCriteriaLocked) {
		t.Errorf("delete in the current round: %v", err)
	}
	if _, err := crit("Sent", &first.ID); !errors.Is(err, cycles.ErrCriteriaLocked) {
		t.Errorf("create in the current round: %v", err)
	}
	if _, err := e.s.UpdateCriterion(ctx, e.admin, helhet.ID, cycles.CriterionFields{RoundID: &first.ID}); !errors.Is(err, cycles.ErrCriteriaLocked) {
		t.Errorf("move into the current round: %v", err)
	}
	if _, err := e.s.UpdateCriterion(ctx, e.admin, helhet.ID, cycles.CriterionFields{Weight: ptr(3.0)}); err != nil {
		t.Errorf("update in a later round: %v", err)
	}
	// Without a round, a new criterion goes to the first round not started.
	spread, err := crit("Spredning", nil)
	if err != nil || spread.RoundID != short.ID || spread.Position != 2 {
		t.Errorf("default round while round 1 is scored: %+v %v", spread, err)
	}
	if _, err := e.s.DeleteCriterion(ctx, e.admin, spread.ID); err != nil {
		t.Errorf("delete in a later round: %v", err)
	}
	// Once round 2 is current, its criteria are fixed too.
	e.closeRound(t, first)
	if _, err := e.s.UpdateCriterion(ctx, e.admin, helhet.ID, cycles.CriterionFields{Weight: ptr(1.0)}); !errors.Is(err, cycles.ErrCriteriaLocked) {
		t.Errorf("update once round 2 is current: %v", err)
	}
	entries, _ := audit.List(ctx, e.db, "criterion", helhet.ID)
	if len(entries) != 2 {
		t.Errorf("audit of helhet: %d entries", len(entries))
	}
}

// TestDeleteRoundCriteria: a round's criteria go with it, each with its
// own entry in the log, and nothing is half-deleted when it is refused.
func TestDeleteRoundCriteria(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a := e.award(t, "pris")
	c := e.cycle(t, a.Slug, 2027, cycles.CycleFields{})
	first := e.rounds(t, c)[0]
	short := e.addRound(t, c, "Kortliste", awards.RoundScores)
	cr, err := e.s.CreateCriterion(ctx, e.admin, c.PublicID, cycles.CriterionFields{NameNB: ptr("Helhet"), RoundID: &short.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.CreateCriterion(ctx, e.admin, c.PublicID, cycles.CriterionFields{NameNB: ptr("Nytt"), RoundID: &first.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.DeleteRound(ctx, e.admin, first.ID); err == nil {
		t.Fatal("round 1 deleted")
	}
	if n := e.count(t, "criteria"); n != 2 {
		t.Errorf("%d criteria after a refused delete", n)
	}
	if _, err := e.s.DeleteRound(ctx, e.admin, short.ID); err != nil {
		t.Fatal(err)
	}
	if n := e.count(t, "criteria"); n != 1 {
		t.Errorf("%d criteria, want 1", n)
	}
	entries, _ := audit.List(ctx, e.db, "criterion", cr.ID)
	if len(entries) != 2 || entries[1].Action != "delete" {
		t.Errorf("audit of the round's criterion: %+v", entries)
	}
}

// TestCopyRounds: next year's cycle gets the same rounds, deadlines a
// year on, and each criterion in its round.
func TestCopyRounds(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a := e.award(t, "pris")
	c := e.cycle(t, a.Slug, 2040, cycles.CycleFields{})
	e.seat(t, c, "Ann")
	first := e.rounds(t, c)[0]
	short := e.addRound(t, c, "Kortliste", awards.RoundScores)
	e.addRound(t, c, "Finale", awards.RoundRankedVote)
	deadline := oslo("2040-04-20 12:00")
	if _, err := e.s.UpdateRound(ctx, e.admin, first.ID, cycles.RoundFields{NameNB: ptr("Siling"), ShowsEarlierResults: ptr(true),
		ScoringDeadline: at(deadline)}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []cycles.CriterionFields{{NameNB: ptr("Nytt")}, {NameNB: ptr("Helhet"), RoundID: &short.ID}} {
		if _, err := e.s.CreateCriterion(ctx, e.admin, c.PublicID, f); err != nil {
			t.Fatal(err)
		}
	}
	next, err := e.s.Copy(ctx, e.admin, c.PublicID)
	if err != nil {
		t.Fatal(err)
	}
	rounds := e.rounds(t, next)
	if names(rounds) != "1:Siling 2:Kortliste 3:Finale" || rounds[2].Kind != awards.RoundRankedVote || !rounds[0].ShowsEarlierResults ||
		rounds[0].ScoringDeadline == nil || !rounds[0].ScoringDeadline.Equal(deadline.AddDate(1, 0, 0)) || rounds[0].Jurors != 0 {
		t.Errorf("copied rounds: %+v", rounds)
	}
	crit, _ := e.s.Criteria(ctx, e.admin, next.PublicID)
	if len(crit) != 2 || crit[0].RoundID != rounds[0].ID || crit[1].RoundID != rounds[1].ID || crit[1].NameNB != "Helhet" {
		t.Errorf("copied criteria: %+v", crit)
	}
}
