package matching

import (
	"errors"
	"math/rand/v2"
	"testing"
)

// This file checks exactness against methods that share no code with the
// solver's flow: brute-force enumeration on small instances, and an
// independent max-flow with load bounds on medium ones.

// randomSmall builds a small instance with uneven conflict rates per juror
// (so that perfectly even loads are often impossible), a few manual cells,
// few counties and sometimes a Previous assignment.
func randomSmall(rng *rand.Rand, maxN, maxJ, maxK int) Problem {
	n, m := 1+rng.IntN(maxN), 1+rng.IntN(maxJ)
	p := Problem{K: 1 + rng.IntN(min(maxK, m)), Conflicts: map[Pair]bool{}, Fixed: map[Pair]bool{}}
	for i := range n {
		c := ""
		if rng.IntN(4) > 0 {
			c = counties[rng.IntN(3)]
		}
		p.Nominations = append(p.Nominations, Nomination{ID: int64(100 + i), County: c})
	}
	for j := range m {
		c := ""
		if rng.IntN(5) > 0 {
			c = counties[rng.IntN(3)]
		}
		p.Jurors = append(p.Jurors, Juror{ID: int64(1 + j), County: c})
	}
	for _, u := range p.Jurors {
		rate := [...]float64{0, 0.1, 0.3, 0.7}[rng.IntN(4)]
		for _, nm := range p.Nominations {
			pr := Pair{Juror: u.ID, Nomination: nm.ID}
			switch x := rng.Float64(); {
			case x < rate:
				p.Conflicts[pr] = true
			case x < rate+0.06:
				p.Fixed[pr] = rng.IntN(2) == 0
			}
		}
	}
	p.SpreadCounties = rng.IntN(2) == 0
	if rng.IntN(3) == 0 {
		p.Previous = map[Pair]bool{}
		for _, nm := range p.Nominations {
			for _, u := range p.Jurors {
				if rng.IntN(m) < p.K {
					p.Previous[Pair{Juror: u.ID, Nomination: nm.ID}] = true
				}
			}
		}
	}
	return p
}

// solveChecked solves p and checks the result's invariants (check); ok
// is false when p is infeasible, which random instances may be. It also
// returns p's instance, for the brute-force comparisons.
func solveChecked(t *testing.T, p Problem) (*instance, Result, bool) {
	t.Helper()
	in, err := newInstance(p)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Solve(p)
	var ie *InfeasibleError
	if errors.As(err, &ie) {
		return in, r, false
	}
	if err != nil {
		t.Fatal(err)
	}
	check(t, p, r)
	return in, r, true
}

// eachAssignment calls visit with every feasible assignment of in (as
// chosen[i*J+j]; visit must not keep it), or returns false without calling
// it when there are more than limit.
func eachAssignment(in *instance, limit int, visit func(chosen []bool)) bool {
	N, J, K := len(in.noms), len(in.jurs), in.p.K
	// Candidate juror sets per nomination.
	options := make([][][]int, N)
	total := 1
	for i := range N {
		var fixed, free []int
		for j := range J {
			switch st := in.state[i*J+j]; {
			case st&stFixedIn != 0:
				fixed = append(fixed, j)
			case st == 0:
				free = append(free, j)
			}
		}
		var rec func(start int, cur []int)
		rec = func(start int, cur []int) {
			if len(cur) == K {
				options[i] = append(options[i], append([]int(nil), cur...))
				return
			}
			for k := start; k < len(free); k++ {
				rec(k+1, append(cur, free[k]))
			}
		}
		rec(0, fixed)
		total *= len(options[i])
		if total > limit || total == 0 {
			return false
		}
	}
	chosen := make([]bool, N*J)
	var walk func(i int)
	walk = func(i int) {
		if i == N {
			visit(chosen)
			return
		}
		for _, opt := range options[i] {
			for _, j := range opt {
				chosen[i*J+j] = true
			}
			walk(i + 1)
			for _, j := range opt {
				chosen[i*J+j] = false
			}
		}
	}
	walk(0)
	return true
}

// bruteForce enumerates every feasible assignment and returns the minimum
// Cost, the minimum max−min, the minimum MaxLoad and the maximum MinLoad. It
// reports ok = false if there are too many assignments.
func bruteForce(in *instance, limit int) (bestCost int64, bestSpread, bestMax, bestMin int, ok bool) {
	w, err := in.weights()
	if err != nil {
		panic(err)
	}
	bestCost, bestSpread, bestMax, bestMin = -1, 1<<30, 1<<30, -1
	ok = eachAssignment(in, limit, func(chosen []bool) {
		r := in.result(chosen, w)
		if bestCost < 0 || r.Cost < bestCost {
			bestCost = r.Cost
		}
		bestSpread = min(bestSpread, r.MaxLoad-r.MinLoad)
		bestMax = min(bestMax, r.MaxLoad)
		bestMin = max(bestMin, r.MinLoad)
	})
	return bestCost, bestSpread, bestMax, bestMin, ok
}

// TestBruteForce compares the solver with exhaustive enumeration: the
// combined objective (balance, then spreading, then stability) must equal
// the true minimum, and max−min, MaxLoad and MinLoad must be the best
// achievable.
func TestBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(42, 1))
	checked, uneven := 0, 0
	for it := 0; checked < 400 && it < 5000; it++ {
		p := randomSmall(rng, 5, 5, 3)
		in, r, ok := solveChecked(t, p)
		if !ok {
			continue
		}
		cost, spread, bestMax, bestMin, ok := bruteForce(in, 20000)
		if !ok {
			continue
		}
		checked++
		if spread > 1 {
			uneven++
		}
		if r.Cost != cost {
			t.Fatalf("instance %d: cost %d, brute force %d\n%+v\n%+v", it, r.Cost, cost, p, r)
		}
		if r.MaxLoad-r.MinLoad != spread || r.MaxLoad != bestMax || r.MinLoad != bestMin {
			t.Fatalf("instance %d: loads %d..%d, brute force best max %d, best min %d, best spread %d",
				it, r.MinLoad, r.MaxLoad, bestMax, bestMin, spread)
		}
	}
	t.Logf("%d instances matched brute force (%d where max−min ≤ 1 is impossible)", checked, uneven)
	if checked < 400 {
		t.Errorf("only %d instances checked", checked)
	}
}

// boundedFeasible reports whether an assignment exists in which every
// juror's load lies in [lo, hi], by a feasible-circulation check on a
// separate, plain max-flow (arcs with lower bounds).
func boundedFeasible(in *instance, lo, hi int) bool {
	N, J, K := len(in.noms), len(in.jurs), in.p.K
	// nodes: 0 s, 1 t, 2.. noms, then jurors, then S', T'.
	nom := func(i int) int { return 2 + i }
	jur := func(j int) int { return 2 + N + j }
	S, T := 2+N+J, 3+N+J
	f := newPlainFlow(4 + N + J)
	excess := make([]int, 4+N+J)
	bounded := func(u, v, l, c int) {
		f.add(u, v, c-l)
		excess[v] += l
		excess[u] -= l
	}
	base := make([]int, J)
	for i := range N {
		fixed := 0
		for j := range J {
			switch st := in.state[i*J+j]; {
			case st&stFixedIn != 0:
				fixed++
				base[j]++
			case st == 0:
				f.add(nom(i), jur(j), 1)
			}
		}
		bounded(0, nom(i), K-fixed, K-fixed)
	}
	for j := range J {
		if base[j] > hi {
			return false
		}
		bounded(jur(j), 1, max(lo-base[j], 0), hi-base[j])
	}
	f.add(1, 0, N*K)
	want := 0
	for v, e := range excess {
		if e > 0 {
			f.add(S, v, e)
			want += e
		} else if e < 0 {
			f.add(v, T, -e)
		}
	}
	return f.maxFlow(S, T) == want
}

// TestBalanceAgainstLoadBounds checks the central claim on medium random
// instances: the solver's MaxLoad is the smallest maximum any assignment can
// have and its MinLoad the largest minimum, both computed independently by
// bounded max-flow. Hence max−min ≤ 1 whenever that is achievable.
func TestBalanceAgainstLoadBounds(t *testing.T) {
	rng := rand.New(rand.NewPCG(2024, 9))
	checked, uneven := 0, 0
	for it := 0; checked < 150; it++ {
		p := randomSmall(rng, 40, 12, 4)
		in, r, ok := solveChecked(t, p)
		if !ok {
			continue
		}
		checked++
		N := len(in.noms)
		minMax := 0
		for !boundedFeasible(in, 0, minMax) {
			minMax++
		}
		maxMin := N
		for !boundedFeasible(in, maxMin, N) {
			maxMin--
		}
		if r.MaxLoad != minMax || r.MinLoad != maxMin {
			t.Fatalf("instance %d: loads %d..%d, but best possible max is %d and best possible min %d",
				it, r.MinLoad, r.MaxLoad, minMax, maxMin)
		}
		if minMax-maxMin > 1 {
			uneven++
		}
	}
	t.Logf("%d instances optimal (%d where conflicts or manual cells rule out max−min ≤ 1)", checked, uneven)
}

// plainFlow is a textbook augmenting-path max-flow, independent of the
// solver's network code.
type plainFlow struct {
	adj  [][]int
	to   []int
	cap  []int
	seen []bool
}

func newPlainFlow(n int) *plainFlow {
	return &plainFlow{adj: make([][]int, n), seen: make([]bool, n)}
}

func (f *plainFlow) add(u, v, c int) {
	f.adj[u] = append(f.adj[u], len(f.to))
	f.to, f.cap = append(f.to, v), append(f.cap, c)
	f.adj[v] = append(f.adj[v], len(f.to))
	f.to, f.cap = append(f.to, u), append(f.cap, 0)
}

func (f *plainFlow) augment(u, t int) bool {
	if u == t {
		return true
	}
	f.seen[u] = true
	for _, e := range f.adj[u] {
		if v := f.to[e]; f.cap[e] > 0 && !f.seen[v] && f.augment(v, t) {
			f.cap[e]--
			f.cap[e^1]++
			return true
		}
	}
	return false
}

func (f *plainFlow) maxFlow(s, t int) int {
	total := 0
	for {
		clear(f.seen)
		if !f.augment(s, t) {
			return total
		}
		total++
	}
}
