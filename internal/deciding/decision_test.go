package deciding_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/deciding"
)

// decisionEnv is a cycle in judging with a chair, five nominations in
// the running and one withdrawn.
type decisionEnv struct {
	*env
	c                               cycle
	admin, chair                    *awards.Actor
	chairID                         int64
	asker, baerum, horten, oppegard nom
	traena, withdrawn               nom
}

func newDecisionEnv(t *testing.T) *decisionEnv {
	e := &decisionEnv{env: newEnv(t)}
	e.c = e.judging()
	e.admin = e.person("Astrid Admin", true)
	e.chair = e.person("Jorunn Juryleder", false)
	e.chairID = e.seat(e.chair, e.c, true, true)
	e.asker = e.nomination(e.c, "Asker", "Mulighetenes kommune", "submitted", 0)
	e.baerum = e.nomination(e.c, "Bærum", "Bærum bygger", "submitted", 0)
	e.horten = e.nomination(e.c, "Horten", "Horten handler", "submitted", 0)
	e.oppegard = e.nomination(e.c, "Oppegård", "Oppegård tar grep", "submitted", 0)
	e.traena = e.nomination(e.c, "Træna", "Tenk Træna", "submitted", 0)
	e.withdrawn = e.nomination(e.c, "Sandnes", "Trukket", "withdrawn", 0)
	return e
}

func finalist(n nom) deciding.DecisionItem {
	return deciding.DecisionItem{NominationID: n.publicID, Outcome: deciding.Finalist}
}

func winner(n nom, statement string) deciding.DecisionItem {
	return deciding.DecisionItem{NominationID: n.publicID, Outcome: deciding.Winner, StatementNB: statement}
}

func (e *decisionEnv) set(actor *awards.Actor, reason string, items ...deciding.DecisionItem) (deciding.DecisionState, error) {
	return e.s.SetDecision(e.ctx, actor, e.c.publicID, deciding.DecisionInput{Decisions: items, Reason: reason})
}

func outcomes(st deciding.DecisionState) map[string]string {
	out := map[string]string{}
	for _, d := range st.Decisions {
		out[d.Title] = d.Outcome
	}
	return out
}

func TestDecisionRules(t *testing.T) {
	t.Parallel()
	e := newDecisionEnv(t)
	f := deciding.Field

	// Three finalists, the first time: no reason needed.
	st, err := e.set(e.chair, "", finalist(e.asker), finalist(e.horten), finalist(e.oppegard))
	if err != nil {
		t.Fatal(err)
	}
	if st.Count(deciding.Finalist) != 3 || st.Decisions[0].DecidedBy != "Jorunn Juryleder" {
		t.Fatalf("decisions %+v", st.Decisions)
	}

	bad := []struct {
		name   string
		reason string
		items  []deciding.DecisionItem
		fields map[string]string
	}{
		{"a winner without a statement", "", []deciding.DecisionItem{winner(e.asker, " "), finalist(e.horten), finalist(e.oppegard)},
			map[string]string{f("statement_nb", e.asker.publicID): "deciding.error.statement_required"}},
		{"an honourable mention without a statement", "",
			[]deciding.DecisionItem{finalist(e.asker), finalist(e.horten), finalist(e.oppegard),
				{NominationID: e.traena.publicID, Outcome: deciding.HonourableMention, StatementNN: "Berre nynorsk"}},
			map[string]string{f("statement_nb", e.traena.publicID): "deciding.error.statement_required"}},
		{"a winner who is not a finalist", "", []deciding.DecisionItem{finalist(e.asker), finalist(e.horten), finalist(e.oppegard),
			winner(e.baerum, "Bærum vinner")},
			map[string]string{f("outcome", e.baerum.publicID): "deciding.error.winner_not_finalist"}},
		{"a changed shortlist without a reason", " ", []deciding.DecisionItem{finalist(e.asker), finalist(e.horten), finalist(e.baerum)},
			map[string]string{"reason": "deciding.error.reason_required"}},
		{"a withdrawn nomination", "", []deciding.DecisionItem{finalist(e.asker), finalist(e.horten), finalist(e.oppegard), finalist(e.withdrawn)},
			map[string]string{f("outcome", e.withdrawn.publicID): "deciding.error.nomination"}},
		{"an unknown nomination", "", []deciding.DecisionItem{finalist(e.asker), finalist(e.horten), finalist(e.oppegard),
			{NominationID: "nope", Outcome: deciding.Finalist}},
			map[string]string{f("outcome", "nope"): "deciding.error.nomination"}},
		{"an unknown outcome", "", []deciding.DecisionItem{finalist(e.asker), finalist(e.horten), finalist(e.oppegard),
			{NominationID: e.traena.publicID, Outcome: "runner_up"}},
			map[string]string{f("outcome", e.traena.publicID): "deciding.error.outcome"}},
		{"a nomination twice", "", []deciding.DecisionItem{finalist(e.asker), finalist(e.horten), finalist(e.oppegard), winner(e.asker, "Ja")},
			map[string]string{f("outcome", e.asker.publicID): "deciding.error.duplicate"}},
		{"a statement too long", "", []deciding.DecisionItem{finalist(e.asker), finalist(e.horten),
			{NominationID: e.oppegard.publicID, Outcome: deciding.Finalist, StatementEN: strings.Repeat("x", deciding.MaxStatement+1)}},
			map[string]string{f("statement_en", e.oppegard.publicID): "form.error.too_long"}},
	}
	for _, tc := range bad {
		_, err := e.set(e.chair, tc.reason, tc.items...)
		wantFields(t, tc.name, err, tc.fields)
	}

	// Choosing the winner among the finalists is the decision going on:
	// no reason needed.
	st, err = e.set(e.chair, "", winner(e.asker, "  Asker jobber helhetlig og systematisk.  "), finalist(e.horten), finalist(e.oppegard))
	if err != nil {
		t.Fatal(err)
	}
	d, _ := st.Of(e.asker.id)
	if d.Outcome != deciding.Winner || d.StatementNB != "Asker jobber helhetlig og systematisk." || st.Count(deciding.Finalist) != 3 {
		t.Errorf("after naming the winner: %+v", st.Decisions)
	}
	// Replacing a finalist needs a reason, and is audited with it.
	const why = "Juryen så på Horten igjen på andre møte."
	st, err = e.set(e.chair, why, winner(e.asker, "Asker jobber helhetlig og systematisk."), finalist(e.baerum), finalist(e.oppegard),
		deciding.DecisionItem{NominationID: e.traena.publicID, Outcome: deciding.HonourableMention, StatementNB: "Lite, men modig."})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"Mulighetenes kommune": "winner", "Bærum bygger": "finalist", "Oppegård tar grep": "finalist",
		"Tenk Træna": "honourable_mention"}
	if got := outcomes(st); !equalMaps(got, want) {
		t.Errorf("outcomes %v, want %v", got, want)
	}
	entries, err := audit.List(e.ctx, e.db, "decision", e.c.id)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 3 {
		t.Fatalf("%d audit entries, want 3 (one per change)", len(entries))
	}
	last := entries[2]
	var before, after struct {
		Decisions []struct {
			NominationID int64  `json:"nomination_id"`
			Outcome      string `json:"outcome"`
		}
		Reason string
	}
	if err := json.Unmarshal(last.Before, &before); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(last.After, &after); err != nil {
		t.Fatal(err)
	}
	if after.Reason != why || len(before.Decisions) != 3 || len(after.Decisions) != 4 || last.ActorID != e.chair.User.ID {
		t.Errorf("audit entry %s → %s by %d", last.Before, last.After, last.ActorID)
	}
	// Unchanged decisions keep who made them and when.
	d2, _ := st.Of(e.asker.id)
	if !d2.DecidedAt.Equal(d.DecidedAt) {
		t.Errorf("the winner's decision was rewritten: %v, then %v", d.DecidedAt, d2.DecidedAt)
	}
	// The same set again changes nothing and needs no reason.
	if _, err := e.set(e.chair, "", winner(e.asker, "Asker jobber helhetlig og systematisk."), finalist(e.baerum), finalist(e.oppegard),
		deciding.DecisionItem{NominationID: e.traena.publicID, Outcome: deciding.HonourableMention, StatementNB: "Lite, men modig."}); err != nil {
		t.Fatal(err)
	}
	if entries, _ := audit.List(e.ctx, e.db, "decision", e.c.id); len(entries) != 3 {
		t.Errorf("%d audit entries after an empty change, want 3", len(entries))
	}
	// Adding an English statement to a written decision is no change of mind.
	if _, err := e.set(e.chair, "", deciding.DecisionItem{NominationID: e.asker.publicID, Outcome: deciding.Winner,
		StatementNB: "Asker jobber helhetlig og systematisk.", StatementEN: "Asker works holistically."},
		finalist(e.baerum), finalist(e.oppegard),
		deciding.DecisionItem{NominationID: e.traena.publicID, Outcome: deciding.HonourableMention, StatementNB: "Lite, men modig."}); err != nil {
		t.Fatal(err)
	}
	// Clearing it all is a change, with a reason.
	_, err = e.set(e.admin, "")
	wantFields(t, "clearing without a reason", err, map[string]string{"reason": "deciding.error.reason_required"})
	if st, err = e.set(e.admin, "Feil syklus"); err != nil || len(st.Decisions) != 0 {
		t.Fatalf("clearing: %v, %+v", err, st.Decisions)
	}

	// The decision never touches the nominations' status.
	var statuses []string
	if err := e.db.NewRaw(`SELECT DISTINCT status FROM nominations WHERE cycle_id = ? AND status <> 'withdrawn'`, e.c.id).Scan(e.ctx, &statuses); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(statuses, []string{"submitted"}) {
		t.Errorf("statuses %v, want submitted only", statuses)
	}
}

// TestWinnerWithoutFinalists: a cycle that names no finalists may name
// its winner directly.
func TestWinnerWithoutFinalists(t *testing.T) {
	t.Parallel()
	e := newDecisionEnv(t)
	st, err := e.set(e.admin, "", winner(e.traena, "Træna viser vei."))
	if err != nil {
		t.Fatal(err)
	}
	if st.Count(deciding.Winner) != 1 || st.Count(deciding.Finalist) != 1 {
		t.Errorf("counts: %d winners, %d finalists (the winner among them)", st.Count(deciding.Winner), st.Count(deciding.Finalist))
	}
}

// TestDecisionChairStepsAside: the chair neither sees nor can choose a
// nomination they step aside from, and their changes leave the admin's
// decision about it alone.
func TestDecisionChairStepsAside(t *testing.T) {
	t.Parallel()
	e := newDecisionEnv(t)
	e.conflict(e.chairID, "Asker", "family", "Søster er rådmann")
	if _, err := e.set(e.admin, "", finalist(e.asker)); err != nil {
		t.Fatal(err)
	}
	st, err := e.s.Decision(e.ctx, e.chair, e.c.publicID)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Decisions) != 0 || st.Ranking.Hidden != 1 {
		t.Errorf("the chair sees %+v (hidden %d)", st.Decisions, st.Ranking.Hidden)
	}
	_, err = e.set(e.chair, "", finalist(e.asker), finalist(e.horten))
	wantFields(t, "choosing Asker", err, map[string]string{deciding.Field("outcome", e.asker.publicID): "deciding.error.nomination"})
	if _, err := e.set(e.chair, "", finalist(e.horten), finalist(e.oppegard)); err != nil {
		t.Fatal(err)
	}
	// A winner must still come from the whole shortlist, Asker included.
	_, err = e.set(e.chair, "", finalist(e.horten), finalist(e.oppegard), winner(e.traena, "Træna"))
	wantFields(t, "a winner off the shortlist", err, map[string]string{deciding.Field("outcome", e.traena.publicID): "deciding.error.winner_not_finalist"})
	all, err := e.s.Decision(e.ctx, e.admin, e.c.publicID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"Mulighetenes kommune": "finalist", "Horten handler": "finalist", "Oppegård tar grep": "finalist"}
	if got := outcomes(all); !equalMaps(got, want) {
		t.Errorf("outcomes %v, want %v", got, want)
	}
}

func TestDecisionAccess(t *testing.T) {
	t.Parallel()
	e := newDecisionEnv(t)
	juror := e.person("juror", false)
	e.seat(juror, e.c, false, true)
	_, err := e.set(juror, "", finalist(e.asker))
	wantIs(t, "juror", err, deciding.ErrNotChair)
	_, err = e.s.Decision(e.ctx, juror, e.c.publicID)
	wantIs(t, "juror reads", err, deciding.ErrNotChair)
	for _, phase := range []string{"closed", "published"} {
		e.exec(`UPDATE cycles SET phase = ? WHERE id = ?`, phase, e.c.id)
		_, err = e.set(e.chair, "", finalist(e.asker))
		wantIs(t, phase, err, deciding.ErrClosed)
		wantCode(t, phase, err, awards.EConflict)
	}
	e.exec(`UPDATE cycles SET phase = 'decided' WHERE id = ?`, e.c.id)
	if _, err := e.set(e.chair, "", finalist(e.asker)); err != nil {
		t.Errorf("decided: %v", err)
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestNoChangesAfterTheWinnersAreOut: once the winners' announcement has
// passed, the decision and the feedback are public, so changing them is
// refused until the announcement is unpublished.
func TestNoChangesAfterTheWinnersAreOut(t *testing.T) {
	t.Parallel()
	e := newDecisionEnv(t)
	if _, err := e.set(e.chair, "", finalist(e.asker), finalist(e.horten), finalist(e.oppegard)); err != nil {
		t.Fatal(err)
	}
	// Choosing the winner after the finalists are out is the normal course.
	e.exec(`INSERT INTO announcements (cycle_id, kind, publish_at) VALUES (?, 'finalists', now() - interval '1 day')`, e.c.id)
	if _, err := e.set(e.chair, "", winner(e.asker, "Asker jobber helhetlig."), finalist(e.horten), finalist(e.oppegard)); err != nil {
		t.Fatalf("choosing the winner after the finalists' announcement: %v", err)
	}
	e.exec(`INSERT INTO announcements (cycle_id, kind, publish_at) VALUES (?, 'winners', now() - interval '1 minute')`, e.c.id)
	_, err := e.set(e.chair, "Ombestemt oss", winner(e.horten, "Horten."), finalist(e.asker), finalist(e.oppegard))
	wantIs(t, "changing the winner after the announcement", err, deciding.ErrAnnounced)
	e.exec(`UPDATE announcements SET unpublished_at = now(), unpublish_reason = 'Feil vinner' WHERE kind = 'winners'`)
	if _, err := e.set(e.chair, "Ombestemt oss", winner(e.horten, "Horten."), finalist(e.asker), finalist(e.oppegard)); err != nil {
		t.Fatalf("after unpublishing: %v", err)
	}
}
