package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/browsertest"
)

// TestPublicationInBrowser checks the publication pages with axe-core:
// the schedule with a refused form, the confirmation, the preview, and
// the submitter's nomination page with the outcome and the feedback.
func TestPublicationInBrowser(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	f := pubCycle(t, pubDB(t, a), "pub-browser", true)
	admin := a.Login(t, "admin")
	at := time.Now().Add(30 * time.Hour).Format(time.RFC3339)
	if status, body := a.Do(t, admin, http.MethodPost, "/api/v1/cycles/"+f.cycle+"/announcements",
		fmt.Sprintf(`{"kind":"finalists","publish_at":%q}`, at)); status != http.StatusCreated {
		t.Fatalf("schedule: %d %s", status, body)
	}

	b := browsertest.New(t)
	tab := b.Tab(t)
	tab.Navigate(t, a.URL+"/auth/login?login_hint=admin")
	page := a.URL + "/admin/sykluser/" + f.cycle + "/publisering"
	check := func(name string) {
		t.Helper()
		if got := tab.Text(t, "main h1"); got == "" || strings.Contains(got, "ikke funnet") {
			t.Fatalf("%s: h1 %q", name, got)
		}
		tab.Axe(t)
		tab.Screenshot(t, "publication-"+name)
	}
	tab.Navigate(t, page)
	check("schedule")
	// The winners' form sent empty: the error summary and the field's
	// message, focused.
	pubClick(t, tab, `#schedule-winners button[type="submit"]`, http.StatusUnprocessableEntity)
	if got := tab.Text(t, "#error-summary"); !strings.Contains(got, "Skriv inn tidspunktet") {
		t.Errorf("error summary: %q", got)
	}
	check("refused")
	tab.Navigate(t, page+"/publiser-na?type=finalists")
	check("confirm")
	pubClick(t, tab, `form[action$="/publiser-na"] button[type="submit"]`, http.StatusOK)
	tab.Navigate(t, page+"/publiser-na?type=winners")
	check("confirm-winners")
	pubClick(t, tab, `form[action$="/publiser-na"] button[type="submit"]`, http.StatusOK)
	if got := tab.Text(t, "#winners-status"); !strings.Contains(got, "Publisert") {
		t.Errorf("winners' status: %q", got)
	}
	check("published")
	tab.Navigate(t, page+"/forhandsvisning?tid="+url.QueryEscape(time.Now().Add(time.Minute).Format(time.RFC3339)))
	check("preview")

	tab.Navigate(t, a.URL+"/auth/login?login_hint=asker")
	tab.Navigate(t, a.URL+"/nominasjoner/"+f.asker)
	if got := tab.Text(t, "#feedback"); !strings.Contains(got, pubFeedback) {
		t.Errorf("feedback on Asker's page: %q", got)
	}
	check("nomination")
}

// pubClick clicks selector and waits for the page it leads to (after
// redirects), which must answer want.
func pubClick(t *testing.T, tab *browsertest.Tab, selector string, want int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab.Ctx, 30*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(selector)))
	if err != nil || resp == nil || int(resp.Status) != want {
		t.Fatalf("clicking %s: %v %v, want status %d", selector, resp, err, want)
	}
}
