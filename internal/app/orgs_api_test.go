package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/apptest"
)

// TestOrganisationsAPI: a site admin creates organisations through the
// API; each bad input gets problem details with its machine code. A
// created company then has members, and is a nominee where its cycle's
// rules allow companies, and not where they do not. Numbers are generated
// test numbers, names are made up; 958935420 is Oslo kommune's orgnr.
func TestOrganisationsAPI(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	admin := nomClient{t: t, a: a, c: a.Login(t, "admin")}
	db := nomDB(t, a)
	var osloID, rogaland int64
	if err := db.NewRaw(`SELECT (SELECT id FROM organisations WHERE orgnr = '958935420'),
		(SELECT id FROM organisations WHERE kind = 'county' AND number = '11' AND valid_to IS NULL)`).Scan(t.Context(), &osloID, &rogaland); err != nil {
		t.Fatal(err)
	}

	var company struct {
		ID    apiID
		Kind  string
		Orgnr string
	}
	body := admin.call(http.MethodPost, "/api/v1/organisations", `{"orgnr":"999990037","name":"Testbygda AS (testdata)","kind":"company","language":"nn"}`, http.StatusCreated)
	if err := json.Unmarshal([]byte(body), &company); err != nil || company.ID == 0 || company.Kind != "company" || company.Orgnr != "999990037" {
		t.Fatalf("created %s (%v)", body, err)
	}
	var district struct {
		ParentID apiID `json:"parent_id"`
		Parent   string
	}
	body = admin.call(http.MethodPost, "/api/v1/organisations", fmt.Sprintf(`{"orgnr":"999990029","name":"Bydel Testdal (testdata)","kind":"city_district","parent_id":"%d"}`, osloID), http.StatusCreated)
	if err := json.Unmarshal([]byte(body), &district); err != nil || int64(district.ParentID) != osloID || !strings.HasPrefix(district.Parent, "Oslo") {
		t.Errorf("district %s (%v), want a part of Oslo (%d)", body, err, osloID)
	}

	for _, tt := range []struct {
		what, body    string
		status        int
		code          string // the top-level code
		field, field2 string
		fieldCode     string
	}{
		{"bad check digit", `{"orgnr":"999990038","name":"X","kind":"company"}`, http.StatusUnprocessableEntity, "invalid", "orgnr", "", "invalid_check_digit"},
		{"check digit 10", `{"orgnr":"100000130","name":"X","kind":"company"}`, http.StatusUnprocessableEntity, "invalid", "orgnr", "", "invalid_check_digit"},
		{"wrong length", `{"orgnr":"12345","name":"X","kind":"company"}`, http.StatusUnprocessableEntity, "invalid", "orgnr", "", "invalid_format"},
		{"taken", `{"orgnr":"999990037","name":"Igjen","kind":"company"}`, http.StatusConflict, "conflict", "orgnr", "", "already_exists"},
		{"Oslo's number", `{"orgnr":"958935420","name":"X","kind":"company"}`, http.StatusConflict, "conflict", "orgnr", "", "already_exists"},
		{"a municipality", `{"orgnr":"999990045","name":"X","kind":"municipality"}`, http.StatusUnprocessableEntity, "invalid", "kind", "", "invalid_choice"},
		{"district under a county", fmt.Sprintf(`{"orgnr":"999990045","name":"X","kind":"city_district","parent_id":"%d"}`, rogaland), http.StatusUnprocessableEntity, "invalid", "parent_id", "", "invalid_parent"},
		{"district without parent", `{"orgnr":"999990045","name":"X","kind":"city_district"}`, http.StatusUnprocessableEntity, "invalid", "parent_id", "", "required"},
		{"several problems", `{"orgnr":"999990046","name":"","kind":"company"}`, http.StatusUnprocessableEntity, "invalid", "orgnr", "name", "invalid_check_digit"},
		{"unknown field", `{"orgnr":"999990045","name":"X","kind":"company","county":"03"}`, http.StatusUnprocessableEntity, "invalid", "county", "", "unknown_field"},
	} {
		status, got := a.Do(t, admin.c, http.MethodPost, "/api/v1/organisations", tt.body)
		if status != tt.status {
			t.Errorf("%s: status %d, want %d: %s", tt.what, status, tt.status, got)
			continue
		}
		p := decodeProblem(t, got)
		if p.Code != tt.code || p.Codes[tt.field] != tt.fieldCode || p.Errors[tt.field] == "" || messageID.MatchString(p.Errors[tt.field]) {
			t.Errorf("%s: code %s, errors %v, codes %v; want %s and %s on %s", tt.what, p.Code, p.Errors, p.Codes, tt.code, tt.fieldCode, tt.field)
		}
		if tt.field2 != "" && p.Errors[tt.field2] == "" {
			t.Errorf("%s: no message for %s in %v", tt.what, tt.field2, p.Errors)
		}
	}
	var n int
	if err := db.NewRaw(`SELECT count(*) FROM organisations WHERE orgnr LIKE '99999%'`).Scan(t.Context(), &n); err != nil || n != 2 {
		t.Errorf("%d test organisations stored (%v), want the 2 good ones", n, err)
	}

	// Members: traena's submitter asks, the admin approves.
	traena := nomClient{t: t, a: a, c: a.Login(t, "traena")}
	var req struct{ ID apiID }
	if err := json.Unmarshal([]byte(traena.call(http.MethodPost, fmt.Sprintf("/api/v1/organisations/%d/members", company.ID), `{"message":"Vi samarbeider"}`, http.StatusAccepted)), &req); err != nil {
		t.Fatal(err)
	}
	admin.call(http.MethodPost, fmt.Sprintf("/api/v1/organisations/%d/members/requests/%d", company.ID, req.ID), `{"approve":true}`, http.StatusOK)

	// A cycle for companies only (set through the cycle API) takes the
	// company as nominee and refuses a municipality.
	cycle := nomCycle(t, db, "selskap", "now() + interval '30 days'", 0, 3)
	var c struct {
		EligibleKinds []string `json:"eligible_kinds"`
	}
	if err := json.Unmarshal([]byte(admin.call(http.MethodPatch, "/api/v1/cycles/"+cycle, `{"eligible_kinds":["company","city_district"]}`, http.StatusOK)), &c); err != nil || strings.Join(c.EligibleKinds, ",") != "company,city_district" {
		t.Fatalf("eligible kinds %v (%v)", c.EligibleKinds, err)
	}
	traena.create(cycle, fmt.Sprintf(`{"title":"Bygdeutvikling (testdata)","organisation_id":"%d"}`, company.ID))
	status, got := a.Do(t, traena.c, http.MethodPost, "/api/v1/cycles/"+cycle+"/nominations", fmt.Sprintf(`{"title":"Kommunen","organisation_id":"%d"}`, orgID(t, a, "Træna")))
	if status == http.StatusCreated {
		t.Errorf("a municipality nominated in a cycle for companies: %s", got)
	}
}
