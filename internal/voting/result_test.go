package voting_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/pgtest"
	"github.com/heder-awards/heder/internal/schulze"
	"github.com/heder-awards/heder/internal/voting"
)

// TestResult: who sees the result, that it waits for every ballot or the
// deadline, and that Per's ballot abstains on Asker's nomination.
func TestResult(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	outsider := w.Person("Utenfor", false)

	_, err := w.s.Result(w.ctx, w.ola, w.round)
	wantIs(t, "a juror", err, voting.ErrNotChair)
	wantCode(t, "a juror", err, awards.EForbidden)
	_, err = w.s.Result(w.ctx, outsider, w.round)
	wantCode(t, "no seat", err, awards.ENotFound)
	_, err = w.s.Result(w.ctx, &awards.Actor{}, w.round)
	wantCode(t, "anonymous", err, awards.EUnauthenticated)
	scoresRound := w.ID(`SELECT id FROM rounds WHERE cycle_id = ? AND position = 1`, w.cycle.ID)
	_, err = w.s.Result(w.ctx, w.kari, scoresRound)
	wantIs(t, "a round of scores", err, voting.ErrNotRankedVote)

	// Two of three in: the count, not the result.
	if _, err := w.s.Submit(w.ctx, w.ola, w.round, w.ranks("Træna", 1, "Asker", 2, "Bærum", 3)); err != nil {
		t.Fatal(err)
	}
	// Per steps aside from Asker: he ranks the two others.
	if _, err := w.s.Submit(w.ctx, w.per, w.round, w.ranks("Bærum", 1, "Træna", 2)); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.Save(w.ctx, w.kari, w.round, w.ranks("Asker", 1)); err != nil {
		t.Fatal(err)
	}
	o, err := w.s.Result(w.ctx, w.kari, w.round)
	if err != nil {
		t.Fatal(err)
	}
	if o.Shown || o.Result != nil || o.Submitted != 2 || len(o.Voters) != 3 || len(o.Candidates) != 3 {
		t.Fatalf("two of three in: shown %v, result %v, %d of %d submitted, %d candidates", o.Shown, o.Result, o.Submitted, len(o.Voters), len(o.Candidates))
	}

	// The last ballot in: the count of all three, Per's without Asker.
	if _, err := w.s.Submit(w.ctx, w.kari, w.round, w.ranks("Asker", 1, "Træna", 2)); err != nil {
		t.Fatal(err)
	}
	o, err = w.s.Result(w.ctx, w.admin, w.round)
	if err != nil {
		t.Fatal(err)
	}
	if !o.Shown || o.Result == nil || o.Submitted != 3 {
		t.Fatalf("all in: shown %v, result %v, %d submitted", o.Shown, o.Result, o.Submitted)
	}
	a, b, tr := w.noms["Asker"].ID, w.noms["Bærum"].ID, w.noms["Træna"].ID
	want, err := schulze.ComputeAbstaining([]int64{a, b, tr},
		[]schulze.Ballot{{tr: 1, a: 2, b: 3}, {b: 1, tr: 2}, {a: 1, tr: 2}}, [][]int64{nil, {a}, nil})
	if err != nil {
		t.Fatal(err)
	}
	checkSame(t, want, *o.Result)
	// By hand: Asker over Bærum 2:0 (Per abstains), Asker and Træna 1:1,
	// Træna over Bærum 2:1.
	if diff := cmp.Diff([][]int{{0, 2, 1}, {0, 0, 1}, {1, 2, 0}}, o.Result.D); diff != "" {
		t.Errorf("D (-want +got):\n%s", diff)
	}
	if !o.Result.Tied || len(o.Result.Winners) != 2 {
		t.Errorf("Groups %v Winners %v: want Asker and Træna tied on top", o.Result.Groups, o.Result.Winners)
	}

	// Reopened, the ballot no longer counts; past the deadline the result
	// shows what is in.
	if err := w.s.Reopen(w.ctx, w.kari, w.round, w.seats["Ola"], "Feil plass"); err != nil {
		t.Fatal(err)
	}
	if o, err = w.s.Result(w.ctx, w.kari, w.round); err != nil || o.Shown {
		t.Fatalf("after reopening: shown %v (%v)", o.Shown, err)
	}
	w.Exec(`UPDATE rounds SET scoring_deadline = now() - interval '1 minute' WHERE id = ?`, w.round)
	if o, err = w.s.Result(w.ctx, w.kari, w.round); err != nil || !o.Shown || !o.Round.Over || o.Submitted != 2 {
		t.Fatalf("past the deadline: shown %v over %v, %d submitted (%v)", o.Shown, o.Round.Over, o.Submitted, err)
	}
	if o.Result.D[0][1] != 1 {
		t.Errorf("past the deadline: Asker over Bærum %d, want 1 (Kari's ballot only)", o.Result.D[0][1])
	}
}

// TestResultWikipedia: 45 jurors vote Wikipedia's example of the Schulze
// method through the service; the count read back from the database is
// schulze.Compute's on the same ballots, E > A > C > B > D.
func TestResultWikipedia(t *testing.T) {
	t.Parallel()
	s := pgtest.NewSeed(t)
	svc := voting.NewService(s.DB)
	award := s.Award("wikipedia", "Wikipedia-prisen")
	cycle := s.Cycle(pgtest.CycleSpec{Award: award, Year: 2030, Phase: "judging"})
	org := s.Organisation("municipality", "Utsira", "")
	ids := map[rune]int64{}
	pub := map[rune]string{}
	for _, c := range "ABCDE" {
		n := s.Nomination(pgtest.NominationSpec{Cycle: cycle.ID, Org: org, Title: string(c), Status: "submitted"})
		ids[c], pub[c] = n.ID, n.PublicID
	}
	round := s.VoteRound(cycle.ID, 2, "Finale")
	for _, c := range "ABCDE" {
		s.Advance(round, ids[c], "Finalist")
	}
	profile := []string{"5 ACBED", "5 ADECB", "8 BEDAC", "3 CABED", "7 CAEBD", "2 CBADE", "7 DCEBA", "8 EBADC"}
	var ballots []schulze.Ballot
	voters := 0
	for _, line := range profile {
		var n int
		var order string
		if _, err := fmt.Sscanf(line, "%d %s", &n, &order); err != nil {
			t.Fatal(err)
		}
		for range n {
			voters++
			juror := s.Person(fmt.Sprintf("Jurymedlem %02d", voters), false)
			s.Seat(cycle.ID, juror.User.ID, voters == 1, true)
			var ranks []voting.Rank
			ballot := schulze.Ballot{}
			for k, c := range order {
				ranks = append(ranks, voting.Rank{Nomination: pub[c], Rank: k + 1})
				ballot[ids[c]] = k + 1
			}
			if _, err := svc.Submit(s.Ctx, juror, round, ranks); err != nil {
				t.Fatalf("juror %d: %v", voters, err)
			}
			ballots = append(ballots, ballot)
		}
	}
	admin := s.Person("Admin", true)
	o, err := svc.Result(s.Ctx, admin, round)
	if err != nil {
		t.Fatal(err)
	}
	if !o.Shown || o.Submitted != 45 || len(o.Voters) != 45 {
		t.Fatalf("shown %v, %d of %d submitted", o.Shown, o.Submitted, len(o.Voters))
	}
	want, err := schulze.Compute([]int64{ids['A'], ids['B'], ids['C'], ids['D'], ids['E']}, ballots)
	if err != nil {
		t.Fatal(err)
	}
	checkSame(t, want, *o.Result)
	var order []string
	for _, g := range o.Result.Groups {
		order = append(order, o.Candidate(g[0]).Title)
	}
	if got := strings.Join(order, " > "); got != "E > A > C > B > D" {
		t.Errorf("order %s, want E > A > C > B > D", got)
	}
}

// checkSame compares two counts in everything they show.
func checkSame(t *testing.T, want, got schulze.Result) {
	t.Helper()
	if diff := cmp.Diff(want, got, cmpopts.IgnoreUnexported(schulze.Result{}), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("count through the database differs from schulze's (-want +got):\n%s", diff)
	}
}
