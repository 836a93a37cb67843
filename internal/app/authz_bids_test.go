package app_test

import (
	"context"
	"fmt"
	"testing"
)

// bidAuthz is what the bid rows act on: a closed cycle of its own in
// automatic mode, so that bidding is open, with jury-1 and jury-chair
// seated and declared.
var bidAuthz struct{ cycle, nomination string }

func init() {
	authzAreas = append(authzAreas, authzArea{name: "bids",
		setup: func(t *testing.T, f *fixture) {
			x := &bidAuthz
			db := nomDB(t, f.a)
			x.cycle, x.nomination = asgCycle(t, db, "bids-authz", "Asker")
			if _, err := db.ExecContext(context.Background(), `UPDATE cycles SET phase = 'closed' WHERE public_id = ?`, x.cycle); err != nil {
				t.Fatal(err)
			}
			asgSeat(t, db, x.cycle, f.ids["jury-chair"], true)
			asgSeat(t, db, x.cycle, f.ids["jury-1"], false)
		},
		rows: func(*fixture) map[string]authzCase {
			x := bidAuthz
			page := "/jury/" + x.cycle + "/onsker"
			api := "/api/v1/cycles/" + x.cycle + "/bids"
			// Only the cycle's jurors bid, each their own; admins of
			// every kind are refused like everyone else without a seat.
			return map[string]authzCase{
				"GET /jury/{cycle}/onsker":        {page, "", [8]int{see, forbid, forbid, ok, ok, forbid, forbid, forbid}},
				"POST /jury/{cycle}/onsker":       {page, "bid_" + x.nomination + "=eager", [8]int{see, forbid, forbid, see, see, forbid, forbid, forbid}},
				"GET /api/v1/cycles/{cycle}/bids": {api, "", [8]int{unauth, forbid, forbid, ok, ok, forbid, forbid, forbid}},
				"PUT /api/v1/cycles/{cycle}/bids": {api, fmt.Sprintf(`{"bids":[{"nomination_id":%q,"bid":"not_wanted"}]}`, x.nomination),
					[8]int{unauth, forbid, forbid, ok, ok, forbid, forbid, forbid}},
			}
		}})
}
