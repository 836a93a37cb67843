package schulze

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// randomVote is a small vote with many ties: 1–6 candidates with scattered
// IDs, 0–12 ballots, each candidate unranked with probability 1/4, else
// given a rank of 1–n (so equal ranks are common).
func randomVote(rng *rand.Rand) ([]int64, []Ballot) {
	n := 1 + rng.IntN(6)
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = int64(100*(n-i)) + rng.Int64N(100) // not sorted, all distinct
	}
	ballots := make([]Ballot, rng.IntN(13))
	for b := range ballots {
		ballots[b] = Ballot{}
		for _, id := range ids {
			if rng.IntN(4) > 0 {
				ballots[b][id] = 1 + rng.IntN(n)
			}
		}
	}
	return ids, ballots
}

// bruteD counts the pairwise preferences straight from the definition.
func bruteD(ids []int64, ballots []Ballot) [][]int {
	d := square(len(ids))
	for _, b := range ballots {
		for i, x := range ids {
			for j, y := range ids {
				rx, okx := b[x]
				ry, oky := b[y]
				if okx && (!oky || rx < ry) {
					d[i][j]++
				}
			}
		}
	}
	return d
}

// bruteP tries every simple path: p[i][j] is the best over them of the
// weakest link, 0 when there is no path.
func bruteP(d [][]int) [][]int {
	n := len(d)
	p := square(n)
	seen := make([]bool, n)
	var walk func(start, at, weakest int)
	walk = func(start, at, weakest int) {
		seen[at] = true
		for next := range n {
			if seen[next] || d[at][next] <= d[next][at] {
				continue
			}
			w := min(weakest, d[at][next])
			p[start][next] = max(p[start][next], w)
			walk(start, next, w)
		}
		seen[at] = false
	}
	for s := range n {
		walk(s, s, int(^uint(0)>>1))
	}
	return p
}

// checkPaths checks Path for every ordered pair: a chain of links from the
// first candidate to the second, no candidate twice, its weakest link equal
// to P; nil exactly when P is 0.
func checkPaths(t *testing.T, r Result) {
	t.Helper()
	pos := map[int64]int{}
	for i, c := range r.Candidates {
		pos[c] = i
	}
	for i, x := range r.Candidates {
		for j, y := range r.Candidates {
			path := r.Path(x, y)
			if i == j || r.P[i][j] == 0 {
				if path != nil {
					t.Errorf("Path(%d, %d) = %v, want nil", x, y, path)
				}
				continue
			}
			if len(path) < 2 || path[0] != x || path[len(path)-1] != y {
				t.Errorf("Path(%d, %d) = %v: wrong ends", x, y, path)
				continue
			}
			weakest := int(^uint(0) >> 1)
			for k := 1; k < len(path); k++ {
				a, b := pos[path[k-1]], pos[path[k]]
				if r.D[a][b] <= r.D[b][a] {
					t.Errorf("Path(%d, %d) = %v: no link %d→%d", x, y, path, path[k-1], path[k])
				}
				weakest = min(weakest, r.D[a][b])
			}
			if weakest != r.P[i][j] {
				t.Errorf("Path(%d, %d) = %v has strength %d, P = %d", x, y, path, weakest, r.P[i][j])
			}
			if s := slices.Clone(path); len(slices.Compact(slices.Sorted(slices.Values(s)))) != len(path) {
				t.Errorf("Path(%d, %d) = %v repeats a candidate", x, y, path)
			}
		}
	}
}

// TestRandomVotes checks on random small votes, against brute force, that
// D and P follow their definitions, that Groups is the finest order that P
// supports, that Winners are exactly the potential winners, that a
// Condorcet winner wins alone, and that Steps and Path explain correctly.
func TestRandomVotes(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 2026))
	var condorcet, tiedTop, mixedGroups int
	for range 4000 {
		ids, ballots := randomVote(rng)
		r, err := Compute(ids, ballots)
		if err != nil {
			t.Fatal(err)
		}
		fail := func(format string, args ...any) {
			t.Helper()
			t.Fatalf("candidates %v ballots %v\nD %v\nP %v\nGroups %v: "+format,
				append([]any{ids, ballots, r.D, r.P, r.Groups}, args...)...)
		}
		n := len(ids)
		if !slices.Equal(r.Candidates, ids) {
			fail("Candidates %v", r.Candidates)
		}
		d := bruteD(ids, ballots)
		if !slices.EqualFunc(d, r.D, slices.Equal) {
			fail("brute-force D %v", d)
		}
		if p := bruteP(d); !slices.EqualFunc(p, r.P, slices.Equal) {
			fail("brute-force P %v", p)
		}
		pos := map[int64]int{}
		for i, c := range ids {
			pos[c] = i
		}
		beats := func(x, y int64) bool { return r.P[pos[x]][pos[y]] > r.P[pos[y]][pos[x]] }

		// Groups partition the candidates; every member of a group beats
		// every member of each later group.
		var all []int64
		tied := false
		for g, group := range r.Groups {
			if len(group) == 0 {
				fail("empty group %d", g)
			}
			tied = tied || len(group) > 1
			for _, x := range group {
				for _, later := range r.Groups[g+1:] {
					for _, y := range later {
						if !beats(x, y) {
							fail("%d is before %d but P %d:%d", x, y, r.P[pos[x]][pos[y]], r.P[pos[y]][pos[x]])
						}
					}
				}
			}
			all = append(all, group...)
		}
		if len(all) != n || len(slices.Compact(slices.Sorted(slices.Values(all)))) != n {
			fail("groups do not partition the candidates")
		}
		if tied != r.Tied {
			fail("Tied = %v", r.Tied)
		}
		// No group can be split: the ties within a group connect all its
		// members (a group of pairwise-tied candidates is the usual case;
		// otherwise count it, to be sure the test meets such groups).
		for _, group := range r.Groups {
			reached := []int64{group[0]}
			for k := 0; k < len(reached); k++ {
				for _, y := range group {
					if !slices.Contains(reached, y) && !beats(reached[k], y) && !beats(y, reached[k]) {
						reached = append(reached, y)
					}
				}
			}
			if len(reached) != len(group) {
				fail("group %v is not connected by ties", group)
			}
			for k, x := range group {
				for _, y := range group[:k] {
					if beats(x, y) {
						fail("%d is listed after %d, which it beats", x, y)
					}
				}
				for _, y := range group[k+1:] {
					if beats(x, y) {
						mixedGroups++
					}
				}
			}
		}

		// Winners are the potential winners, all in the first group, and
		// one winner exactly when the first group is one candidate.
		var winners []int64
		for _, x := range r.Groups[0] {
			if !slices.ContainsFunc(ids, func(y int64) bool { return beats(y, x) }) {
				winners = append(winners, x)
			}
		}
		for _, x := range ids {
			potential := !slices.ContainsFunc(ids, func(y int64) bool { return beats(y, x) })
			if potential != slices.Contains(r.Winners, x) {
				fail("Winners %v, %d potential winner: %v", r.Winners, x, potential)
			}
		}
		if !slices.Equal(winners, r.Winners) {
			fail("Winners %v, want %v", r.Winners, winners)
		}
		if (len(r.Winners) == 1) != (len(r.Groups[0]) == 1) {
			fail("Winners %v but first group %v", r.Winners, r.Groups[0])
		}
		if len(r.Winners) > 1 {
			tiedTop++
		}

		// A Condorcet winner (by d alone) is the one winner.
		for i, x := range ids {
			if !slices.ContainsFunc(ids, func(y int64) bool { j := pos[y]; return i != j && d[i][j] <= d[j][i] }) && n > 1 {
				condorcet++
				if !slices.Equal(r.Winners, []int64{x}) || !slices.Equal(r.Groups[0], []int64{x}) {
					fail("Condorcet winner %d, Winners %v", x, r.Winners)
				}
			}
		}

		// Steps: one per boundary, the closest pair across it.
		if len(r.Steps) != len(r.Groups)-1 {
			fail("%d steps for %d groups", len(r.Steps), len(r.Groups))
		}
		for g, s := range r.Steps {
			if !slices.Contains(r.Groups[g], s.Ahead) || !slices.Contains(r.Groups[g+1], s.Behind) {
				fail("step %d %+v crosses the wrong groups", g, s)
			}
			if s.For != r.P[pos[s.Ahead]][pos[s.Behind]] || s.Against != r.P[pos[s.Behind]][pos[s.Ahead]] || s.For <= s.Against {
				fail("step %d %+v", g, s)
			}
			for _, x := range r.Groups[g] {
				for _, y := range r.Groups[g+1] {
					if m := r.P[pos[x]][pos[y]] - r.P[pos[y]][pos[x]]; m < s.For-s.Against {
						fail("step %d %+v, but %d:%d has margin %d", g, s, x, y, m)
					}
				}
			}
		}
		checkPaths(t, r)
	}
	t.Logf("%d Condorcet winners, %d tied tops, %d decided pairs inside groups", condorcet, tiedTop, mixedGroups)
	if condorcet == 0 || tiedTop == 0 || mixedGroups == 0 {
		t.Errorf("the random votes missed a case: %d Condorcet winners, %d tied tops, %d decided pairs inside groups",
			condorcet, tiedTop, mixedGroups)
	}
}

// TestRandomAbstentions checks, on random small votes where some voters
// abstain on candidates they left unranked, that D counts no pair with an
// abstained candidate for that ballot, that P and the order follow from D
// as without abstentions, and that no abstentions is Compute.
func TestRandomAbstentions(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 2026))
	for range 2000 {
		ids, ballots := randomVote(rng)
		abstain := make([][]int64, len(ballots))
		for b, ballot := range ballots {
			for _, id := range ids {
				if _, ranked := ballot[id]; !ranked && rng.IntN(2) == 0 {
					abstain[b] = append(abstain[b], id)
				}
			}
		}
		r, err := ComputeAbstaining(ids, ballots, abstain)
		if err != nil {
			t.Fatal(err)
		}
		d := square(len(ids))
		for b, ballot := range ballots {
			for i, x := range ids {
				for j, y := range ids {
					rx, okx := ballot[x]
					ry, oky := ballot[y]
					if okx && (!oky || rx < ry) && !slices.Contains(abstain[b], x) && !slices.Contains(abstain[b], y) {
						d[i][j]++
					}
				}
			}
		}
		if !slices.EqualFunc(d, r.D, slices.Equal) {
			t.Fatalf("candidates %v ballots %v abstain %v: D %v, brute force %v", ids, ballots, abstain, r.D, d)
		}
		if p := bruteP(d); !slices.EqualFunc(p, r.P, slices.Equal) {
			t.Fatalf("candidates %v ballots %v abstain %v: P %v, brute force %v", ids, ballots, abstain, r.P, p)
		}
		plain, err := Compute(ids, ballots)
		if err != nil {
			t.Fatal(err)
		}
		none, err := ComputeAbstaining(ids, ballots, make([][]int64, len(ballots)))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.EqualFunc(plain.D, none.D, slices.Equal) || !slices.EqualFunc(plain.Groups, none.Groups, slices.Equal) ||
			!slices.Equal(plain.Winners, none.Winners) {
			t.Fatalf("candidates %v ballots %v: empty abstentions differ from Compute", ids, ballots)
		}
	}
}
