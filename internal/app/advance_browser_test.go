package app_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/heder-awards/heder/internal/browsertest"
)

// TestAdvanceInBrowser: the chair advances nominations from round 1's
// ranking page in a real browser, refused first for a missing reason;
// axe-core checks the form, the refused form and the closed round's
// record.
func TestAdvanceInBrowser(t *testing.T) {
	t.Parallel()
	x := newAdvanceRun(t)
	b := browsertest.New(t)
	p := nomTab{t: t, a: x.a, tab: b.Tab(t)}
	check := func(key string) {
		t.Helper()
		p.tab.Axe(t)
		p.tab.Screenshot(t, "advance-"+key)
	}
	p.visit("/auth/login?login_hint=jury-chair", http.StatusOK)
	p.visit("/jury/"+x.cycle+"/rangering", http.StatusOK)
	check("form")

	p.tab.Run(t, chromedp.Click(chromedp.CSS("#advancing-advance-"+x.baerum)))
	p.submit("#advancing button[type=submit]", http.StatusUnprocessableEntity)
	if got := p.tab.Text(t, ".ds-error-summary"); !strings.Contains(got, "Skriv hvorfor nominasjonen går videre.") {
		t.Errorf("error summary %q", got)
	}
	check("refused")
	p.set("#advancing-advance_reason-"+x.baerum, "Sterk på nytte.")
	p.submit("#advancing button[type=submit]", http.StatusOK)
	if got := p.tab.Text(t, "#advancements"); !strings.Contains(got, "Sterk på nytte.") || !strings.Contains(got, "Jorunn Juryleder") {
		t.Errorf("advancements %q", got)
	}
	check("done")
	p.visit("/jury/"+x.cycle+"/rangering", http.StatusOK)
	check("round-2")
}
