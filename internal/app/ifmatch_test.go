package app_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/apptest"
)

// ifMatchCall sends a JSON request with an If-Match header (none when
// ifMatch is "") and fails unless the status is want; it returns the
// answer's ETag and body.
func ifMatchCall(t *testing.T, a *apptest.App, c *http.Client, method, path, ifMatch, body string, want int) (etag, got string) {
	t.Helper()
	req, err := http.NewRequest(method, a.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if ifMatch != "" {
		req.Header.Set("If-Match", ifMatch)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s (If-Match %s): status %d, want %d: %.600s", method, path, ifMatch, resp.StatusCode, want, b)
	}
	if want >= 400 && resp.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("%s %s: %d as %q, want problem+json", method, path, want, resp.Header.Get("Content-Type"))
	}
	return resp.Header.Get("ETag"), string(b)
}

// TestIfMatch checks that nominations and projects, whose writes take a
// version in the body, show it as an ETag and take it back in If-Match:
// a stale one is 412, one that disagrees with the body 400, and the
// body's version alone works as before (409 when stale).
func TestIfMatch(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	db := nomDB(t, a)
	c := a.Login(t, "asker")
	asker := nomClient{t: t, a: a, c: c}
	cycle := nomCycle(t, db, "if-match", "now() + interval '30 days'", 1, 3)
	id := asker.create(cycle, `{"title":"Innovasjon i hele kommunen"}`)

	for _, tt := range []struct {
		name, path, field string
	}{
		{"nomination", "/api/v1/nominations/" + id, "title"},
		{"project", "/api/v1/projects/" + asker.addProject(id, `{"title":"Asker velferdslab"}`), "title"},
	} {
		etag, body := ifMatchCall(t, a, c, http.MethodGet, tt.path, "", "", http.StatusOK)
		if etag != `"1"` || !strings.Contains(body, `"version":1`) {
			t.Fatalf("%s: GET gives ETag %q with %.200s", tt.name, etag, body)
		}
		// If-Match alone, without a version in the body.
		etag, body = ifMatchCall(t, a, c, http.MethodPatch, tt.path, `"1"`, `{"`+tt.field+`":"Ny tittel"}`, http.StatusOK)
		if etag != `"2"` || !strings.Contains(body, `"version":2`) {
			t.Errorf("%s: PATCH with If-Match gives ETag %q with %.200s", tt.name, etag, body)
		}
		// Stale: 412, with the version now stored.
		etag, body = ifMatchCall(t, a, c, http.MethodPatch, tt.path, `"1"`, `{"`+tt.field+`":"Gammel"}`, http.StatusPreconditionFailed)
		if p := decodeProblem(t, body); p.Status != 412 || p.Code != "stale_version" || p.CurrentVersion != 2 || etag != `"2"` {
			t.Errorf("%s: stale If-Match: ETag %q, %+v", tt.name, etag, p)
		}
		// A weak tag never matches under If-Match.
		ifMatchCall(t, a, c, http.MethodPatch, tt.path, `W/"2"`, `{"`+tt.field+`":"Svak"}`, http.StatusPreconditionFailed)
		// Header and body disagree, or the header is not an ETag: 400.
		_, body = ifMatchCall(t, a, c, http.MethodPatch, tt.path, `"2"`, `{"version":1,"`+tt.field+`":"Uenig"}`, http.StatusBadRequest)
		if p := decodeProblem(t, body); p.Status != 400 || !strings.Contains(p.Detail, "the body's version is 1") {
			t.Errorf("%s: header and body disagree: %+v", tt.name, p)
		}
		for _, bad := range []string{"2", `"to"`, `"2", "3"`, `"0"`} {
			ifMatchCall(t, a, c, http.MethodPatch, tt.path, bad, `{"`+tt.field+`":"Feil"}`, http.StatusBadRequest)
		}
		// The same in both, "*" with the body's, and the body's alone.
		ifMatchCall(t, a, c, http.MethodPatch, tt.path, `"2"`, `{"version":2,"`+tt.field+`":"Enig"}`, http.StatusOK)
		ifMatchCall(t, a, c, http.MethodPatch, tt.path, "*", `{"version":3,"`+tt.field+`":"Stjerne"}`, http.StatusOK)
		etag, _ = ifMatchCall(t, a, c, http.MethodPatch, tt.path, "", `{"version":4,"`+tt.field+`":"Bare kroppen"}`, http.StatusOK)
		if etag != `"5"` {
			t.Errorf("%s: ETag after four saves %q", tt.name, etag)
		}
		_, body = ifMatchCall(t, a, c, http.MethodPatch, tt.path, "", `{"version":4,"`+tt.field+`":"Gammel"}`, http.StatusConflict)
		if p := decodeProblem(t, body); p.Code != "stale_version" || p.CurrentVersion != 5 {
			t.Errorf("%s: stale body version: %+v", tt.name, p)
		}
		etag, body = ifMatchCall(t, a, c, http.MethodGet, tt.path, "", "", http.StatusOK)
		if etag != `"5"` || !strings.Contains(body, "Bare kroppen") {
			t.Errorf("%s: after the writes: ETag %q, %.200s", tt.name, etag, body)
		}
	}
}
