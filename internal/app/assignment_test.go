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

// asgMatrix is the part of GET …/assignments the scenario reads.
type asgMatrix struct {
	Mode   string
	K      int
	Jurors []struct {
		ID   apiID
		Name string
		Load int
	}
	Nominations []struct {
		ID, Title string
		Jurors    int
		Cells     []struct {
			JurorID   apiID `json:"juror_id"`
			State     string
			Manual    bool
			Conflicts []struct{ Kind, Reason string }
		}
	}
	MinLoad int `json:"min_load"`
	MaxLoad int `json:"max_load"`
}

// state returns the state of juror's cell on the nomination titled title
// ("open" when it is not listed), and whether it is manual.
func (m asgMatrix) state(juror int64, title string) (string, bool) {
	for _, n := range m.Nominations {
		if n.Title != title {
			continue
		}
		for _, c := range n.Cells {
			if int64(c.JurorID) == juror {
				return c.State, c.Manual
			}
		}
	}
	return "open", false
}

// asgScenario makes a cycle being judged with nominations by Asker,
// Bærum and Træna, everyone scoring everything (k = 3 saved for later),
// and jury-chair (chairing), jury-1 and jury-2 on its jury, all declared;
// jury-2 (Jenny) works in Bærum. It returns the cycle's public ID and the
// seats by username.
func asgScenario(t *testing.T, a *apptest.App) (string, map[string]int64) {
	t.Helper()
	db := nomDB(t, a)
	ctx := context.Background()
	cycle, _ := asgCycle(t, db, "assignment-scenario", "Asker", "Bærum", "Træna")
	if _, err := db.ExecContext(ctx, `UPDATE cycles SET assignment_mode = 'all', jurors_per_nomination = 3 WHERE public_id = ?`, cycle); err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	for _, u := range []string{"jury-chair", "jury-1", "jury-2"} {
		ids[u] = asgSeat(t, db, cycle, userID(t, a, a.Login(t, u)), u == "jury-chair")
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO conflicts (juror_id, organisation_id, kind, reason)
		SELECT ?, id, 'employed', 'Ansatt i Bærum kommune' FROM organisations WHERE kind = 'municipality' AND name = 'Bærum' AND valid_to IS NULL`,
		ids["jury-2"]); err != nil {
		t.Fatal(err)
	}
	return cycle, ids
}

// TestAssignmentScenario walks the assignment of a cycle through the API
// and the page, with the bad input a client could send: the modes, an
// impossible k (nothing changes, the reasons name the nomination), a
// conflicted cell, manual cells kept by a re-run, and who may look.
func TestAssignmentScenario(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	cycle, ids := asgScenario(t, a)
	admin := nomClient{t: t, a: a, c: a.Login(t, "admin")}
	api := "/api/v1/cycles/" + cycle + "/assignments"
	get := func(c nomClient) asgMatrix {
		t.Helper()
		var m asgMatrix
		if err := json.Unmarshal([]byte(c.call(http.MethodGet, api, "", http.StatusOK)), &m); err != nil {
			t.Fatal(err)
		}
		return m
	}

	// Everyone scores everything but their conflicts.
	m := get(admin)
	if m.Mode != "all" || len(m.Jurors) != 3 || len(m.Nominations) != 3 || m.MinLoad != 2 || m.MaxLoad != 3 {
		t.Fatalf("mode all: %+v", m)
	}
	if s, _ := m.state(ids["jury-2"], "Innovasjon i Bærum"); s != "conflict" {
		t.Errorf("Jenny on Bærum: %s", s)
	}
	if s, _ := m.state(ids["jury-1"], "Innovasjon i Bærum"); s != "assigned" {
		t.Errorf("Jon on Bærum: %s", s)
	}

	// Bad input changes nothing.
	for _, tt := range []struct {
		method, path, body string
		status             int
		want               string
	}{
		{http.MethodPost, api + "/auto", `{"k":5}`, http.StatusConflict, "Hver nominasjon skal ha 5 jurymedlemmer, men juryen har bare 3."},
		{http.MethodPost, api + "/auto", `{"k":3}`, http.StatusConflict,
			"Innovasjon i Bærum (Bærum): bare 2 av 3 jurymedlemmer kan tildeles (inhabilitet hos Jenny Jurymedlem)"},
		{http.MethodPost, api + "/auto", `{"k":0}`, http.StatusUnprocessableEntity, `"k":"Skriv et helt tall fra 1 til 50."`},
		{http.MethodPost, api + "/auto", `{"k":"tre"}`, http.StatusUnprocessableEntity, `"k"`},
		{http.MethodPost, api + "/auto", `{"people":3}`, http.StatusUnprocessableEntity, `"people"`},
		{http.MethodPut, api + "/mode", `{"mode":"some","k":2}`, http.StatusUnprocessableEntity, `"mode":"Velg en fordelingsmåte."`},
		{http.MethodPut, api, fmt.Sprintf(`{"cells":[{"juror_id":"%d","nomination_id":"%s","state":"excluded"}]}`, ids["jury-1"], m.Nominations[0].ID),
			http.StatusConflict, "Syklusen lar alle vurdere alle nominasjoner"},
	} {
		status, body := a.Do(t, admin.c, tt.method, tt.path, tt.body)
		if status != tt.status || !strings.Contains(body, tt.want) {
			t.Errorf("%s %s %s: %d %s, want %d with %q", tt.method, tt.path, tt.body, status, body, tt.status, tt.want)
		}
	}
	if m := get(admin); m.Mode != "all" || m.K != 3 {
		t.Fatalf("refused runs changed the settings: %s %d", m.Mode, m.K)
	}

	// k = 2 works: two jurors each, loads 2.
	var run struct {
		Assigned int `json:"assigned"`
		MinLoad  int `json:"min_load"`
		MaxLoad  int `json:"max_load"`
	}
	if err := json.Unmarshal([]byte(admin.call(http.MethodPost, api+"/auto", `{"k":2}`, http.StatusOK)), &run); err != nil {
		t.Fatal(err)
	}
	if run.Assigned != 6 || run.MinLoad != 2 || run.MaxLoad != 2 {
		t.Errorf("run %+v", run)
	}
	m = get(admin)
	if m.Mode != "auto" || m.K != 2 {
		t.Errorf("after the run: mode %s, k %d", m.Mode, m.K)
	}
	for _, n := range m.Nominations {
		if n.Jurors != 2 {
			t.Errorf("%s has %d jurors", n.Title, n.Jurors)
		}
	}
	if s, _ := m.state(ids["jury-2"], "Innovasjon i Bærum"); s != "conflict" {
		t.Errorf("Jenny on Bærum after the run: %s", s)
	}
	asker, baerum := m.Nominations[0].ID, m.Nominations[1].ID

	// Cells: a conflicted one is refused with the names, bad ones name
	// the field; nothing of the request is saved.
	for _, tt := range []struct {
		body, want string
		status     int
	}{
		{fmt.Sprintf(`{"cells":[{"juror_id":"%d","nomination_id":%q,"state":"excluded"},{"juror_id":"%d","nomination_id":%q,"state":"assigned"}]}`,
			ids["jury-1"], asker, ids["jury-2"], baerum), "Jenny Jurymedlem har meldt seg inhabil for Innovasjon i Bærum (Bærum)", http.StatusConflict},
		{fmt.Sprintf(`{"cells":[{"juror_id":"999999","nomination_id":%q,"state":"excluded"}]}`, asker), `"cells[0].juror_id"`, http.StatusUnprocessableEntity},
		{fmt.Sprintf(`{"cells":[{"juror_id":"%d","nomination_id":"nope","state":"excluded"}]}`, ids["jury-1"]), `"cells[0].nomination_id"`, http.StatusUnprocessableEntity},
		{fmt.Sprintf(`{"cells":[{"juror_id":"%d","nomination_id":%q,"state":"maybe"}]}`, ids["jury-1"], asker), `"cells[0].state"`, http.StatusUnprocessableEntity},
		{`{"cells":[]}`, `"cells"`, http.StatusUnprocessableEntity},
		{`{"cells":[{"juror":1}]}`, `"juror"`, http.StatusUnprocessableEntity},
		// An ID is a string: the juror's seat as a number is refused.
		{fmt.Sprintf(`{"cells":[{"juror_id":%d,"nomination_id":%q,"state":"excluded"}]}`, ids["jury-1"], asker),
			`"codes":{"cells.juror_id":"wrong_type"}`, http.StatusUnprocessableEntity},
	} {
		status, body := a.Do(t, admin.c, http.MethodPut, api, tt.body)
		if status != tt.status || !strings.Contains(body, tt.want) {
			t.Errorf("PUT %s: %d %s, want %d with %q", tt.body, status, body, tt.status, tt.want)
		}
	}
	if s, manual := get(admin).state(ids["jury-1"], "Innovasjon i Asker"); manual || s == "excluded" {
		t.Errorf("a refused PUT saved a cell: %s", s)
	}

	// Manual cells: Jon never gets Asker, Jorunn always gets Træna; a
	// re-run keeps both, though Jorunn must then take all three.
	body := fmt.Sprintf(`{"cells":[{"juror_id":"%d","nomination_id":%q,"state":"excluded"},{"juror_id":"%d","nomination_id":%q,"state":"assigned"}]}`,
		ids["jury-1"], asker, ids["jury-chair"], m.Nominations[2].ID)
	var changed struct {
		Changed []struct{ From, To string }
	}
	if err := json.Unmarshal([]byte(admin.call(http.MethodPut, api, body, http.StatusOK)), &changed); err != nil {
		t.Fatal(err)
	}
	if len(changed.Changed) != 2 {
		t.Errorf("changed %+v", changed)
	}
	admin.call(http.MethodPost, api+"/auto", "", http.StatusOK)
	m = get(admin)
	if s, manual := m.state(ids["jury-1"], "Innovasjon i Asker"); s != "excluded" || !manual {
		t.Errorf("Jon on Asker after the re-run: %s manual %v", s, manual)
	}
	if s, manual := m.state(ids["jury-chair"], "Innovasjon i Træna"); s != "assigned" || !manual {
		t.Errorf("Jorunn on Træna after the re-run: %s manual %v", s, manual)
	}
	for _, n := range m.Nominations {
		if n.Jurors != 2 {
			t.Errorf("%s has %d jurors after the re-run", n.Title, n.Jurors)
		}
	}

	// The chair reads, the jurors do not.
	chair := nomClient{t: t, a: a, c: a.Login(t, "jury-chair")}
	if m := get(chair); len(m.Nominations) != 3 {
		t.Errorf("the chair sees %d nominations", len(m.Nominations))
	}
	chair.call(http.MethodPost, api+"/auto", "", http.StatusForbidden)
	html := chair.call(http.MethodGet, "/admin/sykluser/"+cycle+"/fordeling", "", http.StatusOK)
	wantContains(t, "chair's page", html, "Bare administratorer kan endre fordelingen.", "Inhabil", "Ansatt i Bærum kommune")
	wantLacks(t, "chair's page", html, "<select", "Fordel automatisk", "/admin/priser")
	juror := nomClient{t: t, a: a, c: a.Login(t, "jury-1")}
	juror.call(http.MethodGet, api, "", http.StatusForbidden)

	// The page: the matrix with its conflict, manual marks and loads; an
	// impossible k there lists the reason at the top and changes nothing.
	page := "/admin/sykluser/" + cycle + "/fordeling"
	html = admin.call(http.MethodGet, page, "", http.StatusOK)
	wantContains(t, "page", html, "Inhabil", "Ansatt i Bærum kommune", ">manuell</span>", "Innovasjon i Asker, Jon Jurymedlem",
		"Hvert jurymedlem har fra 1 til 3 nominasjoner.", "Fordel automatisk", `<th scope="row">`)
	admin.form(http.MethodPost, page+"/modus", "mode=auto&k=3", http.StatusSeeOther)
	html = admin.call(http.MethodPost, page+"/auto", "", http.StatusConflict)
	wantContains(t, "refused run", html, "Kan ikke fordele automatisk", "Ingenting er endret.", `href="#n-`+baerum+`"`,
		"Innovasjon i Asker (Asker): bare 2 av 3 jurymedlemmer kan tildeles (manuelt unntak for Jon Jurymedlem)",
		"Innovasjon i Bærum (Bærum): bare 2 av 3 jurymedlemmer kan tildeles (inhabilitet hos Jenny Jurymedlem)")
	html = admin.call(http.MethodPost, page+"/modus", "mode=auto&k=0", http.StatusUnprocessableEntity)
	wantContains(t, "bad k", html, "Skriv et helt tall fra 1 til 50.", `aria-invalid="true"`)
	// A cell changed on the page: Jon's exclusion cleared; a select left
	// as it was shown is not sent to the service.
	admin.form(http.MethodPost, page, fmt.Sprintf("c-%d-%s-excluded=auto&c-%d-%s-auto=auto", ids["jury-1"], asker, ids["jury-2"], asker),
		http.StatusSeeOther)
	if s, manual := get(admin).state(ids["jury-1"], "Innovasjon i Asker"); manual || s == "excluded" {
		t.Errorf("Jon on Asker after clearing: %s manual %v", s, manual)
	}
	html = admin.call(http.MethodPost, page, fmt.Sprintf("c-%d-%s-auto=assigned", ids["jury-2"], baerum), http.StatusConflict)
	wantContains(t, "conflicted cell", html, "Jenny Jurymedlem har meldt seg inhabil for Innovasjon i Bærum (Bærum)")
}
