package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/browsertest"
	"github.com/heder-awards/heder/internal/optout"
)

// TestOptoutPage: the unsubscribe link shows what it does and changes
// nothing until confirmed by POST; a forged link answers 400, an expired
// one 410 and one signed for another purpose 400, each with a clear
// message and nothing changed.
func TestOptoutPage(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	db := receiptDB(t, a)
	c := a.Client(t)
	optedOut := func() int {
		var n int
		if err := db.QueryRowContext(context.Background(), `SELECT count(*) FROM call_optouts`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	valid := optoutToken(t, db, "Træna", time.Now())
	otherPurpose, _ := optout.Sign([]byte(apptest.SessionKey), optout.Claims{Purpose: "jury_invitation", OrganisationID: 1, Expires: time.Now().Add(time.Hour).Unix()})
	for _, tc := range []struct {
		name, token string
		status      int
		text        string
	}{
		{"forged", valid[:len(valid)-3] + "abc", http.StatusBadRequest, "Denne avmeldingslenken er ikke gyldig."},
		{"expired", optoutToken(t, db, "Træna", time.Now().Add(-optout.Lifetime-time.Hour)), http.StatusGone, "Denne avmeldingslenken er utløpt."},
		{"other purpose", otherPurpose, http.StatusBadRequest, "Denne avmeldingslenken er ikke gyldig."},
	} {
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			status, body := a.Do(t, c, method, "/avmelding/"+tc.token, "")
			if status != tc.status || !strings.Contains(body, tc.text) {
				t.Errorf("%s %s: status %d, want %d with %q", tc.name, method, status, tc.status, tc.text)
			}
		}
	}
	status, body := a.Do(t, c, http.MethodGet, "/avmelding/"+valid, "")
	if status != http.StatusOK || !strings.Contains(body, "Etter avmeldingen får ingen i Træna flere e-poster") || optedOut() != 0 {
		t.Fatalf("the link: status %d, %d opted out", status, optedOut())
	}
	status, body = a.Do(t, c, http.MethodPost, "/avmelding/"+valid, "")
	if status != http.StatusOK || !strings.Contains(body, "Træna får ikke flere utlysninger fra Heder") || optedOut() != 1 {
		t.Errorf("confirmed: status %d, %d opted out: %.300s", status, optedOut(), body)
	}
}

// TestOptoutAPI confirms an unsubscribe link through the API: a forged
// one is refused as problem details, a valid one opts the organisation
// out, and confirming again keeps the first record.
func TestOptoutAPI(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	db := receiptDB(t, a)
	c := a.Client(t)
	valid := optoutToken(t, db, "Træna", time.Now())
	status, body := a.Do(t, c, http.MethodPost, "/api/v1/opt-outs/"+valid[:len(valid)-3]+"abc", "")
	if p := decodeProblem(t, body); status != http.StatusUnprocessableEntity || !strings.Contains(p.Detail, "not valid") {
		t.Errorf("forged: %d %+v", status, p)
	}
	var first, again struct {
		Organisation string     `json:"organisation"`
		Email        string     `json:"email"`
		OptedOutAt   *time.Time `json:"opted_out_at"`
	}
	for _, out := range []any{&first, &again} {
		status, body = a.Do(t, c, http.MethodPost, "/api/v1/opt-outs/"+valid, "")
		if err := json.Unmarshal([]byte(body), out); err != nil || status != http.StatusOK {
			t.Fatalf("confirm: %d %v %.300s", status, err, body)
		}
	}
	if !strings.HasPrefix(first.Organisation, "Træna") || first.Email != "postmottak@example.org" ||
		first.OptedOutAt == nil || again.OptedOutAt == nil || !again.OptedOutAt.Equal(*first.OptedOutAt) {
		t.Errorf("opted out: %+v, then %+v", first, again)
	}
}

// TestOptoutInBrowser follows an unsubscribe link without logging in,
// confirms, and then follows a forged one; axe on each state. The
// browser asks for English.
func TestOptoutInBrowser(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	db := receiptDB(t, a)
	token := optoutToken(t, db, "Asker", time.Now())
	b := browsertest.New(t)
	tab := b.Tab(t)
	tab.Navigate(t, a.URL+"/avmelding/"+token)
	reviewText(t, tab, "main h1", "Unsubscribe from calls")
	reviewText(t, tab, "main", "Asker", "postmottak@example.org")
	tab.Axe(t)
	reviewClick(t, tab, "main form button[type=submit]", http.StatusOK)
	reviewText(t, tab, `main [role="status"]`, "Asker gets no more calls from Heder")
	tab.Axe(t)
	tab.Screenshot(t, "optout-done")
	tab.Navigate(t, a.URL+"/avmelding/"+token[:len(token)-4]+"AAAA")
	reviewText(t, tab, `main [role="alert"]`, "This unsubscribe link is not valid.", "Nothing was changed.")
	tab.Axe(t)
}
