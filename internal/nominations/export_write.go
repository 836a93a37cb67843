package nominations

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// ExportLabels is what writing an export needs from its reader: texts in
// their language and the time zone to show times in (Europe/Oslo).
type ExportLabels struct {
	// T translates a message ID.
	T   func(id string) string
	Loc *time.Location
}

// exportColumns are the exports' columns in order: the message ID of each
// heading and its width in the XLSX file, in characters.
var exportColumns = []struct {
	id    string
	width float64
}{
	{"exports.col.id", 34},
	{"exports.col.title", 40},
	{"exports.col.status", 16},
	{"exports.col.challenge", 30},
	{"exports.col.nominees", 30},
	{"exports.col.county", 18},
	{"exports.col.contact_name", 24},
	{"exports.col.contact_email", 30},
	{"exports.col.submitted_at", 18},
	{"exports.col.project", 40},
	{"exports.col.period", 23},
	{"exports.col.measures", 50},
	{"exports.col.attachments", 10},
}

// timeLayout is how CSV cells show times; the XLSX file has real date
// cells in the same format.
const (
	timeLayout = "2006-01-02 15:04"
	xlsxTime   = "yyyy-mm-dd hh:mm"
)

// values are a row's cells: strings, a time.Time (already in the
// reader's zone) or nil for the submission time, and an int.
func (r ExportRow) values(l ExportLabels) []any {
	var submitted any
	if r.SubmittedAt != nil {
		submitted = r.SubmittedAt.In(l.Loc)
	}
	var challenge string
	if r.Challenge != "" {
		challenge = l.T("nominations.challenge." + string(r.Challenge))
	}
	return []any{r.NominationID, r.Title, l.T("nominations.status." + string(r.Status)), challenge,
		r.Nominees, r.County, r.ContactName, r.ContactEmail, submitted,
		r.ProjectTitle, period(r.PeriodStart, r.PeriodEnd), r.Measures, r.Attachments}
}

// period shows a project's period as ISO dates, "2015-08-01–2017-06-25",
// open-ended when one end is unknown.
func period(start, end *time.Time) string {
	if start == nil && end == nil {
		return ""
	}
	var b strings.Builder
	if start != nil {
		b.WriteString(start.Format(time.DateOnly))
	}
	b.WriteString("–")
	if end != nil {
		b.WriteString(end.Format(time.DateOnly))
	}
	return b.String()
}

// FileName is the export's file name for a download, e.g.
// "nominasjoner-innovasjonsprisen-2017.xlsx", in ASCII so that every
// browser keeps it.
func (e Export) FileName(l ExportLabels, ext string) string {
	title := e.Cycle.Title
	if title == "" {
		title = fmt.Sprintf("%s %d", e.Cycle.AwardSlug, e.Cycle.Year)
	}
	return slug(l.T("exports.file_name")) + "-" + slug(title) + "." + ext
}

// slug lower-cases s to ASCII letters, digits and single dashes,
// spelling out the Norwegian letters.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
			continue
		case r == 'æ':
			b.WriteString("ae")
			dash = false
			continue
		case r == 'ø':
			b.WriteString("o")
			dash = false
			continue
		case r == 'å':
			b.WriteString("a")
			dash = false
			continue
		}
		if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// csvSafe defuses a cell that a spreadsheet would read as a formula
// (OWASP's CSV injection advice): a leading apostrophe makes it text.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// WriteCSV writes the export as CSV for Excel in Norway: UTF-8 with a
// byte order mark (without it Excel reads the file as Windows-1252 and
// garbles æøå), semicolons between cells (Excel splits a double-clicked
// CSV file on the locale's list separator, which is ";" wherever the
// decimal separator is ",", as in nb-NO) and CRLF line ends. Cells that
// would start a formula get a leading apostrophe.
func (e Export) WriteCSV(w io.Writer, l ExportLabels) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	rec := make([]string, len(exportColumns))
	for i, c := range exportColumns {
		rec[i] = csvSafe(l.T(c.id))
	}
	if err := cw.Write(rec); err != nil {
		return err
	}
	for _, r := range e.Rows {
		for i, v := range r.values(l) {
			switch v := v.(type) {
			case string:
				rec[i] = csvSafe(v)
			case time.Time:
				rec[i] = v.Format(timeLayout)
			case int:
				rec[i] = strconv.Itoa(v)
			default:
				rec[i] = ""
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteXLSX writes the export as an Excel workbook: one sheet with a bold,
// frozen header row, an autofilter over every column, set column widths
// and real date cells. Rows are streamed to the sheet (excelize's
// StreamWriter) instead of built up as cells in memory. Strings are
// stored as text cells, never formulas, so they need no defusing.
func (e Export) WriteXLSX(w io.Writer, l ExportLabels) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := strings.NewReplacer("[", "", "]", "", ":", "", "*", "", "?", "", "/", "", `\`, "").Replace(l.T("exports.sheet"))
	if sheet == "" || len([]rune(sheet)) > 31 {
		sheet = "Sheet1"
	} else if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("name sheet: %w", err)
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("start sheet: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8EEF4"}},
		Border: []excelize.Border{{Type: "bottom", Color: "1E2B3C", Style: 1}}})
	if err != nil {
		return fmt.Errorf("header style: %w", err)
	}
	layout := xlsxTime
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: &layout})
	if err != nil {
		return fmt.Errorf("date style: %w", err)
	}
	// Backwards: excelize puts each new width first, and Excel wants the
	// columns in ascending order.
	for i := len(exportColumns) - 1; i >= 0; i-- {
		if err := sw.SetColWidth(i+1, i+1, exportColumns[i].width); err != nil {
			return fmt.Errorf("column width: %w", err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return fmt.Errorf("freeze header: %w", err)
	}
	last, err := excelize.CoordinatesToCellName(len(exportColumns), len(e.Rows)+1)
	if err != nil {
		return err
	}
	// The filter range must be known before the rows are streamed: the
	// stream writes the sheet's parts in order and the filter's goes last.
	if err := f.AutoFilter(sheet, "A1:"+last, nil); err != nil {
		return fmt.Errorf("autofilter: %w", err)
	}
	row := make([]any, len(exportColumns))
	for i, c := range exportColumns {
		row[i] = excelize.Cell{StyleID: bold, Value: l.T(c.id)}
	}
	if err := sw.SetRow("A1", row, excelize.RowOpts{StyleID: bold}); err != nil {
		return fmt.Errorf("header row: %w", err)
	}
	for n, r := range e.Rows {
		for i, v := range r.values(l) {
			if t, ok := v.(time.Time); ok {
				v = excelize.Cell{StyleID: date, Value: t}
			}
			row[i] = v
		}
		cell, err := excelize.CoordinatesToCellName(1, n+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, row); err != nil {
			return fmt.Errorf("row %d: %w", n+2, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("finish sheet: %w", err)
	}
	return f.Write(w)
}
