package notify

import (
	"context"
	"errors"
	"fmt"
	"text/template"
	"time"

	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/outbox"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/riverqueue/river"
	"github.com/uptrace/bun"
	"github.com/wneessen/go-mail"
)

// outboxWorker sends one message of the outbox (outbox.SendArgs),
// rendered from web/templates/email/<kind>.txt in the message's language.
type outboxWorker struct {
	river.WorkerDefaults[outbox.SendArgs]
	WorkerDeps
	templates *template.Template
}

// Timeout bounds one message; the sending itself is bounded by sendTimeout.
func (w *outboxWorker) Timeout(*river.Job[outbox.SendArgs]) time.Duration { return time.Minute }

// outboxData is what an outbox message's template renders: Data holds
// the values the change recorded (see the queuing use case), URL the
// link made from Data's "path", Unsubscribe the one from
// "unsubscribe_path", Deadline Data's "deadline".
type outboxData struct {
	L           *i18n.Localizer
	Data        map[string]string
	URL         string
	Unsubscribe string
	Deadline    time.Time
}

// Work sends the message unless it was sent before. It is marked sent in
// the transaction around the sending, so a second job for it (another
// replica, a retry) waits for that transaction and then finds it sent;
// a failed send rolls back and the failure is recorded on the row. A
// mail server's permanent refusal (5xx) ends the tries at once, and the
// message shows as failed until a site admin retries it; other errors
// are retried with River's backoff until the last attempt.
func (w *outboxWorker) Work(ctx context.Context, job *river.Job[outbox.SendArgs]) error {
	id := job.Args.MessageID
	var subject string
	sent := false
	err := postgres.InTx(ctx, w.DB, func(ctx context.Context, tx bun.Tx) error {
		p, ok, err := outbox.Claim(ctx, tx, id)
		if err != nil || !ok {
			return err
		}
		msg, err := w.render(p)
		if err != nil {
			return err
		}
		subject = msg.Subject
		if err := w.Mailer.Send(ctx, msg); err != nil {
			return err
		}
		if err := outbox.MarkSent(ctx, tx, id, subject); err != nil {
			return err
		}
		sent = true
		return nil
	})
	if err == nil {
		if sent {
			w.Logger.InfoContext(ctx, "outbox message sent", "message_id", id)
		}
		return nil
	}
	permanent := refusedForGood(err)
	final := permanent || job.Attempt >= job.MaxAttempts
	// Recorded also when the job was cancelled (the replica stopping), so
	// that the page shows the attempt.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if rerr := outbox.RecordFailure(rctx, w.DB, id, subject, err.Error(), final); rerr != nil {
		err = errors.Join(err, rerr)
	}
	w.Logger.WarnContext(ctx, "outbox message not sent", "message_id", id, "attempt", job.Attempt, "permanent", permanent, "error", err)
	if permanent {
		return river.JobCancel(fmt.Errorf("outbox message %d: %w", id, err))
	}
	return fmt.Errorf("outbox message %d: %w", id, err)
}

// render writes message p from its kind's template.
func (w *outboxWorker) render(p outbox.Pending) (Message, error) {
	if w.templates.Lookup(p.Kind+".subject") == nil {
		return Message{}, fmt.Errorf("no e-mail template for outbox kind %q", p.Kind)
	}
	lang := p.Language
	if lang != "nn" && lang != "en" {
		lang = "nb"
	}
	data := outboxData{L: w.Bundle.Localizer(lang), Data: p.Data}
	if path := p.Data["path"]; path != "" {
		data.URL = w.BaseURL + path
	}
	if path := p.Data["unsubscribe_path"]; path != "" {
		data.Unsubscribe = w.BaseURL + path
	}
	if s := p.Data["deadline"]; s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return Message{}, fmt.Errorf("outbox message %d deadline: %w", p.ID, err)
		}
		data.Deadline = t
	}
	return renderMail(w.templates, p.Kind, p.Email, data)
}

// refusedForGood reports whether err is a mail server's permanent refusal (a
// 5xx answer): trying the same mail again would be refused again.
func refusedForGood(err error) bool {
	var se *mail.SendError
	if !errors.As(err, &se) {
		return false
	}
	code := se.ErrorCode()
	return !se.IsTemp() && code >= 500 && code < 600
}
