package app_test

import (
	"context"
	"testing"
)

func init() {
	var cycle string
	authzAreas = append(authzAreas, authzArea{name: "noark",
		setup: func(t *testing.T, f *fixture) {
			db := receiptDB(t, f.a)
			if err := db.NewRaw(`SELECT c.public_id FROM cycles c JOIN awards a ON a.id = c.award_id
				WHERE a.slug = 'kommunal-innovasjonspris' AND c.phase = 'published' ORDER BY c.year LIMIT 1`).Scan(context.Background(), &cycle); err != nil {
				t.Fatalf("the demo's published cycle: %v", err)
			}
		},
		rows: func(*fixture) map[string]authzCase {
			// The deposit holds the jury's screened papers and contact
			// people: the cycle's administrators only (the demo's published
			// 2017 cycle).
			return map[string]authzCase{
				"GET /api/v1/cycles/{cycle}/noark5": {"/api/v1/cycles/" + cycle + "/noark5", "", [8]int{unauth, forbid, forbid, forbid, forbid, forbid, ok, ok}},
			}
		}})
}
