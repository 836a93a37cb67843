package app_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/heder-awards/heder/internal/postgres"
)

// advanceAuthz is what the advancing rows act on: two cycles of their own
// being judged in three rounds (one for the page, one for the API), each
// chaired by jury-chair with jury-1 on its jury (both declared), with two
// nominations by Bærum kommune (nobody's own).
var advanceAuthz struct {
	page, api advanceAuthzCycle
}

type advanceAuthzCycle struct {
	cycle, first, second string
	round                int64
}

func init() {
	authzAreas = append(authzAreas, authzArea{name: "advancing",
		setup: func(t *testing.T, f *fixture) {
			db := scoringDB(t, f)
			advanceAuthz.page = advanceCycle(t, f, db, "advance-authz-page")
			advanceAuthz.api = advanceCycle(t, f, db, "advance-authz-api")
		},
		rows: func(*fixture) map[string]authzCase {
			p, a := advanceAuthz.page, advanceAuthz.api
			round := func(x advanceAuthzCycle) string { return strconv.FormatInt(x.round, 10) }
			// As deciding: only the chair and the cycle's admins; the
			// cycle's other jurors are told so (403), people without a
			// seat learn nothing (404). The chair's advance closes round
			// 1, so the admins' same request after it finds the round no
			// longer current (409).
			return map[string]authzCase{
				"POST /jury/{cycle}/runder/{round}/videre": {"/jury/" + p.cycle + "/runder/" + round(p) + "/videre",
					"advance-" + p.first + "=true&advance_reason-" + p.first + "=Sterk+p%C3%A5+nytte&next_scoring_deadline=",
					[8]int{see, notFound, notFound, forbid, see, notFound, conflict, conflict}},
				"POST /api/v1/cycles/{cycle}/rounds/{round}/advance": {"/api/v1/cycles/" + a.cycle + "/rounds/" + round(a) + "/advance",
					`{"nominations":[{"id":"` + a.second + `","reason":"Sterk på nytte"}]}`,
					[8]int{unauth, notFound, notFound, forbid, ok, notFound, conflict, conflict}},
				"GET /api/v1/cycles/{cycle}/rounds/{round}/advancements": {"/api/v1/cycles/" + a.cycle + "/rounds/" + round(a) + "/advancements", "",
					[8]int{unauth, notFound, notFound, forbid, ok, notFound, ok, ok}},
			}
		}})
}

// advanceCycle makes a cycle being judged in three rounds (round 2 a
// shortlist without criteria yet, round 3 a ranked vote), seats
// jury-chair and jury-1 and adds two nominations by Bærum; it returns
// them and round 1's ID.
func advanceCycle(t *testing.T, f *fixture, db *postgres.DB, slug string) advanceAuthzCycle {
	t.Helper()
	var x advanceAuthzCycle
	x.cycle, _ = scoringCycle(t, db, slug)
	x.first = scoringNomination(t, db, x.cycle, "Bærum")
	x.second = scoringNomination(t, db, x.cycle, "Bærum")
	scoringSeat(t, db, x.cycle, f.ids["jury-chair"], true)
	scoringSeat(t, db, x.cycle, f.ids["jury-1"], false)
	err := db.NewRaw(`WITH r2 AS (INSERT INTO rounds (cycle_id, position, name_nb) SELECT id, 2, 'Kortliste' FROM cycles WHERE public_id = ?0),
			r3 AS (INSERT INTO rounds (cycle_id, position, kind, name_nb) SELECT id, 3, 'ranked_vote', 'Finale' FROM cycles WHERE public_id = ?0)
		SELECT r.id FROM rounds r JOIN cycles c ON c.id = r.cycle_id WHERE c.public_id = ?0 AND r.position = 1`, x.cycle).Scan(context.Background(), &x.round)
	if err != nil {
		t.Fatalf("rounds of %s: %v", slug, err)
	}
	return x
}
