// Package spreadsheet writes tables as files people open in a spreadsheet: CSV
// as Excel in Norway reads it, and XLSX workbooks streamed row by row. It
// knows nothing of Heder's domain; exports give it headings and cells.
package spreadsheet

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// Column is one column of a table: its heading and its width in an XLSX
// file, in characters (0 leaves Excel's default).
type Column struct {
	Heading string
	Width   float64
}

// TimeLayout is how CSV cells show times; XLSX files have real date cells
// in the same format.
const (
	TimeLayout = "2006-01-02 15:04"
	xlsxTime   = "yyyy-mm-dd hh:mm"
)

// Safe defuses a text that a spreadsheet would read as a formula (OWASP's
// CSV injection advice): a leading apostrophe makes it text.
func Safe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// CSV writes a table as CSV for Excel in Norway: UTF-8 with a byte order
// mark (without it Excel reads the file as Windows-1252 and garbles æøå),
// semicolons between cells (Excel splits a double-clicked file on the
// locale's list separator, ";" wherever the decimal separator is ",", as
// in nb-NO), decimal commas and CRLF line ends. Texts that would start a
// formula get a leading apostrophe (Safe).
type CSV struct {
	w   *csv.Writer
	rec []string
}

// NewCSV writes the byte order mark and the header row.
func NewCSV(w io.Writer, cols []Column) (*CSV, error) {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return nil, err
	}
	c := &CSV{w: csv.NewWriter(w), rec: make([]string, len(cols))}
	c.w.Comma = ';'
	c.w.UseCRLF = true
	for i, col := range cols {
		c.rec[i] = Safe(col.Heading)
	}
	if err := c.w.Write(c.rec); err != nil {
		return nil, err
	}
	return c, nil
}

// Row writes one row; cells beyond the columns are dropped. Cells are
// written by type: string (text), int, int64 and float64 (numbers, with a
// decimal comma), time.Time (a date and time, already in the reader's
// zone) and nil (empty); anything else with fmt's %v.
func (c *CSV) Row(cells ...any) error {
	for i := range c.rec {
		c.rec[i] = ""
		if i < len(cells) {
			c.rec[i] = csvCell(cells[i])
		}
	}
	return c.w.Write(c.rec)
}

// Close flushes what is buffered.
func (c *CSV) Close() error {
	c.w.Flush()
	return c.w.Error()
}

func csvCell(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return Safe(v)
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strings.Replace(strconv.FormatFloat(v, 'f', -1, 64), ".", ",", 1)
	case time.Time:
		return v.Format(TimeLayout)
	}
	return Safe(fmt.Sprint(v))
}

// XLSX writes a table as an Excel workbook: one sheet with a bold, frozen
// header row, an autofilter over every column, set column widths and real
// date cells. Rows are streamed to the sheet (excelize's StreamWriter)
// instead of built up as cells in memory. Strings are stored as text
// cells, never formulas, so they need no defusing.
type XLSX struct {
	f     *excelize.File
	sw    *excelize.StreamWriter
	out   io.Writer
	date  int
	n     int // rows written, header included
	cols  int
	row   []any
	added int // rows announced to NewXLSX
}

// NewXLSX starts a workbook whose one sheet is called name (or "Sheet1"
// when name is not a valid sheet name) with the header row. rows is the
// number of data rows that will follow: the autofilter's range must be
// known before the rows are streamed, as the stream writes the sheet's
// parts in order and the filter's goes last. Call Close to write the
// file to w.
func NewXLSX(w io.Writer, name string, cols []Column, rows int) (*XLSX, error) {
	f := excelize.NewFile()
	x := &XLSX{f: f, out: w, cols: len(cols), row: make([]any, len(cols)), added: rows}
	fail := func(what string, err error) (*XLSX, error) {
		f.Close()
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	sheet := strings.NewReplacer("[", "", "]", "", ":", "", "*", "", "?", "", "/", "", `\`, "").Replace(name)
	if sheet == "" || len([]rune(sheet)) > 31 {
		sheet = "Sheet1"
	} else if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fail("name sheet", err)
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return fail("start sheet", err)
	}
	x.sw = sw
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8EEF4"}},
		Border: []excelize.Border{{Type: "bottom", Color: "1E2B3C", Style: 1}}})
	if err != nil {
		return fail("header style", err)
	}
	layout := xlsxTime
	if x.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &layout}); err != nil {
		return fail("date style", err)
	}
	// Backwards: excelize puts each new width first, and Excel wants the
	// columns in ascending order.
	for i := len(cols) - 1; i >= 0; i-- {
		if cols[i].Width <= 0 {
			continue
		}
		if err := sw.SetColWidth(i+1, i+1, cols[i].Width); err != nil {
			return fail("column width", err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return fail("freeze header", err)
	}
	last, err := excelize.CoordinatesToCellName(max(len(cols), 1), rows+1)
	if err != nil {
		return fail("filter range", err)
	}
	if err := f.AutoFilter(sheet, "A1:"+last, nil); err != nil {
		return fail("autofilter", err)
	}
	for i, c := range cols {
		x.row[i] = excelize.Cell{StyleID: bold, Value: c.Heading}
	}
	if err := sw.SetRow("A1", x.row, excelize.RowOpts{StyleID: bold}); err != nil {
		return fail("header row", err)
	}
	x.n = 1
	return x, nil
}

// Row writes one row, typed as CSV.Row says (numbers and times become
// number and date cells); cells beyond the columns are dropped. Writing more
// rows than announced is an error, as they would fall outside the filter.
func (x *XLSX) Row(cells ...any) error {
	if x.n > x.added {
		return fmt.Errorf("row %d: more rows than the %d announced", x.n+1, x.added)
	}
	for i := range x.row {
		var v any
		if i < len(cells) {
			v = cells[i]
		}
		if t, ok := v.(time.Time); ok {
			v = excelize.Cell{StyleID: x.date, Value: t}
		}
		x.row[i] = v
	}
	x.n++
	cell, err := excelize.CoordinatesToCellName(1, x.n)
	if err != nil {
		return err
	}
	if err := x.sw.SetRow(cell, x.row); err != nil {
		return fmt.Errorf("row %d: %w", x.n, err)
	}
	return nil
}

// Close finishes the sheet and writes the workbook.
func (x *XLSX) Close() error {
	defer x.f.Close()
	if err := x.sw.Flush(); err != nil {
		return fmt.Errorf("finish sheet: %w", err)
	}
	return x.f.Write(x.out)
}

// Discard gives up the workbook without writing it.
func (x *XLSX) Discard() { x.f.Close() }

// FileName builds a download's file name from its parts, e.g.
// "poeng-innovasjonsprisen-2017.xlsx", in ASCII so that every browser
// keeps it: lower case letters, digits and single dashes, the Norwegian
// letters spelt out.
func FileName(ext string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if s := slug(p); s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, "-") + "." + ext
}

func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == 'æ':
			b.WriteString("ae")
		case r == 'ø':
			b.WriteString("o")
		case r == 'å':
			b.WriteString("a")
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
			continue
		}
		dash = false
	}
	return strings.TrimSuffix(b.String(), "-")
}
