package jury

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/jobs"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/riverqueue/river"
	"github.com/uptrace/bun"
)

// InvitationValidity is how long an invitation link works after the
// invitation is made.
const InvitationValidity = 14 * 24 * time.Hour

// Limits on what an invitation holds.
const (
	maxName  = 200
	maxEmail = 320
)

// Invitation states, as lists show them.
const (
	StatePending  = "pending"
	StateExpired  = "expired"
	StateAccepted = "accepted"
	StateRevoked  = "revoked"
	// StateAwaiting: accepted by a login other than the invited address;
	// the chair or an administrator must confirm the seat (Confirm).
	StateAwaiting = "awaiting_confirmation"
	// StateDeclined: such an acceptance, withdrawn instead of confirmed.
	StateDeclined = "declined"
)

// Invitation is an invitation to a cycle's jury as administrators see it.
// The token is never part of it: only the e-mail carries it.
type Invitation struct {
	ID         int64      `bun:"id"`
	CycleID    int64      `bun:"cycle_id"`
	Name       string     `bun:"name"`
	Email      string     `bun:"email"`
	Chair      bool       `bun:"chair"`
	Language   string     `bun:"language"`
	ExpiresAt  time.Time  `bun:"expires_at"`
	CreatedAt  time.Time  `bun:"created_at"`
	MailedAt   *time.Time `bun:"mailed_at"`
	AcceptedAt *time.Time `bun:"accepted_at"`
	// SeatedAt is when the acceptance became a seat: at once for the
	// invited address, else when it was confirmed.
	SeatedAt  *time.Time `bun:"seated_at"`
	RevokedAt *time.Time `bun:"revoked_at"`
	// AcceptedBy names the person who accepted it, and AcceptedByEmail
	// is their login's address, for the confirmation.
	AcceptedBy      string `bun:"accepted_by"`
	AcceptedByEmail string `bun:"accepted_by_email"`
	ConfirmedBy     string `bun:"confirmed_by"`
	InvitedBy       string `bun:"invited_by"`
	// State is pending, expired, accepted, awaiting_confirmation, declined
	// or revoked, by the database clock.
	State string `bun:"state"`
}

// Awaiting reports whether the invitation was accepted by someone whose
// seat the chair or an administrator must still confirm.
func (i Invitation) Awaiting() bool { return i.State == StateAwaiting }

const invitationSelect = `
	SELECT i.id, i.cycle_id, i.name, i.email, i.chair, i.language, i.expires_at, i.created_at, i.mailed_at,
		i.accepted_at, i.seated_at, i.revoked_at, coalesce(ua.name, '') AS accepted_by, coalesce(ua.email, '') AS accepted_by_email,
		coalesce(uc.name, '') AS confirmed_by, coalesce(ui.name, '') AS invited_by,
		CASE WHEN i.seated_at IS NOT NULL THEN 'accepted'
			WHEN i.accepted_at IS NOT NULL AND i.revoked_at IS NOT NULL THEN 'declined'
			WHEN i.accepted_at IS NOT NULL THEN 'awaiting_confirmation'
			WHEN i.revoked_at IS NOT NULL THEN 'revoked'
			WHEN i.expires_at <= now() THEN 'expired' ELSE 'pending' END AS state
	FROM jury_invitations i
	LEFT JOIN users ua ON ua.id = i.accepted_by
	LEFT JOIN users uc ON uc.id = i.confirmed_by
	LEFT JOIN users ui ON ui.id = i.invited_by`

// InvitationInput is who to invite.
type InvitationInput struct {
	Name  string
	Email string
	Chair bool
	// Language is the e-mail's language: nb (default), nn or en.
	Language string
}

// validate cleans the input, or returns EInvalid with field messages.
func (in *InvitationInput) validate() error {
	fields := map[string]string{}
	in.Name = strings.TrimSpace(in.Name)
	switch n := utf8.RuneCountInString(in.Name); {
	case n == 0:
		fields["name"] = "jury.error.name"
	case n > maxName:
		fields["name"] = "form.error.too_long"
	}
	in.Email = strings.ToLower(strings.TrimSpace(in.Email))
	if !validEmail(in.Email) {
		fields["email"] = "jury.error.email"
	}
	switch in.Language {
	case "":
		in.Language = "nb"
	case "nb", "nn", "en":
	default:
		fields["language"] = "form.error.choice"
	}
	if len(fields) > 0 {
		return awards.Invalid(fields)
	}
	return nil
}

// validEmail accepts a plain address (no display name) with a dotted
// domain, as people type it.
func validEmail(s string) bool {
	if len(s) < 3 || len(s) > maxEmail {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	_, domain, _ := strings.Cut(s, "@")
	return strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

// Invite invites a person to the cycle's jury by e-mail, as juror or
// chair. The invitation and the job that mails its link commit together;
// the link works once, for InvitationValidity. Site admins only. Returns
// EForbidden, ENotFound, EInvalid (fields name, email, language) and
// EConflict: the cycle is published (ErrPublished), the address has a
// pending invitation or a seat already (field email), or a chair is
// seated or invited (field chair, ErrChairTaken).
func (s *Service) Invite(ctx context.Context, actor *awards.Actor, cyclePublicID string, in InvitationInput) (Invitation, error) {
	if _, err := adminCycle(ctx, s.db, actor, cyclePublicID, false); err != nil {
		return Invitation{}, err
	}
	if err := in.validate(); err != nil {
		return Invitation{}, err
	}
	var out Invitation
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		c, err := loadCycle(ctx, tx, cyclePublicID, true)
		if err != nil {
			return err
		}
		if c.Phase == awards.PhasePublished {
			return &awards.Error{Code: awards.EConflict, Err: ErrPublished,
				Message: "the cycle is published: its jury can no longer change"}
		}
		var clash struct {
			Seated       bool   `bun:"seated"`
			Invited      bool   `bun:"invited"`
			Chair        string `bun:"chair"`
			ChairInvited bool   `bun:"chair_invited"`
		}
		err = tx.NewRaw(`SELECT
			EXISTS (SELECT 1 FROM jurors j JOIN users u ON u.id = j.user_id
				WHERE j.cycle_id = ? AND j.removed_at IS NULL AND lower(u.email) = ?) AS seated,
			EXISTS (SELECT 1 FROM jury_invitations WHERE cycle_id = ? AND email = ?
				AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()) AS invited,
			coalesce((SELECT u.name FROM jurors j JOIN users u ON u.id = j.user_id
				WHERE j.cycle_id = ? AND j.chair AND j.removed_at IS NULL), '') AS chair,
			EXISTS (SELECT 1 FROM jury_invitations WHERE cycle_id = ? AND chair AND revoked_at IS NULL AND seated_at IS NULL
				AND (accepted_at IS NOT NULL OR expires_at > now())) AS chair_invited`,
			c.ID, in.Email, c.ID, in.Email, c.ID, c.ID).Scan(ctx, &clash)
		if err != nil {
			return postgres.Map("check jury", err)
		}
		switch {
		case clash.Seated:
			return &awards.Error{Code: awards.EConflict, Err: ErrAlreadySeated, Fields: map[string]string{"email": "jury.error.already_juror"},
				Message: "someone with this e-mail address is already on the jury"}
		case clash.Invited:
			return &awards.Error{Code: awards.EConflict, Fields: map[string]string{"email": "jury.error.already_invited"},
				Message: "this address has a pending invitation: withdraw it first to send a new one"}
		case in.Chair && clash.Chair != "":
			return &awards.Error{Code: awards.EConflict, Err: ErrChairTaken, Fields: map[string]string{"chair": "jury.error.chair_taken"},
				Message: fmt.Sprintf("the cycle already has a chair (%s): invite as juror, and change the chair on the jury page", clash.Chair)}
		case in.Chair && clash.ChairInvited:
			return &awards.Error{Code: awards.EConflict, Err: ErrChairTaken, Fields: map[string]string{"chair": "jury.error.chair_invited"},
				Message: "someone has a pending invitation to chair this jury, or accepted one that awaits confirmation: withdraw it first"}
		}
		// The link's token is made when the e-mail is sent
		// (PrepareInvitationMail): until then the row holds the hash of a
		// token nobody knows.
		_, hash, err := newToken()
		if err != nil {
			return err
		}
		var id int64
		err = tx.NewRaw(`INSERT INTO jury_invitations (cycle_id, email, name, chair, language, token_hash, expires_at, invited_by)
			VALUES (?, ?, ?, ?, ?, ?, now() + make_interval(secs => ?), ?) RETURNING id`,
			c.ID, in.Email, in.Name, in.Chair, in.Language, hash, InvitationValidity.Seconds(), actor.User.ID).Scan(ctx, &id)
		if err != nil {
			return postgres.Map("create invitation", err)
		}
		if err := tx.NewRaw(invitationSelect+` WHERE i.id = ?`, id).Scan(ctx, &out); err != nil {
			return postgres.Map("load invitation", err)
		}
		if err := audit.Record(ctx, tx, actor.User.ID, "invite", "jury_invitation", id, nil, map[string]any{
			"cycle_id": c.ID, "name": in.Name, "email": in.Email, "chair": in.Chair, "language": in.Language, "expires_at": out.ExpiresAt,
		}); err != nil {
			return err
		}
		return enqueueInvitation(ctx, tx, id)
	})
	return out, err
}

// InvitationArgs is the job that e-mails an invitation its link. The
// notify package works it (PrepareInvitationMail gives the link).
type InvitationArgs struct {
	InvitationID int64 `json:"invitation_id" river:"unique"`
}

// Kind names the job in River's table.
func (InvitationArgs) Kind() string { return "jury_invitation" }

// InsertOpts makes the job unique per invitation, and gives up after
// about a day of retries (River's backoff grows as attempt⁴ seconds).
func (InvitationArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 12, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

func enqueueInvitation(ctx context.Context, tx bun.Tx, id int64) error {
	if err := jobs.InsertTx(ctx, tx, InvitationArgs{InvitationID: id}, nil); err != nil {
		return fmt.Errorf("invitation %d: %w", id, err)
	}
	return nil
}

// InvitationMail is what the invitation e-mail says.
type InvitationMail struct {
	Email, Name, Language string
	Chair                 bool
	CycleTitle, AwardName string
	ExpiresAt             time.Time
	// Path is the link's path, holding the token: /jury/invitasjon/{token}.
	Path string
}

// PrepareInvitationMail gives invitation id a new token, marks it mailed
// and returns the mail to send, in tx: the transaction around the
// sending, so that the token stored and the token sent are the same, and
// a retried job sends once. ok is false when nothing is to be sent: the
// invitation was mailed already, accepted, withdrawn, has expired or is
// gone.
func PrepareInvitationMail(ctx context.Context, tx bun.IDB, id int64) (m InvitationMail, ok bool, err error) {
	token, hash, err := newToken()
	if err != nil {
		return m, false, err
	}
	var row struct {
		Email     string    `bun:"email"`
		Name      string    `bun:"name"`
		Chair     bool      `bun:"chair"`
		Language  string    `bun:"language"`
		ExpiresAt time.Time `bun:"expires_at"`
		CycleID   int64     `bun:"cycle_id"`
	}
	// The row lock makes a concurrent run of the same job wait, then
	// find mailed_at set.
	err = tx.NewRaw(`UPDATE jury_invitations SET token_hash = ?, mailed_at = now()
		WHERE id = ? AND mailed_at IS NULL AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()
		RETURNING email, name, chair, language, expires_at, cycle_id`, hash, id).Scan(ctx, &row)
	if errors.Is(err, sql.ErrNoRows) {
		return m, false, nil
	}
	if err != nil {
		return m, false, postgres.Map(fmt.Sprintf("prepare invitation %d", id), err)
	}
	c, err := cycles.StateByID(ctx, tx, row.CycleID, cycles.NoLock)
	if err != nil {
		return m, false, err
	}
	return InvitationMail{Email: row.Email, Name: row.Name, Language: row.Language, Chair: row.Chair,
		CycleTitle: c.Title, AwardName: c.AwardName(row.Language), ExpiresAt: row.ExpiresAt, Path: InvitationPath(token)}, true, nil
}

// InvitationPath is the path of the page where the invitation with token
// is accepted.
func InvitationPath(token string) string { return "/jury/invitasjon/" + token }

// tokenBytes is the size of a token, before encoding.
const tokenBytes = 32

// newToken returns a random token as it goes in links, and its hash as
// stored.
func newToken() (string, []byte, error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", nil, fmt.Errorf("make token: %w", err)
	}
	sum := sha256.Sum256(b)
	return base64.RawURLEncoding.EncodeToString(b), sum[:], nil
}

// hashToken returns the stored hash of a token from a link; ok is false
// for anything that cannot be a token.
func hashToken(token string) ([]byte, bool) {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) != tokenBytes {
		return nil, false
	}
	sum := sha256.Sum256(b)
	return sum[:], true
}

// InvitationView is what the invitation page shows to whoever holds the
// link.
type InvitationView struct {
	Name          string    `bun:"name"`
	Chair         bool      `bun:"chair"`
	ExpiresAt     time.Time `bun:"expires_at"`
	CyclePublicID string    `bun:"cycle_public_id"`
	CycleTitle    string    `bun:"cycle_title"`
	AwardNameNB   string    `bun:"award_name_nb"`
	AwardNameNN   string    `bun:"award_name_nn"`
	AwardNameEN   string    `bun:"award_name_en"`
	// InvitedLogin: the actor is logged in with the invited address,
	// verified, so accepting seats them at once (Accept).
	InvitedLogin bool `bun:"-"`
}

// AwardName returns the award's name in lang, falling back to bokmål.
func (v InvitationView) AwardName(lang string) string {
	return awards.Award{NameNB: v.AwardNameNB, NameNN: v.AwardNameNN, NameEN: v.AwardNameEN}.Name(lang)
}

// Invitation returns the invitation with token, for its page, when it can
// still be accepted by actor (who may be anonymous: the page asks them to
// log in). Otherwise the view (when the token is known) comes with the
// reason: ENotFound (ErrInvitationUnknown); EConflict (ErrInvitationUsed
// when the actor accepted it — or anyone did, for an anonymous actor —,
// ErrInvitationRevoked, ErrInvitationExpired); EForbidden
// (ErrInvitationTaken: someone else accepted it).
func (s *Service) Invitation(ctx context.Context, actor *awards.Actor, token string) (InvitationView, error) {
	hash, ok := hashToken(token)
	if !ok {
		return InvitationView{}, unknownInvitation()
	}
	return describe(ctx, s.db, actor, hash)
}

func unknownInvitation() error {
	return &awards.Error{Code: awards.ENotFound, Err: ErrInvitationUnknown,
		Message: "this invitation link is not known: check that the whole link was copied, or ask the administrator for a new invitation"}
}

// describe reads the invitation with hash and says whether actor can
// accept it, as Invitation does.
func describe(ctx context.Context, db bun.IDB, actor *awards.Actor, hash []byte) (InvitationView, error) {
	var row struct {
		InvitationView
		Email      string     `bun:"email"`
		AcceptedBy *int64     `bun:"accepted_by"`
		AcceptedAt *time.Time `bun:"accepted_at"`
		RevokedAt  *time.Time `bun:"revoked_at"`
		Expired    bool       `bun:"expired"`
	}
	err := db.NewRaw(`SELECT i.name, i.chair, i.expires_at, c.public_id AS cycle_public_id, c.title AS cycle_title,
			a.name_nb AS award_name_nb, a.name_nn AS award_name_nn, a.name_en AS award_name_en,
			i.email, i.accepted_by, i.accepted_at, i.revoked_at, i.expires_at <= now() AS expired
		FROM jury_invitations i JOIN cycles c ON c.id = i.cycle_id JOIN awards a ON a.id = c.award_id
		WHERE i.token_hash = ?`, hash).Scan(ctx, &row)
	if errors.Is(err, sql.ErrNoRows) {
		return InvitationView{}, unknownInvitation()
	}
	if err != nil {
		return InvitationView{}, postgres.Map("load invitation", err)
	}
	v := row.InvitationView
	v.InvitedLogin = !actor.Anonymous() && invitedLogin(actor, row.Email)
	switch {
	case row.AcceptedAt != nil && (actor.Anonymous() || (row.AcceptedBy != nil && *row.AcceptedBy == actor.User.ID)):
		return v, &awards.Error{Code: awards.EConflict, Err: ErrInvitationUsed,
			Message: "this invitation has already been accepted: each link can be used once"}
	case row.AcceptedAt != nil:
		return v, &awards.Error{Code: awards.EForbidden, Err: ErrInvitationTaken,
			Message: "this invitation has already been accepted by someone else: each link can be used once, by the person invited"}
	case row.RevokedAt != nil:
		return v, &awards.Error{Code: awards.EConflict, Err: ErrInvitationRevoked,
			Message: "the administrator has withdrawn this invitation"}
	case row.Expired:
		return v, &awards.Error{Code: awards.EConflict, Err: ErrInvitationExpired,
			Message: fmt.Sprintf("this invitation expired at %s: ask the administrator for a new one", awards.ErrorTime(v.ExpiresAt))}
	}
	return v, nil
}

// Seat is a juror's place on one cycle's jury, or an acceptance that
// awaits confirmation.
type Seat struct {
	// JurorID is 0 while the seat awaits confirmation.
	JurorID       int64
	CyclePublicID string
	CycleTitle    string
	Chair         bool
	// InvitationID is the invitation accepted.
	InvitationID int64
	// Awaiting: the invitation went to another address than the login's
	// verified one, so the chair or an administrator must confirm the
	// seat (Confirm) before it gives any access.
	Awaiting bool
}

// Accept accepts the invitation with token for the logged-in actor: the
// link works once, and the seat is bound to the identity that accepts
// (the user, keyed by issuer and subject). It is a seat at once only when
// the login's verified e-mail address is the invited one (case aside);
// anyone else's acceptance is recorded and awaits confirmation by the
// chair or an administrator (Seat.Awaiting), without any access until
// then. Nothing is stored when it is refused: EUnauthenticated;
// ENotFound (ErrInvitationUnknown); EConflict (ErrInvitationUsed,
// ErrInvitationRevoked, ErrInvitationExpired, ErrAlreadySeated, ErrRemoved
// for a removed juror, ErrAwaitingConfirmation when another acceptance of
// theirs awaits confirmation, ErrChairTaken when a chair was seated since
// the invitation to chair was made); EForbidden (ErrInvitationTaken).
func (s *Service) Accept(ctx context.Context, actor *awards.Actor, token string) (Seat, error) {
	if actor.Anonymous() {
		return Seat{}, awards.Errorf(awards.EUnauthenticated, "log in to accept the invitation")
	}
	hash, ok := hashToken(token)
	if !ok {
		return Seat{}, unknownInvitation()
	}
	var out Seat
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var inv struct {
			ID      int64  `bun:"id"`
			CycleID int64  `bun:"cycle_id"`
			Chair   bool   `bun:"chair"`
			Email   string `bun:"email"`
		}
		// Single use: only a pending invitation is taken, by the
		// database clock, and the row lock makes a second click wait and
		// then find it accepted.
		err := tx.NewRaw(`UPDATE jury_invitations SET accepted_at = now(), accepted_by = ?
			WHERE token_hash = ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()
			RETURNING id, cycle_id, chair, email`, actor.User.ID, hash).Scan(ctx, &inv)
		if errors.Is(err, sql.ErrNoRows) {
			_, err := describe(ctx, tx, actor, hash)
			if err == nil { // cannot happen: the row was not pending
				err = awards.Errorf(awards.EConflict, "the invitation can no longer be accepted")
			}
			return err
		}
		if err != nil {
			return postgres.Map("accept invitation", err)
		}
		c, err := cycles.StateByID(ctx, tx, inv.CycleID, cycles.NoLock)
		if err != nil {
			return err
		}
		if err := seatFree(ctx, tx, c.ID, actor.User.ID, inv.ID, true); err != nil {
			return err
		}
		out = Seat{CyclePublicID: c.PublicID, CycleTitle: c.Title, Chair: inv.Chair, InvitationID: inv.ID}
		if !invitedLogin(actor, inv.Email) {
			return awaitConfirmation(ctx, tx, actor, c, inv.ID, inv.Chair, inv.Email, &out)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE jury_invitations SET seated_at = accepted_at WHERE id = ?`, inv.ID); err != nil {
			return postgres.Map("seat invitation", err)
		}
		var jurorID int64
		err = tx.NewRaw(`INSERT INTO jurors (cycle_id, user_id, chair) VALUES (?, ?, ?) RETURNING id`,
			c.ID, actor.User.ID, inv.Chair).Scan(ctx, &jurorID)
		if err != nil {
			return seatError(err)
		}
		if err := audit.Record(ctx, tx, actor.User.ID, "accept", "jury_invitation", inv.ID, nil,
			map[string]any{"accepted_by": actor.User.ID, "email": inv.Email}); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, actor.User.ID, "seat", "juror", jurorID, nil,
			map[string]any{"cycle_id": c.ID, "user_id": actor.User.ID, "chair": inv.Chair, "invitation_id": inv.ID}); err != nil {
			return err
		}
		out.JurorID = jurorID
		return nil
	})
	return out, err
}

// invitedLogin reports whether actor logged in with the address email
// was invited at, verified by their identity provider: only then does
// accepting seat them at once. Addresses are stored in lower case; the
// comparison ignores case anyway, as mail systems do.
func invitedLogin(actor *awards.Actor, email string) bool {
	return actor.User.EmailVerified && actor.User.Email != "" && strings.EqualFold(strings.TrimSpace(actor.User.Email), email)
}

// seatError explains a refused insert into jurors: the index
// jurors_one_chair allows one chair per cycle.
func seatError(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		if pgErr.ConstraintName == "jurors_one_chair" {
			return &awards.Error{Code: awards.EConflict, Err: ErrChairTaken,
				Message: "the jury already has a chair, so this invitation to chair cannot be accepted: ask the administrator"}
		}
		return &awards.Error{Code: awards.EConflict, Err: ErrAlreadySeated, Message: "you are already on this jury"}
	}
	return postgres.Map("seat juror", err)
}

// Revoke withdraws a pending (or expired) invitation, so that its link no
// longer works, or declines an acceptance that awaits confirmation, so
// that it never becomes a seat. Site admins only. Returns EForbidden,
// ENotFound (no such invitation in the cycle), EConflict (ErrInvitationUsed:
// it is a seat already; ErrInvitationRevoked: withdrawn or declined
// already).
func (s *Service) Revoke(ctx context.Context, actor *awards.Actor, cyclePublicID string, invitationID int64) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		c, err := adminCycle(ctx, tx, actor, cyclePublicID, false)
		if err != nil {
			return err
		}
		var row struct {
			Email    string `bun:"email"`
			Accepted bool   `bun:"accepted"`
		}
		err = tx.NewRaw(`UPDATE jury_invitations SET revoked_at = now()
			WHERE id = ? AND cycle_id = ? AND seated_at IS NULL AND revoked_at IS NULL RETURNING email, accepted_at IS NOT NULL AS accepted`,
			invitationID, c.ID).Scan(ctx, &row)
		if errors.Is(err, sql.ErrNoRows) {
			var inv Invitation
			if err := tx.NewRaw(invitationSelect+` WHERE i.id = ? AND i.cycle_id = ?`, invitationID, c.ID).Scan(ctx, &inv); err != nil {
				return postgres.Map("load invitation", err)
			}
			if inv.State == StateAccepted {
				return &awards.Error{Code: awards.EConflict, Err: ErrInvitationUsed,
					Message: "the invitation has been accepted: remove the juror instead"}
			}
			return &awards.Error{Code: awards.EConflict, Err: ErrInvitationRevoked, Message: "the invitation has already been withdrawn"}
		}
		if err != nil {
			return postgres.Map("revoke invitation", err)
		}
		before, after := StatePending, StateRevoked
		if row.Accepted {
			before, after = StateAwaiting, StateDeclined
		}
		return audit.Record(ctx, tx, actor.User.ID, "revoke", "jury_invitation", invitationID,
			map[string]any{"state": before}, map[string]any{"state": after, "email": row.Email})
	})
}
