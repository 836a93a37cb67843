package nominations

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/jobs"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/riverqueue/river"
	"github.com/uptrace/bun"
)

// InvitationMailArgs is the job that e-mails an invitation to a joint
// entry to the invited organisation's members. The notify package works
// it (PrepareInvitationMail says what to send).
type InvitationMailArgs struct {
	InvitationID int64 `json:"invitation_id" river:"unique"`
}

// Kind names the job in River's table.
func (InvitationMailArgs) Kind() string { return "nominee_invitation_mail" }

// InsertOpts makes the job unique per invitation, and gives up after
// about a day of retries (River's backoff grows as attempt⁴ seconds).
func (InvitationMailArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 12, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// LapseArgs is the job that, at the nomination deadline, records an
// invitation nobody answered as lapsed and tells the lead's members. The
// notify package works it (Lapse).
type LapseArgs struct {
	InvitationID int64 `json:"invitation_id" river:"unique"`
}

// Kind names the job in River's table.
func (LapseArgs) Kind() string { return "nominee_invitation_lapse" }

// InsertOpts: as InvitationMailArgs.
func (LapseArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 12, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// lapseCheckWithoutDeadline is how often a cycle without a deadline is
// looked at again: its call ends when an admin closes it.
const lapseCheckWithoutDeadline = time.Hour

// enqueueInvitationJobs enqueues, in the inviting transaction, the e-mail
// to the invited organisation and the lapse at the deadline.
func enqueueInvitationJobs(ctx context.Context, tx bun.Tx, id int64, deadline *time.Time) error {
	if err := jobs.InsertTx(ctx, tx, InvitationMailArgs{InvitationID: id}, nil); err != nil {
		return fmt.Errorf("invitation %d: %w", id, err)
	}
	at := time.Now().Add(lapseCheckWithoutDeadline)
	if deadline != nil {
		at = *deadline
	}
	if err := jobs.InsertTx(ctx, tx, LapseArgs{InvitationID: id}, &river.InsertOpts{ScheduledAt: at}); err != nil {
		return fmt.Errorf("invitation %d: %w", id, err)
	}
	return nil
}

// Recipient is a person an e-mail goes to.
type Recipient struct {
	UserID int64  `bun:"user_id"`
	Name   string `bun:"name"`
	Email  string `bun:"email"`
}

// InvitationMail is what an e-mail about an invitation says, and to whom:
// the invitation to the invited organisation's members, or its lapse to
// the lead's. Language is the recipients' organisation's written form.
type InvitationMail struct {
	Recipients           []Recipient
	Language             string
	Organisation         string
	InvitingOrganisation string
	InvitedBy            string
	NominationTitle      string
	CycleTitle           string
	Deadline             *time.Time
	// Path is the page the e-mail links to.
	Path string
}

// InvitationPath is the invited organisation's page for answering.
func InvitationPath(publicID string) string { return "/samarbeid/" + url.PathEscape(publicID) }

// mailFor fills an e-mail about invitation r to the members of org.
func mailFor(ctx context.Context, db bun.IDB, r invitationRow, org int64, path string) (InvitationMail, error) {
	m := InvitationMail{Organisation: r.OrgName, InvitingOrganisation: r.InvitingName, InvitedBy: r.InvitedBy,
		NominationTitle: r.NominationTitle, CycleTitle: r.CycleTitle, Deadline: r.Deadline, Path: path}
	if err := db.NewRaw(`SELECT language FROM organisations WHERE id = ?`, org).Scan(ctx, &m.Language); err != nil {
		return m, postgres.Map("load written form", err)
	}
	if err := db.NewRaw(`SELECT u.id AS user_id, u.name, u.email FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.organisation_id = ? AND u.email <> '' ORDER BY u.id`, org).Scan(ctx, &m.Recipients); err != nil {
		return m, postgres.Map("load recipients", err)
	}
	return m, nil
}

// PrepareInvitationMail returns the e-mail to the invited organisation's
// members; ok is false once the invitation is no longer pending.
func PrepareInvitationMail(ctx context.Context, db bun.IDB, id int64) (m InvitationMail, ok bool, err error) {
	var r invitationRow
	if err := db.NewRaw(invitationSelect+` WHERE i.id = ?`, id).Scan(ctx, &r); err != nil {
		return m, false, postgres.Map(fmt.Sprintf("load invitation %d", id), err)
	}
	if InvitationStatus(r.Status) != InvitationPending {
		return m, false, nil
	}
	m, err = mailFor(ctx, db, r, r.OrgID, InvitationPath(r.PublicID))
	return m, err == nil, err
}

// Lapse records invitation id as lapsed if it is still pending and its
// cycle no longer accepts changes, audited as done by nobody, and returns
// the e-mail that tells the lead's members. When the cycle still accepts
// changes (its deadline was moved), retryAt says when to look again; when
// the invitation was answered, lapsed is false and nothing is sent. Call
// it in the transaction that sends the e-mail, so that a failed send
// leaves the invitation pending for the retry.
func Lapse(ctx context.Context, tx bun.IDB, id int64) (m InvitationMail, lapsed bool, retryAt time.Time, err error) {
	var r invitationRow
	if err := tx.NewRaw(invitationSelect+` WHERE i.id = ? FOR UPDATE OF i`, id).Scan(ctx, &r); err != nil {
		return m, false, retryAt, postgres.Map(fmt.Sprintf("load invitation %d", id), err)
	}
	switch InvitationStatus(r.Status) {
	case InvitationPending:
		retryAt = time.Now().Add(lapseCheckWithoutDeadline)
		if r.Deadline != nil && r.Deadline.After(time.Now()) {
			retryAt = *r.Deadline
		}
		return m, false, retryAt, nil
	case InvitationLapsed:
	default:
		return m, false, retryAt, nil
	}
	res, err := tx.ExecContext(ctx, `UPDATE nominee_invitations SET status = 'lapsed', answered_at = now(), updated_at = now()
		WHERE id = ? AND status = 'pending'`, id)
	if err != nil {
		return m, false, retryAt, postgres.Map("record lapse", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return m, false, retryAt, nil // recorded before: told before
	}
	if err := audit.Record(ctx, tx, 0, "lapse_invitation", entityNomination, r.NominationID,
		map[string]any{"invitation_id": r.ID, "status": "pending"},
		map[string]any{"invitation_id": r.ID, "status": InvitationLapsed, "organisation_id": r.OrgID}); err != nil {
		return m, false, retryAt, err
	}
	_, lead, err := nomineesOf(ctx, tx, r.NominationID)
	if err != nil {
		return m, false, retryAt, err
	}
	m, err = mailFor(ctx, tx, r, lead, "/nominasjoner/"+url.PathEscape(r.NominationPublicID)+"/organisasjoner")
	return m, err == nil, retryAt, err
}
