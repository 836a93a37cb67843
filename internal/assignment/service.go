package assignment

import (
	"context"
	"errors"
	"fmt"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// Service manages the assignment of nominations to jurors.
type Service struct {
	db bun.IDB
}

// NewService returns a Service over db.
func NewService(db bun.IDB) *Service { return &Service{db: db} }

// Causes of refusals, so that callers can explain them in the reader's
// language (errors.Is). Each comes wrapped in an *awards.Error with a code
// and an English message.
var (
	// ErrModeAll: the cycle lets every juror score every nomination, so
	// there is nothing to assign (EConflict).
	ErrModeAll = errors.New("the cycle does not assign nominations")
	// ErrPublished: the cycle is published; its jury has finished
	// (EConflict).
	ErrPublished = errors.New("the cycle is published")
	// ErrNotDeclared: the chair has not declared their conflicts of
	// interest yet and sees no nominations before they have (EForbidden).
	ErrNotDeclared = errors.New("conflicts of interest not declared")
)

// Mode is how a cycle shares its nominations among the jurors
// (cycles.assignment_mode).
type Mode string

// Modes.
const (
	// ModeAll: every juror scores every nomination they are not
	// conflicted with.
	ModeAll Mode = "all"
	// ModeAuto: every nomination gets Settings.K jurors, assigned
	// automatically and adjusted by hand.
	ModeAuto Mode = "auto"
)

// Valid reports whether m is a known mode.
func (m Mode) Valid() bool { return m == ModeAll || m == ModeAuto }

// Limits of Settings.K, as the database checks them.
const (
	MinK = 1
	MaxK = 50
)

// Settings are a cycle's assignment settings.
type Settings struct {
	Mode Mode `json:"mode"`
	// K is the number of jurors per nomination in ModeAuto.
	K int `json:"k"`
	// SpreadCounties asks the automatic assignment to put jurors from
	// different counties, and none from the nominee's own, on each
	// nomination where it can without making the loads less even.
	SpreadCounties bool `json:"spread_counties"`
}

// validate returns the field errors of s as message keys.
func (s Settings) validate() map[string]string {
	errs := map[string]string{}
	if !s.Mode.Valid() {
		errs["mode"] = "assignment.error.mode"
	}
	if s.K < MinK || s.K > MaxK {
		errs["k"] = "assignment.error.k"
	}
	return errs
}

// Cycle is what the assignment pages need to know about a cycle: its
// state, as cycles owns it, and its assignment settings.
type Cycle struct {
	cycles.State
	Mode   Mode `bun:"assignment_mode"`
	K      int  `bun:"jurors_per_nomination"`
	Spread bool `bun:"spread_counties"`
}

// Settings returns the cycle's assignment settings.
func (c Cycle) Settings() Settings { return Settings{Mode: c.Mode, K: c.K, SpreadCounties: c.Spread} }

const cycleSelect = `SELECT ` + cycles.StateColumns + `, c.assignment_mode, c.jurors_per_nomination, c.spread_counties
	FROM ` + cycles.StateFrom

// access is what the service knows about the actor and a cycle: the
// cycle, and the actor's seat on its jury, if any (not removed).
type access struct {
	cycle    Cycle
	seat     int64 // jurors.id; 0 without a seat
	chair    bool
	declared bool
}

// open loads the cycle with publicID and checks that actor may see its
// assignment (write false) or change it (write true). lock takes the
// cycle's row lock, which serialises changes to one cycle's assignment.
// Returns EUnauthenticated, ENotFound (no such cycle, or one the actor
// may not know), EForbidden (ErrNotDeclared for an undeclared chair) and,
// for changes, EConflict (ErrPublished).
func open(ctx context.Context, db bun.IDB, actor *awards.Actor, publicID string, write, lock bool) (access, error) {
	var a access
	if actor.Anonymous() {
		return a, awards.Errorf(awards.EUnauthenticated, "log in to continue")
	}
	q := cycleSelect + ` WHERE c.public_id = ?`
	if lock {
		q += string(cycles.ForUpdate)
	}
	if err := db.NewRaw(q, publicID).Scan(ctx, &a.cycle); err != nil {
		return a, postgres.Map(fmt.Sprintf("load cycle %q", publicID), err)
	}
	if a.cycle.Programme() {
		return a, awards.NotForProgramme("jury to assign")
	}
	var seats []struct {
		ID       int64 `bun:"id"`
		Chair    bool  `bun:"chair"`
		Declared bool  `bun:"declared"`
	}
	if err := db.NewRaw(`SELECT id, chair, declared_at IS NOT NULL AS declared FROM jurors
		WHERE cycle_id = ? AND user_id = ? AND removed_at IS NULL`, a.cycle.ID, actor.User.ID).Scan(ctx, &seats); err != nil {
		return a, postgres.Map("load seat", err)
	}
	if len(seats) > 0 {
		a.seat, a.chair, a.declared = seats[0].ID, seats[0].Chair, seats[0].Declared
	}
	allowed := policy.CanManageAssignment(actor, a.cycle.ID)
	if !write {
		allowed = policy.CanSeeAssignment(actor, a.cycle.ID, a.chair, a.declared)
	}
	switch {
	case allowed:
	case !write && a.chair:
		return a, &awards.Error{Code: awards.EForbidden, Err: ErrNotDeclared,
			Message: "declare your conflicts of interest before you see the assignment"}
	case a.seat != 0 || policy.CanSeeCycle(actor, a.cycle.ID, a.cycle.Phase):
		return a, awards.Errorf(awards.EForbidden, "only administrators and the jury's chair see the assignment; only administrators change it")
	default:
		return a, awards.Errorf(awards.ENotFound, "not found")
	}
	if write && a.cycle.Phase == awards.PhasePublished {
		return a, &awards.Error{Code: awards.EConflict, Err: ErrPublished,
			Message: "the cycle is published: its assignment can no longer change"}
	}
	return a, nil
}

// hiddenSQL is true for a nomination n that the actor's seat (the first
// parameter, 0 for none) may not see: the seat is conflicted with it, or
// has not declared about every nominee organisation (the rule of the view
// juror_visible_nominations, less the assignment).
const hiddenSQL = `(? <> 0 AND (
	EXISTS (SELECT 1 FROM juror_conflicts hc WHERE hc.juror_id = ? AND hc.nomination_id = n.id)
	OR EXISTS (SELECT 1 FROM nomination_organisations hno WHERE hno.nomination_id = n.id
		AND NOT EXISTS (SELECT 1 FROM conflict_reviews hr WHERE hr.juror_id = ? AND hr.organisation_id = hno.organisation_id))))`

// hiddenArgs are hiddenSQL's parameters.
func (a access) hiddenArgs() []any { return []any{a.seat, a.seat, a.seat} }
