package notify

import (
	"context"

	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/nominations"
	"github.com/heder-awards/heder/internal/scoring"
	"github.com/riverqueue/river"
)

// draftReminderWorker queues, at its instant before the nomination
// deadline, the reminders of drafts not yet submitted in the outbox,
// whose own jobs send them (nominations.QueueDraftReminders decides whom).
type draftReminderWorker struct {
	river.WorkerDefaults[cycles.ReminderArgs]
	WorkerDeps
}

// Work queues the reminders, or waits when River ran it early by the
// database's clock.
func (w *draftReminderWorker) Work(ctx context.Context, job *river.Job[cycles.ReminderArgs]) error {
	out, err := nominations.QueueDraftReminders(ctx, w.DB, job.Args)
	return w.queued(ctx, "draft reminders", out, err, "cycle_id", job.Args.CycleID, "days", job.Args.Days)
}

// juryReminderWorker queues, at its instant before the scoring deadline,
// the reminders of jurors with work left in the outbox
// (scoring.QueueJuryReminders decides whom).
type juryReminderWorker struct {
	river.WorkerDefaults[cycles.JuryReminderArgs]
	WorkerDeps
}

// Work queues the reminders, or waits when River ran it early by the
// database's clock.
func (w *juryReminderWorker) Work(ctx context.Context, job *river.Job[cycles.JuryReminderArgs]) error {
	out, err := scoring.QueueJuryReminders(ctx, w.DB, job.Args)
	return w.queued(ctx, "jury reminders", out, err, "cycle_id", job.Args.CycleID, "days", job.Args.Days)
}

// callWorker queues, once a call is open, its announcement to the
// members of the eligible organisations in the outbox
// (cycles.QueueCall decides whom and signs the unsubscribe links).
type callWorker struct {
	river.WorkerDefaults[cycles.CallArgs]
	WorkerDeps
}

// Work queues the announcements, or waits when River ran it early by
// the database's clock.
func (w *callWorker) Work(ctx context.Context, job *river.Job[cycles.CallArgs]) error {
	out, err := cycles.QueueCall(ctx, w.DB, job.Args, w.SessionKey)
	return w.queued(ctx, "call announcement", out, err, "cycle_id", job.Args.CycleID)
}

// queued ends a job that queues messages in the outbox: it fails with err,
// snoozes when River ran it early, and logs what was queued or why
// nothing was, with the job's attrs.
func (d WorkerDeps) queued(ctx context.Context, what string, out cycles.ReminderOutcome, err error, attrs ...any) error {
	if err != nil {
		return err
	}
	if out.Wait > 0 {
		return river.JobSnooze(out.Wait)
	}
	if out.NotDue != "" {
		d.Logger.InfoContext(ctx, "nothing queued", append(attrs, "messages", what, "reason", out.NotDue)...)
		return nil
	}
	d.Logger.InfoContext(ctx, "messages queued", append(attrs, "messages", what, "queued", out.Queued)...)
	return nil
}
