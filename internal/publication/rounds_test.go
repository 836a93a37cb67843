package publication_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/deciding"
	"github.com/heder-awards/heder/internal/pgtest"
	"github.com/heder-awards/heder/internal/publication"
)

// TestShortlistEmbargo: a cycle judged in three rounds. The nominations
// the chair advances into the final are the shortlist, recorded as
// finalists: public only from the finalists' announcement's instant, not
// before. Nothing of the earlier rounds is ever public: neither who went
// on from the screening nor any reason the chair gave.
func TestShortlistEmbargo(t *testing.T) {
	t.Parallel()
	seed := pgtest.NewSeed(t)
	ctx, db := seed.Ctx, seed.DB
	admin := seed.Person("admin", true)
	chair := seed.Person("Jorunn Juryleder", false)
	kari := seed.Person("kari", false)
	orgs := seed.Municipalities("Asker", "Bærum", "Horten", "Træna")
	seed.Member(kari.User.ID, orgs["Horten"])
	award := seed.Award("kommunal-innovasjonspris", "Kommunal innovasjonspris")
	c := seed.Cycle(pgtest.CycleSpec{Award: award, Year: 2031, Phase: "judging",
		Criteria: []pgtest.Criterion{{Name: "Nytt", Min: 1, Max: 5}}})
	r1 := seed.Round(c.ID, 1, "Grovsortering", "scores")
	r2 := seed.Round(c.ID, 2, "Kortliste", "scores")
	seed.Round(c.ID, 3, "Finale", "scores")
	seed.Seat(c.ID, chair.User.ID, true, true)
	chair = seed.Actor(chair.User.ID)
	noms := map[string]pgtest.Nomination{}
	for _, org := range []string{"Asker", "Bærum", "Horten", "Træna"} {
		noms[org] = seed.Nomination(pgtest.NominationSpec{Cycle: c.ID, Org: orgs[org], Title: "Innovasjon i " + org, Status: "submitted"})
	}
	public := func() []string {
		t.Helper()
		var out []string
		if err := db.NewRaw(`SELECT o.name || ':' || coalesce(pn.outcome, '') FROM public_nominations pn
			JOIN nomination_organisations x ON x.nomination_id = pn.nomination_id JOIN organisations o ON o.id = x.organisation_id
			WHERE pn.cycle_id = ? ORDER BY 1`, c.ID).Scan(ctx, &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	// leaks finds a reason the chair gave in what the public views hold.
	leaks := func() bool {
		t.Helper()
		var text string
		if err := db.NewRaw(`SELECT coalesce((SELECT string_agg(to_jsonb(p)::text, ' ') FROM public_nominations p), '') ||
			coalesce((SELECT string_agg(to_jsonb(p)::text, ' ') FROM published_outcomes p), '')`).Scan(ctx, &text); err != nil {
			t.Fatal(err)
		}
		return strings.Contains(text, "Grunn:")
	}
	d := deciding.NewService(db)
	advance := func(round int64, orgs ...string) {
		t.Helper()
		in := deciding.AdvanceInput{RoundID: round}
		for _, org := range orgs {
			in.Nominations = append(in.Nominations, deciding.AdvanceItem{NominationID: noms[org].PublicID, Reason: "Grunn: " + org + " er sterk"})
		}
		if _, err := d.Advance(ctx, chair, c.PublicID, in); err != nil {
			t.Fatalf("advance out of round %d: %v", round, err)
		}
	}

	advance(r1, "Asker", "Bærum", "Horten")
	advance(r2, "Asker", "Bærum")
	if got := public(); len(got) != 0 || leaks() {
		t.Fatalf("public before any announcement: %v", got)
	}
	var finalists int
	if err := db.NewRaw(`SELECT count(*) FROM decisions WHERE cycle_id = ? AND outcome = 'finalist'`, c.ID).Scan(ctx, &finalists); err != nil || finalists != 2 {
		t.Fatalf("%d finalists recorded (%v), want the shortlist's 2", finalists, err)
	}

	s := publication.NewService(db)
	var now time.Time
	if err := db.NewRaw(`SELECT now()`).Scan(ctx, &now); err != nil {
		t.Fatal(err)
	}
	at := now.Add(48 * time.Hour)
	a, _, err := s.Schedule(ctx, admin, c.PublicID, publication.Input{Kind: publication.Finalists, PublishAt: &at})
	if err != nil {
		t.Fatal(err)
	}
	if got := public(); len(got) != 0 || leaks() {
		t.Fatalf("public before the finalists' instant: %v", got)
	}
	if res, err := s.ResultsFor(ctx, kari, []string{noms["Horten"].PublicID}); err != nil || res[noms["Horten"].PublicID].Outcome != "" {
		t.Fatalf("Horten's submitter learns %+v (%v)", res, err)
	}

	// The instant comes.
	seed.Exec(`UPDATE announcements SET publish_at = now() - interval '1 second' WHERE id = ?`, a.ID)
	if d := cmp.Diff([]string{"Asker:finalist", "Bærum:finalist"}, public()); d != "" {
		t.Errorf("public after the finalists' instant (-want +got):\n%s", d)
	}
	if leaks() {
		t.Error("a reason for advancing is public")
	}
	// Horten went on from the screening but not into the final: its
	// submitters learn nothing of that, nor does anyone else.
	res, err := s.ResultsFor(ctx, kari, []string{noms["Horten"].PublicID})
	if err != nil || res[noms["Horten"].PublicID].Outcome != "" || res[noms["Horten"].PublicID].PublishedAt != nil {
		t.Errorf("Horten's submitter learns %+v (%v)", res, err)
	}
}
