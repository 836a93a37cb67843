package publication

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// Service schedules and publishes announcements.
type Service struct {
	db bun.IDB
}

// NewService returns a Service over db.
func NewService(db bun.IDB) *Service { return &Service{db: db} }

// Kind is what an announcement makes public.
type Kind string

// Kinds of announcement.
const (
	// Finalists makes the finalists public.
	Finalists Kind = "finalists"
	// Winners makes the winners and honourable mentions public with the
	// jury's statements (and the finalists, if not yet out), releases the
	// jury's feedback to submitters and, where the cycle says so, makes
	// every submitted nomination public.
	Winners Kind = "winners"
)

// Kinds lists the kinds in the order they are normally published.
var Kinds = []Kind{Finalists, Winners}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k == Finalists || k == Winners }

// Outcomes of a decision, as the decisions table stores them.
const (
	OutcomeFinalist          = "finalist"
	OutcomeWinner            = "winner"
	OutcomeHonourableMention = "honourable_mention"
)

// Causes of the refusals the service reports, so that callers can tell
// them apart with errors.Is and explain each in the user's language.
var (
	// ErrConfirm: publishing at once needs an explicit confirmation.
	ErrConfirm = errors.New("publishing now needs confirmation")
	// ErrExists: the cycle already has a live announcement of that kind.
	ErrExists = errors.New("announcement already scheduled")
	// ErrPublished: the announcement is out; it can only be unpublished.
	ErrPublished = errors.New("announcement already published")
	// ErrUnpublished: the announcement was unpublished; it is history.
	ErrUnpublished = errors.New("announcement unpublished")
	// ErrNothing: no decision of the kind exists, so nothing would
	// become public.
	ErrNothing = errors.New("nothing to publish")
	// ErrWinnersFirst: the winners would come out before the finalists.
	ErrWinnersFirst = errors.New("winners before finalists")
	// ErrFinalistsLate: the finalists would come out after the winners,
	// who make them public anyway.
	ErrFinalistsLate = errors.New("finalists after winners")
	// ErrPast: a scheduled instant must lie ahead.
	ErrPast = errors.New("instant in the past")
)

// maxReason is the longest unpublishing reason the table takes.
const maxReason = 2000

func forbidden() error {
	return awards.Errorf(awards.EForbidden, "only the award's administrators schedule and publish its announcements")
}

// requireAdmin refuses early whoever administers nothing; loadCycle and
// lockAnnouncement check the cycle itself.
func requireAdmin(actor *awards.Actor) error {
	if !actor.AnyAdmin() {
		return forbidden()
	}
	return nil
}

// Cycle is the cycle an announcement belongs to: its state, as cycles
// owns it (PublishAll: every submitted nomination becomes public with the
// winners).
type Cycle = cycles.State

func lockOf(lock bool) cycles.Lock {
	if lock {
		return cycles.ForUpdate
	}
	return cycles.NoLock
}

// loadCycle reads the cycle with publicID for its admins (EForbidden for
// anyone else); lock takes its row so that changes to one cycle's
// announcements happen one at a time. A programme's cycle has none:
// EConflict (awards.ReasonProgramme).
func loadCycle(ctx context.Context, db bun.IDB, actor *awards.Actor, publicID string, lock bool) (Cycle, error) {
	c, err := cycles.StateByPublicID(ctx, db, publicID, lockOf(lock))
	if err != nil {
		return Cycle{}, err
	}
	if !policy.CanPublish(actor, c.ID) {
		return Cycle{}, forbidden()
	}
	if c.Programme() {
		return Cycle{}, awards.NotForProgramme("announcements")
	}
	return c, nil
}

func loadCycleByID(ctx context.Context, db bun.IDB, id int64, lock bool) (Cycle, error) {
	return cycles.StateByID(ctx, db, id, lockOf(lock))
}

// dbNow is the database's clock: the start of the current transaction,
// the same instant the views compare with in it.
func dbNow(ctx context.Context, db bun.IDB) (time.Time, error) {
	var now time.Time
	if err := db.QueryRowContext(ctx, `SELECT now()`).Scan(&now); err != nil {
		return time.Time{}, postgres.Map("database clock", err)
	}
	return now, nil
}

// excerpt shortens s to about n characters at a word boundary.
func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:–-") + "…"
}
