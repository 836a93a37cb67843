package cycles_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
)

// reminderJob is a scheduled draft reminder as River holds it.
type reminderJob struct {
	Days        int       `bun:"days"`
	Deadline    time.Time `bun:"deadline"`
	ScheduledAt time.Time `bun:"scheduled_at"`
}

func (e *env) reminderJobs(t *testing.T, cycle int64) []reminderJob {
	t.Helper()
	var jobs []reminderJob
	err := e.db.NewRaw(`SELECT (args->>'days')::int AS days, (args->>'deadline')::timestamptz AS deadline, scheduled_at
		FROM river_job WHERE kind = 'draft_reminder' AND (args->>'cycle_id')::bigint = ? ORDER BY scheduled_at, id`, cycle).
		Scan(context.Background(), &jobs)
	if err != nil {
		t.Fatal(err)
	}
	return jobs
}

// TestReminderDays: a cycle reminds 7 and 1 days before the deadline
// unless set otherwise; each reminder ahead is scheduled once, at its
// instant, and a moved deadline schedules its own.
func TestReminderDays(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	a := e.award(t, "kommunal-innovasjonspris")
	deadline := time.Now().Add(30 * 24 * time.Hour).Truncate(time.Minute)
	c := e.cycle(t, a.Slug, 2027, cycles.CycleFields{NominationDeadline: at(&deadline)})
	if diff := cmp.Diff([]int{7, 1}, c.ReminderDays); diff != "" {
		t.Errorf("default reminder days (-want +got):\n%s", diff)
	}
	day := 24 * time.Hour
	want := []reminderJob{{7, deadline, deadline.Add(-7 * day)}, {1, deadline, deadline.Add(-1 * day)}}
	check := func(want []reminderJob) {
		t.Helper()
		got := e.reminderJobs(t, c.ID)
		if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
			t.Errorf("scheduled reminders (-want +got):\n%s", diff)
		}
	}
	check(want)

	// Saving again schedules nothing more.
	if _, err := e.s.UpdateCycle(ctx, e.admin, c.PublicID, cycles.CycleFields{Title: ptr("Innovasjonsprisen 2027")}); err != nil {
		t.Fatal(err)
	}
	check(want)

	// Other days, largest first; a day already past by then is left out.
	later := deadline.Add(2 * day)
	c, err := e.s.UpdateCycle(ctx, e.admin, c.PublicID, cycles.CycleFields{NominationDeadline: at(&later), ReminderDays: []int{3, 45, 3}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int{45, 3}, c.ReminderDays); diff != "" {
		t.Errorf("reminder days (-want +got):\n%s", diff)
	}
	check(append(want, reminderJob{3, later, later.Add(-3 * day)}))

	// None.
	if c, err = e.s.UpdateCycle(ctx, e.admin, c.PublicID, cycles.CycleFields{ReminderDays: []int{}}); err != nil || len(c.ReminderDays) != 0 {
		t.Errorf("no reminders: %v %v", c.ReminderDays, err)
	}

	// Jurors are reminded before the scoring deadline the same days.
	scoring := later.Add(20 * day)
	if _, err := e.s.UpdateCycle(ctx, e.admin, c.PublicID, cycles.CycleFields{ScoringDeadline: at(&scoring), ReminderDays: []int{7, 1}}); err != nil {
		t.Fatal(err)
	}
	var jury []time.Time
	if err := e.db.NewRaw(`SELECT scheduled_at FROM river_job WHERE kind = 'jury_reminder' AND (args->>'cycle_id')::bigint = ? ORDER BY scheduled_at`, c.ID).
		Scan(ctx, &jury); err != nil {
		t.Fatal(err)
	}
	if len(jury) != 2 || !jury[0].Equal(scoring.Add(-7*day)) || !jury[1].Equal(scoring.Add(-day)) {
		t.Errorf("jury reminders scheduled at %v", jury)
	}

	for _, days := range [][]int{{0}, {61}, {1, 2, 3, 4, 5, 6}, {-7}} {
		_, err := e.s.UpdateCycle(ctx, e.admin, c.PublicID, cycles.CycleFields{ReminderDays: days})
		wantFields(t, err, awards.EInvalid, map[string]string{"reminder_days": "cycles.error.reminder_days"})
	}
}
