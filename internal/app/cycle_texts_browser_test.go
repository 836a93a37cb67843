package app_test

import (
	"net/http"
	"testing"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/browsertest"
)

// TestBrowserCycleTexts reads the demo's open call in nynorsk and English
// (its texts exist in both) and a published year in nynorsk (its project
// texts in bokmål, marked lang="nb"), with axe on each page.
func TestBrowserCycleTexts(t *testing.T) {
	axeBefore := browsertest.AxeCount()
	j := &journeys{app: apptest.Start(t), browser: browsertest.New(t), checked: map[string]bool{}}
	p := j.tab(t)
	// Træna: Asker has used its one nomination in the demo's call with
	// its draft, so the call is no longer among Asker's open ones.
	p.login("traena")
	cycle := p.evalString(`document.querySelector('#open-cycles a[href^="/sykluser/"]').getAttribute('href')`)

	p.visit("/lang/nn?next=" + cycle)
	p.wantText("#call-h + p", "Kommunen sender inn éin nominasjon")
	if n := p.evalInt(`document.querySelectorAll('main [lang="nb"]').length`); n != 0 {
		t.Errorf("%d elements marked bokmål on a page with every text in nynorsk", n)
	}
	p.check("cycle-nn")
	p.visit("/lang/en?next=" + cycle)
	p.wantText("#call-h + p", "The municipality sends in one nomination")
	p.check("cycle-en")

	if status := p.visit("/priser/kommunal-innovasjonspris/2017?lang=nn"); status != http.StatusOK {
		t.Fatalf("archive 2017: status %d", status)
	}
	// The history's project texts are Asker's, in bokmål.
	p.wantText(`.archive-project p[lang="nb"]`, "Holmen svømmehall er Norges mest energieffektive svømmehall")
	p.check("archive-2017-nn")
	if !t.Failed() {
		t.Logf("axe checked %d pages, 0 violations", browsertest.AxeCount()-axeBefore)
	}
}
