package app_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/browsertest"
)

// TestAuditLogInBrowser reads the audit log as a site admin in a browser:
// from the admin page to the log, filtered by a cycle, then by one
// nomination from its entry, a refused time range, and the next page,
// with axe on every state of the page.
func TestAuditLogInBrowser(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	db := nomDB(t, a)
	kari := nomClient{t: t, a: a, c: a.Login(t, "asker")}
	cycle := nomCycle(t, db, "logg-nettleser", "now() + interval '30 days'", 0, 3)
	nom := kari.complete(cycle)
	v := kari.get(nom)
	kari.call(http.MethodPatch, "/api/v1/nominations/"+nom, fmt.Sprintf(`{"version":%d,"title":"Innovasjon i hele Asker","contact_email":"kari.nordmann@asker.kommune.no"}`, v.Version), http.StatusOK)
	kari.call(http.MethodPost, "/api/v1/nominations/"+nom+"/submit", "", http.StatusOK)

	b := browsertest.New(t)
	tab := b.Tab(t)
	tab.Navigate(t, a.URL+"/auth/login?login_hint=admin")
	tab.Navigate(t, a.URL+"/admin")
	reviewClick(t, tab, `main a[href="/admin/logg"]`, http.StatusOK)
	reviewText(t, tab, "main h1", "Endringslogg")
	tab.Axe(t)
	tab.Screenshot(t, "audit-all")

	// The cycle's entries: Kari's changes to her nomination, newest first.
	tab.Run(t, chromedp.SetValue(chromedp.CSS("#filter-cycle"), cycle))
	reviewClick(t, tab, `form[role="search"] button[type="submit"]`, http.StatusOK)
	reviewText(t, tab, "main table", "Sendte inn", "Endret", "Koblet til et prosjekt", "Innovasjon i hele Asker", "kari.nordmann@asker.kommune.no")
	reviewText(t, tab, "main table tbody tr:first-child", "Sendte inn", "Status", "Utkast", "Sendt inn")
	// Fields in words, the form's labels, not their names.
	reviewText(t, tab, "main table", "E-postadresse", "Tittel")
	if got := asgEval(t, tab, `[...document.querySelectorAll("main table code")].map(c => c.textContent).join(" ")`); got != "" {
		t.Errorf("fields shown by their names: %s", got)
	}
	tab.Axe(t)
	tab.Screenshot(t, "audit-cycle")

	// One nomination, from its entry.
	reviewClick(t, tab, `main table a.audit-only`, http.StatusOK)
	if got := tab.URL(t); got != a.URL+"/admin/logg?nomination="+nom {
		t.Errorf("url = %s", got)
	}
	reviewText(t, tab, "#filter-nomination-hint", "/nominasjoner/")

	// A time range the wrong way round: told next to the field.
	tab.Run(t, chromedp.SetValue(chromedp.CSS("#filter-from"), "2026-12-07"), chromedp.SetValue(chromedp.CSS("#filter-to"), "2026-12-01"))
	reviewClick(t, tab, `form[role="search"] button[type="submit"]`, http.StatusUnprocessableEntity)
	reviewText(t, tab, "#error-summary", "Til-datoen må være samme dag som fra-datoen eller senere")
	reviewText(t, tab, "#filter-to-error", "Til-datoen må være")
	tab.Axe(t)
	tab.Screenshot(t, "audit-bad-range")

	// Sixty more entries: the next page, and back to the newest.
	if _, err := db.ExecContext(context.Background(), `INSERT INTO audit_log (action, entity, entity_id, before, after)
		SELECT 'update', 'nomination', n.id, jsonb_build_object('title', 'v' || (g - 1)), jsonb_build_object('title', 'v' || g)
		FROM nominations n, generate_series(1, 60) g WHERE n.public_id = ?`, nom); err != nil {
		t.Fatal(err)
	}
	tab.Navigate(t, a.URL+"/admin/logg?nomination="+nom)
	reviewText(t, tab, "main table tbody tr:first-child", "Heder", "v59", "v60")
	reviewClick(t, tab, `a[rel="next"]`, http.StatusOK)
	reviewText(t, tab, "main table", "Opprettet", "Prosjekt: Asker velferdslab", "Kari Nordmann")
	reviewText(t, tab, "nav.review-pages", "Til de nyeste")
	tab.Axe(t)
	tab.Screenshot(t, "audit-page-2")
}
