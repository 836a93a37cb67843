package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/browsertest"
	"github.com/heder-awards/heder/internal/pdfdoc/pdftest"
)

// TestDiplomasInBrowser checks the diplomas page with axe-core as the
// owner admin who runs the cycle: the list, a refused signature (a title
// without a name) and a saved one, which the PDFs then carry; until the
// winners are out, the winner's own members get nothing.
func TestDiplomasInBrowser(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	db := pubDB(t, a)
	f := pubCycle(t, db, "diplomas-browser", false)
	owner, asker := a.Login(t, "eier-kdd"), a.Login(t, "asker")
	if status, body := a.Do(t, owner, http.MethodPost, "/api/v1/cycles/"+f.cycle+"/announcements",
		`{"kind":"winners","publish_at":"2031-06-15T12:00:00+02:00"}`); status != http.StatusCreated {
		t.Fatalf("schedule: %d %s", status, body)
	}

	b := browsertest.New(t)
	tab := b.Tab(t)
	tab.Navigate(t, a.URL+"/auth/login?login_hint=eier-kdd")
	page := a.URL + "/admin/sykluser/" + f.cycle + "/diplomer"
	check := func(name string) {
		t.Helper()
		if got := tab.Text(t, "main h1"); !strings.Contains(got, "Diplom") {
			t.Fatalf("%s: h1 %q", name, got)
		}
		tab.Axe(t)
		tab.Screenshot(t, "diplomas-"+name)
	}
	tab.Navigate(t, page)
	check("list")
	if got := tab.Text(t, "main table"); !strings.Contains(got, "Asker") || !strings.Contains(got, "Træna") || strings.Contains(got, "Horten") {
		t.Errorf("the list: %q", got)
	}

	tab.Run(t, chromedp.SetValue(chromedp.CSS("#signature-title_nb"), "statsråd"))
	pubClick(t, tab, `#signature button[type="submit"]`, http.StatusUnprocessableEntity)
	if got := tab.Text(t, "#signature-name-error"); got == "" {
		t.Error("no error next to the name")
	}
	check("refused")
	tab.Run(t, chromedp.SetValue(chromedp.CSS("#signature-name"), "Ola Nordmann"))
	pubClick(t, tab, `#signature button[type="submit"]`, http.StatusOK)
	check("signed")

	// The PDFs carry the signature; the winner's members wait for the
	// winners' instant.
	status, header, body := a.DoHeader(t, owner, http.MethodGet, "/admin/sykluser/"+f.cycle+"/diplomer/"+f.asker+".pdf", "")
	if status != http.StatusOK || header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("the PDF: %d %s", status, header.Get("Content-Type"))
	}
	if text := pdftest.Text(t, []byte(body)); !strings.Contains(text, "Ola Nordmann") || !strings.Contains(text, "statsråd") {
		t.Errorf("the PDF's text: %q", text)
	}
	if status, body := a.Do(t, asker, http.MethodGet, "/api/v1/cycles/"+f.cycle+"/diplomas/"+f.asker+".pdf", ""); status != http.StatusNotFound {
		t.Errorf("Asker's member before the winners' instant: %d %.200s", status, body)
	}

	// The winners are out: Asker's member finds the link on the
	// nomination's page, and the diploma behind it.
	if _, err := db.ExecContext(context.Background(), `UPDATE announcements SET publish_at = now() - interval '1 minute'
		WHERE cycle_id = (SELECT id FROM cycles WHERE public_id = ?)`, f.cycle); err != nil {
		t.Fatal(err)
	}
	tab.Navigate(t, a.URL+"/auth/login?login_hint=asker")
	tab.Navigate(t, a.URL+"/nominasjoner/"+f.asker)
	if got := tab.Text(t, "#result"); !strings.Contains(got, "diplomet") {
		t.Errorf("no diploma link on Asker's page: %q", got)
	}
	tab.Axe(t)
	tab.Screenshot(t, "diplomas-nomination")
	status, header, body = a.DoHeader(t, asker, http.MethodGet, "/nominasjoner/"+f.asker+"/diplom.pdf", "")
	if status != http.StatusOK || header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("Asker's diploma: %d %s", status, header.Get("Content-Type"))
	}
	if text := pdftest.Text(t, []byte(body)); !strings.Contains(text, "Asker") || !strings.Contains(text, pubStatement) {
		t.Errorf("Asker's diploma: %q", text)
	}
	// The API lists the member's one diploma, without the signature.
	status, body = a.Do(t, asker, http.MethodGet, "/api/v1/cycles/"+f.cycle+"/diplomas", "")
	var list struct {
		Released  bool
		Signature *struct{ Name string }
		Items     []struct{ ID, Outcome, PDF string }
	}
	if err := json.Unmarshal([]byte(body), &list); err != nil || status != http.StatusOK {
		t.Fatalf("list: %d %v %s", status, err, body)
	}
	if !list.Released || list.Signature != nil || len(list.Items) != 1 || list.Items[0].ID != f.asker || list.Items[0].Outcome != "winner" ||
		list.Items[0].PDF != "/api/v1/cycles/"+f.cycle+"/diplomas/"+f.asker+".pdf" {
		t.Errorf("Asker's member's list: %s", body)
	}
}
