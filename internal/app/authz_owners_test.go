package app_test

import (
	"fmt"
	"testing"
)

func init() {
	var x ownersAuthz
	authzAreas = append(authzAreas, authzArea{name: "owners",
		setup: func(t *testing.T, f *fixture) { x = ownersSetup(t, f) },
		rows:  func(f *fixture) map[string]authzCase { return ownersRows(f, x) }})
}

// ownersAuthz is what the owner rows act on: the demo award's owner (the
// ministry, eier-kdd's) and two made-up state agencies for the site
// admin to make owners of, one through the pages and one through the API.
type ownersAuthz struct {
	kdd, uiAgency, apiAgency int64
}

func ownersSetup(t *testing.T, f *fixture) ownersAuthz {
	x := ownersAuthz{kdd: orgID(t, f.a, "Kommunal- og distriktsdepartementet")}
	agency := func(orgnr, name string) int64 {
		var o struct{ ID apiID }
		apiCreate(t, f, "/api/v1/organisations", fmt.Sprintf(`{"orgnr":%q,"name":%q,"kind":"state_agency"}`, orgnr, name), &o)
		return int64(o.ID)
	}
	x.uiAgency = agency("999990142", "Testdirektoratet UI (testdata)")
	x.apiAgency = agency("999990150", "Testdirektoratet API (testdata)")
	return x
}

// ownersRows: site admins make owners; an owner's admins (eier-kdd for
// the ministry) manage it; another owner's admin (eier-socentral) and
// everyone else are refused. eier-kdd adds jury-2 as an admin and then
// removes them again, so the site admin finds them already there and
// then gone.
func ownersRows(f *fixture, x ownersAuthz) map[string]authzCase {
	kdd := fmt.Sprintf("/admin/eiere/%d", x.kdd)
	api := fmt.Sprintf("/api/v1/owners/%d", x.kdd)
	jenny := f.ids["jury-2"]
	return map[string]authzCase{
		"GET /admin/eiere": {"/admin/eiere", "", [8]int{see, forbid, forbid, forbid, forbid, ok, ok, ok}},
		"POST /admin/eiere": {"/admin/eiere", fmt.Sprintf("organisation_id=%d&email=", x.uiAgency),
			[8]int{see, forbid, forbid, forbid, forbid, forbid, forbid, see}},
		"GET /admin/eiere/{id}": {kdd, "", [8]int{see, forbid, forbid, forbid, forbid, forbid, ok, ok}},
		"POST /admin/eiere/{id}/admins": {kdd + "/admins", "email=jenny@example.org",
			[8]int{see, forbid, forbid, forbid, forbid, forbid, see, conflict}},
		"POST /admin/eiere/{id}/admins/{user}/fjern": {fmt.Sprintf("%s/admins/%d/fjern", kdd, jenny), "",
			[8]int{see, forbid, forbid, forbid, forbid, forbid, see, notFound}},
		"POST /admin/eiere/{id}/lagring": {kdd + "/lagring", "retention_months=36",
			[8]int{see, forbid, forbid, forbid, forbid, forbid, see, see}},

		"GET /api/v1/owners": {"/api/v1/owners", "", [8]int{unauth, forbid, forbid, forbid, forbid, ok, ok, ok}},
		"POST /api/v1/owners": {"/api/v1/owners", fmt.Sprintf(`{"organisation_id":"%d"}`, x.apiAgency),
			[8]int{unauth, forbid, forbid, forbid, forbid, forbid, forbid, created}},
		"GET /api/v1/owners/{id}":   {api, "", [8]int{unauth, forbid, forbid, forbid, forbid, forbid, ok, ok}},
		"PATCH /api/v1/owners/{id}": {api, `{"retention_months":36}`, [8]int{unauth, forbid, forbid, forbid, forbid, forbid, ok, ok}},
		"POST /api/v1/owners/{id}/admins": {api + "/admins", `{"email":"jenny@example.org"}`,
			[8]int{unauth, forbid, forbid, forbid, forbid, forbid, ok, conflict}},
		"DELETE /api/v1/owners/{id}/admins/{user}": {fmt.Sprintf("%s/admins/%d", api, jenny), "",
			[8]int{unauth, forbid, forbid, forbid, forbid, forbid, none, notFound}},
	}
}
