package publication_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/publication"
)

// TestResultsFor walks the world's cycle through its announcements and
// reads every nomination's result as a list does (ResultsFor) and as
// one nomination's page does (FeedbackFor): both give the same, by the
// same rule. Before the finalists nothing is known; at the finalists the
// winner-to-be is a finalist like the others, without statement or
// feedback; at the winners everyone's outcome, statement and feedback
// (none for Bærum, assessed without an outcome, and for Sola's draft).
func TestResultsFor(t *testing.T) {
	t.Parallel()
	w := newWorld(t, false)
	orgs := []string{"Asker", "Træna", "Horten", "Oppegård", "Bærum", "Sola"}
	var ids []string
	for _, org := range orgs {
		ids = append(ids, w.pub[org])
	}
	// known is each nomination's known outcome, statement and feedback,
	// "outcome|statement|feedback", by nominee.
	known := func(results map[string]publication.Result) map[string]string {
		out := map[string]string{}
		for _, org := range orgs {
			if r, ok := results[w.pub[org]]; ok {
				out[org] = r.Known() + "|" + r.Statement("nb") + "|" + r.Feedback
			}
		}
		return out
	}
	check := func(stage string, want map[string]string) {
		t.Helper()
		all, err := w.s.ResultsFor(w.ctx, w.actor("admin"), ids)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, known(all)); diff != "" {
			t.Errorf("%s: the admin's list (-want +got):\n%s", stage, diff)
		}
		one := map[string]publication.Result{}
		for _, org := range orgs {
			r, err := w.s.FeedbackFor(w.ctx, w.actor("admin"), w.pub[org])
			if err != nil {
				t.Fatal(err)
			}
			one[r.NominationID] = r
		}
		if diff := cmp.Diff(all, one); diff != "" {
			t.Errorf("%s: the list and the nominations' own results differ (-list +one by one):\n%s", stage, diff)
		}
		// A member sees their own nomination's result, and no other.
		mine, err := w.s.ResultsFor(w.ctx, w.actor("kari"), ids)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(map[string]string{"Asker": want["Asker"]}, known(mine)); diff != "" || len(mine) != 1 {
			t.Errorf("%s: Asker's member's list (-want +got):\n%s", stage, diff)
		}
	}
	check("before any announcement", map[string]string{"Asker": "||", "Træna": "||", "Horten": "||", "Oppegård": "||", "Bærum": "||", "Sola": "||"})
	w.publishNow(publication.Finalists)
	check("after the finalists", map[string]string{"Asker": "finalist||", "Træna": "finalist||", "Horten": "finalist||",
		"Oppegård": "||", "Bærum": "||", "Sola": "||"})
	w.publishNow(publication.Winners)
	check("after the winners", map[string]string{"Asker": "winner|" + askerStatementNB + "|" + askerFeedback,
		"Træna": "finalist||Tilbakemelding til Træna.", "Horten": "finalist||Tilbakemelding til Horten.",
		"Oppegård": "honourable_mention|" + oppegardStatement + "|", "Bærum": "none||Tilbakemelding til Bærum.", "Sola": "none||"})

	for _, tt := range []struct {
		who string
		ids []string
	}{{"anonymous", ids}, {"admin", nil}, {"admin", []string{"nosuchnomination"}}, {"siv", ids[:5]}} {
		if got, err := w.s.ResultsFor(w.ctx, w.actor(tt.who), tt.ids); err != nil || len(got) != 0 {
			t.Errorf("%s asking about %v: %v %v, want none", tt.who, tt.ids, got, err)
		}
	}
}
