package jury

import (
	"context"
	"errors"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// Service manages juries: invitations, seats, the chair and conflict
// declarations.
type Service struct {
	db bun.IDB
}

// NewService returns a Service over db.
func NewService(db bun.IDB) *Service { return &Service{db: db} }

// Causes of refusals, so that callers can explain them in the reader's
// language (errors.Is). Each comes wrapped in an *awards.Error with a code
// and an English message.
var (
	// ErrInvitationUnknown: no invitation has this token.
	ErrInvitationUnknown = errors.New("unknown invitation")
	// ErrInvitationExpired: the invitation's link has expired.
	ErrInvitationExpired = errors.New("invitation expired")
	// ErrInvitationRevoked: an administrator withdrew the invitation.
	ErrInvitationRevoked = errors.New("invitation withdrawn")
	// ErrInvitationUsed: the caller has already accepted the invitation.
	ErrInvitationUsed = errors.New("invitation already accepted")
	// ErrInvitationTaken: someone else accepted the invitation.
	ErrInvitationTaken = errors.New("invitation accepted by someone else")
	// ErrChairTaken: the cycle already has a chair (or an invitation to
	// chair is pending).
	ErrChairTaken = errors.New("the cycle already has a chair")
	// ErrAlreadySeated: the person already has a seat on the jury.
	ErrAlreadySeated = errors.New("already on the jury")
	// ErrRemoved: the seat was removed; it cannot act or be taken again.
	ErrRemoved = errors.New("removed from the jury")
	// ErrNotJuror: the caller has no seat on the cycle's jury.
	ErrNotJuror = errors.New("not on the jury")
	// ErrPublished: the cycle is published and its jury is closed.
	ErrPublished = errors.New("the cycle is published")
	// ErrAwaitingConfirmation: the caller accepted an invitation sent to
	// another address (or with an unverified one), and the chair or an
	// administrator has not confirmed the seat yet.
	ErrAwaitingConfirmation = errors.New("the seat awaits confirmation")
	// ErrNotAccepted: nobody has accepted the invitation, so there is no
	// seat to confirm.
	ErrNotAccepted = errors.New("invitation not accepted")
	// ErrConfirmed: the invitation's seat is taken already (confirmed, or
	// accepted by the invited address), so there is nothing to confirm.
	ErrConfirmed = errors.New("seat already confirmed")
)

// Cycle is what the jury's pages know about a cycle: its state, as
// cycles owns it.
type Cycle = cycles.State

// loadCycle reads the cycle with public ID publicID; lock takes its row
// lock, which serialises changes to its jury (one chair, one pending
// invitation per address). Returns ENotFound, and EConflict
// (awards.ReasonProgramme) for a programme's cycle, which has no jury.
func loadCycle(ctx context.Context, db bun.IDB, publicID string, lock bool) (Cycle, error) {
	l := cycles.NoLock
	if lock {
		l = cycles.ForUpdate
	}
	c, err := cycles.StateByPublicID(ctx, db, publicID, l)
	if err != nil {
		return c, err
	}
	if c.Programme() {
		return Cycle{}, awards.NotForProgramme("jury")
	}
	return c, nil
}

// adminCycle loads a cycle for a jury change by its admins: EForbidden
// for anyone else (ENotFound while the cycle is a draft), ENotFound for an
// unknown cycle.
func adminCycle(ctx context.Context, db bun.IDB, actor *awards.Actor, publicID string, lock bool) (Cycle, error) {
	c, err := loadCycle(ctx, db, publicID, lock)
	if err != nil {
		return c, err
	}
	if !policy.CanManageJury(actor, c.ID) {
		if !policy.CanSeeCycle(actor, c.ID, c.Phase) {
			return Cycle{}, awards.Errorf(awards.ENotFound, "not found")
		}
		return Cycle{}, awards.Errorf(awards.EForbidden, "only the award's administrators manage its jury")
	}
	return c, nil
}

// seat is a juror's row.
type seat struct {
	ID         int64      `bun:"id"`
	UserID     int64      `bun:"user_id"`
	Chair      bool       `bun:"chair"`
	DeclaredAt *time.Time `bun:"declared_at"`
	RemovedAt  *time.Time `bun:"removed_at"`
}

// jurorCycle loads a cycle and the actor's seat on its jury. Someone
// without a seat gets EForbidden when the cycle is public and ENotFound
// when it is not; a removed juror gets EForbidden (ErrRemoved), and one
// whose acceptance awaits confirmation EForbidden
// (ErrAwaitingConfirmation). A seat, or an acceptance, lets its holder
// know the cycle, even while it is a draft.
func jurorCycle(ctx context.Context, db bun.IDB, actor *awards.Actor, publicID string, lock bool) (Cycle, seat, error) {
	if actor.Anonymous() {
		return Cycle{}, seat{}, awards.Errorf(awards.EUnauthenticated, "log in to continue")
	}
	c, err := loadCycle(ctx, db, publicID, false)
	if err != nil {
		return c, seat{}, err
	}
	q := `SELECT id, user_id, chair, declared_at, removed_at FROM jurors WHERE cycle_id = ? AND user_id = ?`
	if lock {
		q += ` FOR UPDATE`
	}
	var s seat
	err = db.NewRaw(q, c.ID, actor.User.ID).Scan(ctx, &s)
	switch code := awards.ErrorCode(postgres.Map("load seat", err)); {
	case err == nil && s.RemovedAt != nil:
		return c, s, &awards.Error{Code: awards.EForbidden, Err: ErrRemoved,
			Message: "you have been removed from this jury"}
	case err == nil:
		return c, s, nil
	case code != awards.ENotFound:
		return c, s, postgres.Map("load seat", err)
	}
	awaiting, err := awaitingConfirmation(ctx, db, c.ID, actor.User.ID)
	switch {
	case err != nil:
		return c, s, err
	case awaiting:
		return c, s, &awards.Error{Code: awards.EForbidden, Err: ErrAwaitingConfirmation,
			Message: "your acceptance of the invitation awaits confirmation by the jury's chair or an administrator: until then you have no access to the jury's work"}
	case !policy.CanSeeCycle(actor, c.ID, c.Phase):
		return c, s, awards.Errorf(awards.ENotFound, "not found")
	}
	return c, s, &awards.Error{Code: awards.EForbidden, Err: ErrNotJuror,
		Message: "you are not on this cycle's jury: only its jurors declare conflicts of interest"}
}
