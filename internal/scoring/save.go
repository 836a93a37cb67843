package scoring

import (
	"context"
	"database/sql"
	"encoding/json"
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
	d, err := writableDoc(actor, t)
	if err != nil {
		return Sheet{}, err
	}
	return sheet(t, d, false), nil
}

// writableDoc is writableSheet's doc.
func writableDoc(actor *awards.Actor, t target) (doc, error) {
	if !policy.CanScore(t.facts()) {
		if err := mayRead(actor, t); err != nil {
			return doc{}, err
		}
		return doc{}, notFound()
	}
	if t.SubmittedAt != nil {
		return doc{}, submittedError()
	}
	if !t.ScoringOpen {
		return doc{}, closedError(t.State)
	}
	return decodeDoc(t.Doc)
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
// project row IDs or 0, $3 values as text, empty for none, $4 comments,
// $5 project public IDs or empty) of juror $7 for nomination $8 in round
// $9, removing those with neither value nor comment, if cycle $6 takes
// scores in that round by the database's clock, the juror still sits and
// has not submitted. A save that did not read the facts (keptWrite) gives
// the cycle's facts_version they were read with as $10 and the round's
// scoring deadline then as $12 (NULL for none): while facts_version is
// the same, so are the cycle's phase, its current round and the
// deadline, and only the clock is checked. Cells stored as they are
// already are left out (a form posts every cell, and the audit log should
// show what changed); the change is recorded in the audit log, as done by
// user $11, in the same statement, so that the write and its record
// cannot part. It returns one row when the gate let it through: the
// database's clock and the juror's scores as they were before
// (scoreJSON).
var saveCells = `
	WITH input AS (
		SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY
			AS i (criterion_id, project_id, value, comment, project_public_id, position)
	), gate AS (
		SELECT 1 FROM cycles c JOIN jury_screen_versions sv ON sv.cycle_id = c.id
		WHERE c.id = $6 AND CASE WHEN $10::bigint IS NULL THEN scoring_open(c) AND current_round(c.id) = $9
				ELSE sv.facts_version = $10 AND now() < coalesce($12::timestamptz, 'infinity') END
			AND EXISTS (SELECT 1 FROM jurors j WHERE j.id = $7 AND j.removed_at IS NULL)
			AND NOT EXISTS (SELECT 1 FROM score_submissions ss WHERE ss.juror_id = $7 AND ss.nomination_id = $8
				AND ss.round_id = $9)
	), own AS (
		SELECT s.* FROM scores s JOIN criteria cr ON cr.id = s.criterion_id AND cr.round_id = $9
		WHERE s.juror_id = $7 AND s.nomination_id = $8
	), changed AS (
		SELECT i.*, o.id AS score_id, trim_scale(o.value) AS old_value, coalesce(o.comment, '') AS old_comment,
			trim_scale(NULLIF(i.value, '')::numeric) AS new_value
		FROM input i LEFT JOIN own o ON o.criterion_id = i.criterion_id AND coalesce(o.project_id, 0) = i.project_id
		WHERE CASE WHEN o.id IS NULL THEN NOT (i.value = '' AND i.comment = '')
			ELSE o.comment <> i.comment OR o.value IS DISTINCT FROM NULLIF(i.value, '')::numeric END
	), removed AS (
		DELETE FROM scores s USING changed i, gate
		WHERE s.id = i.score_id AND i.value = '' AND i.comment = ''
		RETURNING s.id
	), saved AS (
		INSERT INTO scores (juror_id, nomination_id, project_id, criterion_id, value, comment)
		SELECT $7, $8, NULLIF(i.project_id, 0), i.criterion_id, i.new_value, i.comment
		FROM changed i, gate WHERE NOT (i.value = '' AND i.comment = '')
		ON CONFLICT (juror_id, nomination_id, (coalesce(project_id, 0)), criterion_id)
		DO UPDATE SET value = EXCLUDED.value, comment = EXCLUDED.comment, updated_at = now()
		RETURNING id
	), audited AS (` + audit.InsertSelect(`
		SELECT NULLIF($11::bigint, 0), 'save', '`+entityScores+`', $8,
			jsonb_build_object('juror_id', $7, 'cells', jsonb_agg(`+auditCellJSON("old_value", "old_comment")+` ORDER BY i.position)),
			jsonb_build_object('juror_id', $7, 'cells', jsonb_agg(`+auditCellJSON("new_value", "comment")+` ORDER BY i.position))
		FROM changed i, gate HAVING count(*) > 0`) + `)
	SELECT now(), (SELECT coalesce(json_agg(` + scoreJSON + `), '[]') FROM own s) FROM gate`

// auditCell is what the audit log keeps of a cell, as auditCellJSON.
type auditCell struct {
	CriterionID int64    `json:"criterion_id"`
	ProjectID   string   `json:"project_id,omitempty"`
	Value       *float64 `json:"value"`
	Comment     string   `json:"comment"`
}

// auditCellJSON is what the audit log keeps of a cell of changed i: its
// criterion, its project's public ID (at project level), value and comment.
func auditCellJSON(value, comment string) string {
	return `jsonb_build_object('criterion_id', i.criterion_id, 'value', i.` + value + `, 'comment', i.` + comment + `)
		|| CASE WHEN i.project_public_id <> '' THEN jsonb_build_object('project_id', i.project_public_id) ELSE '{}' END`
}

// saveArgs are saveCells' arguments for writing ws to t's sheet as actor;
// kept for a save with the facts t kept (keptWrite), which it did not read.
func saveArgs(actor *awards.Actor, t target, ws []write, kept bool) []any {
	n := len(ws)
	crit, proj := make([]int64, n), make([]int64, n)
	vals, comments, projPublic := make([]string, n), make([]string, n), make([]string, n)
	for i, w := range ws {
		crit[i], proj[i], comments[i], projPublic[i] = w.CriterionID, w.projectRowID, w.Comment, w.ProjectID
		if w.Value != nil {
			vals[i] = strconv.FormatFloat(*w.Value, 'f', 2, 64)
		}
	}
	var factsVersion *int64
	if kept {
		factsVersion = &t.FactsVersion.Int64
	}
	return []any{crit, proj, vals, comments, projPublic, t.State.ID, t.JurorID, t.NominationID, t.State.RoundID,
		factsVersion, actor.User.ID, t.RoundDeadline}
}

// changes returns the cells of all that change sh, in their order: those
// stored as they are already are left out, as saveCells does.
func changes(sh Sheet, all []write) []write {
	own := sh.own()
	var ws []write
	for _, w := range all {
		old, stored := own[w.Key]
		same := stored && old.Comment == w.Comment && (old.Value == nil) == (w.Value == nil) && (old.Value == nil || *old.Value == *w.Value)
		if !same && (stored || !w.empty()) {
			ws = append(ws, w)
		}
	}
	return ws
}

// withCells returns sh with the cells written at now.
func withCells(sh Sheet, ws []write, now time.Time) Sheet {
	own := sh.own()
	for _, w := range ws {
		if w.empty() {
			delete(own, w.Key)
			continue
		}
		own[w.Key] = Score{Cell: w.Cell, UpdatedAt: now}
	}
	sh.setOwn(own)
	return sh
}

// writeCells writes the cells that change (see changes) in tx and
// returns the sheet as it now stands; EConflict (ErrClosed) when the
// cycle stopped taking scores meanwhile.
func writeCells(ctx context.Context, tx bun.Tx, actor *awards.Actor, t target, sh Sheet, all []write) (Sheet, error) {
	ws := changes(sh, all)
	if len(ws) == 0 {
		return sh, nil
	}
	// The values go as parameters (through the transaction's database/sql
	// handle, since bun writes values into the text): one prepared
	// statement, planned once, instead of a new text to parse, plan and
	// cache on every save. The row count says whether the gate let the
	// write through.
	res, err := tx.Tx.ExecContext(ctx, saveCells, saveArgs(actor, t, ws, false)...)
	if err != nil {
		return sh, postgres.Map("save scores", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		// The deadline and the submission were checked before, under the
		// same clock and lock: the phase has moved meanwhile.
		return sh, closedNow(ctx, tx, t.State.ID)
	}
	// now() is the transaction's start, which the target was read in.
	return withCells(sh, ws, t.Now), nil
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
	key := writeKey{actor.User.ID, cyclePublicID, publicID}
	if sh, saved, err := s.saveKept(ctx, actor, key, cells); saved || err != nil {
		return sh, err
	}
	// Two round trips: one begins the transaction, takes the lock and
	// reads, the other writes and commits.
	var out Sheet
	var closedCycle int64
	err := s.db.Pipeline(ctx, func(ctx context.Context, c *pgx.Conn) error {
		t, err := beginWrite(ctx, c, actor, cyclePublicID, publicID)
		if err != nil {
			return err
		}
		d, err := writableDoc(actor, t)
		if err != nil {
			return err
		}
		s.keepWrite(key, t, d)
		sh := sheet(t, d, false)
		all, err := rulesFor(sh).check(cells)
		if err != nil {
			return err
		}
		ws := changes(sh, all)
		if len(ws) == 0 {
			out = sh // nothing to write: the transaction is rolled back
			return nil
		}
		var b pgx.Batch
		b.Queue(saveCells, saveArgs(actor, t, ws, false)...)
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
		out = withCells(sh, ws, t.Now)
		return nil
	})
	if err == nil && closedCycle != 0 {
		return Sheet{}, closedNow(ctx, s.db, closedCycle)
	}
	return out, err
}

// writeKey names a juror's sheet of a nomination as a save names it.
type writeKey struct {
	user              int64
	cycle, nomination string
}

// keptWrite is what a save read of a juror's sheet but their scores: the
// facts, the criteria and the projects, under the cycle's facts_version
// it was read with. Every row they are made of raises facts_version when
// written (see 20261215000000_add_jury_facts_versions); the scores, the
// submission, the clock and the seat are checked again by the statement
// that writes. So a save whose kept facts are current needs no read: it
// writes in one round trip, with saveCells' gate on facts_version.
type keptWrite struct {
	t target
	d doc // without scores
}

// keepWrite keeps what a save read of t, for the juror's next save.
func (s *Service) keepWrite(key writeKey, t target, d doc) {
	if t.FactsVersion.Valid {
		d.Scores = nil
		t.Doc = nil
		s.writes.put(key, keptWrite{t: t, d: d})
	}
}

// saveKept saves cells with the facts kept by the juror's last save of
// the nomination, in one round trip; saved is false when the save must
// read the facts first: none are kept, they are no longer current, or
// they refuse the save (the full read then says why, with the facts as
// they are now).
func (s *Service) saveKept(ctx context.Context, actor *awards.Actor, key writeKey, cells []Cell) (out Sheet, saved bool, err error) {
	k, ok := s.writes.get(key)
	if !ok || !policy.CanScore(k.t.facts()) || k.t.SubmittedAt != nil || k.t.Phase != awards.PhaseJudging {
		return Sheet{}, false, nil
	}
	sh := sheet(k.t, k.d, false)
	all, err := rulesFor(sh).check(cells)
	if err != nil {
		return Sheet{}, false, nil
	}
	var b pgx.Batch
	b.Queue("BEGIN")
	b.Queue(lockSeatSQL, k.t.JurorID)
	b.Queue(saveCells, saveArgs(actor, k.t, all, true)...)
	b.Queue("COMMIT")
	var now time.Time
	var own []byte
	err = s.db.Pipeline(ctx, func(ctx context.Context, c *pgx.Conn) error {
		br := c.SendBatch(ctx, &b)
		_, beginErr := br.Exec()
		_, lockErr := br.Exec() // no seat: the gate finds none either
		gateErr := br.QueryRow().Scan(&now, &own)
		_, commitErr := br.Exec()
		if errors.Is(gateErr, pgx.ErrNoRows) {
			gateErr = nil
			own = nil
		}
		return postgres.Map("save scores", errors.Join(beginErr, lockErr, gateErr, commitErr, br.Close()))
	})
	if err != nil || own == nil {
		return Sheet{}, false, err
	}
	d := k.d
	if err := json.Unmarshal(own, &d.Scores); err != nil {
		return Sheet{}, false, fmt.Errorf("decode scores of juror %d: %w", k.t.JurorID, err)
	}
	k.t.Now, k.t.ScoringOpen = now, true
	sh = sheet(k.t, d, false)
	return withCells(sh, changes(sh, all), now), true, nil
}

// lockSeatSQL takes juror $1's seat row, as lockJurorSQL does.
const lockSeatSQL = `SELECT 1 FROM jurors WHERE id = $1 FOR NO KEY UPDATE`

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
