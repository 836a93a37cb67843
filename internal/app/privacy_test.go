package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/apptest"
)

// TestPersonalDataExport downloads a demo user's data over HTTP: a JSON
// attachment, never stored, with the person's own login among its
// sessions (without a token) and no other demo person in it.
func TestPersonalDataExport(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	kari := a.Login(t, "asker")
	a.Login(t, "traena") // another person with a live session

	status, h, body := a.DoHeader(t, kari, http.MethodGet, "/api/v1/me/export", "")
	if status != http.StatusOK {
		t.Fatalf("export: %d %.300s", status, body)
	}
	if cd := h.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, ".json") {
		t.Errorf("Content-Disposition %q, want a JSON attachment", cd)
	}
	if cc := h.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}
	var doc struct {
		User struct {
			Name, Email string
		}
		Memberships []struct{ Organisation string }
		Sessions    []map[string]any
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("export is no JSON: %v\n%.300s", err, body)
	}
	if doc.User.Name != "Kari Asker" || doc.User.Email != "kari@asker.kommune.no" {
		t.Errorf("user %+v, want Kari Asker", doc.User)
	}
	if len(doc.Memberships) != 1 || doc.Memberships[0].Organisation != "Asker" {
		t.Errorf("memberships %+v, want Asker", doc.Memberships)
	}
	if len(doc.Sessions) != 1 || doc.Sessions[0]["provider"] == "" {
		t.Errorf("sessions %v, want her one login", doc.Sessions)
	}
	u, err := url.Parse(a.URL)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range kari.Jar.Cookies(u) {
		if strings.Contains(body, c.Value) {
			t.Errorf("export holds the cookie %s", c.Name)
		}
	}
	for _, other := range []string{"Tore Træna", "tore@traena.kommune.no", "Astrid Admin", "jon@example.org"} {
		if strings.Contains(body, other) {
			t.Errorf("export holds %q", other)
		}
	}
}
