package matching

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// check verifies the hard constraints of r against p and that the reported
// statistics match the pairs.
func check(t *testing.T, p Problem, r Result) {
	t.Helper()
	jur := map[int64]Juror{}
	for _, u := range p.Jurors {
		jur[u.ID] = u
	}
	per := map[int64][]int64{}
	loads := map[int64]int{}
	for k, pr := range r.Pairs {
		if k > 0 {
			q := r.Pairs[k-1]
			if q.Nomination > pr.Nomination || (q.Nomination == pr.Nomination && q.Juror >= pr.Juror) {
				t.Fatalf("pairs not sorted/unique at %d: %v then %v", k, q, pr)
			}
		}
		if p.Conflicts[pr] {
			t.Fatalf("conflicted cell assigned: %+v", pr)
		}
		if f, ok := p.Fixed[pr]; ok && !f {
			t.Fatalf("manually excluded cell assigned: %+v", pr)
		}
		if _, ok := jur[pr.Juror]; !ok {
			t.Fatalf("unknown juror in %+v", pr)
		}
		per[pr.Nomination] = append(per[pr.Nomination], pr.Juror)
		loads[pr.Juror]++
	}
	for pr, f := range p.Fixed {
		if f && !slices.Contains(per[pr.Nomination], pr.Juror) {
			t.Fatalf("manual cell %+v not assigned", pr)
		}
	}
	for _, n := range p.Nominations {
		if got := len(per[n.ID]); got != p.K {
			t.Fatalf("nomination %d has %d jurors, want %d", n.ID, got, p.K)
		}
	}
	if len(r.Loads) != len(p.Jurors) {
		t.Fatalf("Loads has %d jurors, want %d", len(r.Loads), len(p.Jurors))
	}
	lo, hi := int(^uint(0)>>1), -1
	var sq int64
	for _, u := range p.Jurors {
		l := loads[u.ID]
		if r.Loads[u.ID] != l {
			t.Fatalf("Loads[%d] = %d, counted %d", u.ID, r.Loads[u.ID], l)
		}
		lo, hi = min(lo, l), max(hi, l)
		sq += int64(l * l)
	}
	if len(p.Jurors) > 0 && (r.MinLoad != lo || r.MaxLoad != hi) {
		t.Fatalf("MinLoad, MaxLoad = %d, %d; counted %d, %d", r.MinLoad, r.MaxLoad, lo, hi)
	}
	if r.SumSquares != sq {
		t.Fatalf("SumSquares = %d, counted %d", r.SumSquares, sq)
	}
	same, own := 0, 0
	for _, n := range p.Nominations {
		js := per[n.ID]
		for a, x := range js {
			cx := jur[x].County
			if cx != "" && cx == n.County {
				own++
			}
			for _, y := range js[a+1:] {
				if cx != "" && cx == jur[y].County {
					same++
				}
			}
		}
	}
	if r.SameCountyPairs != same || r.OwnCountyPairs != own {
		t.Fatalf("SameCountyPairs, OwnCountyPairs = %d, %d; counted %d, %d", r.SameCountyPairs, r.OwnCountyPairs, same, own)
	}
}

func solveOK(t *testing.T, p Problem) Result {
	t.Helper()
	r, err := Solve(p)
	if err != nil {
		t.Fatalf("Solve: %v", err)
	}
	check(t, p, r)
	return r
}

func noms(ids ...int64) []Nomination {
	var ns []Nomination
	for _, id := range ids {
		ns = append(ns, Nomination{ID: id})
	}
	return ns
}

func jurors(ids ...int64) []Juror {
	var js []Juror
	for _, id := range ids {
		js = append(js, Juror{ID: id})
	}
	return js
}

func TestTinyExact(t *testing.T) {
	tests := []struct {
		name string
		p    Problem
		want []Pair
		lo   int
		hi   int
	}{
		{
			name: "two by two, K=1",
			p:    Problem{Nominations: noms(10, 20), Jurors: jurors(1, 2), K: 1, Conflicts: map[Pair]bool{{1, 20}: true}},
			want: []Pair{{1, 10}, {2, 20}},
			lo:   1, hi: 1,
		},
		{
			// A cannot have juror 1 and C cannot have juror 2, so A = {2,3};
			// balance (2,2,2) forces juror 1 onto B and C, and C's second
			// juror must be 3, leaving B = {1,2}.
			name: "conflicts force a unique balanced answer",
			p: Problem{Nominations: noms(1, 2, 3), Jurors: jurors(1, 2, 3), K: 2,
				Conflicts: map[Pair]bool{{1, 1}: true, {2, 3}: true}},
			want: []Pair{{2, 1}, {3, 1}, {1, 2}, {2, 2}, {1, 3}, {3, 3}},
			lo:   2, hi: 2,
		},
		{
			// Juror 3 is conflicted with everything: the best spread is
			// 0 vs 2, not a failure.
			name: "unbalanceable",
			p: Problem{Nominations: noms(1, 2), Jurors: jurors(1, 2, 3), K: 2,
				Conflicts: map[Pair]bool{{3, 1}: true, {3, 2}: true}},
			want: []Pair{{1, 1}, {2, 1}, {1, 2}, {2, 2}},
			lo:   0, hi: 2,
		},
		{
			// Manual cell puts juror 1 on nomination 1; balance then puts
			// juror 2 on nomination 2.
			name: "fixed in",
			p: Problem{Nominations: noms(1, 2), Jurors: jurors(1, 2), K: 1,
				Fixed: map[Pair]bool{{1, 1}: true}},
			want: []Pair{{1, 1}, {2, 2}},
			lo:   1, hi: 1,
		},
		{
			name: "fixed out",
			p: Problem{Nominations: noms(1, 2), Jurors: jurors(1, 2), K: 1,
				Fixed: map[Pair]bool{{1, 1}: false}},
			want: []Pair{{2, 1}, {1, 2}},
			lo:   1, hi: 1,
		},
		{
			// Nominee from Agder. Juror 1 is from Agder (own county), 2 and 3
			// share Oslo, 4 is from Troms; 3 and 5 are conflicted. Every
			// 2-set has Σload² = 2, and {2,4} is the only one without a
			// penalty.
			name: "spreading",
			p: Problem{
				Nominations: []Nomination{{ID: 1, County: "Agder"}},
				Jurors: []Juror{{ID: 1, County: "Agder"}, {ID: 2, County: "Oslo"}, {ID: 3, County: "Oslo"},
					{ID: 4, County: "Troms"}, {ID: 5}},
				K:              2,
				Conflicts:      map[Pair]bool{{3, 1}: true, {5, 1}: true},
				SpreadCounties: true,
			},
			want: []Pair{{2, 1}, {4, 1}},
			lo:   0, hi: 1,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := solveOK(t, tc.p)
			if diff := cmp.Diff(tc.want, r.Pairs); diff != "" {
				t.Errorf("pairs (-want +got):\n%s", diff)
			}
			if r.MinLoad != tc.lo || r.MaxLoad != tc.hi {
				t.Errorf("loads %d..%d, want %d..%d", r.MinLoad, r.MaxLoad, tc.lo, tc.hi)
			}
		})
	}
}

func TestSpreadingAvoidsOwnAndSameCounty(t *testing.T) {
	// Four jurors, two each from Oslo and Agder; four nominees from Oslo.
	// K = 2 and balance needs load 2 each, so every nomination must get one
	// juror from each county: Oslo jurors unavoidably sit on Oslo nominees
	// (4 own-county cells), but no nomination needs a same-county pair.
	p := Problem{
		Nominations: []Nomination{{ID: 1, County: "Oslo"}, {ID: 2, County: "Oslo"}, {ID: 3, County: "Oslo"}, {ID: 4, County: "Oslo"}},
		Jurors:      []Juror{{ID: 1, County: "Oslo"}, {ID: 2, County: "Oslo"}, {ID: 3, County: "Agder"}, {ID: 4, County: "Agder"}},
		K:           2,
	}
	plain := solveOK(t, p)
	p.SpreadCounties = true
	spread := solveOK(t, p)
	if spread.SameCountyPairs != 0 || spread.OwnCountyPairs != 4 {
		t.Errorf("spread: same %d own %d, want 0 and 4", spread.SameCountyPairs, spread.OwnCountyPairs)
	}
	if plain.SameCountyPairs == 0 {
		t.Errorf("plain run already has no same-county pairs; test does not discriminate")
	}
	if spread.MaxLoad != 2 || spread.MinLoad != 2 {
		t.Errorf("spreading broke balance: %d..%d", spread.MinLoad, spread.MaxLoad)
	}
}

func TestSpreadingNeverHurtsBalanceAndReducesPenalty(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	var plainPen, spreadPen int
	for it := range 60 {
		p := genProblem(uint64(100+it), 5+rng.IntN(40), 3+rng.IntN(12), 1+rng.IntN(3), 0.3*rng.Float64())
		// Few counties, so collisions are common.
		for k := range p.Jurors {
			p.Jurors[k].County = counties[k%4]
		}
		for k := range p.Nominations {
			p.Nominations[k].County = counties[rng.IntN(5)]
		}
		plain, err := Solve(p)
		var ie *InfeasibleError
		if errors.As(err, &ie) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		check(t, p, plain)
		p.SpreadCounties = true
		spread := solveOK(t, p)
		if spread.SumSquares != plain.SumSquares || spread.MinLoad != plain.MinLoad || spread.MaxLoad != plain.MaxLoad {
			t.Fatalf("instance %d: spreading changed balance: Σ² %d→%d, loads %d..%d→%d..%d", it,
				plain.SumSquares, spread.SumSquares, plain.MinLoad, plain.MaxLoad, spread.MinLoad, spread.MaxLoad)
		}
		pp := SameCountyPairWeight*plain.SameCountyPairs + OwnCountyWeight*plain.OwnCountyPairs
		sp := SameCountyPairWeight*spread.SameCountyPairs + OwnCountyWeight*spread.OwnCountyPairs
		if sp > pp {
			t.Fatalf("instance %d: spreading increased the penalty %d→%d", it, pp, sp)
		}
		plainPen += pp
		spreadPen += sp
	}
	t.Logf("county penalty over all instances: %d without spreading, %d with", plainPen, spreadPen)
	if spreadPen >= plainPen {
		t.Errorf("spreading did not reduce the total penalty: %d vs %d", spreadPen, plainPen)
	}
}

func TestFixedCellsKeptOnRerun(t *testing.T) {
	p := genProblem(3, 60, 9, 3, 0.1)
	first := solveOK(t, p)
	assigned := first.Assigned()

	// The admin flips some cells in the matrix.
	p.Fixed = map[Pair]bool{}
	rng := rand.New(rand.NewPCG(3, 3))
	for len(p.Fixed) < 15 {
		n := p.Nominations[rng.IntN(len(p.Nominations))].ID
		u := p.Jurors[rng.IntN(len(p.Jurors))].ID
		pr := Pair{Juror: u, Nomination: n}
		if p.Conflicts[pr] {
			continue
		}
		if _, seen := p.Fixed[pr]; seen {
			continue
		}
		// Take an assigned cell out, or put an unassigned one in (at most
		// K manual cells per nomination).
		if assigned[pr] {
			p.Fixed[pr] = false
		} else {
			in := 0
			for q, f := range p.Fixed {
				if f && q.Nomination == n {
					in++
				}
			}
			if in < p.K {
				p.Fixed[pr] = true
			}
		}
	}
	p.Previous = assigned
	second := solveOK(t, p) // check verifies every manual cell
	t.Logf("kept %d of %d previous cells after %d manual changes", second.Kept, len(first.Pairs), len(p.Fixed))

	// Re-running with the same manual cells and the last result as Previous
	// reproduces it exactly.
	p.Previous = second.Assigned()
	third := solveOK(t, p)
	if diff := cmp.Diff(second.Pairs, third.Pairs); diff != "" {
		t.Errorf("re-run changed the assignment (-second +third):\n%s", diff)
	}
	if third.Kept != len(third.Pairs) {
		t.Errorf("Kept = %d, want %d", third.Kept, len(third.Pairs))
	}
}

func TestPreviousKeepsMostCells(t *testing.T) {
	// Without Previous, one manual change may reshuffle many cells; with it
	// the solver keeps every previous cell it can. The result must also be
	// exactly as balanced.
	p := genProblem(11, 200, 20, 3, 0.05)
	first := solveOK(t, p)
	p.Fixed = map[Pair]bool{first.Pairs[0]: false}
	without := solveOK(t, p)
	p.Previous = first.Assigned()
	with := solveOK(t, p)
	if with.SumSquares != without.SumSquares {
		t.Fatalf("Previous changed the balance: Σ² %d vs %d", with.SumSquares, without.SumSquares)
	}
	keptWithout := 0
	for _, pr := range without.Pairs {
		if p.Previous[pr] {
			keptWithout++
		}
	}
	t.Logf("one manual change: kept %d of %d cells with Previous, %d without", with.Kept, len(first.Pairs), keptWithout)
	if with.Kept < keptWithout {
		t.Errorf("Previous kept fewer cells (%d) than ignoring it (%d)", with.Kept, keptWithout)
	}
	// Moving one cell out of a balanced assignment needs at most a short
	// chain of changes; far more than that means Previous is not working.
	if lost := len(first.Pairs) - with.Kept; lost > 10 {
		t.Errorf("lost %d previous cells for one manual change", lost)
	}
}

func TestDeterministic(t *testing.T) {
	p := genProblem(5, 150, 15, 3, 0.1)
	p.SpreadCounties = true
	want := solveOK(t, p)
	rng := rand.New(rand.NewPCG(5, 5))
	for range 3 {
		q := p
		q.Nominations = slices.Clone(p.Nominations)
		q.Jurors = slices.Clone(p.Jurors)
		rng.Shuffle(len(q.Nominations), func(a, b int) { q.Nominations[a], q.Nominations[b] = q.Nominations[b], q.Nominations[a] })
		rng.Shuffle(len(q.Jurors), func(a, b int) { q.Jurors[a], q.Jurors[b] = q.Jurors[b], q.Jurors[a] })
		got := solveOK(t, q)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("result depends on input order (-want +got):\n%s", diff)
		}
	}
}

func TestInfeasible(t *testing.T) {
	js := []Juror{{ID: 1, Name: "Kari"}, {ID: 2, Name: "Ola"}, {ID: 3, Name: "Per"}, {ID: 4}}
	t.Run("K exceeds jurors", func(t *testing.T) {
		_, err := Solve(Problem{Nominations: noms(1), Jurors: js, K: 5})
		var ie *InfeasibleError
		if !errors.As(err, &ie) || !ie.TooFewJurors || ie.Jurors != 4 {
			t.Fatalf("err = %#v", err)
		}
		if want := "there are only 4 jurors"; !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	})
	t.Run("per nomination", func(t *testing.T) {
		p := Problem{
			Nominations: []Nomination{{ID: 17, Name: "Bergen"}, {ID: 18}, {ID: 19}, {ID: 20}},
			Jurors:      js,
			K:           3,
			Conflicts: map[Pair]bool{
				{1, 17}: true, {2, 17}: true, // 17: only Per and juror 4 left
				{1, 18}: true, // 18: fine (3 left)
				{4, 20}: true, // 20: manual cell on a conflict
			},
			Fixed: map[Pair]bool{
				{3, 19}: true, {1, 19}: true, {2, 19}: true, {4, 19}: true, // 19: 4 manual > K
				{4, 20}: true,
			},
		}
		_, err := Solve(p)
		var ie *InfeasibleError
		if !errors.As(err, &ie) {
			t.Fatalf("err = %v, want *InfeasibleError", err)
		}
		want := []NominationIssue{
			{Nomination: 17, Available: 2, Conflicted: []int64{1, 2},
				Reason: "nomination 17 (Bergen): only 2 of 4 jurors can be assigned (Kari and Ola are conflicted)"},
			{Nomination: 19, Available: 4, Fixed: []int64{1, 2, 3, 4},
				Reason: "nomination 19: 4 jurors are manually assigned but K = 3 (Kari, Ola, Per and juror 4)"},
			{Nomination: 20, Available: 4, Fixed: []int64{4}, FixedConflicts: []int64{4},
				Reason: "nomination 20: juror 4 is manually assigned despite a conflict"},
		}
		if diff := cmp.Diff(want, ie.Nominations); diff != "" {
			t.Errorf("issues (-want +got):\n%s", diff)
		}
		if !strings.Contains(err.Error(), want[0].Reason) {
			t.Errorf("message %q lacks %q", err, want[0].Reason)
		}
	})
	t.Run("manual exclusions", func(t *testing.T) {
		p := Problem{Nominations: noms(1), Jurors: js, K: 3,
			Conflicts: map[Pair]bool{{1, 1}: true},
			Fixed:     map[Pair]bool{{2, 1}: false, {1, 1}: false}}
		_, err := Solve(p)
		var ie *InfeasibleError
		if !errors.As(err, &ie) || len(ie.Nominations) != 1 {
			t.Fatalf("err = %v", err)
		}
		want := "nomination 1: only 2 of 4 jurors can be assigned (Kari is conflicted; Ola is manually excluded)"
		if got := ie.Nominations[0].Reason; got != want {
			t.Errorf("reason %q, want %q", got, want)
		}
	})
	t.Run("message is bounded", func(t *testing.T) {
		p := Problem{Nominations: noms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12), Jurors: js[:2], K: 2,
			Conflicts: map[Pair]bool{}}
		for _, n := range p.Nominations {
			p.Conflicts[Pair{1, n.ID}] = true
		}
		_, err := Solve(p)
		var ie *InfeasibleError
		if !errors.As(err, &ie) || len(ie.Nominations) != 12 {
			t.Fatalf("err = %v", err)
		}
		if !strings.HasSuffix(err.Error(), "; and 2 more nominations") {
			t.Errorf("message %q", err)
		}
	})
}

func TestInvalid(t *testing.T) {
	for name, p := range map[string]Problem{
		"K zero":          {Nominations: noms(1), Jurors: jurors(1), K: 0},
		"duplicate juror": {Nominations: noms(1), Jurors: jurors(1, 1), K: 1},
		"duplicate nom":   {Nominations: noms(1, 1), Jurors: jurors(1), K: 1},
		"unknown fixed":   {Nominations: noms(1), Jurors: jurors(1), K: 1, Fixed: map[Pair]bool{{2, 1}: true}},
	} {
		if _, err := Solve(p); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
	// Conflicts and Previous may mention unknown IDs.
	solveOK(t, Problem{Nominations: noms(1), Jurors: jurors(1), K: 1,
		Conflicts: map[Pair]bool{{9, 9}: true}, Previous: map[Pair]bool{{9, 1}: true}})
	// No nominations: nothing to do.
	r := solveOK(t, Problem{Jurors: jurors(1, 2), K: 3})
	if len(r.Pairs) != 0 || r.Loads[1] != 0 {
		t.Errorf("empty problem gave %+v", r)
	}
}
