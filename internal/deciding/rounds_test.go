package deciding_test

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/deciding"
	"github.com/heder-awards/heder/internal/pgtest"
	"github.com/heder-awards/heder/internal/scorestats"
)

// roundsEnv is decisionEnv's cycle judged in three rounds: a screening
// on the cycle's criteria (Nytt, Nyttig; 1–5), a shortlist on a criterion
// of its own (Gjennomføring, 0–10) and a final. Jon Jurymedlem sits on
// the jury beside the chair.
type roundsEnv struct {
	*decisionEnv
	r1, r2, r3 int64
	crit2      int64
	jon        *awards.Actor
	jonID      int64
}

func newRoundsEnv(t *testing.T) *roundsEnv {
	e := &roundsEnv{decisionEnv: newDecisionEnv(t)}
	e.r1 = e.Round(e.c.id, 1, "Grovsortering", "scores")
	e.r2 = e.Round(e.c.id, 2, "Kortliste", "scores")
	e.r3 = e.Round(e.c.id, 3, "Finale", "scores")
	e.crit2 = e.RoundCriteria(e.c.id, e.r2, pgtest.Criterion{Name: "Gjennomføring", Min: 0, Max: 10})[0]
	e.jon = e.person("Jon Jurymedlem", false)
	e.jonID = e.seat(e.jon, e.c, false, true)
	return e
}

// scoredIn stores and submits juror's score of n on round 2's criterion.
func (e *roundsEnv) scoredIn2(juror int64, n nom, value float64) {
	e.t.Helper()
	e.score(juror, n, e.crit2, 0, value, "")
	e.SubmitRound(juror, n.id, e.r2)
}

func (e *roundsEnv) advance(actor *awards.Actor, round int64, deadline *time.Time, items ...deciding.AdvanceItem) ([]awards.Round, error) {
	return e.s.Advance(e.ctx, actor, e.c.publicID, deciding.AdvanceInput{RoundID: round, Nominations: items, NextDeadline: deadline})
}

func item(n nom, reason string) deciding.AdvanceItem {
	return deciding.AdvanceItem{NominationID: n.publicID, Reason: reason}
}

// snapshot sums up what advancing writes, to show a refusal wrote nothing.
func (e *roundsEnv) snapshot() string {
	e.t.Helper()
	var s string
	err := e.db.NewRaw(`SELECT concat_ws('/',
		(SELECT string_agg(rn.round_id || ':' || rn.nomination_id || ':' || rn.reason, ',' ORDER BY 1) FROM round_nominations rn),
		(SELECT string_agg(r.id || ':' || coalesce(r.closed_at::text, '-') || ':' || coalesce(r.scoring_deadline::text, '-'), ',' ORDER BY r.id)
			FROM rounds r WHERE r.cycle_id = ?),
		(SELECT string_agg(d.nomination_id || ':' || d.outcome, ',' ORDER BY 1) FROM decisions d),
		(SELECT count(*) FROM audit_log))`, e.c.id).Scan(e.ctx, &s)
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

// dbNow is the database's clock.
func (e *roundsEnv) dbNow() time.Time {
	e.t.Helper()
	var now time.Time
	if err := e.db.NewRaw(`SELECT now()`).Scan(e.ctx, &now); err != nil {
		e.t.Fatal(err)
	}
	return now
}

func titles(r *deciding.Ranking) []string {
	var out []string
	for _, row := range r.Result.Rows {
		out = append(out, r.Nominations[row.Nomination].Title)
	}
	return out
}

// TestRankingPerRound: each round is ranked on its own criteria, from
// its own submissions, over the nominations taking part in it; a round
// judged by a ranked vote has no scores.
func TestRankingPerRound(t *testing.T) {
	t.Parallel()
	e := newRoundsEnv(t)
	e.exec(`UPDATE rounds SET kind = 'ranked_vote' WHERE id = ?`, e.r3)
	e.conflict(e.chairID, "Horten", "employed", "")
	// Round 1: Asker first, then Bærum, then Horten.
	for _, j := range []int64{e.chairID, e.jonID} {
		e.scored(j, e.c, e.asker, 5, 5)
		e.scored(j, e.c, e.baerum, 3, 4)
	}
	e.scored(e.jonID, e.c, e.horten, 1, 2)
	e.Advance(e.r2, e.asker.id, "Best i grovsorteringen")
	e.Advance(e.r2, e.baerum.id, "Godt nok")
	e.CloseRound(e.r1)
	// Round 2: Bærum above Asker; Horten's score is of a nomination not
	// in the round, and Jon's draft of Asker counts nowhere.
	e.scoredIn2(e.chairID, e.baerum, 9)
	e.scoredIn2(e.jonID, e.baerum, 8)
	e.scoredIn2(e.chairID, e.asker, 4)
	e.score(e.jonID, e.asker, e.crit2, 0, 10, "utkast")
	e.scoredIn2(e.jonID, e.horten, 10)

	now, err := e.s.RankingFor(e.ctx, e.admin, e.c.publicID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if now.Round.ID != e.r2 || now.Round.Position != 2 || len(now.Rounds) != 3 || now.Vote() || !now.Shortlisting() {
		t.Fatalf("current ranking of round %+v (of %d)", now.Round, len(now.Rounds))
	}
	if len(now.Criteria) != 1 || now.Criteria[0].ID != e.crit2 {
		t.Errorf("round 2's criteria %+v", now.Criteria)
	}
	if d := cmp.Diff([]string{"Bærum bygger", "Mulighetenes kommune"}, titles(now)); d != "" {
		t.Errorf("round 2's rows (-want +got):\n%s", d)
	}
	for _, row := range now.Result.Rows {
		if want := map[int64]int{e.baerum.id: 2, e.asker.id: 1}[row.Nomination]; row.Scores != want {
			t.Errorf("round 2, nomination %d: %d scores, want %d", row.Nomination, row.Scores, want)
		}
	}

	first, err := e.s.RankingFor(e.ctx, e.admin, e.c.publicID, e.r1)
	if err != nil {
		t.Fatal(err)
	}
	if first.Round.ID != e.r1 || first.Round.ClosedAt == nil || first.Round.Current || len(first.Criteria) != 2 || first.Shortlisting() {
		t.Fatalf("round 1: %+v, criteria %+v", first.Round, first.Criteria)
	}
	want := []string{"Mulighetenes kommune", "Bærum bygger", "Horten handler", "Oppegård tar grep", "Tenk Træna"}
	if d := cmp.Diff(want, titles(first)); d != "" {
		t.Errorf("round 1's rows (-want +got):\n%s", d)
	}
	if row, _, _ := first.Row(e.asker.publicID); row.Scores != 4 || row.ZRank != 1 {
		t.Errorf("round 1's Asker: %d scores (round 2's mixed in?), rank %d", row.Scores, row.ZRank)
	}

	// The chair steps aside from Horten: one left out of round 1, none of
	// round 2.
	mine, err := e.s.RankingFor(e.ctx, e.chair, e.c.publicID, e.r1)
	if err != nil || mine.Hidden != 1 || len(mine.Result.Rows) != 4 {
		t.Fatalf("chair's round 1: %v, hidden %d", err, mine.Hidden)
	}
	if mine, err := e.s.RankingFor(e.ctx, e.chair, e.c.publicID, 0); err != nil || mine.Hidden != 0 || len(mine.Result.Rows) != 2 {
		t.Fatalf("chair's round 2: %v", err)
	}

	// The final is a ranked vote: no criteria, no scores, its nominations
	// unranked.
	e.Advance(e.r3, e.baerum.id, "Vinner kortlisten")
	vote, err := e.s.RankingFor(e.ctx, e.admin, e.c.publicID, e.r3)
	if err != nil {
		t.Fatal(err)
	}
	if !vote.Vote() || len(vote.Criteria) != 0 || len(vote.Result.Rows) != 1 || vote.Result.Rows[0].ZRank != 0 || vote.Result.Rows[0].Scores != 0 {
		t.Errorf("ranked vote round: vote %v, criteria %d, rows %+v", vote.Vote(), len(vote.Criteria), vote.Result.Rows)
	}
	if _, ok := vote.Next(); ok {
		t.Error("the final round has a next one")
	}

	// Another cycle's round is no round of this one.
	other := e.newCycle("judging", "nomination", criterion{name: "Nytt", weight: 1, min: 1, max: 5})
	otherRound := e.ID(`SELECT id FROM rounds WHERE cycle_id = ?`, other.id)
	_, err = e.s.RankingFor(e.ctx, e.admin, e.c.publicID, otherRound)
	wantCode(t, "another cycle's round", err, awards.ENotFound)
}

// TestAdvance: the chair advances nominations round by round; the
// shortlist becomes the finalists, without overwriting a decision.
func TestAdvance(t *testing.T) {
	t.Parallel()
	e := newRoundsEnv(t)
	deadline := e.dbNow().Add(7 * 24 * time.Hour).Truncate(time.Second)
	rounds, err := e.advance(e.chair, e.r1, &deadline, item(e.horten, "  Modig og godt gjennomført.\r\n"),
		item(e.asker, "Best på alle kriterier"), item(e.baerum, "Sterk på nytte"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rounds) != 3 || rounds[0].ClosedAt == nil || rounds[0].Current || !rounds[1].Current || rounds[1].Nominations != 3 ||
		rounds[1].ScoringDeadline == nil || !rounds[1].ScoringDeadline.Equal(deadline) || rounds[0].Nominations != 5 {
		t.Fatalf("rounds after advancing: %+v", rounds)
	}
	var closedBy int64
	if err := e.db.NewRaw(`SELECT closed_by FROM rounds WHERE id = ?`, e.r1).Scan(e.ctx, &closedBy); err != nil || closedBy != e.chair.User.ID {
		t.Errorf("round 1 closed by %d (%v)", closedBy, err)
	}
	if n := e.ID(`SELECT count(*) FROM decisions`); n != 0 {
		t.Errorf("advancing into a round before the last recorded %d decisions", n)
	}
	a, err := e.s.Advancements(e.ctx, e.admin, e.c.publicID, e.r1)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, x := range a.Items {
		got = append(got, x.Title+": "+x.Reason+" ("+x.DecidedBy+")")
	}
	want := []string{"Bærum bygger: Sterk på nytte (Jorunn Juryleder)", "Horten handler: Modig og godt gjennomført. (Jorunn Juryleder)",
		"Mulighetenes kommune: Best på alle kriterier (Jorunn Juryleder)"}
	if d := cmp.Diff(want, got); d != "" || !a.HasNext || a.Next.ID != e.r2 || a.Round.ID != e.r1 {
		t.Errorf("advancements out of round 1 (-want +got):\n%s", d)
	}
	if open, err := e.s.Advancements(e.ctx, e.admin, e.c.publicID, e.r2); err != nil || len(open.Items) != 0 {
		t.Errorf("advancements out of the open round 2: %+v, %v", open.Items, err)
	}
	if rk, err := e.s.RankingFor(e.ctx, e.chair, e.c.publicID, 0); err != nil || rk.Round.ID != e.r2 || len(rk.Result.Rows) != 3 {
		t.Errorf("the current ranking after advancing: %v", err)
	}
	entries, err := audit.List(e.ctx, e.db, "decision", e.c.id)
	if err != nil || len(entries) != 1 || entries[0].Action != "advance" || entries[0].ActorID != e.chair.User.ID {
		t.Fatalf("audit: %+v, %v", entries, err)
	}
	var after struct {
		Round       int64 `json:"round"`
		NextRound   int64 `json:"next_round"`
		Nominations []struct {
			PublicID string `json:"public_id"`
			Reason   string `json:"reason"`
		} `json:"nominations"`
	}
	if err := json.Unmarshal(entries[0].After, &after); err != nil || after.Round != e.r1 || after.NextRound != e.r2 ||
		len(after.Nominations) != 3 || after.Nominations[0].PublicID != e.asker.publicID || after.Nominations[0].Reason != "Best på alle kriterier" {
		t.Errorf("audit after %s (%v)", entries[0].After, err)
	}

	// Sent again, the same request finds round 1 closed.
	before := e.snapshot()
	_, err = e.advance(e.chair, e.r1, nil, item(e.oppegard, "Likevel"))
	wantCode(t, "advance out of a closed round", err, awards.EConflict)
	wantIs(t, "advance out of a closed round", err, deciding.ErrStaleRound)
	if awards.ErrorReason(err) != awards.ReasonStaleVersion {
		t.Errorf("stale: reason %q", awards.ErrorReason(err))
	}
	// Oppegård stopped in round 1.
	_, err = e.advance(e.chair, e.r2, nil, item(e.oppegard, "Likevel"))
	wantFields(t, "a nomination not in round 2", err, map[string]string{deciding.Field(deciding.FieldAdvance, e.oppegard.publicID): "deciding.error.advance_nomination"})
	if after := e.snapshot(); after != before {
		t.Errorf("a refusal wrote: %s → %s", before, after)
	}

	// Into the final: the shortlist becomes the finalists; Horten's
	// honourable mention stays as it is.
	e.Decide(e.c.id, e.horten.id, deciding.HonourableMention, "Modig.", "")
	if _, err := e.advance(e.admin, e.r2, nil, item(e.asker, "Vant kortlisten"), item(e.horten, "Nest best")); err != nil {
		t.Fatal(err)
	}
	st, err := e.s.Decision(e.ctx, e.admin, e.c.publicID)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(map[string]string{"Mulighetenes kommune": deciding.Finalist, "Horten handler": deciding.HonourableMention}, outcomes(st)); d != "" {
		t.Errorf("decisions after the shortlist (-want +got):\n%s", d)
	}
	if d, _ := st.Of(e.asker.id); d.DecidedBy != "Astrid Admin" {
		t.Errorf("the finalist recorded by %q", d.DecidedBy)
	}
	if st.Ranking.Round.ID != e.r3 || len(st.Ranking.Result.Rows) != 2 {
		t.Errorf("the decision's ranking is of round %d with %d rows", st.Ranking.Round.ID, len(st.Ranking.Result.Rows))
	}
	entries, _ = audit.List(e.ctx, e.db, "decision", e.c.id)
	if last := string(entries[len(entries)-1].After); !strings.Contains(last, `"finalists": [`+strconv.FormatInt(e.asker.id, 10)+`]`) {
		t.Errorf("the shortlist's audit entry: %s", last)
	}

	// The final round is the last.
	_, err = e.advance(e.admin, e.r3, nil, item(e.asker, "Videre?"))
	wantCode(t, "advance out of the final round", err, awards.EConflict)
	wantIs(t, "advance out of the final round", err, deciding.ErrFinalRound)
	if awards.ErrorReason(err) != awards.ReasonFinalRound {
		t.Errorf("final: reason %q", awards.ErrorReason(err))
	}
}

// TestAdvanceRefusals: each refusal says why and writes nothing.
func TestAdvanceRefusals(t *testing.T) {
	t.Parallel()
	e := newRoundsEnv(t)
	e.conflict(e.chairID, "Træna", "family", "Søster er rådmann")
	f := deciding.Field
	past := e.dbNow().Add(-time.Hour)
	future := e.dbNow().Add(48 * time.Hour)
	other := e.newCycle("judging", "nomination", criterion{name: "Nytt", weight: 1, min: 1, max: 5})
	otherRound := e.ID(`SELECT id FROM rounds WHERE cycle_id = ?`, other.id)
	stranger := e.person("Siri Utenfor", false)
	ok := item(e.asker, "God")

	for _, tc := range []struct {
		name     string
		actor    *awards.Actor
		round    int64
		deadline *time.Time
		items    []deciding.AdvanceItem
		setup    string // SQL run before, undone by undo
		undo     string
		code     string
		cause    error
		fields   map[string]string
	}{
		{name: "a juror", actor: e.jon, round: e.r1, items: []deciding.AdvanceItem{ok}, code: awards.EForbidden, cause: deciding.ErrNotChair},
		{name: "no seat", actor: stranger, round: e.r1, items: []deciding.AdvanceItem{ok}, code: awards.ENotFound},
		{name: "no such round", round: 999999999, items: []deciding.AdvanceItem{ok}, code: awards.ENotFound},
		{name: "another cycle's round", round: otherRound, items: []deciding.AdvanceItem{ok}, code: awards.ENotFound},
		{name: "a later round", round: e.r2, items: []deciding.AdvanceItem{ok}, code: awards.EConflict, cause: deciding.ErrStaleRound},
		{name: "not judging", round: e.r1, items: []deciding.AdvanceItem{ok}, code: awards.EConflict, cause: deciding.ErrNotJudging,
			setup: `UPDATE cycles SET phase = 'decided' WHERE id = ?`, undo: `UPDATE cycles SET phase = 'judging' WHERE id = ?`},
		{name: "nothing chosen", round: e.r1, code: awards.EInvalid, fields: map[string]string{deciding.FieldNominations: "deciding.error.advance_none"}},
		{name: "withdrawn, unknown, twice, stepped aside from", round: e.r1, code: awards.EInvalid,
			items: []deciding.AdvanceItem{item(e.withdrawn, "Trukket"), {NominationID: "finnes-ikke", Reason: "?"}, ok, ok, item(e.traena, "Søster")},
			fields: map[string]string{
				f(deciding.FieldAdvance, e.withdrawn.publicID): "deciding.error.advance_nomination",
				f(deciding.FieldAdvance, "finnes-ikke"):        "deciding.error.advance_nomination",
				f(deciding.FieldAdvance, e.asker.publicID):     "deciding.error.duplicate",
				f(deciding.FieldAdvance, e.traena.publicID):    "deciding.error.advance_conflict"}},
		{name: "reasons missing and too long", round: e.r1, code: awards.EInvalid,
			items: []deciding.AdvanceItem{item(e.asker, " \n "), item(e.baerum, strings.Repeat("x", deciding.MaxReason+1)), item(e.horten, "Ok")},
			fields: map[string]string{
				f(deciding.FieldAdvanceReason, e.asker.publicID):  "deciding.error.advance_reason",
				f(deciding.FieldAdvanceReason, e.baerum.publicID): "form.error.too_long"}},
		{name: "a deadline in the past", round: e.r1, deadline: &past, items: []deciding.AdvanceItem{ok}, code: awards.EInvalid,
			fields: map[string]string{deciding.FieldNextDeadline: "deciding.error.advance_deadline"}},
		{name: "the cycle's deadline passed", round: e.r1, items: []deciding.AdvanceItem{ok}, code: awards.EInvalid,
			setup: `UPDATE cycles SET scoring_deadline = now() - interval '1 day' WHERE id = ?`, undo: `UPDATE cycles SET scoring_deadline = NULL WHERE id = ?`,
			fields: map[string]string{deciding.FieldNextDeadline: "deciding.error.advance_deadline"}},
		{name: "the next round's deadline passed", round: e.r1, items: []deciding.AdvanceItem{ok}, code: awards.EInvalid,
			setup:  `UPDATE rounds SET scoring_deadline = now() - interval '1 day' WHERE cycle_id = ? AND position = 2`,
			undo:   `UPDATE rounds SET scoring_deadline = NULL WHERE cycle_id = ?`,
			fields: map[string]string{deciding.FieldNextDeadline: "deciding.error.advance_deadline"}},
	} {
		if tc.actor == nil {
			tc.actor = e.chair
		}
		if tc.setup != "" {
			e.exec(tc.setup, e.c.id)
		}
		before := e.snapshot()
		_, err := e.advance(tc.actor, tc.round, tc.deadline, tc.items...)
		if tc.fields != nil {
			wantFields(t, tc.name, err, tc.fields)
		} else {
			wantCode(t, tc.name, err, tc.code)
		}
		if tc.cause != nil {
			wantIs(t, tc.name, err, tc.cause)
		}
		if after := e.snapshot(); after != before {
			t.Errorf("%s: the refusal wrote: %s → %s", tc.name, before, after)
		}
		if tc.undo != "" {
			e.exec(tc.undo, e.c.id)
		}
	}

	// A passed round deadline is replaced by a new one given.
	e.exec(`UPDATE rounds SET scoring_deadline = now() - interval '1 day' WHERE id = ?`, e.r2)
	if _, err := e.advance(e.chair, e.r1, &future, ok); err != nil {
		t.Fatalf("advance with a new deadline: %v", err)
	}

	// A cycle of one round has nothing to advance into.
	single := e.judging()
	e.seat(e.chair, single, true, true)
	lone := e.nomination(single, "Asker", "Alene", "submitted", 0)
	_, err := e.s.Advance(e.ctx, e.chair, single.publicID, deciding.AdvanceInput{RoundID: e.ID(`SELECT id FROM rounds WHERE cycle_id = ?`, single.id),
		Nominations: []deciding.AdvanceItem{item(lone, "Alene")}})
	wantIs(t, "a cycle of one round", err, deciding.ErrFinalRound)
}

// TestEarlierResults: a round that shows its jurors earlier results
// gets each earlier round's place and the chair's reason; one that does
// not gets nothing.
func TestEarlierResults(t *testing.T) {
	t.Parallel()
	e := newRoundsEnv(t)
	e.exec(`UPDATE rounds SET shows_earlier_results = true WHERE id = ?`, e.r2)
	for _, j := range []int64{e.chairID, e.jonID} {
		e.scored(j, e.c, e.asker, 5, 5)
		e.scored(j, e.c, e.baerum, 4, 4)
		e.scored(j, e.c, e.horten, 2, 2)
	}
	if _, err := e.advance(e.chair, e.r1, nil, item(e.asker, "Best i runde 1"), item(e.baerum, "Nest best")); err != nil {
		t.Fatal(err)
	}
	e.scoredIn2(e.chairID, e.baerum, 9)
	e.scoredIn2(e.chairID, e.asker, 5)

	type line struct {
		Round  int64
		Place  string
		Of     int
		Reason string
	}
	lines := func(nomination, round int64) []line {
		t.Helper()
		res, err := e.s.EarlierResults(e.ctx, nomination, round)
		if err != nil {
			t.Fatal(err)
		}
		var out []line
		for _, r := range res {
			out = append(out, line{r.Round.ID, scorestats.Place(r.Rank, r.Tied), r.Of, r.Reason})
		}
		return out
	}
	if d := cmp.Diff([]line{{e.r1, "2", 5, "Nest best"}}, lines(e.baerum.id, e.r2)); d != "" {
		t.Errorf("Bærum in round 2 (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]line{{e.r1, "1", 5, "Best i runde 1"}}, lines(e.asker.id, e.r2)); d != "" {
		t.Errorf("Asker in round 2 (-want +got):\n%s", d)
	}
	// Round 3 does not show earlier results, until it does.
	if _, err := e.advance(e.chair, e.r2, nil, item(e.baerum, "Vant kortlisten")); err != nil {
		t.Fatal(err)
	}
	if got := lines(e.baerum.id, e.r3); got != nil {
		t.Errorf("round 3 shows earlier results: %+v", got)
	}
	e.exec(`UPDATE rounds SET shows_earlier_results = true WHERE id = ?`, e.r3)
	if d := cmp.Diff([]line{{e.r1, "2", 5, "Nest best"}, {e.r2, "1", 2, "Vant kortlisten"}}, lines(e.baerum.id, e.r3)); d != "" {
		t.Errorf("Bærum in round 3 (-want +got):\n%s", d)
	}

	other := e.newCycle("judging", "nomination", criterion{name: "Nytt", weight: 1, min: 1, max: 5})
	stranger := e.nomination(other, "Asker", "Annen syklus", "submitted", 0)
	_, err := e.s.EarlierResults(e.ctx, stranger.id, e.r2)
	wantCode(t, "another cycle's nomination", err, awards.ENotFound)
	_, err = e.s.EarlierResults(e.ctx, e.asker.id, 999999999)
	wantCode(t, "no such round", err, awards.ENotFound)
}

// TestRoundsInFeedbackAndExport: a nomination's comments come round by
// round, named by their round, each counted once; the score export
// labels every score with its round and says whether it counts in its
// round's ranking.
func TestRoundsInFeedbackAndExport(t *testing.T) {
	t.Parallel()
	e := newRoundsEnv(t)
	e.score(e.jonID, e.asker, e.c.crit[0], 0, 5, "Nytt for kommunen.")
	e.score(e.jonID, e.asker, e.c.crit[1], 0, 4, "")
	e.submit(e.jonID, e.asker)
	e.Advance(e.r2, e.asker.id, "Best")
	e.CloseRound(e.r1)
	e.score(e.jonID, e.asker, e.crit2, 0, 8, "Godt gjennomført.")
	e.SubmitRound(e.jonID, e.asker.id, e.r2)
	// Horten is not in round 2: a score of it there counts nowhere.
	e.score(e.jonID, e.horten, e.crit2, 0, 3, "")
	e.SubmitRound(e.jonID, e.horten.id, e.r2)

	f, err := e.s.Feedback(e.ctx, e.chair, e.c.publicID, e.asker.publicID)
	if err != nil {
		t.Fatal(err)
	}
	want := "Nytt (Grovsortering):\n- Nytt for kommunen.\n\nGjennomføring (Kortliste):\n- Godt gjennomført."
	if got := f.FromComments(); got != want {
		t.Errorf("draft from comments:\n%s\nwant:\n%s", got, want)
	}
	l, err := e.s.FeedbackList(e.ctx, e.chair, e.c.publicID)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range l.Items {
		if it.ID == e.asker.id && it.Comments != 2 {
			t.Errorf("Asker has %d comments, want 2", it.Comments)
		}
	}

	x, err := e.s.ScoreExport(e.ctx, e.chair, e.c.publicID)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := x.WriteCSV(e.ctx, &buf, exportLabels(t, "nb")); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range readCSV(t, buf.Bytes())[1:] {
		got = append(got, r[5]+" "+r[6]+" "+r[8]+" "+r[12])
	}
	if d := cmp.Diff([]string{"2: Kortliste Gjennomføring 3 Nei", "1: Grovsortering Nytt 5 Ja", "1: Grovsortering Nyttig 4 Ja",
		"2: Kortliste Gjennomføring 8 Ja"}, got); d != "" {
		t.Errorf("export rows (-want +got):\n%s", d)
	}
}
