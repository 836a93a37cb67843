package app_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/browsertest"
)

// TestOrgCreateInBrowser: a site admin creates a city district under Oslo
// from the organisations page. A wrong check digit and a missing parent
// are shown in the error summary and next to their fields, what was typed
// is kept; then the district is created, and its number cannot be used
// again. Every page is checked with axe. The number is a generated test
// number and the name is made up.
func TestOrgCreateInBrowser(t *testing.T) {
	t.Parallel()
	j := &journeys{app: apptest.Start(t), browser: browsertest.New(t), checked: map[string]bool{}}
	p := j.tab(t)
	p.login("admin")
	p.click(`.site-header a[href="/organisasjoner"]`)
	p.wantText("#new-org-h", "Ny organisasjon")
	p.check("orgs-admin")

	const name = "Bydel Testdal (testdata)"
	p.fill("#new-org-orgnr", "999990135")
	p.fill("#new-org-name", name)
	p.tab.Run(t, chromedp.SetValue(chromedp.CSS("#new-org-kind"), "city_district"))
	if status := p.click(`#new-org button[type="submit"]`); status != http.StatusUnprocessableEntity {
		t.Fatalf("a wrong check digit and no parent: status %d, want 422", status)
	}
	p.wantURL("/organisasjoner")
	const digitMsg, parentMsg = "Organisasjonsnummeret har feil kontrollsiffer.", "Velg kommunen bydelen er en del av."
	p.wantText("#error-summary", "Det er feil i skjemaet", digitMsg, parentMsg)
	if href := p.evalString(`document.querySelector('#error-summary a').getAttribute('href')`); href != "#new-org-orgnr" {
		t.Errorf("the summary's first link goes to %q, want #new-org-orgnr", href)
	}
	p.waitFor("the error summary to have focus", `document.activeElement && document.activeElement.id === 'error-summary'`)
	p.wantText("#new-org-orgnr-error", digitMsg)
	p.wantText("#new-org-parent_id-error", parentMsg)
	attrs := journeyRun(p, "reading the orgnr field", chromedp.Attributes(chromedp.CSS("#new-org-orgnr")))
	if attrs["aria-invalid"] != "true" || !strings.Contains(attrs["aria-describedby"], "new-org-orgnr-error") {
		t.Errorf("orgnr field attributes %v: want aria-invalid and the error in aria-describedby", attrs)
	}
	for sel, want := range map[string]string{"#new-org-orgnr": "999990135", "#new-org-name": name, "#new-org-kind": "city_district"} {
		if got := p.value(sel); got != want {
			t.Errorf("%s after the error = %q, want %q", sel, got, want)
		}
	}
	p.check("orgs-create-error")

	oslo := p.evalString(`[...document.querySelectorAll('#new-org-parent_id option')].find(o => o.textContent.startsWith('Oslo') && o.textContent.includes('(Kommune)')).value`)
	p.fill("#new-org-orgnr", "999990134")
	p.tab.Run(t, chromedp.SetValue(chromedp.CSS("#new-org-parent_id"), oslo))
	if status := p.click(`#new-org button[type="submit"]`); status != http.StatusOK {
		t.Fatalf("creating the district: status %d", status)
	}
	if got := p.text("main h1"); got != name {
		t.Errorf("after creating: h1 %q, want %q", got, name)
	}
	p.wantText("main", "Organisasjonen er opprettet.", "Bydel", "999990134", "Del av", "Oslo")
	if href := p.evalString(`document.querySelector('main dl a').getAttribute('href')`); href != "/organisasjoner/"+oslo {
		t.Errorf("the parent links to %q, want /organisasjoner/%s", href, oslo)
	}
	p.check("org-created")

	// A kind must be chosen: none is chosen beforehand.
	p.visit("/organisasjoner")
	if got := p.value("#new-org-kind"); got != "" {
		t.Errorf("the kind is %q before anyone chose it", got)
	}
	p.fill("#new-org-orgnr", "999990118")
	p.fill("#new-org-name", "Testselskap AS (testdata)")
	if status := p.click(`#new-org button[type="submit"]`); status != http.StatusUnprocessableEntity {
		t.Fatalf("no kind: status %d, want 422", status)
	}
	p.wantText("#new-org-kind-error", "Velg en type.")

	// The same number again is refused next to the field.
	p.visit("/organisasjoner")
	p.fill("#new-org-orgnr", "999 990 134")
	p.fill("#new-org-name", "Testselskap AS (testdata)")
	p.tab.Run(t, chromedp.SetValue(chromedp.CSS("#new-org-kind"), "company"))
	if status := p.click(`#new-org button[type="submit"]`); status != http.StatusConflict {
		t.Fatalf("a taken number: status %d, want 409", status)
	}
	p.wantText("#new-org-orgnr-error", "Det finnes allerede en organisasjon med dette organisasjonsnummeret.")
	p.check("orgs-create-taken")
}
