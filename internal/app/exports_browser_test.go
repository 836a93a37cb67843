package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/browsertest"
)

// TestAdminNominationListInBrowser walks the admin's list of the demo
// prize's nominations in judging in a browser, from the cycle page: filter by a county,
// search, a refused and an accepted eligibility decision, with axe on
// every state of the page.
func TestAdminNominationListInBrowser(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	cycle := demoPrizeCycles(t, a, a.Login(t, "admin"))["judging"]
	if cycle == "" {
		t.Fatal("no demo prize cycle in judging")
	}

	b := browsertest.New(t)
	tab := b.Tab(t)
	tab.Navigate(t, a.URL+"/auth/login?login_hint=admin")
	tab.Navigate(t, a.URL+"/admin/sykluser/"+cycle)
	reviewClick(t, tab, `main a[href$="/nominasjoner"]`, http.StatusOK)
	reviewText(t, tab, "main h1", "Nominasjoner i Demoprisen")
	reviewText(t, tab, "main table", "Bodø", "Lillestrøm", "Kristiansand", "Tromsø", "Sendt inn")
	tab.Axe(t)
	tab.Screenshot(t, "exports-list")

	// Filter by Nordland: Bodø; then search within it.
	tab.Run(t, chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector('#filter-county');
		s.value = [...s.options].find(o => o.text.startsWith('Nordland')).value; })()`))
	reviewClick(t, tab, `form[role="search"] button[type="submit"]`, http.StatusOK)
	reviewText(t, tab, "#results-count", "1 nominasjon passer.")
	reviewText(t, tab, "main table", "Bodø")
	tab.Run(t, chromedp.SendKeys(chromedp.CSS("#filter-q"), "vaktsentralen"))
	reviewClick(t, tab, `form[role="search"] button[type="submit"]`, http.StatusOK)
	reviewText(t, tab, "#results-count", "1 nominasjon passer.")
	reviewText(t, tab, "main table mark", "vaktsentral")
	tab.Axe(t)
	tab.Screenshot(t, "exports-search")

	// Tromsø's nomination: no reason first, then one.
	tab.Navigate(t, a.URL+"/admin/sykluser/"+cycle+"/nominasjoner?q=helsestasjon")
	tab.Run(t, chromedp.Click(chromedp.CSS("details.review-eligibility summary")))
	reviewClick(t, tab, "details.review-eligibility button[type=submit]", http.StatusUnprocessableEntity)
	reviewText(t, tab, "#error-summary", "Skriv hvorfor nominasjonen ikke er kvalifisert")
	tab.Axe(t)
	tab.Screenshot(t, "exports-reason-missing")
	tab.Run(t, chromedp.SendKeys(chromedp.CSS("details.review-eligibility textarea"), "Søknaden kom etter fristen."))
	reviewClick(t, tab, "details.review-eligibility button[type=submit]", http.StatusOK)
	reviewText(t, tab, `main [role="status"]`, "Nominasjonen er merket som ikke kvalifisert")
	reviewText(t, tab, "main table", "Ikke kvalifisert", "Søknaden kom etter fristen.")
	if u := tab.URL(t); !strings.Contains(u, "q=helsestasjon") {
		t.Errorf("after marking, at %s: want the same search", u)
	}
	tab.Axe(t)
}

// reviewClick clicks the element matching the CSS selector, waits for the
// page it loads and checks its status.
func reviewClick(t *testing.T, tab *browsertest.Tab, selector string, want int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab.Ctx, 30*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(selector)))
	if err != nil || resp == nil || int(resp.Status) != want {
		t.Fatalf("clicking %s: %v %v, want status %d", selector, resp, err, want)
	}
}

func reviewText(t *testing.T, tab *browsertest.Tab, selector string, wants ...string) {
	t.Helper()
	got := tab.Text(t, selector)
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%s: %q lacks %q", selector, got, w)
		}
	}
}
