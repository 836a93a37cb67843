package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/apptest"
)

// programmeCohort is the seed's cohort of Kommuneinkubatoren 2021
// (shared/seeds/002): each participation's organisations, sorted, and its
// project.
var programmeCohort = map[string]string{
	"Bydel Nordre Aker":               "Trehuset på Tåsen",
	"Asker":                           "«Kraftpakke» for innbyggerinvolvering",
	"Meløy":                           "Ny tilnærming til utformingen av oppvekstplanen",
	"Bygda 2.0 AS, Trondheim, Åfjord": "Bylandet",
}

// TestProgrammeArchive reads the demo's Kommuneinkubatoren 2021 in the
// public archive: its year lists exactly the seed's participants with
// their projects, with no winner, finalist or jury wording, in the pages
// and the public API; the award's page and an organisation's page name
// the participation; the project's page works.
func TestProgrammeArchive(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	anon := a.Client(t)

	_, page := fetch(t, a, anon, "/priser/kommuneinkubatoren/2021")
	cohort := section(page, `id="participants-h"`)
	wantContains(t, "the year's page", page, "Kommuneinkubatoren 2021", "4 deltakere", "10 måneders inkubatorprogram")
	for names, project := range programmeCohort {
		for _, n := range strings.Split(names, ", ") {
			wantContains(t, "the cohort", cohort, n)
		}
		wantContains(t, "the cohort", cohort, htmlText(project))
	}
	wantContains(t, "the year's JSON-LD", page, `"@type":"Organization","name":"Bygda 2.0 AS"`)
	wantLacks(t, "the year's page", page, "Vinner", "Finalist", "Juryens begrunnelse", "Hederlig omtale", "annen nominasjon", "andre nominasjoner", "Utlysningen")

	var year struct {
		Cycle struct {
			AwardKind string `json:"award_kind"`
			Criteria  []any
		}
		Items []struct {
			Programme bool
			Outcome   *string
			Nominees  []struct {
				ID         apiID
				Name, Kind string
			}
			Projects []struct{ ID, Title string }
		}
	}
	_, body := fetch(t, a, anon, "/api/v1/public/awards/kommuneinkubatoren/2021")
	if err := json.Unmarshal([]byte(body), &year); err != nil {
		t.Fatalf("%v: %.500s", err, body)
	}
	got := map[string]string{}
	var askerProject string
	var district int64
	for _, it := range year.Items {
		var names []string
		for _, n := range it.Nominees {
			names = append(names, n.Name)
			if n.Name == "Bydel Nordre Aker" {
				district = int64(n.ID)
			}
		}
		slices.Sort(names)
		if !it.Programme || it.Outcome != nil || len(it.Projects) != 1 {
			t.Errorf("%v: programme %v, outcome %v, %d projects", names, it.Programme, it.Outcome, len(it.Projects))
			continue
		}
		got[strings.Join(names, ", ")] = it.Projects[0].Title
		if names[0] == "Asker" {
			askerProject = it.Projects[0].ID
		}
	}
	if diff := cmp.Diff(programmeCohort, got); diff != "" || year.Cycle.AwardKind != "programme" || len(year.Cycle.Criteria) != 0 {
		t.Errorf("the API's cohort (-want +got):\n%s\nkind %q, criteria %v", diff, year.Cycle.AwardKind, year.Cycle.Criteria)
	}

	// The award's page and answer: a programme with its cohort.
	_, award := fetch(t, a, anon, "/priser/kommuneinkubatoren")
	wantContains(t, "the award's page", award, "Deltakere", "Bydel Nordre Aker", "4 deltakere", "SoCentral")
	wantLacks(t, "the award's page", award, "Vinner", "Finalister", "nominasjoner offentliggjort")
	var awardAnswer struct {
		Kind  string
		Years []struct{ Participants []any }
	}
	_, body = fetch(t, a, anon, "/api/v1/public/awards/kommuneinkubatoren")
	if err := json.Unmarshal([]byte(body), &awardAnswer); err != nil || awardAnswer.Kind != "programme" ||
		len(awardAnswer.Years) != 1 || len(awardAnswer.Years[0].Participants) != 4 {
		t.Errorf("the award's answer %+v %v", awardAnswer, err)
	}

	// The organisation's page names the participation.
	_, org := fetch(t, a, anon, "/kommuner/"+itoa(district))
	wantContains(t, "Bydel Nordre Aker's page", org, "Kommuneinkubatoren 2021", "Deltaker i program", "Trehuset på Tåsen")
	// Its parent is its municipality, not a county.
	wantLacks(t, "Bydel Nordre Aker's page", org, "<dt>Fylke</dt>")
	var orgAnswer struct {
		Items []struct {
			Cycle     string
			Programme bool
			Outcome   *string
		}
	}
	_, body = fetch(t, a, anon, "/api/v1/public/organisations/"+itoa(district))
	if err := json.Unmarshal([]byte(body), &orgAnswer); err != nil || len(orgAnswer.Items) != 1 ||
		orgAnswer.Items[0].Cycle != "Kommuneinkubatoren 2021" || !orgAnswer.Items[0].Programme || orgAnswer.Items[0].Outcome != nil {
		t.Errorf("Bydel Nordre Aker's answer %v: %.800s", err, body)
	}

	// Search finds a participation, named as one.
	_, hits := fetch(t, a, anon, "/sok?q=Bylandet")
	wantContains(t, "search for Bylandet", hits, "Kommuneinkubatoren 2021", "Deltaker i program")

	// The project's page and answer.
	resp, project := fetch(t, a, anon, "/prosjekter/"+askerProject)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("the kraftpakke's page: %d", resp.StatusCode)
	}
	wantContains(t, "the kraftpakke's page", project, "Kommuneinkubatoren 2021", "Deltaker i program",
		"Asker kommune er god i gang med utvikling og testing av en «kraftpakke» for innbyggerinvolvering.")
	if resp, _ := fetch(t, a, anon, "/api/v1/public/projects/"+askerProject); resp.StatusCode != http.StatusOK {
		t.Errorf("the kraftpakke's answer: %d", resp.StatusCode)
	}
}

// TestProgrammeRefusals: a programme's cycle has no jury, assignment,
// scoring, ranking, decision, criteria or announcements, and cannot move
// to judging.
// Each route says so with the code programme_cycle; the admin's cycle page
// still works.
func TestProgrammeRefusals(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	admin := a.Login(t, "admin")
	var cycle string
	if err := filesDB(t, a).NewRaw(`SELECT c.public_id FROM cycles c JOIN awards a ON a.id = c.award_id
		WHERE a.slug = 'kommuneinkubatoren' AND c.year = 2021`).Scan(context.Background(), &cycle); err != nil {
		t.Fatal(err)
	}
	base := "/api/v1/cycles/" + cycle
	for _, tc := range []struct{ method, path, body string }{
		{http.MethodGet, base + "/jurors", ""},
		{http.MethodPost, base + "/jurors", `{"email":"jorunn@example.org","name":"Jorunn"}`},
		{http.MethodGet, base + "/assignments", ""},
		{http.MethodGet, base + "/ranking", ""},
		{http.MethodGet, base + "/decision", ""},
		{http.MethodGet, base + "/announcements", ""},
		{http.MethodPost, base + "/criteria", `{"name_nb":"Nytt"}`},
	} {
		status, body := a.Do(t, admin, tc.method, tc.path, tc.body)
		if p := decodeProblem(t, body); status != http.StatusConflict || p.Code != "programme_cycle" || !strings.Contains(p.Detail, "programme") {
			t.Errorf("%s %s: %d %.300s, want 409 programme_cycle", tc.method, tc.path, status, body)
		}
	}
	status, body := a.Do(t, admin, http.MethodPost, base+"/transitions", `{"to":"judging"}`)
	if p := decodeProblem(t, body); status != http.StatusConflict || !strings.Contains(p.Detail, "a programme's cycle in phase published cannot move to judging") {
		t.Errorf("to judging: %d %.300s", status, body)
	}
	// The pages too; scores of one nomination are nobody's business
	// without a seat, which a programme never gives (404 as ever).
	for _, path := range []string{"/admin/sykluser/" + cycle + "/jury", "/admin/sykluser/" + cycle + "/publisering",
		"/jury/" + cycle + "/fremdrift", "/admin/sykluser/" + cycle + "/fordeling"} {
		if status, _ := a.Do(t, admin, http.MethodGet, path, ""); status != http.StatusConflict {
			t.Errorf("GET %s: %d, want 409", path, status)
		}
	}
	status, body = a.Do(t, admin, http.MethodGet, "/admin/sykluser/"+cycle, "")
	if status != http.StatusOK {
		t.Fatalf("the admin's cycle page: %d %.500s", status, body)
	}
	wantContains(t, "the admin's cycle page", body, "Dette er et program")
	wantLacks(t, "the admin's cycle page", body, "/jury\"", "/fordeling\"", "/publisering\"", "Avslutt vurderingen")

	// A new programme through the API: its cycle goes from draft straight
	// to published.
	status, body = a.Do(t, admin, http.MethodPost, "/api/v1/awards", `{"slug":"nytt-program","name_nb":"Nytt program","kind":"programme"}`)
	if status != http.StatusCreated || !strings.Contains(body, `"kind":"programme"`) {
		t.Fatalf("create a programme: %d %.300s", status, body)
	}
	status, body = a.Do(t, admin, http.MethodPost, "/api/v1/awards/nytt-program/cycles", `{"year":2031,"title":"Nytt program 2031"}`)
	var created struct{ ID string }
	if err := json.Unmarshal([]byte(body), &created); status != http.StatusCreated || err != nil {
		t.Fatalf("create its cycle: %d %.300s", status, body)
	}
	status, body = a.Do(t, admin, http.MethodPost, "/api/v1/cycles/"+created.ID+"/transitions", `{"to":"published"}`)
	if status != http.StatusOK || !strings.Contains(body, `"phase":"published"`) {
		t.Errorf("draft → published: %d %.300s", status, body)
	}
	status, body = a.Do(t, admin, http.MethodPatch, "/api/v1/awards/nytt-program", `{"kind":"prize"}`)
	if status != http.StatusUnprocessableEntity && status != http.StatusBadRequest {
		t.Errorf("changing the kind: %d %.300s", status, body)
	}
}
