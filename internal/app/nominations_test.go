package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/postgres"
)

// nomDB opens the running app's database, to set up cycles (whose routes
// belong to another area) and move deadlines.
func nomDB(t *testing.T, a *apptest.App) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), a.DBURL, 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	return db
}

// nomCycle makes an award of its own with one cycle, open with the deadline
// given as SQL, and returns the cycle's public ID.
func nomCycle(t *testing.T, db *postgres.DB, slug, deadline string, maxPerOrg, maxProjects int) string {
	t.Helper()
	var id string
	err := db.NewRaw(fmt.Sprintf(`
		WITH a AS (INSERT INTO awards (slug, name_nb, owner_id) VALUES (?, ?, `+demoOwner+`) RETURNING id)
		INSERT INTO cycles (award_id, year, title, phase, nomination_deadline, max_nominations_per_org, max_projects, publish_all)
		SELECT id, 2027, ?, 'open', %s, ?, ?, true FROM a RETURNING public_id`, deadline),
		slug, "Pris "+slug, "Innovasjonsprisen "+slug, maxPerOrg, maxProjects).Scan(context.Background(), &id)
	if err != nil {
		t.Fatalf("cycle: %v", err)
	}
	return id
}

// nomClient calls the app as one person.
type nomClient struct {
	t *testing.T
	a *apptest.App
	c *http.Client
}

// call sends a request (JSON when body starts with "{", else a form) and
// fails unless the status is want; it returns the body.
func (n nomClient) call(method, path, body string, want int) string {
	n.t.Helper()
	status, got := n.a.Do(n.t, n.c, method, path, body)
	if status != want {
		n.t.Fatalf("%s %s: status %d, want %d: %.600s", method, path, status, want, got)
	}
	return got
}

func (n nomClient) form(method, path, body string, want int) string {
	n.t.Helper()
	return n.call(method, path, body, want)
}

// create starts a nomination through the API and returns its public ID.
func (n nomClient) create(cycle, body string) string {
	n.t.Helper()
	var v struct{ ID string }
	if err := json.Unmarshal([]byte(n.call(http.MethodPost, "/api/v1/cycles/"+cycle+"/nominations", body, http.StatusCreated)), &v); err != nil || v.ID == "" {
		n.t.Fatalf("create: %v", err)
	}
	return v.ID
}

// addProject creates a project in the nomination and returns its ID.
func (n nomClient) addProject(nomination, body string) string {
	n.t.Helper()
	var p struct{ ID string }
	if err := json.Unmarshal([]byte(n.call(http.MethodPost, "/api/v1/nominations/"+nomination+"/projects", body, http.StatusCreated)), &p); err != nil || p.ID == "" {
		n.t.Fatalf("add project: %v", err)
	}
	return p.ID
}

// complete creates a nomination with everything it needs to be submitted.
func (n nomClient) complete(cycle string) string {
	n.t.Helper()
	id := n.create(cycle, `{"title":"Innovasjon i hele kommunen","summary":"Asker jobber helhetlig.","challenge":"renewal",
		"contact_name":"Kari Nordmann","contact_email":"kari@asker.kommune.no"}`)
	n.addProject(id, `{"title":"Asker velferdslab","description":"Nye løsninger på velferdsområdet."}`)
	return id
}

// get returns the nomination as the API shows it.
func (n nomClient) get(id string) nomJSON {
	n.t.Helper()
	var v nomJSON
	if err := json.Unmarshal([]byte(n.call(http.MethodGet, "/api/v1/nominations/"+id, "", http.StatusOK)), &v); err != nil {
		n.t.Fatal(err)
	}
	return v
}

type nomJSON struct {
	ID, Title, Summary, Status string
	IneligibleReason           string `json:"ineligible_reason"`
	Version                    int
	Projects                   []struct {
		ID, Title string
		Version   int
		Measures  []struct {
			Label string
			Value float64
		}
	}
	Missing []struct{ Field string }
}

// messageID matches a message ID shown instead of its text.
var messageID = regexp.MustCompile(`\b(?:nominations|form|error)\.[a-z_]+(?:\.[a-z_]+)*\b`)

type problem struct {
	Status         int
	Detail         string
	Code           string
	Errors         map[string]string
	Codes          map[string]string
	CurrentVersion int `json:"current_version"`
}

// osloTime is a time in an error: RFC 3339 with Oslo's offset, never Z.
var osloTime = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00`)

func decodeProblem(t *testing.T, body string) problem {
	t.Helper()
	var p problem
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		t.Fatalf("not problem details: %v: %.300s", err, body)
	}
	return p
}

func wantContains(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s: body lacks %q: %.1500s", what, w, body)
		}
	}
}

func wantLacks(t *testing.T, what, body string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(body, w) {
			t.Errorf("%s: body shows %q", what, w)
		}
	}
}

// TestNominationAPIScenario walks a nomination through the JSON API with
// the bad input a client could send; each gets problem details naming the
// field, and nothing half-done is stored.
func TestNominationAPIScenario(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	db := nomDB(t, a)
	asker := nomClient{t: t, a: a, c: a.Login(t, "asker")}
	traena := nomClient{t: t, a: a, c: a.Login(t, "traena")}
	admin := nomClient{t: t, a: a, c: a.Login(t, "admin")}
	cycle := nomCycle(t, db, "api-scenario", "now() + interval '30 days'", 1, 3)

	id := asker.create(cycle, `{"title":"Innovasjon i hele kommunen"}`)
	// One nomination per municipality: the second is refused.
	p := decodeProblem(t, asker.call(http.MethodPost, "/api/v1/cycles/"+cycle+"/nominations", `{}`, http.StatusConflict))
	if p.Errors["organisation_id"] == "" || p.Code != "quota_reached" || p.Codes["organisation_id"] != "quota_reached" {
		t.Errorf("limit: %+v", p)
	}
	asker.call(http.MethodGet, "/api/v1/cycles/nosuchcycle/nominations", "", http.StatusNotFound)

	// Bad input to PATCH: each names its field; nothing changes.
	huge := `{"version":1,"title":"` + strings.Repeat("a", 10<<20) + `"}`
	for _, tc := range []struct{ name, body, field, code string }{
		{"empty title", `{"version":1,"title":""}`, "title", "required"},
		{"10 MB title", huge, "title", "too_long"},
		{"invalid UTF-8", "{\"version\":1,\"summary\":\"bad \xff byte\"}", "summary", "invalid_characters"},
		{"unknown field", `{"version":1,"titel":"x"}`, "titel", "unknown_field"},
		{"wrong type", `{"version":"1"}`, "version", "wrong_type"},
		{"unknown challenge", `{"version":1,"challenge":"boredom"}`, "challenge", "invalid_choice"},
		{"bad e-mail", `{"version":1,"contact_email":"kari(at)asker"}`, "contact_email", "invalid_format"},
		{"no version", `{"title":"x"}`, "version", "required"},
	} {
		p := decodeProblem(t, asker.call(http.MethodPatch, "/api/v1/nominations/"+id, tc.body, http.StatusUnprocessableEntity))
		if p.Errors[tc.field] == "" {
			t.Errorf("%s: errors %v lack %q (%s)", tc.name, p.Errors, tc.field, p.Detail)
		}
		if p.Code != "invalid" || p.Codes[tc.field] != tc.code {
			t.Errorf("%s: code %q, codes %v, want invalid and %s: %s", tc.name, p.Code, p.Codes, tc.code, tc.code)
		}
	}
	if v := asker.get(id); v.Title != "Innovasjon i hele kommunen" || v.Version != 1 || v.Summary != "" {
		t.Errorf("after refused patches: %+v", v)
	}

	// HTML is stored as text and shown escaped.
	script := `<script>alert(\"x\")</script>`
	asker.call(http.MethodPatch, "/api/v1/nominations/"+id, `{"version":1,"summary":"`+script+`"}`, http.StatusOK)
	if v := asker.get(id); v.Summary != `<script>alert("x")</script>` || v.Version != 2 {
		t.Errorf("script summary stored as %q", v.Summary)
	}
	page := asker.call(http.MethodGet, "/nominasjoner/"+id+"/send-inn", "", http.StatusOK)
	wantContains(t, "check page", page, `&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;`)
	wantLacks(t, "check page", page, `<script>alert`)

	// A stale version: 409 with the version now stored.
	p = decodeProblem(t, asker.call(http.MethodPatch, "/api/v1/nominations/"+id, `{"version":1,"summary":"Gammel"}`, http.StatusConflict))
	if p.CurrentVersion != 2 || !strings.Contains(p.Detail, "someone else saved") || p.Code != "stale_version" {
		t.Errorf("stale: %+v", p)
	}

	// Another municipality learns nothing, not even the title.
	for _, req := range []struct{ method, path, body string }{
		{http.MethodGet, "/api/v1/nominations/" + id, ""},
		{http.MethodPatch, "/api/v1/nominations/" + id, `{"version":2,"title":"Kapret"}`},
		{http.MethodGet, "/nominasjoner/" + id, ""},
		{http.MethodPost, "/nominasjoner/" + id + "/fakta", "version=2&title=Kapret"},
	} {
		body := traena.call(req.method, req.path, req.body, http.StatusNotFound)
		wantLacks(t, "Træna "+req.method+" "+req.path, body, "Innovasjon i hele kommunen", "script")
	}

	// Projects: bad input names the field and stores nothing.
	traenaNom := traena.create(cycle, `{}`)
	traenaProject := traena.addProject(traenaNom, `{"title":"Træna-prosjekt"}`)
	for _, tc := range []struct {
		name, body, field string
		status            int
	}{
		{"negative result", `{"title":"P","measures":[{"label":"deltakere","value":-5}]}`, "measures[0].value", http.StatusUnprocessableEntity},
		{"non-numeric result", `{"title":"P","measures":[{"label":"a","value":1},{"label":"deltakere","value":"mange"}]}`, "measures[1].value", http.StatusUnprocessableEntity},
		{"boolean result", `{"title":"P","measures":[{"label":"deltakere","value":true}]}`, "measures.value", http.StatusUnprocessableEntity},
		{"end before start", `{"title":"P","period_start":"2017-05-01","period_end":"2016-01-01"}`, "period_end", http.StatusUnprocessableEntity},
		{"13th month", `{"title":"P","period_start":"2017-13-01"}`, "period_start", http.StatusUnprocessableEntity},
		{"year 9999", `{"title":"P","period_end":"9999-01-01"}`, "period_end", http.StatusUnprocessableEntity},
		{"javascript link", `{"title":"P","links":["javascript:alert(1)"]}`, "links[0]", http.StatusUnprocessableEntity},
		{"no title", `{"description":"D"}`, "title", http.StatusUnprocessableEntity},
		{"link and create", `{"project_id":"x","title":"P"}`, "project_id", http.StatusUnprocessableEntity},
		{"another municipality's project", `{"project_id":"` + traenaProject + `"}`, "project_id", http.StatusNotFound},
		{"owner not a nominee", fmt.Sprintf(`{"title":"P","organisation_id":"%d"}`, orgID(t, a, "Træna")), "organisation_id", http.StatusUnprocessableEntity},
	} {
		p := decodeProblem(t, asker.call(http.MethodPost, "/api/v1/nominations/"+id+"/projects", tc.body, tc.status))
		if p.Errors[tc.field] == "" {
			t.Errorf("%s: errors %v lack %q", tc.name, p.Errors, tc.field)
		}
	}
	var stored int
	if err := db.NewRaw(`SELECT count(*) FROM projects p JOIN organisations o ON o.id = p.organisation_id WHERE o.name = 'Asker' AND o.valid_to IS NULL`).Scan(context.Background(), &stored); err != nil || stored != 0 {
		t.Errorf("refused projects stored %d rows (%v)", stored, err)
	}

	// Up to three projects; the fourth is refused.
	first := asker.addProject(id, `{"title":"Holmen svømmehall","description":"Et nytt svømmeanlegg.",
		"measures":[{"label":"deltakere","value":783},{"label":"innspill","value":"458","unit":"stk"}],
		"period_start":"2015-01-01","period_end":"2017-06-30","links":["https://www.asker.kommune.no/holmen"]}`)
	asker.addProject(id, `{"title":"Asker velferdslab","description":"Velferd."}`)
	asker.addProject(id, `{"title":"Løsningsjakten på Borgen"}`)
	p = decodeProblem(t, asker.call(http.MethodPost, "/api/v1/nominations/"+id+"/projects", `{"title":"Fjerde"}`, http.StatusConflict))
	if p.Errors["projects"] == "" || !strings.Contains(p.Detail, "3 project") {
		t.Errorf("fourth project: %+v", p)
	}
	v := asker.get(id)
	if len(v.Projects) != 3 || len(v.Projects[0].Measures) != 2 || v.Projects[0].Measures[1].Value != 458 {
		t.Fatalf("projects %+v", v.Projects)
	}
	// A stale project version.
	asker.call(http.MethodPatch, "/api/v1/projects/"+first, `{"version":1,"results":"Flere besøkende"}`, http.StatusOK)
	p = decodeProblem(t, asker.call(http.MethodPatch, "/api/v1/projects/"+first, `{"version":1,"results":"Gammelt"}`, http.StatusConflict))
	if p.CurrentVersion != 2 {
		t.Errorf("stale project: %+v", p)
	}
	traena.call(http.MethodGet, "/api/v1/projects/"+first, "", http.StatusNotFound)

	// Submitting: refused with the list of what is missing, then accepted.
	p = decodeProblem(t, asker.call(http.MethodPost, "/api/v1/nominations/"+id+"/submit", "", http.StatusUnprocessableEntity))
	for _, f := range []string{"challenge", "projects[2].description"} {
		if p.Errors[f] == "" {
			t.Errorf("submit: missing %s not named in %v", f, p.Errors)
		}
	}
	asker.call(http.MethodPatch, "/api/v1/nominations/"+id, `{"version":2,"challenge":"known_tangle","contact_name":"Kari Nordmann","contact_email":"kari@asker.kommune.no"}`, http.StatusOK)
	asker.call(http.MethodPatch, "/api/v1/projects/"+v.Projects[2].ID, `{"version":1,"description":"Innbyggerne fant løsningene."}`, http.StatusOK)
	asker.call(http.MethodPost, "/api/v1/nominations/"+id+"/submit", "", http.StatusOK)
	if v := asker.get(id); v.Status != "submitted" || len(v.Missing) != 0 {
		t.Errorf("after submit: %+v", v)
	}

	// After the deadline (moved with SQL) every change is refused.
	if _, err := db.ExecContext(context.Background(), `UPDATE cycles SET nomination_deadline = now() - interval '1 second' WHERE public_id = ?`, cycle); err != nil {
		t.Fatal(err)
	}
	for _, req := range []struct{ method, path, body string }{
		{http.MethodPatch, "/api/v1/nominations/" + id, `{"version":3,"title":"For sent"}`},
		{http.MethodPost, "/api/v1/nominations/" + id + "/withdraw", ""},
		{http.MethodPost, "/api/v1/nominations/" + traenaNom + "/submit", ""},
		{http.MethodDelete, "/api/v1/nominations/" + id + "/projects/" + first, ""},
		{http.MethodPatch, "/api/v1/projects/" + first, `{"version":2,"title":"For sent"}`},
	} {
		c := asker
		if strings.Contains(req.path, traenaNom) {
			c = traena
		}
		p := decodeProblem(t, c.call(req.method, req.path, req.body, http.StatusConflict))
		if !strings.Contains(p.Detail, "deadline") || p.Code != "deadline_passed" {
			t.Errorf("%s %s after the deadline: %+v", req.method, req.path, p)
		}
		if strings.Contains(p.Detail, "deadline (") && !osloTime.MatchString(p.Detail) {
			t.Errorf("%s %s: the deadline is not in Oslo time with its offset: %s", req.method, req.path, p.Detail)
		}
	}
	page = asker.call(http.MethodGet, "/nominasjoner/"+id, "", http.StatusOK)
	wantContains(t, "task list after the deadline", page, "Sendt inn – til vurdering", "Fristen er ute")

	// A year later the judged project is linked again, as it was.
	next := asker.create(nomCycle(t, db, "api-scenario-next", "now() + interval '30 days'", 1, 3), `{}`)
	earlier := asker.call(http.MethodGet, "/nominasjoner/"+next+"/prosjekter/ny", "", http.StatusOK)
	wantContains(t, "earlier projects", earlier, "Bruk et tidligere prosjekt", "Holmen svømmehall", "Innovasjonsprisen api-scenario")
	var linked struct {
		ID     string
		Frozen bool
	}
	if err := json.Unmarshal([]byte(asker.call(http.MethodPost, "/api/v1/nominations/"+next+"/projects", `{"project_id":"`+first+`"}`, http.StatusCreated)), &linked); err != nil || linked.ID != first || !linked.Frozen {
		t.Errorf("link earlier project: %+v %v", linked, err)
	}
	decodeProblem(t, asker.call(http.MethodPost, "/api/v1/nominations/"+next+"/projects", `{"project_id":"`+first+`"}`, http.StatusConflict))

	// The admin finds it ineligible; the submitters see why.
	admin.call(http.MethodPost, "/api/v1/nominations/"+id+"/ineligible", `{"ineligible":true}`, http.StatusUnprocessableEntity)
	admin.call(http.MethodPost, "/api/v1/nominations/"+id+"/ineligible", `{"ineligible":true,"reason":"Søknaden kom fra feil kommune."}`, http.StatusOK)
	if v := asker.get(id); v.Status != "ineligible" || v.IneligibleReason != "Søknaden kom fra feil kommune." {
		t.Errorf("ineligible: %+v", v)
	}
	wantContains(t, "ineligible page", asker.call(http.MethodGet, "/nominasjoner/"+id, "", http.StatusOK), "Søknaden kom fra feil kommune.")
	admin.call(http.MethodPost, "/api/v1/nominations/"+id+"/ineligible", `{"ineligible":false}`, http.StatusOK)
	var audited int
	if err := db.NewRaw(`SELECT count(*) FROM audit_log a JOIN nominations n ON n.id = a.entity_id AND a.entity = 'nomination' WHERE n.public_id = ?`, id).Scan(context.Background(), &audited); err != nil || audited < 9 {
		t.Errorf("%d audit entries for the nomination (%v)", audited, err)
	}
}

// TestNominationUIScenario fills in a nomination through the pages as a
// person would, with the mistakes people make; every refusal shows the
// message next to its field and keeps what was typed.
func TestNominationUIScenario(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	db := nomDB(t, a)
	asker := nomClient{t: t, a: a, c: a.Login(t, "asker")}
	ola := nomClient{t: t, a: a, c: a.Login(t, "asker")}
	traena := nomClient{t: t, a: a, c: a.Login(t, "traena")}
	cycle := nomCycle(t, db, "ui-scenario", "now() + interval '30 days'", 1, 3)

	wantContains(t, "start page", asker.call(http.MethodGet, "/sykluser/"+cycle+"/nominasjoner/ny", "", http.StatusOK),
		"Nominasjonen gjelder Asker.", `action="/sykluser/`+cycle+`/nominasjoner"`)
	status, _ := a.Do(t, asker.c, http.MethodPost, "/sykluser/"+cycle+"/nominasjoner", "")
	if status != http.StatusSeeOther {
		t.Fatalf("start: %d", status)
	}
	var id string
	if err := db.NewRaw(`SELECT n.public_id FROM nominations n JOIN cycles c ON c.id = n.cycle_id WHERE c.public_id = ?`, cycle).Scan(context.Background(), &id); err != nil {
		t.Fatal(err)
	}
	wantContains(t, "second start", asker.call(http.MethodPost, "/sykluser/"+cycle+"/nominasjoner", "", http.StatusConflict),
		"Organisasjonen har allerede så mange nominasjoner")
	nom := "/nominasjoner/" + id
	wantContains(t, "task list", asker.call(http.MethodGet, nom, "", http.StatusOK),
		"Grunnopplysninger", "Nominerte organisasjoner", "Kontaktperson", "Kontroller og send inn", "Ikke startet", "Fullført")
	home := asker.call(http.MethodGet, "/", "", http.StatusOK)
	wantContains(t, "home", home, `id="my-nominations"`, "Nominasjon uten tittel", `id="open-cycles-h"`)
	// Asker used its one nomination: the call is no longer among the open ones.
	open := home[strings.Index(home, `id="open-cycles-h"`):]
	wantLacks(t, "open calls on the home page", open[:strings.Index(open, "</section>")], "/sykluser/"+cycle)
	// Checking a new draft's answers: what is missing says so, no blank rows.
	check := asker.call(http.MethodGet, nom+"/send-inn", "", http.StatusOK)
	if n := strings.Count(check, `<span class="muted">Ikke fylt ut</span>`); n < 3 {
		t.Errorf("check-answers of a new draft: %d answers say they are not filled in, want the title, summary and challenge at least", n)
	}
	wantLacks(t, "check-answers of a new draft", check, "<dd></dd>", `<dd class="cycle-text"></dd>`)

	// Mistakes on the facts page: the message next to the field, the text kept.
	// The summary names the field of each message.
	for _, tc := range []struct{ name, body, field, message, kept, summary string }{
		{"empty title", "version=1&title=&summary=Mitt+sammendrag", "title", "Må fylles ut", "Mitt sammendrag", "Tittel: Må fylles ut"},
		{"invalid UTF-8", "version=1&title=Min+tittel&summary=%FF%FE", "summary", "tegn som ikke kan lagres", `value="Min tittel"`, "Sammendrag: "},
		{"3 MB title", "version=1&summary=Mitt+sammendrag&title=" + strings.Repeat("x", 3<<20), "title", "Teksten er for lang", "Mitt sammendrag", "Tittel: Teksten er for lang"},
	} {
		page := asker.call(http.MethodPost, nom+"/fakta", tc.body, http.StatusUnprocessableEntity)
		wantContains(t, tc.name, page, `class="ds-error-summary"`, `href="#`+tc.field+`">`+tc.summary, tc.message,
			`id="`+tc.field+`-error"`, `aria-describedby="`+tc.field+`-hint `+tc.field+`-error"`, tc.kept)
	}
	if v := asker.get(id); v.Version != 1 || v.Summary != "" {
		t.Errorf("refused forms stored %+v", v)
	}
	asker.call(http.MethodPost, nom+"/fakta", "version=1&title=%3Cscript%3Ealert(1)%3C%2Fscript%3E&summary=Helhetlig&challenge=burning_platform", http.StatusSeeOther)
	page := asker.call(http.MethodGet, nom, "", http.StatusOK)
	wantContains(t, "escaped title", page, "&lt;script&gt;alert(1)&lt;/script&gt;")
	wantLacks(t, "escaped title", page, "<script>alert(1)")

	// Two people on the same form: the second sees the first's saved text
	// beside their own, and nothing is lost.
	asker.call(http.MethodPost, nom+"/fakta", "version=2&title=Karis+tittel&summary=Karis+tekst&challenge=renewal", http.StatusSeeOther)
	page = ola.call(http.MethodPost, nom+"/fakta", "version=2&title=Olas+tittel&summary=Olas+tekst&challenge=other", http.StatusConflict)
	wantContains(t, "stale form", page, "Noen andre lagret denne nominasjonen", "Karis tittel", "Karis tekst",
		`value="Olas tittel"`, "Olas tekst", `name="version" value="3"`)
	ola.call(http.MethodPost, nom+"/fakta", "version=3&title=Olas+tittel&summary=Olas+tekst&challenge=other", http.StatusSeeOther)

	// Contact.
	wantContains(t, "bad e-mail", asker.call(http.MethodPost, nom+"/kontakt", "version=4&contact_name=Kari&contact_email=kari", http.StatusUnprocessableEntity),
		"Skriv en gyldig e-postadresse", `href="#contact_email"`)
	asker.call(http.MethodPost, nom+"/kontakt", "version=4&contact_name=Kari+Nordmann&contact_email=kari%40asker.kommune.no", http.StatusSeeOther)

	// Projects: the measured-results table rejects bad numbers row by row.
	wantContains(t, "new project page", asker.call(http.MethodGet, nom+"/prosjekter/ny", "", http.StatusOK),
		`id="measure-0-label"`, `id="measure-2-unit"`)
	projects := func() int {
		var n int
		if err := db.NewRaw(`SELECT count(*) FROM projects`).Scan(context.Background(), &n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := projects()
	for _, tc := range []struct{ name, body, id, message string }{
		{"negative", "title=P&measure_label=deltakere&measure_value=-5&measure_unit=&measure_label=&measure_value=&measure_unit=", "measure-0-value", "Tallet kan ikke være negativt"},
		{"non-numeric", "title=P&measure_label=&measure_value=&measure_unit=&measure_label=deltakere&measure_value=mange&measure_unit=", "measure-1-value", "Skriv et tall"},
		{"end before start", "title=P&period_start=2017-05-01&period_end=2016-01-01", "period_end", "Sluttdatoen kan ikke være før startdatoen"},
		{"year 0001", "title=P&period_start=0001-01-01", "period_start", "Skriv en gyldig dato"},
		{"javascript link", "title=P&links=https%3A%2F%2Fok.no%0Ajavascript%3Aalert(1)", "links", "http://"},
	} {
		page := asker.call(http.MethodPost, nom+"/prosjekter", tc.body, http.StatusUnprocessableEntity)
		wantContains(t, tc.name, page, `href="#`+tc.id+`"`, `id="`+tc.id+`-error"`, tc.message, `value="P"`)
	}
	if n := projects(); n != before {
		t.Errorf("refused project forms stored %d projects", n-before)
	}
	asker.call(http.MethodPost, nom+"/prosjekter", "title=Holmen+sv%C3%B8mmehall&description=Et+nytt+anlegg&measure_label=deltakere&measure_value=1+234%2C5&measure_unit=&measure_label=&measure_value=&measure_unit=", http.StatusSeeOther)
	v := asker.get(id)
	if len(v.Projects) != 1 || len(v.Projects[0].Measures) != 1 || v.Projects[0].Measures[0].Value != 1234.5 {
		t.Fatalf("project from the form: %+v", v.Projects)
	}
	project := nom + "/prosjekter/" + v.Projects[0].ID
	wantContains(t, "project page", asker.call(http.MethodGet, project, "", http.StatusOK),
		`value="deltakere"`, `value="1234.5"`, `id="measure-3-label"`, "/prosjekter/"+v.Projects[0].ID+"/vedlegg")
	// The project form's summary names each field, the measured results by row.
	refused := asker.call(http.MethodPost, nom+"/prosjekter", "title=&description=D&measure_label=deltakere&measure_value=mange&measure_unit=", http.StatusUnprocessableEntity)
	wantContains(t, "refused project", refused, `href="#title">Tittel: Må fylles ut</a>`, `href="#measure-0-value">Tall, rad 1: `)
	asker.call(http.MethodPost, nom+"/prosjekter", "title=To&description=D", http.StatusSeeOther)
	asker.call(http.MethodPost, nom+"/prosjekter", "title=Tre&description=D", http.StatusSeeOther)
	wantContains(t, "fourth project", asker.call(http.MethodPost, nom+"/prosjekter", "title=Fire&description=D", http.StatusConflict),
		"så mange prosjekter som reglene tillater")
	wantContains(t, "full", asker.call(http.MethodGet, nom+"/prosjekter/ny", "", http.StatusOK), "Nominasjonen har allerede 3 prosjekter")

	// Check and submit, then the confirmation.
	page = asker.call(http.MethodGet, nom+"/send-inn", "", http.StatusOK)
	wantContains(t, "check page", page, "Olas tittel", "Holmen svømmehall", "deltakere: 1\u00a0234,5", "Endre", "Dette blir offentlig",
		"alle innsendte nominasjoner publisert", `action="/nominasjoner/`+id+`/send-inn"`)
	wantLacks(t, "check page", page, `id="missing"`)
	asker.call(http.MethodPost, nom+"/send-inn", "", http.StatusSeeOther)
	wantContains(t, "confirmation", asker.call(http.MethodGet, nom+"/sendt", "", http.StatusOK),
		"Nominasjonen er sendt inn", "Du kan endre den fram til", "/nominasjoner/"+id+"/kvittering")
	wantContains(t, "home after submit", asker.call(http.MethodGet, "/", "", http.StatusOK), "Olas tittel", "Sendt inn")

	// Others learn nothing.
	for _, path := range []string{nom, nom + "/fakta", project, nom + "/send-inn"} {
		wantLacks(t, "Træna "+path, traena.call(http.MethodGet, path, "", http.StatusNotFound), "Olas tittel", "Holmen")
	}

	// After the deadline: read-only, and a save is refused with the reason.
	if _, err := db.ExecContext(context.Background(), `UPDATE cycles SET nomination_deadline = now() - interval '1 second' WHERE public_id = ?`, cycle); err != nil {
		t.Fatal(err)
	}
	page = asker.call(http.MethodPost, nom+"/fakta", "version=5&title=For+sent&summary=S&challenge=other", http.StatusConflict)
	wantContains(t, "late save", page, "Fristen gikk ut", "For sent")
	page = asker.call(http.MethodGet, nom, "", http.StatusOK)
	wantContains(t, "late task list", page, "Sendt inn – til vurdering", "Fristen er ute")
	wantLacks(t, "late task list", page, "Trekk nominasjonen", "Legg til prosjekt")
	wantLacks(t, "late facts", asker.call(http.MethodGet, nom+"/fakta", "", http.StatusOK), "Lagre og fortsett")
	if v := asker.get(id); v.Title != "Olas tittel" {
		t.Errorf("title after the deadline %q", v.Title)
	}

	// Every page in nynorsk and English, with no message missing.
	// The status is what happened ("Sendt inn"), never an order ("Send inn").
	for lang, want := range map[string][]string{"nn": {"Grunnopplysningar", "Sendt inn – til vurdering"}, "en": {"Basic facts", "Submitted – under assessment"}} {
		asker.call(http.MethodGet, "/lang/"+lang+"?next=/", "", http.StatusSeeOther)
		for _, path := range []string{nom, nom + "/fakta", nom + "/organisasjoner", nom + "/kontakt", project, nom + "/prosjekter/ny", nom + "/send-inn", nom + "/sendt", "/"} {
			page := asker.call(http.MethodGet, path, "", http.StatusOK)
			wantLacks(t, lang+" "+path, page, "<no value>")
			if id := messageID.FindString(page); id != "" {
				t.Errorf("%s %s shows the message ID %s", lang, path, id)
			}
			if path == nom {
				wantContains(t, lang+" "+path, page, want...)
				wantLacks(t, lang+" "+path, page, "Send inn –")
			}
		}
	}

	// A member of two municipalities pressing a plain "Start nomination"
	// button is asked which one, not shown an error.
	if _, err := db.ExecContext(context.Background(), `INSERT INTO memberships (user_id, organisation_id, role, source)
		SELECT u.id, o.id, 'submitter', 'admin' FROM users u, organisations o
		WHERE u.subject = 'asker' AND o.kind = 'municipality' AND o.name = 'Bærum' AND o.valid_to IS NULL`); err != nil {
		t.Fatal(err)
	}
	second := nomCycle(t, db, "ui-scenario-two", "now() + interval '30 days'", 1, 3)
	status, _ = a.Do(t, asker.c, http.MethodPost, "/sykluser/"+second+"/nominasjoner", "")
	if status != http.StatusSeeOther {
		t.Errorf("start without choosing: %d", status)
	}
	page = asker.call(http.MethodGet, "/sykluser/"+second+"/nominasjoner/ny", "", http.StatusOK)
	wantContains(t, "choose organisation", page, `<select class="ds-input" id="organisation_id"`, ">Asker<", ">Bærum<")
	wantLacks(t, "choose organisation", page, "ds-error-summary")
	asker.call(http.MethodPost, "/sykluser/"+second+"/nominasjoner", fmt.Sprintf("organisation_id=%d", orgID(t, a, "Bærum")), http.StatusSeeOther)
}

// TestDeleteDraft: a new draft offers "Slett utkast", not withdrawing, and
// deleting it leads home with a receipt of it; a submitted nomination
// offers withdrawing. The API deletes a draft too.
func TestDeleteDraft(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	db := nomDB(t, a)
	asker := nomClient{t: t, a: a, c: a.Login(t, "asker")}
	cycle := nomCycle(t, db, "slett-utkast", "now() + interval '30 days'", 0, 3)
	draft := asker.create(cycle, `{"title":"Startet ved en feil"}`)
	page := asker.call(http.MethodGet, "/nominasjoner/"+draft, "", http.StatusOK)
	wantContains(t, "a new draft", page, "Slett utkast", `action="/nominasjoner/`+draft+`/slett"`)
	wantLacks(t, "a new draft", page, "Trekk nominasjonen")
	asker.call(http.MethodPost, "/nominasjoner/"+draft+"/slett", "", http.StatusSeeOther)
	home := asker.call(http.MethodGet, "/", "", http.StatusOK)
	wantContains(t, "home after deleting", home, "Utkastet er slettet.")
	wantLacks(t, "home after deleting", home, "Startet ved en feil")
	asker.call(http.MethodGet, "/nominasjoner/"+draft, "", http.StatusNotFound)

	sent := asker.complete(cycle)
	asker.call(http.MethodPost, "/api/v1/nominations/"+sent+"/submit", "", http.StatusOK)
	page = asker.call(http.MethodGet, "/nominasjoner/"+sent, "", http.StatusOK)
	wantContains(t, "a submitted nomination", page, "Trekk nominasjonen")
	wantLacks(t, "a submitted nomination", page, "Slett utkast")
	asker.call(http.MethodDelete, "/api/v1/nominations/"+sent, "", http.StatusConflict)

	other := asker.create(cycle, `{}`)
	asker.call(http.MethodDelete, "/api/v1/nominations/"+other, "", http.StatusNoContent)
	asker.call(http.MethodGet, "/api/v1/nominations/"+other, "", http.StatusNotFound)
}
