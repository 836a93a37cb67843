package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/postgres"
)

// voteResultJSON is what the tests read of GET …/vote-result.
type voteResultJSON struct {
	RoundID    string `json:"round_id"`
	Jurors     int
	Submitted  int
	Shown      bool
	Tied       bool
	Candidates []struct {
		NominationID string `json:"nomination_id"`
		Title        string
	}
	Pairwise [][]int
	Order    [][]string
	Winners  []string
	Steps    []struct {
		Ahead, Behind string
		For, Against  int
		Path          []string
	}
}

// TestVoteAPI walks a ranked vote through the API: three jurors rank two
// finalists, refusals come as problem details with machine codes and save
// nothing, the chair sees the count only when every ballot is in, and a
// reopened ballot stops counting.
func TestVoteAPI(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	db := nomDB(t, a)
	cycle, round, x, y := voteCycle(t, db, "vote-api")
	clients, seats := map[string]nomClient{}, map[string]int64{}
	for _, u := range []string{"jury-1", "jury-2", "jury-chair"} {
		c := a.Login(t, u)
		clients[u] = nomClient{t: t, a: a, c: c}
		seats[u] = scoringSeat(t, db, cycle, userID(t, a, c), u == "jury-chair")
	}
	api := fmt.Sprintf("/api/v1/rounds/%d", round)
	j1, j2, chair := clients["jury-1"], clients["jury-2"], clients["jury-chair"]

	var b struct {
		RoundID     string `json:"round_id"`
		Open        bool
		MaxRank     int `json:"max_rank"`
		SubmittedAt *string
		Ranks       []struct {
			NominationID string `json:"nomination_id"`
			Rank         int
		}
		Nominations []struct {
			NominationID string `json:"nomination_id"`
			StepsAside   bool   `json:"steps_aside"`
		}
	}
	if err := json.Unmarshal([]byte(j1.call(http.MethodGet, api+"/ballot", "", http.StatusOK)), &b); err != nil {
		t.Fatal(err)
	}
	if b.RoundID != fmt.Sprint(round) || !b.Open || b.MaxRank != 2 || len(b.Ranks) != 0 || len(b.Nominations) != 2 {
		t.Fatalf("fresh ballot %+v", b)
	}

	// Refusals: every field named, with its code, and nothing saved.
	body := fmt.Sprintf(`{"ranks":[{"nomination_id":"nope","rank":1},{"nomination_id":%q,"rank":3},{"nomination_id":%q,"rank":1}]}`, x, x)
	p := decodeProblem(t, j1.call(http.MethodPut, api+"/ballot", body, http.StatusUnprocessableEntity))
	want := map[string]string{"ranks[0].nomination_id": "unknown_reference", "ranks[1].rank": "out_of_range",
		"ranks[2].nomination_id": "duplicate"}
	for k, v := range want {
		if p.Codes[k] != v || p.Errors[k] == "" {
			t.Errorf("%s: code %q (%q), want %q", k, p.Codes[k], p.Errors[k], v)
		}
	}
	if len(p.Codes) != len(want) {
		t.Errorf("codes %v", p.Codes)
	}
	if p := decodeProblem(t, j1.call(http.MethodPost, api+"/ballot/submit", "", http.StatusUnprocessableEntity)); p.Codes["ranks"] != "required" {
		t.Errorf("empty submit: %+v", p)
	}
	if p := decodeProblem(t, j1.call(http.MethodPut, api+"/ballot", `{"ranks":[{"nomination_id":1,"rank":1}]}`, http.StatusUnprocessableEntity)); len(p.Codes) != 1 {
		t.Errorf("a number for an ID: %+v", p)
	}
	if n := voteCount(t, db, `SELECT count(*) FROM ballots`); n != 0 {
		t.Fatalf("%d ranks saved after refusals", n)
	}

	// jury-1 and jury-2 vote x over y; jury-chair ties them.
	ranks := func(rx, ry int) string {
		return fmt.Sprintf(`{"ranks":[{"nomination_id":%q,"rank":%d},{"nomination_id":%q,"rank":%d}]}`, x, rx, y, ry)
	}
	j1.call(http.MethodPut, api+"/ballot", ranks(1, 2), http.StatusOK)
	j1.call(http.MethodPost, api+"/ballot/submit", "", http.StatusOK)
	j2.call(http.MethodPost, api+"/ballot/submit", ranks(1, 2), http.StatusOK)
	p = decodeProblem(t, j1.call(http.MethodPut, api+"/ballot", ranks(2, 1), http.StatusConflict))
	if p.Code != "already_submitted" || !strings.Contains(p.Detail, "juryleder") {
		t.Errorf("change after submitting: %+v", p)
	}

	result := func() voteResultJSON {
		t.Helper()
		var r voteResultJSON
		if err := json.Unmarshal([]byte(chair.call(http.MethodGet, api+"/vote-result", "", http.StatusOK)), &r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	if r := result(); r.Shown || r.Submitted != 2 || r.Jurors != 3 || r.Pairwise != nil || r.Order != nil {
		t.Fatalf("two of three in: %+v", r)
	}
	if p := decodeProblem(t, j1.call(http.MethodGet, api+"/vote-result", "", http.StatusForbidden)); p.Code != "not_chair" {
		t.Errorf("a juror asks for the result: %+v", p)
	}
	chair.call(http.MethodPost, api+"/ballot/submit", ranks(1, 1), http.StatusOK)
	r := result()
	if !r.Shown || r.Submitted != 3 || r.Tied || !slices.Equal(r.Winners, []string{x}) || len(r.Order) != 2 || r.Order[0][0] != x {
		t.Fatalf("all in: %+v", r)
	}
	ix := slices.IndexFunc(r.Candidates, func(c struct {
		NominationID string `json:"nomination_id"`
		Title        string
	}) bool {
		return c.NominationID == x
	})
	if r.Pairwise[ix][1-ix] != 2 || r.Pairwise[1-ix][ix] != 0 {
		t.Errorf("pairwise %v (x at %d), want 2 to 0", r.Pairwise, ix)
	}
	if len(r.Steps) != 1 || r.Steps[0].Ahead != x || r.Steps[0].For != 2 || r.Steps[0].Against != 0 || !slices.Equal(r.Steps[0].Path, []string{x, y}) {
		t.Errorf("steps %+v", r.Steps)
	}

	// The chair reopens jury-2's ballot: it stops counting.
	reopen := fmt.Sprintf("%s/ballots/%d/reopen", api, seats["jury-2"])
	if p := decodeProblem(t, chair.call(http.MethodPost, reopen, `{"reason":""}`, http.StatusUnprocessableEntity)); p.Codes["reason"] != "required" {
		t.Errorf("reopen without a reason: %+v", p)
	}
	chair.call(http.MethodPost, fmt.Sprintf("%s/ballots/%d/reopen", api, 999999), `{"reason":"Feil"}`, http.StatusNotFound)
	chair.call(http.MethodPost, reopen, `{"reason":"Feil plass"}`, http.StatusNoContent)
	if p := decodeProblem(t, chair.call(http.MethodPost, reopen, `{"reason":"Feil plass"}`, http.StatusConflict)); p.Code != "not_submitted" {
		t.Errorf("reopen twice: %+v", p)
	}
	if r := result(); r.Shown || r.Submitted != 2 {
		t.Errorf("after reopening: shown %v, %d submitted", r.Shown, r.Submitted)
	}
	// The round's deadline passes: the ballots in are counted, and no
	// ballot changes any more.
	if _, err := db.ExecContext(t.Context(), `UPDATE rounds SET scoring_deadline = now() - interval '1 minute' WHERE id = ?`, round); err != nil {
		t.Fatal(err)
	}
	if r := result(); !r.Shown || r.Submitted != 2 || r.Pairwise[ix][1-ix] != 1 {
		t.Errorf("past the deadline: %+v", r)
	}
	if p := decodeProblem(t, j2.call(http.MethodPut, api+"/ballot", ranks(2, 1), http.StatusConflict)); p.Code != "deadline_passed" {
		t.Errorf("past the deadline: %+v", p)
	}
}

// voteCount runs a count in the app's database.
func voteCount(t *testing.T, db *postgres.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.NewRaw(q, args...).Scan(t.Context(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestVotePage: a refused ballot form shows each message next to its
// nomination's select and in the summary, and keeps what was chosen.
func TestVotePage(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	db := nomDB(t, a)
	cycle, _, x, y := voteCycle(t, db, "vote-page")
	c := a.Login(t, "jury-1")
	scoringSeat(t, db, cycle, userID(t, a, c), false)
	j1 := nomClient{t: t, a: a, c: c}
	page := "/jury/" + cycle + "/stemme"
	body := j1.form(http.MethodPost, page, fmt.Sprintf("rank_%s=9&rank_%s=2&action=save", x, y), http.StatusUnprocessableEntity)
	wantContains(t, "refused ballot", body, `id="error-summary"`, `href="#rank-`+x+`"`, `id="rank-`+x+`-error"`,
		`aria-describedby="rank-`+x+`-nominees rank-`+x+`-error"`, "Velg en plass fra 1 til", "Rangeringen er ikke lagret",
		`<option value="2" selected>2</option>`)
	if n := voteCount(t, db, `SELECT count(*) FROM ballots`); n != 0 {
		t.Errorf("%d ranks saved", n)
	}
	// Submitted, the ballot is shown read-only.
	j1.form(http.MethodPost, page, fmt.Sprintf("rank_%s=1&rank_%s=2&action=submit", x, y), http.StatusSeeOther)
	body = j1.call(http.MethodGet, page, "", http.StatusOK)
	wantContains(t, "submitted ballot", body, `id="submitted"`, `id="my-ballot"`)
	if strings.Contains(body, `<select`) {
		t.Error("the submitted ballot still has selects")
	}
	// The jury's list points to the vote.
	wantContains(t, "jury list", j1.call(http.MethodGet, "/jury/"+cycle, "", http.StatusOK), `id="vote-notice"`, `href="`+page+`"`)
}
