package deciding_test

import (
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/deciding"
)

func TestFeedbackFromComments(t *testing.T) {
	t.Parallel()
	e := newDecisionEnv(t)
	jon := e.seat(e.person("Jon Jurymedlem", false), e.c, false, true)
	kari := e.seat(e.person("Kari Anne Berg", false), e.c, false, true)
	gone := e.seat(e.person("Gunnar Gått", false), e.c, false, true)
	// Træna writes nynorsk: the criteria are named in nynorsk.
	n := e.traena
	e.score(jon, n, e.c.crit[0], 0, 4, "Nytt for ein liten kommune. – JJ")
	e.score(jon, n, e.c.crit[1], 0, 3, "  ")
	e.score(kari, n, e.c.crit[0], 0, 5, "KAB: Modig satsing.\nGod forankring.")
	e.score(kari, n, e.c.crit[1], 0, 4, "Tydelege resultat (Kari Anne Berg)")
	e.score(gone, n, e.c.crit[0], 0, 1, "Fjerna jurymedlem")
	e.submit(jon, n)
	e.submit(kari, n)
	e.submit(gone, n)
	e.exec(`UPDATE jurors SET removed_at = now() WHERE id = ?`, gone)
	draft := e.seat(e.person("Dorte Draft", false), e.c, false, true)
	e.score(draft, n, e.c.crit[0], 0, 2, "Ikkje sendt inn")

	f, err := e.s.Feedback(e.ctx, e.chair, "", n.publicID)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Comments) != 3 || f.Language != "nn" || f.Comments[0].Juror.Initials() != "JJ" {
		t.Fatalf("comments %+v (language %s)", f.Comments, f.Language)
	}
	want := "Nytt (nn):\n- Nytt for ein liten kommune.\n- Modig satsing.\n  God forankring.\n\nNyttig (nn):\n- Tydelege resultat"
	if got := f.FromComments(); got != want {
		t.Errorf("from comments:\n%s\nwant:\n%s", got, want)
	}

	// Starting from the comments fills an empty draft, audited …
	f, err = e.s.DraftFeedbackFromComments(e.ctx, e.chair, e.c.publicID, n.publicID)
	if err != nil {
		t.Fatal(err)
	}
	if f.Body != want || f.UpdatedBy != "Jorunn Juryleder" || f.UpdatedAt == nil {
		t.Errorf("drafted %q by %q", f.Body, f.UpdatedBy)
	}
	// … and is added below what is written, never over it.
	if _, err := e.s.SaveFeedback(e.ctx, e.admin, "", n.publicID, "Kjære Træna,\r\ntakk for søknaden."); err != nil {
		t.Fatal(err)
	}
	f, err = e.s.DraftFeedbackFromComments(e.ctx, e.chair, e.c.publicID, n.publicID)
	if err != nil {
		t.Fatal(err)
	}
	if f.Body != "Kjære Træna,\ntakk for søknaden.\n\n"+want {
		t.Errorf("added to a draft: %q", f.Body)
	}
	entries, err := audit.List(e.ctx, e.db, "feedback", n.id)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 3 {
		t.Errorf("%d audit entries, want 3", len(entries))
	}

	_, err = e.s.SaveFeedback(e.ctx, e.chair, "", n.publicID, strings.Repeat("å", deciding.MaxFeedback+1))
	wantFields(t, "too long", err, map[string]string{"body": "deciding.error.feedback_too_long"})

	l, err := e.s.FeedbackList(e.ctx, e.chair, e.c.publicID)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Items) != 5 || l.Drafted() != 1 {
		t.Errorf("list: %d items, %d drafted; want 5 and 1 (withdrawn left out)", len(l.Items), l.Drafted())
	}
	for _, it := range l.Items {
		if it.ID == n.id && (it.Comments != 3 || !it.Drafted) {
			t.Errorf("Træna's line %+v", it)
		}
	}
	// Emptying it leaves the nomination without feedback.
	if f, err = e.s.SaveFeedback(e.ctx, e.chair, "", n.publicID, " \n "); err != nil || f.Body != "" {
		t.Fatalf("emptied: %q, %v", f.Body, err)
	}
}

func TestFeedbackAccess(t *testing.T) {
	t.Parallel()
	e := newDecisionEnv(t)
	e.conflict(e.chairID, "Asker", "involvement", "Var med i prosjektet")
	juror := e.person("juror", false)
	e.seat(juror, e.c, false, true)
	submitter := e.person("kari", false, "Asker")
	for _, tc := range []struct {
		name  string
		actor *awards.Actor
		n     nom
		code  string
	}{
		{"chair", e.chair, e.horten, ""},
		{"chair, stepping aside", e.chair, e.asker, awards.ENotFound},
		{"admin", e.admin, e.asker, ""},
		{"juror", juror, e.horten, awards.EForbidden},
		{"submitter", submitter, e.asker, awards.ENotFound},
		{"withdrawn", e.admin, e.withdrawn, awards.ENotFound},
		{"anonymous", &awards.Actor{}, e.horten, awards.EUnauthenticated},
	} {
		_, err := e.s.Feedback(e.ctx, tc.actor, "", tc.n.publicID)
		wantCode(t, tc.name, err, tc.code)
		_, err = e.s.SaveFeedback(e.ctx, tc.actor, e.c.publicID, tc.n.publicID, "Takk.")
		wantCode(t, tc.name+" saves", err, tc.code)
	}
	other := e.judging()
	_, err := e.s.Feedback(e.ctx, e.admin, other.publicID, e.horten.publicID)
	wantCode(t, "another cycle's nomination", err, awards.ENotFound)
	e.exec(`UPDATE cycles SET phase = 'published' WHERE id = ?`, e.c.id)
	_, err = e.s.SaveFeedback(e.ctx, e.chair, "", e.horten.publicID, "For seint.")
	wantIs(t, "published", err, deciding.ErrClosed)
}
