package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/apptest"
)

// cycleStep is one request of a scenario: who sends it, what it must answer,
// and text the answer must (or must not) contain.
type cycleStep struct {
	name         string
	who, method  string
	path, body   string
	status       int
	want, reject []string
}

func runCycleSteps(t *testing.T, a *apptest.App, clients map[string]*http.Client, steps []cycleStep) {
	t.Helper()
	for _, s := range steps {
		status, body := a.Do(t, clients[s.who], s.method, s.path, s.body)
		if status != s.status {
			t.Errorf("%s: %s %s as %s = %d, want %d\n%.600s", s.name, s.method, s.path, s.who, status, s.status, body)
			continue
		}
		for _, w := range s.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: answer lacks %q\n%.2000s", s.name, w, body)
			}
		}
		for _, r := range s.reject {
			if strings.Contains(body, r) {
				t.Errorf("%s: answer contains %q", s.name, r)
			}
		}
	}
}

func cyclesDecode[T any](t *testing.T, body string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("decode %.300s: %v", body, err)
	}
	return v
}

// TestCyclesScenario walks an award through the API and the pages as the
// admin and two municipalities would: creating it with mistakes on the
// way, a draft nobody else sees, opening the call, the submitters' view,
// copying to next year and the lock on criteria once judging starts.
func TestCyclesScenario(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	c := map[string]*http.Client{"anon": a.Client(t)}
	for _, u := range []string{"admin", "asker", "traena"} {
		c[u] = a.Login(t, u)
	}
	runCycleSteps(t, a, c, []cycleStep{
		{name: "bad slug", who: "admin", method: "POST", path: "/api/v1/awards", body: `{"slug":"Min Pris","name_nb":"Min pris"}`,
			status: 422, want: []string{`"slug":"Bruk bare små bokstaver`}},
		{name: "no name", who: "admin", method: "POST", path: "/api/v1/awards", body: `{"slug":"min-pris","name_nb":"  "}`,
			status: 422, want: []string{`"name_nb":"Må fylles ut"`}},
		{name: "unknown field", who: "admin", method: "POST", path: "/api/v1/awards", body: `{"slug":"min-pris","name_nb":"Min pris","colour":"red"}`,
			status: 422, want: []string{`"colour"`}},
		{name: "create award", who: "admin", method: "POST", path: "/api/v1/awards",
			body:   `{"slug":"fylkespris","name_nb":"Fylkesprisen","name_en":"County award","description_nb":"For fylker og kommuner."}`,
			status: 201, want: []string{`"slug":"fylkespris"`, `"name_en":"County award"`}},
		{name: "slug taken", who: "admin", method: "POST", path: "/api/v1/awards", body: `{"slug":"fylkespris","name_nb":"En annen"}`,
			status: 409, want: []string{`"slug":"En annen pris har allerede denne adressen`}},
		{name: "slug fixed", who: "admin", method: "PATCH", path: "/api/v1/awards/fylkespris", body: `{"slug":"ny"}`, status: 422},
		{name: "submitter cannot create", who: "asker", method: "POST", path: "/api/v1/awards", body: `{"slug":"asker-pris","name_nb":"X"}`, status: 403},
		{name: "dates out of order", who: "admin", method: "POST", path: "/api/v1/awards/fylkespris/cycles",
			body:   `{"year":2030,"title":"Fylkesprisen 2030","call_opens_at":"2030-03-02T00:00:00+01:00","nomination_deadline":"2030-03-01T23:59:00+01:00"}`,
			status: 422, want: []string{`"nomination_deadline":"Datoene må komme i denne rekkefølgen`}},
		{name: "not RFC 3339", who: "admin", method: "POST", path: "/api/v1/awards/fylkespris/cycles",
			body: `{"year":2030,"title":"Fylkesprisen 2030","call_opens_at":"1. mars 2030"}`, status: 422, want: []string{`"call_opens_at"`}},
		{name: "nothing stored", who: "admin", method: "GET", path: "/api/v1/awards/fylkespris/cycles", status: 200, want: []string{`"items":[]`}},
	})

	status, body := a.Do(t, c["admin"], "POST", "/api/v1/awards/fylkespris/cycles",
		`{"year":2030,"title":"Fylkesprisen 2030","call_text":"Send inn det beste dere har gjort.","eligible_kinds":["municipality","county"],`+
			`"max_projects":2,"publish_all":true,"call_opens_at":"2024-01-08T09:00:00+01:00","nomination_deadline":"2030-03-01T23:59:00+01:00",`+
			`"scoring_deadline":"2030-04-20T12:00:00+02:00","announcement_at":"2030-06-15T12:00:00+02:00"}`)
	if status != http.StatusCreated {
		t.Fatalf("create cycle: %d %s", status, body)
	}
	cycle := cyclesDecode[struct {
		ID, Phase          string
		NominationDeadline string `json:"nomination_deadline"`
	}](t, body)
	if cycle.Phase != "draft" || cycle.NominationDeadline != "2030-03-01T23:59:00+01:00" {
		t.Errorf("created cycle: %s", body)
	}
	id := cycle.ID

	status, body = a.Do(t, c["admin"], "POST", "/api/v1/cycles/"+id+"/criteria",
		`{"name_nb":"Nytt","name_en":"New","help_nb":"Er løsningen ny for kommunen?","scale_min":0,"scale_max":10,"scale_step":2,"weight":1.5}`)
	if status != http.StatusCreated {
		t.Fatalf("create criterion: %d %s", status, body)
	}
	criterion := cyclesDecode[struct{ ID apiID }](t, body).ID
	crPath := "/api/v1/criteria/" + strconv.FormatInt(int64(criterion), 10)

	runCycleSteps(t, a, c, []cycleStep{
		{name: "bad scale", who: "admin", method: "POST", path: "/api/v1/cycles/" + id + "/criteria",
			body: `{"name_nb":"Nyttig","scale_min":1,"scale_max":5,"scale_step":3}`, status: 422, want: []string{`"scale_step"`}},
		{name: "zero weight", who: "admin", method: "PATCH", path: crPath, body: `{"weight":0}`, status: 422, want: []string{`"weight"`}},
		{name: "draft hidden from anonymous", who: "anon", method: "GET", path: "/api/v1/cycles/" + id, status: 404},
		{name: "draft hidden from submitter", who: "asker", method: "GET", path: "/api/v1/cycles/" + id, status: 404},
		{name: "draft criteria hidden", who: "asker", method: "GET", path: "/api/v1/cycles/" + id + "/criteria", status: 404},
		{name: "draft page hidden", who: "asker", method: "GET", path: "/sykluser/" + id, status: 404},
		{name: "draft not listed", who: "anon", method: "GET", path: "/api/v1/awards/fylkespris/cycles", status: 200, reject: []string{id}},
		{name: "draft not on home page", who: "asker", method: "GET", path: "/", status: 200, reject: []string{"Fylkesprisen 2030"}},
		{name: "admin sees draft", who: "admin", method: "GET", path: "/admin/sykluser/" + id, status: 200,
			want: []string{"Fylkesprisen 2030", `aria-current="step"`, "Åpne utlysningen", "1. mars 2030 kl. 23.59", "Nytt"}},
		{name: "confirm step names the consequence", who: "admin", method: "GET", path: "/admin/sykluser/" + id + "/fase?til=open", status: 200,
			want: []string{"Utlysningen blir synlig", `name="to" value="open"`}},
		{name: "forged move refused on the page", who: "admin", method: "GET", path: "/admin/sykluser/" + id + "/fase?til=published", status: 409,
			want: []string{"Syklusen kan ikke gå fra «Utkast» til «Publisert»"}},
		{name: "unknown phase named on the page, not coded", who: "admin", method: "GET", path: "/admin/sykluser/" + id + "/fase?til=done", status: 409,
			want: []string{"Velg en av fasene «Utkast», «Åpen for nominasjoner»"}, reject: []string{"draft, open"}},
		{name: "skipping phases refused", who: "admin", method: "POST", path: "/api/v1/cycles/" + id + "/transitions", body: `{"to":"judging"}`,
			status: 409, want: []string{"cannot move to judging"}},
		{name: "unknown phase", who: "admin", method: "POST", path: "/api/v1/cycles/" + id + "/transitions", body: `{"to":"done"}`,
			status: 422, want: []string{`"to"`}},
		{name: "open the call", who: "admin", method: "POST", path: "/admin/sykluser/" + id + "/fase", body: "to=open", status: 303},
		{name: "open now", who: "anon", method: "GET", path: "/api/v1/cycles/" + id, status: 200,
			want: []string{`"phase":"open"`, `"next_phases":["closed","draft"]`}},
		{name: "submitter's cycle page", who: "asker", method: "GET", path: "/sykluser/" + id, status: 200,
			want: []string{"Send inn det beste dere har gjort.", "Er løsningen ny for kommunen?", "1. mars 2030 kl. 23.59",
				`action="/sykluser/` + id + `/nominasjoner"`, "Start nominasjon", "opptil 2 prosjekter", "Kommune, Fylkeskommune",
				"blir alle innsendte nominasjoner publisert"}},
		{name: "in nynorsk", who: "traena", method: "GET", path: "/lang/nn?next=/sykluser/" + id, status: 303},
		{name: "nynorsk cycle page", who: "traena", method: "GET", path: "/sykluser/" + id, status: 200,
			want: []string{"Utlysinga er open", "Ein nominasjon kan ha opptil 2 prosjekt.",
				// The criterion has no nynorsk name or help: its bokmål is marked.
				`<h3 class="ds-heading" data-size="xs" lang="nb">Nytt</h3>`, `<p class="ds-paragraph cycle-text" lang="nb">Er løsningen ny for kommunen?</p>`}},
		{name: "home page lists the call", who: "asker", method: "GET", path: "/", status: 200,
			want: []string{"Åpne utlysninger", "Fylkesprisen 2030", "/sykluser/" + id}},
		{name: "admin home lists phases", who: "admin", method: "GET", path: "/", status: 200,
			want: []string{"Priser og sykluser", "Fylkesprisen 2030", "Åpen for nominasjoner", `href="/admin/priser"`}},
		{name: "copy to next year", who: "admin", method: "POST", path: "/api/v1/cycles/" + id + "/copy", status: 201,
			want: []string{`"year":2031`, `"title":"Fylkesprisen 2031"`, `"phase":"draft"`, `"nomination_deadline":"2031-03-01T23:59:00+01:00"`}},
		{name: "copy again", who: "admin", method: "POST", path: "/admin/sykluser/" + id + "/kopier", status: 409,
			want: []string{"Prisen har allerede en syklus for 2031"}},
		{name: "close", who: "admin", method: "POST", path: "/api/v1/cycles/" + id + "/transitions", body: `{"to":"closed"}`, status: 200},
		{name: "judge", who: "admin", method: "POST", path: "/api/v1/cycles/" + id + "/transitions", body: `{"to":"judging"}`, status: 200},
		{name: "criteria locked (API)", who: "admin", method: "PATCH", path: crPath, body: `{"weight":2}`, status: 409,
			want: []string{"cannot change once the round has started"}},
		{name: "criteria locked (page)", who: "admin", method: "POST", path: "/admin/sykluser/" + id + "/kriterier",
			body: "name_nb=Nyttig&weight=1&scale_min=1&scale_max=5&scale_step=1", status: 409,
			want: []string{"Kriteriene i en runde kan ikke endres etter at runden har startet."}},
		{name: "criterion unchanged", who: "anon", method: "GET", path: "/api/v1/cycles/" + id + "/criteria", status: 200,
			want: []string{`"weight":1.5`, `"scale_step":2`}},
		{name: "decide", who: "admin", method: "POST", path: "/api/v1/cycles/" + id + "/transitions", body: `{"to":"decided"}`, status: 200},
		{name: "publishing says what it does not do", who: "admin", method: "GET", path: "/admin/sykluser/" + id + "/fase?til=published", status: 200,
			want: []string{"Dette gjør ingenting offentlig", "vinnerne må være kunngjort der først"}},
		{name: "published before the winners are announced (page)", who: "admin", method: "POST", path: "/admin/sykluser/" + id + "/fase",
			body: "to=published", status: 409, want: []string{"Kunngjør vinnerne først, på publiseringssiden"}},
		{name: "published before the winners are announced (API)", who: "admin", method: "POST", path: "/api/v1/cycles/" + id + "/transitions",
			body: `{"to":"published"}`, status: 409, want: []string{"announce the winners first"}},
		{name: "still decided", who: "admin", method: "GET", path: "/api/v1/cycles/" + id, status: 200, want: []string{`"phase":"decided"`}},
	})
}

// TestCyclesForms checks the admins' forms: a refused form comes back
// with an error summary linked to the fields and each message beside its
// field, and stores nothing.
func TestCyclesForms(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	c := map[string]*http.Client{"admin": a.Login(t, "admin")}
	form := url.Values{"slug": {"Ugyldig Adresse"}, "name_nb": {""}, "owner_id": {"0"}}.Encode()
	runCycleSteps(t, a, c, []cycleStep{
		{name: "award form", who: "admin", method: "GET", path: "/admin/priser", status: 200,
			want: []string{`id="new-award-slug"`, `type="submit"`}},
		{name: "refused award", who: "admin", method: "POST", path: "/admin/priser", body: form, status: 422,
			want: []string{`class="ds-error-summary"`, `href="#new-award-slug"`, `href="#new-award-name_nb"`,
				`id="new-award-slug-error"`, `aria-invalid="true"`, `value="Ugyldig Adresse"`, "Må fylles ut"}},
		{name: "nothing stored", who: "admin", method: "GET", path: "/api/v1/awards", status: 200, reject: []string{"Ugyldig"}},
		{name: "create award", who: "admin", method: "POST", path: "/admin/priser",
			body: "slug=skjemapris&name_nb=Skjemaprisen&owner_id=0", status: 303},
		{name: "refused cycle", who: "admin", method: "POST", path: "/admin/priser/skjemapris/sykluser", body: "year=tjue&title=", status: 422,
			want: []string{`href="#new-cycle-year"`, "Skriv et helt tall."}},
		{name: "create cycle", who: "admin", method: "POST", path: "/admin/priser/skjemapris/sykluser", body: "year=2030&title=Skjemaprisen+2030", status: 303},
	})
	_, body := a.Do(t, c["admin"], "GET", "/api/v1/awards/skjemapris/cycles", "")
	items := cyclesDecode[struct{ Items []struct{ ID string } }](t, body).Items
	if len(items) != 1 {
		t.Fatalf("cycles: %s", body)
	}
	id := items[0].ID
	bad := url.Values{"year": {"2030"}, "title": {"Skjemaprisen 2030"}, "max_nominations_per_org": {"1"}, "max_projects": {"3"},
		"call_opens_at": {"2030-03-02T09:00"}, "nomination_deadline": {"2030-03-01T23:59"}, "scoring_deadline": {"i morgen"}}.Encode()
	runCycleSteps(t, a, c, []cycleStep{
		{name: "refused cycle settings", who: "admin", method: "POST", path: "/admin/sykluser/" + id, body: bad, status: 422,
			want: []string{`href="#cycle-scoring_deadline"`, "Skriv dato og klokkeslett"}},
		{name: "dates out of order", who: "admin", method: "POST", path: "/admin/sykluser/" + id,
			body: strings.Replace(bad, "scoring_deadline=i+morgen", "scoring_deadline=", 1), status: 422,
			want: []string{`href="#cycle-nomination_deadline"`, `href="#cycle-eligible_kinds-municipality"`, "Datoene må komme i denne rekkefølgen"}},
		{name: "nothing stored", who: "admin", method: "GET", path: "/api/v1/cycles/" + id, status: 200, want: []string{`"call_opens_at":null`}},
		{name: "save", who: "admin", method: "POST", path: "/admin/sykluser/" + id,
			body: strings.Replace(strings.Replace(bad, "scoring_deadline=i+morgen", "scoring_deadline=", 1), "call_opens_at=2030-03-02T09%3A00", "call_opens_at=2030-01-07T09%3A00", 1) +
				"&eligible_kinds=municipality&publish_all=true", status: 303},
		{name: "saved in Oslo time", who: "admin", method: "GET", path: "/api/v1/cycles/" + id, status: 200,
			want: []string{`"call_opens_at":"2030-01-07T09:00:00+01:00"`, `"publish_all":true`}},
		{name: "refused criterion", who: "admin", method: "POST", path: "/admin/sykluser/" + id + "/kriterier",
			body: "name_nb=Nytt&weight=en&scale_min=5&scale_max=1&scale_step=1", status: 422,
			want: []string{`href="#new-criterion-weight"`, "Skriv et tall, for eksempel 1 eller 2,5."}},
		{name: "criterion with decimal comma", who: "admin", method: "POST", path: "/admin/sykluser/" + id + "/kriterier",
			body: "name_nb=Nytt&help_nb=Er+det+nytt%3F&weight=1%2C5&scale_min=1&scale_max=5&scale_step=0%2C5", status: 303},
		{name: "listed", who: "admin", method: "GET", path: "/admin/sykluser/" + id, status: 200, want: []string{"Er det nytt?", "1.5"}},
	})
}
