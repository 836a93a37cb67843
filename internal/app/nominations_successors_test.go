package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/apptest"
)

// TestNominationSuccessorScenario: Asker won in 2017 as municipality 0220
// (the demo's published cycle); today's Asker (3203, through 3025) links
// those projects into a new nomination over the API. Træna cannot.
func TestNominationSuccessorScenario(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	db := nomDB(t, a)
	asker := nomClient{t: t, a: a, c: a.Login(t, "asker")}
	traena := nomClient{t: t, a: a, c: a.Login(t, "traena")}
	cycle := nomCycle(t, db, "etterfolgere", "now() + interval '30 days'", 1, 3)
	var asker0220 int64
	if err := db.NewRaw(`SELECT id FROM organisations WHERE kind = 'municipality' AND number = '0220' AND name = 'Asker'`).
		Scan(context.Background(), &asker0220); err != nil {
		t.Fatal(err)
	}

	type linkable struct {
		Items []struct {
			ID, Title, Organisation string
			OrganisationID          apiID  `json:"organisation_id"`
			UsedIn                  string `json:"used_in"`
			Editable, Frozen        bool
		}
	}
	list := func(n nomClient, id string) map[string]string {
		t.Helper()
		var l linkable
		if err := json.Unmarshal([]byte(n.call(http.MethodGet, "/api/v1/nominations/"+id+"/projects/linkable", "", http.StatusOK)), &l); err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, p := range l.Items {
			out[p.Title] = p.ID
			// The history's Asker 0220: "Blikk for muligheter" in 2015, the
			// three winning projects in 2017.
			usedIn := "2017"
			if p.Title == "Blikk for muligheter" {
				usedIn = "2015"
			}
			if int64(p.OrganisationID) == asker0220 && (p.Organisation != "Asker" || !strings.Contains(p.UsedIn, usedIn) || p.Editable || !p.Frozen) {
				t.Errorf("Asker 0220's project %+v", p)
			}
		}
		return out
	}

	id := asker.create(cycle, `{"title":"Innovasjon i hele Asker"}`)
	earlier := list(asker, id)
	for _, title := range []string{"Holmen svømmehall", "Asker velferdslab", "Løsningsjakten på Borgen"} {
		if earlier[title] == "" {
			t.Errorf("today's Asker is not offered %s: %v", title, earlier)
		}
	}
	// The HTML page offers them under "Use an earlier project" too.
	wantContains(t, "new project page", asker.call(http.MethodGet, "/nominasjoner/"+id+"/prosjekter/ny", "", http.StatusOK),
		"Holmen svømmehall", "Løsningsjakten på Borgen")

	var p struct {
		ID             string
		OrganisationID apiID `json:"organisation_id"`
	}
	body := asker.call(http.MethodPost, "/api/v1/nominations/"+id+"/projects", `{"project_id":"`+earlier["Holmen svømmehall"]+`"}`, http.StatusCreated)
	if err := json.Unmarshal([]byte(body), &p); err != nil || p.ID != earlier["Holmen svømmehall"] || int64(p.OrganisationID) != asker0220 {
		t.Errorf("linked %+v %v", p, err)
	}
	if v := asker.get(id); len(v.Projects) != 1 || v.Projects[0].Title != "Holmen svømmehall" {
		t.Errorf("nomination's projects %+v", v.Projects)
	}
	// Its page in the nomination shows it, for reading only: it stays as
	// Asker 0220 wrote it.
	page := asker.call(http.MethodGet, "/nominasjoner/"+id+"/prosjekter/"+p.ID, "", http.StatusOK)
	wantContains(t, "linked project's page", page, "Holmen svømmehall", `name="title" value="Holmen svømmehall" maxlength="300" readonly>`)
	if _, still := list(asker, id)["Holmen svømmehall"]; still {
		t.Error("a linked project is still offered")
	}

	// Træna is offered none of Asker's, cannot link them, and cannot ask
	// about Asker's nomination.
	other := traena.create(cycle, `{}`)
	if got := list(traena, other); got["Asker velferdslab"] != "" || got["Holmen svømmehall"] != "" {
		t.Errorf("Træna is offered %v", got)
	}
	pr := decodeProblem(t, traena.call(http.MethodPost, "/api/v1/nominations/"+other+"/projects",
		`{"project_id":"`+earlier["Asker velferdslab"]+`"}`, http.StatusNotFound))
	if pr.Errors["project_id"] == "" {
		t.Errorf("Træna links Asker's project: %+v", pr)
	}
	traena.call(http.MethodGet, "/api/v1/nominations/"+id+"/projects/linkable", "", http.StatusNotFound)

	// After the deadline: closed.
	if _, err := db.ExecContext(context.Background(), `UPDATE cycles SET nomination_deadline = now() - interval '1 second' WHERE public_id = ?`, cycle); err != nil {
		t.Fatal(err)
	}
	pr = decodeProblem(t, asker.call(http.MethodPost, "/api/v1/nominations/"+id+"/projects",
		`{"project_id":"`+earlier["Asker velferdslab"]+`"}`, http.StatusConflict))
	if !strings.Contains(pr.Detail, "deadline") {
		t.Errorf("after the deadline: %+v", pr)
	}
}
