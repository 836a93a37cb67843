package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/api"
	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/notify"
	"github.com/heder-awards/heder/internal/server"
	"github.com/heder-awards/heder/internal/ui"
)

// roles are the actors every route is called as, in this order: no one,
// municipality staff, jurors, the owner admin of another award's owner
// (eier-socentral, owner B), the owner admin of the demo award's owner
// (eier-kdd, owner A) and the site admin. The admins come last so that
// their successful changes don't alter what the others are tested
// against; where owner A's change succeeds, the site admin's row says
// what the same request finds after it.
var roles = []string{"anonymous", "asker", "traena", "jury-1", "jury-chair", "eier-socentral", "eier-kdd", "admin"}

// authzCase is one route's expected status for each actor in roles.
type authzCase struct {
	path string // with IDs filled in from the fixture
	body string // "{…}" as JSON, else a form
	want [8]int
}

// fixture is the shared state the authorization rows are written against:
// logged-in clients per role, user IDs and resources created by setup.
type fixture struct {
	a       *apptest.App
	clients map[string]*http.Client
	ids     map[string]int64 // user IDs by demo username
	// Resources made by the areas' setups, by name.
	res map[string]int64
}

// authzArea is one area's part of the authorization table: an optional
// setup (done through the API, as people would) and its rows.
type authzArea struct {
	name  string
	setup func(t *testing.T, f *fixture)
	rows  func(f *fixture) map[string]authzCase
}

// authzAreas is filled by each area's authz_<area>_test.go.
var authzAreas = []authzArea{{name: "foundation", setup: foundationSetup, rows: foundationRows}}

// demoOwner is SQL for the demo award's owner (the ministry), which
// eier-kdd administers: the awards the areas' setups make are its, so that
// owner admin A runs them and owner admin B (eier-socentral) does not.
const demoOwner = `(SELECT id FROM organisations WHERE orgnr = '972417858')`

// Statuses, short so that rows stay readable.
const (
	ok       = http.StatusOK
	created  = http.StatusCreated
	found    = http.StatusFound
	see      = http.StatusSeeOther
	accepted = http.StatusAccepted
	none     = http.StatusNoContent
	unauth   = http.StatusUnauthorized
	forbid   = http.StatusForbidden
	notFound = http.StatusNotFound
	conflict = http.StatusConflict
	invalid  = http.StatusUnprocessableEntity
)

// TestAuthorization calls every registered route as every role and checks
// the status. A route missing from the table fails the test, as does a
// table row for a route that no longer exists.
func TestAuthorization(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	f := &fixture{a: a, clients: map[string]*http.Client{"anonymous": a.Client(t)}, ids: map[string]int64{}, res: map[string]int64{}}
	for _, u := range append(roles[1:], "jury-2") {
		f.clients[u] = a.Login(t, u)
		f.ids[u] = userID(t, a, f.clients[u])
	}
	table := map[string]authzCase{}
	for _, area := range authzAreas {
		if area.setup != nil {
			area.setup(t, f)
		}
		for k, v := range area.rows(f) {
			if _, dup := table[k]; dup {
				t.Errorf("%s: row %s is defined twice", area.name, k)
			}
			table[k] = v
		}
	}

	// apptest runs `heder dev`, whose handler has the mail catcher: list
	// its routes too (authz_notify_test.go checks serve has none).
	routes := server.Routes(&ui.Handler{DevMail: &notify.Catcher{}}, &api.Handler{})
	seen := map[string]bool{}
	for _, rt := range routes {
		key := rt.Method + " " + rt.Pattern
		seen[key] = true
		tc, ok := table[key]
		if !ok {
			t.Errorf("route %s has no row in the authorization table", key)
			continue
		}
		for i, role := range roles {
			c := f.clients[role]
			if key == "POST /auth/logout" && role != "anonymous" {
				c = a.Login(t, role) // logging out must not end the shared session
			}
			status, header, body := a.DoHeader(t, c, rt.Method, tc.path, tc.body)
			if status != tc.want[i] {
				t.Errorf("%s as %s: status %d, want %d (%.200s)", key, role, status, tc.want[i], strings.TrimSpace(body))
			}
			checkCaching(t, rt, role, status, header)
		}
	}
	for key := range table {
		if !seen[key] {
			t.Errorf("table row %s matches no registered route", key)
		}
	}
	t.Logf("authorization table: %d routes × %d roles = %d checks", len(routes), len(roles), len(routes)*len(roles))
}

func foundationSetup(t *testing.T, f *fixture) {
	f.res["asker"], f.res["traena"] = orgID(t, f.a, "Asker"), orgID(t, f.a, "Træna")
	// Pending requests by jury-2 for the decide routes to act on.
	f.res["ui-request"] = requestAccess(t, f.a, f.clients["jury-2"], f.res["asker"])
	f.res["api-request"] = requestAccess(t, f.a, f.clients["jury-2"], f.res["traena"])
	// A membership of jury-2's for the row that removes a member, so that
	// no role loses its own organisation half-way through the table.
	f.res["utsira"] = orgID(t, f.a, "Utsira")
	if _, err := nomDB(t, f.a).ExecContext(context.Background(), `INSERT INTO memberships (user_id, organisation_id, role, source)
		VALUES (?, ?, 'submitter', 'admin')`, f.ids["jury-2"], f.res["utsira"]); err != nil {
		t.Fatal(err)
	}
}

func foundationRows(f *fixture) map[string]authzCase {
	asker, traena, ids := f.res["asker"], f.res["traena"], f.ids
	return map[string]authzCase{
		"GET /":           {"/", "", [8]int{ok, ok, ok, ok, ok, ok, ok, ok}},
		"GET /om":         {"/om", "", [8]int{ok, ok, ok, ok, ok, ok, ok, ok}},
		"GET /personvern": {"/personvern", "", [8]int{ok, ok, ok, ok, ok, ok, ok, ok}},
		// Bokmål, which every client already reads: another choice would
		// send the archive rows that come after it to their ?lang= URL.
		"GET /lang/{code}":          {"/lang/nb?next=/", "", [8]int{see, see, see, see, see, see, see, see}},
		"GET /auth/login":           {"/auth/login", "", [8]int{found, found, found, found, found, found, found, found}},
		"GET /auth/callback":        {"/auth/callback?state=forged&code=x", "", [8]int{unauth, unauth, unauth, unauth, unauth, unauth, unauth, unauth}},
		"POST /auth/logout":         {"/auth/logout", "", [8]int{see, see, see, see, see, see, see, see}},
		"GET /organisasjoner":       {"/organisasjoner?q=Asker", "", [8]int{see, ok, ok, ok, ok, ok, ok, ok}},
		"GET /organisasjoner/{id}":  {fmt.Sprintf("/organisasjoner/%d", asker), "", [8]int{see, ok, ok, ok, ok, ok, ok, ok}},
		"POST /organisasjoner/{id}": {fmt.Sprintf("/organisasjoner/%d", asker), "orgnr=920125298&email_domain=asker.kommune.no&language=nb", [8]int{see, forbid, forbid, forbid, forbid, forbid, forbid, see}},
		"POST /organisasjoner/{id}/tilgang": {fmt.Sprintf("/organisasjoner/%d/tilgang", asker), "message=hei",
			[8]int{see, conflict, see, see, see, see, see, see}},
		"POST /organisasjoner/{id}/medlemmer": {fmt.Sprintf("/organisasjoner/%d/medlemmer", asker), "email=tore@traena.kommune.no&role=submitter",
			[8]int{see, forbid, forbid, forbid, forbid, forbid, forbid, see}},
		"POST /organisasjoner/{id}/medlemmer/{user}/fjern": {fmt.Sprintf("/organisasjoner/%d/medlemmer/%d/fjern", asker, ids["traena"]), "",
			[8]int{see, forbid, forbid, forbid, forbid, forbid, forbid, see}},
		"POST /foresporsler/{id}": {fmt.Sprintf("/foresporsler/%d", f.res["ui-request"]), "decision=reject",
			[8]int{see, notFound, notFound, notFound, notFound, notFound, notFound, see}},
		"GET /admin": {"/admin", "", [8]int{see, forbid, forbid, forbid, forbid, forbid, forbid, ok}},
		"POST /admin/brukere/{id}/admin": {fmt.Sprintf("/admin/brukere/%d/admin", ids["jury-2"]), "admin=false",
			[8]int{see, forbid, forbid, forbid, forbid, forbid, forbid, see}},

		"GET /api/v1/me":                   {"/api/v1/me", "", [8]int{unauth, ok, ok, ok, ok, ok, ok, ok}},
		"GET /api/v1/organisations":        {"/api/v1/organisations?q=Asker", "", [8]int{ok, ok, ok, ok, ok, ok, ok, ok}},
		"GET /api/v1/organisations/{id}":   {fmt.Sprintf("/api/v1/organisations/%d", asker), "", [8]int{ok, ok, ok, ok, ok, ok, ok, ok}},
		"PATCH /api/v1/organisations/{id}": {fmt.Sprintf("/api/v1/organisations/%d", asker), `{"language":"nb"}`, [8]int{unauth, forbid, forbid, forbid, forbid, forbid, forbid, ok}},
		"GET /api/v1/organisations/{id}/members": {fmt.Sprintf("/api/v1/organisations/%d/members", traena), "",
			[8]int{unauth, forbid, forbid, forbid, forbid, forbid, forbid, ok}},
		"POST /api/v1/organisations/{id}/members": {fmt.Sprintf("/api/v1/organisations/%d/members", traena), `{"message":"hei"}`,
			[8]int{unauth, accepted, conflict, accepted, accepted, accepted, accepted, accepted}},
		"DELETE /api/v1/organisations/{id}/members/{user}": {fmt.Sprintf("/api/v1/organisations/%d/members/%d", f.res["utsira"], ids["jury-2"]), "",
			[8]int{unauth, forbid, forbid, forbid, forbid, forbid, forbid, none}},
		"GET /api/v1/organisations/{id}/members/requests": {fmt.Sprintf("/api/v1/organisations/%d/members/requests", traena), "",
			[8]int{unauth, forbid, forbid, forbid, forbid, forbid, forbid, ok}},
		"POST /api/v1/organisations/{id}/members/requests/{request}": {fmt.Sprintf("/api/v1/organisations/%d/members/requests/%d", traena, f.res["api-request"]), `{"approve":false}`,
			[8]int{unauth, notFound, notFound, notFound, notFound, notFound, notFound, ok}},
		"GET /api/v1/users":            {"/api/v1/users", "", [8]int{unauth, forbid, forbid, forbid, forbid, forbid, forbid, ok}},
		"PUT /api/v1/users/{id}/admin": {fmt.Sprintf("/api/v1/users/%d/admin", ids["jury-2"]), `{"admin":false}`, [8]int{unauth, forbid, forbid, forbid, forbid, forbid, forbid, none}},

		// Creating an organisation: test numbers (mod-11 valid), made-up names.
		"POST /organisasjoner": {"/organisasjoner", "orgnr=999990118&name=Testselskap+UI+AS+(testdata)&kind=company&parent_id=&language=nb",
			[8]int{see, forbid, forbid, forbid, forbid, forbid, forbid, see}},
		"POST /api/v1/organisations": {"/api/v1/organisations", `{"orgnr":"999990126","name":"Testselskap API AS (testdata)","kind":"company"}`,
			[8]int{unauth, forbid, forbid, forbid, forbid, forbid, forbid, created}},
	}
}

func userID(t *testing.T, a *apptest.App, c *http.Client) int64 {
	t.Helper()
	_, body := a.Do(t, c, http.MethodGet, "/api/v1/me", "")
	var me struct{ ID apiID }
	if err := json.Unmarshal([]byte(body), &me); err != nil || me.ID == 0 {
		t.Fatalf("me: %v %s", err, body)
	}
	return int64(me.ID)
}

func orgID(t *testing.T, a *apptest.App, name string) int64 {
	t.Helper()
	_, body := a.Do(t, a.Client(t), http.MethodGet, "/api/v1/organisations?q="+url.QueryEscape(name), "")
	var res struct {
		Items []struct {
			ID   apiID
			Name string
			Kind string
		}
	}
	if err := json.Unmarshal([]byte(body), &res); err != nil {
		t.Fatal(err)
	}
	// A municipality of that name, else any organisation (a ministry).
	var any int64
	for _, o := range res.Items {
		if o.Name == name && o.Kind == "municipality" {
			return int64(o.ID)
		}
		if o.Name == name && any == 0 {
			any = int64(o.ID)
		}
	}
	if any != 0 {
		return any
	}
	t.Fatalf("organisation %s not found in %s", name, body)
	return 0
}

func requestAccess(t *testing.T, a *apptest.App, c *http.Client, org int64) int64 {
	t.Helper()
	status, body := a.Do(t, c, http.MethodPost, fmt.Sprintf("/api/v1/organisations/%d/members", org), `{"message":"Jeg jobber her"}`)
	var req struct{ ID apiID }
	if err := json.Unmarshal([]byte(body), &req); status != http.StatusAccepted || err != nil || req.ID == 0 {
		t.Fatalf("request access: %d %s", status, body)
	}
	return int64(req.ID)
}
