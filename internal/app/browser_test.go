package app_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/browsertest"
)

// journeyAcceptLanguage is what a Norwegian visitor's browser asks for.
// Headless Chromium would otherwise ask for en-US, and get English pages.
const journeyAcceptLanguage = "nb-NO,nb;q=0.9,no;q=0.8,nn;q=0.7,en;q=0.5"

// journeyUser is what the home page should say about a demo user.
type journeyUser struct {
	user  string
	name  string
	roles []string // Norwegian role names, in the order shown
	orgs  []string // organisations on the home page
	jury  bool     // sits on the demo cycle's jury
}

var journeyUsers = []journeyUser{
	{user: "admin", name: "Astrid Admin", roles: []string{"Administrator", "Innsender"}, orgs: []string{"Kommunal- og distriktsdepartementet"}},
	{user: "asker", name: "Kari Asker", roles: []string{"Innsender"}, orgs: []string{"Asker"}},
	{user: "traena", name: "Tore Træna", roles: []string{"Innsender"}, orgs: []string{"Træna"}},
	{user: "jury-chair", name: "Jorunn Juryleder", roles: []string{"Jurymedlem", "Juryleder"}, jury: true},
	{user: "jury-1", name: "Jon Jurymedlem", roles: []string{"Jurymedlem"}, jury: true},
	{user: "jury-2", name: "Jenny Jurymedlem", roles: []string{"Jurymedlem"}, jury: true},
}

// TestBrowserJourneys walks through Heder in headless Chromium as its people
// do: an anonymous visitor (home, about, a missing page, the language
// switch), every demo user logging in through the development provider's
// picker and out again, an administrator making a mistake in an
// organisation's settings, a request for access that an administrator
// approves, and a few pages on a phone-sized screen. Every distinct page is
// checked with axe-core (WCAG 2.0/2.1 A and AA).
//
// Set HEDER_SCREENSHOTS to a folder to get a screenshot of each page.
func TestBrowserJourneys(t *testing.T) {
	began := time.Now()
	axeBefore := browsertest.AxeCount()
	j := &journeys{app: apptest.Start(t), browser: browsertest.New(t), checked: map[string]bool{}}

	t.Run("Anonymous", j.anonymous)
	t.Run("DemoUsers", func(t *testing.T) {
		for _, u := range journeyUsers {
			t.Run(u.user, func(t *testing.T) { j.demoUser(t, u) })
		}
	})
	t.Run("OrgSettingsInvalidOrgnr", j.orgSettingsError)
	t.Run("RequestAccess", j.requestAccess)
	t.Run("Phone", j.phone)

	// Only this test's pages (other browser tests share the counter).
	checked := browsertest.AxeCount() - axeBefore
	if t.Failed() {
		t.Logf("axe checked %d pages (see the failures above)", checked)
	} else {
		t.Logf("axe checked %d pages, 0 violations", checked)
	}
	t.Logf("journeys took %v", time.Since(began).Round(time.Millisecond))
}

// journeys holds what the subtests share: one running Heder, one Chromium
// and the pages that axe has checked.
type journeys struct {
	app     *apptest.App
	browser *browsertest.Browser
	checked map[string]bool // keys of the distinct pages checked
}

// jtab is a browser tab of one subtest, with the steps a person takes.
// Every step fails the test when it cannot be done within the tab's time
// limit; none sleeps.
type jtab struct {
	t   *testing.T
	j   *journeys
	tab *browsertest.Tab
}

// tab opens a tab in a browser context of its own (so with no cookies) that
// asks for Norwegian bokmål.
func (j *journeys) tab(t *testing.T) *jtab {
	t.Helper()
	tab := j.browser.Tab(t)
	tab.Run(t, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{
			Headers: network.Headers{"Accept-Language": journeyAcceptLanguage},
		})
		return err
	}))
	return &jtab{t: t, j: j, tab: tab}
}

// journeyRun runs a value-returning action on the tab within its time limit.
func journeyRun[T any](p *jtab, what string, a chromedp.Action[T]) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.tab.Ctx, p.timeout())
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		p.t.Fatalf("%s (at %s): %v", what, p.location(), err)
	}
	return v
}

func (p *jtab) timeout() time.Duration {
	if p.tab.Timeout > 0 {
		return p.tab.Timeout
	}
	return browsertest.DefaultTimeout
}

// location is the tab's URL for messages; it never fails the test.
func (p *jtab) location() string {
	ctx, cancel := context.WithTimeout(p.tab.Ctx, 2*time.Second)
	defer cancel()
	u, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "an unknown page"
	}
	return u
}

// check runs axe-core on the page the tab shows, unless a page with the
// same key was checked before, and saves a screenshot named key.
func (p *jtab) check(key string) {
	p.t.Helper()
	if p.j.checked[key] {
		return
	}
	p.j.checked[key] = true
	p.tab.Axe(p.t)
	p.tab.Screenshot(p.t, key)
}

// visit loads the app's path and returns the HTTP status of the page.
func (p *jtab) visit(path string) int {
	p.t.Helper()
	resp := journeyRun(p, "opening "+path, chromedp.NavigateResponse(p.j.app.URL+path))
	if resp == nil {
		p.t.Fatalf("opening %s: no response", path)
	}
	return int(resp.Status)
}

// click clicks the first visible element matching the CSS selector (a link
// or a submit button), waits for the page that it loads, following
// redirects, and returns that page's HTTP status.
func (p *jtab) click(selector string) int {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.tab.Ctx, p.timeout())
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(selector)))
	if err != nil {
		p.t.Fatalf("clicking %s (at %s): %v", selector, p.location(), err)
	}
	if resp == nil {
		p.t.Fatalf("clicking %s (at %s): no page loaded", selector, p.location())
	}
	return int(resp.Status)
}

// fill empties the field matching the CSS selector and types value. Date
// and time fields, where typing follows the browser's locale, get the value
// set instead, as their picker would.
func (p *jtab) fill(selector, value string) {
	p.t.Helper()
	typ := journeyRun(p, "reading the type of "+selector, chromedp.JavascriptAttribute[string](chromedp.CSS(selector), "type"))
	if strings.HasPrefix(typ, "date") || typ == "time" {
		p.tab.Run(p.t, chromedp.SetValue(chromedp.CSS(selector), value))
		return
	}
	p.tab.Run(p.t,
		chromedp.WaitVisible(chromedp.CSS(selector)),
		// chromedp.Clear cannot empty a textarea; this empties any field.
		chromedp.Query(chromedp.CSS(selector), chromedp.After(func(ctx context.Context, tg *chromedp.Target, _ []*chromedp.Node) error {
			_, err := chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).value = ''`, selector))(ctx, tg)
			return err
		})),
		chromedp.SendKeys(chromedp.CSS(selector), value),
	)
}

// search types q in the page's search form and submits it.
func (p *jtab) search(q string) {
	p.t.Helper()
	p.fill("#q", q)
	p.click(`form[role="search"] button[type="submit"]`)
	if got := p.value("#q"); got != q {
		p.t.Errorf("search field after searching = %q, want %q", got, q)
	}
}

func (p *jtab) value(selector string) string {
	p.t.Helper()
	return journeyRun(p, "reading the value of "+selector, chromedp.Value(chromedp.CSS(selector)))
}

func (p *jtab) text(selector string) string {
	p.t.Helper()
	return p.tab.Text(p.t, selector)
}

func (p *jtab) title() string {
	p.t.Helper()
	return journeyRun(p, "reading the title", chromedp.Title())
}

func (p *jtab) evalString(js string) string {
	p.t.Helper()
	return journeyRun(p, "evaluating "+js, chromedp.Evaluate[string](js))
}

func (p *jtab) evalInt(js string) int {
	p.t.Helper()
	return journeyRun(p, "evaluating "+js, chromedp.Evaluate[int](js))
}

func (p *jtab) htmlLang() string {
	p.t.Helper()
	return p.evalString(`document.documentElement.lang`)
}

// waitFor waits until the JavaScript expression is true.
func (p *jtab) waitFor(what, js string) {
	p.t.Helper()
	journeyRun(p, "waiting for "+what, chromedp.Poll[bool](js,
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(p.timeout())))
}

// wantURL stops the test unless the tab shows the app's path (with query).
func (p *jtab) wantURL(path string) {
	p.t.Helper()
	if got, want := p.tab.URL(p.t), p.j.app.URL+path; got != want {
		p.t.Fatalf("at %s, want %s", got, want)
	}
}

// wantText fails the test unless the innerText of selector holds each of
// wants, and returns the text.
func (p *jtab) wantText(selector string, wants ...string) string {
	p.t.Helper()
	got := p.text(selector)
	for _, w := range wants {
		if !strings.Contains(got, w) {
			p.t.Errorf("%s at %s does not say %q; it says:\n%s", selector, p.location(), w, got)
		}
	}
	return got
}

func (p *jtab) dontWantText(selector string, unwanted ...string) {
	p.t.Helper()
	got := p.text(selector)
	for _, w := range unwanted {
		if strings.Contains(got, w) {
			p.t.Errorf("%s at %s says %q, which it should not; it says:\n%s", selector, p.location(), w, got)
		}
	}
}

// orgHref returns the link to the current (not former) organisation named
// name in the table of the organisations page.
func (p *jtab) orgHref(name string) string {
	p.t.Helper()
	href := p.evalString(fmt.Sprintf(`(() => {
		const row = [...document.querySelectorAll('main tbody tr')].find(tr => {
			const a = tr.querySelector('a');
			return a && a.textContent.trim() === %q && !tr.querySelector('.ds-tag');
		});
		return row ? row.querySelector('a').getAttribute('href') : '';
	})()`, name))
	if !strings.HasPrefix(href, "/organisasjoner/") {
		p.t.Fatalf("no current organisation %q in the table at %s", name, p.location())
	}
	return href
}

// openOrg finds the organisation with the header's Organisasjoner link and
// the search form, opens its page and returns its path.
func (p *jtab) openOrg(name string) string {
	p.t.Helper()
	p.click(`.site-header a[href="/organisasjoner"]`)
	p.search(name)
	href := p.orgHref(name)
	if status := p.click(fmt.Sprintf(`main tbody a[href=%q]`, href)); status != http.StatusOK {
		p.t.Fatalf("%s's page: status %d", name, status)
	}
	if got := p.text("main h1"); got != name {
		p.t.Errorf("%s's page has h1 %q", name, got)
	}
	return href
}

// login logs the tab in as user the way a person does: "Logg inn" on the
// home page, then the user's button on the provider's picker (no
// login_hint). It leaves the tab on the home page.
func (p *jtab) login(user string) {
	p.t.Helper()
	p.visit("/")
	if status := p.click(`main a[href="/auth/login"]`); status != http.StatusOK {
		p.t.Fatalf("login picker: status %d", status)
	}
	if u := p.tab.URL(p.t); !strings.HasPrefix(u, p.j.app.IdP) {
		p.t.Fatalf("after Logg inn the browser is at %s, want the development provider at %s", u, p.j.app.IdP)
	}
	if got := p.text("h1"); got != "Velg demobruker" {
		p.t.Fatalf("picker h1 = %q, want Velg demobruker", got)
	}
	p.check("idp-picker")
	if status := p.click(fmt.Sprintf(`form button[name="username"][value=%q]`, user)); status != http.StatusOK {
		p.t.Fatalf("logging in as %s: status %d", user, status)
	}
	p.wantURL("/")
}

func (j *journeys) anonymous(t *testing.T) {
	p := j.tab(t)

	if status := p.visit("/"); status != http.StatusOK {
		t.Fatalf("home page: status %d", status)
	}
	if got := p.htmlLang(); got != "nb" {
		t.Errorf("home page: <html lang=%q>, want nb", got)
	}
	p.wantText(".site-header", "Heder", "Logg inn", "Bokmål", "Nynorsk", "English")
	p.wantText("main", "Innovasjonspriser for offentlig sektor", "Logg inn")
	if got := p.text("main h1"); got != "Heder" {
		t.Errorf("home page h1 = %q, want Heder", got)
	}
	if got := p.title(); got != "Velkommen til Heder – Heder" {
		t.Errorf("home page title = %q", got)
	}
	p.check("anon-home-nb")

	// The footer's link to the about page, with the data source's credit.
	if status := p.click(`footer a[href="/om"]`); status != http.StatusOK {
		t.Fatalf("about page: status %d", status)
	}
	p.wantURL("/om")
	if got := p.text("#data-credit"); got != "Kilde: Statistisk sentralbyrå" {
		t.Errorf("about page credit = %q, want Kilde: Statistisk sentralbyrå", got)
	}
	p.wantText("main h1", "Om tjenesten")
	p.check("anon-about-nb")

	// The footer's privacy statement and contact (heder dev's operator).
	if status := p.click(`footer a[href="/personvern"]`); status != http.StatusOK {
		t.Fatalf("privacy statement: status %d", status)
	}
	p.wantText("main h1", "Personvernerklæring")
	p.wantText("#privacy-retention + p", "lagringstid")
	p.wantText("#privacy-contact + p", "heder@localhost", "Datatilsynet")
	if got := p.evalString(`document.querySelector('footer a[href^="mailto:"]').textContent`); got != "Kontakt" {
		t.Errorf("footer contact link = %q, want Kontakt", got)
	}
	p.check("anon-privacy-nb")

	// A page that does not exist: a Norwegian status page, not a bare 404.
	if status := p.visit("/finnes-ikke"); status != http.StatusNotFound {
		t.Errorf("/finnes-ikke: status %d, want 404", status)
	}
	if got := p.text("main h1"); got != "Fant ikke siden" {
		t.Errorf("404 page h1 = %q, want Fant ikke siden", got)
	}
	p.wantText("main", "Gå til forsiden")
	p.wantText(".site-header", "Logg inn")
	p.check("anon-404-nb")

	// The header's language switch: nynorsk on the home page ...
	p.visit("/")
	nb := p.text("main")
	p.click(`.lang-switch a[hreflang="nn"]`)
	p.wantURL("/")
	if got := p.htmlLang(); got != "nn" {
		t.Errorf("after choosing nynorsk: <html lang=%q>, want nn", got)
	}
	nn := p.wantText("main", "Innovasjonsprisar for offentleg sektor", "Heder er tenesta der kommunar")
	if nn == nb {
		t.Error("the home page reads the same in nynorsk as in bokmål")
	}
	p.wantText(`.lang-switch [aria-current="true"]`, "Nynorsk")
	p.check("anon-home-nn")

	// ... the choice sticks to the next page, and choosing English there
	// stays on that page.
	p.click(`footer a[href="/om"]`)
	p.wantText("main h1", "Om tenesta")
	if got := p.htmlLang(); got != "nn" {
		t.Errorf("about page after choosing nynorsk: <html lang=%q>, want nn", got)
	}
	p.check("anon-about-nn")
	p.click(`.lang-switch a[hreflang="en"]`)
	p.wantURL("/om")
	if got := p.htmlLang(); got != "en" {
		t.Errorf("after choosing English: <html lang=%q>, want en", got)
	}
	p.wantText("main h1", "About")
	p.wantText(".site-header", "Log in")
	p.check("anon-about-en")

	p.visit("/")
	en := p.wantText("main", "Innovation awards for the public sector", "Log in")
	if en == nb || en == nn {
		t.Error("the English home page reads as a Norwegian one")
	}
	p.check("anon-home-en")
	if status := p.visit("/finnes-ikke"); status != http.StatusNotFound {
		t.Errorf("/finnes-ikke in English: status %d, want 404", status)
	}
	p.wantText("main h1", "Page not found")
	p.check("anon-404-en")

	// Back to bokmål.
	p.visit("/")
	p.click(`.lang-switch a[hreflang="nb"]`)
	if got := p.htmlLang(); got != "nb" {
		t.Errorf("after choosing bokmål: <html lang=%q>, want nb", got)
	}
	if got := p.text("main"); got != nb {
		t.Errorf("back in bokmål the home page reads:\n%s\nwant:\n%s", got, nb)
	}
}

func (j *journeys) demoUser(t *testing.T, u journeyUser) {
	p := j.tab(t)
	p.login(u.user)

	// The home page by role: name, roles and organisations.
	if got, want := p.text("main h1"), "Velkommen, "+u.name; got != want {
		t.Errorf("home h1 = %q, want %q", got, want)
	}
	if got := strings.Fields(p.text("#roles")); !slices.Equal(got, u.roles) {
		t.Errorf("roles = %q, want %q", got, u.roles)
	}
	switch {
	case len(u.orgs) > 0:
		p.wantText("#organisations", u.orgs...)
	case u.jury:
		// A juror of no organisation is not asked to join one.
		if n := p.evalInt(`document.querySelectorAll("#orgs-h, main a[href='/organisasjoner']").length`); n != 0 {
			t.Errorf("a juror's home offers to join an organisation (%d elements)", n)
		}
	default:
		p.wantText("#orgs-h + p", "Du er ikke knyttet til noen organisasjon ennå.")
	}
	if u.jury {
		p.wantText("#jury-h", "Jury")
		p.wantText("main", "Innovasjonsprisen "+strconv.Itoa(time.Now().Year()))
	}
	// The header's user menu: name, organisations and "Logg ut".
	p.wantText(".site-header", u.name, "Logg ut", "Organisasjoner")
	if len(u.orgs) > 0 {
		p.wantText(".site-header .user-menu", u.orgs...)
	}
	isAdmin := slices.Contains(u.roles, "Administrator")
	if n := p.evalInt(`document.querySelectorAll('.site-header a[href="/admin"]').length`); (n > 0) != isAdmin {
		t.Errorf("%d links to /admin in the header, want them only for administrators", n)
	}
	p.check("home-" + u.user)

	// Everyone logged in: the organisations, searched for Asker, and
	// Asker's page.
	if status := p.click(`.site-header a[href="/organisasjoner"]`); status != http.StatusOK {
		t.Fatalf("organisations: status %d", status)
	}
	p.wantText("main h1", "Organisasjoner")
	p.check("orgs")
	p.search("Asker")
	p.wantURL("/organisasjoner?q=Asker")
	p.dontWantText("main tbody", "Træna", "Oslo")
	p.check("orgs-search-asker")
	asker := p.orgHref("Asker")
	if status := p.click(fmt.Sprintf(`main tbody a[href=%q]`, asker)); status != http.StatusOK {
		t.Fatalf("Asker's page: status %d", status)
	}
	p.wantText("main h1", "Asker")
	p.wantText("main dl", "Kommune", "3203")
	kind := "other"
	switch u.user {
	case "asker":
		kind = u.user
		p.wantText("main", "Du er medlem av denne organisasjonen.")
	case "admin":
		kind = u.user
		p.wantText("#members-h", "Medlemmer")
		p.wantText("main table", "Kari Asker")
		p.wantText("#settings-h", "Innstillinger")
		p.wantText("#access-h", "Be om tilgang til Asker")
	default:
		p.wantText("#access-h", "Be om tilgang til Asker")
		if n := p.evalInt(`document.querySelectorAll('#settings-h, #members-h').length`); n != 0 {
			t.Errorf("%s sees Asker's members or settings", u.user)
		}
	}
	p.check("org-asker-as-" + kind)

	// Their own organisation, from the home page.
	if len(u.orgs) > 0 {
		p.visit("/")
		p.click("#organisations a")
		if got := p.text("main h1"); got != u.orgs[0] {
			t.Errorf("own organisation page h1 = %q, want %q", got, u.orgs[0])
		}
		p.wantText("main", "Du er medlem av denne organisasjonen.")
		p.check("org-own-" + u.user)
	}

	if isAdmin {
		if status := p.click(`.site-header a[href="/admin"]`); status != http.StatusOK {
			t.Fatalf("/admin: status %d", status)
		}
		p.wantText("main h1", "Administrasjon")
		p.wantText("main table", "Astrid Admin", "Kari Asker", "Jenny Jurymedlem")
		p.check("admin")
		p.search("Kari")
		p.wantURL("/admin?q=Kari")
		p.wantText("main table", "Kari Asker")
		p.dontWantText("main table", "Astrid Admin")
		p.check("admin-search")
	} else {
		if status := p.visit("/admin"); status != http.StatusForbidden {
			t.Errorf("/admin as %s: status %d, want 403", u.user, status)
		}
		p.wantText("main h1", "Du har ikke tilgang")
		p.check("forbidden")
		p.visit("/")
	}

	// Log out: the provider's end_session sends the browser back home.
	p.click(`.site-header form[action="/auth/logout"] button`)
	p.wantURL("/?logged_out=1")
	p.wantText(`main [role="status"]`, "Du er nå logget ut.")
	p.wantText(".site-header", "Logg inn")
	p.dontWantText(".site-header", u.name, "Logg ut")
	if got := p.text("main h1"); got != "Heder" {
		t.Errorf("after logging out h1 = %q, want Heder", got)
	}
	p.check("home-logged-out")
	// The session is gone: a page for logged-in people asks for a login.
	p.visit("/organisasjoner")
	if got := p.tab.URL(t); !strings.HasPrefix(got, j.app.IdP) {
		t.Errorf("/organisasjoner after logging out went to %s, want the login", got)
	}
}

// orgSettingsError: an administrator types an invalid organisation number
// in an organisation's settings.
func (j *journeys) orgSettingsError(t *testing.T) {
	p := j.tab(t)
	p.login("admin")
	traena := p.openOrg("Træna")
	orgnr, domain, lang := p.value("#orgnr"), p.value("#email_domain"), p.value("#language")
	if domain != "traena.kommune.no" {
		t.Errorf("Træna's e-mail domain = %q, want traena.kommune.no", domain)
	}
	otherLang := map[string]string{"nb": "nn", "nn": "nb"}[lang]
	if otherLang == "" {
		t.Fatalf("Træna's målform = %q, want nb or nn", lang)
	}

	p.fill("#orgnr", "12")
	p.fill("#email_domain", "traena.no")
	p.tab.Run(t, chromedp.SetValue(chromedp.CSS("#language"), otherLang))
	if status := p.click(fmt.Sprintf(`form[action=%q] button[type="submit"]`, traena)); status != http.StatusUnprocessableEntity {
		t.Errorf("saving orgnr 12: status %d, want 422", status)
	}
	p.wantURL(traena)

	// The error summary right under the heading, linked to the field, and
	// focused so that a screen reader reads it first.
	const msg = "Organisasjonsnummeret må være 9 siffer."
	p.wantText("#error-summary", "Det er feil i skjemaet", msg)
	if href := p.evalString(`document.querySelector('#error-summary a').getAttribute('href')`); href != "#orgnr" {
		t.Errorf("error summary links to %q, want #orgnr", href)
	}
	if next := p.evalString(`document.querySelector('main > h1').nextElementSibling.id`); next != "error-summary" {
		t.Errorf("the error summary is not right under the heading (found #%s)", next)
	}
	p.waitFor("the error summary to have focus", `document.activeElement && document.activeElement.id === 'error-summary'`)
	// The message next to its field, tied to it for screen readers.
	p.wantText("#orgnr-error", msg)
	attrs := journeyRun(p, "reading the orgnr field", chromedp.Attributes(chromedp.CSS("#orgnr")))
	if attrs["aria-invalid"] != "true" || !strings.Contains(attrs["aria-describedby"], "orgnr-error") {
		t.Errorf("orgnr field attributes %v: want aria-invalid and aria-describedby=orgnr-error", attrs)
	}
	// What was typed and chosen is kept so that it can be corrected.
	for sel, want := range map[string]string{"#orgnr": "12", "#email_domain": "traena.no", "#language": otherLang} {
		if got := p.value(sel); got != want {
			t.Errorf("%s after the error = %q, want %q", sel, got, want)
		}
	}
	if got := p.title(); !strings.Contains(got, "Træna") {
		t.Errorf("title on the error page = %q", got)
	}
	p.check("org-settings-error")

	// The summary's link leads to the field.
	p.tab.Run(t, chromedp.Click(chromedp.CSS("#error-summary a")))
	p.waitFor("the link to the field", `location.hash === '#orgnr'`)

	// Nothing was saved.
	p.visit(traena)
	if n := p.evalInt(`document.querySelectorAll('#error-summary, #orgnr-error').length`); n != 0 {
		t.Error("the error is still shown after loading the page again")
	}
	for sel, want := range map[string]string{"#orgnr": orgnr, "#email_domain": domain, "#language": lang} {
		if got := p.value(sel); got != want {
			t.Errorf("%s after the failed save = %q, want %q", sel, got, want)
		}
	}
	p.dontWantText("main dl", "12")
}

// requestAccess: traena asks for access to Asker, an administrator approves
// it from the home page, and Asker is then among traena's organisations.
func (j *journeys) requestAccess(t *testing.T) {
	const message = "Jeg leder innovasjonsnettverket der Asker og Træna samarbeider."
	traena := j.tab(t)
	traena.login("traena")
	asker := traena.openOrg("Asker")
	traena.fill("#message", message)
	traena.click(fmt.Sprintf(`form[action=%q] button[type="submit"]`, asker+"/tilgang"))
	traena.wantURL(asker)
	traena.wantText(`main [role="status"]`, "Vi har sendt forespørselen din.")
	traena.check("org-request-sent")

	traena.visit("/")
	traena.wantText("main", "Du har bedt om tilgang til Asker.")
	traena.dontWantText("#organisations", "Asker")

	// The administrator, in a browser context of their own.
	admin := j.tab(t)
	admin.login("admin")
	admin.wantText("#req-h", "Forespørsler om tilgang")
	admin.wantText("main table", "Tore Træna", "tore@traena.kommune.no", "Asker", message)
	admin.check("home-admin-with-request")
	action := admin.evalString(`(() => {
		const row = [...document.querySelectorAll('main tbody tr')].find(tr => tr.textContent.includes('Tore Træna'));
		const f = row && row.querySelector('form:has(input[name="decision"][value="approve"])');
		return f ? f.getAttribute('action') : '';
	})()`)
	if !strings.HasPrefix(action, "/foresporsler/") {
		t.Fatalf("no approve button for Tore Træna's request on the admin's home page")
	}
	if status := admin.click(fmt.Sprintf(`form[action=%q]:has(input[value="approve"]) button`, action)); status != http.StatusOK {
		t.Fatalf("approving: status %d", status)
	}
	admin.wantURL(asker)
	admin.wantText(`main [role="status"]`, "Forespørselen er behandlet.")
	admin.wantText("main table", "Tore Træna", "Godkjent forespørsel")
	admin.check("org-request-approved")
	admin.visit("/")
	if n := admin.evalInt(`document.querySelectorAll('#req-h').length`); n != 0 {
		t.Error("the approved request is still waiting on the admin's home page")
	}

	// Traena's home page now lists Asker.
	traena.visit("/")
	traena.wantText("#organisations", "Asker", "Træna")
	traena.wantText(".site-header .user-menu", "Asker", "Træna")
	traena.dontWantText("main", "Du har bedt om tilgang til Asker.")
	traena.check("home-traena-after-approval")
	traena.click(fmt.Sprintf(`#organisations a[href=%q]`, asker))
	traena.wantText("main", "Du er medlem av denne organisasjonen.")
}

// phone checks that pages reflow on a phone-sized screen (WCAG 1.4.10):
// nothing wider than the viewport, so no sideways scrolling of the page.
func (j *journeys) phone(t *testing.T) {
	const width, height = 390, 844
	p := j.tab(t)
	p.tab.Run(t, chromedp.EmulateViewport(width, height, chromedp.EmulateMobile))
	fits := func(name string) {
		t.Helper()
		if w := p.evalInt(`document.documentElement.scrollWidth`); w > width {
			wide := p.evalString(fmt.Sprintf(`[...document.querySelectorAll('body *')]
				.filter(e => e.getBoundingClientRect().right > %d)
				.slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')).join(', ')`, width))
			t.Errorf("%s on a %dpx wide screen is %dpx wide (too wide: %s)", name, width, w, wide)
		}
		p.tab.Screenshot(t, "phone-"+name)
	}
	p.visit("/")
	fits("home-anon")
	p.login("admin")
	fits("home-admin")
	p.openOrg("Asker")
	fits("org-asker")
	p.visit("/organisasjoner")
	fits("orgs")
	p.visit("/admin")
	fits("admin")
}
