package app_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/heder-awards/heder/internal/apptest"
)

// TestReminderDaysForm: the cycle's reminder days on its admin form and
// in the API, with the bad inputs refused.
func TestReminderDaysForm(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	c := map[string]*http.Client{"admin": a.Login(t, "admin")}
	runCycleSteps(t, a, c, []cycleStep{
		{name: "create award", who: "admin", method: "POST", path: "/admin/priser",
			body: "slug=paminnelsespris&name_nb=Påminnelsesprisen&owner_id=0", status: 303},
		{name: "create cycle", who: "admin", method: "POST", path: "/admin/priser/paminnelsespris/sykluser", body: "year=2030&title=P%C3%A5minnelsesprisen+2030", status: 303},
	})
	_, body := a.Do(t, c["admin"], "GET", "/api/v1/awards/paminnelsespris/cycles", "")
	items := cyclesDecode[struct{ Items []struct{ ID string } }](t, body).Items
	if len(items) != 1 {
		t.Fatalf("cycles: %s", body)
	}
	id := items[0].ID
	form := func(days string) string {
		return url.Values{"year": {"2030"}, "title": {"Påminnelsesprisen 2030"}, "max_nominations_per_org": {"1"}, "max_projects": {"3"},
			"eligible_kinds": {"municipality"}, "nomination_deadline": {"2030-03-01T23:59"}, "reminder_days": {days}}.Encode()
	}
	runCycleSteps(t, a, c, []cycleStep{
		{name: "default on the form", who: "admin", method: "GET", path: "/admin/sykluser/" + id, status: 200,
			want: []string{`id="cycle-reminder_days"`, `value="7, 1"`, "Påminnelser (dager før fristene)"}},
		{name: "default in the API", who: "admin", method: "GET", path: "/api/v1/cycles/" + id, status: 200, want: []string{`"reminder_days":[7,1]`}},
		{name: "out of range", who: "admin", method: "POST", path: "/admin/sykluser/" + id, body: form("0"), status: 422,
			want: []string{`href="#cycle-reminder_days"`, "Skriv opptil fem hele tall fra 1 til 60"}},
		{name: "not numbers", who: "admin", method: "POST", path: "/admin/sykluser/" + id, body: form("en uke"), status: 422,
			want: []string{`href="#cycle-reminder_days"`}},
		{name: "save", who: "admin", method: "POST", path: "/admin/sykluser/" + id, body: form("2; 14 2"), status: 303},
		{name: "saved, largest first", who: "admin", method: "GET", path: "/api/v1/cycles/" + id, status: 200, want: []string{`"reminder_days":[14,2]`}},
		{name: "API refuses too many", who: "admin", method: "PATCH", path: "/api/v1/cycles/" + id, body: `{"reminder_days":[1,2,3,4,5,6]}`,
			status: 422, want: []string{`"reminder_days"`, "out_of_range"}},
		{name: "API clears", who: "admin", method: "PATCH", path: "/api/v1/cycles/" + id, body: `{"reminder_days":[]}`,
			status: 200, want: []string{`"reminder_days":[]`}},
	})
}
