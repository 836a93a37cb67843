package scoring_test

import (
	"slices"
	"testing"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/scoring"
)

// TestRounds follows a cycle judged in two rounds: after the chair
// advances two of three nominations, jurors score the final round's own
// criterion from scratch, see only the nominations advanced, and only if
// they serve in the round; conflicts carry over; the first round's
// discussion is the chair's unless the round shows earlier results; the
// round's own deadline closes it.
func TestRounds(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.judging()
	final := e.id(`INSERT INTO rounds (cycle_id, position, name_nb) VALUES (?, 2, 'Finale') RETURNING id`, c.id)
	finalCrit := e.id(`INSERT INTO criteria (cycle_id, round_id, name_nb, scale_min, scale_max, scale_step, position)
		VALUES (?, ?, 'Overførbarhet', 1, 5, 1, 1) RETURNING id`, c.id, final)
	anne, bjorn, cecilie := e.person("anne", false), e.person("bjørn", false), e.person("cecilie", false)
	e.seat(anne, c, true, true)
	bjornSeat := e.seat(bjorn, c, false, true)
	cecilieSeat := e.seat(cecilie, c, false, true)
	// Cecilie screens in round 1 only.
	e.exec(`DELETE FROM round_jurors WHERE round_id = ? AND juror_id = ?`, final, cecilieSeat)
	e.Conflict(bjornSeat, e.orgs["Bærum"], "other", "Tidligere ansatt")
	asker, traena, baerum := e.nomination(c, "Asker", "submitted", 1), e.nomination(c, "Træna", "submitted", 1),
		e.nomination(c, "Bærum", "submitted", 1)

	mine := func(who *awards.Actor) []string {
		t.Helper()
		l, err := e.s.Mine(e.ctx, who, c.publicID)
		wantCode(t, who.User.Name+" lists", err, "")
		out := []string{}
		for _, it := range l.Items {
			out = append(out, it.PublicID)
		}
		slices.Sort(out)
		return out
	}
	same := func(what string, got []string, want ...string) {
		t.Helper()
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", what, got, want)
		}
	}

	// Round 1: two criteria, three nominations (bjørn steps aside from Bærum).
	same("bjørn's round 1", mine(bjorn), asker, traena)
	same("cecilie's round 1", mine(cecilie), asker, traena, baerum)
	for _, who := range []*awards.Actor{anne, bjorn} {
		_, err := e.s.Submit(e.ctx, who, c.publicID, asker, full(c, 4, 8))
		wantCode(t, who.User.Name+" submits round 1", err, "")
	}
	_, err := e.s.AddComment(e.ctx, bjorn, c.publicID, asker, "Sterk i runde 1.")
	wantCode(t, "bjørn comments in round 1", err, "")

	// The chair advances Asker and Bærum.
	e.exec(`UPDATE rounds SET closed_at = now() WHERE cycle_id = ? AND position = 1`, c.id)
	for _, n := range []string{asker, baerum} {
		e.exec(`INSERT INTO round_nominations (round_id, nomination_id, reason) VALUES (?, ?, 'Best i siling')`, final, e.nominationID(n))
	}

	same("bjørn's final (Træna stopped, Bærum still conflicted)", mine(bjorn), asker)
	same("anne's final", mine(anne), asker, baerum)
	same("cecilie, who does not serve in the final", mine(cecilie))
	if _, err := e.s.Screen(e.ctx, bjorn, c.publicID, traena); err == nil {
		t.Error("bjørn opens Træna, which did not go on")
	}
	if _, err := e.s.Screen(e.ctx, cecilie, c.publicID, asker); err == nil {
		t.Error("cecilie opens Asker in a round she does not serve in")
	}

	scr, err := e.s.Screen(e.ctx, bjorn, c.publicID, asker)
	wantCode(t, "bjørn opens Asker in the final", err, "")
	if len(scr.Criteria) != 1 || scr.Criteria[0].ID != finalCrit {
		t.Errorf("the final's criteria: %+v, want only Overførbarhet", scr.Criteria)
	}
	if scr.Status != scoring.NotStarted || len(scr.Scores) != 0 || !scr.CanSave {
		t.Errorf("bjørn's final starts at %q with %d scores (can save %v), want a fresh sheet", scr.Status, len(scr.Scores), scr.CanSave)
	}
	if scr.Cycle.Rounds != 2 || scr.Cycle.Round.Position != 2 || scr.Cycle.Round.Name("nb") != "Finale" {
		t.Errorf("the screen's round: %d of %d %q", scr.Cycle.Round.Position, scr.Cycle.Rounds, scr.Cycle.Round.Name("nb"))
	}
	// A round-1 criterion is not the final's.
	_, err = e.s.Save(e.ctx, bjorn, c.publicID, asker, []scoring.Cell{cell(c.crit[0], v(3), "")})
	if err == nil {
		t.Error("bjørn saves a round-1 criterion in the final")
	}
	_, err = e.s.Submit(e.ctx, bjorn, c.publicID, asker, []scoring.Cell{cell(finalCrit, v(5), "")})
	wantCode(t, "bjørn submits the final", err, "")
	if got := e.count(`SELECT count(*) FROM score_submissions WHERE juror_id = ?`, bjornSeat); got != 2 {
		t.Errorf("bjørn has %d submissions, want one per round", got)
	}

	comments := func(who *awards.Actor) int {
		t.Helper()
		cs, err := e.s.Comments(e.ctx, who, c.publicID, asker)
		wantCode(t, who.User.Name+" reads the discussion", err, "")
		return len(cs)
	}
	_, err = e.s.Submit(e.ctx, anne, c.publicID, asker, []scoring.Cell{cell(finalCrit, v(4), "")})
	wantCode(t, "anne submits the final", err, "")
	if n := comments(bjorn); n != 0 {
		t.Errorf("bjørn reads %d posts of round 1 in a round that does not show earlier results", n)
	}
	if n := comments(anne); n != 1 {
		t.Errorf("the chair reads %d posts of round 1, want 1", n)
	}
	e.exec(`UPDATE rounds SET shows_earlier_results = true WHERE id = ?`, final)
	if n := comments(bjorn); n != 1 {
		t.Errorf("bjørn reads %d posts of round 1 once the final shows earlier results, want 1", n)
	}

	// The final's own deadline closes it, though the cycle's is ahead.
	e.exec(`UPDATE rounds SET scoring_deadline = now() - interval '1 minute' WHERE id = ?`, final)
	e.exec(`DELETE FROM score_submissions WHERE juror_id = ? AND round_id = ?`, bjornSeat, final)
	_, err = e.s.Save(e.ctx, bjorn, c.publicID, asker, []scoring.Cell{cell(finalCrit, v(4), "")})
	wantIs(t, "bjørn saves after the final's deadline", err, scoring.ErrClosed)
}
