package app_test

import (
	"context"
	"testing"
)

func init() {
	var x pubFixture
	authzAreas = append(authzAreas, authzArea{name: "diplomas",
		// A decided cycle of the demo owner's whose winners are out: Asker
		// won, Træna is a finalist, so their members have a diploma each.
		setup: func(t *testing.T, f *fixture) {
			db := pubDB(t, f.a)
			x = pubCycle(t, db, "authz-diplomas", false)
			pubSchedule(t, f, x.cycle, `{"kind":"winners","publish_at":"2031-06-15T12:00:00+02:00"}`)
			if _, err := db.ExecContext(context.Background(), `UPDATE announcements SET publish_at = now() - interval '1 hour'
				WHERE cycle_id = (SELECT id FROM cycles WHERE public_id = ?)`, x.cycle); err != nil {
				t.Fatal(err)
			}
		},
		rows: func(*fixture) map[string]authzCase {
			page := "/admin/sykluser/" + x.cycle + "/diplomer"
			api := "/api/v1/cycles/" + x.cycle + "/diplomas"
			// The page and the signature are the cycle's admins'; the PDFs
			// are theirs and, the winners being out, each decided
			// organisation's members' (Asker's and Træna's): anyone else
			// finds none (404).
			return map[string]authzCase{
				"GET /admin/sykluser/{cycle}/diplomer": {page, "", [8]int{see, forbid, forbid, forbid, forbid, forbid, ok, ok}},
				"POST /admin/sykluser/{cycle}/diplomer": {page, "name=Ola+Nordmann&title_nb=statsr%C3%A5d&title_nn=statsr%C3%A5d&title_en=Minister",
					[8]int{see, forbid, forbid, forbid, forbid, forbid, see, see}},
				"GET /admin/sykluser/{cycle}/diplomer/alle.pdf": {page + "/alle.pdf", "",
					[8]int{see, ok, ok, notFound, notFound, notFound, ok, ok}},
				"GET /admin/sykluser/{cycle}/diplomer/{nomination}.pdf": {page + "/" + x.asker + ".pdf?lang=nn", "",
					[8]int{see, ok, notFound, notFound, notFound, notFound, ok, ok}},
				"GET /nominasjoner/{id}/diplom.pdf": {"/nominasjoner/" + x.asker + "/diplom.pdf", "",
					[8]int{see, ok, notFound, notFound, notFound, notFound, ok, ok}},

				"GET /api/v1/cycles/{cycle}/diplomas":     {api, "", [8]int{unauth, ok, ok, ok, ok, ok, ok, ok}},
				"GET /api/v1/cycles/{cycle}/diplomas.pdf": {api + ".pdf?lang=en", "", [8]int{unauth, ok, ok, notFound, notFound, notFound, ok, ok}},
				"GET /api/v1/cycles/{cycle}/diplomas/{nomination}.pdf": {api + "/" + x.traena + ".pdf", "",
					[8]int{unauth, notFound, ok, notFound, notFound, notFound, ok, ok}},
				"PUT /api/v1/cycles/{cycle}/diplomas/signature": {api + "/signature", `{"name":"Ola Nordmann","title_nb":"statsråd"}`,
					[8]int{unauth, forbid, forbid, forbid, forbid, forbid, ok, ok}},
			}
		}})
}
