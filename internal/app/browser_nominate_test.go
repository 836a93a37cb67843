package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/browsertest"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/notify"
)

// nbMonths are the month names of a Norwegian date, for the dates the
// pages should show ("1. mars 2027 kl. 23.59").
var nbMonths = [12]string{"januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "desember"}

// nbTime writes t as the pages should: "1. mars 2027 kl. 23.59", Oslo time.
func nbTime(t time.Time) string {
	t = t.In(i18n.Oslo())
	return fmt.Sprintf("%d. %s %d kl. %02d.%02d", t.Day(), nbMonths[t.Month()-1], t.Year(), t.Hour(), t.Minute())
}

// nominateJourneys is what the journeys of TestBrowserNominate share: the
// demo cycle that the administrator prepared, and the nomination the
// submitter makes in it.
type nominateJourneys struct {
	*journeys
	demoCycle   string    // public ID of the demo award's open cycle
	deadline    time.Time // its nomination deadline
	earlier     string    // public ID of Asker's project from an earlier year
	earlierName string
	nomination  string // path of Asker's nomination, /nominasjoner/…
	title       string // its title
	project1    string // path of its first project's page
}

// Texts of the submitter's nomination, as typed.
const (
	nominateTitle   = "Innovasjon i hele kommunen"
	nominateSummary = "Asker jobber helhetlig og systematisk med innovasjon, sammen med innbyggerne."
	project1Title   = "Løsningsjakten på Borgen"
)

// TestBrowserNominate walks through the nominating part of Heder in
// headless Chromium: an administrator who prepares next year's cycle
// (dates, call text, a criterion, two mistakes on the way) and opens it;
// a submitter from Asker who reads the open call and fills in, corrects
// and submits a nomination with two projects and attachments; two people
// who save the same form at once; and Træna, who must not learn that
// Asker's nomination exists. Every distinct page, the error states
// included, is checked with axe-core.
//
// Set HEDER_SCREENSHOTS to a folder to get a screenshot of each page.
func TestBrowserNominate(t *testing.T) {
	began := time.Now()
	axeBefore := browsertest.AxeCount()
	a := apptest.Start(t)
	n := &nominateJourneys{journeys: &journeys{app: a, browser: browsertest.New(t), checked: map[string]bool{}}}
	n.prepareDemoCycle(t)

	t.Run("Admin", n.admin)
	t.Run("Submitter", n.submitter)
	if n.nomination == "" {
		t.Fatal("the submitter made no nomination, so the rest cannot run")
	}
	t.Run("ConflictingEdit", n.conflictingEdit)
	t.Run("OtherMunicipality", n.otherMunicipality)

	checked := browsertest.AxeCount() - axeBefore
	if t.Failed() {
		t.Logf("axe checked %d pages (see the failures above)", checked)
	} else {
		t.Logf("axe checked %d pages, 0 violations", checked)
	}
	t.Logf("journeys took %v", time.Since(began).Round(time.Millisecond))
}

// prepareDemoCycle gives the demo cycle what an administrator writes
// before the call opens (through the API, as the admin journey does the
// same in the browser for another cycle): a call text, a deadline in ten
// days and three criteria with help texts. It also gives Asker a project
// from an earlier year, to reuse.
func (n *nominateJourneys) prepareDemoCycle(t *testing.T) {
	a, admin := n.app, n.app.Login(t, "admin")
	year := time.Now().In(i18n.Oslo()).Year()
	status, body := a.Do(t, admin, http.MethodGet, "/api/v1/awards/kommunal-innovasjonspris/cycles", "")
	if status != http.StatusOK {
		t.Fatalf("demo cycles: %d %s", status, body)
	}
	var list struct {
		Items []struct {
			ID   string
			Year int
		}
	}
	if err := json.Unmarshal([]byte(body), &list); err != nil {
		t.Fatal(err)
	}
	for _, c := range list.Items {
		if c.Year == year {
			n.demoCycle = c.ID
		}
	}
	if n.demoCycle == "" {
		t.Fatalf("no demo cycle for %d in %s", year, body)
	}
	today := time.Now().In(i18n.Oslo())
	n.deadline = time.Date(today.Year(), today.Month(), today.Day()+10, 23, 59, 0, 0, i18n.Oslo())
	patch := fmt.Sprintf(`{"description":"Prisen går til en kommune som jobber helhetlig og systematisk med innovasjon.",
		"call_text":"Kommunal- og distriktsdepartementet inviterer kommunene til å nominere seg selv til Kommunal innovasjonspris. Vis oss hvordan dere fornyer tjenestene sammen med innbyggerne.",
		"nomination_deadline":%q}`, n.deadline.Format(time.RFC3339))
	if status, body := a.Do(t, admin, http.MethodPatch, "/api/v1/cycles/"+n.demoCycle, patch); status != http.StatusOK {
		t.Fatalf("demo cycle: %d %s", status, body)
	}
	for _, c := range []struct{ name, help string }{
		{"Nytt", "Er løsningen ny for kommunen, og hvordan skiller den seg fra det dere gjorde før?"},
		{"Nyttig", "Hva har løsningen gitt innbyggerne, de ansatte eller samfunnet? Vis gjerne med tall."},
		{"Nyttiggjort", "Er løsningen tatt i bruk, og kan andre kommuner lære av den?"},
	} {
		if status, body := a.Do(t, admin, http.MethodPost, "/api/v1/cycles/"+n.demoCycle+"/criteria",
			fmt.Sprintf(`{"name_nb":%q,"help_nb":%q}`, c.name, c.help)); status != http.StatusCreated {
			t.Fatalf("criterion %s: %d %s", c.name, status, body)
		}
	}
	n.earlierName = "Asker velferdslab"
	db := filesDB(t, a)
	n.earlier = filesProject(t, db, n.earlierName)
	// The demo gives Asker a draft in this cycle, with its project from
	// Kommuneinkubatoren 2021 linked (TestLoadProgramme); this journey
	// starts Asker's one nomination from nothing.
	if _, err := db.ExecContext(context.Background(), `DELETE FROM nominations n USING cycles c
		WHERE c.id = n.cycle_id AND c.public_id = ? AND n.status = 'draft'`, n.demoCycle); err != nil {
		t.Fatal(err)
	}
}

// hrefOf returns the href of the first link inside scope whose text holds
// text, failing the test when there is none.
func (p *jtab) hrefOf(scope, text string) string {
	p.t.Helper()
	href := p.evalString(fmt.Sprintf(`(() => {
		const a = [...document.querySelectorAll(%q)].find(a => a.textContent.includes(%q));
		return a ? a.getAttribute('href') : '';
	})()`, scope+" a", text))
	if href == "" {
		p.t.Fatalf("no link %q in %s at %s", text, scope, p.location())
	}
	return href
}

// clickLink clicks the link inside scope whose text holds text and returns
// the status of the page it leads to.
func (p *jtab) clickLink(scope, text string) int {
	p.t.Helper()
	return p.click(fmt.Sprintf(`%s a[href=%q]`, scope, p.hrefOf(scope, text)))
}

// taskStatus is the status tag of the task-list line whose link ends with
// suffix ("" for a line without a status).
func (p *jtab) taskStatus(suffix string) string {
	p.t.Helper()
	return p.evalString(fmt.Sprintf(`(() => {
		const a = document.querySelector('#tasks a[href$=%q]');
		if (!a) return 'no such task';
		const s = document.getElementById(a.getAttribute('aria-describedby'));
		return s ? s.textContent.trim() : '';
	})()`, suffix))
}

// wantTasks fails the test unless the task list's lines, by the ends of
// their links, have the statuses given.
func (p *jtab) wantTasks(want map[string]string) {
	p.t.Helper()
	for suffix, status := range want {
		if got := p.taskStatus(suffix); got != status {
			p.t.Errorf("task %s: status %q, want %q", suffix, got, status)
		}
	}
}

// wantFieldError checks a refused form the way a person meets it: the
// error summary right under the heading, focused, with a link to the field
// (id), and the message next to the field, tied to it for screen readers.
func (p *jtab) wantFieldError(id, msg string) {
	p.t.Helper()
	p.wantText("#error-summary", "Det er feil i skjemaet", msg)
	if n := p.evalInt(fmt.Sprintf(`document.querySelectorAll('#error-summary a[href="#%s"]').length`, id)); n != 1 {
		p.t.Errorf("the error summary has %d links to #%s, want 1", n, id)
	}
	p.waitFor("the error summary to have focus", `document.activeElement && document.activeElement.id === 'error-summary'`)
	if above := p.evalInt(`(() => {
		const h1 = document.querySelector('main h1'), s = document.getElementById('error-summary');
		return h1 && s && (h1.compareDocumentPosition(s) & Node.DOCUMENT_POSITION_FOLLOWING) ? 0 : 1;
	})()`); above != 0 {
		p.t.Error("the error summary is not below the page's heading")
	}
	p.wantText("#"+id+"-error", msg)
	attrs := journeyRun(p, "reading #"+id, chromedp.Attributes(chromedp.CSS("#"+id)))
	if attrs["aria-invalid"] != "true" || !strings.Contains(" "+attrs["aria-describedby"]+" ", " "+id+"-error ") {
		p.t.Errorf("#%s has attributes %v: want aria-invalid=true and aria-describedby with %s-error", id, attrs, id)
	}
}

// wantFlash fails the test unless the page confirms what was done.
func (p *jtab) wantFlash(msgs ...string) {
	p.t.Helper()
	p.wantText(`main [role="status"]`, msgs...)
}

// upload chooses file in the attachments form, with the alternative text
// alt, and uploads it; it returns the status of the page that answers.
func (p *jtab) upload(file, alt string) int {
	p.t.Helper()
	p.tab.Run(p.t, chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{file}))
	p.fill("#alt_text", alt)
	return p.click(`main form[enctype="multipart/form-data"] button[type="submit"]`)
}

// admin: an administrator prepares next year's cycle of the demo award
// and opens the call.
func (n *nominateJourneys) admin(t *testing.T) {
	p := n.tab(t)
	p.login("admin")
	next := time.Now().In(i18n.Oslo()).Year() + 1
	title := fmt.Sprintf("Innovasjonsprisen %d", next)

	if status := p.click(`.site-header a[href="/admin/priser"]`); status != http.StatusOK {
		t.Fatalf("Priser: status %d", status)
	}
	p.wantText("main h1", "Priser og sykluser")
	p.wantText("main table", "Kommunal innovasjonspris", "Kommunal- og distriktsdepartementet")
	p.check("nominate-admin-awards")

	p.click(`main a[href="/admin/priser/kommunal-innovasjonspris"]`)
	p.wantText("main h1", "Kommunal innovasjonspris")
	p.wantText("#cycles-h + * table", fmt.Sprint(next-1), "Åpen for nominasjoner")
	if got := p.value("#new-cycle-year"); got != fmt.Sprint(next) {
		t.Errorf("the new cycle's year is proposed as %q, want %d", got, next)
	}
	p.check("nominate-admin-award")

	// A new cycle for next year: a draft, with its timeline.
	p.fill("#new-cycle-title", title)
	if status := p.click(`#new-cycle button[type="submit"]`); status != http.StatusOK {
		t.Fatalf("creating %s: status %d", title, status)
	}
	if !strings.HasPrefix(p.tab.URL(t), n.app.URL+"/admin/sykluser/") {
		t.Fatalf("after creating the cycle the browser is at %s", p.tab.URL(t))
	}
	cyclePath := strings.TrimPrefix(p.tab.URL(t), n.app.URL)
	p.wantFlash("Syklusen er opprettet som utkast.")
	p.wantText("main h1", title)
	p.wantText(`.cycle-timeline [aria-current="step"]`, "Utkast", "Nå")
	p.check("nominate-admin-cycle-draft")

	// Dates in the wrong order: the deadline before the call opens.
	p.fill("#cycle-call_opens_at", fmt.Sprintf("%d-03-01T09:00", next))
	p.fill("#cycle-nomination_deadline", fmt.Sprintf("%d-02-01T23:59", next))
	callText := "Departementet inviterer kommunene til å nominere seg selv. Fortell hvordan dere fornyer tjenestene sammen med innbyggerne."
	p.fill("#cycle-call_text", callText)
	if status := p.click(`#cycle button[type="submit"]`); status != http.StatusUnprocessableEntity {
		t.Errorf("saving a deadline before the call opens: status %d, want 422", status)
	}
	p.wantFieldError("cycle-nomination_deadline", "Datoene må komme i denne rekkefølgen")
	// What was typed is kept.
	if got := p.value("#cycle-call_text"); got != callText {
		t.Errorf("the call text after the error = %q", got)
	}
	if got := p.value("#cycle-nomination_deadline"); got != fmt.Sprintf("%d-02-01T23:59", next) {
		t.Errorf("the deadline after the error = %q", got)
	}
	p.check("nominate-admin-cycle-dates-error")

	// Corrected: the timeline shows the dates as people read them.
	p.fill("#cycle-call_opens_at", fmt.Sprintf("%d-01-04T09:00", next))
	p.fill("#cycle-nomination_deadline", fmt.Sprintf("%d-03-01T23:59", next))
	if status := p.click(`#cycle button[type="submit"]`); status != http.StatusOK {
		t.Fatalf("saving the cycle: status %d", status)
	}
	p.wantFlash("Endringene i syklusen er lagret.")
	p.wantText(".cycle-timeline",
		fmt.Sprintf("Utlysningen åpner: 4. januar %d kl. 09.00", next),
		fmt.Sprintf("Frist for nominasjoner: 1. mars %d kl. 23.59", next))

	// A criterion whose scale runs the wrong way, then right.
	p.fill("#new-criterion-name_nb", "Nyttig")
	p.fill("#new-criterion-help_nb", "Hva har løsningen gitt innbyggerne? Vis gjerne med tall.")
	p.fill("#new-criterion-weight", "2")
	p.fill("#new-criterion-scale_min", "6")
	p.fill("#new-criterion-scale_max", "1")
	if status := p.click(`#new-criterion button[type="submit"]`); status != http.StatusUnprocessableEntity {
		t.Errorf("a criterion with max below min: status %d, want 422", status)
	}
	p.wantFieldError("new-criterion-scale_max", "Høyeste poeng må være større enn laveste poeng.")
	if got := p.value("#new-criterion-name_nb"); got != "Nyttig" {
		t.Errorf("the criterion's name after the error = %q", got)
	}
	p.check("nominate-admin-criterion-error")
	p.fill("#new-criterion-scale_min", "1")
	p.fill("#new-criterion-scale_max", "6")
	if status := p.click(`#new-criterion button[type="submit"]`); status != http.StatusOK {
		t.Fatalf("adding the criterion: status %d", status)
	}
	p.wantFlash("Kriteriet er lagt til.")
	p.wantText("#criteria-h + * table", "Nyttig", "Hva har løsningen gitt innbyggerne?", "1–6")
	p.check("nominate-admin-cycle-ready")

	// What submitters will read.
	p.click(fmt.Sprintf(`main a[href="/sykluser/%s"]`, strings.TrimPrefix(cyclePath, "/admin/sykluser/")))
	p.wantText("main h1", title)
	p.wantText("#call-h + p", callText)
	p.wantText(".criteria-list", "Nyttig", "Hva har løsningen gitt innbyggerne?")
	p.wantText("#deadline", fmt.Sprintf("Frist for nominasjoner: 1. mars %d kl. 23.59", next))
	p.check("nominate-admin-cycle-as-submitter")

	// Draft → open, through the page that names the consequences.
	p.visit(cyclePath)
	if status := p.click(`main a[href$="/fase?til=open"]`); status != http.StatusOK {
		t.Fatalf("the confirmation page: status %d", status)
	}
	p.wantText("main h1", "Åpne utlysningen")
	p.wantText("main", "Utkast → Åpen for nominasjoner", "Hva skjer", "Utlysningen blir synlig")
	p.check("nominate-admin-move-confirm")
	// The owner is a ministry: språklova wants the call in nynorsk too,
	// and the refusal names what is missing.
	if status := p.click(`main form[action$="/fase"] button[type="submit"]`); status != http.StatusConflict {
		t.Errorf("opening the call without nynorsk: status %d, want 409", status)
	}
	p.wantText("main", "Dette mangler på nynorsk: utlysningsteksten")
	p.check("nominate-admin-open-needs-nynorsk")
	p.visit(cyclePath)
	p.fill("#cycle-call_text_nn", "Departementet inviterer kommunane til å nominere seg sjølve.")
	if status := p.click(`#cycle button[type="submit"]`); status != http.StatusOK {
		t.Fatalf("saving the nynorsk call text: status %d", status)
	}
	p.visit(cyclePath)
	if status := p.click(`main a[href$="/fase?til=open"]`); status != http.StatusOK {
		t.Fatalf("the confirmation page: status %d", status)
	}
	if status := p.click(`main form[action$="/fase"] button[type="submit"]`); status != http.StatusOK {
		t.Fatalf("opening the call: status %d", status)
	}
	p.wantURL(cyclePath)
	// The call opens in January: the flash must not say that
	// municipalities see it now.
	p.wantFlash("Utlysningen er satt til åpen.", "fra tidspunktet utlysningen åpner")
	p.wantText(`.cycle-timeline [aria-current="step"]`, "Åpen for nominasjoner", "Utlysningen åpner: 4. januar")
	p.check("nominate-admin-timeline")
}

// submitter: Kari from Asker reads the open call and nominates Asker.
func (n *nominateJourneys) submitter(t *testing.T) {
	p := n.tab(t)
	p.login("asker")
	deadline := nbTime(n.deadline)
	countdown := regexp.MustCompile(`^om \d+ dager?$`)

	// Home: the open calls, with their deadlines.
	p.wantText("#open-cycles-h", "Åpne utlysninger")
	p.wantText("#open-cycles", "Innovasjonsprisen", deadline)
	// Next year's call, open from January, is not shown yet.
	p.dontWantText("#open-cycles", fmt.Sprintf("Innovasjonsprisen %d", time.Now().In(i18n.Oslo()).Year()+1))
	p.check("nominate-home-asker")

	// The cycle page: status and deadline with a countdown, the call, the
	// rules and the criteria with their help texts.
	if status := p.click(fmt.Sprintf(`#open-cycles a[href="/sykluser/%s"]`, n.demoCycle)); status != http.StatusOK {
		t.Fatalf("the cycle page: status %d", status)
	}
	p.wantText("main h1", "Innovasjonsprisen")
	p.wantText("#status-h", "Utlysningen er åpen")
	p.wantText("#deadline", "Frist for nominasjoner: "+deadline)
	if got := p.text("#deadline .ds-tag"); !countdown.MatchString(got) {
		t.Errorf("countdown %q, want «om N dager»", got)
	}
	p.wantText("#call-h + p", "inviterer kommunene til å nominere seg selv")
	p.wantText("#rules-h + ul", "Kommune", "1 nominasjon", "opptil 3 prosjekter")
	p.wantText(".criteria-list", "Nytt", "Er løsningen ny for kommunen", "Nyttig", "Vis gjerne med tall", "Nyttiggjort")
	p.check("nominate-cycle")

	// Start nomination → the task list.
	if status := p.click(`main form[action$="/nominasjoner"] button[type="submit"]`); status != http.StatusOK {
		t.Fatalf("starting: status %d", status)
	}
	n.nomination = strings.TrimPrefix(p.tab.URL(t), n.app.URL)
	if !strings.HasPrefix(n.nomination, "/nominasjoner/") {
		t.Fatalf("after starting the browser is at %s", n.nomination)
	}
	p.wantFlash("Nominasjonen er opprettet som utkast.")
	p.wantText("main h1", "Nominasjon uten tittel")
	p.wantText(".nom-status", "Utkast", "Frist: "+deadline)
	p.wantTasks(map[string]string{"/fakta": "Ikke startet", "/organisasjoner": "Fullført", "/prosjekter/ny": "Ikke startet",
		"/kontakt": "Fullført", "/send-inn": "Ikke startet"})
	p.check("nominate-tasks-new")

	// Basic facts: saved without choosing the challenge.
	p.click(`#tasks a[href$="/fakta"]`)
	p.wantText("main h1", "Grunnopplysninger")
	p.check("nominate-facts")
	p.fill("#title", nominateTitle)
	p.fill("#summary", nominateSummary)
	if status := p.click(`main form[action$="/fakta"] button[type="submit"]`); status != http.StatusOK {
		t.Fatalf("saving the facts: status %d", status)
	}
	p.wantURL(n.nomination)
	p.wantFlash("Endringene er lagret.")
	p.wantText("main h1", nominateTitle)
	p.wantTasks(map[string]string{"/fakta": "Påbegynt"})

	// An emptied title is refused, and nothing else is lost.
	p.click(`#tasks a[href$="/fakta"]`)
	p.fill("#title", "")
	p.fill("#summary", nominateSummary+" Vi har lært mye.")
	if status := p.click(`main form[action$="/fakta"] button[type="submit"]`); status != http.StatusUnprocessableEntity {
		t.Errorf("saving an empty title: status %d, want 422", status)
	}
	p.wantFieldError("title", "Må fylles ut")
	if got := p.value("#summary"); got != nominateSummary+" Vi har lært mye." {
		t.Errorf("the summary after the error = %q", got)
	}
	p.check("nominate-facts-error")
	p.fill("#title", nominateTitle)
	if status := p.click(`main form[action$="/fakta"] button[type="submit"]`); status != http.StatusOK {
		t.Fatalf("saving the facts again: status %d", status)
	}
	n.title = nominateTitle

	// Contact.
	p.click(`#tasks a[href$="/kontakt"]`)
	p.wantText("main h1", "Kontaktperson")
	p.fill("#contact_name", "Kari Asker")
	p.fill("#contact_email", "kari@asker.kommune.no")
	p.fill("#contact_phone", "66 90 00 00")
	p.check("nominate-contact")
	p.click(`main form[action$="/kontakt"] button[type="submit"]`)
	p.wantFlash("Endringene er lagret.")
	p.wantTasks(map[string]string{"/kontakt": "Fullført"})

	// Project 1, new, with results in numbers.
	p.click(`#tasks a[href$="/prosjekter/ny"]`)
	p.wantText("main h1", "Nytt prosjekt")
	p.wantText("#earlier", n.earlierName)
	// Above the form, a pointer to the earlier projects below it.
	p.wantText(`main a[href="#earlier-h"]`, "Bruk et tidligere prosjekt")
	p.fill("#title", project1Title)
	p.fill("#description", "Innbyggerne og kommunen fant løsningene for Borgen sammen, i en åpen konkurranse.")
	p.fill("#results", "Nærmiljøet fikk en møteplass som innbyggerne selv har valgt.")
	p.fill("#measure-0-label", "deltakere")
	p.fill("#measure-0-value", "783")
	p.fill("#measure-0-unit", "personer")
	p.fill("#measure-1-label", "innspill")
	p.fill("#measure-1-value", "458")
	p.fill("#partners", "Borgen vel, Asker frivilligsentral")
	p.fill("#period_start", "2016-01-15")
	p.fill("#period_end", "2016-06-30")
	p.fill("#links", "https://www.asker.kommune.no/losningsjakten")
	p.check("nominate-project-measures")
	if status := p.click(`#project-form button[type="submit"]`); status != http.StatusOK {
		t.Fatalf("adding project 1: status %d", status)
	}
	p.wantURL(n.nomination)
	p.wantFlash("Prosjektet er lagt til.")
	p.wantText("#tasks", "Prosjekt 1: "+project1Title, "Legg til prosjekt 2 (valgfritt)")
	n.project1 = p.hrefOf("#tasks", "Prosjekt 1")
	p.wantTasks(map[string]string{n.project1: "Fullført"})

	// Its attachments: an image with alt text, a PDF, and an image without.
	p.clickLink("#tasks", "Prosjekt 1")
	if got := p.value("#measure-1-value"); got != "458" {
		t.Errorf("measure 2 as saved = %q, want 458", got)
	}
	p.click(`#files-h ~ p a[href*="/vedlegg"]`)
	p.wantText("main h1", "Vedlegg til «"+project1Title+"»")
	p.check("nominate-attachments")
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	picture, report, bare := write("borgen-verksted.png", tinyPNG(t)), write("sluttrapport.pdf", tinyPDF), write("uten-tekst.png", tinyPNG(t))
	if status := p.upload(picture, "Innbyggere samlet rundt kart over Borgen på et verksted"); status != http.StatusOK {
		t.Fatalf("uploading the picture: status %d", status)
	}
	p.wantFlash("Vedlegget er lastet opp.")
	if status := p.upload(report, ""); status != http.StatusOK {
		t.Fatalf("uploading the report: status %d", status)
	}
	p.wantText("main table", "borgen-verksted.png", "PNG-bilde", "Innbyggere samlet rundt kart", "sluttrapport.pdf", "PDF")
	if status := p.upload(bare, ""); status != http.StatusUnprocessableEntity {
		t.Errorf("an image without alt text: status %d, want 422", status)
	}
	p.wantFieldError("alt_text", "Skriv en alternativ tekst som forteller hva bildet viser.")
	p.wantText("#file-hint", "Velg filen på nytt")
	p.dontWantText("main table", "uten-tekst.png")
	p.check("nominate-attachments-error")

	// Back to the project, and from there to the task list.
	p.clickLink("main", "Tilbake til prosjektet")
	p.wantURL(n.project1)
	p.wantText("#files-h + ul", "borgen-verksted.png", "sluttrapport.pdf")
	p.clickLink("main", "Tilbake til oversikten")
	p.wantURL(n.nomination)

	// Project 2: Asker's project from an earlier year.
	p.click(`#tasks a[href$="/prosjekter/ny"]`)
	p.wantText("#earlier-h", "Bruk et tidligere prosjekt")
	p.check("nominate-project-new-with-earlier")
	if status := p.click(fmt.Sprintf(`#earlier form:has(input[name="project_id"][value=%q]) button`, n.earlier)); status != http.StatusOK {
		t.Fatalf("using the earlier project: status %d", status)
	}
	p.wantURL(n.nomination)
	p.wantFlash("Prosjektet er lagt til.")
	p.wantText("#tasks", "Prosjekt 2: "+n.earlierName)
	p.check("nominate-tasks-two-projects")

	// Check and submit: what is missing, each with a link to where it is
	// mended.
	p.click(`#tasks a[href$="/send-inn"]`)
	p.wantText("main h1", "Kontroller og send inn")
	p.wantText("#missing", "Dette mangler før du kan sende inn", "Velg hvilken utfordring dere møtte", "Prosjekt 2: Beskriv hva som ble gjort i prosjektet")
	p.check("nominate-check-missing")
	p.click(`#missing a[href$="/fakta#challenge"]`)
	p.tab.Run(t, chromedp.Click(chromedp.CSS("#challenge-known_tangle")))
	p.click(`main form[action$="/fakta"] button[type="submit"]`)
	p.wantTasks(map[string]string{"/fakta": "Fullført"})
	p.click(`#tasks a[href$="/send-inn"]`)
	p.click(`#missing a[href$="#description"]`)
	p.wantText("main h1", "Prosjekt 2: "+n.earlierName)
	p.fill("#description", "Et laboratorium der ansatte og innbyggere prøver ut nye velferdstjenester sammen.")
	p.click(`#project-form button[type="submit"]`)
	p.wantFlash("Endringene er lagret.")
	p.wantTasks(map[string]string{"/fakta": "Fullført", "/organisasjoner": "Fullført", "/kontakt": "Fullført"})

	p.click(`#tasks a[href$="/send-inn"]`)
	if k := p.evalInt(`document.querySelectorAll('#missing').length`); k != 0 {
		t.Errorf("the missing list is still there: %s", p.text("#missing"))
	}
	if k := p.evalInt(`[...document.querySelectorAll('.nom-review__head a')].filter(a => a.textContent.startsWith('Endre')).length`); k != 5 {
		t.Errorf("%d «Endre» links, want 5 (facts, nominees, two projects, contact)", k)
	}
	p.wantText("main", nominateTitle, "Kjent floke, men ukjent løsning", "Asker", project1Title, "deltakere: 783 personer", "innspill: 458",
		n.earlierName, "Kari Asker", "kari@asker.kommune.no", "borgen-verksted.png")
	// The demo's call publishes every nomination, as its call text says.
	p.wantText("#publication", "blir alle innsendte nominasjoner publisert")
	p.wantText("#publication + p", "Kontaktopplysningene, juryens poeng og kommentarer og tilbakemeldingen til dere blir ikke publisert.")
	p.wantText(`main form[action$="/send-inn"]`, "fram til fristen "+deadline)
	p.check("nominate-check-ready")

	// Send inn → the confirmation: what happened and what comes next.
	if status := p.click(`main form[action$="/send-inn"] button[type="submit"]`); status != http.StatusOK {
		t.Fatalf("submitting: status %d", status)
	}
	p.wantURL(n.nomination + "/sendt")
	p.wantText("#confirmation", "Nominasjonen er sendt inn", nominateTitle)
	p.wantText("main", "Du kan endre den fram til "+deadline+".", "Kvittering sendes på e-post til innsenderne i Asker.",
		"Hva skjer nå?", "Etter fristen vurderer juryen nominasjonene.")
	p.check("nominate-sent")

	// The printable receipt.
	receipt := notify.ReceiptPath(strings.TrimPrefix(n.nomination, "/nominasjoner/"))
	if status := p.click(fmt.Sprintf(`main a[href=%q]`, receipt)); status != http.StatusOK {
		t.Fatalf("the receipt: status %d", status)
	}
	p.wantText("main h1", "Kvittering for innsendt nominasjon")
	p.wantText(".receipt__facts", nominateTitle, "Innovasjonsprisen", "Asker", project1Title, n.earlierName, deadline)
	p.check("nominate-receipt")

	// The home page lists it as submitted.
	p.visit("/")
	p.wantText("#my-nominations", nominateTitle, "Sendt inn")
	p.check("nominate-home-asker-submitted")
}

// conflictingEdit: two people from Asker (two browser contexts as the one
// demo submitter) change the summary at once; the second to save sees the
// first one's version and keeps their own text.
func (n *nominateJourneys) conflictingEdit(t *testing.T) {
	first, second := n.tab(t), n.tab(t)
	first.login("asker")
	second.login("asker")
	facts := n.nomination + "/fakta"
	first.visit(facts)
	second.visit(facts)
	const theirs = "Asker fornyer tjenestene sammen med innbyggerne, frivillige og næringslivet."
	const mine = "Asker har bygd en kultur for innovasjon i hele organisasjonen, fra barnehage til byggesak."
	first.fill("#summary", theirs)
	second.fill("#summary", mine)
	if status := first.click(`main form[action$="/fakta"] button[type="submit"]`); status != http.StatusOK {
		t.Fatalf("the first save: status %d", status)
	}
	first.wantFlash("Endringene er lagret.")

	if status := second.click(`main form[action$="/fakta"] button[type="submit"]`); status != http.StatusConflict {
		t.Errorf("the second save: status %d, want 409", status)
	}
	second.wantURL(facts)
	second.wantText("#problem", "Noen andre lagret denne nominasjonen", "Teksten din er tatt vare på")
	second.waitFor("the message to have focus", `document.activeElement && document.activeElement.id === 'problem'`)
	second.wantText(".nom-theirs", "Den lagrede versjonen", theirs)
	second.wantText("main", "Din tekst (ikke lagret)")
	if got := second.value("#summary"); got != mine {
		t.Errorf("the second person's summary after the conflict = %q, want their own text", got)
	}
	second.check("nominate-conflict")

	// Having seen both, the second person saves theirs.
	if status := second.click(`main form[action$="/fakta"] button[type="submit"]`); status != http.StatusOK {
		t.Fatalf("saving after the conflict: status %d", status)
	}
	second.wantFlash("Endringene er lagret.")
	first.visit(facts)
	if got := first.value("#summary"); got != mine {
		t.Errorf("the summary after both saves = %q, want %q", got, mine)
	}
}

// otherMunicipality: Træna tries the addresses of Asker's nomination and
// gets "not found", with nothing of the nomination on the page.
func (n *nominateJourneys) otherMunicipality(t *testing.T) {
	p := n.tab(t)
	p.login("traena")
	for _, path := range []string{n.nomination, n.nomination + "/fakta", n.nomination + "/send-inn", n.nomination + "/sendt",
		n.project1, notify.ReceiptPath(strings.TrimPrefix(n.nomination, "/nominasjoner/"))} {
		if status := p.visit(path); status != http.StatusNotFound {
			t.Errorf("%s as Træna: status %d, want 404", path, status)
		}
		p.wantText("main h1", "Fant ikke siden")
		p.dontWantText("body", n.title, project1Title, nominateSummary)
		p.check("nominate-404-traena")
	}
}
