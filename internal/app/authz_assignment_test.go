package app_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/heder-awards/heder/internal/postgres"
)

// asgAuthz is what the assignment rows act on: a cycle of its own being
// judged in automatic mode, with one submitted nomination by Asker,
// jury-chair chairing it (declared) and jury-1 on it.
var asgAuthz struct {
	cycle, nomination string
	chair, juror1     int64
}

func init() {
	authzAreas = append(authzAreas, authzArea{name: "assignment",
		setup: func(t *testing.T, f *fixture) {
			x := &asgAuthz
			db := nomDB(t, f.a)
			x.cycle, x.nomination = asgCycle(t, db, "assignment-authz", "Asker")
			x.chair = asgSeat(t, db, x.cycle, f.ids["jury-chair"], true)
			x.juror1 = asgSeat(t, db, x.cycle, f.ids["jury-1"], false)
		},
		rows: func(*fixture) map[string]authzCase {
			x := asgAuthz
			page := "/admin/sykluser/" + x.cycle + "/fordeling"
			api := "/api/v1/cycles/" + x.cycle + "/assignments"
			// Admins see and change; the chair sees; other jurors and
			// people who know the (public) cycle are refused.
			return map[string]authzCase{
				"GET /admin/sykluser/{cycle}/fordeling": {page, "", [8]int{see, forbid, forbid, forbid, ok, forbid, ok, ok}},
				"POST /admin/sykluser/{cycle}/fordeling": {page, fmt.Sprintf("c-%d-%s-auto=excluded", x.chair, x.nomination),
					[8]int{see, forbid, forbid, forbid, forbid, forbid, see, see}},
				"POST /admin/sykluser/{cycle}/fordeling/modus": {page + "/modus", "mode=auto&k=1",
					[8]int{see, forbid, forbid, forbid, forbid, forbid, see, see}},
				"POST /admin/sykluser/{cycle}/fordeling/auto": {page + "/auto", "", [8]int{see, forbid, forbid, forbid, forbid, forbid, see, see}},
				"GET /api/v1/cycles/{cycle}/assignments":      {api, "", [8]int{unauth, forbid, forbid, forbid, ok, forbid, ok, ok}},
				"PUT /api/v1/cycles/{cycle}/assignments": {api, fmt.Sprintf(`{"cells":[{"juror_id":"%d","nomination_id":%q,"state":"assigned"}]}`, x.juror1, x.nomination),
					[8]int{unauth, forbid, forbid, forbid, forbid, forbid, ok, ok}},
				"POST /api/v1/cycles/{cycle}/assignments/auto": {api + "/auto", `{"k":1}`, [8]int{unauth, forbid, forbid, forbid, forbid, forbid, ok, ok}},
				"PUT /api/v1/cycles/{cycle}/assignments/mode": {api + "/mode", `{"mode":"auto","k":1,"spread_counties":true}`,
					[8]int{unauth, forbid, forbid, forbid, forbid, forbid, ok, ok}},
			}
		}})
}

// asgCycle makes an award of its own with a cycle being judged in
// automatic mode and one submitted nomination per nominee (municipality
// names); it returns the cycle's and the last nomination's public IDs.
func asgCycle(t *testing.T, db *postgres.DB, slug string, nominees ...string) (cycle, nomination string) {
	t.Helper()
	ctx := context.Background()
	var id int64
	err := db.NewRaw(`
		WITH a AS (INSERT INTO awards (slug, name_nb, owner_id) VALUES (?, ?, `+demoOwner+`) RETURNING id)
		INSERT INTO cycles (award_id, year, title, phase, assignment_mode, jurors_per_nomination)
		SELECT id, 2027, ?, 'judging', 'auto', 1 FROM a RETURNING id, public_id`,
		slug, "Pris "+slug, "Innovasjonsprisen "+slug).Scan(ctx, &id, &cycle)
	if err != nil {
		t.Fatalf("assignment cycle: %v", err)
	}
	for _, name := range nominees {
		err := db.NewRaw(`
			WITH n AS (INSERT INTO nominations (cycle_id, title, status, submitted_at) VALUES (?, ?, 'submitted', now()) RETURNING id, public_id),
			o AS (INSERT INTO nomination_organisations (nomination_id, organisation_id)
				SELECT n.id, o.id FROM n, organisations o WHERE o.kind = 'municipality' AND o.name = ? AND o.valid_to IS NULL)
			SELECT public_id FROM n`, id, "Innovasjon i "+name, name).Scan(ctx, &nomination)
		if err != nil {
			t.Fatalf("nomination by %s: %v", name, err)
		}
	}
	return cycle, nomination
}

// asgSeat seats user on the cycle's jury, declared about every nominee,
// and returns the seat's ID.
func asgSeat(t *testing.T, db *postgres.DB, cycle string, user int64, chair bool) int64 {
	t.Helper()
	ctx := context.Background()
	var id int64
	err := db.NewRaw(`INSERT INTO jurors (cycle_id, user_id, chair, declared_at) SELECT id, ?, ?, now() FROM cycles WHERE public_id = ? RETURNING id`,
		user, chair, cycle).Scan(ctx, &id)
	if err != nil {
		t.Fatalf("seat juror: %v", err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO conflict_reviews (juror_id, organisation_id)
		SELECT ?, no.organisation_id FROM nomination_organisations no JOIN nominations n ON n.id = no.nomination_id
		JOIN cycles c ON c.id = n.cycle_id WHERE c.public_id = ?`, id, cycle); err != nil {
		t.Fatalf("declare: %v", err)
	}
	return id
}
