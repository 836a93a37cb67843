package app_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/heder-awards/heder/internal/postgres"
)

func init() {
	var x struct {
		cycle   string
		ui, api int64 // failed messages, one to retry through each
	}
	authzAreas = append(authzAreas, authzArea{name: "outbox",
		setup: func(t *testing.T, f *fixture) {
			db := receiptDB(t, f.a)
			x.cycle = outboxCycle(t, db, "authz-utboks")
			x.ui = failedMessage(t, db, x.cycle, "authz:ui")
			x.api = failedMessage(t, db, x.cycle, "authz:api")
		},
		rows: func(*fixture) map[string]authzCase {
			// Who was told what, at which address, is for site admins
			// only; nobody else learns whether a message exists.
			admin := func(okStatus int) [8]int {
				return [8]int{see, forbid, forbid, forbid, forbid, forbid, okStatus, okStatus}
			}
			apiAdmin := func(okStatus int) [8]int {
				return [8]int{unauth, forbid, forbid, forbid, forbid, forbid, okStatus, okStatus}
			}
			return map[string]authzCase{
				"GET /admin/sykluser/{cycle}/utboks": {"/admin/sykluser/" + x.cycle + "/utboks", "", admin(ok)},
				"POST /admin/utboks/{id}/prov-igjen": {fmt.Sprintf("/admin/utboks/%d/prov-igjen", x.ui), "", [8]int{see, forbid, forbid, forbid, forbid, forbid, see, conflict}},
				"GET /api/v1/cycles/{cycle}/outbox":  {"/api/v1/cycles/" + x.cycle + "/outbox", "", apiAdmin(ok)},
				"POST /api/v1/outbox/{id}/retry":     {fmt.Sprintf("/api/v1/outbox/%d/retry", x.api), "", [8]int{unauth, forbid, forbid, forbid, forbid, forbid, ok, conflict}},
			}
		}})
}

// outboxCycle makes a cycle of an award of its own and returns its
// public ID.
func outboxCycle(t *testing.T, db *postgres.DB, slug string) string {
	t.Helper()
	var public string
	err := db.NewRaw(`
		WITH a AS (INSERT INTO awards (slug, name_nb, owner_id) VALUES (?, 'Utboksprisen', `+demoOwner+`) RETURNING id)
		INSERT INTO cycles (award_id, year, title, phase, nomination_deadline)
			SELECT id, 2027, 'Utboksprisen 2027', 'open', '2027-03-01T22:59:00Z' FROM a RETURNING public_id`, slug).Scan(context.Background(), &public)
	if err != nil {
		t.Fatalf("outbox cycle: %v", err)
	}
	return public
}

// failedMessage records a message to Bo in cycle that the mail server
// refused for good, as the sending job leaves it, and returns its ID.
func failedMessage(t *testing.T, db *postgres.DB, cycle, key string) int64 {
	t.Helper()
	var id int64
	err := db.NewRaw(`
		INSERT INTO outbox_messages (cycle_id, kind, email, language, data, subject, state, attempts, last_error, dedupe_key)
		SELECT id, 'ineligible', 'bo@baerum.kommune.no', 'nb',
			'{"nomination_title":"Løsningsjakten","cycle_title":"Utboksprisen 2027","reason":"For sent","organisation":"Bærum kommune"}',
			'«Løsningsjakten» er vurdert som ikke kvalifisert', 'failed', 1, '550 5.1.1 no such user', ?
		FROM cycles WHERE public_id = ? RETURNING id`, key, cycle).Scan(context.Background(), &id)
	if err != nil {
		t.Fatalf("failed message: %v", err)
	}
	return id
}
