package cycles

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/jobs"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/riverqueue/river"
	"github.com/uptrace/bun"
)

// Limits of a cycle's reminder days (the table's check says the same).
const (
	maxReminders    = 5
	maxReminderDays = 60
)

// DefaultReminderDays are a new cycle's reminders: a week and a day
// before the nomination deadline.
func DefaultReminderDays() []int { return []int{7, 1} }

// reminderDays cleans days: each 1–60, at most five, largest first,
// without repeats; ok is false when one is out of range or too many.
func reminderDays(days []int) (out []int, ok bool) {
	out = []int{} // never nil: the column is an array, not NULL
	for _, d := range days {
		if d < 1 || d > maxReminderDays {
			return out, false
		}
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	slices.Sort(out)
	slices.Reverse(out)
	return out, len(out) <= maxReminders
}

// ReminderOutcome is what a reminder job found: Wait, when it ran early
// by the database's clock; NotDue, why nothing is due; else how many
// messages it queued.
type ReminderOutcome struct {
	Wait   time.Duration
	NotDue string
	Queued int
}

// Due says whether a reminder Days before deadline (the job's) is due
// now, for a cycle whose deadline, reminder days and phase are current:
// the outcome's NotDue or Wait say why not.
func Due(deadline time.Time, days int, current *time.Time, reminderDays []int, phase, wantPhase string, now time.Time) ReminderOutcome {
	var out ReminderOutcome
	at := deadline.Add(-time.Duration(days) * 24 * time.Hour)
	switch {
	case current == nil || !current.Equal(deadline):
		out.NotDue = "deadline moved"
	case !slices.Contains(reminderDays, days):
		out.NotDue = "reminder day taken out"
	case phase != wantPhase:
		out.NotDue = "phase is " + phase
	case !now.Before(deadline):
		out.NotDue = "deadline passed"
	case now.Before(at):
		out.Wait = at.Sub(now)
	}
	return out
}

// ReminderArgs is the job that, Days before the nomination deadline,
// reminds the members of organisations with a draft not yet submitted.
// Deadline is the deadline it was scheduled for: a job whose deadline has
// moved since does nothing, as the move scheduled its own. The
// nominations package decides whom to remind (QueueDraftReminders) and
// the notify package runs it.
type ReminderArgs struct {
	CycleID  int64     `json:"cycle_id" river:"unique"`
	Deadline time.Time `json:"deadline" river:"unique"`
	Days     int       `json:"days" river:"unique"`
}

// Kind names the job in River's table.
func (ReminderArgs) Kind() string { return "draft_reminder" }

// InsertOpts makes the job unique per cycle, deadline and day, whatever
// its state: saving the cycle again does not schedule it twice, and a
// reminder sent is not scheduled again.
func (ReminderArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 12, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// JuryReminderArgs is the job that, Days before the scoring deadline,
// reminds the jurors with scores not yet submitted. As ReminderArgs; the
// scoring package decides whom (QueueJuryReminders).
type JuryReminderArgs struct {
	CycleID  int64     `json:"cycle_id" river:"unique"`
	Deadline time.Time `json:"deadline" river:"unique"`
	Days     int       `json:"days" river:"unique"`
}

// Kind names the job in River's table.
func (JuryReminderArgs) Kind() string { return "jury_reminder" }

// InsertOpts: as ReminderArgs.
func (JuryReminderArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 12, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// scheduleReminders schedules, in tx, the reminders of c that lie ahead
// by the database's clock, before the nomination deadline (drafts) and
// the scoring deadline (jurors); those already scheduled stay as they
// are.
func scheduleReminders(ctx context.Context, tx bun.Tx, c awards.Cycle) error {
	if len(c.ReminderDays) == 0 {
		return nil
	}
	var now time.Time
	if err := tx.QueryRowContext(ctx, `SELECT now()`).Scan(&now); err != nil {
		return postgres.Map("database clock", err)
	}
	for _, d := range c.ReminderDays {
		for _, job := range []struct {
			deadline *time.Time
			args     func(deadline time.Time) river.JobArgs
		}{
			{c.NominationDeadline, func(t time.Time) river.JobArgs { return ReminderArgs{CycleID: c.ID, Deadline: t, Days: d} }},
			{c.ScoringDeadline, func(t time.Time) river.JobArgs { return JuryReminderArgs{CycleID: c.ID, Deadline: t, Days: d} }},
		} {
			if job.deadline == nil {
				continue
			}
			deadline := job.deadline.UTC()
			at := deadline.Add(-time.Duration(d) * 24 * time.Hour)
			if !at.After(now) {
				continue
			}
			args := job.args(deadline)
			if err := jobs.InsertTx(ctx, tx, args, &river.InsertOpts{ScheduledAt: at}); err != nil {
				return fmt.Errorf("cycle %d %s %d days before: %w", c.ID, args.Kind(), d, err)
			}
		}
	}
	return nil
}
