package jury

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// An invitation is a link, and links get forwarded. So accepting one
// seats the acceptor at once only when they logged in with the invited
// address (Accept); anyone else's acceptance is kept on the invitation
// (accepted, not seated) until the chair or an administrator confirms it
// here. Until then there is no row in jurors: every right a seat gives —
// nominations, scores, conflicts, the actor's roles — is read from that
// table, so none of them can leak to an unconfirmed acceptor.

// awaitingSQL is true for an invitation row i accepted by someone whose
// seat awaits confirmation.
const awaitingSQL = `(i.accepted_at IS NOT NULL AND i.seated_at IS NULL AND i.revoked_at IS NULL)`

// awaitingConfirmation reports whether user userID has accepted an
// invitation to the cycle's jury that awaits confirmation.
func awaitingConfirmation(ctx context.Context, db bun.IDB, cycleID, userID int64) (bool, error) {
	var ok bool
	err := db.NewRaw(`SELECT EXISTS (SELECT 1 FROM jury_invitations i WHERE i.cycle_id = ? AND i.accepted_by = ? AND `+awaitingSQL+`)`,
		cycleID, userID).Scan(ctx, &ok)
	if err != nil {
		return false, postgres.Map("check acceptance", err)
	}
	return ok, nil
}

// seatFree checks that user userID may take a seat on the cycle's jury
// through invitation invitationID: they hold none (EConflict
// ErrAlreadySeated), were not removed (ErrRemoved), and have no other
// acceptance awaiting confirmation (ErrAwaitingConfirmation). self says
// whether the user is the one asking, for the messages.
func seatFree(ctx context.Context, tx bun.IDB, cycleID, userID, invitationID int64, self bool) error {
	var st struct {
		Seated   bool `bun:"seated"`
		Removed  bool `bun:"removed"`
		Awaiting bool `bun:"awaiting"`
	}
	err := tx.NewRaw(`SELECT
		EXISTS (SELECT 1 FROM jurors WHERE cycle_id = ? AND user_id = ? AND removed_at IS NULL) AS seated,
		EXISTS (SELECT 1 FROM jurors WHERE cycle_id = ? AND user_id = ? AND removed_at IS NOT NULL) AS removed,
		EXISTS (SELECT 1 FROM jury_invitations i WHERE i.cycle_id = ? AND i.accepted_by = ? AND i.id <> ? AND `+awaitingSQL+`) AS awaiting`,
		cycleID, userID, cycleID, userID, cycleID, userID, invitationID).Scan(ctx, &st)
	if err != nil {
		return postgres.Map("load seat", err)
	}
	who := "this person"
	if self {
		who = "you"
	}
	switch {
	case st.Removed && self:
		return &awards.Error{Code: awards.EConflict, Err: ErrRemoved,
			Message: "you were removed from this jury, so the invitation cannot seat you: ask the administrator"}
	case st.Removed:
		return &awards.Error{Code: awards.EConflict, Err: ErrRemoved,
			Message: "this person was removed from this jury, so the invitation cannot seat them again"}
	case st.Seated && self:
		return &awards.Error{Code: awards.EConflict, Err: ErrAlreadySeated,
			Message: "you are already on this jury; the invitation is left for its addressee"}
	case st.Seated:
		return &awards.Error{Code: awards.EConflict, Err: ErrAlreadySeated, Message: "this person is already on this jury"}
	case st.Awaiting:
		return &awards.Error{Code: awards.EConflict, Err: ErrAwaitingConfirmation,
			Message: fmt.Sprintf("%s already accepted another invitation to this jury, which awaits confirmation by the chair or an administrator", who)}
	}
	return nil
}

// awaitConfirmation records, in tx, that actor accepted invitation id to
// cycle c from an address other than the invited one: the invitation is
// accepted and not seated, and out says so. An invitation to chair is
// refused (ErrChairTaken) when the jury has a chair already, as a seat
// would be.
func awaitConfirmation(ctx context.Context, tx bun.Tx, actor *awards.Actor, c Cycle, id int64, chair bool, email string, out *Seat) error {
	if chair {
		var taken bool
		if err := tx.NewRaw(`SELECT EXISTS (SELECT 1 FROM jurors WHERE cycle_id = ? AND chair AND removed_at IS NULL)`,
			c.ID).Scan(ctx, &taken); err != nil {
			return postgres.Map("check chair", err)
		}
		if taken {
			return &awards.Error{Code: awards.EConflict, Err: ErrChairTaken,
				Message: "the jury already has a chair, so this invitation to chair cannot be accepted: ask the administrator"}
		}
	}
	out.Awaiting = true
	return audit.Record(ctx, tx, actor.User.ID, "accept", "jury_invitation", id, nil, map[string]any{
		"accepted_by": actor.User.ID, "email": email, "login_email": actor.User.Email,
		"login_email_verified": actor.User.EmailVerified, "state": StateAwaiting})
}

// awaitingInvitations lists the cycle's invitations whose acceptance
// awaits confirmation, oldest first.
func awaitingInvitations(ctx context.Context, db bun.IDB, cycleID int64) ([]Invitation, error) {
	out := []Invitation{}
	if err := db.NewRaw(invitationSelect+` WHERE i.cycle_id = ? AND `+awaitingSQL+` ORDER BY i.accepted_at, i.id`,
		cycleID).Scan(ctx, &out); err != nil {
		return nil, postgres.Map("list acceptances", err)
	}
	return out, nil
}

// confirmerCycle loads a cycle for someone who confirms seats: its chair
// or a site admin.
func confirmerCycle(ctx context.Context, db bun.IDB, actor *awards.Actor, publicID string, lock bool) (Cycle, error) {
	if actor.Anonymous() {
		return Cycle{}, awards.Errorf(awards.EUnauthenticated, "log in to continue")
	}
	c, err := loadCycle(ctx, db, publicID, lock)
	if err != nil {
		return c, err
	}
	if !policy.CanConfirmSeat(actor, c.ID) {
		if policy.CanSeeCycle(actor, c.ID, c.Phase) || hasSeat(actor, c.ID) {
			return c, awards.Errorf(awards.EForbidden, "only the jury's chair and administrators confirm seats")
		}
		return c, awards.Errorf(awards.ENotFound, "not found")
	}
	return c, nil
}

// Confirm turns the acceptance of invitation invitationID, made from
// another address than the invited one, into a seat on the cycle's jury,
// which from then on gives its holder a juror's access. The chair and
// site admins only. Returns EUnauthenticated, EForbidden, ENotFound (no
// such invitation in the cycle) and EConflict: the cycle is published
// (ErrPublished); nobody has accepted the invitation (ErrNotAccepted);
// the seat is taken already (ErrConfirmed); the acceptance was declined
// (ErrInvitationRevoked); the acceptor is seated or was removed
// (ErrAlreadySeated, ErrRemoved); an invitation to chair when the jury
// has a chair (ErrChairTaken).
func (s *Service) Confirm(ctx context.Context, actor *awards.Actor, cyclePublicID string, invitationID int64) (Juror, error) {
	var out Juror
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		c, err := confirmerCycle(ctx, tx, actor, cyclePublicID, true)
		if err != nil {
			return err
		}
		if c.Phase == awards.PhasePublished {
			return &awards.Error{Code: awards.EConflict, Err: ErrPublished,
				Message: "the cycle is published: its jury can no longer change"}
		}
		var inv struct {
			Chair      bool       `bun:"chair"`
			Email      string     `bun:"email"`
			AcceptedBy *int64     `bun:"accepted_by"`
			AcceptedAt *time.Time `bun:"accepted_at"`
			SeatedAt   *time.Time `bun:"seated_at"`
			RevokedAt  *time.Time `bun:"revoked_at"`
		}
		err = tx.NewRaw(`SELECT chair, email, accepted_by, accepted_at, seated_at, revoked_at FROM jury_invitations
			WHERE id = ? AND cycle_id = ? FOR UPDATE`, invitationID, c.ID).Scan(ctx, &inv)
		if errors.Is(err, sql.ErrNoRows) {
			return awards.Errorf(awards.ENotFound, "no such invitation to this jury")
		}
		if err != nil {
			return postgres.Map("load invitation", err)
		}
		switch {
		case inv.SeatedAt != nil:
			return &awards.Error{Code: awards.EConflict, Err: ErrConfirmed,
				Message: "this invitation's seat is taken already: there is nothing to confirm"}
		case inv.AcceptedAt == nil:
			return &awards.Error{Code: awards.EConflict, Err: ErrNotAccepted,
				Message: "nobody has accepted this invitation yet, so there is no seat to confirm"}
		case inv.RevokedAt != nil:
			return &awards.Error{Code: awards.EConflict, Err: ErrInvitationRevoked,
				Message: "this acceptance was declined: the administrator can send a new invitation"}
		case inv.AcceptedBy == nil:
			return awards.Errorf(awards.EConflict, "the person who accepted this invitation is no longer known to Heder")
		}
		if err := seatFree(ctx, tx, c.ID, *inv.AcceptedBy, invitationID, false); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE jury_invitations SET seated_at = now(), confirmed_by = ? WHERE id = ?`,
			actor.User.ID, invitationID); err != nil {
			return postgres.Map("confirm invitation", err)
		}
		var jurorID int64
		err = tx.NewRaw(`INSERT INTO jurors (cycle_id, user_id, chair) VALUES (?, ?, ?) RETURNING id`,
			c.ID, *inv.AcceptedBy, inv.Chair).Scan(ctx, &jurorID)
		if err != nil {
			return seatError(err)
		}
		if err := audit.Record(ctx, tx, actor.User.ID, "confirm", "jury_invitation", invitationID,
			map[string]any{"state": StateAwaiting}, map[string]any{"state": StateAccepted, "confirmed_by": actor.User.ID,
				"accepted_by": *inv.AcceptedBy, "email": inv.Email}); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, actor.User.ID, "seat", "juror", jurorID, nil,
			map[string]any{"cycle_id": c.ID, "user_id": *inv.AcceptedBy, "chair": inv.Chair, "invitation_id": invitationID,
				"confirmed_by": actor.User.ID}); err != nil {
			return err
		}
		out, err = loadJuror(ctx, tx, c, jurorID)
		return err
	})
	return out, err
}
