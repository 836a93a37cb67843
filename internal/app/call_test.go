package app_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/apptest"
)

// TestCallThroughApp: an admin opens a call on the cycle page; every
// member with an address of every current municipality gets the
// announcement once, Træna's in nynorsk with the nynorsk call text; the
// cycle's outbox lists them; and Tore's unsubscribe link, followed
// without logging in and confirmed, opts Træna out, recording him.
func TestCallThroughApp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a := apptest.Start(t)
	db := receiptDB(t, a)
	admin := a.Login(t, "admin")
	if _, err := db.ExecContext(ctx, `UPDATE organisations SET language = 'nn' WHERE kind = 'municipality' AND name = 'Træna' AND valid_to IS NULL`); err != nil {
		t.Fatal(err)
	}
	var cycle string
	if err := db.QueryRowContext(ctx, `
		WITH a AS (INSERT INTO awards (slug, name_nb) VALUES ('utlysningsprisen', 'Utlysningsprisen') RETURNING id)
		INSERT INTO cycles (award_id, year, title, phase, call_text, call_text_nn, nomination_deadline)
		SELECT id, 2031, 'Utlysningsprisen 2031', 'draft', 'Kommunene inviteres til å nominere.', 'Kommunane blir inviterte til å nominere.',
			'2031-03-01T22:59:00Z' FROM a RETURNING public_id`).Scan(&cycle); err != nil {
		t.Fatal(err)
	}
	var want int
	if err := db.QueryRowContext(ctx, `
		SELECT count(DISTINCT lower(u.email)) FROM organisations o JOIN memberships m ON m.organisation_id = o.id JOIN users u ON u.id = m.user_id
		WHERE o.kind = 'municipality' AND o.valid_to IS NULL AND u.email <> ''`).Scan(&want); err != nil || want < 2 {
		t.Fatalf("%d eligible addresses (%v)", want, err)
	}
	// The confirmation says whom the call will reach.
	if status, body := a.Do(t, admin, http.MethodGet, "/admin/sykluser/"+cycle+"/fase?til=open", ""); status != http.StatusOK ||
		!strings.Contains(body, fmt.Sprintf("Når utlysningen åpner, får %d e-postadresser", want)) {
		t.Errorf("the confirmation: %d, lacks the %d addresses", status, want)
	}
	if status, body := a.Do(t, admin, http.MethodPost, "/admin/sykluser/"+cycle+"/fase", "to=open"); status != http.StatusSeeOther {
		t.Fatalf("open the call: %d %.300s", status, body)
	}
	items := waitOutboxAPI(t, a, admin, cycle, "sent")
	if len(items) != want {
		t.Errorf("%d messages, want %d", len(items), want)
	}
	for _, m := range items {
		if m.Kind != "call" {
			t.Errorf("message to %s is %s", m.Email, m.Kind)
		}
		if m.Email == "tore@traena.kommune.no" && (m.Language != "nn" || m.Subject != "Utlysningsprisen 2031 er open for nominasjonar") {
			t.Errorf("Tore's: %+v", m)
		}
	}
	if status, body := a.Do(t, admin, http.MethodGet, "/admin/sykluser/"+cycle+"/utboks", ""); status != http.StatusOK ||
		!strings.Contains(body, "Utlysning") || !strings.Contains(body, "tore@traena.kommune.no") {
		t.Errorf("outbox page: %d", status)
	}

	var text string
	if err := db.QueryRowContext(ctx, `SELECT text_body FROM caught_mails WHERE recipient = 'tore@traena.kommune.no' AND subject LIKE 'Utlysningsprisen 2031%'`).
		Scan(&text); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "Kommunane blir inviterte til å nominere.") {
		t.Errorf("Tore's mail lacks the nynorsk call text:\n%s", text)
	}
	link := regexp.MustCompile(`/avmelding/\S+`).FindString(text)
	anon := a.Client(t)
	if status, body := a.Do(t, anon, http.MethodGet, link, ""); status != http.StatusOK || !strings.Contains(body, "Træna") {
		t.Fatalf("the link: %d %q", status, link)
	}
	if status, _ := a.Do(t, anon, http.MethodPost, link, ""); status != http.StatusOK {
		t.Fatalf("confirm: %d", status)
	}
	var who string
	if err := db.QueryRowContext(ctx, `SELECT u.email FROM call_optouts co JOIN organisations o ON o.id = co.organisation_id JOIN users u ON u.id = co.user_id
		WHERE o.name = 'Træna'`).Scan(&who); err != nil || who != "tore@traena.kommune.no" {
		t.Errorf("Træna's opt-out recorded by %q (%v)", who, err)
	}
}
