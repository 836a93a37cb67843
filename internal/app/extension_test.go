package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/browsertest"
	"github.com/heder-awards/heder/internal/i18n"
)

// TestExtensionScenario: the ministry's owner admin gives Asker's
// nomination a later deadline after the call's has passed, first with bad
// input through the API, then in the pages (checked with axe); Asker sees
// it and saves, Træna's nomination in the same call stays closed and shows
// nothing of it.
func TestExtensionScenario(t *testing.T) {
	t.Parallel()
	axeBefore := browsertest.AxeCount()
	a := apptest.Start(t)
	db := nomDB(t, a)
	asker := nomClient{t: t, a: a, c: a.Login(t, "asker")}
	traena := nomClient{t: t, a: a, c: a.Login(t, "traena")}
	owner := nomClient{t: t, a: a, c: a.Login(t, "eier-kdd")}
	cycle := nomCycle(t, db, "frist", "now() + interval '1 hour'", 1, 3)
	id := asker.complete(cycle)
	other := traena.create(cycle, `{"title":"Kystlab"}`)
	path := "/api/v1/nominations/" + id + "/deadline-extension"

	// Bad input: each names its field with its code; nothing is stored.
	soon, later := time.Now().Add(30*time.Minute), time.Now().Add(48*time.Hour)
	for _, tc := range []struct{ name, body, field, code string }{
		{"no time", `{"extension_reason":"Feil"}`, "extended_until", "required"},
		{"in the past", fmt.Sprintf(`{"extended_until":%q,"extension_reason":"Feil"}`, time.Now().Add(-time.Hour).Format(time.RFC3339)), "extended_until", "out_of_range"},
		{"before the call's deadline", fmt.Sprintf(`{"extended_until":%q,"extension_reason":"Feil"}`, soon.Format(time.RFC3339)), "extended_until", "wrong_order"},
		{"no reason", fmt.Sprintf(`{"extended_until":%q,"extension_reason":" "}`, later.Format(time.RFC3339)), "extension_reason", "required"},
	} {
		p := decodeProblem(t, owner.call(http.MethodPut, path, tc.body, http.StatusUnprocessableEntity))
		if p.Errors[tc.field] == "" || p.Codes[tc.field] != tc.code {
			t.Errorf("%s: errors %v, codes %v; want %s on %s", tc.name, p.Errors, p.Codes, tc.code, tc.field)
		}
	}
	if got := asker.call(http.MethodGet, "/api/v1/nominations/"+id, "", http.StatusOK); strings.Contains(got, "deadline_extension") {
		t.Fatalf("a refused extension shows: %s", got)
	}

	// The call's deadline passes. In the pages: no reason first, then one.
	if _, err := db.ExecContext(t.Context(), `UPDATE cycles SET nomination_deadline = now() - interval '1 minute' WHERE public_id = ?`, cycle); err != nil {
		t.Fatal(err)
	}
	j := &journeys{app: a, browser: browsertest.New(t), checked: map[string]bool{}}
	p := j.tab(t)
	p.login("eier-kdd")
	p.visit("/nominasjoner/" + id)
	p.wantText("#extension-h", "Utsatt frist")
	p.fill("#extended_until", later.In(i18n.Oslo()).Format("2006-01-02T15:04"))
	if status := p.click("#extension-set"); status != http.StatusUnprocessableEntity {
		t.Errorf("no reason: status %d, want 422", status)
	}
	p.wantText("#extension_reason-error", "Skriv hvorfor nominasjonen får utsatt frist.")
	p.check("extension-error")
	p.fill("#extension_reason", "Innloggingen var nede den siste kvelden.")
	p.click("#extension-set")
	p.wantText(`main [role="status"]`, "Nominasjonen har fått utsatt frist.")
	p.wantText("#extension-current", "Nominasjonen har utsatt frist til")
	p.check("extension-set")

	// Asker sees its own deadline and its reason, and saves.
	p2 := j.tab(t)
	p2.login("asker")
	p2.visit("/nominasjoner/" + id)
	p2.wantText("#nom-deadline", "Utsatt frist for denne nominasjonen")
	p2.wantText("#extension-reason", "Innloggingen var nede den siste kvelden.")
	p2.check("extension-nominee")
	v := asker.get(id)
	var ext struct {
		Open              bool
		DeadlineExtension *struct{ Until time.Time } `json:"deadline_extension"`
	}
	if err := json.Unmarshal([]byte(asker.call(http.MethodGet, "/api/v1/nominations/"+id, "", http.StatusOK)), &ext); err != nil {
		t.Fatal(err)
	}
	if !ext.Open || ext.DeadlineExtension == nil || ext.DeadlineExtension.Until.Sub(later) > time.Minute {
		t.Errorf("Asker's nomination: open %v, extension %+v", ext.Open, ext.DeadlineExtension)
	}
	asker.call(http.MethodPatch, "/api/v1/nominations/"+id, fmt.Sprintf(`{"version":%d,"summary":"Etter fristen, med lov."}`, v.Version), http.StatusOK)

	// Træna's nomination keeps the call's deadline, and shows no extension.
	got := traena.call(http.MethodGet, "/api/v1/nominations/"+other, "", http.StatusOK)
	if strings.Contains(got, "deadline_extension") || strings.Contains(got, `"open":true`) {
		t.Errorf("Træna's nomination: %.400s", got)
	}
	traena.call(http.MethodPatch, "/api/v1/nominations/"+other, `{"version":1,"summary":"Jeg også"}`, http.StatusConflict)

	// Taken back through the API: Asker's is closed again.
	owner.call(http.MethodDelete, path, "", http.StatusOK)
	asker.call(http.MethodPatch, "/api/v1/nominations/"+id, fmt.Sprintf(`{"version":%d,"summary":"For sent"}`, v.Version+1), http.StatusConflict)
	if !t.Failed() {
		t.Logf("axe checked %d pages, 0 violations", browsertest.AxeCount()-axeBefore)
	}
}
