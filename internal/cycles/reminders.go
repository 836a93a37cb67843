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

// scheduleReminders schedules, in tx, the draft reminders of c that lie
// ahead by the database's clock; those already scheduled stay as they
// are.
func scheduleReminders(ctx context.Context, tx bun.Tx, c awards.Cycle) error {
	if c.NominationDeadline == nil || len(c.ReminderDays) == 0 {
		return nil
	}
	var now time.Time
	if err := tx.QueryRowContext(ctx, `SELECT now()`).Scan(&now); err != nil {
		return postgres.Map("database clock", err)
	}
	deadline := c.NominationDeadline.UTC()
	for _, d := range c.ReminderDays {
		at := deadline.Add(-time.Duration(d) * 24 * time.Hour)
		if !at.After(now) {
			continue
		}
		err := jobs.InsertTx(ctx, tx.Tx, ReminderArgs{CycleID: c.ID, Deadline: deadline, Days: d}, &river.InsertOpts{ScheduledAt: at})
		if err != nil {
			return fmt.Errorf("cycle %d reminder %d days before: %w", c.ID, d, err)
		}
	}
	return nil
}
