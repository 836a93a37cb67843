package app_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/browsertest"
)

// TestAssignmentInBrowser walks the assignment page in a browser without
// JavaScript of our own, from the cycle page: everyone scores everything,
// then automatic assignment, one cell changed by hand, and an impossible
// k; axe checks every state of the page.
func TestAssignmentInBrowser(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	cycle, ids := asgScenario(t, a)

	tab := browsertest.New(t).Tab(t)
	tab.Navigate(t, a.URL+"/auth/login?login_hint=admin")
	tab.Navigate(t, a.URL+"/admin/sykluser/"+cycle)
	asgClick(t, tab, `main a[href$="/fordeling"]`, http.StatusOK)
	asgText(t, tab, "main h1", "Fordeling av nominasjoner")
	asgText(t, tab, "main table", "Inhabil", "Ansatt der", "Tildelt", "Jenny Jurymedlem")
	tab.Axe(t)
	tab.Screenshot(t, "assignment-all")

	// Automatic, two per nomination, then run.
	tab.Run(t, chromedp.SetValue(chromedp.CSS("#mode-mode"), "auto"))
	tab.Run(t, chromedp.SetValue(chromedp.CSS("#mode-k"), "2"))
	asgClick(t, tab, "#mode button[type=submit]", http.StatusOK)
	asgText(t, tab, `main [role="status"]`, "Fordelingsmåten er lagret.")
	asgClick(t, tab, "#auto button[type=submit]", http.StatusOK)
	asgText(t, tab, `main [role="status"]`, "Nominasjonene er fordelt.")
	asgText(t, tab, "main table tfoot", "2")
	tab.Axe(t)
	tab.Screenshot(t, "assignment-auto")

	// Jon is kept off Asker's nomination by hand.
	// The first row is Asker's; its ID is "n-<nomination>".
	asker := asgEval(t, tab, `document.querySelector('tbody tr').id.slice(2)`)
	sel := fmt.Sprintf("[id='c-%d-%s']", ids["jury-1"], asker)
	tab.Run(t, chromedp.SetValue(chromedp.CSS(sel), "excluded"))
	asgClick(t, tab, "#cells button[type=submit]", http.StatusOK)
	asgText(t, tab, `main [role="status"]`, "Endringene i fordelingen er lagret.")
	asgText(t, tab, "tbody tr", "Utelatt", "manuell")

	// Three per nomination is impossible: the reasons on top, linked.
	tab.Run(t, chromedp.SetValue(chromedp.CSS("#mode-k"), "3"))
	asgClick(t, tab, "#mode button[type=submit]", http.StatusOK)
	asgClick(t, tab, "#auto button[type=submit]", http.StatusConflict)
	asgText(t, tab, "#error-summary", "Kan ikke fordele automatisk", "bare 2 av 3 jurymedlemmer kan tildeles", "manuelt unntak for Jon Jurymedlem")
	tab.Axe(t)
	tab.Screenshot(t, "assignment-infeasible")
}

func asgClick(t *testing.T, tab *browsertest.Tab, selector string, want int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab.Ctx, 30*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(selector)))
	if err != nil || resp == nil || int(resp.Status) != want {
		t.Fatalf("clicking %s: %v %v, want status %d", selector, resp, err, want)
	}
}

func asgText(t *testing.T, tab *browsertest.Tab, selector string, wants ...string) {
	t.Helper()
	got := tab.Text(t, selector)
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%s: %q lacks %q", selector, got, w)
		}
	}
}

func asgEval(t *testing.T, tab *browsertest.Tab, js string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab.Ctx, 10*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return s
}
