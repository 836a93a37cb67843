package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/heder-awards/heder/internal/browsertest"
)

// TestScoringInBrowser scores in a real browser: the list, the scoring
// screen with its autosave (scoring.js) saying "Lagret …", a refused
// submission, submitting, the jury's work afterwards, and the chair's
// progress board, every page checked with axe-core.
func TestScoringInBrowser(t *testing.T) {
	t.Parallel()
	s := newScoringRun(t)
	b := browsertest.New(t)
	p := nomTab{t: t, a: s.a, tab: b.Tab(t)}
	check := func(key string) {
		t.Helper()
		p.tab.Axe(t)
		p.tab.Screenshot(t, "scoring-"+key)
	}
	p.visit("/auth/login?login_hint=jury-1", http.StatusOK)
	p.visit("/jury/"+s.cycle, http.StatusOK)
	check("list")
	p.visit(s.screen("Bærum"), http.StatusOK)
	check("screen")

	if got := p.tab.Text(t, "#scoring-status"); got != "Ikke startet" {
		t.Errorf("status tag before scoring: %q", got)
	}
	// Picking a score saves it at once, without the button.
	p.tab.Run(t, chromedp.Click(chromedp.CSS(fmt.Sprintf("#score-%d-3", s.crit[0]))))
	deadline := time.Now().Add(10 * time.Second)
	for !strings.HasPrefix(p.tab.Text(t, "#autosave-status"), "Lagret ") {
		if time.Now().After(deadline) {
			t.Fatalf("autosave says %q", p.tab.Text(t, "#autosave-status"))
		}
		time.Sleep(100 * time.Millisecond)
	}
	var sheet struct{ Status string }
	decodeJSON(t, s.do("jury-1", http.MethodGet, "/api/v1/nominations/"+s.nominees["Bærum"]+"/scores", "", http.StatusOK), &sheet)
	if sheet.Status != "draft" {
		t.Fatalf("after autosave: status %q", sheet.Status)
	}
	// The status tag says so too, from the save's answer, without a reload.
	if got := asgEval(t, p.tab, `(() => { const s = document.getElementById("scoring-status"); return s.textContent + " (" + s.dataset.color + ")"; })()`); got != "Utkast (warning)" {
		t.Errorf("status tag after autosave: %q, want Utkast (warning)", got)
	}

	// Submitting with a criterion left: the error summary names it.
	p.submit("#submit", http.StatusUnprocessableEntity)
	if got := p.tab.Text(t, ".ds-error-summary"); !strings.Contains(got, "Gi karakter før du sender inn") {
		t.Errorf("error summary %q", got)
	}
	check("incomplete")
	p.tab.Run(t, chromedp.Click(chromedp.CSS(fmt.Sprintf("#score-%d-2", s.crit[1]))))
	p.set(fmt.Sprintf("#comment-%d", s.crit[1]), "Godt dokumentert.")
	p.submit("#submit", http.StatusOK)
	if got := p.tab.Text(t, "#jury-work-h"); got != "Juryens vurderinger" {
		t.Errorf("after submitting: %q", got)
	}
	check("submitted")

	chair := nomTab{t: t, a: s.a, tab: b.Tab(t)}
	chair.visit("/auth/login?login_hint=jury-chair", http.StatusOK)
	chair.visit("/jury/"+s.cycle+"/fremdrift", http.StatusOK)
	chair.tab.Axe(t)
	chair.tab.Screenshot(t, "scoring-progress")
	// A reminder now, through the outbox, instead of a mailto: link.
	chair.submit("#reminders form button[type=submit]", http.StatusOK)
	if got := chair.tab.Text(t, `main [role="status"]`); !strings.Contains(got, "Påminnelsen er lagt i utboksen") {
		t.Errorf("after reminding: %q", got)
	}
	chair.tab.Axe(t)
	chair.visit("/", http.StatusOK)
	chair.tab.Axe(t)
	chair.tab.Screenshot(t, "scoring-home-chair")
}

func decodeJSON(t *testing.T, body string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
}
