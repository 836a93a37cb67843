package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/apptest"
)

// TestBidsAPI walks a juror's bids through the API: the list, a good PUT,
// each kind of bad input as problem details with its machine code and
// nothing saved, and bidding closed by the automatic run.
func TestBidsAPI(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	cycle, _ := asgScenario(t, a)
	db := nomDB(t, a)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `UPDATE cycles SET phase = 'closed', assignment_mode = 'auto', jurors_per_nomination = 1
		WHERE public_id = ?`, cycle); err != nil {
		t.Fatal(err)
	}
	// jury-2 is employed in Bærum (asgScenario).
	juror := nomClient{t: t, a: a, c: a.Login(t, "jury-2")}
	api := "/api/v1/cycles/" + cycle + "/bids"
	type bids struct {
		Cycle string
		Open  bool
		Bids  []struct {
			NominationID string `json:"nomination_id"`
			Title, Bid   string
			Nominees     []string
		}
	}
	get := func(body string) bids {
		t.Helper()
		var b bids
		if err := json.Unmarshal([]byte(body), &b); err != nil {
			t.Fatal(err)
		}
		return b
	}
	b := get(juror.call(http.MethodGet, api, "", http.StatusOK))
	if !b.Open || len(b.Bids) != 2 || b.Cycle != cycle {
		t.Fatalf("bids %+v", b)
	}
	// The juror's list, empty before the assignment, says where to bid.
	bidding := `id="bidding"><p class="ds-paragraph">Nominasjonene er ikke fordelt mellom jurymedlemmene ennå. <a class="ds-link" href="/jury/` +
		cycle + `/onsker">`
	if list := juror.call(http.MethodGet, "/jury/"+cycle, "", http.StatusOK); !strings.Contains(list, bidding) {
		t.Errorf("the juror's list while bidding is open lacks the way to the bids: %.2000s", list)
	}
	pub := map[string]string{}
	for _, x := range b.Bids {
		pub[x.Title] = x.NominationID
		if x.Bid != "willing" {
			t.Fatalf("unmarked %s is %q, want willing", x.Title, x.Bid)
		}
	}
	var baerum string
	if err := db.NewRaw(`SELECT n.public_id FROM nominations n JOIN cycles c ON c.id = n.cycle_id WHERE c.public_id = ? AND n.title = 'Innovasjon i Bærum'`,
		cycle).Scan(ctx, &baerum); err != nil {
		t.Fatal(err)
	}

	body := fmt.Sprintf(`{"bids":[{"nomination_id":"nope","bid":"eager"},{"nomination_id":%q,"bid":"eager"},{"nomination_id":%q,"bid":"maybe"}]}`,
		baerum, pub["Innovasjon i Asker"])
	p := decodeProblem(t, juror.call(http.MethodPut, api, body, http.StatusUnprocessableEntity))
	want := map[string]string{"bids[0].nomination_id": "unknown_reference", "bids[1].nomination_id": "conflict_of_interest",
		"bids[2].bid": "invalid_choice"}
	for k, v := range want {
		if p.Codes[k] != v || p.Errors[k] == "" {
			t.Errorf("%s: code %q (%q), want %q", k, p.Codes[k], p.Errors[k], v)
		}
	}
	if len(p.Codes) != len(want) {
		t.Errorf("codes %v", p.Codes)
	}
	if p := decodeProblem(t, juror.call(http.MethodPut, api, `{"bids":[],"extra":1}`, http.StatusUnprocessableEntity)); p.Codes["extra"] != "unknown_field" {
		t.Errorf("unknown field: %+v", p)
	}
	if n := bidCount(t, a); n != 0 {
		t.Fatalf("%d bids saved after refusals", n)
	}

	b = get(juror.call(http.MethodPut, api, fmt.Sprintf(`{"bids":[{"nomination_id":%q,"bid":"not_wanted"}]}`, pub["Innovasjon i Asker"]), http.StatusOK))
	for _, x := range b.Bids {
		if want := map[bool]string{true: "not_wanted", false: "willing"}[x.Title == "Innovasjon i Asker"]; x.Bid != want {
			t.Errorf("%s: %q, want %q", x.Title, x.Bid, want)
		}
	}

	// The run closes bidding: 409 with code not_open.
	admin := nomClient{t: t, a: a, c: a.Login(t, "admin")}
	admin.call(http.MethodPost, "/api/v1/cycles/"+cycle+"/assignments/auto", "", http.StatusOK)
	var m struct {
		Bids *struct {
			NotWanted       int   `json:"not_wanted"`
			NotWantedSpared int   `json:"not_wanted_spared"`
			NotHonoured     []any `json:"not_honoured"`
		}
	}
	if err := json.Unmarshal([]byte(admin.call(http.MethodGet, "/api/v1/cycles/"+cycle+"/assignments", "", http.StatusOK)), &m); err != nil {
		t.Fatal(err)
	}
	if m.Bids == nil || m.Bids.NotWanted != 1 || m.Bids.NotWantedSpared != 1 || len(m.Bids.NotHonoured) != 0 {
		t.Errorf("the matrix's bids: %+v", m.Bids)
	}
	p = decodeProblem(t, juror.call(http.MethodPut, api, `{"bids":[]}`, http.StatusConflict))
	if p.Code != "not_open" || p.Detail == "" {
		t.Errorf("closed: %+v", p)
	}
	if b = get(juror.call(http.MethodGet, api, "", http.StatusOK)); b.Open {
		t.Error("bidding still open after the run")
	}
	if list := juror.call(http.MethodGet, "/jury/"+cycle, "", http.StatusOK); strings.Contains(list, `id="bidding"`) {
		t.Error("the juror's list still asks for bids after the run")
	}
}

func bidCount(t *testing.T, a *apptest.App) int {
	t.Helper()
	var n int
	if err := nomDB(t, a).NewRaw(`SELECT count(*) FROM juror_bids`).Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}
