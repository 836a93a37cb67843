package notify

import (
	"context"
	"errors"
	"fmt"
	"text/template"
	"time"

	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/heder-awards/heder/internal/publication"
	"github.com/riverqueue/river"
	"github.com/uptrace/bun"
)

// announcementWorker e-mails the nominees of an announcement at its
// instant: "you are a finalist", "you won" or "honourable mention", with
// the jury's statement, to every member of every nominee organisation in
// the organisation's written form.
type announcementWorker struct {
	river.WorkerDefaults[publication.MailArgs]
	WorkerDeps
	templates *template.Template
}

func newAnnouncementWorker(d WorkerDeps) (*announcementWorker, error) {
	t, err := parseMailTemplates()
	if err != nil {
		return nil, err
	}
	return &announcementWorker{WorkerDeps: d, templates: t}, nil
}

// Timeout leaves room for many nominees: each mail may take up to
// sendTimeout.
func (w *announcementWorker) Timeout(*river.Job[publication.MailArgs]) time.Duration {
	return 10 * time.Minute
}

// Work sends the mails not yet sent, if the announcement is still out at
// the instant the job was scheduled for. Each one is recorded in
// announcement_mails in the transaction around its sending (as the
// receipts are), so a retry or a second run skips those already sent,
// and an unpublishing stops the rest.
func (w *announcementWorker) Work(ctx context.Context, job *river.Job[publication.MailArgs]) error {
	id := job.Args.AnnouncementID
	b, err := publication.PrepareMails(ctx, w.DB, job.Args)
	if err != nil {
		return err
	}
	if b.Wait > 0 {
		// River ran it before the instant by the database clock.
		return river.JobSnooze(b.Wait)
	}
	if b.Skip != "" {
		w.Logger.InfoContext(ctx, "announcement mails not sent", "announcement_id", id, "reason", b.Skip)
		return nil
	}
	// Those the announcement's mails do not tell get their results in
	// the outbox, which sends them on its own.
	results, err := publication.QueueResults(ctx, w.DB, job.Args)
	if err != nil {
		return err
	}
	if results > 0 {
		w.Logger.InfoContext(ctx, "results queued", "announcement_id", id, "queued", results)
	}
	var errs []error
	sent := 0
	for _, m := range b.Mails {
		ok, err := w.send(ctx, job.Args, m)
		if err != nil {
			errs = append(errs, fmt.Errorf("announcement %d mail for nomination %d to user %d: %w", id, m.NominationID, m.UserID, err))
		}
		if ok {
			sent++
		}
	}
	w.Logger.InfoContext(ctx, "announcement mails sent", "announcement_id", id, "sent", sent, "failed", len(errs), "recipients", len(b.Mails))
	return errors.Join(errs...)
}

func (w *announcementWorker) send(ctx context.Context, args publication.MailArgs, m publication.Mail) (sent bool, err error) {
	err = postgres.InTx(ctx, w.DB, func(ctx context.Context, tx bun.Tx) error {
		ok, err := publication.ClaimMail(ctx, tx, args, m)
		if err != nil || !ok {
			return err
		}
		msg, err := w.mail(m)
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
		sent = false
	}
	return sent, err
}

// announcementData is what web/templates/email/announcement.txt renders.
type announcementData struct {
	publication.Mail
	L   *i18n.Localizer
	URL string
}

// mail writes m in the written form of its organisation: bokmål or
// nynorsk, never English.
func (w *announcementWorker) mail(m publication.Mail) (Message, error) {
	lang := "nb"
	if m.Language == "nn" {
		lang = "nn"
	}
	return renderMail(w.templates, "announcement", m.Email, announcementData{Mail: m, L: w.Bundle.Localizer(lang), URL: w.BaseURL + m.Path()})
}
