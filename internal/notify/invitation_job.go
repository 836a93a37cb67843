package notify

import (
	"context"
	"fmt"
	"text/template"

	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/jury"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/riverqueue/river"
	"github.com/uptrace/bun"
)

// invitationWorker e-mails a jury invitation its link, in the language
// the administrator chose for it. The link's token is made in the
// transaction around the sending (jury.PrepareInvitationMail), so the
// token exists only in the e-mail and as a hash in the database: never in
// the job's arguments.
type invitationWorker struct {
	river.WorkerDefaults[jury.InvitationArgs]
	WorkerDeps
	templates *template.Template
}

func newInvitationWorker(d WorkerDeps) (*invitationWorker, error) {
	t, err := parseMailTemplates()
	if err != nil {
		return nil, err
	}
	return &invitationWorker{WorkerDeps: d, templates: t}, nil
}

// invitationData is what web/templates/email/invitation.txt renders.
type invitationData struct {
	jury.InvitationMail
	L   *i18n.Localizer
	URL string
}

// Work sends the invitation unless it was sent before, or can no longer
// be accepted. The invitation is marked mailed in the transaction around
// the sending: a failed send rolls back and is tried again with a new
// token, a retry after a sent mail finds it marked and does nothing.
func (w *invitationWorker) Work(ctx context.Context, job *river.Job[jury.InvitationArgs]) error {
	id := job.Args.InvitationID
	sent := false
	err := postgres.InTx(ctx, w.DB, func(ctx context.Context, tx bun.Tx) error {
		m, ok, err := jury.PrepareInvitationMail(ctx, tx, id)
		if err != nil || !ok {
			return err
		}
		lang := m.Language
		if lang != "nn" && lang != "en" {
			lang = "nb"
		}
		msg, err := renderMail(w.templates, "invitation", m.Email, invitationData{InvitationMail: m, L: w.Bundle.Localizer(lang), URL: w.BaseURL + m.Path})
		if err != nil {
			return err
		}
		if err := w.Mailer.Send(ctx, msg); err != nil {
			return err
		}
		sent = true
		return nil
	})
	if err != nil {
		return fmt.Errorf("jury invitation %d: %w", id, err)
	}
	if sent {
		w.Logger.InfoContext(ctx, "jury invitation sent", "invitation_id", id)
	} else {
		w.Logger.InfoContext(ctx, "jury invitation not sent: mailed before, accepted, withdrawn or expired", "invitation_id", id)
	}
	return nil
}
