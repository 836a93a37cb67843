package scoring

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// Service runs the jurors' scoring.
type Service struct {
	db *postgres.DB
	// facts are the readers' facts about the nominations whose screens
	// they read, by version.
	facts *kept[factsKey, target]
	// writes are the jurors' sheets of the nominations they save scores
	// of, by nomination (see keptWrite).
	writes *kept[writeKey, keptWrite]
}

// NewService returns a Service over db.
func NewService(db *postgres.DB) *Service {
	// A reader's facts are a few hundred bytes, a writer's sheet a few
	// kilobytes; a juror saves one nomination at a time.
	return &Service{db: db, facts: newKept[factsKey, target](4096), writes: newKept[writeKey, keptWrite](1024)}
}

// Causes of refusals, so that callers can tell them apart with errors.Is
// and explain each in the reader's language.
var (
	// ErrNotDeclared: the juror has not declared their conflicts of
	// interest in the cycle yet, and sees nothing before they have.
	ErrNotDeclared = errors.New("conflicts of interest not declared")
	// ErrClosed: the cycle does not take scores now (not in judging, or
	// past its scoring deadline).
	ErrClosed = errors.New("scoring is closed")
	// ErrSubmitted: the juror's scores of the nomination are submitted and
	// locked.
	ErrSubmitted = errors.New("scores already submitted")
	// ErrIncomplete: not every criterion has a score.
	ErrIncomplete = errors.New("scores incomplete")
	// ErrNotSubmitted: there is no submission to reopen.
	ErrNotSubmitted = errors.New("scores not submitted")
)

// Level is what a cycle's jurors score: each nomination, or each of its
// projects.
type Level string

// Levels (cycles.scoring_level).
const (
	LevelNomination Level = "nomination"
	LevelProject    Level = "project"
)

// Status is how far a juror has come with one nomination.
type Status string

// Statuses of a juror's work on a nomination.
const (
	NotStarted Status = "not_started"
	Draft      Status = "draft"
	Submitted  Status = "submitted"
)

// Cycle is what scoring needs to know about a cycle.
type Cycle struct {
	ID       int64
	PublicID string
	Title    string
	Phase    awards.Phase
	Deadline *time.Time
	// Level is the cycle's scoring level; Rollup ("mean" or "best") says
	// how the ranking turns project scores into a nomination's figure.
	Level  Level
	Rollup string
	// Open: scores can be saved and submitted now (the cycle is judging
	// and its current round's scoring deadline is ahead by the
	// database's clock).
	Open bool
	// Round is the current round, when the cycle has more than one
	// (Round.Position 0 otherwise); Rounds how many it has.
	Round  awards.Round
	Rounds int
}

// cycleCols are the columns of cycleFields, from cycles.StateFrom.
const cycleCols = cycles.StateColumns + `, c.scoring_level, c.project_rollup`

// cycleFields are the cycle's state, as cycles owns it, and how its
// jurors score.
type cycleFields struct {
	cycles.State
	Level  string `bun:"scoring_level"`
	Rollup string `bun:"project_rollup"`
}

func (c cycleFields) cycle() Cycle {
	return Cycle{ID: c.State.ID, PublicID: c.State.PublicID, Title: c.State.Title, Phase: c.Phase,
		Deadline: c.RoundDeadline, Level: Level(c.Level), Rollup: c.Rollup, Open: c.ScoringOpen, Rounds: c.Rounds,
		Round: awards.Round{ID: c.RoundID, Position: c.RoundPosition, Kind: c.RoundKind, NameNB: c.RoundNameNB,
			NameNN: c.RoundNameNN, NameEN: c.RoundNameEN, Current: true}}
}

// target is one nomination and what the reader is to it.
type target struct {
	cycleFields
	NominationID int64      `bun:"nomination_id"`
	PublicID     string     `bun:"nomination_public_id"`
	Title        string     `bun:"title"`
	InJury       bool       `bun:"in_jury"`
	JurorID      int64      `bun:"juror_id"`
	Chair        bool       `bun:"chair"`
	Declared     bool       `bun:"declared"`
	Assigned     bool       `bun:"assigned"`
	Conflicted   bool       `bun:"conflicted"`
	SubmittedAt  *time.Time `bun:"submitted_at"`
	// ScreenVersion and FactsVersion are the cycle's
	// jury_screen_versions, read in the same snapshot as the facts:
	// invalid when the cycle has none.
	ScreenVersion sql.NullInt64 `bun:"screen_version"`
	FactsVersion  sql.NullInt64 `bun:"facts_version"`
	// Doc is what readTarget read for a write (JSON), else nil.
	Doc []byte `bun:"doc"`
}

func (t target) facts() policy.JuryFacts {
	return policy.JuryFacts{CycleID: t.State.ID, InJury: t.InJury, Seated: t.JurorID != 0, Declared: t.Declared, Chair: t.Chair,
		Assigned: t.Assigned, Conflicted: t.Conflicted, Submitted: t.SubmittedAt != nil}
}

// targetSelect reads a nomination (by public ID $2, optionally within
// a cycle by public ID $3) with the facts about the reader's (user $1)
// seat in its cycle, and, when $4, the doc a write needs: the criteria,
// the projects and the seat's own scores. A juror works on the
// nominations juror_nominations gives them, and sees them once
// juror_visible_nominations does too: after they have declared, and
// declared about every nominee organisation of the nomination. Until then
// their declaration counts as not made for it.
const targetSelect = targetFacts + `,
		CASE WHEN $4 THEN json_build_object('criteria', ` + criteriaJSON + `, 'projects', ` + projectRefsJSON + `,
			'scores', (SELECT coalesce(json_agg(` + scoreJSON + `), '[]') FROM scores s
				JOIN criteria cr ON cr.id = s.criterion_id AND cr.round_id = cycle_round.id
				WHERE s.juror_id = j.id AND s.nomination_id = n.id))
		END AS doc
	` + targetFrom + `
	WHERE n.public_id = $2 AND ($3 = '' OR c.public_id = $3)`

// screenSelect is targetSelect for a screen, read on every request: in
// the cycle given, with no doc ($4 is unused), so that one plan serves
// every reader.
const screenSelect = targetFacts + `, NULL::json AS doc
	` + targetFrom + `
	WHERE n.public_id = $2 AND c.public_id = $3 AND NOT $4`

// targetFacts are the columns of targetSelect but its doc.
const targetFacts = `
	SELECT ` + cycleCols + `, n.id AS nomination_id, n.public_id AS nomination_public_id, n.title,
		in_the_running(n.status) AS in_jury,
		coalesce(j.id, 0) AS juror_id, coalesce(j.chair, false) AS chair,
		j.declared_at IS NOT NULL AND (v.visible
			OR NOT EXISTS (SELECT 1 FROM juror_nominations_of(j.id) jn WHERE jn.nomination_id = n.id)) AS declared,
		coalesce(v.visible, false) AS assigned,
		EXISTS (SELECT 1 FROM juror_conflicts jc WHERE jc.juror_id = j.id AND jc.nomination_id = n.id) AS conflicted,
		(SELECT ss.submitted_at FROM score_submissions ss WHERE ss.juror_id = j.id AND ss.nomination_id = n.id
			AND ss.round_id = cycle_round.id) AS submitted_at,
		sv.version AS screen_version, sv.facts_version`

// targetFrom is what targetSelect reads from.
const targetFrom = `FROM nominations n
	JOIN ` + cycles.StateFrom + ` ON c.id = n.cycle_id
	LEFT JOIN jury_screen_versions sv ON sv.cycle_id = c.id
	LEFT JOIN jurors j ON j.cycle_id = c.id AND j.user_id = $1 AND j.removed_at IS NULL
	-- A subquery, not a join: n.id then reaches into the function as a
	-- value, and only this nomination is checked.
	LEFT JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM juror_visible_nominations_of(j.id) v WHERE v.nomination_id = n.id) AS visible) v
		ON j.id IS NOT NULL`

func notFound() error { return awards.Errorf(awards.ENotFound, "not found") }

func notDeclared() error {
	return &awards.Error{Code: awards.EForbidden, Err: ErrNotDeclared,
		Message: "declare your conflicts of interest in this cycle first: you see no nomination before you have"}
}

// loadTarget reads the nomination with publicID (in the cycle with
// cyclePublicID, unless that is "") and the actor's facts about it.
// Nobody learns anything of a nomination they have no business with: a
// missing nomination, one outside the cycle, and one the actor has no
// seat for all give ENotFound.
func loadTarget(ctx context.Context, db bun.IDB, actor *awards.Actor, cyclePublicID, publicID string) (target, error) {
	return readTarget(ctx, db, actor, cyclePublicID, publicID, false)
}

// readTarget is loadTarget, with the doc a write needs when withDoc.
func readTarget(ctx context.Context, db bun.IDB, actor *awards.Actor, cyclePublicID, publicID string, withDoc bool) (target, error) {
	return queryTarget(ctx, db, targetSelect, actor, cyclePublicID, publicID, withDoc)
}

// queryTarget reads a target with query, targetSelect or screenSelect.
func queryTarget(ctx context.Context, db bun.IDB, query string, actor *awards.Actor, cyclePublicID, publicID string, withDoc bool) (target, error) {
	var t target
	if actor.Anonymous() {
		return t, awards.Errorf(awards.EUnauthenticated, "log in first")
	}
	err := postgres.Driver(db).QueryRowContext(ctx, query, actor.User.ID, publicID, cyclePublicID, withDoc).Scan(t.dest()...)
	if err != nil {
		return t, postgres.Map("load nomination for the jury", err)
	}
	return t, nil
}

// dest is where a row of targetSelect is scanned to.
func (t *target) dest() []any {
	return append(t.State.Dest(), &t.Level, &t.Rollup,
		&t.NominationID, &t.PublicID, &t.Title, &t.InJury, &t.JurorID, &t.Chair, &t.Declared, &t.Assigned, &t.Conflicted,
		&t.SubmittedAt, &t.ScreenVersion, &t.FactsVersion, &t.Doc)
}

// mayRead returns nil when the actor may open the nomination's jury page:
// they score it, or they see the jury's work on it (chair, admins). A
// seated juror who has not declared is sent to declare (ErrNotDeclared);
// everyone else gets ENotFound.
func mayRead(actor *awards.Actor, t target) error {
	f := t.facts()
	if policy.CanScore(f) || policy.CanSeeJuryWork(actor, f) {
		return nil
	}
	if f.InJury && f.Seated && !f.Declared {
		return notDeclared()
	}
	return notFound()
}

// lockJuror takes the actor's seat row in the nomination's cycle for the
// rest of the transaction, so that one juror's saves, submits and the
// chair's reopening of them happen one after the other. It returns the
// juror's ID, or ENotFound when the actor holds no seat there.
func lockJuror(ctx context.Context, tx bun.IDB, actor *awards.Actor, cyclePublicID, publicID string) (int64, error) {
	if actor.Anonymous() {
		return 0, awards.Errorf(awards.EUnauthenticated, "log in first")
	}
	var id int64
	err := postgres.Driver(tx).QueryRowContext(ctx, lockJurorSQL, publicID, cyclePublicID, actor.User.ID).Scan(&id)
	return id, postgres.Map("lock juror", err)
}

// lockJurorSQL locks the seat of user $3 in the cycle of the nomination
// with public ID $1 (in the cycle with public ID $2, unless that is empty)
// and returns its ID.
const lockJurorSQL = `SELECT j.id FROM jurors j JOIN cycles c ON c.id = j.cycle_id JOIN nominations n ON n.cycle_id = c.id
	WHERE n.public_id = $1 AND ($2 = '' OR c.public_id = $2) AND j.user_id = $3 AND j.removed_at IS NULL
	FOR NO KEY UPDATE OF j`

// closedError explains why a cycle takes no scores now.
func closedError(c cycles.State) error {
	switch {
	case c.Phase != awards.PhaseJudging:
		return &awards.Error{Code: awards.EConflict, Reason: awards.ReasonNotOpen, Err: ErrClosed,
			Message: fmt.Sprintf("the cycle is in phase %s, not judging: scores can only be saved and submitted while the jury is judging", c.Phase)}
	case c.ScoringDeadline != nil:
		return &awards.Error{Code: awards.EConflict, Reason: awards.ReasonDeadlinePassed, Err: ErrClosed,
			Message: fmt.Sprintf("the scoring deadline (%s) has passed", awards.ErrorTime(*c.ScoringDeadline))}
	}
	return &awards.Error{Code: awards.EConflict, Reason: awards.ReasonNotOpen, Err: ErrClosed, Message: "the cycle takes no scores now"}
}

// closedNow reads the cycle again and explains why it takes no scores.
func closedNow(ctx context.Context, db bun.IDB, cycleID int64) error {
	c, err := cycles.StateByID(ctx, db, cycleID, cycles.NoLock)
	if err != nil {
		return err
	}
	return closedError(c)
}

func submittedError() error {
	return &awards.Error{Code: awards.EConflict, Err: ErrSubmitted,
		Message: "already submitted — ask the chair to reopen your scores of this nomination if you need to change them"}
}

// seat is the actor's seat in a cycle, if any, with the cycle.
type seat struct {
	cycleFields
	JurorID  int64 `bun:"juror_id"`
	Chair    bool  `bun:"chair"`
	Declared bool  `bun:"declared"`
}

// loadSeat reads the cycle with publicID and the actor's seat in it.
// Cycles in draft are nobody's business here (ENotFound); a programme's
// cycle has no scores (EConflict, awards.ReasonProgramme).
func loadSeat(ctx context.Context, db bun.IDB, actor *awards.Actor, publicID string) (seat, error) {
	var s seat
	if actor.Anonymous() {
		return s, awards.Errorf(awards.EUnauthenticated, "log in first")
	}
	err := db.NewRaw(`SELECT `+cycleCols+`, coalesce(j.id, 0) AS juror_id, coalesce(j.chair, false) AS chair,
			j.declared_at IS NOT NULL AS declared
		FROM `+cycles.StateFrom+` LEFT JOIN jurors j ON j.cycle_id = c.id AND j.user_id = ? AND j.removed_at IS NULL
		WHERE c.public_id = ?`, actor.User.ID, publicID).Scan(ctx, &s)
	if err == nil && s.Phase == awards.PhaseDraft {
		return s, notFound()
	}
	if err == nil && s.Programme() {
		return s, awards.NotForProgramme("scores")
	}
	return s, postgres.Map("load cycle for the jury", err)
}
