package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
)

func init() {
	var x cyclesFixture
	authzAreas = append(authzAreas, authzArea{name: "cycles",
		setup: func(t *testing.T, f *fixture) { x = cyclesSetup(t, f) },
		rows:  func(*fixture) map[string]authzCase { return cyclesRows(x) }})
}

// cyclesFixture is what the cycles rows act on, made by the admin through
// the API: an award with an open cycle (and criteria), and draft cycles
// for the moves.
type cyclesFixture struct {
	open, uiMove, apiMove, apiCopy     string // cycle public IDs
	owner                              int64  // the award's owner, the ministry
	uiEdit, uiDelete, apiEdit, apiDrop int64  // criterion IDs
}

// apiCreate posts body as admin and returns the decoded answer, failing
// unless it is 201 Created.
func apiCreate(t *testing.T, f *fixture, path, body string, out any) {
	t.Helper()
	status, resp := f.a.Do(t, f.clients["admin"], http.MethodPost, path, body)
	if status != http.StatusCreated {
		t.Fatalf("POST %s: %d %s", path, status, resp)
	}
	if err := json.Unmarshal([]byte(resp), out); err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
}

func cyclesSetup(t *testing.T, f *fixture) cyclesFixture {
	var x cyclesFixture
	var award struct{ Slug string }
	// Owned by the demo award's owner, so that its owner admin (eier-kdd)
	// runs it and the other owner's (eier-socentral) does not.
	x.owner = orgID(t, f.a, "Kommunal- og distriktsdepartementet")
	apiCreate(t, f, "/api/v1/awards", fmt.Sprintf(`{"slug":"authz-pris","name_nb":"Autorisasjonsprisen","name_nn":"Autorisasjonsprisen","owner_id":"%d"}`, x.owner), &award)
	cycle := func(year int, open bool) string {
		var c struct{ ID string }
		apiCreate(t, f, "/api/v1/awards/authz-pris/cycles",
			fmt.Sprintf(`{"year":%d,"title":"Autorisasjonsprisen %d","nomination_deadline":"%d-03-01T23:59:00+01:00"}`, year, year, year), &c)
		if open {
			if status, body := f.a.Do(t, f.clients["admin"], http.MethodPost, "/api/v1/cycles/"+c.ID+"/transitions", `{"to":"open"}`); status != http.StatusOK {
				t.Fatalf("open cycle: %d %s", status, body)
			}
		}
		return c.ID
	}
	criterion := func(cycle, name string) int64 {
		var cr struct{ ID apiID }
		apiCreate(t, f, "/api/v1/cycles/"+cycle+"/criteria", fmt.Sprintf(`{"name_nb":%q,"help_nb":"Hjelp"}`, name), &cr)
		return int64(cr.ID)
	}
	// The open cycle's next year (2031) stays free for the UI's copy.
	x.open = cycle(2030, true)
	x.uiMove = cycle(2050, false)
	x.apiMove = cycle(2060, false)
	x.apiCopy = cycle(2040, false)
	x.uiEdit = criterion(x.open, "Nytt")
	x.uiDelete = criterion(x.open, "Nyttig")
	x.apiEdit = criterion(x.open, "Nyttiggjort")
	x.apiDrop = criterion(x.open, "Spredning")
	return x
}

func cyclesRows(x cyclesFixture) map[string]authzCase {
	admin := func(okStatus int) [8]int {
		return [8]int{see, forbid, forbid, forbid, forbid, forbid, okStatus, okStatus}
	}
	apiAdmin := func(okStatus int) [8]int {
		return [8]int{unauth, forbid, forbid, forbid, forbid, forbid, okStatus, okStatus}
	}
	public := [8]int{ok, ok, ok, ok, ok, ok, ok, ok}
	cycleForm := "year=2030&title=Autorisasjonsprisen+2030&eligible_kinds=municipality&max_nominations_per_org=1&max_projects=3" +
		"&nomination_deadline=2030-03-01T23%3A59"
	criterionForm := "name_nb=Nytt&weight=1&scale_min=1&scale_max=5&scale_step=1"
	return map[string]authzCase{
		"GET /admin/priser":                       {"/admin/priser", "", [8]int{see, forbid, forbid, forbid, forbid, ok, ok, ok}},
		"POST /admin/priser":                      {"/admin/priser", fmt.Sprintf("slug=authz-ui&name_nb=UI-prisen&owner_id=%d", x.owner), [8]int{see, forbid, forbid, forbid, forbid, forbid, see, conflict}},
		"GET /admin/priser/{slug}":                {"/admin/priser/authz-pris", "", admin(ok)},
		"POST /admin/priser/{slug}":               {"/admin/priser/authz-pris", fmt.Sprintf("name_nb=Autorisasjonsprisen&name_nn=Autorisasjonsprisen&owner_id=%d", x.owner), admin(see)},
		"POST /admin/priser/{slug}/sykluser":      {"/admin/priser/authz-pris/sykluser", "year=2070&title=UI+2070", [8]int{see, forbid, forbid, forbid, forbid, forbid, see, conflict}},
		"GET /admin/sykluser/{cycle}":             {"/admin/sykluser/" + x.open, "", admin(ok)},
		"POST /admin/sykluser/{cycle}":            {"/admin/sykluser/" + x.open, cycleForm, admin(see)},
		"GET /admin/sykluser/{cycle}/fase":        {"/admin/sykluser/" + x.uiMove + "/fase?til=open", "", [8]int{see, forbid, forbid, forbid, forbid, notFound, ok, ok}},
		"POST /admin/sykluser/{cycle}/fase":       {"/admin/sykluser/" + x.uiMove + "/fase", "to=open", [8]int{see, forbid, forbid, forbid, forbid, notFound, see, conflict}},
		"POST /admin/sykluser/{cycle}/kopier":     {"/admin/sykluser/" + x.open + "/kopier", "", [8]int{see, forbid, forbid, forbid, forbid, forbid, see, conflict}},
		"POST /admin/sykluser/{cycle}/kriterier":  {"/admin/sykluser/" + x.open + "/kriterier", criterionForm, admin(see)},
		"GET /admin/kriterier/{id}":               {fmt.Sprintf("/admin/kriterier/%d", x.uiEdit), "", admin(ok)},
		"POST /admin/kriterier/{id}":              {fmt.Sprintf("/admin/kriterier/%d", x.uiEdit), criterionForm + "&position=1", admin(see)},
		"POST /admin/kriterier/{id}/slett":        {fmt.Sprintf("/admin/kriterier/%d/slett", x.uiDelete), "", [8]int{see, forbid, forbid, forbid, forbid, forbid, see, notFound}},
		"GET /sykluser/{cycle}":                   {"/sykluser/" + x.open, "", [8]int{see, ok, ok, ok, ok, ok, ok, ok}},
		"GET /api/v1/awards":                      {"/api/v1/awards", "", public},
		"POST /api/v1/awards":                     {"/api/v1/awards", fmt.Sprintf(`{"slug":"authz-api","name_nb":"API-prisen","owner_id":"%d"}`, x.owner), [8]int{unauth, forbid, forbid, forbid, forbid, forbid, created, conflict}},
		"GET /api/v1/awards/{slug}":               {"/api/v1/awards/authz-pris", "", public},
		"PATCH /api/v1/awards/{slug}":             {"/api/v1/awards/authz-pris", `{"name_en":"Authorisation award"}`, apiAdmin(ok)},
		"GET /api/v1/awards/{slug}/cycles":        {"/api/v1/awards/authz-pris/cycles", "", public},
		"POST /api/v1/awards/{slug}/cycles":       {"/api/v1/awards/authz-pris/cycles", `{"year":2080,"title":"API 2080"}`, [8]int{unauth, forbid, forbid, forbid, forbid, forbid, created, conflict}},
		"GET /api/v1/cycles/{cycle}":              {"/api/v1/cycles/" + x.open, "", public},
		"PATCH /api/v1/cycles/{cycle}":            {"/api/v1/cycles/" + x.open, `{"title":"Autorisasjonsprisen 2030"}`, apiAdmin(ok)},
		"POST /api/v1/cycles/{cycle}/transitions": {"/api/v1/cycles/" + x.apiMove + "/transitions", `{"to":"open"}`, [8]int{unauth, forbid, forbid, forbid, forbid, notFound, ok, conflict}},
		"POST /api/v1/cycles/{cycle}/copy":        {"/api/v1/cycles/" + x.apiCopy + "/copy", "", [8]int{unauth, forbid, forbid, forbid, forbid, notFound, created, conflict}},
		"GET /api/v1/cycles/{cycle}/criteria":     {"/api/v1/cycles/" + x.open + "/criteria", "", public},
		"POST /api/v1/cycles/{cycle}/criteria":    {"/api/v1/cycles/" + x.open + "/criteria", `{"name_nb":"Helhet"}`, apiAdmin(created)},
		"PATCH /api/v1/criteria/{id}":             {fmt.Sprintf("/api/v1/criteria/%d", x.apiEdit), `{"weight":2}`, apiAdmin(ok)},
		"DELETE /api/v1/criteria/{id}":            {fmt.Sprintf("/api/v1/criteria/%d", x.apiDrop), "", [8]int{unauth, forbid, forbid, forbid, forbid, forbid, none, notFound}},
	}
}
