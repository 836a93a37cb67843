package app_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/browsertest"
)

// TestBrowserJury walks the jury's set-up in Chromium, running axe on
// every page: the admin invites (a bad address first), the invitee opens
// the link, logs in from it and accepts, declares (a conflict without a
// reason first), and the chair reads who stepped aside.
func TestBrowserJury(t *testing.T) {
	axeBefore := browsertest.AxeCount()
	j := &journeys{app: apptest.Start(t), browser: browsertest.New(t), checked: map[string]bool{}}
	db := filesDB(t, j.app)
	cycle := juryCycle(t, db, "jury-browser", "Asker", "Træna")
	var chair int64
	if err := db.NewRaw(`SELECT id FROM users WHERE subject = 'jury-chair'`).Scan(context.Background(), &chair); err != nil {
		t.Fatal(err)
	}
	seatJuror(t, db, cycle, chair, true)
	asker, traena := orgID(t, j.app, "Asker"), orgID(t, j.app, "Træna")
	jury := "/admin/sykluser/" + cycle + "/jury"

	admin := j.tab(t)
	admin.login("admin")
	if status := admin.visit(jury); status != http.StatusOK {
		t.Fatalf("jury page: %d", status)
	}
	admin.wantText("main h1", "Jury: Innovasjonsprisen jury-browser")
	admin.check("jury-admin")
	admin.fill("#invite-name", "Jenny Jurymedlem")
	admin.fill("#invite-email", "jenny-at-example")
	if status := admin.click(`#invite button[type="submit"]`); status != http.StatusUnprocessableEntity {
		t.Fatalf("bad address: status %d", status)
	}
	admin.wantText("#error-summary", "Skriv en gyldig e-postadresse")
	admin.waitFor("the error summary to have focus", `document.activeElement && document.activeElement.id === 'error-summary'`)
	admin.check("jury-admin-error")
	admin.fill("#invite-email", "jenny@example.org")
	if status := admin.click(`#invite button[type="submit"]`); status != http.StatusOK {
		t.Fatalf("invite: status %d", status)
	}
	admin.wantText("#invitations", "Jenny Jurymedlem", "Venter på svar")
	link := "/jury/invitasjon/" + invitationToken(t, db, "jenny@example.org", 1)

	jenny := j.tab(t)
	jenny.visit(link)
	jenny.wantText("main", "Jenny Jurymedlem, du er invitert til å være jurymedlem i Innovasjonsprisen jury-browser")
	jenny.check("jury-invitation")
	if status := jenny.click(`main a.ds-button`); status != http.StatusOK {
		t.Fatalf("login from the invitation: status %d", status)
	}
	if status := jenny.click(`form button[name="username"][value="jury-2"]`); status != http.StatusOK {
		t.Fatalf("logging in: status %d", status)
	}
	jenny.wantURL(link)
	jenny.check("jury-invitation-logged-in")
	if status := jenny.click(`main form button[type="submit"]`); status != http.StatusOK {
		t.Fatalf("accept: status %d", status)
	}
	jenny.wantURL("/jury/" + cycle + "/habilitet")
	jenny.wantText("main", "Du har plass i juryen", "Internt arbeidsdokument")
	jenny.check("jury-declaration")
	jenny.click0(fmt.Sprintf("#org-%d-none", asker))
	jenny.click0(fmt.Sprintf("#org-%d-employed", traena))
	if status := jenny.click(`#declaration button[type="submit"]`); status != http.StatusUnprocessableEntity {
		t.Fatalf("conflict without a reason: status %d", status)
	}
	jenny.wantText("#error-summary", "Træna: Skriv en kort begrunnelse for konflikten.")
	jenny.check("jury-declaration-error")
	jenny.fill(fmt.Sprintf("#org-%d-reason", traena), "Jobber i Træna kommune")
	if status := jenny.click(`#declaration button[type="submit"]`); status != http.StatusOK {
		t.Fatalf("declare: status %d", status)
	}
	jenny.wantText("#declaration-status", "Erklæringen ble levert")

	// A forwarded link was accepted: the admin and the chair see the seat
	// waiting, and the chair confirms it.
	awaitingAcceptance(t, db, cycle, "browser-forwarded")
	admin.visit(jury)
	admin.wantText("#awaiting", "venter på at du bekrefter plassen")
	admin.wantText("#invitations", "Venter på bekreftelse", "Videresendt")
	admin.check("jury-admin-awaiting")

	chairTab := j.tab(t)
	chairTab.login("jury-chair")
	chairTab.wantText("#jury-seats", "Innovasjonsprisen jury-browser", "Erklær habilitet")
	chairTab.visit("/jury/" + cycle + "/habilitet/oversikt")
	chairTab.wantText("#stepped-aside", "Jenny Jurymedlem", "Ansatt der", "Jobber i Træna kommune")
	chairTab.wantText("#awaiting", "Videresendt", "browser-forwarded@example.org")
	chairTab.check("jury-overview")
	if status := chairTab.click(`#awaiting button[type="submit"]`); status != http.StatusOK {
		t.Fatalf("confirm: status %d", status)
	}
	chairTab.wantText("main", "Plassen er bekreftet")
	chairTab.wantText("#declarations", "Videresendt")

	admin.visit(jury)
	if status := admin.click(`#jurors a[href$="/fjern"]`); status != http.StatusOK {
		t.Fatalf("remove confirmation: status %d", status)
	}
	admin.check("jury-remove")
	admin.wantText("main h1", "Fjerne")
	t.Logf("axe checked %d jury pages", browsertest.AxeCount()-axeBefore)
}

// click0 clicks the element matching selector where no page loads (a
// radio button).
func (p *jtab) click0(selector string) {
	p.t.Helper()
	p.tab.Run(p.t, chromedp.Click(chromedp.CSS(selector)))
}
