package app_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/browsertest"
)

// TestBidsInBrowser walks the bids from a juror's phone to the admin's
// assignment page, without JavaScript of our own: jury-1 finds the
// bidding page from their home page while the cycle is closed, marks one
// nomination rather not and another eager with the radios and one
// post; the other jurors' bids are in already. The admin's automatic run
// (K = 1) then cannot honour them all, and the page says which bids were
// not honoured and why; afterwards bidding is closed. axe checks every
// page, and the juror's page must fit 390 px.
func TestBidsInBrowser(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	cycle, ids := asgScenario(t, a)
	db := nomDB(t, a)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `UPDATE cycles SET phase = 'closed', assignment_mode = 'auto', jurors_per_nomination = 1
		WHERE public_id = ?`, cycle); err != nil {
		t.Fatal(err)
	}
	pub := map[string]string{}
	for _, m := range []string{"Asker", "Træna"} {
		var p string
		if err := db.NewRaw(`SELECT n.public_id FROM nominations n JOIN cycles c ON c.id = n.cycle_id
			WHERE c.public_id = ? AND n.title = ?`, cycle, "Innovasjon i "+m).Scan(ctx, &p); err != nil {
			t.Fatal(err)
		}
		pub[m] = p
	}
	// Nobody wants Asker's nomination; the chair, like jury-1 below, is
	// eager on Træna's, which only one of them can get.
	if _, err := db.ExecContext(ctx, `INSERT INTO juror_bids (juror_id, nomination_id, bid)
		SELECT j, n.id, b FROM (VALUES (?::bigint, ?, 'not_wanted'), (?::bigint, ?, 'not_wanted'), (?::bigint, ?, 'eager')) v(j, p, b)
		JOIN nominations n ON n.public_id = v.p`,
		ids["jury-chair"], pub["Asker"], ids["jury-2"], pub["Asker"], ids["jury-chair"], pub["Træna"]); err != nil {
		t.Fatal(err)
	}

	b := browsertest.New(t)
	juror := b.Tab(t)
	juror.Run(t, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	juror.Navigate(t, a.URL+"/auth/login?login_hint=jury-1")
	juror.Navigate(t, a.URL+"/")
	asgClick(t, juror, "#bids-"+cycle, http.StatusOK)
	asgText(t, juror, "main h1", "Ønsker for fordelingen")
	asgText(t, juror, "#bids", "Innovasjon i Asker", "Gjerne", "Kan", "Helst ikke")
	bidsFit(t, juror)
	juror.Axe(t)
	juror.Screenshot(t, "bids-juror")
	juror.Run(t, chromedp.Click(chromedp.CSS("[id='n-"+pub["Asker"]+"-not_wanted']")),
		chromedp.Click(chromedp.CSS("[id='n-"+pub["Træna"]+"-eager']")))
	asgClick(t, juror, "#bids button[type=submit]", http.StatusOK)
	asgText(t, juror, `main [role="status"]`, "Ønskene er lagret.")
	if got := asgEval(t, juror, `[...document.querySelectorAll('#bids input:checked')].map(i => i.id.split('-').pop()).join(',')`); got == "" {
		t.Fatal("no choice checked after saving")
	}
	for m, want := range map[string]string{"Asker": "not_wanted", "Træna": "eager"} {
		if got := asgEval(t, juror, `document.querySelector("input[name='bid_`+pub[m]+`']:checked").value`); got != want {
			t.Errorf("%s: %q after saving, want %q", m, got, want)
		}
	}
	bidsFit(t, juror)
	juror.Axe(t)

	// The admin runs the assignment: Asker's nomination goes to someone
	// who did not want it (no one did), and one of the two eager on
	// Træna's misses it, for balance.
	admin := b.Tab(t)
	admin.Navigate(t, a.URL+"/auth/login?login_hint=admin")
	admin.Navigate(t, a.URL+"/admin/sykluser/"+cycle+"/fordeling")
	asgClick(t, admin, "#auto button[type=submit]", http.StatusOK)
	asgText(t, admin, "#bids-summary", "3 av 5 ønsker er oppfylt", "1 av 2 «gjerne» er tildelt", "2 av 3 «helst ikke» er ikke tildelt")
	asgText(t, admin, "#bids-notes", "Innovasjon i Asker", "helst ikke ville ha", "For få av jurymedlemmene",
		"Innovasjon i Træna", "gjerne ville ha", "jevn belastning går foran")
	admin.Axe(t)
	admin.Screenshot(t, "bids-assignment")

	// Bidding is closed now.
	juror.Navigate(t, a.URL+"/jury/"+cycle+"/onsker")
	asgText(t, juror, "#bidding-closed", "kan ikke endres nå")
	bidsFit(t, juror)
	juror.Axe(t)
}

// bidsFit fails when the page is wider than a 390 px screen.
func bidsFit(t *testing.T, tab *browsertest.Tab) {
	t.Helper()
	if got := asgEval(t, tab, `(() => {
		const d = document.documentElement, w = Math.min(d.clientWidth, 390);
		return d.scrollWidth <= w ? "" : d.scrollWidth + " > " + w;
	})()`); got != "" {
		t.Errorf("the bidding page is wider than the screen: %s", got)
	}
}
