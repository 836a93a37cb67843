package assignment_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/assignment"
	"github.com/heder-awards/heder/internal/awards"
)

// bidWorld is a closed cycle in ModeAuto with K = 1: jurors Anne, Bo and
// Cato (Cato works for Bergen), nominations from Asker, Bergen and Voss.
func bidWorld(t *testing.T) *world {
	w := newWorldIn(t, "closed", "auto", 1)
	w.juror("Anne", "")
	w.juror("Bo", "")
	w.juror("Cato", "Bergen")
	w.nomination("Asker-appen", "Asker")
	w.nomination("Bergensmodellen", "Bergen")
	w.nomination("Vossaveien", "Voss")
	for _, j := range []string{"Anne", "Bo", "Cato"} {
		w.reviewAll(j)
	}
	return w
}

func bidsOf(b assignment.Bidding) map[string]assignment.Bid {
	out := map[string]assignment.Bid{}
	for _, it := range b.Items {
		out[it.Title] = it.Bid
	}
	return out
}

func TestBidsRules(t *testing.T) {
	t.Parallel()
	w := bidWorld(t)
	cato := w.actor("Cato")

	// Cato sees every nomination but Bergen's, all willing.
	b, err := w.s.MyBids(w.ctx, cato, w.public)
	if err != nil {
		t.Fatal(err)
	}
	if !b.Open || len(b.Items) != 2 || bidsOf(b)["Asker-appen"] != assignment.BidWilling {
		t.Fatalf("bidding %+v", b)
	}

	// Bad input: unknown and conflicted nominations, a bad value, a
	// nomination twice; nothing is saved.
	_, err = w.s.SetBids(w.ctx, cato, w.public, []assignment.BidChange{
		{Nomination: "nope", Bid: assignment.BidEager},
		{Nomination: w.pub["Bergensmodellen"], Bid: assignment.BidEager},
		{Nomination: w.pub["Vossaveien"], Bid: "maybe"},
		{Nomination: w.pub["Asker-appen"], Bid: assignment.BidEager},
		{Nomination: w.pub["Asker-appen"], Bid: assignment.BidNotWanted},
	})
	wantFields(t, err, map[string]string{
		"bids[0].nomination_id": "assignment.error.bid_nomination",
		"bids[1].nomination_id": "assignment.error.bid_conflict",
		"bids[2].bid":           "assignment.error.bid",
		"bids[4].nomination_id": "assignment.error.duplicate",
	})
	if n := w.count(`SELECT count(*) FROM juror_bids`); n != 0 {
		t.Fatalf("%d bids saved after a refusal", n)
	}

	// A good change is saved and audited once; saving the same again
	// writes no audit entry.
	change := []assignment.BidChange{{Nomination: w.pub["Asker-appen"], Bid: assignment.BidEager},
		{Nomination: w.pub["Vossaveien"], Bid: assignment.BidNotWanted}}
	for range 2 {
		if b, err = w.s.SetBids(w.ctx, cato, w.public, change); err != nil {
			t.Fatal(err)
		}
	}
	if got := bidsOf(b); got["Asker-appen"] != assignment.BidEager || got["Vossaveien"] != assignment.BidNotWanted {
		t.Fatalf("bids %v", got)
	}
	if n := w.count(`SELECT count(*) FROM audit_log WHERE action = 'assign_bids' AND entity = 'juror' AND entity_id = ?`, w.jurors["Cato"]); n != 1 {
		t.Fatalf("%d audit entries, want 1", n)
	}
	// Leaving a nomination out makes it willing again.
	if b, err = w.s.SetBids(w.ctx, cato, w.public, change[:1]); err != nil || bidsOf(b)["Vossaveien"] != assignment.BidWilling {
		t.Fatalf("bids %v, %v", bidsOf(b), err)
	}

	// Who may bid: not the admin without a seat (EForbidden), not an
	// undeclared juror, not anonymous.
	_, err = w.s.MyBids(w.ctx, w.admin(), w.public)
	wantCode(t, err, awards.EForbidden)
	w.juror("Dina", "")
	w.exec(`UPDATE jurors SET declared_at = NULL WHERE id = ?`, w.jurors["Dina"])
	_, err = w.s.MyBids(w.ctx, w.actor("Dina"), w.public)
	if wantCode(t, err, awards.EForbidden); !errors.Is(err, assignment.ErrNotDeclared) {
		t.Fatalf("undeclared: %v", err)
	}
	_, err = w.s.MyBids(w.ctx, &awards.Actor{}, w.public)
	wantCode(t, err, awards.EUnauthenticated)

	// Bidding closes with the first automatic run in judging, and in
	// ModeAll; reading stays possible.
	w.exec(`UPDATE cycles SET phase = 'judging' WHERE id = ?`, w.cycle)
	if _, err := w.s.SetBids(w.ctx, cato, w.public, change); err != nil {
		t.Fatalf("judging before the run: %v", err)
	}
	w.auto(1, false)
	_, err = w.s.SetBids(w.ctx, cato, w.public, change)
	if wantCode(t, err, awards.EConflict); !errors.Is(err, assignment.ErrBiddingClosed) {
		t.Fatalf("after the run: %v", err)
	}
	if b, err = w.s.MyBids(w.ctx, cato, w.public); err != nil || b.Open {
		t.Fatalf("after the run: open %v, %v", b.Open, err)
	}
}

// TestBidsInTheRun checks that the automatic run honours bids under
// balance, and that the matrix explains the bids it could not honour.
func TestBidsInTheRun(t *testing.T) {
	t.Parallel()
	w := bidWorld(t)
	set := func(juror string, bids map[string]assignment.Bid) {
		t.Helper()
		var ch []assignment.BidChange
		for title, b := range bids {
			ch = append(ch, assignment.BidChange{Nomination: w.pub[title], Bid: b})
		}
		if _, err := w.s.SetBids(w.ctx, w.actor(juror), w.public, ch); err != nil {
			t.Fatal(err)
		}
	}
	// Everyone is eager on Asker-appen, which only one can get (K = 1);
	// Anne does not want Vossaveien, Bo does not want Bergensmodellen.
	set("Anne", map[string]assignment.Bid{"Asker-appen": assignment.BidEager, "Vossaveien": assignment.BidNotWanted})
	set("Bo", map[string]assignment.Bid{"Asker-appen": assignment.BidEager, "Bergensmodellen": assignment.BidNotWanted})
	set("Cato", map[string]assignment.Bid{"Asker-appen": assignment.BidEager})
	run := w.auto(1, false)
	if run.MinLoad != 1 || run.MaxLoad != 1 {
		t.Fatalf("loads %d..%d: bids must not unbalance", run.MinLoad, run.MaxLoad)
	}
	// Cato steps aside from Bergen, so Bergensmodellen goes to Anne (Bo
	// does not want it); Bo and Cato share the other two, one of them
	// getting the Asker-appen they are both eager on.
	if got := w.works(); len(got) != 3 || !got["Anne/Bergensmodellen"] || got["Anne/Vossaveien"] {
		t.Fatalf("works %v", got)
	}
	if run.Eager != 3 || run.EagerAssigned != 1 || run.NotWanted != 2 || run.NotWantedAssigned != 0 {
		t.Fatalf("run %+v", run)
	}
	m := w.matrix()
	r := m.Bids
	if r == nil || r.Total() != 5 || r.Honoured() != 3 || len(r.Notes) != 2 {
		t.Fatalf("report %+v", r)
	}
	for _, n := range r.Notes {
		if n.Bid != assignment.BidEager || n.Why != assignment.WhyBalance {
			t.Fatalf("note %+v", n)
		}
	}

	// The admin gives Anne Vossaveien by hand: her not-wanted cell is
	// then explained as manual.
	w.set("Anne", "Vossaveien", assignment.ChoiceAssigned)
	r = w.matrix().Bids
	var manual *assignment.BidNote
	for i, n := range r.Notes {
		if n.Bid == assignment.BidNotWanted {
			manual = &r.Notes[i]
		}
	}
	if manual == nil || manual.Why != assignment.WhyManual || r.Notes[0].Bid != assignment.BidNotWanted {
		t.Fatalf("notes %+v", r.Notes)
	}
	text := manual.Explain(localizer(t, "nb").T)
	if !strings.Contains(text, "Anne") || !strings.Contains(text, "Vossaveien") || !strings.Contains(text, "manuelt") {
		t.Fatalf("explanation %q", text)
	}
}

// TestBidsNotWantedByAll: when every juror who may take a nomination
// would rather not, K forces one of them, and the report says so.
func TestBidsNotWantedByAll(t *testing.T) {
	t.Parallel()
	w := bidWorld(t)
	for _, j := range []string{"Anne", "Bo", "Cato"} {
		if _, err := w.s.SetBids(w.ctx, w.actor(j), w.public, []assignment.BidChange{
			{Nomination: w.pub["Vossaveien"], Bid: assignment.BidNotWanted}}); err != nil {
			t.Fatal(err)
		}
	}
	if run := w.auto(1, false); run.NotWantedAssigned != 1 || run.MaxLoad != 1 {
		t.Fatalf("run %+v", run)
	}
	r := w.matrix().Bids
	if r == nil || r.Total() != 3 || r.Honoured() != 2 || len(r.Notes) != 1 || r.Notes[0].Why != assignment.WhyK ||
		r.Notes[0].Nomination != w.pub["Vossaveien"] {
		t.Fatalf("report %+v", r)
	}
}
