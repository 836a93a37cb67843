package nominations_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/nominations"
	"github.com/heder-awards/heder/internal/pgtest"
	"github.com/xuri/excelize/v2"
)

// labels are the exports' texts in bokmål, as an admin gets them.
func labels(t testing.TB) nominations.ExportLabels {
	t.Helper()
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	l := b.Localizer("nb")
	return nominations.ExportLabels{T: func(id string) string { return l.T(id) }, Loc: i18n.Oslo()}
}

var header = []string{"Nominasjons-ID", "Tittel", "Status", "Type utfordring", "Nominerte organisasjoner", "Fylke",
	"Kontaktperson", "Kontaktpersonens e-post", "Sendt inn", "Prosjekt", "Prosjektperiode", "Målte resultater", "Vedlegg"}

func TestExportRows(t *testing.T) {
	t.Parallel()
	r := newReview(t)
	e, err := r.s.Export(r.ctx, r.admin, r.cycle, nominations.Filter{Page: 7})
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ id, title, nominees, county, project, period, measures string }
	var got []row
	for _, x := range e.Rows {
		got = append(got, row{x.NominationID, x.Title, x.Nominees, x.County, x.ProjectTitle,
			periodOf(x.PeriodStart, x.PeriodEnd), x.Measures})
	}
	// A nomination with three projects gives three rows; one with none,
	// one row; in the list's order.
	want := []row{
		{r.asker, "Mulighetenes kommune", "Asker", "Akershus", "Holmen svømmehall", "2015-08-01/2017-06-25", ""},
		{r.asker, "Mulighetenes kommune", "Asker", "Akershus", "Løsningsjakten på Borgen", "2016-01-01/", "møtepunkter: 50; deltakere: 783; innspill: 458"},
		{r.asker, "Mulighetenes kommune", "Asker", "Akershus", "Asker velferdslab", "/", "familier i piloten: 15; andel: 2.5 %"},
		{r.baerum, "-20 % sykefravær", "Bærum", "Akershus", "", "/", ""},
		{r.oppegrd, "Oppegård tar grep", "Oppegård", "Akershus", "", "/", ""},
		{r.traena, "Tenk Træna", "Træna", "Nordland", "Tenk Træna", "/", ""},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(row{})); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if e.Rows[0].Attachments != 1 || e.Rows[1].Attachments != 0 || e.Rows[0].ContactEmail != "kari@asker.kommune.no" ||
		e.Rows[0].SubmittedAt == nil || e.Rows[3].SubmittedAt != nil || e.Rows[0].Status != awards.StatusSubmitted {
		t.Errorf("Asker's first row %+v, Bærum's %+v", e.Rows[0], e.Rows[3])
	}

	e, err = r.s.Export(r.ctx, r.admin, r.cycle, nominations.Filter{Query: "svømmehallen"})
	if err != nil || len(e.Rows) != 3 || e.Rows[2].ProjectTitle != "Asker velferdslab" {
		t.Errorf("search export: %d rows %v, want Asker's three", len(e.Rows), err)
	}
	e, err = r.s.Export(r.ctx, r.admin, r.cycle, nominations.Filter{Status: awards.StatusIneligible})
	if err != nil || len(e.Rows) != 0 {
		t.Errorf("none ineligible: %+v %v", e.Rows, err)
	}
}

func periodOf(start, end *time.Time) string {
	var s string
	if start != nil {
		s = start.Format(time.DateOnly)
	}
	s += "/"
	if end != nil {
		s += end.Format(time.DateOnly)
	}
	return s
}

func TestExportCSV(t *testing.T) {
	t.Parallel()
	r := newReview(t)
	e, err := r.s.Export(r.ctx, r.admin, r.cycle, nominations.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := e.WriteCSV(&buf, labels(t)); err != nil {
		t.Fatal(err)
	}
	raw := buf.String()
	if !strings.HasPrefix(raw, "\ufeff") || !strings.Contains(raw, "\r\n") {
		t.Fatalf("no BOM or CRLF: %q", raw[:min(len(raw), 80)])
	}
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(raw, "\ufeff")))
	cr.Comma = ';'
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 7 {
		t.Fatalf("%d records, want a header and 6 rows", len(recs))
	}
	if diff := cmp.Diff(header, recs[0]); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{r.asker, "Mulighetenes kommune", "Sendt inn", "Kommunen må fornye seg", "Asker", "Akershus",
		"Kari Nordmann", "kari@asker.kommune.no", recs[1][8], "Løsningsjakten på Borgen", "2016-01-01–",
		"møtepunkter: 50; deltakere: 783; innspill: 458", "0"}, recs[2]); diff != "" {
		t.Errorf("Asker's second row (-want +got):\n%s", diff)
	}
	if !regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d$`).MatchString(recs[1][8]) || recs[1][10] != "2015-08-01–2017-06-25" || recs[1][12] != "1" {
		t.Errorf("Asker's first row %q", recs[1])
	}
	// Bærum's draft: its cells would start formulas; they are defused.
	if b := recs[4]; b[1] != "'-20 % sykefravær" || b[6] != "'@berit" || b[2] != "Utkast" || b[8] != "" || b[9] != "" {
		t.Errorf("Bærum's row %q", b)
	}
	// Times are Oslo's: 14:03 in winter is 13:03 UTC.
	if o := recs[5]; o[8] != "2017-02-28 14:03" || o[4] != "Oppegård" || o[2] != "Trukket" {
		t.Errorf("Oppegård's row %q", o)
	}
}

func TestCSVSafe(t *testing.T) {
	t.Parallel()
	e := nominations.Export{Rows: []nominations.ExportRow{}}
	for _, s := range []string{"=1+1", "+47 99", "-2", "@SUM(A1)", "\tx", "\rx"} { // (with CRLF line ends, a lone \r is dropped)
		e.Rows = append(e.Rows, nominations.ExportRow{Title: s, Status: awards.StatusDraft})
	}
	e.Rows = append(e.Rows, nominations.ExportRow{Title: "Vanlig tittel = fin", Status: awards.StatusDraft})
	var buf bytes.Buffer
	if err := e.WriteCSV(&buf, labels(t)); err != nil {
		t.Fatal(err)
	}
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\ufeff")))
	cr.Comma = ';'
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, rec := range recs[1:] {
		got = append(got, rec[1])
	}
	want := []string{"'=1+1", "'+47 99", "'-2", "'@SUM(A1)", "'\tx", "'x", "Vanlig tittel = fin"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("titles (-want +got):\n%s", diff)
	}
}

func TestExportXLSX(t *testing.T) {
	t.Parallel()
	r := newReview(t)
	e, err := r.s.Export(r.ctx, r.admin, r.cycle, nominations.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := e.WriteXLSX(&buf, labels(t)); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const sheet = "Nominasjoner"
	if got := f.GetSheetList(); len(got) != 1 || got[0] != sheet {
		t.Fatalf("sheets %v, want [%s]", got, sheet)
	}
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 7 {
		t.Fatalf("%d rows, want a header and 6", len(rows))
	}
	if diff := cmp.Diff(header, rows[0]); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	if got := rows[2]; got[0] != r.asker || got[9] != "Løsningsjakten på Borgen" || got[11] != "møtepunkter: 50; deltakere: 783; innspill: 458" {
		t.Errorf("Asker's second row %q", got)
	}
	// Text stays text: no apostrophe needed, as cells are never formulas.
	if got := rows[4]; got[1] != "-20 % sykefravær" || got[6] != "@berit" {
		t.Errorf("Bærum's row %q", got)
	}
	if v, _ := f.GetCellValue(sheet, "I6"); v != "2017-02-28 14:03" {
		t.Errorf("Oppegård's submission shown as %q", v)
	}
	if typ, _ := f.GetCellType(sheet, "I6"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("submission time is a text cell, want a date")
	}
	if typ, _ := f.GetCellType(sheet, "M2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("attachment count is a text cell, want a number")
	}
	style, err := f.GetCellStyle(sheet, "A1")
	if err != nil {
		t.Fatal(err)
	}
	if s, err := f.GetStyle(style); err != nil || s.Font == nil || !s.Font.Bold {
		t.Errorf("header style %+v %v, want bold", s, err)
	}
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Errorf("panes %+v %v, want the header row frozen", panes, err)
	}
	if w, _ := f.GetColWidth(sheet, "B"); w != 40 {
		t.Errorf("title column width %v, want 40", w)
	}
	var filter bool
	for _, d := range f.GetDefinedName() {
		filter = filter || d.Name == "_xlnm._FilterDatabase" && d.RefersTo == "'Nominasjoner'!$A$1:$M$7"
	}
	xml := sheetXML(t, buf.Bytes())
	if !filter || !strings.Contains(xml, `<autoFilter ref="$A$1:$M$7"`) {
		t.Errorf("no autofilter over A1:M7 (defined names %+v)", f.GetDefinedName())
	}
	if !regexp.MustCompile(`<cols><col min="1" max="1" [^>]*/><col min="2" max="2" `).MatchString(xml) {
		t.Errorf("columns not in ascending order: %.300s", xml[strings.Index(xml, "<cols>"):])
	}

	// An empty export is a header with its filter.
	var empty bytes.Buffer
	if err := (nominations.Export{Cycle: e.Cycle}).WriteXLSX(&empty, labels(t)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sheetXML(t, empty.Bytes()), `<autoFilter ref="$A$1:$M$1"`) {
		t.Errorf("empty export has no filter")
	}
}

func sheetXML(t *testing.T, b []byte) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := z.Open("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	x, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return string(x)
}

func TestExportFileName(t *testing.T) {
	t.Parallel()
	l := labels(t)
	for _, tt := range []struct {
		cycle awards.Cycle
		want  string
	}{
		{awards.Cycle{Title: "Innovasjonsprisen 2017"}, "nominasjoner-innovasjonsprisen-2017.xlsx"},
		{awards.Cycle{Title: "Kommunal innovasjonspris – Årets løsning for 2018!"}, "nominasjoner-kommunal-innovasjonspris-arets-losning-for-2018.xlsx"},
		{awards.Cycle{Title: "Særpris / Øst"}, "nominasjoner-saerpris-ost.xlsx"},
		{awards.Cycle{Title: "", AwardSlug: "kommunal-innovasjonspris", Year: 2019}, "nominasjoner-kommunal-innovasjonspris-2019.xlsx"},
		{awards.Cycle{Title: `"; rm -rf /`}, "nominasjoner-rm-rf.xlsx"},
	} {
		if got := (nominations.Export{Cycle: tt.cycle}).FileName(l, "xlsx"); got != tt.want {
			t.Errorf("%q: %q, want %q", tt.cycle.Title, got, tt.want)
		}
	}
}

// TestExportMessagesExist fails when a message the list or the exports
// name is missing in a language.
func TestExportMessagesExist(t *testing.T) {
	t.Parallel()
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	key := regexp.MustCompile(`"(exports\.[a-z_.]+[a-z_])"`)
	files, _ := filepath.Glob("*.go")
	seen := 0
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range key.FindAllSubmatch(src, -1) {
			seen++
			for _, lang := range i18n.Langs {
				if got := b.Localizer(lang).T(string(m[1])); got == string(m[1]) {
					t.Errorf("%s names %q, missing in %s", name, m[1], lang)
				}
			}
		}
	}
	if seen < 15 {
		t.Errorf("found only %d message keys", seen)
	}
}

// BenchmarkExport measures an export of 2,000 nominations with three
// projects each (6,000 rows, three measured results and an attachment
// per project): loading the rows, writing CSV and writing XLSX, and a
// search over the same cycle. Run it alone, e.g.
// go test -run '^$' -bench Export -benchmem ./internal/nominations/
func BenchmarkExport(b *testing.B) {
	seed := pgtest.NewSeed(b)
	ctx, db := seed.Ctx, seed.DB
	s := nominations.NewService(db)
	cycle := seed.Cycle(pgtest.CycleSpec{Award: seed.Award("bench", "Kommunal innovasjonspris"), Year: 2017, Phase: "judging"}).PublicID
	// The thousands of rows are set-based: one at a time through the
	// factories they take minutes to commit.
	for _, q := range []string{
		`INSERT INTO organisations (kind, name, number) SELECT 'county', 'Fylke ' || i, lpad(i::text, 2, '0') FROM generate_series(1, 10) i`,
		`INSERT INTO organisations (kind, name, parent_id) SELECT 'municipality', 'Kommune ' || i,
			(SELECT id FROM organisations WHERE kind = 'county' ORDER BY id OFFSET i % 10 LIMIT 1) FROM generate_series(1, 400) i`,
		`INSERT INTO nominations (cycle_id, title, summary, challenge, contact_name, contact_email, status, submitted_at)
			SELECT c.id, 'Nominasjon ' || i, repeat('Kommunen har jobbet helhetlig med innovasjon og nye tjenester sammen med innbyggerne. ', 10),
				'renewal', 'Kari Nordmann ' || i, 'kari' || i || '@example.kommune.no', 'submitted', now() - i * interval '1 minute'
			FROM cycles c, generate_series(1, 2000) i`,
		`INSERT INTO nomination_organisations (nomination_id, organisation_id)
			SELECT n.id, (SELECT id FROM organisations WHERE kind = 'municipality' ORDER BY id OFFSET n.id % 400 LIMIT 1) FROM nominations n`,
		`INSERT INTO projects (organisation_id, title, description, results, period_start, period_end)
			SELECT x.organisation_id, 'Prosjekt ' || x.nomination_id || '-' || k,
				repeat('Et nytt svømmeanlegg og en velferdslab der innbyggeren står i sentrum. ', 15), 'Mange deltok.', '2016-01-01', '2017-06-01'
			FROM nomination_organisations x, generate_series(1, 3) k`,
		`INSERT INTO nomination_projects (nomination_id, project_id, position)
			SELECT substring(p.title from 'Prosjekt (\d+)-')::bigint, p.id, substring(p.title from '-(\d+)$')::int FROM projects p`,
		`INSERT INTO project_results (project_id, label, value, position)
			SELECT p.id, l.label, p.id % 1000, l.pos FROM projects p, (VALUES ('møtepunkter', 1), ('deltakere', 2), ('innspill', 3)) l(label, pos)`,
		`INSERT INTO attachments (project_id, filename, content_type, size, sha256, storage_key)
			SELECT id, 'rapport.pdf', 'application/pdf', 1000, 'x', 'bench/' || id FROM projects`,
		`ANALYZE`,
	} {
		seed.Exec(q)
	}
	admin := &awards.Actor{User: awards.User{ID: 1, IsAdmin: true}}
	l := labels(b)
	e, err := s.Export(ctx, admin, cycle, nominations.Filter{})
	if err != nil || len(e.Rows) != 6000 {
		b.Fatalf("%d rows, %v", len(e.Rows), err)
	}
	b.Run("load", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.Export(ctx, admin, cycle, nominations.Filter{}); err != nil {
				b.Fatal(err)
			}
		}
		var kept nominations.Export
		b.ReportMetric(peakHeap(func() { kept, _ = s.Export(ctx, admin, cycle, nominations.Filter{}) }), "peak-heap-MB")
		runtime.KeepAlive(kept)
	})
	for _, w := range []struct {
		name  string
		write func(nominations.Export, io.Writer, nominations.ExportLabels) error
	}{{"csv", nominations.Export.WriteCSV}, {"xlsx", nominations.Export.WriteXLSX}} {
		b.Run(w.name, func(b *testing.B) {
			b.ReportAllocs()
			var size int64
			for b.Loop() {
				c := &counter{}
				if err := w.write(e, c, l); err != nil {
					b.Fatal(err)
				}
				size = c.n
			}
			b.ReportMetric(float64(size)/1e6, "MB/file")
			b.ReportMetric(peakHeap(func() { _ = w.write(e, io.Discard, l) }), "peak-heap-MB")
		})
	}
	b.Run("search", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			items, total, err := s.AdminList(ctx, admin, cycle, nominations.Filter{Query: "svømmeanlegget innbyggerne"})
			if err != nil || total != 2000 || len(items) != nominations.PageSize {
				b.Fatalf("%d of %d, %v", len(items), total, err)
			}
		}
	})
	b.Run("list", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := s.AdminList(ctx, admin, cycle, nominations.Filter{Page: 3}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// peakHeap runs f and returns how far the live heap grew above where it
// stood before, in MB, sampled every millisecond.
func peakHeap(f func()) float64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	base, peak := m.HeapAlloc, m.HeapAlloc
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				peak = max(peak, m.HeapAlloc)
			}
		}
	}()
	f()
	close(done)
	<-stopped
	return float64(peak-base) / 1e6
}

type counter struct{ n int64 }

func (c *counter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }
