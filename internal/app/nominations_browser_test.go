package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/browsertest"
)

// nomTab drives one browser tab through the nomination pages.
type nomTab struct {
	t   *testing.T
	a   *apptest.App
	tab *browsertest.Tab
}

func (p nomTab) timeoutCtx() (context.Context, context.CancelFunc) {
	d := p.tab.Timeout
	if d <= 0 {
		d = browsertest.DefaultTimeout
	}
	return context.WithTimeout(p.tab.Ctx, d)
}

// visit opens path and fails unless the page answers want.
func (p nomTab) visit(path string, want int) {
	p.t.Helper()
	ctx, cancel := p.timeoutCtx()
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(p.a.URL+path))
	if err != nil || resp == nil || int(resp.Status) != want {
		p.t.Fatalf("opening %s: %v (%v), want %d", path, resp, err, want)
	}
}

// submit clicks the button matching selector and fails unless the page it
// leads to (after redirects) answers want.
func (p nomTab) submit(selector string, want int) {
	p.t.Helper()
	ctx, cancel := p.timeoutCtx()
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(selector)))
	if err != nil || resp == nil || int(resp.Status) != want {
		p.t.Fatalf("clicking %s: %v (%v), want %d", selector, resp, err, want)
	}
}

// set gives the field matching selector a value, as typing would.
func (p nomTab) set(selector, value string) {
	p.t.Helper()
	p.tab.Run(p.t, chromedp.WaitVisible(chromedp.CSS(selector)),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).value = %q`, selector, value)))
}

// check runs axe-core on the page and saves a screenshot named key.
func (p nomTab) check(key string) {
	p.t.Helper()
	p.tab.Axe(p.t)
	p.tab.Screenshot(p.t, "nomination-"+key)
}

// TestNominationInBrowser walks a submitter through starting, filling in,
// correcting and submitting a nomination in a real browser, checking every
// page (the error and conflict states included) with axe-core.
func TestNominationInBrowser(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	db := nomDB(t, a)
	cycle := nomCycle(t, db, "nettleser", "now() + interval '10 days'", 1, 3)
	b := browsertest.New(t)
	p := nomTab{t: t, a: a, tab: b.Tab(t)}
	p.visit("/auth/login?login_hint=asker", http.StatusOK)

	p.visit("/sykluser/"+cycle+"/nominasjoner/ny", http.StatusOK)
	p.check("start")
	p.submit(`main form button[type="submit"]`, http.StatusOK)
	if h1 := p.tab.Text(t, "main h1"); h1 != "Nominasjon uten tittel" {
		t.Fatalf("after start: h1 %q", h1)
	}
	p.check("tasks")
	nom := strings.TrimPrefix(p.tab.URL(t), a.URL)

	// Basic facts: a missing title first, then right.
	p.visit(nom+"/fakta", http.StatusOK)
	p.check("facts")
	p.set("#summary", "Asker jobber helhetlig og systematisk med innovasjon.")
	p.submit(`main form button[type="submit"]`, http.StatusUnprocessableEntity)
	if got := p.tab.Text(t, ".ds-error-summary"); !strings.Contains(got, "Må fylles ut") {
		t.Errorf("error summary %q", got)
	}
	p.check("facts-error")
	p.set("#title", "Innovasjon i hele kommunen")
	p.tab.Run(t, chromedp.Click(chromedp.CSS("#challenge-known_tangle")))
	p.submit(`main form button[type="submit"]`, http.StatusOK)

	// A project with a negative number, then corrected.
	p.visit(nom+"/prosjekter/ny", http.StatusOK)
	p.check("project-new")
	p.set("#title", "Løsningsjakten på Borgen")
	p.set("#description", "Innbyggerne fant løsningene for Borgen sammen med kommunen.")
	p.set("#measure-0-label", "deltakere")
	p.set("#measure-0-value", "-783")
	p.set("#period_start", "2016-01-15")
	p.set("#period_end", "2016-06-30")
	p.submit(`#project-form button[type="submit"]`, http.StatusUnprocessableEntity)
	if got := p.tab.Text(t, "#measure-0-value-error"); !strings.Contains(got, "negativt") {
		t.Errorf("measure error %q", got)
	}
	p.check("project-error")
	p.set("#measure-0-value", "783")
	p.set("#measure-1-label", "innspill")
	p.set("#measure-1-value", "458")
	p.submit(`#project-form button[type="submit"]`, http.StatusOK)

	p.visit(nom+"/organisasjoner?q=B%C3%A6rum", http.StatusOK)
	p.check("nominees")
	p.visit(nom+"/kontakt", http.StatusOK)
	p.check("contact")

	// Someone else saves the facts while this person edits them.
	p.visit(nom+"/fakta", http.StatusOK)
	other := nomClient{t: t, a: a, c: a.Login(t, "asker")}
	var v struct{ Version int }
	if err := json.Unmarshal([]byte(other.call(http.MethodGet, "/api/v1/nominations/"+strings.TrimPrefix(nom, "/nominasjoner/"), "", http.StatusOK)), &v); err != nil {
		t.Fatal(err)
	}
	other.call(http.MethodPatch, "/api/v1/nominations/"+strings.TrimPrefix(nom, "/nominasjoner/"),
		fmt.Sprintf(`{"version":%d,"summary":"Et sammendrag skrevet av en kollega."}`, v.Version), http.StatusOK)
	p.set("#summary", "Min egen tekst, som ikke må gå tapt.")
	p.submit(`main form button[type="submit"]`, http.StatusConflict)
	if got := p.tab.Text(t, ".nom-theirs"); !strings.Contains(got, "kollega") {
		t.Errorf("their version %q", got)
	}
	p.check("facts-conflict")
	p.submit(`main form button[type="submit"]`, http.StatusOK)

	p.visit(nom+"/send-inn", http.StatusOK)
	p.check("check")
	p.submit(`main form[action$="/send-inn"] button[type="submit"]`, http.StatusOK)
	if got := p.tab.Text(t, "#confirmation"); !strings.Contains(got, "Nominasjonen er sendt inn") {
		t.Errorf("confirmation %q", got)
	}
	p.check("sent")
	p.visit("/", http.StatusOK)
	p.check("home")
}
