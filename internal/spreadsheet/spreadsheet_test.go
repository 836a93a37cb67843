package spreadsheet_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/spreadsheet"
	"github.com/xuri/excelize/v2"
)

var cols = []spreadsheet.Column{{"Navn", 20}, {"Poeng", 8}, {"Når", 18}, {"Antall", 0}}

func TestCSV(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	c, err := spreadsheet.NewCSV(&buf, cols)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2017, 4, 3, 14, 5, 0, 0, time.UTC)
	rows := [][]any{
		{"Ærlig talt", 3.5, at, 7},
		{"=HYPERLINK(\"x\")", 4.0, nil, int64(2)},
		{"-2", nil, nil},
		{"@SUM(A1)", 1.25, nil, 0, "dropped"},
	}
	for _, r := range rows {
		if err := c.Row(r...); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	s := buf.String()
	if !strings.HasPrefix(s, "\ufeff") || !strings.Contains(s, "\r\n") {
		t.Errorf("no byte order mark or CRLF: %q", s)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(s, "\ufeff")))
	r.Comma = ';'
	got, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"Navn", "Poeng", "Når", "Antall"},
		{"Ærlig talt", "3,5", "2017-04-03 14:05", "7"},
		{"'=HYPERLINK(\"x\")", "4", "", "2"},
		{"'-2", "", "", ""},
		{"'@SUM(A1)", "1,25", "", "0"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("CSV (-want +got):\n%s", d)
	}
}

func TestXLSX(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	x, err := spreadsheet.NewXLSX(&buf, "Poeng: [alle]", cols, 2)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2017, 4, 3, 14, 5, 0, 0, time.UTC)
	if err := x.Row("=1+1", 3.5, at, 7); err != nil {
		t.Fatal(err)
	}
	if err := x.Row("B", nil, nil, int64(1)); err != nil {
		t.Fatal(err)
	}
	if err := x.Row("too many"); err == nil {
		t.Error("a row beyond the announced ones was accepted")
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const name = "Poeng alle"
	if got := f.GetSheetList(); len(got) != 1 || got[0] != name {
		t.Fatalf("sheets %v", got)
	}
	rows, err := f.GetRows(name)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"Navn", "Poeng", "Når", "Antall"}, {"=1+1", "3.5", "2017-04-03 14:05", "7"}, {"B", "", "", "1"}}
	if d := cmp.Diff(want, rows); d != "" {
		t.Errorf("rows (-want +got):\n%s", d)
	}
	if typ, _ := f.GetCellType(name, "B2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Error("score is a text cell")
	}
	if formula, _ := f.GetCellFormula(name, "A2"); formula != "" {
		t.Errorf("text became formula %q", formula)
	}
	style, _ := f.GetCellStyle(name, "A1")
	if s, err := f.GetStyle(style); err != nil || s.Font == nil || !s.Font.Bold {
		t.Errorf("header not bold: %+v %v", s, err)
	}
	panes, err := f.GetPanes(name)
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes %+v %v", panes, err)
	}
	var filter bool
	for _, d := range f.GetDefinedName() {
		filter = filter || d.Name == "_xlnm._FilterDatabase" && d.RefersTo == "'Poeng alle'!$A$1:$D$3"
	}
	if !filter {
		t.Errorf("no autofilter over A1:D3: %+v", f.GetDefinedName())
	}
}

func TestFileName(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		parts []string
		want  string
	}{
		{[]string{"poeng", "Innovasjonsprisen 2017"}, "poeng-innovasjonsprisen-2017.csv"},
		{[]string{"Juryens rapport", "Kåring: Ærø & Ålesund!"}, "juryens-rapport-karing-aero-alesund.csv"},
		{[]string{"scores", ""}, "scores.csv"},
	} {
		if got := spreadsheet.FileName("csv", tc.parts...); got != tc.want {
			t.Errorf("FileName(%q) = %q, want %q", tc.parts, got, tc.want)
		}
	}
}
