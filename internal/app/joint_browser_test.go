package app_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/browsertest"
)

// TestJointEntryInBrowser: Asker's submitter invites Træna from the
// nominee organisations page; Træna's submitter finds the invitation on
// the home page, reads the outline and accepts; both then see the joint
// entry. Every page is checked with axe.
func TestJointEntryInBrowser(t *testing.T) {
	t.Parallel()
	j := &journeys{app: apptest.Start(t), browser: browsertest.New(t), checked: map[string]bool{}}
	db := nomDB(t, j.app)
	cycle := nomCycle(t, db, "samarbeid-nettleser", "now() + interval '30 days'", 1, 3)

	asker := j.tab(t)
	asker.login("asker")
	api := nomClient{t: t, a: j.app, c: j.app.Login(t, "asker")}
	id := api.create(cycle, `{"title":"Felles velferdslab","summary":"Det Træna ikke skal se ennå"}`)

	asker.visit("/nominasjoner/" + id + "/organisasjoner")
	asker.wantText("#nominees", "Asker", "Leder nominasjonen")
	asker.check("joint-nominees-lead")
	asker.search("Træna")
	if status := asker.click(`#found button[type="submit"]`); status != http.StatusOK {
		t.Fatalf("invite Træna: status %d", status)
	}
	asker.wantURL("/nominasjoner/" + id + "/organisasjoner")
	asker.wantText("main", "Invitasjonen er sendt")
	asker.wantText("#invitation", "Træna", "Venter på svar", "Trekk tilbake", "invitasjonen til Træna")
	asker.dontWantText("#nominees", "Træna")
	asker.check("joint-invited")

	traena := j.tab(t)
	traena.login("traena")
	traena.wantText("#joint-invitations", "Asker inviterer Træna til «Felles velferdslab»", "svar innen")
	traena.check("joint-home-task")
	if status := traena.click(`#joint-invitations a`); status != http.StatusOK {
		t.Fatalf("open the invitation: status %d", status)
	}
	invitation := strings.TrimPrefix(traena.tab.URL(t), j.app.URL+"/samarbeid/")
	traena.wantText("main h1", "Invitasjon til felles nominasjon")
	traena.wantText("#invitation-facts", "Felles velferdslab", "Asker", "Træna", "Venter på svar")
	traena.dontWantText("main", "Det Træna ikke skal se ennå")
	traena.check("joint-invitation")
	if status := traena.click(`#decision form:first-child button`); status != http.StatusOK {
		t.Fatalf("accept: status %d", status)
	}
	traena.wantURL("/nominasjoner/" + id)
	traena.wantText("main", "Dere er nå med i nominasjonen", "Felles velferdslab")
	traena.check("joint-accepted")
	traena.visit("/nominasjoner/" + id + "/organisasjoner")
	traena.wantText("#nominees", "Asker", "Træna", "Med-nominert", "Trekk vår organisasjon ut")
	traena.wantText("main", "Bare organisasjonen som leder nominasjonen, kan invitere andre.")
	traena.check("joint-co-nominee")

	asker.visit("/nominasjoner/" + id + "/organisasjoner")
	asker.wantText("#nominees", "Træna", "Med-nominert", "Gi lederrollen", "til Træna")
	asker.wantText("#invitation", "Takket ja")
	if got := asker.text("#nominees"); strings.Contains(got, "Fjern") {
		t.Errorf("the lead is offered to remove Træna:\n%s", got)
	}
	asker.check("joint-accepted-lead")

	// The same pages on a phone: nothing wider than the screen.
	const width = 390
	for _, p := range []*jtab{asker, traena} {
		p.tab.Run(t, chromedp.EmulateViewport(width, 844, chromedp.EmulateMobile))
	}
	for _, page := range []struct {
		p    *jtab
		path string
	}{{asker, "/nominasjoner/" + id + "/organisasjoner"}, {traena, "/samarbeid/" + invitation}, {traena, "/"}} {
		page.p.visit(page.path)
		if w := page.p.evalInt(`document.documentElement.scrollWidth`); w > width {
			t.Errorf("%s on a %d px wide screen is %d px wide", page.path, width, w)
		}
		page.p.tab.Screenshot(t, "joint-phone"+strings.ReplaceAll(page.path, "/", "-"))
	}
}
