package notify

import (
	"context"
	"errors"
	"fmt"
	"text/template"
	"time"

	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/nominations"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/riverqueue/river"
	"github.com/uptrace/bun"
)

// jointData is what web/templates/email/joint.txt renders for one
// recipient.
type jointData struct {
	nominations.InvitationMail
	L    *i18n.Localizer
	Name string
	URL  string
}

// sendJoint sends template name about an invitation to every recipient,
// in the written form of their organisation (bokmål or nynorsk).
func sendJoint(ctx context.Context, d WorkerDeps, t *template.Template, name string, m nominations.InvitationMail) error {
	lang := "nb"
	if m.Language == "nn" {
		lang = "nn"
	}
	var errs []error
	for _, rc := range m.Recipients {
		msg, err := renderMail(t, name, rc.Email, jointData{InvitationMail: m, L: d.Bundle.Localizer(lang), Name: rc.Name, URL: d.BaseURL + m.Path})
		if err != nil {
			return err
		}
		if err := d.Mailer.Send(ctx, msg); err != nil {
			errs = append(errs, fmt.Errorf("to user %d: %w", rc.UserID, err))
		}
	}
	return errors.Join(errs...)
}

// jointInvitationWorker e-mails an invitation to a joint entry to the
// invited organisation's members. A retry after a partly failed run sends
// to everyone again: a second copy is better than a lost invitation.
type jointInvitationWorker struct {
	river.WorkerDefaults[nominations.InvitationMailArgs]
	WorkerDeps
	templates *template.Template
}

// Work sends the invitation unless it is no longer pending.
func (w *jointInvitationWorker) Work(ctx context.Context, job *river.Job[nominations.InvitationMailArgs]) error {
	id := job.Args.InvitationID
	m, ok, err := nominations.PrepareInvitationMail(ctx, w.DB, id)
	if err != nil {
		return err
	}
	if !ok {
		w.Logger.InfoContext(ctx, "joint invitation not sent: answered, withdrawn or lapsed", "invitation_id", id)
		return nil
	}
	if err := sendJoint(ctx, w.WorkerDeps, w.templates, "joint_invitation", m); err != nil {
		return fmt.Errorf("joint invitation %d: %w", id, err)
	}
	w.Logger.InfoContext(ctx, "joint invitation sent", "invitation_id", id, "recipients", len(m.Recipients))
	return nil
}

// jointLapseWorker records, at the deadline, an invitation nobody
// answered as lapsed and tells the lead's members, in one transaction: a
// failed send leaves it pending for the retry.
type jointLapseWorker struct {
	river.WorkerDefaults[nominations.LapseArgs]
	WorkerDeps
	templates *template.Template
}

// Work lapses the invitation, or waits for the deadline when it was moved.
func (w *jointLapseWorker) Work(ctx context.Context, job *river.Job[nominations.LapseArgs]) error {
	id := job.Args.InvitationID
	var retryAt time.Time
	lapsed := false
	err := postgres.InTx(ctx, w.DB, func(ctx context.Context, tx bun.Tx) error {
		m, ok, at, err := nominations.Lapse(ctx, tx, id)
		if err != nil || !ok {
			retryAt = at
			return err
		}
		lapsed = true
		return sendJoint(ctx, w.WorkerDeps, w.templates, "joint_lapsed", m)
	})
	if err != nil {
		return fmt.Errorf("lapse joint invitation %d: %w", id, err)
	}
	if !retryAt.IsZero() {
		return river.JobSnooze(time.Until(retryAt))
	}
	w.Logger.InfoContext(ctx, "joint invitation lapse checked", "invitation_id", id, "lapsed", lapsed)
	return nil
}
