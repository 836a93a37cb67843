package schulze

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
)

// Ballot is one juror's ranking: the rank of every candidate the juror
// ranked, 1 = best. Equal ranks are ties and ranks need not be consecutive
// (1, 1, 3 and 1, 1, 2 say the same). A candidate missing from the map is
// unranked: below every ranked candidate, equal to the other unranked ones.
type Ballot map[int64]int

// ErrInvalid is wrapped by the errors of Compute for malformed input.
var ErrInvalid = errors.New("schulze: invalid vote")

// Result is the outcome of a vote and its explanation. Groups, Steps and
// Winners name candidates by key; D and P are indexed by position in
// Candidates.
type Result struct {
	// Candidates are the candidates as given to Compute.
	Candidates []int64
	// D[i][j] is the number of ballots that rank Candidates[i] strictly
	// above Candidates[j]; D[i][i] = 0.
	D [][]int
	// P[i][j] is the strength of the strongest path from Candidates[i] to
	// Candidates[j], 0 when there is none; P[i][i] = 0.
	P [][]int
	// Groups is the order, best first: every member of a group beats every
	// member of each later group, and no group can be split further that
	// way. Within a group members are listed by the number of candidates
	// they beat, most first, then in the order of Candidates, so a member
	// comes before every member it beats. A group of several members is a
	// tie the method leaves to the jury.
	Groups [][]int64
	// Steps explains Groups: Steps[i] is the closest comparison between
	// Groups[i] and Groups[i+1], so len(Steps) = len(Groups) − 1.
	Steps []Step
	// Winners are the potential winners, in the order of Groups[0]: the
	// candidates no one beats. There is one winner exactly when
	// len(Winners) == 1.
	Winners []int64
	// Tied reports that some group has more than one member.
	Tied bool

	index map[int64]int
}

// Step says why one group comes before the next: Ahead, of the earlier
// group, beats Behind, of the later, by the strongest path For =
// P[Ahead][Behind] against Against = P[Behind][Ahead]. Of all pairs of the
// two groups it is the one with the smallest margin For − Against (then the
// smallest For), the comparison that was closest.
type Step struct {
	Ahead, Behind int64
	For, Against  int
}

// Compute counts the ballots over the candidates. It returns an error
// wrapping ErrInvalid when there are no candidates, a candidate is listed
// twice, or a ballot ranks an unknown candidate or gives a rank below 1.
// No ballots at all is valid: everyone is tied.
func Compute(candidates []int64, ballots []Ballot) (Result, error) {
	return ComputeAbstaining(candidates, ballots, nil)
}

// ComputeAbstaining is Compute where a voter may take no part on some
// candidates: abstain[b] lists those of ballot b, and the ballot then
// counts for no pair that includes one of them, neither way. A juror who
// steps aside from a finalist for a conflict of interest must not weigh
// on it at all, which leaving it unranked would do (unranked counts below
// every ranked candidate). abstain is nil or has one list per ballot;
// besides Compute's errors it returns one wrapping ErrInvalid when a list
// names an unknown candidate or one its ballot ranks.
func ComputeAbstaining(candidates []int64, ballots []Ballot, abstain [][]int64) (Result, error) {
	n := len(candidates)
	if n == 0 {
		return Result{}, fmt.Errorf("%w: no candidates", ErrInvalid)
	}
	if abstain != nil && len(abstain) != len(ballots) {
		return Result{}, fmt.Errorf("%w: %d abstention lists for %d ballots", ErrInvalid, len(abstain), len(ballots))
	}
	index := make(map[int64]int, n)
	for i, c := range candidates {
		if _, dup := index[c]; dup {
			return Result{}, fmt.Errorf("%w: candidate %d listed twice", ErrInvalid, c)
		}
		index[c] = i
	}
	r := Result{Candidates: slices.Clone(candidates), D: square(n), P: square(n), index: index}
	// rank[i] is the ballot's rank of candidate i, 0 when unranked; out[i]
	// says the voter abstains on it.
	rank, out := make([]int, n), make([]bool, n)
	for b, ballot := range ballots {
		clear(rank)
		clear(out)
		for c, k := range ballot {
			i, ok := index[c]
			if !ok {
				return Result{}, fmt.Errorf("%w: ballot %d ranks unknown candidate %d", ErrInvalid, b, c)
			}
			if k < 1 {
				return Result{}, fmt.Errorf("%w: ballot %d gives candidate %d rank %d, must be at least 1", ErrInvalid, b, c, k)
			}
			rank[i] = k
		}
		if abstain != nil {
			for _, c := range abstain[b] {
				i, ok := index[c]
				if !ok {
					return Result{}, fmt.Errorf("%w: ballot %d abstains on unknown candidate %d", ErrInvalid, b, c)
				}
				if rank[i] != 0 {
					return Result{}, fmt.Errorf("%w: ballot %d both ranks and abstains on candidate %d", ErrInvalid, b, c)
				}
				out[i] = true
			}
		}
		for i, ri := range rank {
			if ri == 0 || out[i] {
				continue // unranked: above no one; abstained: in no pair
			}
			for j, rj := range rank {
				if !out[j] && (rj == 0 || ri < rj) {
					r.D[i][j]++ // never i itself: ri is not 0 nor below itself
				}
			}
		}
	}
	r.strongestPaths()
	r.order()
	return r, nil
}

func square(n int) [][]int {
	cells := make([]int, n*n)
	m := make([][]int, n)
	for i := range m {
		m[i] = cells[i*n : (i+1)*n : (i+1)*n]
	}
	return m
}

// link is the strength of the link from i to j: D[i][j] when more ballots
// rank i above j than j above i, else 0 (no link).
func (r *Result) link(i, j int) int {
	if r.D[i][j] > r.D[j][i] {
		return r.D[i][j]
	}
	return 0
}

// strongestPaths fills P: the widest-path variant of Floyd–Warshall, where
// a path through k is as strong as the weaker of its two halves.
func (r *Result) strongestPaths() {
	n := len(r.Candidates)
	for i := range n {
		for j := range n {
			if i != j {
				r.P[i][j] = r.link(i, j)
			}
		}
	}
	for k := range n {
		for i := range n {
			if i == k || r.P[i][k] == 0 {
				continue
			}
			for j := range n {
				if j != i && j != k {
					r.P[i][j] = max(r.P[i][j], min(r.P[i][k], r.P[k][j]))
				}
			}
		}
	}
}

func (r *Result) beats(i, j int) bool { return r.P[i][j] > r.P[j][i] }

// order fills Groups, Steps, Winners and Tied. Beating is transitive, so
// when X beats Y, X also beats everyone Y beats and thus beats more
// candidates than Y: sorting by that count lists everyone before those
// they beat. The groups are runs of that list, and a group ends where
// everyone so far beats everyone after.
func (r *Result) order() {
	n := len(r.Candidates)
	wins := make([]int, n)
	for i := range n {
		for j := range n {
			if r.beats(i, j) {
				wins[i]++
			}
		}
	}
	seq := make([]int, n)
	for i := range seq {
		seq[i] = i
	}
	slices.SortStableFunc(seq, func(a, b int) int { return cmp.Compare(wins[b], wins[a]) })

	// A group starts at position m when everyone in seq[:m] beats everyone
	// in seq[m:]. With first[j] the first position whose candidate does not
	// beat seq[j] (j when all do), that is when first[j] ≥ m for all j ≥ m.
	first := make([]int, n)
	for j := range n {
		first[j] = j
		for i := range j {
			if !r.beats(seq[i], seq[j]) {
				first[j] = i
				break
			}
		}
	}
	var groups [][]int
	end, lowest := n, n
	for m := n - 1; m >= 0; m-- {
		lowest = min(lowest, first[m])
		if m == 0 || lowest >= m {
			groups = append(groups, seq[m:end])
			end = m
		}
	}
	slices.Reverse(groups)

	for g, group := range groups {
		ids := make([]int64, len(group))
		for k, i := range group {
			ids[k] = r.Candidates[i]
		}
		r.Groups = append(r.Groups, ids)
		r.Tied = r.Tied || len(group) > 1
		if g > 0 {
			r.Steps = append(r.Steps, r.closest(groups[g-1], group))
		}
	}
	for _, i := range groups[0] {
		if !slices.ContainsFunc(groups[0], func(j int) bool { return r.beats(j, i) }) {
			r.Winners = append(r.Winners, r.Candidates[i])
		}
	}
}

// closest returns the step between two adjacent groups with the smallest
// margin, then the smallest winning strength.
func (r *Result) closest(ahead, behind []int) Step {
	var best Step
	for k, i := range ahead {
		for l, j := range behind {
			s := Step{Ahead: r.Candidates[i], Behind: r.Candidates[j], For: r.P[i][j], Against: r.P[j][i]}
			if k+l == 0 || s.For-s.Against < best.For-best.Against ||
				s.For-s.Against == best.For-best.Against && s.For < best.For {
				best = s
			}
		}
	}
	return best
}

// Path returns a strongest path from one candidate to another: the
// candidates along it, from first to last, each with a link to the next
// and the weakest link as strong as the path's strength in P. Of the
// strongest paths it returns one with the fewest links, the first in the
// order of Candidates. It returns nil when there is no path, the two are
// the same or either is unknown.
func (r Result) Path(from, to int64) []int64 {
	s, ok1 := r.index[from]
	t, ok2 := r.index[to]
	if !ok1 || !ok2 || s == t || r.P[s][t] == 0 {
		return nil
	}
	// Breadth-first search over the links at least as strong as the path:
	// every path it finds is a strongest one, and it finds a shortest.
	need := r.P[s][t]
	prev := make([]int, len(r.Candidates))
	for i := range prev {
		prev[i] = -1
	}
	prev[s] = s
	queue := []int{s}
	for len(queue) > 0 && prev[t] < 0 {
		i := queue[0]
		queue = queue[1:]
		for j := range r.Candidates {
			if prev[j] < 0 && r.link(i, j) >= need {
				prev[j] = i
				queue = append(queue, j)
			}
		}
	}
	var path []int64
	for i := t; i != s; i = prev[i] {
		path = append(path, r.Candidates[i])
	}
	path = append(path, from)
	slices.Reverse(path)
	return path
}
