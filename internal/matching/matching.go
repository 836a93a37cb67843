package matching

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
)

// Nomination is one nomination to be scored.
type Nomination struct {
	ID     int64
	Name   string // optional; only used in error messages
	County string // the nominee's county; "" if unknown
}

// Juror is one member of the jury.
type Juror struct {
	ID     int64
	Name   string // optional; only used in error messages
	County string // the county the juror comes from; "" if none
}

// Pair is one cell of the assignment matrix.
type Pair struct{ Juror, Nomination int64 }

// Problem is one assignment run.
type Problem struct {
	Nominations []Nomination
	Jurors      []Juror
	// K is the number of jurors every nomination gets, manual cells
	// included. It must be at least 1.
	K int
	// Conflicts lists cells that may never be assigned (a true value). Pairs
	// naming unknown jurors or nominations are ignored, so a global conflict
	// register can be passed as is.
	Conflicts map[Pair]bool
	// Fixed holds the admin's manual cells: true = must be assigned, false =
	// must not be assigned. Pass the manual cells again on every run to keep
	// them. Every pair must name a known juror and nomination.
	Fixed map[Pair]bool
	// SpreadCounties asks, as a secondary goal after load balance, for
	// jurors from different counties on each nomination and for no juror
	// from the nominee's own county.
	SpreadCounties bool
	// Previous optionally holds the cells (true values) of an earlier result.
	// As the lowest-priority goal, after balance and spreading, the solver
	// keeps as many of them as it can, so that a re-run after a small change
	// does not reshuffle the whole matrix. Unknown pairs are ignored.
	Previous map[Pair]bool
}

// Result is an optimal assignment.
type Result struct {
	// Pairs holds every assigned cell, manual ones included, sorted by
	// nomination and then juror ID.
	Pairs []Pair
	// Loads maps every juror ID to the number of nominations assigned.
	Loads            map[int64]int
	MinLoad, MaxLoad int
	// SumSquares is Σ load², the balance objective; it is minimal over all
	// assignments that respect conflicts and manual cells.
	SumSquares int64
	// SameCountyPairs counts, over all nominations, the unordered pairs of
	// jurors on the nomination who come from the same (non-empty) county.
	SameCountyPairs int
	// OwnCountyPairs counts assigned cells where the juror comes from the
	// nominee's county.
	OwnCountyPairs int
	// Kept counts the cells of Problem.Previous that are assigned again.
	Kept int
	// Cost is the combined objective that was minimised:
	//
	//	wBalance·SumSquares
	//	+ wSpread·(SameCountyPairWeight·SameCountyPairs + OwnCountyWeight·OwnCountyPairs)
	//	+ (assigned cells that are neither manual nor in Previous)
	//
	// The spreading term is present only with SpreadCounties and the last
	// term only with a non-empty Previous. The weights are chosen per problem
	// so that each term strictly dominates all later ones (wSpread = N·K+1
	// with Previous, else 1; wBalance exceeds the largest possible total of
	// the lower terms). Without either option Cost equals SumSquares. It is
	// comparable only between runs of the same problem and options.
	Cost int64
}

// Assigned returns the result as a set of cells, for a matrix view.
func (r Result) Assigned() map[Pair]bool {
	m := make(map[Pair]bool, len(r.Pairs))
	for _, p := range r.Pairs {
		m[p] = true
	}
	return m
}

// ErrInvalid is wrapped by errors for malformed problems (duplicate IDs,
// K < 1, manual cells naming unknown jurors or nominations). Infeasible but
// well-formed problems give an *InfeasibleError instead.
var ErrInvalid = errors.New("assign: invalid problem")

// Penalty weights of the county-spreading goal, per unordered pair of
// same-county jurors on a nomination and per juror from the nominee's
// county. A juror from the nominee's own county is considered worse than two
// jurors sharing a county.
const (
	SameCountyPairWeight = 1
	OwnCountyWeight      = 2
)

// cell states in the dense nomination × juror matrix.
const (
	stConflict uint8 = 1 << iota
	stFixedIn
	stFixedOut
)

// instance is a validated problem with nominations and jurors sorted by ID.
type instance struct {
	p        Problem
	noms     []Nomination
	jurs     []Juror
	state    []uint8 // state[i*J+j]
	prev     []bool  // prev[i*J+j]: the cell is in Problem.Previous
	nomIdx   map[int64]int
	jurIdx   map[int64]int
	jCounty  []int32 // county index of each juror; -1 for none
	nCounty  []int32 // county index of each nominee; -1 if none or no juror has it
	nCounty0 int     // number of distinct juror counties
}

// Solve computes an optimal assignment. The objectives, in strict priority
// order, are:
//
//  1. every nomination gets exactly K jurors, no conflicted cell is used,
//     and manual cells are respected (hard constraints);
//  2. Σ load² is minimal, which makes the loads as even as the constraints
//     allow: MaxLoad is the smallest possible maximum, MinLoad the largest
//     possible minimum, so MaxLoad−MinLoad ≤ 1 whenever any assignment
//     achieves that (see the package documentation for the proof);
//  3. with SpreadCounties, the county penalty is minimal;
//  4. with Previous, as many previous cells as possible are kept.
//
// Equal inputs give equal results, whatever the order of the input slices.
// If K jurors cannot be found for some nomination the error is an
// *InfeasibleError naming every such nomination and the reason.
func Solve(p Problem) (Result, error) {
	in, err := newInstance(p)
	if err != nil {
		return Result{}, err
	}
	if ierr := in.feasibility(); ierr != nil {
		return Result{}, ierr
	}
	return in.solve()
}

func newInstance(p Problem) (*instance, error) {
	if p.K < 1 {
		return nil, fmt.Errorf("%w: K = %d, must be at least 1", ErrInvalid, p.K)
	}
	in := &instance{
		p:      p,
		noms:   slices.Clone(p.Nominations),
		jurs:   slices.Clone(p.Jurors),
		nomIdx: make(map[int64]int, len(p.Nominations)),
		jurIdx: make(map[int64]int, len(p.Jurors)),
	}
	slices.SortFunc(in.noms, func(a, b Nomination) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(in.jurs, func(a, b Juror) int { return cmp.Compare(a.ID, b.ID) })
	for i, n := range in.noms {
		if _, dup := in.nomIdx[n.ID]; dup {
			return nil, fmt.Errorf("%w: nomination %d listed twice", ErrInvalid, n.ID)
		}
		in.nomIdx[n.ID] = i
	}
	for j, u := range in.jurs {
		if _, dup := in.jurIdx[u.ID]; dup {
			return nil, fmt.Errorf("%w: juror %d listed twice", ErrInvalid, u.ID)
		}
		in.jurIdx[u.ID] = j
	}
	N, J := len(in.noms), len(in.jurs)
	if J > 0 && N > math.MaxInt32/J {
		return nil, fmt.Errorf("%w: %d nominations × %d jurors is too large", ErrInvalid, N, J)
	}
	in.state = make([]uint8, N*J)
	for pr, c := range p.Conflicts {
		if !c {
			continue
		}
		i, okN := in.nomIdx[pr.Nomination]
		j, okJ := in.jurIdx[pr.Juror]
		if okN && okJ {
			in.state[i*J+j] |= stConflict
		}
	}
	for pr, f := range p.Fixed {
		i, okN := in.nomIdx[pr.Nomination]
		j, okJ := in.jurIdx[pr.Juror]
		if !okN || !okJ {
			return nil, fmt.Errorf("%w: manual cell (juror %d, nomination %d) names an unknown juror or nomination",
				ErrInvalid, pr.Juror, pr.Nomination)
		}
		if f {
			in.state[i*J+j] |= stFixedIn
		} else {
			in.state[i*J+j] |= stFixedOut
		}
	}
	if len(p.Previous) > 0 {
		in.prev = make([]bool, N*J)
		for pr, v := range p.Previous {
			i, okN := in.nomIdx[pr.Nomination]
			j, okJ := in.jurIdx[pr.Juror]
			if v && okN && okJ {
				in.prev[i*J+j] = true
			}
		}
	}

	// County indices, in name order so that node numbering is deterministic.
	var names []string
	for _, u := range in.jurs {
		if u.County != "" {
			names = append(names, u.County)
		}
	}
	slices.Sort(names)
	names = slices.Compact(names)
	in.nCounty0 = len(names)
	idx := make(map[string]int32, len(names))
	for k, s := range names {
		idx[s] = int32(k)
	}
	in.jCounty = make([]int32, J)
	for j, u := range in.jurs {
		in.jCounty[j] = -1
		if k, ok := idx[u.County]; ok {
			in.jCounty[j] = k
		}
	}
	in.nCounty = make([]int32, N)
	for i, n := range in.noms {
		in.nCounty[i] = -1
		if k, ok := idx[n.County]; ok {
			in.nCounty[i] = k
		}
	}
	return in, nil
}

// weights returns the multipliers that make the objectives lexicographic:
// wPrev per newly chosen cell, wSpread per spreading penalty point, and
// wBalance per unit of Σ load². Each weight exceeds the largest possible
// total of all lower-priority terms, so a unit of a higher objective always
// outweighs any change in the lower ones.
func (in *instance) weights() (wBalance, wSpread, wPrev int64, err error) {
	N, K := float64(len(in.noms)), float64(in.p.K)
	// Do the arithmetic in float64 first to refuse sizes that could
	// overflow, then exactly in int64.
	fPrev, fLow := 0.0, 0.0
	if in.prev != nil {
		fPrev, fLow = 1, N*K
	}
	fSpread := fLow + 1
	if in.p.SpreadCounties {
		fLow += fSpread * N * (OwnCountyWeight*K + SameCountyPairWeight*K*(K-1)/2)
	}
	fBalance := fLow + 1
	// Potentials stay within [0, pi(sink)], and pi(sink) is the cost of one
	// shortest augmenting path, which is never longer than a direct
	// source-nomination-(county)-juror-sink path; so every number the flow
	// algorithm handles is below a few times the largest arc cost.
	// Result.Cost is at most wBalance·N²K (loads are at most N) plus the
	// lower terms.
	maxArc := fBalance*2*N + fSpread*(OwnCountyWeight+SameCountyPairWeight*K) + fPrev
	maxCost := fBalance*N*N*K + fLow
	if 8*maxArc > 1<<62 || maxCost > 1<<62 {
		return 0, 0, 0, fmt.Errorf("%w: problem too large for 64-bit costs", ErrInvalid)
	}

	n, k := int64(len(in.noms)), int64(in.p.K)
	var low int64 // bound on the total of the lower-priority terms so far
	if in.prev != nil {
		wPrev = 1
		low = n * k // at most N·K cells are chosen
	}
	wSpread = low + 1
	if in.p.SpreadCounties {
		// Per nomination at most K own-county jurors and K(K-1)/2 pairs.
		low += wSpread * n * (OwnCountyWeight*k + SameCountyPairWeight*k*(k-1)/2)
	}
	wBalance = low + 1
	return wBalance, wSpread, wPrev, nil
}

// assignEdge remembers which network edge stands for which matrix cell.
type assignEdge struct {
	edge int
	i, j int32
}

func (in *instance) solve() (Result, error) {
	wBalance, wSpread, wPrev, err := in.weights()
	if err != nil {
		return Result{}, err
	}
	N, J, K := len(in.noms), len(in.jurs), in.p.K
	spread := in.p.SpreadCounties

	var b builder
	s, t := b.node(), b.node()
	nomNode := int32(b.n)
	b.n += int32(N)
	jurNode := int32(b.n)
	b.n += int32(J)

	// Size the edge lists up front: one edge per usable cell, one per
	// nomination and juror, and at most one county node per nomination and
	// county.
	usable := 0
	for i := range N {
		free, fixed := 0, 0
		for _, st := range in.state[i*J : (i+1)*J] {
			switch {
			case st == 0:
				free++
			case st&stFixedIn != 0:
				fixed++
			}
		}
		if fixed < K {
			usable += free
		}
	}
	nodesPerNom := 1
	if spread {
		nodesPerNom += in.nCounty0
	}
	b.edges = make([]edgeSpec, 0, usable+N*nodesPerNom+J)
	cells := make([]assignEdge, 0, usable)

	base := make([]int32, J) // fixed load per juror
	avail := make([]int32, J)
	need := 0
	fixedPerCounty := make([]int32, in.nCounty0)
	byCounty := make([][]int32, in.nCounty0)

	for i := range N {
		row := in.state[i*J : (i+1)*J]
		fixed := 0
		for j, st := range row {
			if st&stFixedIn != 0 {
				fixed++
				base[j]++
			}
		}
		supply := K - fixed
		if supply <= 0 {
			continue
		}
		need += supply
		u := nomNode + int32(i)
		b.edge(s, u, int32(supply), 0)

		cellCost := func(j int) int64 {
			if in.prev != nil && !in.prev[i*J+j] {
				return wPrev
			}
			return 0
		}
		if !spread {
			for j, st := range row {
				if st == 0 {
					cells = append(cells, assignEdge{b.edge(u, jurNode+int32(j), 1, cellCost(j)), int32(i), int32(j)})
					avail[j]++
				}
			}
			continue
		}

		// Spreading: group the allowed jurors by county. The unit that
		// brings county c's count on this nomination to x costs
		// wSpread·(SameCountyPairWeight·(x-1) + own), so x jurors from c
		// cost SameCountyPairWeight·x(x-1)/2 pairs plus own per juror.
		clear(fixedPerCounty)
		for k := range byCounty {
			byCounty[k] = byCounty[k][:0]
		}
		for j, st := range row {
			c := in.jCounty[j]
			switch {
			case st&stFixedIn != 0 && c >= 0:
				fixedPerCounty[c]++
			case st == 0 && c < 0:
				cells = append(cells, assignEdge{b.edge(u, jurNode+int32(j), 1, cellCost(j)), int32(i), int32(j)})
				avail[j]++
			case st == 0:
				byCounty[c] = append(byCounty[c], int32(j))
			}
		}
		for c, js := range byCounty {
			if len(js) == 0 {
				continue
			}
			cv := convex{base: fixedPerCounty[c], b: wSpread * SameCountyPairWeight}
			if int32(c) == in.nCounty[i] {
				cv.c = wSpread * OwnCountyWeight
			}
			from := u
			if len(js) >= 2 && supply >= 2 {
				// Several units may go to this county: route them through
				// a (nomination, county) node whose convex arc charges the
				// growing penalty.
				from = b.node()
				b.convexEdge(u, from, int32(min(len(js), supply)), cv)
			}
			for _, j := range js {
				cost := cellCost(int(j))
				if from == u {
					// At most one unit can use this county here: its
					// penalty is a constant.
					cost += cv.marginal(cv.base + 1)
				}
				cells = append(cells, assignEdge{b.edge(from, jurNode+j, 1, cost), int32(i), j})
				avail[j]++
			}
		}
	}
	// Load balance: the unit that brings juror j's load to x costs
	// wBalance·(2x-1), so a load of x costs wBalance·x² in total.
	for j := range J {
		if avail[j] > 0 {
			b.convexEdge(jurNode+int32(j), t, avail[j], convex{base: base[j], a: wBalance})
		}
	}

	g := b.build(s, t)
	if got := g.minCostFlow(need); got != need {
		// The feasibility check is exact (jurors have no capacity limit),
		// so this cannot happen.
		return Result{}, fmt.Errorf("assign: internal error: flow %d of %d", got, need)
	}

	chosen := make([]bool, N*J)
	for i := range N {
		for j := range J {
			if in.state[i*J+j]&stFixedIn != 0 {
				chosen[i*J+j] = true
			}
		}
	}
	for _, c := range cells {
		if g.used(c.edge) > 0 {
			chosen[int(c.i)*J+int(c.j)] = true
		}
	}
	return in.result(chosen, wBalance, wSpread, wPrev), nil
}

// result evaluates an assignment (chosen[i*J+j]) and builds the Result.
func (in *instance) result(chosen []bool, wBalance, wSpread, wPrev int64) Result {
	N, J := len(in.noms), len(in.jurs)
	r := Result{Loads: make(map[int64]int, J), Pairs: make([]Pair, 0, N*in.p.K)}
	loads := make([]int, J)
	perCounty := make([]int, in.nCounty0)
	var fresh int64
	for i, n := range in.noms {
		clear(perCounty)
		for j, u := range in.jurs {
			if !chosen[i*J+j] {
				continue
			}
			r.Pairs = append(r.Pairs, Pair{Juror: u.ID, Nomination: n.ID})
			loads[j]++
			if in.prev != nil {
				if in.prev[i*J+j] {
					r.Kept++
				} else if in.state[i*J+j]&stFixedIn == 0 {
					fresh++
				}
			}
			if c := in.jCounty[j]; c >= 0 {
				r.SameCountyPairs += perCounty[c]
				perCounty[c]++
				if c == in.nCounty[i] {
					r.OwnCountyPairs++
				}
			}
		}
	}
	for j, u := range in.jurs {
		l := loads[j]
		r.Loads[u.ID] = l
		r.SumSquares += int64(l) * int64(l)
		if j == 0 || l < r.MinLoad {
			r.MinLoad = l
		}
		if j == 0 || l > r.MaxLoad {
			r.MaxLoad = l
		}
	}
	r.Cost = wBalance * r.SumSquares
	if in.p.SpreadCounties {
		r.Cost += wSpread * int64(SameCountyPairWeight*r.SameCountyPairs+OwnCountyWeight*r.OwnCountyPairs)
	}
	r.Cost += wPrev * fresh
	return r
}
