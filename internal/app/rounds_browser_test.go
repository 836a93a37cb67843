package app_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/browsertest"
)

// TestRoundsInBrowser defines a cycle's rounds on its pages as an admin
// does: adds a shortlist and a final by ranked vote with the form (once
// without a name), takes the chair out of the shortlist with the
// checkboxes, puts a criterion in the shortlist with the round select,
// and deletes the final; axe checks each page.
func TestRoundsInBrowser(t *testing.T) {
	axeBefore := browsertest.AxeCount()
	a := apptest.Start(t)
	j := &journeys{app: a, browser: browsertest.New(t), checked: map[string]bool{}}
	admin := a.Login(t, "admin")
	owner := orgID(t, a, "Kommunal- og distriktsdepartementet")
	mustDo := func(method, path, body string, want int) string {
		t.Helper()
		status, resp := a.Do(t, admin, method, path, body)
		if status != want {
			t.Fatalf("%s %s: %d, want %d: %.600s", method, path, status, want, resp)
		}
		return resp
	}
	mustDo("POST", "/api/v1/awards", fmt.Sprintf(`{"slug":"rundepris","name_nb":"Rundeprisen","owner_id":"%d"}`, owner), 201)
	cycle := cyclesDecode[struct{ ID string }](t, mustDo("POST", "/api/v1/awards/rundepris/cycles", `{"year":2040,"title":"Rundeprisen 2040"}`, 201)).ID
	db := nomDB(t, a)
	chair := asgSeat(t, db, cycle, userID(t, a, a.Login(t, "jury-chair")), true)
	juror := asgSeat(t, db, cycle, userID(t, a, a.Login(t, "jury-1")), false)
	mustDo("POST", "/api/v1/cycles/"+cycle+"/criteria", `{"name_nb":"Nytt"}`, 201)
	rounds := func() []roundJSON {
		return cyclesDecode[struct{ Items []roundJSON }](t, mustDo("GET", "/api/v1/cycles/"+cycle+"/rounds", "", 200)).Items
	}

	p := j.tab(t)
	p.login("admin")
	page := "/admin/sykluser/" + cycle
	p.visit(page)
	p.wantText("#rounds-table", "Juryvurdering", "Ikke startet")
	p.check("rounds-cycle")
	if status := p.click(`#new-round button[type="submit"]`); status != http.StatusUnprocessableEntity {
		t.Errorf("a round without a name: status %d", status)
	}
	p.wantFieldError("new-round-name_nb", "Må fylles ut")
	p.check("rounds-cycle-refused")
	p.fill("#new-round-name_nb", "Kortliste")
	if status := p.click(`#new-round button[type="submit"]`); status != http.StatusOK {
		t.Fatalf("add the shortlist: status %d", status)
	}
	p.wantFlash("Runden er lagt til")
	p.fill("#new-round-name_nb", "Finale")
	p.tab.Run(t, chromedp.SetValue(chromedp.CSS("#new-round-kind"), "ranked_vote"))
	if status := p.click(`#new-round button[type="submit"]`); status != http.StatusOK {
		t.Fatalf("add the final: status %d", status)
	}
	p.wantText("#rounds-table", "Kortliste", "Finale", "Rangert stemmegivning")
	list := rounds()
	if len(list) != 3 || list[2].Kind != "ranked_vote" {
		t.Fatalf("rounds: %+v", list)
	}
	shortlist, final := list[1].ID, list[2].ID

	// The chair judges only the final.
	p.visit(fmt.Sprintf("/admin/runder/%d", shortlist))
	p.wantText("main h1", "Runde 2: Kortliste")
	p.check("round")
	p.tab.Run(t, chromedp.Click(chromedp.CSS(fmt.Sprintf("#round-jurors-juror_ids-%d", chair))))
	if status := p.click(`#round-jurors button[type="submit"]`); status != http.StatusOK {
		t.Fatalf("save the jurors: status %d", status)
	}
	p.wantFlash("Jurymedlemmene i runden er lagret.")
	if got := rounds()[1].JurorIDs; len(got) != 1 || int64(got[0]) != juror {
		t.Errorf("the shortlist's jurors: %v", got)
	}

	// A criterion for the shortlist; the list is grouped by round.
	p.tab.Run(t, chromedp.SetValue(chromedp.CSS("#new-criterion-round_id"), fmt.Sprint(shortlist)))
	p.fill("#new-criterion-name_nb", "Helhet")
	if status := p.click(`#new-criterion button[type="submit"]`); status != http.StatusOK {
		t.Fatalf("add the criterion: status %d", status)
	}
	p.wantText("#criteria-round-2 + .ds-table__wrapper", "Helhet")
	p.wantText("#criteria-round-3 + p", "Rangert stemmegivning")
	p.check("rounds-criteria")

	p.visit(fmt.Sprintf("/admin/runder/%d", final))
	if status := p.click(`form[action$="/slett"] button`); status != http.StatusOK {
		t.Fatalf("delete the final: status %d", status)
	}
	p.wantFlash("Runden er slettet")
	if n := len(rounds()); n != 2 {
		t.Errorf("%d rounds after deleting the final", n)
	}
	if !t.Failed() {
		t.Logf("axe checked %d pages, 0 violations", browsertest.AxeCount()-axeBefore)
	}
}
