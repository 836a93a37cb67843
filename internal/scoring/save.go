package scoring

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/jackc/pgx/v5"
	"github.com/uptrace/bun"
)

// Audit entries of scores are about the nomination (entity "scores",
// entity ID the nomination's row ID) and name the juror inside.
const entityScores = "scores"

// writable loads, under the juror's lock, the nomination and the juror's
// sheet for a change: ENotFound unless the actor scores it (EForbidden,
// ErrNotDeclared, for a seated juror who has not declared), EConflict when
// the scores are submitted (ErrSubmitted) or the cycle takes no scores
// now (ErrClosed).
func writable(ctx context.Context, tx bun.Tx, actor *awards.Actor, cyclePublicID, publicID string) (target, Sheet, error) {
	if _, err := lockJuror(ctx, tx, actor, cyclePublicID, publicID); err != nil {
		return target{}, Sheet{}, err
	}
	t, err := readTarget(ctx, tx, actor, cyclePublicID, publicID, true)
	if err != nil {
		return t, Sheet{}, err
	}
	sh, err := writableSheet(actor, t)
	return t, sh, err
}

// writableSheet returns the sheet that a change to t, read with its doc
// under the juror's lock, starts from; the errors are writable's.
func writableSheet(actor *awards.Actor, t target) (Sheet, error) {
	if !policy.CanScore(t.facts()) {
		if err := mayRead(actor, t); err != nil {
			return Sheet{}, err
		}
		return Sheet{}, notFound()
	}
	if t.SubmittedAt != nil {
		return Sheet{}, submittedError()
	}
	if !t.ScoringOpen {
		return Sheet{}, closedError(t.State)
	}
	d, err := decodeDoc(t.Doc)
	if err != nil {
		return Sheet{}, err
	}
	return sheet(t, d, false), nil
}

// rulesFor returns what cells written to sh are checked against.
func rulesFor(sh Sheet) rules {
	r := rules{level: sh.Level, criteria: map[int64]awards.Criterion{}, projects: sh.projectRows}
	for _, cr := range sh.Criteria {
		r.criteria[cr.ID] = cr
	}
	return r
}

// saveCells upserts the cells given as arrays ($1 criterion IDs, $2
// project row IDs or 0, $3 values as text, empty for none, $4 comments) of
// juror $6 for nomination $7, removing those with neither value nor
// comment, if cycle $5 takes scores by the database's clock and the juror
// has not submitted; in the same statement it records the change in the
// audit log (audit.Args as $8 to $13), so that the write and its record
// cannot part. It returns one row when it wrote, none otherwise.
var saveCells = `
	WITH input AS (
		SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) AS i (criterion_id, project_id, value, comment)
	), gate AS (
		SELECT 1 FROM cycles c WHERE c.id = $5 AND scoring_open(c)
			AND NOT EXISTS (SELECT 1 FROM score_submissions ss WHERE ss.juror_id = $6 AND ss.nomination_id = $7
				AND ss.round_id = current_round(c.id))
	), removed AS (
		DELETE FROM scores s USING input i, gate
		WHERE s.juror_id = $6 AND s.nomination_id = $7 AND s.criterion_id = i.criterion_id
			AND coalesce(s.project_id, 0) = i.project_id AND i.value = '' AND i.comment = ''
		RETURNING s.id
	), saved AS (
		INSERT INTO scores (juror_id, nomination_id, project_id, criterion_id, value, comment)
		SELECT $6, $7, NULLIF(i.project_id, 0), i.criterion_id, NULLIF(i.value, '')::numeric, i.comment
		FROM input i, gate WHERE NOT (i.value = '' AND i.comment = '')
		ON CONFLICT (juror_id, nomination_id, (coalesce(project_id, 0)), criterion_id)
		DO UPDATE SET value = EXCLUDED.value, comment = EXCLUDED.comment, updated_at = now()
		RETURNING id
	), audited AS (` + audit.Insert(8, "gate") + `)
	SELECT 1 FROM gate`

// auditCell is what the audit log keeps of a cell.
type auditCell struct {
	CriterionID int64    `json:"criterion_id"`
	ProjectID   string   `json:"project_id,omitempty"`
	Value       *float64 `json:"value"`
	Comment     string   `json:"comment"`
}

// cellWrite is a change to a juror's cells: the arguments of saveCells,
// and the cells written.
type cellWrite struct {
	args []any
	ws   []write
}

// planWrite returns the change that the cells all make to sh, the cells
// stored as they are already left out (a form posts every cell, and the
// audit log should show what changed); ok is false when nothing changes.
func planWrite(actor *awards.Actor, t target, sh Sheet, all []write) (cw cellWrite, ok bool, err error) {
	own := sh.own()
	for _, w := range all {
		old, stored := own[w.Key]
		same := stored && old.Comment == w.Comment && (old.Value == nil) == (w.Value == nil) && (old.Value == nil || *old.Value == *w.Value)
		if !same && (stored || !w.empty()) {
			cw.ws = append(cw.ws, w)
		}
	}
	n := len(cw.ws)
	if n == 0 {
		return cw, false, nil
	}
	crit, proj := make([]int64, n), make([]int64, n)
	vals, comments := make([]string, n), make([]string, n)
	before, after := make([]auditCell, n), make([]auditCell, n)
	for i, w := range cw.ws {
		crit[i], proj[i], comments[i] = w.CriterionID, w.projectRowID, w.Comment
		if w.Value != nil {
			vals[i] = strconv.FormatFloat(*w.Value, 'f', 2, 64)
		}
		old := own[w.Key]
		before[i] = auditCell{CriterionID: w.CriterionID, ProjectID: w.ProjectID, Value: old.Value, Comment: old.Comment}
		after[i] = auditCell{CriterionID: w.CriterionID, ProjectID: w.ProjectID, Value: w.Value, Comment: w.Comment}
	}
	entry, err := audit.Args(actor.User.ID, "save", entityScores, t.NominationID,
		map[string]any{"juror_id": t.JurorID, "cells": before}, map[string]any{"juror_id": t.JurorID, "cells": after})
	if err != nil {
		return cw, false, err
	}
	cw.args = append([]any{crit, proj, vals, comments, t.State.ID, t.JurorID, t.NominationID}, entry...)
	return cw, true, nil
}

// applyTo returns sh with the cells written.
func (cw cellWrite) applyTo(sh Sheet, t target) Sheet {
	own := sh.own()
	for _, w := range cw.ws {
		if w.empty() {
			delete(own, w.Key)
			continue
		}
		// now() is the transaction's start, which the target was read in.
		own[w.Key] = Score{Cell: w.Cell, UpdatedAt: t.Now}
	}
	sh.setOwn(own)
	return sh
}

// writeCells writes the cells that change (see planWrite) in tx and
// returns the sheet as it now stands; EConflict (ErrClosed) when the
// cycle stopped taking scores meanwhile.
func writeCells(ctx context.Context, tx bun.Tx, actor *awards.Actor, t target, sh Sheet, all []write) (Sheet, error) {
	cw, ok, err := planWrite(actor, t, sh, all)
	if err != nil || !ok {
		return sh, err
	}
	// The values go as parameters (through the transaction's database/sql
	// handle, since bun writes values into the text): one prepared
	// statement, planned once, instead of a new text to parse, plan and
	// cache on every save. The final SELECT's row count says whether the
	// gate let the write through.
	res, err := tx.Tx.ExecContext(ctx, saveCells, cw.args...)
	if err != nil {
		return sh, postgres.Map("save scores", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		// The deadline and the submission were checked before, under the
		// same clock and lock: the phase has moved meanwhile.
		return sh, closedNow(ctx, tx, t.State.ID)
	}
	return cw.applyTo(sh, t), nil
}

// Save stores cells as the actor's draft scores of the nomination with
// publicID (in the cycle with cyclePublicID, unless that is ""): each
// listed cell is set, one with neither value nor comment is removed,
// cells not listed stay as they are. Every value must lie on its
// criterion's scale and step; at project level every cell names one of
// the nomination's projects, at nomination level none. Either every cell
// is saved, with one audit entry holding their values before and after,
// or none is. Jurors who score the nomination only. Returns ENotFound,
// EForbidden (ErrNotDeclared), EInvalid (field errors per cell, named by
// Key.Field and Key.CommentField), and EConflict (ErrSubmitted,
// ErrClosed).
func (s *Service) Save(ctx context.Context, actor *awards.Actor, cyclePublicID, publicID string, cells []Cell) (Sheet, error) {
	if actor.Anonymous() {
		return Sheet{}, awards.Errorf(awards.EUnauthenticated, "log in first")
	}
	// Two round trips, as a juror saves as they go: one begins the
	// transaction, takes the lock and reads, the other writes and commits.
	var out Sheet
	var closedCycle int64
	err := s.db.Pipeline(ctx, func(ctx context.Context, c *pgx.Conn) error {
		t, err := beginWrite(ctx, c, actor, cyclePublicID, publicID)
		if err != nil {
			return err
		}
		sh, err := writableSheet(actor, t)
		if err != nil {
			return err
		}
		ws, err := rulesFor(sh).check(cells)
		if err != nil {
			return err
		}
		cw, ok, err := planWrite(actor, t, sh, ws)
		if err != nil || !ok {
			out = sh // nothing to write: the transaction is rolled back
			return err
		}
		var b pgx.Batch
		b.Queue(saveCells, cw.args...)
		b.Queue("COMMIT")
		br := c.SendBatch(ctx, &b)
		wrote, saveErr := br.Exec()
		_, commitErr := br.Exec()
		if err := errors.Join(saveErr, commitErr, br.Close()); err != nil {
			return postgres.Map("save scores", err)
		}
		if wrote.RowsAffected() != 1 {
			// Checked before, under the same clock and lock: the phase
			// has moved meanwhile.
			closedCycle = t.State.ID
			return nil
		}
		out = cw.applyTo(sh, t)
		return nil
	})
	if err == nil && closedCycle != 0 {
		return Sheet{}, closedNow(ctx, s.db, closedCycle)
	}
	return out, err
}

// beginWrite begins a transaction on c, takes the actor's juror lock and
// reads the nomination with the doc a write needs, all in one round trip:
// writable's lock and read, still two statements in that order, so that
// the read sees what a save that held the lock before wrote.
func beginWrite(ctx context.Context, c *pgx.Conn, actor *awards.Actor, cyclePublicID, publicID string) (target, error) {
	var b pgx.Batch
	b.Queue("BEGIN")
	b.Queue(lockJurorSQL, publicID, cyclePublicID, actor.User.ID)
	b.Queue(targetSelect, actor.User.ID, publicID, cyclePublicID, true)
	br := c.SendBatch(ctx, &b)
	_, beginErr := br.Exec()
	var jurorID int64
	lockErr := br.QueryRow().Scan(&jurorID)
	var t target
	readErr := br.QueryRow().Scan(t.dest()...)
	if err := errors.Join(beginErr, br.Close()); err != nil {
		return t, postgres.Map("lock juror and read nomination", err)
	}
	if lockErr != nil {
		return t, postgres.Map("lock juror", lockErr)
	}
	return t, postgres.Map("load nomination for the jury", readErr)
}

// Submission says when a juror submitted their scores of a nomination.
type Submission struct {
	NominationID string
	SubmittedAt  time.Time
}

// Submit locks the actor's scores of the nomination with publicID (in the
// cycle with cyclePublicID, unless that is ""), after saving cells first
// when there are any (as Save does, in the same transaction): from then on
// they count, cannot change until the chair reopens them, and the actor
// sees the other jurors' submitted scores and the discussion. Every
// criterion (of every project, at project level) must have a score.
// Returns ENotFound, EForbidden (ErrNotDeclared), EInvalid (field errors
// per cell; ErrIncomplete lists the cells without a score), EConflict
// (ErrSubmitted when already submitted, ErrClosed).
func (s *Service) Submit(ctx context.Context, actor *awards.Actor, cyclePublicID, publicID string, cells []Cell) (Submission, error) {
	var out Submission
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		t, sh, err := writable(ctx, tx, actor, cyclePublicID, publicID)
		if err != nil {
			return err
		}
		if len(cells) > 0 {
			ws, err := rulesFor(sh).check(cells)
			if err != nil {
				return err
			}
			if sh, err = writeCells(ctx, tx, actor, t, sh, ws); err != nil {
				return err
			}
		}
		if len(sh.Missing) > 0 {
			return incomplete(sh)
		}
		var at time.Time
		err = tx.NewRaw(`
			INSERT INTO score_submissions (juror_id, nomination_id, round_id)
			SELECT ?, ?, current_round(c.id) FROM cycles c WHERE c.id = ? AND scoring_open(c) AND current_round(c.id) = ?
			ON CONFLICT DO NOTHING RETURNING submitted_at`, t.JurorID, t.NominationID, t.State.ID, t.State.RoundID).Scan(ctx, &at)
		if errors.Is(err, sql.ErrNoRows) {
			// Under the juror's lock no other submission can have slipped
			// in, so the phase has moved meanwhile.
			return closedNow(ctx, tx, t.State.ID)
		}
		if err != nil {
			return postgres.Map("submit scores", err)
		}
		out = Submission{NominationID: t.PublicID, SubmittedAt: at}
		cells := make([]auditCell, len(sh.Scores))
		for i, sc := range sh.Scores {
			cells[i] = auditCell{CriterionID: sc.CriterionID, ProjectID: sc.ProjectID, Value: sc.Value, Comment: sc.Comment}
		}
		return audit.Record(ctx, tx, actor.User.ID, "submit", entityScores, t.NominationID, nil,
			map[string]any{"juror_id": t.JurorID, "submitted_at": at, "cells": cells})
	})
	return out, err
}

// incomplete is the EInvalid error listing the cells without a score.
func incomplete(sh Sheet) error {
	names := map[int64]string{}
	for _, cr := range sh.Criteria {
		names[cr.ID] = cr.NameNB
	}
	titles := map[string]string{}
	for _, p := range sh.Projects {
		titles[p.ID] = p.Title
	}
	fields := map[string]string{}
	var list []string
	for _, k := range sh.Missing {
		fields[k.Field()] = keyMissing
		name := names[k.CriterionID]
		if k.ProjectID != "" {
			name += " (" + titles[k.ProjectID] + ")"
		}
		list = append(list, name)
	}
	return &awards.Error{Code: awards.EInvalid, Err: ErrIncomplete, Fields: fields,
		Message: fmt.Sprintf("score every criterion before submitting; without a score: %s", strings.Join(list, ", "))}
}
