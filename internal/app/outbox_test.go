package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/postgres"
)

// outboxItem is the part of an outbox message the tests read.
type outboxItem struct {
	ID           apiID
	Kind         string
	Email        string
	Organisation string
	Language     string
	Subject      string
	State        string
	Attempts     int
	LastError    string `json:"last_error"`
}

// ineligibleWithNotices makes a nomination by Asker (bokmål) and Træna
// (here nynorsk) in a cycle of its own, submits it and marks it ineligible
// through the API; it returns the cycle's public ID.
func ineligibleWithNotices(t *testing.T, a *apptest.App, db *postgres.DB, award string) string {
	t.Helper()
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `UPDATE organisations SET language = 'nn' WHERE kind = 'municipality' AND name = 'Træna' AND valid_to IS NULL`); err != nil {
		t.Fatal(err)
	}
	nomination := submitForReceipt(t, db, award, "Asker", "Træna")
	admin := a.Login(t, "admin")
	if status, body := a.Do(t, admin, http.MethodPost, "/api/v1/nominations/"+nomination+"/ineligible",
		`{"ineligible":true,"reason":"Tiltaket er ikke i drift ennå."}`); status != http.StatusOK {
		t.Fatalf("mark ineligible: %d %s", status, body)
	}
	var cycle string
	if err := db.QueryRowContext(ctx, `SELECT c.public_id FROM nominations n JOIN cycles c ON c.id = n.cycle_id WHERE n.public_id = ?`, nomination).
		Scan(&cycle); err != nil {
		t.Fatal(err)
	}
	return cycle
}

// waitOutboxAPI reads the cycle's outbox through the API until every
// message is in state.
func waitOutboxAPI(t *testing.T, a *apptest.App, admin *http.Client, cycle, state string) []outboxItem {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		status, body := a.Do(t, admin, http.MethodGet, "/api/v1/cycles/"+cycle+"/outbox", "")
		var out struct{ Items []outboxItem }
		if err := json.Unmarshal([]byte(body), &out); status != http.StatusOK || err != nil {
			t.Fatalf("outbox: %d %v %s", status, err, body)
		}
		done := len(out.Items) > 0
		for _, m := range out.Items {
			done = done && m.State == state
		}
		if done {
			return out.Items
		}
		if time.Now().After(deadline) {
			t.Fatalf("outbox not all %s after 20s: %+v", state, out.Items)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestOutboxThroughAPI: marking a nomination ineligible through the API
// sends each nominee member one notice in the organisation's written
// form, listed on the cycle's outbox; a failed message is retried once
// through the API, a sent one cannot be.
func TestOutboxThroughAPI(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a := apptest.Start(t)
	db := receiptDB(t, a)
	admin := a.Login(t, "admin")
	cycle := ineligibleWithNotices(t, a, db, "Utboksprisen")
	items := waitOutboxAPI(t, a, admin, cycle, "sent")
	got := map[string]string{}
	for _, m := range items {
		got[m.Email] = m.Language + " " + m.Subject
		if m.Kind != "ineligible" || m.Attempts != 1 {
			t.Errorf("%+v", m)
		}
	}
	want := map[string]string{
		"kari@asker.kommune.no":  "nb «Løsningsjakten» er vurdert som ikke kvalifisert",
		"tore@traena.kommune.no": "nn «Løsningsjakten» er vurdert som ikkje kvalifisert",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("outbox (-want +got):\n%s", diff)
	}
	time.Sleep(300 * time.Millisecond) // a second send would show by now
	for to := range want {
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM caught_mails WHERE recipient = ? AND strpos(text_body, 'Tiltaket er ikke i drift ennå.') > 0`, to).
			Scan(&n); err != nil || n != 1 {
			t.Errorf("%s got %d notices (%v), want 1", to, n, err)
		}
	}
	if status, body := a.Do(t, admin, http.MethodPost, fmt.Sprintf("/api/v1/outbox/%d/retry", items[0].ID), ""); status != http.StatusConflict {
		t.Errorf("retry of a sent message: %d %s", status, body)
	}
	failed := failedMessage(t, db, cycle, "api:failed")
	status, body := a.Do(t, admin, http.MethodPost, fmt.Sprintf("/api/v1/outbox/%d/retry", failed), "")
	var m outboxItem
	if err := json.Unmarshal([]byte(body), &m); status != http.StatusOK || err != nil || m.State != "queued" || m.LastError == "" {
		t.Fatalf("retry: %d %v %s", status, err, body)
	}
	waitOutboxAPI(t, a, admin, cycle, "sent")
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM caught_mails WHERE recipient = 'bo@baerum.kommune.no'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("the retried message was caught %d times (%v), want 1", n, err)
	}
}
