package app_test

import (
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/browsertest"
)

// TestBrowserProfile walks from the header's user menu to the profile
// page, in bokmål and nynorsk, checks both with axe and fetches the
// download link's file as the browser would.
func TestBrowserProfile(t *testing.T) {
	axeBefore := browsertest.AxeCount()
	j := &journeys{app: apptest.Start(t), browser: browsertest.New(t), checked: map[string]bool{}}
	p := j.tab(t)
	p.login("jury-chair")
	if status := p.click(`.site-header a[href="/meg"]`); status != http.StatusOK {
		t.Fatalf("profile: status %d", status)
	}
	p.wantText("main h1", "Min profil")
	p.wantText("main dl", "Jorunn Juryleder", "jorunn@example.org", "Bokmål")
	p.wantText("#profile-seats + ul", "Juryleder")
	p.wantText("main", "Du er ikke medlem av noen organisasjon.", "Last ned dataene mine (JSON)")
	p.check("profile")

	// The link serves the same file as the API: JSON about her, as an
	// attachment.
	got := journeyRun(p, "downloading the file", chromedp.Evaluate[string](`fetch(document.querySelector('a[href="/api/v1/me/export"][download]').href)
		.then(r => r.json().then(d => r.headers.get('Content-Disposition').split(';')[0] + ' ' + d.user.email + ' ' + d.jury_seats.length))`,
		chromedp.EvalAwaitPromise))
	// Her seats: the open call's and the demo prize's.
	if want := "attachment jorunn@example.org 2"; got != want {
		t.Errorf("download = %q, want %q", got, want)
	}

	p.visit("/lang/nn?next=/meg")
	p.wantText("main h1", "Profilen min")
	p.wantText("main", "Last ned dataa mine (JSON)")
	p.check("profile-nn")
	if !t.Failed() {
		t.Logf("axe checked %d pages, 0 violations", browsertest.AxeCount()-axeBefore)
	}
}
