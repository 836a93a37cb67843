package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestDecisionKeepsEarlierRounds: a decision about a nomination that
// stopped in an earlier round stays on the decision page of a later one,
// with its outcome chosen and a line saying why it is there, so that
// saving the page as it is keeps it. Without that row the form would drop
// it (a change that needs a reason) or, with a reason written for another
// change, remove it unseen.
func TestDecisionKeepsEarlierRounds(t *testing.T) {
	t.Parallel()
	x := newDecidingRun(t)
	a, db, ctx := x.a, x.db, context.Background()
	chair := a.Login(t, "jury-chair")
	page := "/jury/" + x.cycle + "/beslutning"

	// In round 1, Horten gets an honourable mention.
	form := url.Values{"outcome-" + x.horten: {"honourable_mention"}, "statement_nb-" + x.horten: {"Horten viser vei."}}
	if status, body := a.Do(t, chair, http.MethodPost, page, form.Encode()); status != http.StatusSeeOther {
		t.Fatalf("decision in round 1: %d %.400s", status, body)
	}
	// Round 2 takes Bærum only; round 1 is closed.
	if _, err := db.ExecContext(ctx, `
		WITH c AS (SELECT id FROM cycles WHERE public_id = ?),
		r2 AS (INSERT INTO rounds (cycle_id, position, name_nb) SELECT id, 2, 'Kortliste' FROM c RETURNING id)
		INSERT INTO round_nominations (round_id, nomination_id, reason)
		SELECT r2.id, n.id, 'Best i siling' FROM r2, nominations n WHERE n.public_id = ?`, x.cycle, x.baerum); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `UPDATE rounds SET closed_at = now() WHERE position = 1
		AND cycle_id = (SELECT id FROM cycles WHERE public_id = ?)`, x.cycle); err != nil {
		t.Fatal(err)
	}

	status, body := a.Do(t, chair, http.MethodGet, page, "")
	if status != http.StatusOK {
		t.Fatalf("decision page in round 2: %d", status)
	}
	row := body[strings.Index(body, `id="row-`+x.horten+`"`):]
	row = row[:strings.Index(row, `class="dc-decision-row`)]
	for _, want := range []string{"Innovasjon i Horten", "Ikke med i runden som er rangert her", `value="honourable_mention" selected`, "Horten viser vei."} {
		if !strings.Contains(row, want) {
			t.Errorf("Horten's row in round 2 lacks %q: %.1200s", want, row)
		}
	}
	if !strings.Contains(body, `id="row-`+x.baerum+`"`) {
		t.Error("round 2's decision page lacks Bærum")
	}

	// The page saved as it stands, with Bærum a finalist: Horten's
	// mention stays, and no reason is asked for.
	form.Set("outcome-"+x.baerum, "finalist")
	if status, body := a.Do(t, chair, http.MethodPost, page, form.Encode()); status != http.StatusSeeOther {
		t.Fatalf("decision in round 2: %d %.600s", status, body)
	}
	var outcomes []string
	if err := db.NewRaw(`SELECT n.title || ': ' || d.outcome FROM decisions d JOIN nominations n ON n.id = d.nomination_id
		JOIN cycles c ON c.id = d.cycle_id WHERE c.public_id = ? ORDER BY n.title`, x.cycle).Scan(ctx, &outcomes); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(outcomes, "; "); got != "Innovasjon i Bærum: finalist; Innovasjon i Horten: honourable_mention" {
		t.Errorf("decisions after round 2's save: %s", got)
	}
}
