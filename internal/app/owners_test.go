package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/browsertest"
)

// TestOwnerAdmins makes a new award owner with its first owner admin, and
// tries what the issue lists as bad input: an owner admin touching another
// owner's award by its ID in the API and the pages, removing the last
// admin, a retention period out of range. Every refusal leaves what was
// stored as it was.
func TestOwnerAdmins(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	admin, kdd, socentral, jenny := a.Login(t, "admin"), a.Login(t, "eier-kdd"), a.Login(t, "eier-socentral"), a.Login(t, "jury-2")
	do := func(c *http.Client, method, path, body string, status int) string {
		t.Helper()
		got, answer := a.Do(t, c, method, path, body)
		if got != status {
			t.Fatalf("%s %s: %d, want %d\n%.600s", method, path, got, status, answer)
		}
		return answer
	}
	problem := func(answer, wants string) {
		t.Helper()
		if !strings.Contains(answer, `"status":`) || !strings.Contains(answer, wants) {
			t.Errorf("the problem lacks %s: %.600s", wants, answer)
		}
	}

	// A site admin makes a (made-up) directorate an owner, with Jenny as
	// its first admin; she then runs an award of its own.
	var org struct{ ID apiID }
	body := do(admin, "POST", "/api/v1/organisations", `{"orgnr":"999990142","name":"Testdirektoratet (testdata)","kind":"state_agency"}`, http.StatusCreated)
	if err := json.Unmarshal([]byte(body), &org); err != nil {
		t.Fatal(err)
	}
	owner := fmt.Sprintf("/api/v1/owners/%d", org.ID)
	do(admin, "POST", "/api/v1/owners", fmt.Sprintf(`{"organisation_id":"%d","admin_email":"jenny@example.org"}`, org.ID), http.StatusCreated)
	problem(do(admin, "POST", "/api/v1/owners", fmt.Sprintf(`{"organisation_id":"%d"}`, org.ID), http.StatusConflict), "organisation_id")
	if me := do(jenny, "GET", "/api/v1/me", "", http.StatusOK); !strings.Contains(me, `"owner_admin"`) {
		t.Errorf("Jenny's roles lack owner_admin: %s", me)
	}
	do(jenny, "POST", "/api/v1/awards", fmt.Sprintf(`{"slug":"testprisen","name_nb":"Testprisen","name_nn":"Testprisen","owner_id":"%d"}`, org.ID), http.StatusCreated)
	// Not for another owner.
	kddID := orgID(t, a, "Kommunal- og distriktsdepartementet")
	problem(do(jenny, "POST", "/api/v1/awards", fmt.Sprintf(`{"slug":"smuglet","name_nb":"Smuglet","owner_id":"%d"}`, kddID), http.StatusForbidden), "")
	// Without an owner, hers is taken.
	if a := do(jenny, "POST", "/api/v1/awards", `{"slug":"eierlos","name_nb":"Eierløs"}`, http.StatusCreated); !strings.Contains(a, fmt.Sprintf(`"owner_id":"%d",`, org.ID)) {
		t.Errorf("an award without owner from an owner admin: %s", a)
	}

	// Another owner's admin touches the ministry's award by its slug and
	// its cycle by ID: refused in the API and the pages, nothing changed.
	award := "/api/v1/awards/kommunal-innovasjonspris"
	before := do(admin, "GET", award, "", http.StatusOK)
	// The award is public, so its existence is no secret: 403.
	problem(do(socentral, "PATCH", award, `{"name_nb":"Kapret"}`, http.StatusForbidden), "")
	if status, _ := a.Do(t, socentral, "POST", "/admin/priser/kommunal-innovasjonspris", "name_nb=Kapret"); status != http.StatusForbidden {
		t.Errorf("the award's form as another owner's admin: %d, want 403", status)
	}
	var cycles struct{ Items []struct{ ID string } }
	if err := json.Unmarshal([]byte(do(admin, "GET", award+"/cycles", "", http.StatusOK)), &cycles); err != nil || len(cycles.Items) == 0 {
		t.Fatalf("the award's cycles: %v", err)
	}
	cycle := cycles.Items[0].ID
	// The list of nominations answers everyone with what they may see:
	// for her, nothing.
	if list := do(socentral, "GET", "/api/v1/cycles/"+cycle+"/nominations", "", http.StatusOK); strings.TrimSpace(list) != `{"items":[]}` {
		t.Errorf("the ministry's nominations as another owner's admin: %.300s", list)
	}
	for _, path := range []string{"/api/v1/cycles/" + cycle + "/jurors", "/api/v1/cycles/" + cycle + "/outbox", "/admin/sykluser/" + cycle} {
		if status, answer := a.Do(t, socentral, "GET", path, ""); status != http.StatusNotFound && status != http.StatusForbidden {
			t.Errorf("GET %s as another owner's admin: %d %.300s", path, status, answer)
		}
	}
	if after := do(admin, "GET", award, "", http.StatusOK); after != before {
		t.Errorf("the award changed:\n%s\n%s", before, after)
	}
	// Nor may she see the other owner.
	do(socentral, "GET", owner, "", http.StatusForbidden)

	// The last admin stays unless a site admin removes them.
	jennyID := userID(t, a, jenny)
	problem(do(jenny, "DELETE", fmt.Sprintf("%s/admins/%d", owner, jennyID), "", http.StatusConflict), "")
	if o := do(admin, "GET", owner, "", http.StatusOK); !strings.Contains(o, `"jenny@example.org"`) {
		t.Errorf("the refused removal removed her: %s", o)
	}

	// Retention: out of range is refused by field; the ministry's
	// published years then say when their personal data goes.
	kddOwner := fmt.Sprintf("/api/v1/owners/%d", kddID)
	for _, months := range []string{"0", "601", "-3"} {
		problem(do(kdd, "PATCH", kddOwner, `{"retention_months":`+months+`}`, http.StatusUnprocessableEntity), "retention_months")
	}
	var got struct {
		RetentionMonths *int `json:"retention_months"`
		Published       []struct {
			Title       string
			PublishedAt time.Time  `json:"published_at"`
			EraseAt     *time.Time `json:"erase_at"`
		} `json:"published_cycles"`
	}
	if err := json.Unmarshal([]byte(do(kdd, "GET", kddOwner, "", http.StatusOK)), &got); err != nil {
		t.Fatal(err)
	}
	if got.RetentionMonths != nil || len(got.Published) == 0 || got.Published[0].EraseAt != nil {
		t.Fatalf("before any retention period: %+v", got)
	}
	if err := json.Unmarshal([]byte(do(kdd, "PATCH", kddOwner, `{"retention_months":36}`, http.StatusOK)), &got); err != nil {
		t.Fatal(err)
	}
	for _, p := range got.Published {
		if p.EraseAt == nil || !p.EraseAt.Equal(p.PublishedAt.AddDate(3, 0, 0)) {
			t.Errorf("%s published %s: erased at %v, want three years later", p.Title, p.PublishedAt, p.EraseAt)
		}
	}
}

// TestBrowserOwnerSetUp is a site admin making an owner in the pages and
// that owner's admin setting its retention period, wrong then right,
// checked with axe.
func TestBrowserOwnerSetUp(t *testing.T) {
	axeBefore := browsertest.AxeCount()
	j := &journeys{app: apptest.Start(t), browser: browsertest.New(t), checked: map[string]bool{}}
	admin := j.app.Login(t, "admin")
	if status, body := j.app.Do(t, admin, "POST", "/api/v1/organisations", `{"orgnr":"999990150","name":"Testdirektoratet (testdata)","kind":"state_agency"}`); status != http.StatusCreated {
		t.Fatalf("organisation: %d %s", status, body)
	}
	j.app.Login(t, "jury-2") // an owner admin must have logged in once

	p := j.tab(t)
	p.login("admin")
	p.visit("/admin/eiere")
	p.wantText("main h1", "Prisens eiere")
	p.check("owners")
	// Without an organisation: the error is next to the field.
	if status := p.click(`#new-owner button[type="submit"]`); status != http.StatusUnprocessableEntity {
		t.Errorf("making an owner of nothing: status %d, want 422", status)
	}
	p.wantFieldError("new-owner-organisation_id", "")
	p.check("owners-error")
	value := p.evalString(`[...document.querySelectorAll('#new-owner-organisation_id option')].find(o => o.textContent.includes('Testdirektoratet')).value`)
	p.tab.Run(t, chromedp.SetValue(chromedp.CSS(`#new-owner-organisation_id`), value))
	p.fill("#new-owner-email", "jenny@example.org")
	if status := p.click(`#new-owner button[type="submit"]`); status != http.StatusOK {
		t.Fatalf("making the owner: status %d", status)
	}
	p.wantText("main h1", "Testdirektoratet (testdata)")
	p.wantText("#admins-h + p + ul", "Jenny")
	p.check("owner-new")

	// The ministry's owner admin sets how long personal data is kept.
	p = j.tab(t)
	p.login("eier-kdd")
	p.visit("/admin/eiere")
	if status := p.clickLink("main table", "Kommunal- og distriktsdepartementet"); status != http.StatusOK {
		t.Fatalf("the ministry's page: status %d", status)
	}
	p.wantText("#retention-h + p", "Ingen lagringstid er satt")
	p.fill("#retention-retention_months", "0")
	if status := p.click(`#retention button[type="submit"]`); status != http.StatusUnprocessableEntity {
		t.Errorf("a retention of 0 months: status %d, want 422", status)
	}
	p.wantFieldError("retention-retention_months", "Skriv et helt antall måneder fra 1 til 600.")
	p.fill("#retention-retention_months", "36")
	if status := p.click(`#retention button[type="submit"]`); status != http.StatusOK {
		t.Fatalf("saving the retention: status %d", status)
	}
	p.wantText("#retention-h + p", "36 måneder etter at syklusen er publisert")
	p.wantText("#published-h + .ds-table__wrapper table", "Innovasjonsprisen 2017", "Slettes innen et døgn (lagringstiden gikk ut 15. juni 2020)")
	p.check("owner-retention")
	// At 390 px the table scrolls in its wrapper, not the page.
	p.tab.Run(t, chromedp.EmulateViewport(390, 844))
	if w := p.evalInt(`document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the owner page is %d px wide at 390 px; too wide: %s", w, p.evalString(`[...document.querySelectorAll('body *')]
			.filter(e => e.getBoundingClientRect().right > 391 && !e.closest('.ds-table__wrapper table')).map(e => e.tagName + '.' + e.className).slice(0, 8).join(', ')`))
	}
	p.check("owner-retention-390")
	if !t.Failed() {
		t.Logf("axe checked %d pages, 0 violations", browsertest.AxeCount()-axeBefore)
	}
}
