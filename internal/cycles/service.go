package cycles

import (
	"errors"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/uptrace/bun"
)

// Service manages awards, cycles and criteria.
type Service struct {
	db bun.IDB
}

// NewService returns a Service over db.
func NewService(db bun.IDB) *Service { return &Service{db: db} }

// Causes of the conflicts the service reports, so that callers can tell
// them apart with errors.Is (the HTML pages explain each in the user's
// language).
var (
	// ErrPhaseMove: the asked-for move between phases is not allowed.
	ErrPhaseMove = errors.New("phase move not allowed")
	// ErrPhaseChanged: someone else moved the cycle meanwhile.
	ErrPhaseChanged = errors.New("phase changed meanwhile")
	// ErrNotAnnounced: a cycle moves to published only once its winners
	// are announced (on the publication page, which alone makes anything
	// public).
	ErrNotAnnounced = errors.New("winners not announced")
	// ErrCriteriaLocked: the criterion's round has started, so its
	// criteria are fixed.
	ErrCriteriaLocked = errors.New("criteria locked")
	// ErrNynorskMissing: a state body's call opens only with its texts
	// in nynorsk as well (språklova); the error's fields name the texts.
	ErrNynorskMissing = errors.New("nynorsk missing")
	// ErrYearTaken: the award already has a cycle for that year.
	ErrYearTaken = errors.New("year taken")
	// ErrTooManyRounds: the cycle has awards.MaxRounds rounds.
	ErrTooManyRounds = errors.New("too many rounds")
	// ErrFirstRound: round 1 cannot be deleted.
	ErrFirstRound = errors.New("first round")
	// ErrRoundStarted: the round has started, so it stays and keeps its
	// kind.
	ErrRoundStarted = errors.New("round started")
	// ErrRoundClosed: the round is closed, so its jurors stay.
	ErrRoundClosed = errors.New("round closed")
	// ErrRoundHasCriteria: a round with criteria cannot become a ranked
	// vote.
	ErrRoundHasCriteria = errors.New("round has criteria")
)

func forbidden() error {
	return awards.Errorf(awards.EForbidden, "only the award's administrators can change it, its cycles and criteria")
}

// requireAdmin refuses early whoever administers nothing at all; which
// award the actor may change is requireAward's and requireCycle's check,
// once the award or cycle is loaded.
func requireAdmin(actor *awards.Actor) error {
	if !actor.AnyAdmin() {
		return forbidden()
	}
	return nil
}

func requireAward(actor *awards.Actor, a awards.Award) error {
	if !policy.CanManageAward(actor, a.ID) {
		return forbidden()
	}
	return nil
}

// requireCycle: another owner's admin learns nothing of a cycle in draft.
func requireCycle(actor *awards.Actor, c awards.Cycle) error {
	switch {
	case policy.CanManageCycle(actor, c.ID):
		return nil
	case !policy.CanSeeCycle(actor, c.ID, c.Phase):
		return notFound()
	}
	return forbidden()
}
