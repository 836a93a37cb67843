package orgs_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/orgs"
)

// goodFile names parents by orgnr (Oslo's, and a ministry of an earlier
// row), by kommunenummer and not at all. Test numbers and names are made up.
const goodFile = `orgnr,name,kind,parent,language
999990002,Testdepartementet (testdata),ministry,,
999990010,Testdirektoratet (testdata),state_agency,999990002,nb
999990029,Bydel Testdal (testdata),city_district,958935420,
999990037,Testbygda AS (testdata),company,,nn
999990045,Bydel Prøvestad (testdata),city_district,0301,nb
"999990053","Foreningen ""Test"", Oslo (testdata)",association,,
`

func TestImportOrganisations(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := imported(t)
	s := orgs.NewService(db)
	res, err := orgs.ImportOrganisations(ctx, db, strings.NewReader(goodFile))
	if err != nil {
		t.Fatal(err)
	}
	if res != (orgs.OrgImportResult{Created: 6}) {
		t.Errorf("first import: %+v, want 6 created", res)
	}
	district, err := s.ByOrgnr(ctx, "999990045")
	if err != nil {
		t.Fatal(err)
	}
	oslo, _ := s.ByOrgnr(ctx, osloOrgnr)
	if district.ParentID != oslo.ID || district.Language != "nb" {
		t.Errorf("district %+v, want a part of Oslo (%d)", district, oslo.ID)
	}
	assoc, _ := s.ByOrgnr(ctx, "999990053")
	if assoc.Name != `Foreningen "Test", Oslo (testdata)` {
		t.Errorf("quoted name read as %q", assoc.Name)
	}

	// Again, with one name changed: updated by orgnr, nothing doubled.
	again := strings.Replace(goodFile, "Testbygda AS (testdata)", "Testbygda 2.0 AS (testdata)", 1)
	if res, err = orgs.ImportOrganisations(ctx, db, strings.NewReader(again)); err != nil {
		t.Fatal(err)
	}
	if res != (orgs.OrgImportResult{Updated: 6}) {
		t.Errorf("repeat import: %+v, want 6 updated", res)
	}
	company, _ := s.ByOrgnr(ctx, "999990037")
	if company.Name != "Testbygda 2.0 AS (testdata)" || company.Language != "nn" {
		t.Errorf("company after repeat: %+v", company)
	}
	var n int
	if err := db.NewRaw(`SELECT count(*) FROM organisations WHERE orgnr LIKE '99999%'`).Scan(ctx, &n); err != nil {
		t.Fatal(err)
	}
	if n != 6 {
		t.Errorf("%d test organisations, want 6", n)
	}
}

// TestImportOrganisationsBadRows: one bad row and nothing is written; every
// bad row is named with its line and its problem.
func TestImportOrganisationsBadRows(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := imported(t)
	if _, err := orgs.ImportOrganisations(ctx, db, strings.NewReader("orgnr,name,kind,parent,language\n999990037,Testbygda AS (testdata),company,,\n")); err != nil {
		t.Fatal(err)
	}
	file := `orgnr,name,kind,parent,language
999990002,Testdepartementet (testdata),ministry,,
999990011,Feil kontrollsiffer (testdata),company,,
999990029,Bydel Testdal (testdata),city_district,11,
999990002,Igjen (testdata),ministry,,
999990037,Testbygda AS (testdata),foundation,,
999990045,Kort rad (testdata),company
999990053,Bydel uten kommune (testdata),city_district,,
999990061,Ukjent forelder (testdata),city_district,9999,
999990088,,parish,,sv
`
	_, err := orgs.ImportOrganisations(ctx, db, strings.NewReader(file))
	var bad *orgs.ImportError
	if !errors.As(err, &bad) {
		t.Fatalf("import: %v, want an ImportError", err)
	}
	want := []orgs.RowError{
		{Line: 3, Field: "orgnr", Value: "999990011", Key: "orgs.error.orgnr_check_digit"},
		{Line: 4, Field: "parent", Value: "11", Key: "orgs.error.parent_municipality"},
		{Line: 5, Field: "orgnr", Value: "999990002", Key: "orgs.import.repeated"},
		{Line: 6, Field: "kind", Value: "foundation", Key: "orgs.import.kind_changed"},
		{Line: 7, Key: "orgs.import.columns"},
		{Line: 8, Field: "parent", Value: "", Key: "orgs.error.parent_required"},
		{Line: 9, Field: "parent", Value: "9999", Key: "orgs.error.parent_unknown"},
		{Line: 10, Field: "name", Value: "", Key: "form.required"},
		{Line: 10, Field: "kind", Value: "parish", Key: "orgs.error.kind"},
		{Line: 10, Field: "language", Value: "sv", Key: "orgs.error.language"},
	}
	if diff := cmp.Diff(want, bad.Rows); diff != "" {
		t.Errorf("bad rows (-want +got):\n%s", diff)
	}
	var n int
	if err := db.NewRaw(`SELECT count(*) FROM organisations WHERE orgnr LIKE '99999%'`).Scan(ctx, &n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("%d test organisations after a refused file, want the 1 from before", n)
	}

	if _, err := orgs.ImportOrganisations(ctx, db, strings.NewReader("orgnr;name\n")); err == nil || !strings.Contains(err.Error(), "header") {
		t.Errorf("wrong header: %v", err)
	}
}
