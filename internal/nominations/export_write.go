package nominations

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/heder-awards/heder/internal/spreadsheet"
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
	return spreadsheet.FileName(ext, l.T("exports.file_name"), title)
}

func (e Export) columns(l ExportLabels) []spreadsheet.Column {
	cols := make([]spreadsheet.Column, len(exportColumns))
	for i, c := range exportColumns {
		cols[i] = spreadsheet.Column{Heading: l.T(c.id), Width: c.width}
	}
	return cols
}

// WriteCSV writes the export as CSV for Excel in Norway (see spreadsheet.CSV):
// UTF-8 with a byte order mark, semicolons between cells and CRLF line
// ends; cells that would start a formula get a leading apostrophe.
func (e Export) WriteCSV(w io.Writer, l ExportLabels) error {
	c, err := spreadsheet.NewCSV(w, e.columns(l))
	if err != nil {
		return err
	}
	for _, r := range e.Rows {
		if err := c.Row(r.values(l)...); err != nil {
			return err
		}
	}
	return c.Close()
}

// WriteXLSX writes the export as an Excel workbook (see spreadsheet.XLSX): one
// sheet with a bold, frozen header row, an autofilter over every column,
// set column widths and real date cells, streamed row by row.
func (e Export) WriteXLSX(w io.Writer, l ExportLabels) error {
	x, err := spreadsheet.NewXLSX(w, l.T("exports.sheet"), e.columns(l), len(e.Rows))
	if err != nil {
		return err
	}
	for _, r := range e.Rows {
		if err := x.Row(r.values(l)...); err != nil {
			x.Discard()
			return err
		}
	}
	return x.Close()
}
