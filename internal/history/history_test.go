package history_test

import (
	"context"
	"io/fs"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/history"
	"github.com/heder-awards/heder/internal/orgs"
	"github.com/heder-awards/heder/internal/pgtest"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// snapshot is every row the import writes, as text, so that a second run
// can be seen to change nothing at all.
func snapshot(t *testing.T, db *postgres.DB) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for table, order := range map[string]string{"sources": "key", "history_facts": "id", "cycles": "id", "nominations": "id",
		"nomination_organisations": "nomination_id", "projects": "id", "nomination_projects": "nomination_id, position",
		"decisions": "nomination_id", "announcements": "id", "awards": "id", "award_owners": "organisation_id"} {
		var rows []string
		if err := db.NewRaw(`SELECT t::text FROM `+table+` t ORDER BY `+order).Scan(context.Background(), &rows); err != nil {
			t.Fatal(err)
		}
		out[table] = rows
	}
	return out
}

func importHistory(t *testing.T, db *postgres.DB, r history.Record) int {
	t.Helper()
	var n int
	err := postgres.InTx(context.Background(), db, func(ctx context.Context, tx bun.Tx) error {
		var err error
		n, err = history.Import(ctx, tx, r)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestImport: the real history goes in with a source on everything, its
// municipalities as they were in each year, and a second run changes
// nothing.
func TestImport(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	data, _ := fs.Sub(orgs.Data, "data")
	if _, err := orgs.ImportKommuner(ctx, db, data); err != nil {
		t.Fatal(err)
	}
	r, err := history.Innovasjonsprisen()
	if err != nil {
		t.Fatal(err)
	}
	if n := importHistory(t, db, r); n == 0 {
		t.Fatal("the first import wrote nothing")
	}
	before := snapshot(t, db)
	if n := importHistory(t, db, r); n != 0 {
		t.Errorf("the second import changed %d rows", n)
	}
	if diff := cmp.Diff(before, snapshot(t, db)); diff != "" {
		t.Errorf("the second import changed (-first +second):\n%s", diff)
	}

	// Each year's winners and finalists, under their names of the time.
	var outcomes []string
	if err := db.NewRaw(`SELECT c.year || ' ' || d.outcome || ' ' || o.name || ' ' || o.number
		FROM decisions d JOIN cycles c ON c.id = d.cycle_id
		JOIN nomination_organisations x ON x.nomination_id = d.nomination_id JOIN organisations o ON o.id = x.organisation_id
		ORDER BY c.year, d.outcome DESC, o.name`).Scan(ctx, &outcomes); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"2014 winner Arendal 0906", "2014 finalist Narvik 1805", "2014 finalist Skien 0806",
		"2015 winner Sandnes 1102", "2015 finalist Asker 0220",
		"2016 winner Bærum 0219", "2016 finalist Bergen 1201", "2016 finalist Sarpsborg 0105",
		"2017 winner Asker 0220", "2017 finalist Horten 0701", "2017 finalist Oppegård 0217",
		"2018 winner Træna 1835", "2018 finalist Sarpsborg 0105", "2018 finalist Sola 1124",
		"2019 winner Trondheim 5001", "2019 finalist Fjell 1246", "2019 finalist Ulstein 1516",
	}
	if diff := cmp.Diff(want, outcomes); diff != "" {
		t.Errorf("outcomes (-want +got):\n%s", diff)
	}
	// Every fact, nomination, project and decision names sources that
	// exist; no decision carries a statement no source gave.
	var unsourced []string
	if err := db.NewRaw(`
		SELECT 'fact ' || key FROM history_facts f WHERE cardinality(sources) = 0
			OR EXISTS (SELECT 1 FROM unnest(f.sources) k WHERE k NOT IN (SELECT key FROM sources))
		UNION ALL SELECT 'nomination ' || history_key FROM nominations n WHERE history_key IS NOT NULL AND (cardinality(sources) = 0
			OR EXISTS (SELECT 1 FROM unnest(n.sources) k WHERE k NOT IN (SELECT key FROM sources)))
		UNION ALL SELECT 'project ' || history_key FROM projects p WHERE history_key IS NOT NULL AND (cardinality(sources) = 0
			OR EXISTS (SELECT 1 FROM unnest(p.sources) k WHERE k NOT IN (SELECT key FROM sources)))
		UNION ALL SELECT 'decision ' || nomination_id FROM decisions WHERE cardinality(sources) = 0 OR statement_nb <> ''`).Scan(ctx, &unsourced); err != nil {
		t.Fatal(err)
	}
	if len(unsourced) > 0 {
		t.Errorf("without sources: %v", unsourced)
	}
	// The 2018 jury: Asker's Ole Kristian Tangen, the 2017 winner's man.
	var tangen string
	if err := db.NewRaw(`SELECT o.name || ' ' || o.number FROM history_facts f JOIN cycles c ON c.id = f.cycle_id
		JOIN organisations o ON o.id = f.organisation_id WHERE c.year = 2018 AND f.person = 'Ole Kristian Tangen'`).Scan(ctx, &tangen); err != nil || tangen != "Asker 0220" {
		t.Errorf("Ole Kristian Tangen in 2018: %q %v", tangen, err)
	}
	// 2020: the call whose deadline was postponed, with no outcome.
	var phase string
	var decided int
	if err := db.NewRaw(`SELECT phase, (SELECT count(*) FROM decisions d WHERE d.cycle_id = c.id) FROM cycles c WHERE year = 2020`).Scan(ctx, &phase, &decided); err != nil ||
		phase != "closed" || decided != 0 {
		t.Errorf("2020: %s with %d decisions, %v", phase, decided, err)
	}
}

// TestParseRefuses: a history that states anything without a source, or
// cites a source it does not list, is refused before anything is written.
func TestParseRefuses(t *testing.T) {
	t.Parallel()
	const head = `[award]
slug = "x"
name_nb = "X"
owner_orgnr = "972417858"
owner_name = "KMD"
[sources]
N1 = { publisher = "p", title = "t", url = "https://example.org/" }
`
	for _, tc := range []struct{ name, year, want string }{
		{"fact without source", `facts = [{ key = "d", kind = "deadline", date = "2017-03-01", sources = [] }]`, "fact 2017/d has no source"},
		{"unknown source", `facts = [{ key = "d", kind = "deadline", date = "2017-03-01", sources = ["N9"] }]`, "cites N9"},
		{"nominee without source", `nominees = [{ number = "0220", outcome = "winner" }]`, "nominee 2017/0220 has no source"},
		{"project without source", `nominees = [{ number = "0220", outcome = "winner", sources = ["N1"], projects = [{ title = "P" }] }]`, "0220 P has no source"},
		{"other outcome", `nominees = [{ number = "0220", outcome = "applicant", sources = ["N1"] }]`, "neither winner nor finalist"},
		{"bad date", `facts = [{ key = "d", kind = "deadline", date = "1. mars", sources = ["N1"] }]`, "date"},
		{"unknown kind", `facts = [{ key = "d", kind = "quote", sources = ["N1"] }]`, "unknown kind"},
		{"unknown field", `facts = [{ key = "d", kind = "note", nb = "x", quote = "y", sources = ["N1"] }]`, "unknown keys"},
	} {
		_, err := history.Parse([]byte(head + "[[years]]\nyear = 2017\n" + tc.year + "\n"))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}
