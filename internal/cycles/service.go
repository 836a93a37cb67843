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
	// ErrCriteriaLocked: scoring has started, so criteria are fixed.
	ErrCriteriaLocked = errors.New("criteria locked")
	// ErrYearTaken: the award already has a cycle for that year.
	ErrYearTaken = errors.New("year taken")
)

func forbidden() error {
	return awards.Errorf(awards.EForbidden, "only administrators can change awards, cycles and criteria")
}

func requireAdmin(actor *awards.Actor) error {
	if !policy.CanManageAwards(actor) {
		return forbidden()
	}
	return nil
}
