package publication_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/publication"
)

// TestViewsFlipAtInstant schedules the finalists a moment ahead and
// watches the embargo views by the database clock: nothing before the
// instant, the finalists from it on, in one statement each time so the
// clock and the views agree. Then the winners, and the submitters'
// feedback with them.
func TestViewsFlipAtInstant(t *testing.T) {
	t.Parallel()
	w := newWorld(t, false)
	a := w.schedule(publication.Finalists, w.now().Add(1500*time.Millisecond))
	// watch polls until the instant of announcement id has passed, with
	// before outcomes public until then and after from then on.
	watch := func(id int64, before, after int) {
		t.Helper()
		var sawBefore, sawAfter bool
		deadline := time.Now().Add(10 * time.Second)
		for !sawAfter && time.Now().Before(deadline) {
			var s struct {
				Out    bool `bun:"out"`
				Public int  `bun:"public"`
			}
			err := w.db.NewRaw(`SELECT a.publish_at <= now() AS out,
				(SELECT count(*) FROM public_nominations pn WHERE pn.cycle_id = a.cycle_id AND pn.outcome IS NOT NULL) AS public
				FROM announcements a WHERE a.id = ?`, id).Scan(w.ctx, &s)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case !s.Out && s.Public != before:
				t.Fatalf("%d outcomes public before the instant, want %d", s.Public, before)
			case s.Out && s.Public != after:
				t.Fatalf("%d outcomes public after the instant, want %d", s.Public, after)
			}
			sawBefore = sawBefore || !s.Out
			sawAfter = s.Out
			time.Sleep(50 * time.Millisecond)
		}
		if !sawBefore || !sawAfter {
			t.Fatalf("saw before %v, after %v", sawBefore, sawAfter)
		}
	}
	watch(a.ID, 0, 3) // the two finalists, and the winner shown as a finalist

	res := func(org string) publication.Result {
		t.Helper()
		r, err := w.s.FeedbackFor(w.ctx, w.actor(map[string]string{"Asker": "kari", "Træna": "tore", "Bærum": "bo"}[org]), w.pub[org])
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	// The finalists are out: Træna sees that, but no feedback yet; Asker's
	// win is still secret: Asker is a finalist like the others.
	if r := res("Træna"); r.Outcome != "finalist" || r.FeedbackReleased || r.Feedback != "" {
		t.Errorf("Træna after the finalists: %+v", r)
	}
	if r := res("Asker"); r.Outcome != "finalist" || r.Statement("nb") != "" || r.FeedbackReleased {
		t.Errorf("Asker after the finalists: %+v, want a finalist without statement", r)
	}

	win := w.schedule(publication.Winners, w.now().Add(1500*time.Millisecond))
	if r := res("Asker"); r.Outcome != "finalist" {
		t.Errorf("Asker before the winners: %+v, want a finalist", r)
	}
	watch(win.ID, 3, 4)
	r := res("Asker")
	if r.Outcome != "winner" || r.Statement("nn") != askerStatementNN || !r.FeedbackReleased || r.Feedback != askerFeedback || r.PublishedAt == nil {
		t.Errorf("Asker after the winners: %+v", r)
	}
	if r := res("Bærum"); r.Outcome != "" || !r.FeedbackReleased || r.Feedback != "Tilbakemelding til Bærum." {
		t.Errorf("Bærum after the winners: %+v", r)
	}

	// Unpublishing the winners hides the win and the feedback at once;
	// the finalists stay out.
	if _, err := w.s.Unpublish(w.ctx, w.actor("admin"), win.ID, "Feil vinner"); err != nil {
		t.Fatal(err)
	}
	if r := res("Asker"); r.Outcome != "finalist" || r.Statement("nb") != "" || r.FeedbackReleased {
		t.Errorf("Asker after unpublishing the winners: %+v, want a finalist again", r)
	}
	if r := res("Træna"); r.Outcome != "finalist" || r.FeedbackReleased {
		t.Errorf("Træna after unpublishing the winners: %+v", r)
	}
}

// TestFeedbackForAccess: only those who may see the nomination ask.
func TestFeedbackForAccess(t *testing.T) {
	t.Parallel()
	w := newWorld(t, false)
	w.publishNow(publication.Winners)
	for _, tt := range []struct {
		actor, org string
		code       string
	}{
		{"kari", "Asker", ""},
		{"admin", "Asker", ""},
		{"tore", "Asker", awards.ENotFound},
		{"anonymous", "Asker", awards.ENotFound},
		{"kari", "Nowhere", awards.ENotFound},
	} {
		r, err := w.s.FeedbackFor(w.ctx, w.actor(tt.actor), w.pub[tt.org]+map[bool]string{true: "x"}[tt.org == "Nowhere"])
		if awards.ErrorCode(err) != tt.code {
			t.Errorf("%s asking about %s: %v, want code %q", tt.actor, tt.org, err, tt.code)
		}
		if tt.code == "" && r.Feedback != askerFeedback {
			t.Errorf("%s asking about %s: feedback %q", tt.actor, tt.org, r.Feedback)
		}
	}
}

// TestPreviewMatchesViews keeps the preview's copy of the embargo rule in
// step with the views: for each state of the announcements, the preview
// as of now shows exactly what public_nominations shows.
func TestPreviewMatchesViews(t *testing.T) {
	t.Parallel()
	hour := time.Hour
	for _, tt := range []struct {
		name       string
		publishAll bool
		set        func(w *world)
		want       []string
	}{
		{"nothing", false, func(w *world) {}, nil},
		{"finalists scheduled", false, func(w *world) { w.schedule(publication.Finalists, w.now().Add(hour)) }, nil},
		{"finalists out", false, func(w *world) { w.publishNow(publication.Finalists) },
			[]string{"Asker kommune:finalist", "Horten kommune:finalist", "Træna kommune:finalist"}},
		{"finalists out, winners scheduled", true, func(w *world) {
			w.publishNow(publication.Finalists)
			w.schedule(publication.Winners, w.now().Add(hour))
		}, []string{"Asker kommune:finalist", "Horten kommune:finalist", "Træna kommune:finalist"}},
		{"winners out", false, func(w *world) { w.publishNow(publication.Winners) },
			[]string{"Asker kommune:winner", "Horten kommune:finalist", "Oppegård kommune:honourable_mention", "Træna kommune:finalist"}},
		{"winners out, all published", true, func(w *world) { w.publishNow(publication.Winners) },
			[]string{"Asker kommune:winner", "Bærum kommune:", "Horten kommune:finalist", "Oppegård kommune:honourable_mention", "Træna kommune:finalist"}},
		{"winners unpublished", true, func(w *world) {
			a := w.publishNow(publication.Winners)
			if _, err := w.s.Unpublish(w.ctx, w.actor("admin"), a.ID, "Feil"); err != nil {
				t.Fatal(err)
			}
		}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, tt.publishAll)
			tt.set(w)
			if diff := cmp.Diff(tt.want, w.public()); diff != "" {
				t.Errorf("views (-want +got):\n%s", diff)
			}
			p, err := w.s.Preview(w.ctx, w.actor("admin"), w.cycle.PublicID, w.now())
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range p.Entries {
				got = append(got, e.Nominees[0]+":"+e.Outcome)
			}
			// The views list by name; the preview winners first.
			if diff := cmp.Diff(tt.want, got, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
				t.Errorf("preview as of now (-views +preview):\n%s", diff)
			}
		})
	}
}

// TestPreviewAhead: the preview at a scheduled instant shows what will be
// public then, winners first with their statements and projects.
func TestPreviewAhead(t *testing.T) {
	t.Parallel()
	w := newWorld(t, true)
	now := w.now()
	f := w.schedule(publication.Finalists, now.Add(24*time.Hour))
	win := w.schedule(publication.Winners, now.Add(48*time.Hour))
	admin := w.actor("admin")
	for _, tt := range []struct {
		at       time.Time
		want     []string
		feedback bool
		counted  int
	}{
		{f.PublishAt.Add(-time.Second), nil, false, 0},
		{f.PublishAt, []string{"Horten kommune:finalist", "Asker kommune:finalist", "Træna kommune:finalist"}, false, 1},
		{win.PublishAt, []string{"Asker kommune:winner", "Oppegård kommune:honourable_mention", "Horten kommune:finalist", "Træna kommune:finalist", "Bærum kommune:"}, true, 2},
	} {
		p, err := w.s.Preview(w.ctx, admin, w.cycle.PublicID, tt.at)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range p.Entries {
			got = append(got, e.Nominees[0]+":"+e.Outcome)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("preview at %s (-want +got):\n%s", tt.at, diff)
		}
		if p.FeedbackReleased != tt.feedback || len(p.Counted) != tt.counted {
			t.Errorf("preview at %s: feedback %v, counted %d", tt.at, p.FeedbackReleased, len(p.Counted))
		}
		if len(p.Entries) > 0 && p.Entries[0].Outcome == "winner" {
			if e := p.Entries[0]; e.Statement("nb") != askerStatementNB || e.Statement("nn") != askerStatementNN || len(e.Projects) != 1 {
				t.Errorf("winner in the preview: %+v", e)
			}
		}
	}
	// Without an instant, the preview is of when everything scheduled is
	// out, not of today's empty page.
	if p, err := w.s.Preview(w.ctx, admin, w.cycle.PublicID, time.Time{}); err != nil || !p.At.Equal(win.PublishAt) || len(p.Entries) != 5 || len(p.Counted) != 2 {
		t.Errorf("preview without an instant: at %s (want %s), %d entries, %d counted, %v", p.At, win.PublishAt, len(p.Entries), len(p.Counted), err)
	}
	// Nothing is public now, whatever the preview says about later.
	if got := w.public(); len(got) != 0 {
		t.Errorf("public now: %v", got)
	}
	if _, err := w.s.Preview(w.ctx, w.actor("kari"), w.cycle.PublicID, now); awards.ErrorCode(err) != awards.EForbidden {
		t.Errorf("Preview by a submitter: %v", err)
	}
}

// TestPlan names exactly what publishing now makes public.
func TestPlan(t *testing.T) {
	t.Parallel()
	w := newWorld(t, true)
	admin := w.actor("admin")
	p, err := w.s.Plan(w.ctx, admin, w.cycle.PublicID, publication.Finalists)
	if err != nil || p.Refusal != nil {
		t.Fatalf("Plan finalists = %+v, %v", p, err)
	}
	// Asker, the decided winner, is listed as a finalist.
	if len(p.Entries) != 3 || p.Others != 0 || p.Feedback != 0 || p.Recipients != 4 {
		t.Errorf("finalists plan: %d entries, %d others, %d feedback, %d recipients", len(p.Entries), p.Others, p.Feedback, p.Recipients)
	}
	w.publishNow(publication.Finalists)

	p, err = w.s.Plan(w.ctx, admin, w.cycle.PublicID, publication.Winners)
	if err != nil || p.Refusal != nil {
		t.Fatalf("Plan winners = %+v, %v", p, err)
	}
	type row struct {
		Org, Outcome, Excerpt string
		Already               bool
	}
	var got []row
	for _, e := range p.Entries {
		got = append(got, row{e.Nominees[0], e.Outcome, e.Excerpt("nb"), e.AlreadyPublic})
	}
	want := []row{
		{"Asker kommune", "winner", "Asker kommune vinner fordi kommunen jobber helhetlig og systematisk med innovasjon, fra Holmen svømmehall til velferdslaben.", false},
		{"Oppegård kommune", "honourable_mention", oppegardStatement, false},
		{"Horten kommune", "finalist", "", true},
		{"Træna kommune", "finalist", "", true},
		{"Bærum kommune", "", "", false},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("winners plan (-want +got):\n%s", diff)
	}
	// Bærum becomes public because the cycle publishes all; four
	// nominations' feedback is released; the finalists are told by their
	// own announcement, so Asker's two and Oppegård's one are mailed.
	if p.Others != 1 || p.Feedback != 4 || len(p.New()) != 3 {
		t.Errorf("winners plan: %d others, %d feedback, %d new", p.Others, p.Feedback, len(p.New()))
	}
	if p.Recipients != 3 {
		t.Errorf("winners plan: %d recipients, want 3 (kari, ola, per)", p.Recipients)
	}

	// Refusals are named, not thrown: nothing to publish, already out.
	w.exec(`DELETE FROM decisions WHERE outcome = 'winner'`)
	p, err = w.s.Plan(w.ctx, admin, w.cycle.PublicID, publication.Winners)
	if err != nil {
		t.Fatal(err)
	}
	wantErr(t, "plan without a winner", p.Refusal, awards.EConflict, publication.ErrNothing)
	p, _ = w.s.Plan(w.ctx, admin, w.cycle.PublicID, publication.Finalists)
	wantErr(t, "plan of published finalists", p.Refusal, awards.EConflict, publication.ErrPublished)
	if _, err := w.s.Plan(w.ctx, admin, w.cycle.PublicID, "everyone"); awards.ErrorCode(err) != awards.EInvalid {
		t.Errorf("plan of an unknown kind: %v", err)
	}
}
