package app_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/apptest"
)

// roundJSON is a round as the API answers it.
type roundJSON struct {
	ID       apiID
	Position int
	Kind     string
	NameNB   string  `json:"name_nb"`
	JurorIDs []apiID `json:"juror_ids"`
	Jurors   int
	Current  bool
	Started  bool
}

// TestRoundsScenario sets up a cycle judged in three rounds through the
// API, as an admin would (screening «Siling», a shortlist «Kortliste» and
// a final «Finale» by ranked vote), with criteria in rounds 1 and 2 and
// jurors per round, checks what is refused on the way, and that the
// admin's pages show it.
func TestRoundsScenario(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	c := map[string]*http.Client{"admin": a.Login(t, "admin")}
	for _, u := range []string{"jury-1", "jury-2", "jury-chair", "asker"} {
		c[u] = a.Login(t, u)
	}
	owner := orgID(t, a, "Kommunal- og distriktsdepartementet")
	mustDo := func(method, path, body string, want int) string {
		t.Helper()
		status, resp := a.Do(t, c["admin"], method, path, body)
		if status != want {
			t.Fatalf("%s %s: %d, want %d: %.600s", method, path, status, want, resp)
		}
		return resp
	}
	mustDo("POST", "/api/v1/awards", fmt.Sprintf(`{"slug":"rundepris","name_nb":"Rundeprisen","name_nn":"Rundeprisen","owner_id":"%d"}`, owner), 201)
	cycle := cyclesDecode[struct{ ID string }](t, mustDo("POST", "/api/v1/awards/rundepris/cycles",
		`{"year":2040,"title":"Rundeprisen 2040","nomination_deadline":"2040-03-01T23:59:00+01:00","scoring_deadline":"2040-05-01T12:00:00+02:00"}`, 201)).ID
	db := nomDB(t, a)
	seats := map[string]int64{}
	for _, u := range []string{"jury-chair", "jury-1", "jury-2"} {
		seats[u] = asgSeat(t, db, cycle, userID(t, a, c[u]), u == "jury-chair")
	}
	roundsPath := "/api/v1/cycles/" + cycle + "/rounds"
	list := cyclesDecode[struct{ Items []roundJSON }](t, mustDo("GET", roundsPath, "", 200)).Items
	if len(list) != 1 || list[0].NameNB != "Juryvurdering" || list[0].Jurors != 3 || !list[0].Current {
		t.Fatalf("a new cycle's rounds: %+v", list)
	}
	screening := list[0].ID
	roundPath := func(id apiID) string { return fmt.Sprintf("/api/v1/rounds/%d", id) }
	mustDo("PATCH", roundPath(screening), `{"name_nb":"Siling","name_nn":"Siling","name_en":"Screening","scoring_deadline":"2040-04-01T12:00:00+02:00"}`, 200)
	shortlist := cyclesDecode[roundJSON](t, mustDo("POST", roundsPath, `{"name_nb":"Kortliste","name_en":"Shortlist","shows_earlier_results":true}`, 201))
	final := cyclesDecode[roundJSON](t, mustDo("POST", roundsPath, `{"name_nb":"Finale","name_en":"Final","kind":"ranked_vote"}`, 201))
	if shortlist.Position != 2 || final.Position != 3 || final.Kind != "ranked_vote" || final.Jurors != 3 {
		t.Errorf("added rounds: %+v %+v", shortlist, final)
	}
	// Jurors per round: all three screen, two shortlist, the chair and
	// jury-1 decide the final.
	id := func(u string) string { return fmt.Sprintf("%q", fmt.Sprint(seats[u])) }
	mustDo("PUT", roundPath(shortlist.ID)+"/jurors", `{"juror_ids":[`+id("jury-1")+`,`+id("jury-2")+`]}`, 200)
	mustDo("PUT", roundPath(final.ID)+"/jurors", `{"juror_ids":[`+id("jury-chair")+`,`+id("jury-1")+`]}`, 200)
	// Criteria in rounds 1 and 2.
	critPath := "/api/v1/cycles/" + cycle + "/criteria"
	for _, cr := range []struct {
		name  string
		round apiID
	}{{"Nytt", screening}, {"Nyttig", screening}, {"Nyttiggjort", shortlist.ID}, {"Spredning", shortlist.ID}} {
		mustDo("POST", critPath, fmt.Sprintf(`{"name_nb":%q,"round_id":"%d"}`, cr.name, cr.round), 201)
	}

	runCycleSteps(t, a, c, []cycleStep{
		{name: "criterion in a ranked vote", who: "admin", method: "POST", path: critPath, body: fmt.Sprintf(`{"name_nb":"Helhet","round_id":"%d"}`, final.ID),
			status: 422, want: []string{`"round_id"`, `"not_allowed"`, "rangert stemmegivning"}},
		{name: "a round with criteria stays scored", who: "admin", method: "PATCH", path: roundPath(shortlist.ID), body: `{"kind":"ranked_vote"}`,
			status: 409, want: []string{`"kind"`, `"has_criteria"`}},
		{name: "unknown kind", who: "admin", method: "PATCH", path: roundPath(final.ID), body: `{"kind":"lottery"}`,
			status: 422, want: []string{`"invalid_choice"`}},
		{name: "deadline before the nominations'", who: "admin", method: "PATCH", path: roundPath(final.ID),
			body: `{"scoring_deadline":"2040-02-01T12:00:00+01:00"}`, status: 422, want: []string{`"wrong_order"`}},
		{name: "deadline not RFC 3339", who: "admin", method: "PATCH", path: roundPath(final.ID), body: `{"scoring_deadline":"1. mai"}`,
			status: 422, want: []string{`"scoring_deadline"`}},
		{name: "round 1 stays", who: "admin", method: "DELETE", path: roundPath(screening), status: 409, want: []string{`"code":"first_round"`}},
		{name: "a seat of no juror", who: "admin", method: "PUT", path: roundPath(final.ID) + "/jurors", body: `{"juror_ids":["987654"]}`,
			status: 422, want: []string{`"juror_ids"`, `"unknown_reference"`}},
		{name: "juror_ids required", who: "admin", method: "PUT", path: roundPath(final.ID) + "/jurors", body: `{}`, status: 422},
		{name: "jurors read the rounds", who: "jury-2", method: "GET", path: roundsPath, status: 200, want: []string{`"name_nb":"Kortliste"`}},
		{name: "others do not know a draft", who: "asker", method: "GET", path: roundsPath, status: 404},
		{name: "criteria carry their round", who: "admin", method: "GET", path: critPath, status: 200,
			want: []string{fmt.Sprintf(`"round_id":"%d"`, shortlist.ID)}},
	})
	list = cyclesDecode[struct{ Items []roundJSON }](t, mustDo("GET", roundsPath, "", 200)).Items
	var got []string
	for _, r := range list {
		got = append(got, fmt.Sprintf("%d %s %s %d", r.Position, r.NameNB, r.Kind, r.Jurors))
	}
	if strings.Join(got, "; ") != "1 Siling scores 3; 2 Kortliste scores 2; 3 Finale ranked_vote 2" {
		t.Errorf("rounds: %v", got)
	}
	if ids := list[2].JurorIDs; !slices.Contains(ids, apiID(seats["jury-chair"])) || slices.Contains(ids, apiID(seats["jury-2"])) {
		t.Errorf("the final's jurors: %v", ids)
	}

	admin := "/admin/sykluser/" + cycle
	roundPage := fmt.Sprintf("/admin/runder/%d", shortlist.ID)
	runCycleSteps(t, a, c, []cycleStep{
		{name: "the cycle's page shows the rounds", who: "admin", method: "GET", path: admin, status: 200,
			want: []string{`id="rounds-h"`, "Runder", "Siling", "Kortliste", "Finale", "Rangert stemmegivning", "Poeng etter kriterier",
				"Ikke startet", "1. april 2040 kl. 12.00", "1. mai 2040 kl. 12.00 (syklusens frist)", `href="` + roundPage + `"`,
				"Runde 1: Siling", "Runde 2: Kortliste", "Nyttiggjort", `name="round_id"`, "Ny runde"}},
		{name: "the round's page", who: "admin", method: "GET", path: roundPage, status: 200,
			want: []string{"Runde 2: Kortliste", `name="juror_ids"`, fmt.Sprintf(`value="%d" checked`, seats["jury-1"]), "(leder)",
				"Slett runden"},
			reject: []string{fmt.Sprintf(`value="%d" checked`, seats["jury-chair"])}},
		{name: "a round without a name", who: "admin", method: "POST", path: admin + "/runder", body: "name_nb=&kind=scores", status: 422,
			want: []string{`class="ds-error-summary"`, `href="#new-round-name_nb"`, `id="new-round-name_nb-error"`}},
		{name: "a deadline past", who: "admin", method: "POST", path: roundPage, body: "name_nb=Kortliste&kind=scores&scoring_deadline=2020-01-01T12%3A00",
			status: 422, want: []string{"Fristen må være fram i tid.", `id="round-scoring_deadline-error"`}},
		{name: "round 1 stays (page)", who: "admin", method: "POST", path: fmt.Sprintf("/admin/runder/%d/slett", screening), status: 409,
			want: []string{"Runde 1 kan ikke slettes"}},
		{name: "jurors on the page", who: "admin", method: "POST", path: roundPage + "/jury",
			body: fmt.Sprintf("juror_ids=%d&juror_ids=%d&juror_ids=%d", seats["jury-1"], seats["jury-2"], seats["jury-chair"]), status: 303},
		{name: "in nynorsk", who: "admin", method: "GET", path: "/lang/nn?next=" + admin, status: 303},
		{name: "nynorsk rounds", who: "admin", method: "GET", path: admin, status: 200, want: []string{"Rundar", "Ikkje starta", "Rangert røysting"}},
		{name: "back to bokmål", who: "admin", method: "GET", path: "/lang/nb?next=" + admin, status: 303},
	})

	// Judging starts in round 1: it keeps its kind and criteria, while
	// round 2's criteria may still change.
	for _, to := range []string{"open", "closed", "judging"} {
		mustDo("POST", "/api/v1/cycles/"+cycle+"/transitions", fmt.Sprintf(`{"to":%q}`, to), 200)
	}
	crits := cyclesDecode[struct {
		Items []struct {
			ID      apiID
			NameNB  string `json:"name_nb"`
			RoundID apiID  `json:"round_id"`
		}
	}](t, mustDo("GET", critPath, "", 200)).Items
	if len(crits) != 4 || crits[0].NameNB != "Nytt" || crits[2].RoundID != shortlist.ID {
		t.Fatalf("criteria: %+v", crits)
	}
	runCycleSteps(t, a, c, []cycleStep{
		{name: "round 1's kind is fixed", who: "admin", method: "PATCH", path: roundPath(screening), body: `{"kind":"ranked_vote"}`,
			status: 409, want: []string{`"locked"`}},
		{name: "round 1 renamed", who: "admin", method: "PATCH", path: roundPath(screening), body: `{"name_nb":"Første siling"}`,
			status: 200, want: []string{`"started":true`, `"current":true`}},
		{name: "round 1's criteria are fixed", who: "admin", method: "PATCH", path: fmt.Sprintf("/api/v1/criteria/%d", crits[0].ID),
			body: `{"weight":2}`, status: 409},
		{name: "round 2's are not", who: "admin", method: "PATCH", path: fmt.Sprintf("/api/v1/criteria/%d", crits[2].ID),
			body: `{"weight":2}`, status: 200},
		{name: "the page says so", who: "admin", method: "GET", path: admin, status: 200,
			want: []string{"Pågår", "Runden har startet, så kriteriene i den kan ikke endres.", "Første siling"}},
		{name: "round 1's page", who: "admin", method: "GET", path: fmt.Sprintf("/admin/runder/%d", screening), status: 200,
			want: []string{"Runden har startet. Du kan endre navnet og fristen, men ikke typen."}, reject: []string{`name="kind"`}},
	})
}
