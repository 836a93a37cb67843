package orgs_test

import (
	"context"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/orgs"
	"github.com/heder-awards/heder/internal/users"
)

// Test organisations: the numbers are generated to pass the mod-11 check
// (999990xxx), the names are made up and say so. Oslo's orgnr and
// kommunenummer are Enhetsregisteret's and SSB's.
const (
	testMinistry  = "999990002"
	testAgency    = "999990010"
	testDistrict  = "999990029"
	testCompany   = "999990037"
	testFoundaton = "999990045"
	testAssoc     = "999990053"
	testCounty    = "999990061"
	testOther     = "999990088"
	osloOrgnr     = "958935420"
)

func admin(t *testing.T, u *users.Service, subject string, isAdmin bool) *awards.Actor {
	t.Helper()
	ctx := context.Background()
	id, err := u.Provision(ctx, users.Login{Issuer: "https://idp.test", Subject: subject, Name: subject, Admin: isAdmin})
	if err != nil {
		t.Fatal(err)
	}
	a, err := u.Actor(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestCreate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := imported(t)
	s := orgs.NewService(db)
	u := users.NewService(db)
	site := admin(t, u, "admin", true)
	oslo, err := s.ByOrgnr(ctx, osloOrgnr)
	if err != nil {
		t.Fatal(err)
	}
	ministry, err := s.Create(ctx, site, orgs.NewOrganisation{Orgnr: testMinistry, Kind: awards.KindMinistry, Name: "Testdepartementet (testdata)"})
	if err != nil {
		t.Fatal(err)
	}
	var formerID int64
	if err := db.NewRaw(`SELECT id FROM organisations WHERE valid_to IS NOT NULL LIMIT 1`).Scan(ctx, &formerID); err != nil {
		t.Fatal(err)
	}
	rogaland := find(t, s, "Rogaland", "11")

	for _, tc := range []struct {
		name  string
		in    orgs.NewOrganisation
		field string // the field refused, "" for none
		key   string
	}{
		{"city district under Oslo", orgs.NewOrganisation{Orgnr: "999 990 029", Kind: awards.KindCityDistrict, Name: "Bydel Testdal (testdata)", ParentID: oslo.ID}, "", ""},
		{"state agency under its ministry", orgs.NewOrganisation{Orgnr: testAgency, Kind: awards.KindStateAgency, Name: "Testdirektoratet (testdata)", ParentID: ministry.ID}, "", ""},
		{"company", orgs.NewOrganisation{Orgnr: testCompany, Kind: awards.KindCompany, Name: "Testbygda AS (testdata)", Language: "nn"}, "", ""},
		{"foundation", orgs.NewOrganisation{Orgnr: testFoundaton, Kind: awards.KindFoundation, Name: "Stiftelsen Test (testdata)"}, "", ""},
		{"association", orgs.NewOrganisation{Orgnr: testAssoc, Kind: awards.KindAssociation, Name: "Testforeningen (testdata)"}, "", ""},
		{"county authority", orgs.NewOrganisation{Orgnr: testCounty, Kind: awards.KindCounty, Name: "Test fylkeskommune (testdata)"}, "", ""},
		{"other", orgs.NewOrganisation{Orgnr: testOther, Kind: awards.KindOther, Name: "Testverket (testdata)"}, "", ""},

		{"bad check digit", orgs.NewOrganisation{Orgnr: "999990011", Kind: awards.KindCompany, Name: "X"}, "orgnr", "orgs.error.orgnr_check_digit"},
		{"check digit 10", orgs.NewOrganisation{Orgnr: "100000130", Kind: awards.KindCompany, Name: "X"}, "orgnr", "orgs.error.orgnr_check_digit"},
		{"eight digits", orgs.NewOrganisation{Orgnr: "99999001", Kind: awards.KindCompany, Name: "X"}, "orgnr", "orgs.error.orgnr"},
		{"letters", orgs.NewOrganisation{Orgnr: "99999O010", Kind: awards.KindCompany, Name: "X"}, "orgnr", "orgs.error.orgnr"},
		{"taken by a municipality", orgs.NewOrganisation{Orgnr: osloOrgnr, Kind: awards.KindCompany, Name: "X"}, "orgnr", "orgs.error.orgnr_taken"},
		{"taken by the ministry", orgs.NewOrganisation{Orgnr: testMinistry, Kind: awards.KindMinistry, Name: "Again"}, "orgnr", "orgs.error.orgnr_taken"},
		{"no name", orgs.NewOrganisation{Orgnr: "999990096", Kind: awards.KindCompany, Name: "  "}, "name", "form.required"},
		{"municipality by hand", orgs.NewOrganisation{Orgnr: "999990096", Kind: awards.KindMunicipality, Name: "X"}, "kind", "orgs.error.kind"},
		{"unknown kind", orgs.NewOrganisation{Orgnr: "999990096", Kind: "parish", Name: "X"}, "kind", "orgs.error.kind"},
		{"bad language", orgs.NewOrganisation{Orgnr: "999990096", Kind: awards.KindCompany, Name: "X", Language: "sv"}, "language", "orgs.error.language"},
		{"city district without parent", orgs.NewOrganisation{Orgnr: "999990096", Kind: awards.KindCityDistrict, Name: "X"}, "parent_id", "orgs.error.parent_required"},
		{"city district under a county", orgs.NewOrganisation{Orgnr: "999990096", Kind: awards.KindCityDistrict, Name: "X", ParentID: rogaland.ID}, "parent_id", "orgs.error.parent_municipality"},
		{"city district under a ministry", orgs.NewOrganisation{Orgnr: "999990096", Kind: awards.KindCityDistrict, Name: "X", ParentID: ministry.ID}, "parent_id", "orgs.error.parent_municipality"},
		{"city district under a former municipality", orgs.NewOrganisation{Orgnr: "999990096", Kind: awards.KindCityDistrict, Name: "X", ParentID: formerID}, "parent_id", "orgs.error.parent_municipality"},
		{"city district under nothing known", orgs.NewOrganisation{Orgnr: "999990096", Kind: awards.KindCityDistrict, Name: "X", ParentID: 1 << 40}, "parent_id", "orgs.error.parent_unknown"},
		{"state agency under a municipality", orgs.NewOrganisation{Orgnr: "999990096", Kind: awards.KindStateAgency, Name: "X", ParentID: oslo.ID}, "parent_id", "orgs.error.parent_ministry"},
		{"company under a municipality", orgs.NewOrganisation{Orgnr: "999990096", Kind: awards.KindCompany, Name: "X", ParentID: oslo.ID}, "parent_id", "orgs.error.parent_none"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.Create(ctx, site, tc.in)
			if tc.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				if got.ID == 0 || got.Kind != tc.in.Kind || got.Name != tc.in.Name || got.Orgnr != strings.ReplaceAll(tc.in.Orgnr, " ", "") || got.ParentID != tc.in.ParentID {
					t.Errorf("created %+v from %+v", got, tc.in)
				}
				if tc.in.Kind == awards.KindCityDistrict && (got.ParentName != oslo.Name || got.CountyName != "") {
					t.Errorf("city district's parent %q, county %q", got.ParentName, got.CountyName)
				}
				return
			}
			if key := awards.ErrorFields(err)[tc.field]; key != tc.key {
				t.Errorf("%s: %v (fields %v), want %s on %s", tc.name, err, awards.ErrorFields(err), tc.key, tc.field)
			}
			wantCode := awards.EInvalid
			if tc.key == "orgs.error.orgnr_taken" {
				wantCode = awards.EConflict
			}
			if awards.ErrorCode(err) != wantCode {
				t.Errorf("code %s, want %s", awards.ErrorCode(err), wantCode)
			}
		})
	}
	var n int
	if err := db.NewRaw(`SELECT count(*) FROM organisations WHERE orgnr LIKE '99999%'`).Scan(ctx, &n); err != nil {
		t.Fatal(err)
	}
	if n != 8 {
		t.Errorf("%d test organisations stored, want the 8 good ones", n)
	}
	if err := db.NewRaw(`SELECT count(*) FROM audit_log WHERE action = 'create' AND entity = 'organisation'`).Scan(ctx, &n); err != nil {
		t.Fatal(err)
	}
	if n != 8 {
		t.Errorf("%d audit entries, want 8", n)
	}

	if _, err := s.Create(ctx, admin(t, u, "kari", false), orgs.NewOrganisation{Orgnr: "999990096", Kind: awards.KindCompany, Name: "X"}); awards.ErrorCode(err) != awards.EForbidden {
		t.Errorf("non-admin create: %v", err)
	}
	// Updating an orgnr checks the digit too, and a taken one names the field.
	bad, taken := "958935421", testCompany
	if _, err := s.Update(ctx, site, oslo.ID, orgs.Update{Orgnr: &bad}); awards.ErrorFields(err)["orgnr"] != "orgs.error.orgnr_check_digit" {
		t.Errorf("update with a bad check digit: %v", err)
	}
	if _, err := s.Update(ctx, site, oslo.ID, orgs.Update{Orgnr: &taken}); awards.ErrorFields(err)["orgnr"] != "orgs.error.orgnr_taken" {
		t.Errorf("update to a taken orgnr: %v", err)
	}
}

// TestCreatedOrgMembers: a created organisation has members like a
// municipality: a person asks for access and a site admin lets them in.
func TestCreatedOrgMembers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := imported(t)
	s := orgs.NewService(db)
	u := users.NewService(db)
	site := admin(t, u, "admin", true)
	company, err := s.Create(ctx, site, orgs.NewOrganisation{Orgnr: testCompany, Kind: awards.KindCompany, Name: "Testbygda AS (testdata)"})
	if err != nil {
		t.Fatal(err)
	}
	kari := admin(t, u, "kari", false)
	req, err := s.RequestAccess(ctx, kari, company.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DecideRequest(ctx, site, 0, req.ID, true); err != nil {
		t.Fatal(err)
	}
	if kari, _ = u.Actor(ctx, kari.User.ID); !kari.MemberOf(company.ID) {
		t.Error("Kari is no member of the company")
	}
}
