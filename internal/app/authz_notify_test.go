package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/nominations"
	"github.com/heder-awards/heder/internal/notify"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

func init() {
	// The receipt's public ID and a caught mail's ID, made by setup.
	var receipt string
	var mail int64
	authzAreas = append(authzAreas, authzArea{
		name: "notify",
		setup: func(t *testing.T, f *fixture) {
			db := receiptDB(t, f.a)
			receipt = submitForReceipt(t, db, "Kvitteringsprisen", "Asker")
			mail = waitMail(t, db, "kari@asker.kommune.no", receipt)
		},
		rows: func(f *fixture) map[string]authzCase {
			return map[string]authzCase{
				// Asker's members and admins see the receipt; to others it does not exist.
				"GET /nominasjoner/{id}/kvittering": {notify.ReceiptPath(receipt), "", [8]int{see, ok, notFound, notFound, notFound, notFound, ok, ok}},
				// heder dev's caught mail: for any logged-in demo user.
				"GET /dev/e-post":      {"/dev/e-post", "", [8]int{see, ok, ok, ok, ok, ok, ok, ok}},
				"GET /dev/e-post/{id}": {fmt.Sprintf("/dev/e-post/%d", mail), "", [8]int{see, ok, ok, ok, ok, ok, ok, ok}},
			}
		},
	})
}

func receiptDB(t *testing.T, a *apptest.App) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), a.DBURL, 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	return db
}

// submitForReceipt makes a nomination by the named municipalities with
// two projects, in a cycle of an award of its own, and submits it as
// nominations.Service does: submitted_at and the receipt job in one
// transaction. It returns the nomination's public ID.
func submitForReceipt(t *testing.T, db *postgres.DB, award string, nominees ...string) string {
	t.Helper()
	ctx := context.Background()
	slug := strings.ToLower(award)
	var id int64
	var public string
	err := db.NewRaw(`
		WITH a AS (INSERT INTO awards (slug, name_nb, owner_id) VALUES (?, ?, `+demoOwner+`) RETURNING id),
		c AS (INSERT INTO cycles (award_id, year, title, phase, nomination_deadline)
			SELECT id, 2027, ? || ' 2027', 'open', '2027-03-01T22:59:00Z' FROM a RETURNING id)
		INSERT INTO nominations (cycle_id, title, summary) SELECT id, 'Løsningsjakten', 'Samskaping' FROM c RETURNING id, public_id`,
		slug, award, award).Scan(ctx, &id, &public)
	if err != nil {
		t.Fatalf("nomination: %v", err)
	}
	for _, name := range nominees {
		_, err := db.ExecContext(ctx, `INSERT INTO nomination_organisations (nomination_id, organisation_id)
			SELECT ?, id FROM organisations WHERE kind = 'municipality' AND name = ? AND valid_to IS NULL`, id, name)
		if err != nil {
			t.Fatal(err)
		}
	}
	for i, title := range []string{"Holmen svømmehall", "Asker velferdslab"} {
		_, err := db.ExecContext(ctx, `
			WITH p AS (INSERT INTO projects (organisation_id, title)
				SELECT organisation_id, ? FROM nomination_organisations WHERE nomination_id = ? ORDER BY organisation_id LIMIT 1 RETURNING id)
			INSERT INTO nomination_projects (nomination_id, project_id, position) SELECT ?, id, ? FROM p`, title, id, id, i)
		if err != nil {
			t.Fatal(err)
		}
	}
	err = db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE nominations SET status = 'submitted', submitted_at = now() WHERE id = ?`, id); err != nil {
			return err
		}
		return nominations.EnqueueReceipt(ctx, tx, id)
	})
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	return public
}

// waitMail waits until the app's River worker has caught a mail to to
// whose body mentions text, and returns the mail's ID.
func waitMail(t *testing.T, db *postgres.DB, to, text string) int64 {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		var ids []int64
		err := db.NewRaw(`SELECT id FROM caught_mails WHERE recipient = ? AND strpos(text_body, ?) > 0`, to, text).Scan(context.Background(), &ids)
		if err != nil {
			t.Fatal(err)
		}
		if len(ids) > 0 {
			return ids[0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("no mail to %s about %s after 15s", to, text)
		}
		time.Sleep(25 * time.Millisecond)
	}
}
