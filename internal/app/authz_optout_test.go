package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/optout"
	"github.com/heder-awards/heder/internal/postgres"
)

func init() {
	var token string
	authzAreas = append(authzAreas, authzArea{name: "optout",
		setup: func(t *testing.T, f *fixture) {
			token = optoutToken(t, receiptDB(t, f.a), "Bodø", time.Now())
		},
		rows: func(*fixture) map[string]authzCase {
			// The link is the permission: whoever holds it, logged in
			// or not, sees what it does and confirms it.
			return map[string]authzCase{
				"GET /avmelding/{token}":        {"/avmelding/" + token, "", [8]int{ok, ok, ok, ok, ok, ok, ok, ok}},
				"POST /avmelding/{token}":       {"/avmelding/" + token, "", [8]int{ok, ok, ok, ok, ok, ok, ok, ok}},
				"POST /api/v1/opt-outs/{token}": {"/api/v1/opt-outs/" + token, "", [8]int{ok, ok, ok, ok, ok, ok, ok, ok}},
			}
		}})
}

// optoutToken signs, as the call job does with the app's key, the
// unsubscribe link of the current organisation named org, as sent at
// instant sent.
func optoutToken(t *testing.T, db *postgres.DB, org string, sent time.Time) string {
	t.Helper()
	var id int64
	if err := db.QueryRowContext(context.Background(), `SELECT id FROM organisations WHERE name = ? AND kind = 'municipality' AND valid_to IS NULL`, org).Scan(&id); err != nil {
		t.Fatalf("organisation %s: %v", org, err)
	}
	token, err := optout.CallToken([]byte(apptest.SessionKey), id, 0, "postmottak@example.org", sent)
	if err != nil {
		t.Fatal(err)
	}
	return token
}
