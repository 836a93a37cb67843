package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/browsertest"
)

// TestNoarkExportInBrowser follows the owner admin of the demo's
// published 2017 cycle from the button on the cycle's page through the
// export's page, refreshed with its Oppdater link, to the download,
// checking each page with axe-core. The real job is too quick to catch
// half-way, so a running export held at 3 of 11 documents, which then
// fails, is made in the database afterwards to show those two states.
func TestNoarkExportInBrowser(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	db := receiptDB(t, a)
	ctx := context.Background()
	var cycle string
	var cycleID int64
	if err := db.QueryRowContext(ctx, `SELECT c.public_id, c.id FROM cycles c JOIN awards a ON a.id = c.award_id
		WHERE a.slug = 'kommunal-innovasjonspris' AND c.phase = 'published' AND c.year = 2017`).Scan(&cycle, &cycleID); err != nil {
		t.Fatalf("the demo's published cycle: %v", err)
	}
	kdd := a.Login(t, "eier-kdd")

	b := browsertest.New(t)
	tab := b.Tab(t)
	tab.Navigate(t, a.URL+"/auth/login?login_hint=eier-kdd")
	tab.Navigate(t, a.URL+"/admin/sykluser/"+cycle)
	if got := tab.Text(t, "#arkivuttrekk"); !strings.Contains(got, "Lag arkivuttrekk") || !strings.Contains(got, "slettes 24 timer etter første nedlasting") {
		t.Errorf("the cycle's deposit section: %q", got)
	}
	tab.Axe(t)
	tab.Screenshot(t, "noark-cycle")

	pubClick(t, tab, "#arkivuttrekk form button", http.StatusOK)
	if got := tab.Text(t, "main h1"); !strings.HasPrefix(got, "Arkivuttrekk for ") {
		t.Fatalf("the export's page: h1 %q", got)
	}
	tab.Axe(t)
	for deadline := time.Now().Add(time.Minute); !strings.Contains(tab.HTML(t), `id="noark-download"`); {
		if time.Now().After(deadline) {
			t.Fatalf("the export did not finish: %q", tab.Text(t, "#noark-status"))
		}
		time.Sleep(300 * time.Millisecond)
		pubClick(t, tab, "#noark-refresh", http.StatusOK)
	}
	if got := tab.Text(t, "#noark-keep"); !strings.Contains(got, "blir liggende til den er lastet ned") {
		t.Errorf("how long the file is kept: %q", got)
	}
	if got := tab.Text(t, "#noark-download"); !strings.HasPrefix(got, "Last ned arkivuttrekket (") {
		t.Errorf("the download link: %q", got)
	}
	tab.Axe(t)
	tab.Screenshot(t, "noark-done")

	// The link's file, as the browser would save it; then the page says
	// when it goes.
	pageURL := tab.URL(t)
	id := pageURL[strings.LastIndex(pageURL, "/")+1:]
	href := "/api/v1/cycles/" + cycle + "/noark5/exports/" + id + "/file"
	if !strings.Contains(tab.HTML(t), `id="noark-download" href="`+href+`"`) {
		t.Errorf("the download link is not %s", href)
	}
	status, header, _ := a.DoHeader(t, kdd, http.MethodGet, href, "")
	if status != http.StatusOK || header.Get("Content-Type") != "application/x-tar" {
		t.Fatalf("the download: %d %v", status, header)
	}
	tab.Navigate(t, pageURL)
	if got := tab.Text(t, "#noark-keep"); !strings.Contains(got, "Lastet ned første gang") || !strings.Contains(got, "Filen slettes") {
		t.Errorf("after the download: %q", got)
	}
	tab.Axe(t)
	tab.Screenshot(t, "noark-downloaded")

	// A running export, as the cycle's page and its own page show it.
	var running string
	if err := db.QueryRowContext(ctx, `INSERT INTO noark_exports (cycle_id, requested_by, state, documents_done, documents_total)
		VALUES (?, ?, 'running', 3, 11) RETURNING public_id`, cycleID, userID(t, a, kdd)).Scan(&running); err != nil {
		t.Fatal(err)
	}
	tab.Navigate(t, a.URL+"/admin/sykluser/"+cycle)
	if got := tab.Text(t, "#noark-latest"); !strings.Contains(got, "3 av 11 dokumenter") {
		t.Errorf("the cycle's page with a running export: %q", got)
	}
	tab.Axe(t)
	pubClick(t, tab, "#noark-latest a", http.StatusOK)
	if got := tab.Text(t, "#noark-status"); !strings.Contains(got, "3 av 11 dokumenter") {
		t.Errorf("the running export: %q", got)
	}
	if got := tab.Text(t, "#noark-refresh"); got != "Oppdater" {
		t.Errorf("the refresh link: %q", got)
	}
	if html := tab.HTML(t); !strings.Contains(html, `<progress id="noark-progress" max="11" value="3"`) || strings.Contains(html, "noark-download") {
		t.Errorf("the running export's page lacks its progress bar or offers a download")
	}
	tab.Axe(t)
	tab.Screenshot(t, "noark-running")

	if _, err := db.ExecContext(ctx, `UPDATE noark_exports SET state = 'failed', error = 'the file store was away', finished_at = now()
		WHERE public_id = ?`, running); err != nil {
		t.Fatal(err)
	}
	pubClick(t, tab, "#noark-refresh", http.StatusOK)
	if got := tab.Text(t, "#noark-status"); !strings.Contains(got, "kunne ikke lages") || !strings.Contains(got, "the file store was away") {
		t.Errorf("the failed export: %q", got)
	}
	if got := tab.Text(t, "main form button"); got != "Lag et nytt arkivuttrekk" {
		t.Errorf("the failed export's button: %q", got)
	}
	tab.Axe(t)
	tab.Screenshot(t, "noark-failed")
}
