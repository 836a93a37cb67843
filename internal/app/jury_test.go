package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/postgres"
)

// juryWorld is a cycle that was open for nominations, with Asker's
// nomination (a project with a PDF) and Træna's, both submitted, and then
// moved on to judging.
type juryWorld struct {
	t       *testing.T
	a       *apptest.App
	db      *postgres.DB
	c       map[string]*http.Client
	cycle   string
	asker   string // nominations' public IDs
	traena  string
	project string // Asker's project
	file    string // its attachment
	orgs    map[string]int64
}

func newJuryWorld(t *testing.T) *juryWorld {
	t.Helper()
	a := apptest.Start(t)
	w := &juryWorld{t: t, a: a, db: filesDB(t, a), c: map[string]*http.Client{"anonymous": a.Client(t)}, orgs: map[string]int64{}}
	for _, u := range []string{"admin", "asker", "traena", "jury-1", "jury-2", "jury-chair"} {
		w.c[u] = a.Login(t, u)
	}
	for _, o := range []string{"Asker", "Træna"} {
		w.orgs[o] = orgID(t, a, o)
	}
	w.cycle = nomCycle(t, w.db, "jury-scenario", "now() + interval '30 days'", 0, 3)
	asker := nomClient{t: t, a: a, c: w.c["asker"]}
	w.asker = asker.complete(w.cycle)
	w.project = asker.get(w.asker).Projects[0].ID
	resp, body := postFile(t, a, w.c["asker"], "/api/v1/projects/"+w.project+"/attachments", "plan.pdf", "", bytes.NewReader(tinyPDF), nil)
	var file struct{ ID string }
	if err := json.Unmarshal([]byte(body), &file); resp.StatusCode != http.StatusCreated || err != nil {
		t.Fatalf("upload: %d %v %s", resp.StatusCode, err, body)
	}
	w.file = file.ID
	w.traena = nomClient{t: t, a: a, c: w.c["traena"]}.complete(w.cycle)
	for _, n := range []struct {
		c  string
		id string
	}{{"asker", w.asker}, {"traena", w.traena}} {
		nomClient{t: t, a: a, c: w.c[n.c]}.call(http.MethodPost, "/api/v1/nominations/"+n.id+"/submit", "", http.StatusOK)
	}
	w.exec(`UPDATE cycles SET phase = 'judging', nomination_deadline = now() - interval '1 minute', scoring_deadline = now() + interval '20 days'
		WHERE public_id = ?`, w.cycle)
	return w
}

func (w *juryWorld) exec(q string, args ...any) {
	w.t.Helper()
	if _, err := w.db.ExecContext(context.Background(), q, args...); err != nil {
		w.t.Fatalf("%s: %v", q, err)
	}
}

func (w *juryWorld) count(q string, args ...any) int {
	w.t.Helper()
	var n int
	if err := w.db.NewRaw(q, args...).Scan(context.Background(), &n); err != nil {
		w.t.Fatalf("%s: %v", q, err)
	}
	return n
}

// do calls path as who and fails unless the status is want; it returns
// the body.
func (w *juryWorld) do(who, method, path, body string, want int) string {
	w.t.Helper()
	status, got := w.a.Do(w.t, w.c[who], method, path, body)
	if status != want {
		w.t.Fatalf("%s %s as %s: status %d, want %d: %.800s", method, path, who, status, want, got)
	}
	return got
}

// sees checks what who may read of Asker's and Træna's nominations, in
// the pages and the API, and of Asker's project and file.
func (w *juryWorld) sees(who string, asker, traena bool) {
	w.t.Helper()
	status := func(ok bool) int {
		if ok {
			return http.StatusOK
		}
		return http.StatusNotFound
	}
	for _, path := range []string{"/api/v1/nominations/" + w.asker, "/api/v1/nominations/" + w.asker + "/projects",
		"/api/v1/projects/" + w.project, "/api/v1/projects/" + w.project + "/attachments", "/api/v1/attachments/" + w.file,
		"/prosjekter/" + w.project + "/vedlegg", "/vedlegg/" + w.file, "/nominasjoner/" + w.asker + "/fakta", "/nominasjoner/" + w.asker} {
		w.do(who, http.MethodGet, path, "", status(asker))
	}
	for _, path := range []string{"/nominasjoner/" + w.traena, "/api/v1/nominations/" + w.traena} {
		w.do(who, http.MethodGet, path, "", status(traena))
	}
}

// TestJuryScenario walks a jury's set-up over HTTP: an admin invites, the
// invitee accepts through the link, declares conflicts, and then sees
// the nominations they are not conflicted with — and, once removed,
// nothing. Every bad input on the way gets a clear answer and stores
// nothing.
func TestJuryScenario(t *testing.T) {
	t.Parallel()
	w := newJuryWorld(t)
	jury := "/admin/sykluser/" + w.cycle + "/jury"
	api := "/api/v1/cycles/" + w.cycle
	invitations := func() int {
		return w.count(`SELECT count(*) FROM jury_invitations i JOIN cycles c ON c.id = i.cycle_id WHERE c.public_id = ?`, w.cycle)
	}
	seats := func() int {
		return w.count(`SELECT count(*) FROM jurors j JOIN cycles c ON c.id = j.cycle_id WHERE c.public_id = ?`, w.cycle)
	}

	// The admin's jury page, linked from the cycle's page.
	wantContains(t, "cycle page", w.do("admin", http.MethodGet, "/admin/sykluser/"+w.cycle, "", http.StatusOK), jury)
	wantContains(t, "jury page", w.do("admin", http.MethodGet, jury, "", http.StatusOK), "Inviter til juryen", "Juryen har ingen leder")

	// An invalid address: the form again, with the message by the field.
	body := w.do("admin", http.MethodPost, jury+"/invitasjoner", "name=Jenny+Jurymedlem&email=jenny-at-example&language=nb", http.StatusUnprocessableEntity)
	wantContains(t, "bad e-mail", body, "ds-error-summary", `href="#invite-email"`, `aria-invalid="true"`, "Skriv en gyldig e-postadresse", "Jenny Jurymedlem")
	body = w.do("admin", http.MethodPost, api+"/jurors", `{"name":"Jenny","email":"jenny@"}`, http.StatusUnprocessableEntity)
	if p := decodeProblem(t, body); p.Errors["email"] == "" {
		t.Errorf("API bad e-mail: %s", body)
	}
	if invitations() != 0 {
		t.Fatal("an invalid invitation was stored")
	}

	// Jenny (jury-2) is invited, and opens the link from the e-mail.
	w.do("admin", http.MethodPost, jury+"/invitasjoner", "name=Jenny+Jurymedlem&email=jenny%40example.org&language=nb", http.StatusSeeOther)
	token := invitationToken(t, w.db, "jenny@example.org", 1)
	link := "/jury/invitasjon/" + token
	body = w.do("anonymous", http.MethodGet, link, "", http.StatusOK)
	wantContains(t, "invitation, logged out", body, "Jenny Jurymedlem", "Innovasjonsprisen jury-scenario",
		"/auth/login?next="+url.QueryEscape(link))
	if loc := w.location("anonymous", http.MethodPost, link); !strings.HasPrefix(loc, "/auth/login?next=") {
		t.Errorf("accepting logged out goes to %q", loc)
	}
	// Logging in from the page comes back to it.
	back := w.a.Client(t)
	resp, err := back.Get(w.a.URL + "/auth/login?login_hint=jury-2&next=" + url.QueryEscape(link))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Request.URL.Path != link || resp.StatusCode != http.StatusOK {
		t.Errorf("after login: %d at %s, want the invitation", resp.StatusCode, resp.Request.URL.Path)
	}
	wantContains(t, "invitation, logged in", w.do("jury-2", http.MethodGet, link, "", http.StatusOK), "Takk ja", "Jenny Jurymedlem")
	if loc := w.location("jury-2", http.MethodPost, link); loc != "/jury/"+w.cycle+"/habilitet" {
		t.Fatalf("accepted: to %q", loc)
	}
	// The link works once: not again, and not for anyone else.
	wantContains(t, "reused", w.do("jury-2", http.MethodPost, link, "", http.StatusConflict), "allerede tatt imot",
		"/jury/"+w.cycle+"/habilitet")
	wantContains(t, "other identity", w.do("traena", http.MethodPost, link, "", http.StatusForbidden), "tatt imot av en annen")
	w.do("jury-1", http.MethodPost, "/api/v1/invitations/"+token+"/accept", "", http.StatusForbidden)
	wantContains(t, "unknown link", w.do("jury-1", http.MethodGet, "/jury/invitasjon/"+strings.Repeat("A", 43), "", http.StatusNotFound),
		"Vi kjenner ikke igjen")
	w.do("jury-1", http.MethodPost, "/api/v1/invitations/not-a-token/accept", "", http.StatusNotFound)
	if seats() != 1 {
		t.Fatalf("%d seats, want Jenny's only", seats())
	}

	// Jon (jury-1): an expired link, then a withdrawn one, seat nobody.
	w.do("admin", http.MethodPost, api+"/jurors", `{"name":"Jon","email":"jon@example.org"}`, http.StatusCreated)
	expired := invitationToken(t, w.db, "jon@example.org", 1)
	w.exec(`UPDATE jury_invitations SET expires_at = now() - interval '1 minute' WHERE email = 'jon@example.org'`)
	wantContains(t, "expired", w.do("jury-1", http.MethodPost, "/jury/invitasjon/"+expired, "", http.StatusConflict), "har utløpt")
	w.do("jury-1", http.MethodPost, "/api/v1/invitations/"+expired+"/accept", "", http.StatusConflict)
	var withdrawn struct{ ID apiID }
	if err := json.Unmarshal([]byte(w.do("admin", http.MethodPost, api+"/jurors", `{"name":"Jon","email":"jon@example.org"}`, http.StatusCreated)), &withdrawn); err != nil {
		t.Fatal(err)
	}
	revoked := invitationToken(t, w.db, "jon@example.org", 2)
	w.do("admin", http.MethodPost, fmt.Sprintf("%s/invitasjoner/%d/trekk", jury, withdrawn.ID), "", http.StatusSeeOther)
	if p := decodeProblem(t, w.do("jury-1", http.MethodPost, "/api/v1/invitations/"+revoked+"/accept", "", http.StatusConflict)); !strings.Contains(p.Detail, "withdrawn") {
		t.Errorf("revoked: %+v", p)
	}
	wantContains(t, "revoke twice", w.do("admin", http.MethodPost, fmt.Sprintf("%s/invitasjoner/%d/trekk", jury, withdrawn.ID), "", http.StatusConflict),
		"trukket tilbake")
	if seats() != 1 {
		t.Fatalf("%d seats after refused links", seats())
	}

	// Jorunn (jury-chair) is invited to chair and accepts in the API; a
	// second chair is refused.
	w.do("admin", http.MethodPost, api+"/jurors", `{"name":"Jorunn","email":"jorunn@example.org","chair":true,"language":"nn"}`, http.StatusCreated)
	var seat struct {
		Chair bool
		Cycle string
	}
	if err := json.Unmarshal([]byte(w.do("jury-chair", http.MethodPost, "/api/v1/invitations/"+invitationToken(t, w.db, "jorunn@example.org", 1)+"/accept", "", http.StatusOK)), &seat); err != nil || !seat.Chair || seat.Cycle != w.cycle {
		t.Fatalf("chair's seat: %+v %v", seat, err)
	}
	if p := decodeProblem(t, w.do("admin", http.MethodPost, api+"/jurors", `{"name":"Jon","email":"jon@example.org","chair":true}`, http.StatusConflict)); p.Errors["chair"] == "" {
		t.Errorf("second chair: %+v", p)
	}

	// Before declaring, Jenny sees no nomination, anywhere.
	w.sees("jury-2", false, false)
	wantContains(t, "home, not declared", w.do("jury-2", http.MethodGet, "/", "", http.StatusOK), "Erklær habilitet", "/jury/"+w.cycle+"/habilitet")
	form := w.do("jury-2", http.MethodGet, "/jury/"+w.cycle+"/habilitet", "", http.StatusOK)
	asker, traena := fmt.Sprint(w.orgs["Asker"]), fmt.Sprint(w.orgs["Træna"])
	wantContains(t, "declaration form", form, "Internt arbeidsdokument", "forvaltningsloven § 6", `name="answer_`+asker+`"`,
		`name="answer_`+traena+`"`, "Ansatt der", "Nære bånd", "Egen involvering", "Annet")

	// A conflict without a reason, an organisation not nominated: refused,
	// nothing stored.
	body = w.do("jury-2", http.MethodPost, "/jury/"+w.cycle+"/habilitet",
		"answer_"+asker+"=none&answer_"+traena+"=employed&reason_"+traena+"=", http.StatusUnprocessableEntity)
	wantContains(t, "no reason", body, "ds-error-summary", `href="#org-`+traena+`-reason"`, "Skriv en kort begrunnelse", `aria-invalid="true"`)
	body = w.do("jury-2", http.MethodPost, "/jury/"+w.cycle+"/habilitet",
		"answer_"+asker+"=none&answer_"+traena+"=none&answer_99999999=none", http.StatusUnprocessableEntity)
	wantContains(t, "unknown organisation", body, "ikke nominert i denne syklusen")
	if p := decodeProblem(t, w.do("jury-2", http.MethodPut, api+"/conflicts",
		`{"organisations":[{"id":"`+asker+`","conflict":"none"},{"id":"`+traena+`","conflict":"family"}]}`, http.StatusUnprocessableEntity)); p.Errors["organisations."+traena+".reason"] == "" {
		t.Errorf("API conflict without reason: %+v", p)
	}
	if n := w.count(`SELECT count(*) FROM jurors WHERE declared_at IS NOT NULL AND cycle_id = (SELECT id FROM cycles WHERE public_id = '` + w.cycle + `')
		AND user_id = (SELECT id FROM users WHERE subject = 'jury-2')`); n != 0 {
		t.Fatal("a refused declaration was stored")
	}

	// Declared: Asker's nomination, its project and file; never Træna's.
	w.do("jury-2", http.MethodPost, "/jury/"+w.cycle+"/habilitet",
		"answer_"+asker+"=none&answer_"+traena+"=employed&reason_"+traena+"=Jobber+i+Tr%C3%A6na+kommune", http.StatusSeeOther)
	wantContains(t, "declared", w.do("jury-2", http.MethodGet, "/jury/"+w.cycle+"/habilitet", "", http.StatusOK),
		"Erklæringen ble levert", "/jury/"+w.cycle)
	w.sees("jury-2", true, false)
	w.do("jury-2", http.MethodPatch, "/api/v1/nominations/"+w.asker, `{"version":1,"summary":"Juryen skriver"}`, http.StatusForbidden)
	wantContains(t, "home, declared", w.do("jury-2", http.MethodGet, "/", "", http.StatusOK), "0 av 1 vurdert", "frist")
	var decl struct {
		Complete      bool
		Organisations []struct {
			Name     string
			Conflict *string
		}
	}
	if err := json.Unmarshal([]byte(w.do("jury-2", http.MethodGet, api+"/conflicts", "", http.StatusOK)), &decl); err != nil || !decl.Complete ||
		len(decl.Organisations) != 2 || decl.Organisations[1].Conflict == nil || *decl.Organisations[1].Conflict != "employed" {
		t.Errorf("declaration in the API: %+v %v", decl, err)
	}

	// Kari (asker) is seated too: her membership of Asker is a conflict by
	// itself, which "none" cannot undo; she reads Træna's as a juror.
	w.do("admin", http.MethodPost, api+"/jurors", `{"name":"Kari","email":"kari@asker.kommune.no"}`, http.StatusCreated)
	w.do("asker", http.MethodPost, "/api/v1/invitations/"+invitationToken(t, w.db, "kari@asker.kommune.no", 1)+"/accept", "", http.StatusOK)
	wantContains(t, "automatic conflict", w.do("asker", http.MethodGet, "/jury/"+w.cycle+"/habilitet", "", http.StatusOK),
		"automatisk inhabil", "Jeg har ingen annen interessekonflikt")
	if p := decodeProblem(t, w.do("asker", http.MethodPut, api+"/conflicts",
		`{"organisations":[{"id":"`+asker+`","conflict":"none"},{"id":"`+traena+`","conflict":"none"}]}`, http.StatusUnprocessableEntity)); p.Errors["organisations."+asker] == "" {
		t.Errorf("none for a member organisation: %+v", p)
	}
	w.do("traena", http.MethodGet, "/nominasjoner/"+w.asker, "", http.StatusNotFound)
	w.do("asker", http.MethodGet, "/api/v1/nominations/"+w.traena, "", http.StatusNotFound)
	w.do("asker", http.MethodPut, api+"/conflicts", `{"none":true}`, http.StatusOK)
	w.do("asker", http.MethodGet, "/api/v1/nominations/"+w.traena, "", http.StatusOK)

	// The chair and admins see who stepped aside and why; jurors do not.
	overview := "/jury/" + w.cycle + "/habilitet/oversikt"
	wantContains(t, "chair's overview", w.do("jury-chair", http.MethodGet, overview, "", http.StatusOK),
		"Jenny Jurymedlem", "Ansatt der", "Jobber i Træna kommune", "Kari Asker", "Medlem i Heder", "Internt arbeidsdokument")
	wantContains(t, "admin's overview", w.do("admin", http.MethodGet, overview, "", http.StatusOK), "Jobber i Træna kommune")
	w.do("jury-2", http.MethodGet, overview, "", http.StatusForbidden)
	w.do("jury-2", http.MethodGet, api+"/conflicts/overview", "", http.StatusForbidden)

	// Removing Jenny: asked first, then done; she sees nothing, and a
	// second removal is refused.
	var list struct {
		Jurors []struct {
			ID       apiID
			Name     string
			Declared bool
		}
		Invitations []struct{ State string }
	}
	if err := json.Unmarshal([]byte(w.do("admin", http.MethodGet, api+"/jurors", "", http.StatusOK)), &list); err != nil {
		t.Fatal(err)
	}
	var jenny int64
	states := map[string]int{}
	for _, j := range list.Jurors {
		if j.Name == "Jenny Jurymedlem" {
			jenny = int64(j.ID)
		}
	}
	for _, i := range list.Invitations {
		states[i.State]++
	}
	if jenny == 0 || states["accepted"] != 3 || states["expired"] != 1 || states["revoked"] != 1 {
		t.Fatalf("jury list: %+v", list)
	}
	member := fmt.Sprintf("%s/medlemmer/%d/fjern", jury, jenny)
	wantContains(t, "remove confirmation", w.do("admin", http.MethodGet, member, "", http.StatusOK), "Fjern fra juryen", "teller ikke lenger i rangeringen")
	w.do("admin", http.MethodPost, member, "", http.StatusSeeOther)
	w.sees("jury-2", false, false)
	w.do("jury-2", http.MethodGet, "/jury/"+w.cycle+"/habilitet", "", http.StatusForbidden)
	wantContains(t, "remove twice", w.do("admin", http.MethodPost, member, "", http.StatusConflict), "allerede fjernet")
	w.do("admin", http.MethodDelete, fmt.Sprintf("%s/jurors/%d", api, jenny), "", http.StatusConflict)
	if n := w.count(`SELECT count(*) FROM audit_log WHERE action = 'remove' AND entity = 'juror' AND entity_id = ? AND after->>'excluded_scores' = '0'`, jenny); n != 1 {
		t.Errorf("%d audit entries for the removal", n)
	}
}

// location sends a request without following redirects and returns where
// it redirects to.
func (w *juryWorld) location(who, method, path string) string {
	w.t.Helper()
	req, err := http.NewRequest(method, w.a.URL+path, nil)
	if err != nil {
		w.t.Fatal(err)
	}
	c := *w.c[who]
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusFound {
		w.t.Fatalf("%s %s as %s: status %d, want a redirect", method, path, who, resp.StatusCode)
	}
	return resp.Header.Get("Location")
}
