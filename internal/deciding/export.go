package deciding

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/heder-awards/heder/internal/spreadsheet"
	"github.com/uptrace/bun"
)

// ExportLabels is what writing an export needs from its reader: texts and
// names in their language and the time zone to show times in.
type ExportLabels struct {
	// T translates a message ID.
	T    func(id string) string
	Lang string
	Loc  *time.Location
}

// scoreColumns are the score exports' columns: message IDs and widths.
var scoreColumns = []struct {
	id    string
	width float64
}{
	{"deciding.col.nomination_id", 34},
	{"deciding.col.nomination", 40},
	{"deciding.col.nominees", 28},
	{"deciding.col.juror", 24},
	{"deciding.col.juror_removed", 12},
	{"deciding.col.round", 20},
	{"deciding.col.criterion", 30},
	{"deciding.col.project", 30},
	{"deciding.col.score", 8},
	{"deciding.col.comment", 60},
	{"deciding.col.submitted_at", 18},
	{"deciding.col.excluded", 30},
	{"deciding.col.counts", 12},
	{"deciding.col.updated_at", 18},
}

// ScoreExport is a cycle's score matrix, ready to be written by its
// reader: juror × nomination × criterion (× project), with comments and
// whether each score is submitted, excluded and counts in the ranking.
// Every round's scores are in it, each labelled with its round (that of
// its criterion), and whether a score counts is said of its round's
// ranking.
type ScoreExport struct {
	Cycle Cycle
	db    bun.IDB
	v     Viewer
}

// ScoreExport prepares the cycle's score export for the actor. The chair
// (declared) and site admins; see RankingFor for the errors. Admins get
// every score, drafts included (unless they hold a seat in the cycle);
// the chair the submitted ones (excluded ones too, marked). A seated reader never gets scores of nominations
// they step aside from.
func (s *Service) ScoreExport(ctx context.Context, actor *awards.Actor, cyclePublicID string) (*ScoreExport, error) {
	v, err := load(ctx, s.db, actor, cyclePublicID, false)
	if err != nil {
		return nil, err
	}
	return &ScoreExport{Cycle: v.Cycle, db: s.db, v: v}, nil
}

// FileName is the export's file name, e.g. "poeng-innovasjonsprisen-2017.xlsx".
func (e *ScoreExport) FileName(l ExportLabels, ext string) string {
	title := e.Cycle.Title
	if title == "" {
		title = e.Cycle.AwardSlug + " " + strconv.Itoa(e.Cycle.Year)
	}
	return spreadsheet.FileName(ext, l.T("deciding.export.file_name"), title)
}

// from is the export's rows: its FROM and WHERE. took_part holds the
// nominations of each round, each asked once (in_round), not once per
// score.
func (e *ScoreExport) from() string {
	where := `j.cycle_id = ? AND n.cycle_id = j.cycle_id AND ` + e.v.visible("n")
	if !e.v.Admin || e.v.JurorID != 0 {
		// Drafts are each juror's own until submitted; only the
		// secretariat, not on the jury, sees them.
		where += ` AND ss.juror_id IS NOT NULL`
	}
	return `FROM scores s
		JOIN jurors j ON j.id = s.juror_id JOIN users u ON u.id = j.user_id
		JOIN nominations n ON n.id = s.nomination_id
		JOIN criteria cr ON cr.id = s.criterion_id JOIN rounds r ON r.id = cr.round_id
		LEFT JOIN projects p ON p.id = s.project_id
		LEFT JOIN nomination_projects np ON np.nomination_id = s.nomination_id AND np.project_id = s.project_id
		LEFT JOIN score_submissions ss ON ss.juror_id = s.juror_id AND ss.nomination_id = s.nomination_id AND ss.round_id = r.id
		LEFT JOIN (SELECT x.id AS round_id, m.id AS nomination_id FROM rounds x JOIN nominations m ON m.cycle_id = x.cycle_id
			WHERE x.cycle_id = ` + strconv.FormatInt(e.v.ID, 10) + ` AND in_round(x.id, m.id)) took_part
			ON took_part.round_id = r.id AND took_part.nomination_id = n.id
		WHERE ` + where
}

type scoreRow struct {
	NominationID string
	Title        string
	Nominees     string
	Juror        string
	Removed      bool
	Round        int
	RoundNB      string
	RoundNN      string
	RoundEN      string
	NameNB       string
	NameNN       string
	NameEN       string
	Project      string
	Value        *float64
	Comment      string
	SubmittedAt  *time.Time
	Excluded     *string
	Counts       bool
	UpdatedAt    time.Time
}

// rows streams the export's rows to fn, in order: nomination, round,
// juror, criterion, project.
func (e *ScoreExport) rows(ctx context.Context, db bun.IDB, fn func(r *scoreRow) error) error {
	rows, err := db.QueryContext(ctx, `
		SELECT n.public_id, n.title,
			coalesce((SELECT string_agg(o.name, ', ' ORDER BY o.name) FROM nomination_organisations x
				JOIN organisations o ON o.id = x.organisation_id WHERE x.nomination_id = n.id), ''),
			u.name, j.removed_at IS NOT NULL, r.position, r.name_nb, r.name_nn, r.name_en,
			cr.name_nb, cr.name_nn, cr.name_en, coalesce(p.title, ''),
			s.value::float8, s.comment, ss.submitted_at, ss.excluded_reason,
			ss.juror_id IS NOT NULL AND ss.excluded_reason IS NULL AND j.removed_at IS NULL AND s.value IS NOT NULL
				AND in_the_running(n.status) AND took_part.round_id IS NOT NULL,
			s.updated_at
		`+e.from()+`
		ORDER BY lower(n.title), n.id, r.position, u.name, j.id, cr.position, cr.id, np.position NULLS FIRST, p.id`, e.v.ID)
	if err != nil {
		return postgres.Map("export scores", err)
	}
	defer rows.Close()
	var r scoreRow
	for rows.Next() {
		if err := rows.Scan(&r.NominationID, &r.Title, &r.Nominees, &r.Juror, &r.Removed, &r.Round, &r.RoundNB, &r.RoundNN, &r.RoundEN,
			&r.NameNB, &r.NameNN, &r.NameEN,
			&r.Project, &r.Value, &r.Comment, &r.SubmittedAt, &r.Excluded, &r.Counts, &r.UpdatedAt); err != nil {
			return postgres.Map("read scores to export", err)
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
	return postgres.Map("read scores to export", rows.Err())
}

func (r *scoreRow) cells(l ExportLabels) []any {
	yesNo := func(b bool) string {
		if b {
			return l.T("deciding.yes")
		}
		return l.T("deciding.no")
	}
	var value, submitted, excluded any
	if r.Value != nil {
		value = *r.Value
	}
	if r.SubmittedAt != nil {
		submitted = r.SubmittedAt.In(l.Loc)
	}
	if r.Excluded != nil {
		excluded = *r.Excluded
	}
	round := awards.Round{NameNB: r.RoundNB, NameNN: r.RoundNN, NameEN: r.RoundEN}.Name(l.Lang)
	return []any{r.NominationID, r.Title, r.Nominees, r.Juror, yesNo(r.Removed), strconv.Itoa(r.Round) + ": " + round,
		Criterion{NameNB: r.NameNB, NameNN: r.NameNN, NameEN: r.NameEN}.Name(l.Lang), r.Project,
		value, r.Comment, submitted, excluded, yesNo(r.Counts), r.UpdatedAt.In(l.Loc)}
}

func (e *ScoreExport) columns(l ExportLabels) []spreadsheet.Column {
	cols := make([]spreadsheet.Column, len(scoreColumns))
	for i, c := range scoreColumns {
		cols[i] = spreadsheet.Column{Heading: l.T(c.id), Width: c.width}
	}
	return cols
}

// WriteCSV writes the export as CSV (see spreadsheet.CSV), streaming the rows
// from the database.
func (e *ScoreExport) WriteCSV(ctx context.Context, w io.Writer, l ExportLabels) error {
	c, err := spreadsheet.NewCSV(w, e.columns(l))
	if err != nil {
		return err
	}
	if err := e.rows(ctx, e.db, func(r *scoreRow) error { return c.Row(r.cells(l)...) }); err != nil {
		return err
	}
	return c.Close()
}

// WriteXLSX writes the export as an Excel workbook (see spreadsheet.XLSX):
// scores are number cells, times date cells. The rows are counted first
// (the workbook's filter needs their number), in the same snapshot.
func (e *ScoreExport) WriteXLSX(ctx context.Context, w io.Writer, l ExportLabels) error {
	var x *spreadsheet.XLSX
	err := e.db.RunInTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}, func(ctx context.Context, tx bun.Tx) error {
		var n int
		if err := tx.NewRaw(`SELECT count(*) `+e.from(), e.v.ID).Scan(ctx, &n); err != nil {
			return postgres.Map("count scores to export", err)
		}
		var err error
		if x, err = spreadsheet.NewXLSX(w, l.T("deciding.export.sheet"), e.columns(l), n); err != nil {
			return fmt.Errorf("start workbook: %w", err)
		}
		return e.rows(ctx, tx, func(r *scoreRow) error { return x.Row(r.cells(l)...) })
	})
	if err != nil {
		if x != nil {
			x.Discard()
		}
		return err
	}
	// Written to the reader after the transaction: the rows wait in the
	// workbook's temporary files, not in an open transaction.
	return x.Close()
}
