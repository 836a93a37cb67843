package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"text/template"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/nominations"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/riverqueue/river"
	"github.com/uptrace/bun"
)

// WorkerDeps are what the notify workers need.
type WorkerDeps struct {
	DB     bun.IDB
	Mailer Mailer
	Bundle *i18n.Bundle
	// BaseURL is the app's public address, for links in the mails.
	BaseURL string
	Logger  *slog.Logger
	// SessionKey signs the unsubscribe links of call announcements.
	SessionKey []byte
}

// AddWorkers registers the notify workers with River. It fails when an
// e-mail template does not parse.
func AddWorkers(workers *river.Workers, d WorkerDeps) error {
	w, err := newReceiptWorker(d)
	if err != nil {
		return err
	}
	if err := river.AddWorkerSafely(workers, w); err != nil {
		return err
	}
	inv, err := newInvitationWorker(d)
	if err != nil {
		return err
	}
	if err := river.AddWorkerSafely(workers, inv); err != nil {
		return err
	}
	ann, err := newAnnouncementWorker(d)
	if err != nil {
		return err
	}
	if err := river.AddWorkerSafely(workers, ann); err != nil {
		return err
	}
	t, err := parseMailTemplates()
	if err != nil {
		return err
	}
	if err := river.AddWorkerSafely(workers, &jointInvitationWorker{WorkerDeps: d, templates: t}); err != nil {
		return err
	}
	if err := river.AddWorkerSafely(workers, &jointLapseWorker{WorkerDeps: d, templates: t}); err != nil {
		return err
	}
	if err := river.AddWorkerSafely(workers, &outboxWorker{WorkerDeps: d, templates: t}); err != nil {
		return err
	}
	if err := river.AddWorkerSafely(workers, &draftReminderWorker{WorkerDeps: d}); err != nil {
		return err
	}
	if err := river.AddWorkerSafely(workers, &juryReminderWorker{WorkerDeps: d}); err != nil {
		return err
	}
	return river.AddWorkerSafely(workers, &callWorker{WorkerDeps: d})
}

// receiptWorker e-mails a receipt to every member of every nominee
// organisation, in the organisation's written form.
type receiptWorker struct {
	river.WorkerDefaults[nominations.ReceiptArgs]
	WorkerDeps
	templates *template.Template
}

func newReceiptWorker(d WorkerDeps) (*receiptWorker, error) {
	t, err := parseMailTemplates()
	if err != nil {
		return nil, err
	}
	return &receiptWorker{WorkerDeps: d, templates: t}, nil
}

// Timeout leaves room for a large organisation: each mail may take up to
// sendTimeout.
func (w *receiptWorker) Timeout(*river.Job[nominations.ReceiptArgs]) time.Duration {
	return 10 * time.Minute
}

// recipient is a member of a nominee organisation.
type recipient struct {
	UserID   int64  `bun:"user_id"`
	Email    string `bun:"email"`
	OrgID    int64  `bun:"organisation_id"`
	OrgName  string `bun:"organisation_name"`
	Language string `bun:"language"`
}

// Work sends the receipts not yet sent. Each one is recorded in
// receipt_mails in the transaction around its sending, so a retry, a
// second run of the job or a concurrent one skips those already sent; a
// failed one rolls back and is tried again on the next attempt. The only
// way to get a receipt twice is a crash between the mail server's "OK"
// and the commit: a lost receipt would be worse.
func (w *receiptWorker) Work(ctx context.Context, job *river.Job[nominations.ReceiptArgs]) error {
	id := job.Args.NominationID
	r, err := loadReceipt(ctx, w.DB, "n.id = ?", id)
	if awards.ErrorCode(err) == awards.ENotFound {
		w.Logger.InfoContext(ctx, "receipt not sent: nomination gone or not submitted", "nomination_id", id)
		return nil
	}
	if err != nil {
		return err
	}
	if !r.SubmittedAt.Equal(job.Args.SubmittedAt) {
		// Submitted again since: that submission's own job sends its receipt.
		w.Logger.InfoContext(ctx, "receipt superseded by a later submission", "nomination_id", id)
		return nil
	}
	var recipients []recipient
	err = w.DB.NewRaw(`
		SELECT DISTINCT ON (lower(u.email)) u.id AS user_id, u.email, o.id AS organisation_id, o.name AS organisation_name, o.language
		FROM nomination_organisations no
		JOIN organisations o ON o.id = no.organisation_id
		JOIN memberships m ON m.organisation_id = o.id
		JOIN users u ON u.id = m.user_id
		WHERE no.nomination_id = ? AND u.email <> ''
		ORDER BY lower(u.email), o.name, o.id, u.id`, id).Scan(ctx, &recipients)
	if err != nil {
		return postgres.Map(fmt.Sprintf("receipt recipients of nomination %d", id), err)
	}
	var errs []error
	sent := 0
	for _, rc := range recipients {
		ok, err := w.send(ctx, r, rc)
		if err != nil {
			errs = append(errs, fmt.Errorf("receipt for nomination %d to user %d: %w", id, rc.UserID, err))
		}
		if ok {
			sent++
		}
	}
	w.Logger.InfoContext(ctx, "receipts sent", "nomination_id", id, "sent", sent, "failed", len(errs), "recipients", len(recipients))
	return errors.Join(errs...)
}

// send sends one receipt unless it was sent before; sent reports whether
// this call sent it.
func (w *receiptWorker) send(ctx context.Context, r Receipt, rc recipient) (sent bool, err error) {
	err = postgres.InTx(ctx, w.DB, func(ctx context.Context, tx bun.Tx) error {
		// A concurrent run of the same job waits here until this
		// transaction ends, then finds the row.
		res, err := tx.ExecContext(ctx, `
			INSERT INTO receipt_mails (nomination_id, submitted_at, user_id, organisation_id) VALUES (?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, r.NominationID, r.SubmittedAt, rc.UserID, rc.OrgID)
		if err != nil {
			return postgres.Map("record receipt", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		msg, err := w.receiptMail(r, rc)
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

// receiptData is what web/templates/email/receipt.txt renders.
type receiptData struct {
	Receipt
	L   *i18n.Localizer
	Org string
	URL string
}

// receiptMail writes the receipt for rc in the written form of rc's
// organisation: bokmål or nynorsk, never English.
func (w *receiptWorker) receiptMail(r Receipt, rc recipient) (Message, error) {
	lang := "nb"
	if rc.Language == "nn" {
		lang = "nn"
	}
	return renderMail(w.templates, "receipt", rc.Email, receiptData{
		Receipt: r, L: w.Bundle.Localizer(lang), Org: rc.OrgName, URL: w.BaseURL + r.Path(),
	})
}
