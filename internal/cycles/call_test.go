package cycles_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
)

// callJob is a scheduled call announcement as River holds it.
type callJob struct {
	OpensAt     time.Time `bun:"opens_at"`
	ScheduledAt time.Time `bun:"scheduled_at"`
}

func (e *env) callJobs(t *testing.T, cycle int64) []callJob {
	t.Helper()
	var jobs []callJob
	err := e.db.NewRaw(`SELECT (args->>'opens_at')::timestamptz AS opens_at, scheduled_at
		FROM river_job WHERE kind = 'call_announcement' AND (args->>'cycle_id')::bigint = ? ORDER BY id`, cycle).Scan(context.Background(), &jobs)
	if err != nil {
		t.Fatal(err)
	}
	return jobs
}

// TestCallJobs: opening a call schedules its announcement at
// call_opens_at (at once without one); moving call_opens_at before it
// comes schedules the new instant; saving a call already open, or
// moving its past opening, announces nothing again.
func TestCallJobs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	a := e.award(t, "kommunal-innovasjonspris")
	sameTime := cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })
	check := func(what string, c awards.Cycle, want []callJob) {
		t.Helper()
		if diff := cmp.Diff(want, e.callJobs(t, c.ID), sameTime); diff != "" {
			t.Errorf("%s (-want +got):\n%s", what, diff)
		}
	}
	later := time.Now().Add(time.Hour).Truncate(time.Second)
	deadline := later.Add(30 * 24 * time.Hour)
	c := e.cycle(t, a.Slug, 2027, cycles.CycleFields{CallOpensAt: at(&later), NominationDeadline: at(&deadline)})
	check("a draft", c, nil)
	c, err := e.s.Transition(ctx, e.admin, c.PublicID, awards.PhaseOpen)
	if err != nil {
		t.Fatal(err)
	}
	check("opened", c, []callJob{{later, later}})
	if c, err = e.s.UpdateCycle(ctx, e.admin, c.PublicID, cycles.CycleFields{Title: ptr("Innovasjonsprisen 2027 – ny tittel")}); err != nil {
		t.Fatal(err)
	}
	check("saved", c, []callJob{{later, later}})
	moved := later.Add(time.Hour)
	if c, err = e.s.UpdateCycle(ctx, e.admin, c.PublicID, cycles.CycleFields{CallOpensAt: at(&moved)}); err != nil {
		t.Fatal(err)
	}
	check("moved", c, []callJob{{later, later}, {moved, moved}})

	// A call that opened in the past is announced at once, and once.
	past := time.Now().Add(-time.Hour).Truncate(time.Second)
	open := e.cycle(t, a.Slug, 2028, cycles.CycleFields{CallOpensAt: at(&past), NominationDeadline: at(&deadline)})
	if open, err = e.s.Transition(ctx, e.admin, open.PublicID, awards.PhaseOpen); err != nil {
		t.Fatal(err)
	}
	jobs := e.callJobs(t, open.ID)
	if len(jobs) != 1 || !jobs[0].OpensAt.Equal(past) || jobs[0].ScheduledAt.After(time.Now().Add(time.Minute)) {
		t.Errorf("opened in the past: %+v", jobs)
	}
	earlier := past.Add(-time.Hour)
	if open, err = e.s.UpdateCycle(ctx, e.admin, open.PublicID, cycles.CycleFields{CallOpensAt: at(&earlier)}); err != nil {
		t.Fatal(err)
	}
	if n := len(e.callJobs(t, open.ID)); n != 1 {
		t.Errorf("after moving a past opening: %d jobs, want 1", n)
	}
}
