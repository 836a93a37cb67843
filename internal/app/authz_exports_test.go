package app_test

import (
	"net/http"
	"testing"
)

func init() {
	var x struct{ cycle, nomination string }
	authzAreas = append(authzAreas, authzArea{name: "exports",
		// A cycle of its own with one submitted nomination of Asker's,
		// for the admin to mark ineligible.
		setup: func(t *testing.T, f *fixture) {
			x.cycle = nomCycle(t, nomDB(t, f.a), "exports-authz", "now() + interval '30 days'", 0, 3)
			n := nomClient{t: t, a: f.a, c: f.clients["asker"]}
			x.nomination = n.complete(x.cycle)
			n.call(http.MethodPost, "/api/v1/nominations/"+x.nomination+"/submit", "", http.StatusOK)
		},
		rows: func(*fixture) map[string]authzCase {
			list := "/admin/sykluser/" + x.cycle + "/nominasjoner"
			exports := "/api/v1/cycles/" + x.cycle + "/exports/nominations"
			// Only site admins see every nomination with its contact
			// people; the cycle itself is public, so others get 403.
			return map[string]authzCase{
				"GET /admin/sykluser/{cycle}/nominasjoner": {list + "?q=velferdslab&status=submitted", "",
					[8]int{see, forbid, forbid, forbid, forbid, forbid, ok, ok}},
				"POST /admin/sykluser/{cycle}/nominasjoner/{id}/kvalifisering": {list + "/" + x.nomination + "/kvalifisering",
					"ineligible=true&reason=Gjelder+et+fylke&back=status%3Dsubmitted", [8]int{see, forbid, forbid, forbid, forbid, notFound, see, conflict}},
				"GET /api/v1/cycles/{cycle}/exports/nominations.csv": {exports + ".csv?status=submitted", "",
					[8]int{unauth, forbid, forbid, forbid, forbid, forbid, ok, ok}},
				"GET /api/v1/cycles/{cycle}/exports/nominations.xlsx": {exports + ".xlsx?q=velferdslab", "",
					[8]int{unauth, forbid, forbid, forbid, forbid, forbid, ok, ok}},
			}
		}})
}
