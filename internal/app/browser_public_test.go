package app_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/browsertest"
)

// cspWatch records every Content-Security-Policy violation of a page. It
// runs before the page's own scripts (DevTools adds it), so it sees
// violations while the page is parsed.
const cspWatch = `window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));`

// scriptTag finds script elements, which the archive may only use for
// JSON-LD data.
var scriptTag = regexp.MustCompile(`<script[^>]*>`)

// TestBrowserPublicPages visits every kind of public page — the list of
// awards, an award, a year with its winner's picture, a programme's year
// with its cohort and a participant's page, a project, a former and a
// current municipality, search with hits, without and with an
// error, and a page that is not there — in bokmål, nynorsk and English in
// headless Chromium, and checks each with axe-core (WCAG 2.0/2.1 A and
// AA) and for Content-Security-Policy violations: the pages carry
// schema.org JSON-LD in <script type="application/ld+json">, a data block
// the strict script-src must not complain about. Each page is also
// fetched with plain HTTP: it needs no JavaScript, so what a browser
// without it gets is the whole page.
func TestBrowserPublicPages(t *testing.T) {
	a := apptest.Start(t)
	b := browsertest.New(t)
	db := filesDB(t, a)
	d := loadDemoArchive(t, db)
	// A picture on the 2018 winner's side, to check its alternative text.
	publishPicture(t, a, db, a.Login(t, "asker"), d.traena2018)
	// A programme's cohort, and one of its participants.
	var nordreAker int64
	if err := db.NewRaw(`SELECT id FROM organisations WHERE kind = 'city_district' AND name = 'Bydel Nordre Aker'`).Scan(context.Background(), &nordreAker); err != nil {
		t.Fatal(err)
	}
	axeBefore := browsertest.AxeCount()

	pages := []struct {
		name, path string
		status     int
		// want is text the page shows, in bokmål, nynorsk and English.
		want [3]string
	}{
		{"awards", "/priser", 200, [3]string{"Priser og vinnere", "Prisar og vinnarar", "Awards and winners"}},
		{"award", "/priser/kommunal-innovasjonspris", 200, [3]string{"År for år", "År for år", "Year by year"}},
		{"year", "/priser/kommunal-innovasjonspris/2017", 200, [3]string{"18 kommuner sendte inn nominasjoner, med 33 prosjekter.", "18 kommunar sende inn nominasjonar, med 33 prosjekt.", "18 municipalities sent in nominations, with 33 projects."}},
		{"year-postponed", "/priser/kommunal-innovasjonspris/2020", 200, [3]string{"Kilder", "Kjelder", "Sources"}},
		{"year-picture", "/priser/kommunal-innovasjonspris/2018", 200, [3]string{"Folk rundt et bord i verkstedet", "Folk rundt et bord i verkstedet", "Folk rundt et bord i verkstedet"}},
		{"project", "/prosjekter/" + d.borgen, 200, [3]string{"Nominert i", "Nominert i", "Nominated in"}},
		{"programme-year", "/priser/kommuneinkubatoren/2021", 200, [3]string{"4 deltakere", "4 deltakarar", "4 participants"}},
		{"programme-participant", "/kommuner/" + itoa(nordreAker), 200, [3]string{"Deltaker i program", "Deltakar i program", "Programme participant"}},
		{"former-municipality", "/kommuner/" + itoa(d.oppegard), 200, [3]string{"Kommunen er nå en del av Nordre Follo", "Kommunen er no ein del av Nordre Follo", "now part of Nordre Follo"}},
		{"municipality", "/kommuner/" + itoa(d.nordreFollo), 200, [3]string{"Tidligere kommuner", "Tidlegare kommunar", "Former municipalities"}},
		{"search", "/sok", 200, [3]string{"Søkeord", "Søkjeord", "Search words"}},
		{"search-hits", "/sok?q=" + url.QueryEscape("svømmehallen"), 200, [3]string{"1 treff", "1 treff", "1 result"}},
		{"search-error", "/sok?q=svømmehall&ar=i+fjor", 422, [3]string{"Velg et år fra lista.", "Vel eit år frå lista.", "Choose a year from the list."}},
		{"not-found", "/priser/kommunal-innovasjonspris/1999", 404, [3]string{"", "", ""}},
	}
	langs := []string{"nb", "nn", "en"}

	tab := b.Tab(t)
	tab.Run(t, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspWatch})
		if err != nil {
			return err
		}
		// A Norwegian visitor: plain URLs are then bokmål by the browser's
		// wish too (headless Chromium would ask for English).
		_, err = cdp.Call(ctx, tg, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{
			Headers: network.Headers{"Accept-Language": journeyAcceptLanguage},
		})
		return err
	}))
	plain := &http.Client{Timeout: 20 * time.Second}
	for _, p := range pages {
		for i, lang := range langs {
			path := p.path
			if lang != "nb" {
				sep := "?"
				if strings.Contains(path, "?") {
					sep = "&"
				}
				path += sep + "lang=" + lang
			}
			t.Run(p.name+"/"+lang, func(t *testing.T) {
				// Plain HTTP, as a browser without JavaScript or a crawler.
				resp, body := fetch(t, a, plain, path)
				if resp.StatusCode != p.status || !strings.Contains(body, `<html lang="`+lang+`">`) {
					t.Errorf("HTTP %d (want %d), %q", resp.StatusCode, p.status, firstLine(body, "<html"))
				}
				if want := htmlText(p.want[i]); !strings.Contains(body, want) {
					t.Errorf("the page lacks %q", want)
				}
				for _, tag := range scriptTag.FindAllString(body, -1) {
					if tag != `<script type="application/ld+json">` {
						t.Errorf("the page has a script: %s", tag)
					}
				}

				tab.Navigate(t, a.URL+path)
				if violations := cspViolations(t, tab); len(violations) > 0 {
					t.Errorf("Content-Security-Policy violations: %v", violations)
				}
				if got := tab.Text(t, "h1"); got == "" {
					t.Error("the page has no heading")
				}
				ctx, cancel := context.WithTimeout(tab.Ctx, browsertest.DefaultTimeout)
				shown, err := chromedp.Run(ctx, chromedp.Evaluate[string]("document.documentElement.lang + ' ' + document.body.innerText"))
				cancel()
				if err != nil || !strings.HasPrefix(shown, lang+" ") || !strings.Contains(shown, p.want[i]) {
					t.Errorf("the browser shows %.80q (%v), want %s with %q", shown, err, lang, p.want[i])
				}
				tab.Axe(t)
				tab.Screenshot(t, "public-"+p.name+"-"+lang)
			})
		}
	}
	// The watch itself works: an inline script added to the page is a
	// violation it reports.
	tab.Run(t, chromedp.Evaluate[chromedp.Void](`const s = document.createElement('script'); s.textContent = 'window.x = 1'; document.body.appendChild(s); void 0`),
		chromedp.Sleep(200*time.Millisecond))
	if violations := cspViolations(t, tab); len(violations) != 1 || !strings.HasPrefix(violations[0], "script-src") {
		t.Errorf("an inline script gave violations %v, want one of script-src", violations)
	}
	checked := browsertest.AxeCount() - axeBefore
	if !t.Failed() {
		t.Logf("axe checked %d public pages (%d kinds × %d languages): 0 violations, 0 CSP violations", checked, len(pages), len(langs))
	}
}

// cspViolations returns what the watch recorded on the tab's page.
func cspViolations(t *testing.T, tab *browsertest.Tab) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab.Ctx, browsertest.DefaultTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string]("window.__csp || []"))
	if err != nil {
		t.Fatalf("reading CSP violations: %v", err)
	}
	return v
}

// htmlText is s as html/template writes it in text.
func htmlText(s string) string { return strings.ReplaceAll(s, "'", "&#39;") }

// firstLine returns the line of body that contains marker.
func firstLine(body, marker string) string {
	for line := range strings.Lines(body) {
		if strings.Contains(line, marker) {
			return strings.TrimSpace(line)
		}
	}
	return ""
}
