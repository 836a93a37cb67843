package app_test

import (
	"context"
	"testing"
)

func init() {
	var cycle, export string
	authzAreas = append(authzAreas, authzArea{name: "noark",
		setup: func(t *testing.T, f *fixture) {
			db := receiptDB(t, f.a)
			if err := db.NewRaw(`SELECT c.public_id FROM cycles c JOIN awards a ON a.id = c.award_id
				WHERE a.slug = 'kommunal-innovasjonspris' AND c.phase = 'published' AND c.year = 2017`).Scan(context.Background(), &cycle); err != nil {
				t.Fatalf("the demo's published cycle: %v", err)
			}
			// A finished export for the file's row.
			export = noarkExport(t, f.a, f.clients["eier-kdd"], cycle).ID
		},
		rows: func(*fixture) map[string]authzCase {
			// The deposit holds the jury's screened papers and contact
			// people: the cycle's administrators only (the demo's published
			// 2017 cycle). Owner A's request makes a new export (the
			// setup's is done); the site admin's gets the same one.
			exports := "/api/v1/cycles/" + cycle + "/noark5/exports"
			page := "/admin/sykluser/" + cycle + "/arkivuttrekk"
			return map[string]authzCase{
				"GET /api/v1/cycles/{cycle}/noark5":                   {"/api/v1/cycles/" + cycle + "/noark5", "", [8]int{unauth, forbid, forbid, forbid, forbid, forbid, ok, ok}},
				"POST /api/v1/cycles/{cycle}/noark5/exports":          {exports, "", [8]int{unauth, forbid, forbid, forbid, forbid, forbid, accepted, accepted}},
				"GET /api/v1/cycles/{cycle}/noark5/exports/{id}":      {exports + "/" + export, "", [8]int{unauth, forbid, forbid, forbid, forbid, forbid, ok, ok}},
				"GET /api/v1/cycles/{cycle}/noark5/exports/{id}/file": {exports + "/" + export + "/file", "", [8]int{unauth, forbid, forbid, forbid, forbid, forbid, ok, ok}},
				"POST /admin/sykluser/{cycle}/arkivuttrekk":           {page, "", [8]int{see, forbid, forbid, forbid, forbid, forbid, see, see}},
				"GET /admin/sykluser/{cycle}/arkivuttrekk/{id}":       {page + "/" + export, "", [8]int{see, forbid, forbid, forbid, forbid, forbid, ok, ok}},
			}
		}})
}
