package deciding_test

import (
	"bytes"
	"encoding/csv"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/deciding"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/xuri/excelize/v2"
)

func exportLabels(t testing.TB, lang string) deciding.ExportLabels {
	t.Helper()
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	l := b.Localizer(lang)
	return deciding.ExportLabels{T: func(id string) string { return l.T(id) }, Lang: lang, Loc: i18n.Oslo()}
}

var exportHeader = []string{"Nominasjons-ID", "Nominasjon", "Nominerte organisasjoner", "Jurymedlem", "Fjernet fra juryen", "Runde", "Kriterium",
	"Prosjekt", "Poeng", "Kommentar", "Sendt inn", "Holdt utenfor fordi", "Teller i rangeringen", "Sist lagret"}

// exportEnv has drafts, submitted, excluded and removed jurors' scores,
// and a nomination the chair steps aside from.
func exportEnv(t *testing.T) (*decisionEnv, *deciding.ScoreExport, *deciding.ScoreExport) {
	e := newDecisionEnv(t)
	jon := e.seat(e.person("Jon Jurymedlem", false), e.c, false, true)
	gone := e.seat(e.person("Gunnar Gått", false), e.c, false, true)
	e.conflict(e.chairID, "Asker", "employed", "")
	e.score(jon, e.asker, e.c.crit[0], 0, 4, "=HYPERLINK(\"http://evil\")")
	e.score(jon, e.asker, e.c.crit[1], 0, 3.5, "")
	e.submit(jon, e.asker)
	e.score(jon, e.horten, e.c.crit[0], 0, 2, "Utkast")
	e.score(jon, e.horten, e.c.crit[1], 0, math.NaN(), "")
	e.scored(gone, e.c, e.horten, 5, 5)
	e.exec(`UPDATE jurors SET removed_at = now() WHERE id = ?`, gone)
	e.scored(e.chairID, e.c, e.horten, 3, 3)
	e.exec(`UPDATE score_submissions SET excluded_reason = 'Inhabil fra 1. april' WHERE juror_id = ?`, e.chairID)
	admin, err := e.s.ScoreExport(e.ctx, e.admin, e.c.publicID)
	if err != nil {
		t.Fatal(err)
	}
	chair, err := e.s.ScoreExport(e.ctx, e.chair, e.c.publicID)
	if err != nil {
		t.Fatal(err)
	}
	return e, admin, chair
}

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("\ufeff")) {
		t.Fatal("no byte order mark")
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff"))))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestScoreExportCSV(t *testing.T) {
	t.Parallel()
	e, admin, chair := exportEnv(t)
	l := exportLabels(t, "nb")
	var buf bytes.Buffer
	if err := admin.WriteCSV(e.ctx, &buf, l); err != nil {
		t.Fatal(err)
	}
	recs := readCSV(t, buf.Bytes())
	if d := cmp.Diff(exportHeader, recs[0]); d != "" {
		t.Fatalf("header (-want +got):\n%s", d)
	}
	type row struct{ nomination, juror, removed, criterion, score, comment, submitted, excluded, counts string }
	var got []row
	for _, r := range recs[1:] {
		submitted := "nei"
		if r[10] != "" {
			submitted = "ja"
		}
		if r[5] != "1: Juryvurdering" {
			t.Errorf("round %q", r[5])
		}
		got = append(got, row{r[1], r[3], r[4], r[6], r[8], r[9], submitted, r[11], r[12]})
	}
	// By nomination title, juror name, criterion.
	want := []row{
		{"Horten handler", "Gunnar Gått", "Ja", "Nytt", "5", "", "ja", "", "Nei"},
		{"Horten handler", "Gunnar Gått", "Ja", "Nyttig", "5", "", "ja", "", "Nei"},
		{"Horten handler", "Jon Jurymedlem", "Nei", "Nytt", "2", "Utkast", "nei", "", "Nei"},
		{"Horten handler", "Jon Jurymedlem", "Nei", "Nyttig", "", "", "nei", "", "Nei"},
		{"Horten handler", "Jorunn Juryleder", "Nei", "Nytt", "3", "", "ja", "Inhabil fra 1. april", "Nei"},
		{"Horten handler", "Jorunn Juryleder", "Nei", "Nyttig", "3", "", "ja", "Inhabil fra 1. april", "Nei"},
		{"Mulighetenes kommune", "Jon Jurymedlem", "Nei", "Nytt", "4", "'=HYPERLINK(\"http://evil\")", "ja", "", "Ja"},
		{"Mulighetenes kommune", "Jon Jurymedlem", "Nei", "Nyttig", "3,5", "", "ja", "", "Ja"},
	}
	if d := cmp.Diff(want, got, cmp.AllowUnexported(row{})); d != "" {
		t.Errorf("admin's rows (-want +got):\n%s", d)
	}

	// The chair: no drafts, nothing of Asker's nomination.
	buf.Reset()
	if err := chair.WriteCSV(e.ctx, &buf, l); err != nil {
		t.Fatal(err)
	}
	recs = readCSV(t, buf.Bytes())
	if len(recs) != 1+4 {
		t.Fatalf("chair's export has %d rows, want 4: %q", len(recs)-1, recs)
	}
	for _, r := range recs[1:] {
		if r[0] == e.asker.publicID || r[10] == "" {
			t.Errorf("chair's export has %q", r)
		}
	}
	if got := chair.FileName(l, "csv"); !strings.HasPrefix(got, "poeng-innovasjonsprisen-") || !strings.HasSuffix(got, ".csv") {
		t.Errorf("file name %q", got)
	}
}

func TestScoreExportXLSX(t *testing.T) {
	t.Parallel()
	e, admin, _ := exportEnv(t)
	var buf bytes.Buffer
	if err := admin.WriteXLSX(e.ctx, &buf, exportLabels(t, "en")); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Scores")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+8 || rows[0][0] != "Nomination ID" || rows[0][12] != "Counts in the ranking" {
		t.Fatalf("rows %q", rows)
	}
	// Mulighetenes kommune's second score, 3.5, is a number cell.
	if v, _ := f.GetCellValue("Scores", "I9"); v != "3.5" {
		t.Errorf("I9 = %q", v)
	}
	if typ, _ := f.GetCellType("Scores", "I9"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Error("the score is a text cell")
	}
	if typ, _ := f.GetCellType("Scores", "K2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Error("the submission time is a text cell")
	}
	if formula, _ := f.GetCellFormula("Scores", "J8"); formula != "" {
		t.Errorf("a comment became the formula %q", formula)
	}
	panes, err := f.GetPanes("Scores")
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes %+v", panes)
	}
}

func TestReport(t *testing.T) {
	t.Parallel()
	e := newDecisionEnv(t)
	jon := e.seat(e.person("Jon Jurymedlem", false), e.c, false, true)
	e.conflict(jon, "Horten", "family", "Bror er ordfører")
	e.conflict(e.chairID, "Asker", "employed", "Jobbet der")
	e.exec(`INSERT INTO memberships (user_id, organisation_id, role, source) SELECT j.user_id, ?, 'submitter', 'admin' FROM jurors j WHERE j.id = ?`,
		e.orgs["Asker"], jon)
	if _, err := e.set(e.admin, "", finalist(e.horten)); err != nil {
		t.Fatal(err)
	}
	all, err := e.s.Report(e.ctx, e.admin, e.c.publicID)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, c := range all.Conflicts {
		lines = append(lines, c.Juror+"/"+c.Nomination+"/"+c.Kind)
	}
	want := []string{"Jon Jurymedlem/Horten handler/family", "Jon Jurymedlem/Mulighetenes kommune/member", "Jorunn Juryleder/Mulighetenes kommune/employed"}
	if d := cmp.Diff(want, lines); d != "" {
		t.Errorf("admin's conflicts (-want +got):\n%s", d)
	}
	if len(all.Decisions) != 1 || all.OwnConflicts != 0 || all.Generated.IsZero() {
		t.Errorf("admin's report %+v", all)
	}
	mine, err := e.s.Report(e.ctx, e.chair, e.c.publicID)
	if err != nil {
		t.Fatal(err)
	}
	if len(mine.Conflicts) != 1 || mine.Conflicts[0].Nomination != "Horten handler" || mine.OwnConflicts != 1 || mine.Ranking.Hidden != 1 {
		t.Errorf("chair's report: conflicts %+v, own %d", mine.Conflicts, mine.OwnConflicts)
	}
}
