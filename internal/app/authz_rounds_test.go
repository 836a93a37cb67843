package app_test

import (
	"fmt"
	"testing"
)

// roundAuthz is what the rounds rows act on: a cycle of its own being
// judged, jury-chair and jury-1 seated on it, and rounds added by the
// admin through the API: one each for the pages and the API to change,
// and one each to delete.
var roundAuthz struct {
	cycle                                string
	juror1                               int64
	uiEdit, apiEdit, uiDelete, apiDelete int64
}

func init() {
	authzAreas = append(authzAreas, authzArea{name: "rounds",
		setup: func(t *testing.T, f *fixture) {
			x := &roundAuthz
			db := nomDB(t, f.a)
			x.cycle, _ = asgCycle(t, db, "rounds-authz", "Asker")
			asgSeat(t, db, x.cycle, f.ids["jury-chair"], true)
			x.juror1 = asgSeat(t, db, x.cycle, f.ids["jury-1"], false)
			round := func(name string) int64 {
				var r struct{ ID apiID }
				apiCreate(t, f, "/api/v1/cycles/"+x.cycle+"/rounds", fmt.Sprintf(`{"name_nb":%q}`, name), &r)
				return int64(r.ID)
			}
			x.uiEdit, x.apiEdit = round("Kortliste"), round("Finale")
			x.uiDelete, x.apiDelete = round("Slettes på siden"), round("Slettes i API-et")
		},
		rows: func(*fixture) map[string]authzCase {
			x := roundAuthz
			api := func(id int64) string { return fmt.Sprintf("/api/v1/rounds/%d", id) }
			page := func(id int64) string { return fmt.Sprintf("/admin/runder/%d", id) }
			// The cycle's admins change its rounds; its jurors read them
			// through the API; everyone else is refused. The other owner's
			// admin passes the gate and is refused by the service.
			read := [8]int{unauth, forbid, forbid, ok, ok, forbid, ok, ok}
			apiAdmin := func(okStatus, after int) [8]int {
				return [8]int{unauth, forbid, forbid, forbid, forbid, forbid, okStatus, after}
			}
			pageAdmin := func(okStatus, after int) [8]int {
				return [8]int{see, forbid, forbid, forbid, forbid, forbid, okStatus, after}
			}
			roundForm := "name_nb=Kortliste&kind=scores&scoring_deadline="
			return map[string]authzCase{
				"POST /admin/sykluser/{cycle}/runder": {"/admin/sykluser/" + x.cycle + "/runder", "name_nb=Ekstra&kind=scores", pageAdmin(see, see)},
				"GET /admin/runder/{id}":              {page(x.uiEdit), "", pageAdmin(ok, ok)},
				"POST /admin/runder/{id}":             {page(x.uiEdit), roundForm, pageAdmin(see, see)},
				"POST /admin/runder/{id}/jury":        {page(x.uiEdit) + "/jury", fmt.Sprintf("juror_ids=%d", x.juror1), pageAdmin(see, see)},
				"POST /admin/runder/{id}/slett":       {page(x.uiDelete) + "/slett", "", pageAdmin(see, notFound)},
				"GET /api/v1/cycles/{cycle}/rounds":   {"/api/v1/cycles/" + x.cycle + "/rounds", "", read},
				"POST /api/v1/cycles/{cycle}/rounds":  {"/api/v1/cycles/" + x.cycle + "/rounds", `{"name_nb":"Ekstra"}`, apiAdmin(created, created)},
				"GET /api/v1/rounds/{round}":          {api(x.apiEdit), "", read},
				"PATCH /api/v1/rounds/{round}":        {api(x.apiEdit), `{"name_en":"Final"}`, apiAdmin(ok, ok)},
				"DELETE /api/v1/rounds/{round}":       {api(x.apiDelete), "", apiAdmin(none, notFound)},
				"PUT /api/v1/rounds/{round}/jurors": {api(x.apiEdit) + "/jurors", fmt.Sprintf(`{"juror_ids":["%d"]}`, x.juror1),
					apiAdmin(ok, ok)},
			}
		}})
}
