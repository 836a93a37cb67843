package app_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/browsertest"
)

// TestOutboxInBrowser walks a site admin from the cycle page to its
// outbox after a nomination was marked ineligible: the notices sent in
// bokmål and nynorsk, then a message the mail server refused for good,
// sent again with the retry button; axe on every state of the page.
func TestOutboxInBrowser(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	db := receiptDB(t, a)
	admin := a.Login(t, "admin")
	cycle := ineligibleWithNotices(t, a, db, "Nettleserprisen")
	waitOutboxAPI(t, a, admin, cycle, "sent")
	failedMessage(t, db, cycle, "browser:failed")

	b := browsertest.New(t)
	tab := b.Tab(t)
	tab.Navigate(t, a.URL+"/auth/login?login_hint=admin")
	tab.Navigate(t, a.URL+"/admin/sykluser/"+cycle)
	reviewClick(t, tab, `main a[href$="/utboks"]`, http.StatusOK)
	reviewText(t, tab, "main h1", "Utboks for Nettleserprisen 2027")
	reviewText(t, tab, "main table", "kari@asker.kommune.no", "tore@traena.kommune.no", "Ikke kvalifisert",
		"«Løsningsjakten» er vurdert som ikke kvalifisert", "«Løsningsjakten» er vurdert som ikkje kvalifisert",
		"bokmål", "nynorsk", "Sendt", "Feilet", "550 5.1.1 no such user")
	tab.Axe(t)
	tab.Screenshot(t, "outbox-failed")

	reviewClick(t, tab, "main table form button[type=submit]", http.StatusOK)
	reviewText(t, tab, `main [role="status"]`, "Meldingen er lagt i kø for å sendes på nytt.")
	tab.Axe(t)
	waitOutboxAPI(t, a, admin, cycle, "sent")
	tab.Navigate(t, a.URL+"/admin/sykluser/"+cycle+"/utboks")
	if got := tab.Text(t, "main table"); !strings.Contains(got, "bo@baerum.kommune.no") || strings.Contains(got, "Feilet") {
		t.Errorf("after the retry: %q", got)
	}
	tab.Axe(t)
	tab.Screenshot(t, "outbox-retried")
}
