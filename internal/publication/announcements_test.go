package publication_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/publication"
)

// TestScheduleRefusals runs each bad request against a fresh cycle with
// the finalists scheduled in two days and nothing else.
func TestScheduleRefusals(t *testing.T) {
	t.Parallel()
	day := 24 * time.Hour
	ptr := func(d time.Duration) func(now time.Time) *time.Time {
		return func(now time.Time) *time.Time { t := now.Add(d); return &t }
	}
	none := func(time.Time) *time.Time { return nil }
	tests := []struct {
		name   string
		actor  string
		kind   publication.Kind
		at     func(now time.Time) *time.Time
		now    bool
		ok     bool
		code   string
		cause  error
		field  string
		before func(w *world)
	}{
		{name: "anonymous", actor: "anonymous", kind: publication.Winners, at: ptr(3 * day), code: awards.EForbidden},
		{name: "submitter", actor: "kari", kind: publication.Winners, at: ptr(3 * day), code: awards.EForbidden},
		{name: "unknown kind", kind: "losers", at: ptr(3 * day), code: awards.EInvalid, field: "kind"},
		{name: "no instant", kind: publication.Winners, at: none, code: awards.EInvalid, field: "publish_at"},
		{name: "instant and now", kind: publication.Winners, at: ptr(3 * day), now: true, code: awards.EInvalid, field: "publish_at"},
		{name: "in the past", kind: publication.Winners, at: ptr(-time.Minute), code: awards.EInvalid, cause: publication.ErrPast, field: "publish_at"},
		{name: "already scheduled", kind: publication.Finalists, at: ptr(5 * day), code: awards.EConflict, cause: publication.ErrExists},
		{name: "winners before finalists", kind: publication.Winners, at: ptr(day), code: awards.EInvalid, cause: publication.ErrWinnersFirst, field: "publish_at"},
		{name: "winners with finalists", kind: publication.Winners, at: ptr(2 * day), ok: true},
		{name: "winners after finalists", kind: publication.Winners, at: ptr(3 * day), ok: true},
		{name: "now without confirmation", kind: publication.Winners, at: none, now: true, code: awards.EInvalid, cause: publication.ErrConfirm, field: "confirm"},
		{name: "winners now before scheduled finalists", kind: publication.Winners, at: none, now: true, code: awards.EConflict, cause: publication.ErrWinnersFirst},
		{name: "no winner decided", kind: publication.Winners, at: ptr(3 * day), code: awards.EConflict, cause: publication.ErrNothing,
			before: func(w *world) { w.exec(`DELETE FROM decisions WHERE outcome = 'winner'`) }},
		{name: "finalists after winners", kind: publication.Finalists, at: ptr(4 * day), code: awards.EInvalid, cause: publication.ErrFinalistsLate, field: "publish_at",
			before: func(w *world) {
				w.exec(`UPDATE announcements SET unpublished_at = now(), unpublish_reason = 'test' WHERE kind = 'finalists'`)
				w.schedule(publication.Winners, w.now().Add(3*day))
			}},
		{name: "unknown cycle", kind: publication.Winners, at: ptr(3 * day), code: awards.ENotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, false)
			w.schedule(publication.Finalists, w.now().Add(2*day))
			if tt.before != nil {
				tt.before(w)
			}
			actor := tt.actor
			if actor == "" {
				actor = "admin"
			}
			cycle := w.cycle.PublicID
			if tt.name == "unknown cycle" {
				cycle = "nosuchcycle"
			}
			confirm := tt.now && tt.name != "now without confirmation"
			before := w.count(`SELECT count(*) FROM announcements`)
			jobs := w.count(`SELECT count(*) FROM river_job`)
			a, created, err := w.s.Schedule(w.ctx, w.actor(actor), cycle, publication.Input{Kind: tt.kind, PublishAt: tt.at(w.now()), Now: tt.now, Confirm: confirm})
			if tt.ok {
				if err != nil || !created || a.State != publication.Scheduled {
					t.Fatalf("Schedule = %+v, %v, %v; want a new scheduled announcement", a, created, err)
				}
				return
			}
			wantErr(t, tt.name, err, tt.code, tt.cause)
			// The other announcement's time, as Oslo reads it.
			if tt.cause == publication.ErrExists || tt.cause == publication.ErrWinnersFirst || tt.cause == publication.ErrFinalistsLate {
				wantOsloTime(t, tt.name, err)
			}
			if tt.field != "" {
				if _, ok := awards.ErrorFields(err)[tt.field]; !ok {
					t.Errorf("fields %v lack %q", awards.ErrorFields(err), tt.field)
				}
			}
			// A refusal writes nothing and enqueues nothing.
			if n := w.count(`SELECT count(*) FROM announcements`); n != before {
				t.Errorf("announcements: %d, want %d", n, before)
			}
			if n := w.count(`SELECT count(*) FROM river_job`); n != jobs {
				t.Errorf("jobs: %d, want %d", n, jobs)
			}
		})
	}
}

// TestWinnersAlone: a cycle may skip the finalists' announcement; the
// winners' one then makes the finalists public too.
func TestWinnersAlone(t *testing.T) {
	t.Parallel()
	w := newWorld(t, false)
	w.publishNow(publication.Winners)
	want := []string{"Asker kommune:winner", "Horten kommune:finalist", "Oppegård kommune:honourable_mention", "Træna kommune:finalist"}
	if diff := cmp.Diff(want, w.public()); diff != "" {
		t.Errorf("public after the winners alone (-want +got):\n%s", diff)
	}
	// The finalists can no longer come after them.
	_, _, err := w.s.Schedule(w.ctx, w.actor("admin"), w.cycle.PublicID, publication.Input{Kind: publication.Finalists, Now: true, Confirm: true})
	wantErr(t, "finalists after published winners", err, awards.EConflict, publication.ErrFinalistsLate)
}

// TestLifecycle walks an announcement through scheduling, moving,
// publishing now, unpublishing and scheduling again, checking the
// refusals on the way and the audit log.
func TestLifecycle(t *testing.T) {
	t.Parallel()
	w := newWorld(t, false)
	admin := w.actor("admin")
	start := w.now()
	a := w.schedule(publication.Finalists, start.Add(48*time.Hour))
	if a.State != publication.Scheduled || a.CreatedBy != "Astrid Admin" || a.Kind != publication.Finalists {
		t.Fatalf("scheduled: %+v", a)
	}
	if got := w.public(); len(got) != 0 {
		t.Fatalf("public before the instant: %v", got)
	}

	// Moving: forward in time, not into the past, not by others.
	moved, err := w.s.Reschedule(w.ctx, admin, a.ID, start.Add(72*time.Hour))
	if err != nil || !moved.PublishAt.Equal(start.Add(72*time.Hour)) {
		t.Fatalf("Reschedule = %+v, %v", moved, err)
	}
	_, err = w.s.Reschedule(w.ctx, admin, a.ID, start.Add(-time.Hour))
	wantErr(t, "reschedule into the past", err, awards.EInvalid, publication.ErrPast)
	_, err = w.s.Reschedule(w.ctx, w.actor("kari"), a.ID, start.Add(96*time.Hour))
	wantErr(t, "reschedule by a submitter", err, awards.EForbidden, nil)
	_, err = w.s.Reschedule(w.ctx, admin, 999999, start.Add(96*time.Hour))
	wantErr(t, "reschedule of nothing", err, awards.ENotFound, nil)

	// Publishing now brings the scheduled one forward.
	now, created, err := w.s.Schedule(w.ctx, admin, w.cycle.PublicID, publication.Input{Kind: publication.Finalists, Now: true, Confirm: true})
	if err != nil || created || now.ID != a.ID || now.State != publication.Published {
		t.Fatalf("publish now = %+v, created %v, %v; want announcement %d published", now, created, err, a.ID)
	}
	if diff := cmp.Diff([]string{"Asker kommune:finalist", "Horten kommune:finalist", "Træna kommune:finalist"}, w.public()); diff != "" {
		t.Errorf("public after the finalists (-want +got):\n%s", diff)
	}
	// Published: it can only be unpublished.
	_, err = w.s.Reschedule(w.ctx, admin, a.ID, start.Add(96*time.Hour))
	wantErr(t, "reschedule published", err, awards.EConflict, publication.ErrPublished)
	wantOsloTime(t, "reschedule published", err)
	at := start.Add(96 * time.Hour)
	_, _, err = w.s.Schedule(w.ctx, admin, w.cycle.PublicID, publication.Input{Kind: publication.Finalists, PublishAt: &at})
	wantErr(t, "schedule again while published", err, awards.EConflict, publication.ErrPublished)
	wantOsloTime(t, "schedule again while published", err)

	// Unpublishing needs a reason.
	for _, reason := range []string{"", "   \n ", strings.Repeat("x", 2001)} {
		_, err := w.s.Unpublish(w.ctx, admin, a.ID, reason)
		wantErr(t, "unpublish with reason "+reason[:min(len(reason), 5)], err, awards.EInvalid, nil)
		if _, ok := awards.ErrorFields(err)["reason"]; !ok {
			t.Errorf("unpublish without a usable reason: fields %v", awards.ErrorFields(err))
		}
	}
	_, err = w.s.Unpublish(w.ctx, w.actor("kari"), a.ID, "Feil")
	wantErr(t, "unpublish by a submitter", err, awards.EForbidden, nil)
	gone, err := w.s.Unpublish(w.ctx, admin, a.ID, "  Feil finalist: Horten var ikke kvalifisert.  ")
	if err != nil || gone.State != publication.Unpublished || gone.UnpublishReason != "Feil finalist: Horten var ikke kvalifisert." ||
		gone.UnpublishedBy != "Astrid Admin" || gone.UnpublishedAt == nil {
		t.Fatalf("Unpublish = %+v, %v", gone, err)
	}
	// Gone from the public at once.
	if got := w.public(); len(got) != 0 {
		t.Errorf("public after unpublishing: %v", got)
	}
	_, err = w.s.Unpublish(w.ctx, admin, a.ID, "igjen")
	wantErr(t, "unpublish twice", err, awards.EConflict, publication.ErrUnpublished)
	_, err = w.s.Reschedule(w.ctx, admin, a.ID, start.Add(96*time.Hour))
	wantErr(t, "reschedule unpublished", err, awards.EConflict, publication.ErrUnpublished)

	// A new one may be scheduled; the history keeps both.
	again := w.schedule(publication.Finalists, start.Add(96*time.Hour))
	o, err := w.s.List(w.ctx, admin, w.cycle.PublicID)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Announcements) != 2 || o.Live(publication.Finalists).ID != again.ID || o.Live(publication.Winners) != nil {
		t.Errorf("overview: %+v", o)
	}
	if _, err := w.s.List(w.ctx, w.actor("kari"), w.cycle.PublicID); awards.ErrorCode(err) != awards.EForbidden {
		t.Errorf("List by a submitter: %v", err)
	}

	// Every change is in the audit log, in order.
	entries, err := audit.List(w.ctx, w.db, "announcement", a.ID)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action)
		if e.ActorID != w.users["admin"] {
			t.Errorf("audit %s by %d", e.Action, e.ActorID)
		}
	}
	if diff := cmp.Diff([]string{"schedule", "reschedule", "publish", "unpublish"}, actions); diff != "" {
		t.Errorf("audit (-want +got):\n%s", diff)
	}
	if last := string(entries[len(entries)-1].After); !strings.Contains(last, "Horten var ikke kvalifisert") {
		t.Errorf("unpublish audit lacks the reason: %s", last)
	}
}

// TestUpcoming: the admins' home lists what comes out within the window.
func TestUpcoming(t *testing.T) {
	t.Parallel()
	w := newWorld(t, false)
	now := w.now()
	f := w.schedule(publication.Finalists, now.Add(20*time.Hour))
	w.schedule(publication.Winners, now.Add(10*24*time.Hour))
	list, err := w.s.Upcoming(w.ctx, w.actor("admin"), 7*24*time.Hour)
	if err != nil || len(list) != 1 || list[0].ID != f.ID || list[0].CycleTitle != "Innovasjonsprisen 2027" {
		t.Errorf("Upcoming = %+v, %v; want the finalists only", list, err)
	}
	if list, err := w.s.Upcoming(w.ctx, w.actor("kari"), 7*24*time.Hour); err != nil || len(list) != 0 {
		t.Errorf("Upcoming for a submitter = %+v, %v", list, err)
	}
}

// wantOsloTime checks that err's message names a time, in RFC 3339 with
// Oslo's offset, and none in UTC.
func wantOsloTime(t *testing.T, what string, err error) {
	t.Helper()
	msg := awards.ErrorMessage(err)
	if !regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00`).MatchString(msg) || regexp.MustCompile(`\d\dZ\b`).MatchString(msg) {
		t.Errorf("%s: the time is not in Oslo time with its offset: %s", what, msg)
	}
}
