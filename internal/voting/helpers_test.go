package voting_test

import (
	"context"
	"errors"
	"testing"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/pgtest"
	"github.com/heder-awards/heder/internal/voting"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// world is a cycle in judging whose current round, round 2, is a ranked
// vote between three finalists (of Asker, Træna and Bærum); Sandnes's
// nomination stayed in round 1. Kari chairs the jury, Ola and Per sit on
// it, all declared; Per steps aside from Asker's nomination.
type world struct {
	*pgtest.Seed
	t          *testing.T
	ctx        context.Context
	s          *voting.Service
	orgs       map[string]int64
	award      int64
	cycle      pgtest.Cycle
	round      int64
	noms       map[string]pgtest.Nomination
	kari, ola  *awards.Actor
	per, admin *awards.Actor
	seats      map[string]int64
}

func newWorld(t *testing.T) *world {
	t.Helper()
	seed := pgtest.NewSeed(t)
	w := &world{Seed: seed, t: t, ctx: seed.Ctx, s: voting.NewService(seed.DB), noms: map[string]pgtest.Nomination{},
		seats: map[string]int64{}}
	w.orgs = seed.Municipalities("Asker", "Træna", "Bærum", "Sandnes")
	w.award = seed.Award("kommunal-innovasjonspris", "Kommunal innovasjonspris")
	w.cycle = seed.Cycle(pgtest.CycleSpec{Award: w.award, Year: 2030, Phase: "judging", NominationDeadline: "now() - interval '30 days'",
		ScoringDeadline: "now() + interval '4 days'"})
	for _, org := range []string{"Asker", "Træna", "Bærum", "Sandnes"} {
		w.noms[org] = seed.Nomination(pgtest.NominationSpec{Cycle: w.cycle.ID, Org: w.orgs[org], OrgName: org,
			Title: "Innovasjon i " + org, Status: "submitted"})
	}
	w.kari, w.ola, w.per = seed.Person("Kari", false), seed.Person("Ola", false), seed.Person("Per", false)
	w.admin = seed.Person("Admin", true)
	w.seats["Kari"] = seed.Seat(w.cycle.ID, w.kari.User.ID, true, true)
	w.seats["Ola"] = seed.Seat(w.cycle.ID, w.ola.User.ID, false, true)
	w.seats["Per"] = seed.Seat(w.cycle.ID, w.per.User.ID, false, true)
	seed.Conflict(w.seats["Per"], w.orgs["Asker"], "other", "Tidligere ansatt")
	w.round = seed.VoteRound(w.cycle.ID, 2, "Finale")
	for _, org := range []string{"Asker", "Træna", "Bærum"} {
		seed.Advance(w.round, w.noms[org].ID, "Finalist")
	}
	return w
}

// pub is the public ID of org's nomination.
func (w *world) pub(org string) string { return w.noms[org].PublicID }

// ranks makes ranks of the named organisations' nominations.
func (w *world) ranks(pairs ...any) []voting.Rank {
	out := []voting.Rank{}
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, voting.Rank{Nomination: w.pub(pairs[i].(string)), Rank: pairs[i+1].(int)})
	}
	return out
}

func (w *world) count(query string, args ...any) int { w.t.Helper(); return int(w.ID(query, args...)) }

// stored is what the database holds of juror's ballot in the round: the
// ranks by organisation and whether it is submitted.
func (w *world) stored(juror int64) (map[string]int, bool) {
	w.t.Helper()
	var rows []struct {
		Org  string `bun:"org"`
		Rank int    `bun:"rank"`
	}
	if err := w.DB.NewRaw(`SELECT o.name AS org, b.rank FROM ballots b JOIN nomination_organisations no ON no.nomination_id = b.nomination_id
		JOIN organisations o ON o.id = no.organisation_id WHERE b.round_id = ? AND b.juror_id = ?`, w.round, juror).Scan(w.ctx, &rows); err != nil {
		w.t.Fatal(err)
	}
	out := map[string]int{}
	for _, r := range rows {
		out[r.Org] = r.Rank
	}
	return out, w.count(`SELECT count(*) FROM ballot_submissions WHERE round_id = ? AND juror_id = ?`, w.round, juror) == 1
}

// audits counts the audit entries of action about juror's seat.
func (w *world) audits(juror int64, action string) int {
	w.t.Helper()
	return w.count(`SELECT count(*) FROM audit_log WHERE entity = 'juror' AND entity_id = ? AND action = ?`, juror, action)
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := awards.ErrorCode(err); got != code || (code == "" && err != nil) {
		t.Fatalf("%s: error %v (code %q), want code %q", what, err, got, code)
	}
}

func wantIs(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("%s: error %v, want %v", what, err, target)
	}
}
