package app_test

import (
	"bytes"
	"encoding/csv"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/xuri/excelize/v2"
)

// get fetches path as client c and returns the response with its body.
func get(t *testing.T, a *apptest.App, c *http.Client, path string) (*http.Response, []byte) {
	t.Helper()
	resp, err := c.Get(a.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// TestAdminNominationList walks the admin's list of a cycle's
// nominations over HTTP: filters and search, refused and accepted
// eligibility decisions that the submitter then sees, and both exports.
func TestAdminNominationList(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	admin := a.Login(t, "admin")
	kari := nomClient{t: t, a: a, c: a.Login(t, "asker")}
	cycle := nomCycle(t, nomDB(t, a), "eksport", "now() + interval '30 days'", 0, 3)
	id := kari.complete(cycle)
	kari.call(http.MethodPost, "/api/v1/nominations/"+id+"/submit", "", http.StatusOK)
	draft := kari.create(cycle, `{"title":"=2+2 Utkast"}`)
	list := "/admin/sykluser/" + cycle + "/nominasjoner"
	ad := nomClient{t: t, a: a, c: admin}

	page := ad.call(http.MethodGet, list, "", http.StatusOK)
	wantContains(t, "list", page, "Innovasjon i hele kommunen", "=2&#43;2 Utkast", "Sendt inn: <strong>1</strong>",
		"Utkast: <strong>1</strong>", `href="/api/v1/cycles/`+cycle+`/exports/nominations.xlsx"`, `role="search"`, "2 nominasjoner passer.")
	if m := regexp.MustCompile(`\b(?:exports|nominations|error)\.[a-z_]+\.[a-z_]+\b`).FindString(page); m != "" {
		t.Errorf("list shows message ID %q", m)
	}

	// Search (a stemmed word from the project) and filters; the export
	// links carry them.
	page = ad.call(http.MethodGet, list+"?q=velferdslaben&status=submitted", "", http.StatusOK)
	wantContains(t, "search", page, "1 nominasjon passer.", "<mark>", `exports/nominations.csv?q=velferdslaben&amp;status=submitted"`)
	if strings.Contains(page, "Utkast</a>") {
		t.Errorf("search shows the draft")
	}
	page = ad.call(http.MethodGet, list+"?q=finnesikke", "", http.StatusOK)
	wantContains(t, "no match", page, "Ingen nominasjoner passer til filtrene.")

	// Bad filters: the page says what is wrong, next to the field.
	for _, tt := range []struct{ query, field, text string }{
		{"status=vunnet", "filter-status", `aria-invalid="true" aria-describedby="filter-status-error"`},
		{"county=Akershus", "filter-county", "Velg fra lista."},
		{"challenge=lett", "filter-challenge", `aria-describedby="filter-challenge-error"`},
		{"page=0", "filter-page", "Sidenummeret må være et helt tall"},
		{"q=" + url.QueryEscape(strings.Repeat("svømmehall ", 30)), "filter-q", `aria-invalid="true"`},
	} {
		page = ad.call(http.MethodGet, list+"?"+tt.query, "", http.StatusUnprocessableEntity)
		wantContains(t, tt.query, page, `href="#`+tt.field+`"`, `id="`+tt.field, tt.text)
	}

	// Marking ineligible without a reason is refused on the row itself.
	mark := list + "/" + id + "/kvalifisering"
	page = ad.call(http.MethodPost, mark, "ineligible=true&reason=+&back=status%3Dsubmitted", http.StatusUnprocessableEntity)
	wantContains(t, "no reason", page, `href="#reason-`+id+`"`, `id="reason-`+id+`-error"`, "Skriv hvorfor nominasjonen ikke er kvalifisert",
		"<details class=\"review-eligibility\" open>")
	// A draft cannot be marked.
	page = ad.call(http.MethodPost, list+"/"+draft+"/kvalifisering", "ineligible=true&reason=For+sent", http.StatusConflict)
	wantContains(t, "draft", page, `id="problem"`)
	// With a reason it is marked; the redirect keeps the filter and
	// drops anything else.
	status, body := a.Do(t, admin, http.MethodPost, mark, "ineligible=true&reason=Gjelder+et+fylke.&back="+
		url.QueryEscape("status=submitted&evil=https://example.com"))
	if status != http.StatusSeeOther {
		t.Fatalf("mark: %d %.300s", status, body)
	}
	page = ad.call(http.MethodGet, list+"?status=ineligible", "", http.StatusOK)
	wantContains(t, "after marking", page, "Nominasjonen er merket som ikke kvalifisert", "Gjelder et fylke.", "Ikke kvalifisert")
	if v := kari.get(id); v.Status != "ineligible" || v.IneligibleReason != "Gjelder et fylke." {
		t.Errorf("the submitter sees %s %q", v.Status, v.IneligibleReason)
	}
	ad.call(http.MethodPost, mark, "ineligible=false", http.StatusSeeOther)
	if v := kari.get(id); v.Status != "submitted" || v.IneligibleReason != "" {
		t.Errorf("after undo the submitter sees %s %q", v.Status, v.IneligibleReason)
	}

	// The exports.
	resp, raw := get(t, a, admin, "/api/v1/cycles/"+cycle+"/exports/nominations.csv")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
		resp.Header.Get("Content-Disposition") != `attachment; filename=nominasjoner-innovasjonsprisen-eksport.csv` ||
		resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("csv: %d %v", resp.StatusCode, resp.Header)
	}
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\ufeff"))))
	cr.Comma = ';'
	recs, err := cr.ReadAll()
	if err != nil || len(recs) != 3 {
		t.Fatalf("csv: %d records, %v", len(recs), err)
	}
	// Both are Asker's, so by title.
	if recs[2][0] != id || recs[2][9] != "Asker velferdslab" || recs[1][1] != "'=2+2 Utkast" || recs[1][9] != "" {
		t.Errorf("csv rows %q", recs[1:])
	}
	resp, raw = get(t, a, admin, "/api/v1/cycles/"+cycle+"/exports/nominations.xlsx?status=draft")
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Disposition"), "nominasjoner-innovasjonsprisen-eksport.xlsx") {
		t.Fatalf("xlsx: %d %v", resp.StatusCode, resp.Header)
	}
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Nominasjoner")
	if err != nil || len(rows) != 2 || rows[1][1] != "=2+2 Utkast" {
		t.Errorf("xlsx rows %q %v", rows, err)
	}
	// Bad input to the exports gets problem details.
	for _, tt := range []struct {
		path   string
		status int
		text   string
	}{
		{"/api/v1/cycles/" + cycle + "/exports/nominations.csv?county=x", http.StatusUnprocessableEntity, `"county":"Velg fra lista."`},
		{"/api/v1/cycles/" + cycle + "/exports/nominations.xlsx?status=vunnet", http.StatusUnprocessableEntity, `"status":"Velg en status fra lista."`},
		{"/api/v1/cycles/" + cycle + "/exports/nominations.csv?q=%01", http.StatusUnprocessableEntity, `"q"`},
		{"/api/v1/cycles/finnesikke/exports/nominations.csv", http.StatusNotFound, "problem"},
	} {
		resp, raw := get(t, a, admin, tt.path)
		if resp.StatusCode != tt.status || resp.Header.Get("Content-Disposition") != "" ||
			!strings.Contains(resp.Header.Get("Content-Type"), "problem+json") || !strings.Contains(string(raw)+"problem", tt.text) {
			t.Errorf("%s: %d %s %s", tt.path, resp.StatusCode, resp.Header.Get("Content-Type"), raw)
		}
	}
}
