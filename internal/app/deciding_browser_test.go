package app_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/heder-awards/heder/internal/browsertest"
)

// TestDecidingInBrowser opens the chair's pages in a real browser and
// checks each with axe-core: the ranking (with its strip plots as images),
// a nomination's scores, a refused and an accepted decision, the feedback
// list and page, and the printable report.
func TestDecidingInBrowser(t *testing.T) {
	t.Parallel()
	x := newDecidingRun(t)
	b := browsertest.New(t)
	p := nomTab{t: t, a: x.a, tab: b.Tab(t)}
	check := func(key string) {
		t.Helper()
		p.tab.Axe(t)
		p.tab.Screenshot(t, "deciding-"+key)
	}
	page := "/jury/" + x.cycle + "/"
	p.visit("/auth/login?login_hint=jury-chair", http.StatusOK)
	p.visit(page+"rangering", http.StatusOK)
	check("ranking")
	p.visit(page+"rangering?uenighet=1&sorter=raa", http.StatusOK)
	check("ranking-filtered")
	p.visit(page+"rangering/"+x.horten, http.StatusOK)
	check("row")

	p.visit(page+"beslutning", http.StatusOK)
	p.set("#decision-outcome-"+x.baerum, "winner")
	p.submit("#decision button[type=submit]", http.StatusUnprocessableEntity)
	if got := p.tab.Text(t, ".ds-error-summary"); !strings.Contains(got, "Skriv juryens begrunnelse") {
		t.Errorf("error summary %q", got)
	}
	check("decision-refused")
	p.set("#decision-statement_nb-"+x.baerum, "Bærum bygger for alle.")
	p.submit("#decision button[type=submit]", http.StatusOK)
	if got := p.tab.Text(t, "#decisions"); !strings.Contains(got, "Bærum bygger for alle.") {
		t.Errorf("recorded decisions %q", got)
	}
	check("decision")

	p.visit(page+"tilbakemeldinger", http.StatusOK)
	check("feedback-list")
	p.visit(page+"tilbakemeldinger/"+x.horten, http.StatusOK)
	p.submit("form[action$=fra-kommentarer] button", http.StatusOK)
	ctx, cancel := p.timeoutCtx()
	got, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#feedback-body")))
	cancel()
	if err != nil || !strings.Contains(got, "Lite nytt her.") || strings.Contains(got, "JJ") {
		t.Errorf("feedback drafted as %q (%v)", got, err)
	}
	check("feedback")
	p.visit(page+"rapport", http.StatusOK)
	check("report")
}
