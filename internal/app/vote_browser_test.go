package app_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/browsertest"
)

// TestVoteInBrowser walks a ranked final vote: three jurors find the vote
// from their jury page and rank three finalists with the selects, one
// saving a draft first; the chair, who leaves two finalists tied, is
// refused an empty ballot and sees that the result waits for every
// ballot. Then the result page shows the order with the tie explained and
// not broken, the steps and both tables. axe checks every page.
func TestVoteInBrowser(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	db := nomDB(t, a)
	ctx := context.Background()
	cycle, round, x, y := voteCycle(t, db, "vote-browser")
	z := scoringNomination(t, db, cycle, "Bærum")
	if _, err := db.ExecContext(ctx, `INSERT INTO round_nominations (round_id, nomination_id, reason)
		SELECT ?, id, 'Finalist' FROM nominations WHERE public_id = ?`, round, z); err != nil {
		t.Fatal(err)
	}
	// A, B and C by title.
	for id, title := range map[string]string{x: "Digitalt tilsyn", y: "Felles innkjøp", z: "Ungdomsråd på nett"} {
		if _, err := db.ExecContext(ctx, `UPDATE nominations SET title = ? WHERE public_id = ?`, title, id); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range []string{"jury-1", "jury-2", "jury-chair"} {
		c := a.Login(t, u)
		scoringSeat(t, db, cycle, userID(t, a, c), u == "jury-chair")
	}

	b := browsertest.New(t)
	rank := func(tab *browsertest.Tab, ranks map[string]string) {
		t.Helper()
		for id, r := range ranks {
			tab.Run(t, chromedp.SetValue(chromedp.CSS("[id='rank-"+id+"']"), r))
		}
	}
	vote := func(user string, ranks map[string]string, draft bool) *browsertest.Tab {
		t.Helper()
		tab := b.Tab(t)
		tab.Navigate(t, a.URL+"/auth/login?login_hint="+user)
		tab.Navigate(t, a.URL+"/jury/"+cycle)
		asgText(t, tab, "#vote-notice", "Finale", "rangering")
		asgClick(t, tab, "#vote-notice a", http.StatusOK)
		asgText(t, tab, "main h1", "Rangering")
		asgText(t, tab, "#ballot", "Digitalt tilsyn", "Felles innkjøp", "Ungdomsråd på nett", "Ikke rangert", "Nominert: Bærum")
		tab.Axe(t)
		rank(tab, ranks)
		if draft {
			asgClick(t, tab, "#save", http.StatusOK)
			asgText(t, tab, `main [role="status"]`, "Rangeringen er lagret")
			tab.Axe(t)
		}
		asgClick(t, tab, "#submit", http.StatusOK)
		asgText(t, tab, `main [role="status"]`, "Rangeringen er sendt inn")
		asgText(t, tab, "#submitted", "Du sendte inn rangeringen")
		asgText(t, tab, "#my-ballot tbody", "1")
		tab.Axe(t)
		return tab
	}
	juror := vote("jury-1", map[string]string{x: "1", y: "2", z: "3"}, true)
	juror.Screenshot(t, "vote-ballot-submitted")
	vote("jury-2", map[string]string{y: "1", x: "2", z: "3"}, false)

	// The chair votes last: an empty ballot is refused, and the result
	// waits for the chair's.
	chair := b.Tab(t)
	chair.Navigate(t, a.URL+"/auth/login?login_hint=jury-chair")
	chair.Navigate(t, a.URL+"/jury/"+cycle+"/stemme")
	chair.Screenshot(t, "vote-ballot")
	asgClick(t, chair, "#submit", http.StatusUnprocessableEntity)
	asgText(t, chair, "#problem", "Ranger minst én nominasjon")
	chair.Axe(t)
	asgClick(t, chair, "#result-link", http.StatusOK)
	asgText(t, chair, "#vote-count", "2 av 3 jurymedlemmer")
	asgText(t, chair, "#waiting", "når alle jurymedlemmene i runden har sendt inn")
	chair.Axe(t)
	chair.Navigate(t, a.URL+"/jury/"+cycle+"/stemme")
	rank(chair, map[string]string{x: "1", y: "1", z: "2"})
	asgClick(t, chair, "#submit", http.StatusOK)

	asgClick(t, chair, "#result-link", http.StatusOK)
	asgText(t, chair, "main h1", "Resultat av rangeringen")
	asgText(t, chair, "#vote-count", "3 av 3 jurymedlemmer")
	asgText(t, chair, "#order", "Ikke avgjort mellom Digitalt tilsyn og Felles innkjøp", "Ungdomsråd på nett",
		"Mulige vinnere: Digitalt tilsyn og Felles innkjøp")
	asgText(t, chair, "#tie", "avgjør ikke mellom Digitalt tilsyn og Felles innkjøp", "juryleder avgjør")
	asgText(t, chair, "#steps", "Digitalt tilsyn foran Ungdomsråd på nett: sterkeste vei 3 mot 0")
	asgText(t, chair, "#pairwise caption", "rangerte nominasjonen i raden foran")
	asgText(t, chair, "#pairwise tbody tr:first-child", "Digitalt tilsyn", "1", "3")
	asgText(t, chair, "#paths-h", "Sterkeste veier")
	asgText(t, chair, "#paths tbody tr:last-child", "Ungdomsråd på nett", "0")
	asgText(t, chair, "#voters", "Sendt inn")
	chair.Axe(t)
	chair.Screenshot(t, "vote-result")
}
