package app_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/browsertest"
)

// TestThreeRoundsInBrowser runs a cycle judged in three rounds end to end:
// the admin adds a shortlist (showing earlier results, without jury-2)
// and a ranked final vote through the API; everyone screens four
// nominations; the chair advances two in the browser with reasons;
// jury-1 finds round 2 with the screening's place and reasons on the
// screen, jury-2 finds nothing to do; the chair advances the shortlist
// into the final, which records it as the finalists; the jurors rank the
// finalists, the chair reads the Schulze count and records the winner.
// axe checks every page, and the final's fit a 390 px phone.
func TestThreeRoundsInBrowser(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	db := nomDB(t, a)
	cycle, _ := scoringCycle(t, db, "tre-runder")
	noms := map[string]string{}
	for _, org := range []string{"Bærum", "Horten", "Asker", "Træna"} {
		noms[org] = scoringNomination(t, db, cycle, org)
	}
	clients, seats := map[string]nomClient{}, map[string]int64{}
	for _, u := range []string{"admin", "jury-chair", "jury-1", "jury-2"} {
		c := a.Login(t, u)
		clients[u] = nomClient{t: t, a: a, c: c}
		if u != "admin" {
			seats[u] = scoringSeat(t, db, cycle, userID(t, a, c), u == "jury-chair")
		}
	}
	admin := clients["admin"]
	roundsPath := "/api/v1/cycles/" + cycle + "/rounds"
	shortlist := cyclesDecode[roundJSON](t, admin.call(http.MethodPost, roundsPath, `{"name_nb":"Kortliste","shows_earlier_results":true}`,
		http.StatusCreated))
	final := cyclesDecode[roundJSON](t, admin.call(http.MethodPost, roundsPath, `{"name_nb":"Finale","kind":"ranked_vote"}`, http.StatusCreated))
	admin.call(http.MethodPut, fmt.Sprintf("/api/v1/rounds/%d/jurors", shortlist.ID),
		fmt.Sprintf(`{"juror_ids":["%d","%d"]}`, seats["jury-chair"], seats["jury-1"]), http.StatusOK)
	admin.call(http.MethodPost, "/api/v1/cycles/"+cycle+"/criteria", fmt.Sprintf(`{"name_nb":"Spredning","round_id":"%d"}`, shortlist.ID),
		http.StatusCreated)
	for _, u := range []string{"jury-chair", "jury-1", "jury-2"} {
		for _, n := range noms {
			scoringScore(t, db, seats[u], n, true)
		}
	}

	b := browsertest.New(t)
	tab := func(user string) nomTab {
		t.Helper()
		p := nomTab{t: t, a: a, tab: b.Tab(t)}
		p.visit("/auth/login?login_hint="+user, http.StatusOK)
		return p
	}
	check := func(p nomTab, key string) {
		t.Helper()
		p.tab.Axe(t)
		p.tab.Screenshot(t, "rounds-"+key)
	}
	advance := func(p nomTab, reasons map[string]string) {
		t.Helper()
		for org, reason := range reasons {
			p.tab.Run(t, chromedp.Click(chromedp.CSS("#advancing-advance-"+noms[org])))
			p.set("#advancing-advance_reason-"+noms[org], reason)
		}
		p.submit("#advancing button[type=submit]", http.StatusOK)
	}

	// Round 1: the chair sends Bærum and Horten on.
	chair := tab("jury-chair")
	chair.visit("/jury/"+cycle+"/rangering", http.StatusOK)
	asgText(t, chair.tab, "main", "Runde 1 av 3", "Send videre til neste runde")
	check(chair, "screening")
	advance(chair, map[string]string{"Bærum": "Best på nytte i silingen.", "Horten": "Lett å ta i bruk andre steder."})
	asgText(t, chair.tab, "#advancements", "Best på nytte i silingen.", "Lett å ta i bruk andre steder.", "Jorunn Juryleder")
	check(chair, "screening-closed")

	// Round 2: jury-1 sees the two, with the screening's results.
	juror := tab("jury-1")
	juror.visit("/jury/"+cycle, http.StatusOK)
	asgText(t, juror.tab, "#round", "Runde 2 av 3: Kortliste")
	asgText(t, juror.tab, "#my-nominations", "Innovasjon i Bærum", "Innovasjon i Horten")
	if got := juror.tab.Text(t, "#my-nominations"); strings.Contains(got, "Asker") || strings.Contains(got, "Træna") {
		t.Errorf("round 2's list holds nominations that stopped: %q", got)
	}
	juror.visit("/jury/"+cycle+"/nominasjoner/"+noms["Bærum"], http.StatusOK)
	asgText(t, juror.tab, "#round", "Runde 2 av 3: Kortliste")
	asgText(t, juror.tab, "#earlier", "Juryvurdering", "delt plass 1 av 4", "Best på nytte i silingen.")
	asgText(t, juror.tab, "#criteria", "Spredning")
	if got := juror.tab.Text(t, "#criteria"); strings.Contains(got, "Nyttig") {
		t.Errorf("round 2's screen shows round 1's criteria: %q", got)
	}
	check(juror, "shortlist-screen")
	// jury-2 screened only.
	other := tab("jury-2")
	other.visit("/jury/"+cycle, http.StatusOK)
	asgText(t, other.tab, "main", "Runde 2 av 3: Kortliste")
	asgText(t, other.tab, "#not-serving", "Du er ikke med i juryen i runden «Kortliste»")
	if got := asgEval(t, other.tab, `String(document.querySelector("#deadline, #progress") === null)`); got != "true" {
		t.Error("a juror outside round 2 is shown its deadline or progress")
	}
	check(other, "not-serving")
	other.visit("/", http.StatusOK)
	asgText(t, other.tab, "#not-serving-"+cycle, "ikke med i juryen i denne runden")

	for _, u := range []string{"jury-chair", "jury-1"} {
		for _, org := range []string{"Bærum", "Horten"} {
			scoringScore(t, db, seats[u], noms[org], true)
		}
	}
	// Round 2: the chair sends both into the final, its shortlist.
	chair.visit("/jury/"+cycle+"/rangering", http.StatusOK)
	asgText(t, chair.tab, "main", "Runde 2 av 3: Kortliste")
	asgText(t, chair.tab, "#shortlist", "Finale")
	check(chair, "shortlist")
	advance(chair, map[string]string{"Bærum": "Sterkest på spredning.", "Horten": "Nær Bærum."})
	if n := voteCount(t, db, `SELECT count(*) FROM decisions WHERE outcome = 'finalist' AND nomination_id IN
		(SELECT id FROM nominations WHERE public_id IN (?, ?))`, noms["Bærum"], noms["Horten"]); n != 2 {
		t.Errorf("%d finalists recorded for the shortlist, want 2", n)
	}

	// Round 3: jury-1 ranks on the page, the others through the API.
	juror.visit("/jury/"+cycle, http.StatusOK)
	asgText(t, juror.tab, "#vote-notice", "Finale")
	if got := asgEval(t, juror.tab, `String(document.querySelector("#my-nominations, #progress") === null)`); got != "true" {
		t.Error("the jury's page of a ranked vote lists scoring statuses")
	}
	asgClick(t, juror.tab, "#vote-notice a", http.StatusOK)
	juror.tab.Run(t, chromedp.SetValue(chromedp.CSS("[id='rank-"+noms["Bærum"]+"']"), "1"),
		chromedp.SetValue(chromedp.CSS("[id='rank-"+noms["Horten"]+"']"), "2"))
	asgClick(t, juror.tab, "#submit", http.StatusOK)
	asgText(t, juror.tab, "#submitted", "Du sendte inn rangeringen")
	check(juror, "ballot")
	// The front pages say what the vote needs of each, not scores.
	juror.visit("/", http.StatusOK)
	asgText(t, juror.tab, "#vote-"+cycle, "Du har sendt inn rangeringen")
	chair.visit("/", http.StatusOK)
	asgText(t, chair.tab, "#vote-"+cycle, "Ranger nominasjonene")
	asgText(t, chair.tab, "#jury-seats", "Se resultatet av rangeringen")
	if got := chair.tab.Text(t, "#jury-seats"); strings.Contains(got, "0 av 2 vurdert") {
		t.Errorf("the chair's front page counts scores in a ranked vote: %q", got)
	}
	check(chair, "final-home")
	// The chair's decision page waits for the other two ballots, not for
	// scores, which a vote has none of.
	chair.visit("/jury/"+cycle+"/beslutning", http.StatusOK)
	asgText(t, chair.tab, "#unfinished", "Stemmegivningen er ikke ferdig", "Jenny Jurymedlem", "Jorunn Juryleder")
	asgText(t, chair.tab, "#decision-intro", "vises her når alle har stemt")
	if got := chair.tab.Text(t, "#unfinished"); strings.Contains(got, "Jon Jurymedlem") || strings.Contains(got, "poeng") {
		t.Errorf("the vote's warning names a juror who voted, or scores: %q", got)
	}
	ballot := fmt.Sprintf("/api/v1/rounds/%d/ballot/submit", final.ID)
	clients["jury-2"].call(http.MethodPost, ballot, fmt.Sprintf(`{"ranks":[{"nomination_id":%q,"rank":1},{"nomination_id":%q,"rank":2}]}`,
		noms["Horten"], noms["Bærum"]), http.StatusOK)
	clients["jury-chair"].call(http.MethodPost, ballot, fmt.Sprintf(`{"ranks":[{"nomination_id":%q,"rank":1},{"nomination_id":%q,"rank":2}]}`,
		noms["Bærum"], noms["Horten"]), http.StatusOK)

	chair.visit("/jury/"+cycle+"/stemme/resultat", http.StatusOK)
	asgText(t, chair.tab, "#vote-count", "3 av 3")
	asgText(t, chair.tab, "#order", "Innovasjon i Bærum")
	asgText(t, chair.tab, "#steps", "Innovasjon i Bærum foran Innovasjon i Horten: sterkeste vei 2 mot 0")
	check(chair, "final-result")

	// The final's ranking lists its nominations, without a table of the
	// scores it has none of.
	chair.visit("/jury/"+cycle+"/rangering", http.StatusOK)
	asgText(t, chair.tab, "#vote-nominations", "Innovasjon i Bærum", "Innovasjon i Horten", "Finalist")
	if got := asgEval(t, chair.tab, `String(document.querySelector("#filters, #ranking") === null)`); got != "true" {
		t.Error("the ranking of a ranked vote shows the scores' table or its filters")
	}
	check(chair, "final-ranking")

	// The chair records the vote's winner on the final's decision page,
	// whose rows are the finalists.
	chair.visit("/jury/"+cycle+"/beslutning", http.StatusOK)
	asgText(t, chair.tab, "#decision", "Innovasjon i Bærum", "Innovasjon i Horten")
	asgText(t, chair.tab, "#decision-intro", "rekkefølgen fra stemmegivningen (Schulze-metoden)")
	if got := asgEval(t, chair.tab, `String(document.querySelector("#unfinished") === null)`); got != "true" {
		t.Error("the decision page warns of an unfinished vote after every ballot is in")
	}
	chair.set("#decision-outcome-"+noms["Bærum"], "winner")
	chair.set("#decision-statement_nb-"+noms["Bærum"], "Vinneren av finalens rangerte stemmegivning.")
	chair.submit("#decision button[type=submit]", http.StatusOK)
	asgText(t, chair.tab, "#decisions", "Vinner", "Vinneren av finalens rangerte stemmegivning.", "Finalist")
	check(chair, "final-decision")

	// The final's pages on a phone.
	chair.tab.Run(t, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	for _, path := range []string{"/", "/jury/" + cycle + "/rangering", "/jury/" + cycle + "/beslutning"} {
		chair.visit(path, http.StatusOK)
		if got := widerThanPhone(t, chair); got != "" {
			t.Errorf("%s at 390 px: the page is wider than the screen: %s", path, got)
		}
	}
}
