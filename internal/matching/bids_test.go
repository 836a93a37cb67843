package matching

import (
	"errors"
	"math/rand/v2"
	"testing"
)

// addBids gives every free cell of p a random bid: each juror marks a
// share of the nominations eager and a share not wanted.
func addBids(rng *rand.Rand, p *Problem) {
	p.Bids = map[Pair]Bid{}
	for _, u := range p.Jurors {
		eager, notWanted := rng.Float64()*0.4, rng.Float64()*0.4
		for _, n := range p.Nominations {
			switch x := rng.Float64(); {
			case x < eager:
				p.Bids[Pair{Juror: u.ID, Nomination: n.ID}] = Eager
			case x < eager+notWanted:
				p.Bids[Pair{Juror: u.ID, Nomination: n.ID}] = NotWanted
			}
		}
	}
}

// objective is the solver's goal written out as a tuple, compared
// lexicographically, without any of the solver's weights.
type objective [5]int64

func objectiveOf(p Problem, r Result) objective {
	var o objective
	o[0] = r.SumSquares
	o[1] = int64(r.NotWantedAssigned)
	o[2] = -int64(r.EagerAssigned)
	if p.SpreadCounties {
		o[3] = int64(SameCountyPairWeight*r.SameCountyPairs + OwnCountyWeight*r.OwnCountyPairs)
	}
	o[4] = -int64(r.Kept)
	return o
}

func (o objective) less(x objective) bool {
	for k := range o {
		if o[k] != x[k] {
			return o[k] < x[k]
		}
	}
	return false
}

// countBids counts the assigned cells by bid, straight from the pairs.
func countBids(p Problem, r Result) (eager, notWanted int) {
	for _, pr := range r.Pairs {
		switch p.Bids[pr] {
		case Eager:
			eager++
		case NotWanted:
			notWanted++
		}
	}
	return eager, notWanted
}

// bruteBest enumerates every feasible assignment and returns the
// lexicographically best objective, or ok = false when there are too many.
func bruteBest(in *instance, limit int) (best objective, ok bool) {
	w, err := in.weights()
	if err != nil {
		panic(err)
	}
	found := false
	ok = eachAssignment(in, limit, func(chosen []bool) {
		if o := objectiveOf(in.p, in.result(chosen, w)); !found || o.less(best) {
			best, found = o, true
		}
	})
	return best, ok
}

// TestBidsBruteForce checks on small instances with bids, manual cells,
// conflicts, spreading and Previous that the solver's result is the
// lexicographic optimum written out as a tuple (balance, fewest not
// wanted, most eager, spreading, stability), found by enumeration.
func TestBidsBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 15))
	checked, withNotWanted := 0, 0
	for it := 0; checked < 400 && it < 8000; it++ {
		p := randomSmall(rng, 5, 5, 3)
		addBids(rng, &p)
		in, r, ok := solveChecked(t, p)
		if !ok {
			continue
		}
		if e, nw := countBids(p, r); e != r.EagerAssigned || nw != r.NotWantedAssigned {
			t.Fatalf("instance %d: EagerAssigned, NotWantedAssigned = %d, %d; counted %d, %d",
				it, r.EagerAssigned, r.NotWantedAssigned, e, nw)
		}
		best, ok := bruteBest(in, 20000)
		if !ok {
			continue
		}
		checked++
		if r.NotWantedAssigned > 0 {
			withNotWanted++
		}
		if got := objectiveOf(p, r); got != best {
			t.Fatalf("instance %d: objective %v, brute force %v\n%+v", it, got, best, p)
		}
	}
	t.Logf("%d instances matched brute force (%d assign a not-wanted cell)", checked, withNotWanted)
	if checked < 400 {
		t.Errorf("only %d instances checked", checked)
	}
}

// TestBidsKeepBalance checks on medium instances that bids never make the
// loads less even: Σ load², MaxLoad and MinLoad are those of the same
// problem without bids.
func TestBidsKeepBalance(t *testing.T) {
	rng := rand.New(rand.NewPCG(2026, 12))
	checked := 0
	for it := 0; checked < 150 && it < 1000; it++ {
		p := randomSmall(rng, 40, 12, 4)
		plain, err := Solve(p)
		if err != nil {
			continue
		}
		addBids(rng, &p)
		r := solveOK(t, p)
		checked++
		if r.SumSquares != plain.SumSquares || r.MaxLoad != plain.MaxLoad || r.MinLoad != plain.MinLoad {
			t.Fatalf("instance %d: with bids Σl² %d, loads %d..%d; without %d, %d..%d",
				it, r.SumSquares, r.MinLoad, r.MaxLoad, plain.SumSquares, plain.MinLoad, plain.MaxLoad)
		}
	}
	if checked < 150 {
		t.Errorf("only %d instances checked", checked)
	}
}

// TestNotWantedOnlyWhenForced checks that a not-wanted cell is assigned
// only when balance (or K) forces it: when the result has automatic
// not-wanted cells, forbidding every not-wanted cell makes the problem
// infeasible or the loads less even; when it has none, bids cost no
// balance.
func TestNotWantedOnlyWhenForced(t *testing.T) {
	rng := rand.New(rand.NewPCG(99, 4))
	forced := 0
	for it := range 300 {
		p := randomSmall(rng, 30, 10, 3)
		addBids(rng, &p)
		r, err := Solve(p)
		if err != nil {
			continue
		}
		check(t, p, r)
		auto := 0
		for _, pr := range r.Pairs {
			if p.Bids[pr] == NotWanted && !p.Fixed[pr] {
				auto++
			}
		}
		if auto == 0 {
			continue
		}
		forced++
		q := p
		q.Fixed = map[Pair]bool{}
		for pr, f := range p.Fixed {
			q.Fixed[pr] = f
		}
		for pr, b := range p.Bids {
			if _, manual := p.Fixed[pr]; b == NotWanted && !manual {
				q.Fixed[pr] = false
			}
		}
		s, err := Solve(q)
		if err == nil && s.SumSquares <= r.SumSquares {
			t.Fatalf("instance %d: %d not-wanted cells assigned, yet without them Σl² is %d ≤ %d",
				it, auto, s.SumSquares, r.SumSquares)
		}
	}
	t.Logf("%d instances where balance forced a not-wanted cell", forced)
	if forced == 0 {
		t.Error("no instance forced a not-wanted cell")
	}
}

// TestBidsTiny shows the tier on a case worked by hand: two jurors, two
// nominations, K = 1. Juror 1 is eager on A and does not want B; juror 2
// has no bids. Balance gives each juror one nomination, and the bids pick
// which: juror 1 gets A.
func TestBidsTiny(t *testing.T) {
	p := Problem{Nominations: noms(10, 20), Jurors: jurors(1, 2), K: 1,
		Bids: map[Pair]Bid{{1, 10}: Eager, {1, 20}: NotWanted}}
	r := solveOK(t, p)
	if len(r.Pairs) != 2 || r.Pairs[0] != (Pair{1, 10}) || r.Pairs[1] != (Pair{2, 20}) {
		t.Fatalf("pairs %v, want juror 1 on 10 and juror 2 on 20", r.Pairs)
	}
	if r.EagerAssigned != 1 || r.NotWantedAssigned != 0 {
		t.Fatalf("eager %d, not wanted %d", r.EagerAssigned, r.NotWantedAssigned)
	}
	// Juror 2 is conflicted with 20, although eager on it: conflicts
	// stay absolute, so juror 1 gets 20 against their bid, and balance
	// then gives 10 to juror 2, against juror 1's eager bid.
	p.Conflicts = map[Pair]bool{{2, 20}: true}
	p.Bids[Pair{2, 20}] = Eager
	r = solveOK(t, p)
	if r.Pairs[0] != (Pair{2, 10}) || r.Pairs[1] != (Pair{1, 20}) || r.NotWantedAssigned != 1 || r.EagerAssigned != 0 {
		t.Fatalf("pairs %v, eager %d, not wanted %d", r.Pairs, r.EagerAssigned, r.NotWantedAssigned)
	}
	// A bid of no known kind is refused.
	p.Bids[Pair{1, 10}] = Bid(9)
	if _, err := Solve(p); !errors.Is(err, ErrInvalid) {
		t.Fatalf("bad bid: %v", err)
	}
}
