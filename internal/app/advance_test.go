package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/apptest"
)

// advanceRun is a cycle being judged in three rounds (Juryvurdering on
// the criteria Nytt and Nyttig, Kortliste on Gjennomføring, Finale),
// chaired by jury-chair with jury-1 on its jury, who both scored and
// submitted nominations by Bærum, Horten and Asker in round 1.
type advanceRun struct {
	a                     *apptest.App
	cycle                 string
	baerum, horten, asker string
	r1, r2, r3            int64
}

func newAdvanceRun(t *testing.T) advanceRun {
	t.Helper()
	x := advanceRun{a: apptest.Start(t)}
	db, ctx := nomDB(t, x.a), context.Background()
	x.cycle, _ = scoringCycle(t, db, "advance-flow")
	x.baerum = scoringNomination(t, db, x.cycle, "Bærum")
	x.horten = scoringNomination(t, db, x.cycle, "Horten")
	x.asker = scoringNomination(t, db, x.cycle, "Asker")
	for _, u := range []string{"jury-chair", "jury-1"} {
		juror := scoringSeat(t, db, x.cycle, userID(t, x.a, x.a.Login(t, u)), u == "jury-chair")
		for _, n := range []string{x.baerum, x.horten, x.asker} {
			scoringScore(t, db, juror, n, true)
		}
	}
	err := db.NewRaw(`WITH c AS (SELECT id FROM cycles WHERE public_id = ?),
			two AS (INSERT INTO rounds (cycle_id, position, name_nb) SELECT id, 2, 'Kortliste' FROM c RETURNING id, cycle_id),
			three AS (INSERT INTO rounds (cycle_id, position, name_nb) SELECT id, 3, 'Finale' FROM c RETURNING id),
			crit AS (INSERT INTO criteria (cycle_id, round_id, name_nb, help_nb, position) SELECT cycle_id, id, 'Gjennomføring', '', 1 FROM two)
		SELECT (SELECT r.id FROM rounds r JOIN c ON c.id = r.cycle_id WHERE r.position = 1), (SELECT id FROM two), (SELECT id FROM three)`,
		x.cycle).Scan(ctx, &x.r1, &x.r2, &x.r3)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// TestAdvanceRounds walks a cycle judged in three rounds over HTTP: the
// chair reads round 1's ranking, advances two nominations on its page
// (refused first for a missing reason), finds the record on round 1's
// page and round 2's ranking current; then advances the shortlist into
// the final through the API (refused first), which records it as the
// finalists, and is refused advancing out of the final round or again out
// of a closed one.
func TestAdvanceRounds(t *testing.T) {
	t.Parallel()
	x := newAdvanceRun(t)
	a, chair, cycle, baerum, horten, asker := x.a, x.a.Login(t, "jury-chair"), x.cycle, x.baerum, x.horten, x.asker
	r1, r2, r3 := x.r1, x.r2, x.r3
	get := func(path string, want int) string {
		t.Helper()
		status, body := a.Do(t, chair, http.MethodGet, path, "")
		if status != want {
			t.Fatalf("GET %s: %d, want %d: %.400s", path, status, want, body)
		}
		return body
	}
	contains := func(what, body string, wants ...string) {
		t.Helper()
		for _, w := range wants {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q", what, w)
			}
		}
	}
	page := "/jury/" + cycle + "/rangering"
	r1s, r2s, r3s := strconv.FormatInt(r1, 10), strconv.FormatInt(r2, 10), strconv.FormatInt(r3, 10)

	// Round 1's page: which round it is, the others, the form.
	body := get(page, http.StatusOK)
	contains("round 1's ranking", body, "Runde 1 av 3: Juryvurdering", `href="/jury/`+cycle+`/rangering?runde=`+r2s+`"`, "Runde 3: Finale",
		`id="advancing"`, "Send videre til neste runde", `name="advance-`+baerum+`"`, `name="advance_reason-`+asker+`"`,
		`name="next_scoring_deadline"`, `/rangering/`+baerum+`?runde=`+r1s)
	if strings.Contains(body, `id="shortlist"`) {
		t.Error("round 1's form says its nominations become finalists")
	}

	// Refused: a reason missing, shown next to its field; nothing changes.
	action := "/jury/" + cycle + "/runder/" + r1s + "/videre"
	form := url.Values{"advance-" + baerum: {"true"}, "advance-" + horten: {"true"}, "advance_reason-" + horten: {"Modig."},
		"next_scoring_deadline": {"2099-05-01T12:00"}}
	status, body := a.Do(t, chair, http.MethodPost, action, form.Encode())
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("advance without a reason: %d %.400s", status, body)
	}
	contains("the refused form", body, "ds-error-summary", `href="#advancing-advance_reason-`+baerum+`"`,
		"Skriv hvorfor nominasjonen går videre.", `aria-invalid="true"`, "Modig.", `value="2099-05-01T12:00"`)

	form.Set("advance_reason-"+baerum, "Sterk på nytte.\nGodt dokumentert.")
	status, header, _ := a.DoHeader(t, chair, http.MethodPost, action, form.Encode())
	if status != http.StatusSeeOther || header.Get("Location") != page+"?runde="+r1s {
		t.Fatalf("advance: %d to %q", status, header.Get("Location"))
	}
	body = get(page+"?runde="+r1s, http.StatusOK)
	contains("round 1 after advancing", body, "Nominasjonene er sendt videre", "Runden ble avsluttet", `id="advancements"`,
		"Sendt videre til Runde 2: Kortliste", "Sterk på nytte.\nGodt dokumentert.", "Jorunn Juryleder", "Innovasjon i Horten")
	if strings.Contains(body, `id="advancing"`) {
		t.Error("a closed round still offers to advance")
	}
	body = get(page, http.StatusOK)
	contains("round 2's ranking", body, "Runde 2 av 3: Kortliste", `id="advancing"`, `id="shortlist"`, "Runde 3: Finale er siste runde")
	if strings.Contains(body, "Innovasjon i Asker") {
		t.Error("Asker, not advanced, is in round 2's ranking")
	}

	// The API: the ranking of each round.
	var rk struct {
		Round struct {
			ID       string `json:"id"`
			Position int    `json:"position"`
			Current  bool   `json:"current"`
		} `json:"round"`
		Rounds   []json.RawMessage `json:"rounds"`
		Criteria []struct{ Name string }
		Rows     []struct {
			Nomination string `json:"nomination_id"`
		}
	}
	if err := json.Unmarshal([]byte(get("/api/v1/cycles/"+cycle+"/ranking?round="+r1s, http.StatusOK)), &rk); err != nil ||
		rk.Round.ID != r1s || rk.Round.Current || len(rk.Rows) != 3 || len(rk.Criteria) != 2 || len(rk.Rounds) != 3 {
		t.Errorf("round 1's ranking JSON %+v (%v)", rk, err)
	}
	if err := json.Unmarshal([]byte(get("/api/v1/cycles/"+cycle+"/ranking", http.StatusOK)), &rk); err != nil ||
		rk.Round.ID != r2s || !rk.Round.Current || len(rk.Rows) != 2 || len(rk.Criteria) != 1 || rk.Criteria[0].Name != "Gjennomføring" {
		t.Errorf("the current ranking JSON %+v (%v)", rk, err)
	}
	get("/api/v1/cycles/"+cycle+"/ranking?round=x", http.StatusNotFound)
	get("/api/v1/cycles/"+cycle+"/ranking?round=999999999", http.StatusNotFound)

	// Advancing into the final through the API: refused, then done.
	advance := "/api/v1/cycles/" + cycle + "/rounds/" + r2s + "/advance"
	status, body = a.Do(t, chair, http.MethodPost, advance, `{"nominations":[{"id":"`+baerum+`","reason":" "},{"id":"`+asker+`","reason":"Likevel"}],
		"next_scoring_deadline":"2020-01-01T12:00:00+01:00"}`)
	var problem struct {
		Code  string            `json:"code"`
		Codes map[string]string `json:"codes"`
	}
	if err := json.Unmarshal([]byte(body), &problem); err != nil || status != http.StatusUnprocessableEntity ||
		problem.Codes["advance_reason-"+baerum] != "required" || problem.Codes["advance-"+asker] != "not_eligible" ||
		problem.Codes["next_scoring_deadline"] != "deadline_passed" {
		t.Fatalf("refused advance: %d %s", status, body)
	}
	deadline := time.Date(2099, 6, 1, 12, 0, 0, 0, time.UTC)
	status, body = a.Do(t, chair, http.MethodPost, advance, `{"nominations":[{"id":"`+baerum+`","reason":"Best i kortlisten"}],
		"next_scoring_deadline":"`+deadline.Format(time.RFC3339)+`"}`)
	var rounds struct {
		Cycle  string `json:"cycle"`
		Rounds []struct {
			ID              string     `json:"id"`
			Current         bool       `json:"current"`
			ClosedAt        *time.Time `json:"closed_at"`
			ScoringDeadline *time.Time `json:"scoring_deadline"`
			Nominations     int        `json:"nominations"`
		} `json:"rounds"`
	}
	if err := json.Unmarshal([]byte(body), &rounds); err != nil || status != http.StatusOK || len(rounds.Rounds) != 3 {
		t.Fatalf("advance into the final: %d %s", status, body)
	}
	if last := rounds.Rounds[2]; rounds.Cycle != cycle || rounds.Rounds[1].ClosedAt == nil || !last.Current || last.ID != r3s ||
		last.Nominations != 1 || last.ScoringDeadline == nil || !last.ScoringDeadline.Equal(deadline) {
		t.Errorf("rounds after the shortlist: %s", body)
	}
	var decision struct {
		Decisions []struct {
			Nomination string `json:"nomination_id"`
			Outcome    string `json:"outcome"`
		} `json:"decisions"`
	}
	if err := json.Unmarshal([]byte(get("/api/v1/cycles/"+cycle+"/decision", http.StatusOK)), &decision); err != nil ||
		len(decision.Decisions) != 1 || decision.Decisions[0].Nomination != baerum || decision.Decisions[0].Outcome != "finalist" {
		t.Errorf("the shortlist is not the finalists: %+v (%v)", decision, err)
	}
	var adv struct {
		NextRound struct {
			ID string `json:"id"`
		} `json:"next_round"`
		Advancements []struct {
			Nomination string `json:"nomination_id"`
			Reason     string `json:"reason"`
			DecidedBy  string `json:"decided_by"`
		} `json:"advancements"`
	}
	if err := json.Unmarshal([]byte(get("/api/v1/cycles/"+cycle+"/rounds/"+r2s+"/advancements", http.StatusOK)), &adv); err != nil ||
		adv.NextRound.ID != r3s || len(adv.Advancements) != 1 || adv.Advancements[0].Nomination != baerum ||
		adv.Advancements[0].Reason != "Best i kortlisten" || adv.Advancements[0].DecidedBy != "Jorunn Juryleder" {
		t.Errorf("advancements out of round 2: %+v (%v)", adv, err)
	}

	// Nothing leaves the final; a closed round is no longer current.
	for path, code := range map[string]string{"/rounds/" + r3s + "/advance": "final_round", "/rounds/" + r1s + "/advance": "stale_version"} {
		status, body := a.Do(t, chair, http.MethodPost, "/api/v1/cycles/"+cycle+path, `{"nominations":[{"id":"`+baerum+`","reason":"Igjen"}]}`)
		if err := json.Unmarshal([]byte(body), &problem); err != nil || status != http.StatusConflict || problem.Code != code {
			t.Errorf("POST %s: %d %s, want 409 %s", path, status, body, code)
		}
	}
}
