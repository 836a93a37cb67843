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

// Bid is a juror's wish about one nomination. The zero value, Willing, is
// what a juror who marked nothing says.
type Bid int8

// Bids.
const (
	Willing Bid = iota
	Eager
	NotWanted
)

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
	// Bids holds the jurors' wishes. As a goal after balance and before
	// spreading, the solver first assigns as few NotWanted cells as it can
	// and then as many Eager ones. Pairs naming unknown jurors or
	// nominations, and bids on conflicted or manual cells, change nothing.
	Bids map[Pair]Bid
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
	// NotWantedAssigned and EagerAssigned count the assigned cells, manual
	// ones included, that the juror bid NotWanted and Eager on.
	NotWantedAssigned, EagerAssigned int
	// Cost is the combined objective that was minimised:
	//
	//	wBalance·SumSquares
	//	+ wBid·(bidWilling·(automatic cells not bid Eager) + bidNotWanted·(automatic cells bid NotWanted))
	//	+ wSpread·(SameCountyPairWeight·SameCountyPairs + OwnCountyWeight·OwnCountyPairs)
	//	+ (assigned cells that are neither manual nor in Previous)
	//
	// The bid term is present only with Bids that matter, the spreading term
	// only with SpreadCounties and the last term only with a non-empty
	// Previous. The weights are chosen per problem so that each term
	// strictly dominates all later ones (wSpread = N·K+1 with Previous, else
	// 1; wBid and wBalance exceed the largest possible total of the lower
	// terms; bidNotWanted exceeds the most Eager cells an assignment can
	// have). Without any of them Cost equals SumSquares. It is comparable
	// only between runs of the same problem and options, and -1 when it
	// does not fit in 64 bits (large problems with bids, spreading and
	// Previous at once); the solver's own arithmetic never needs it.
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
	bid      []Bid   // bid[i*J+j]; nil when no known cell has a bid
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
//  3. with Bids, as few NotWanted cells as possible are assigned, and then
//     as many Eager ones;
//  4. with SpreadCounties, the county penalty is minimal;
//  5. with Previous, as many previous cells as possible are kept.
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

	for pr, b := range p.Bids {
		i, okN := in.nomIdx[pr.Nomination]
		j, okJ := in.jurIdx[pr.Juror]
		if b == Willing || !okN || !okJ {
			continue
		}
		if b != Eager && b != NotWanted {
			return nil, fmt.Errorf("%w: bid %d of juror %d on nomination %d", ErrInvalid, b, pr.Juror, pr.Nomination)
		}
		if in.bid == nil {
			in.bid = make([]Bid, N*J)
		}
		in.bid[i*J+j] = b
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

// weights are the multipliers that make the objectives lexicographic:
// prev per newly chosen cell, spread per spreading penalty point, bid per
// bid unit and balance per unit of Σ load². Each weight exceeds the largest
// possible total of all lower-priority terms, so a unit of a higher
// objective always outweighs any change in the lower ones.
type weights struct {
	balance, bid, spread, prev int64
	// A free cell costs bid·bidUnits: 0 if bid Eager, bidWilling if
	// Willing, bidWilling+bidNotWanted if NotWanted. bidNotWanted exceeds
	// the most Eager cells an assignment can hold, so one NotWanted cell
	// fewer outweighs any number of Eager cells.
	bidWilling, bidNotWanted int64
	// maxLoad bounds every juror's load in an optimal assignment
	// (greedyMaxLoad).
	maxLoad int
}

func (w weights) bidUnits(b Bid) int64 {
	switch b {
	case Eager:
		return 0
	case NotWanted:
		return w.bidWilling + w.bidNotWanted
	}
	return w.bidWilling
}

// weights returns the problem's weights, or ErrInvalid when the costs
// they give could overflow int64.
func (in *instance) weights() (weights, error) {
	var w weights
	N, J, K := len(in.noms), len(in.jurs), in.p.K
	// U counts the cells the solver chooses (all but the manual ones);
	// eager and notWanted the free cells with such a bid, on nominations
	// that still need jurors.
	var U, eager, notWanted int64
	for i := range N {
		row := in.state[i*J : (i+1)*J]
		fixed := 0
		for _, st := range row {
			if st&stFixedIn != 0 {
				fixed++
			}
		}
		if fixed >= K {
			continue
		}
		U += int64(K - fixed)
		if in.bid == nil {
			continue
		}
		for j, st := range row {
			if st != 0 {
				continue
			}
			switch in.bid[i*J+j] {
			case Eager:
				eager++
			case NotWanted:
				notWanted++
			}
		}
	}
	// With no Eager cell every cell but a NotWanted one costs nothing; with
	// no bids at all the tier is absent and the other weights are as they
	// were before bids existed.
	if eager > 0 {
		w.bidWilling = 1
	}
	if notWanted > 0 {
		w.bidNotWanted = w.bidWilling*min(U, eager) + 1
	}
	bidMax := w.bidWilling*U + w.bidNotWanted*min(U, notWanted)

	n, k := float64(N), float64(K)
	// Do the arithmetic in float64 first to refuse sizes that could
	// overflow, then exactly in int64.
	fPrev, fLow := 0.0, 0.0
	if in.prev != nil {
		fPrev, fLow = 1, n*k
	}
	fSpread := fLow + 1
	if in.p.SpreadCounties {
		fLow += fSpread * n * (OwnCountyWeight*k + SameCountyPairWeight*k*(k-1)/2)
	}
	fBid := fLow + 1
	fLow += fBid * float64(bidMax)
	fBalance := fLow + 1
	// Potentials stay within [0, pi(sink)], and pi(sink) is the cost of one
	// shortest augmenting path, which is never longer than a direct
	// source-nomination-(county)-juror-sink path; so every number the flow
	// algorithm handles is below a few times the largest arc cost. A
	// juror's load never exceeds maxLoad, so neither does the balance arc's
	// marginal cost wBalance·(2·maxLoad−1).
	w.maxLoad = in.greedyMaxLoad()
	maxArc := fBalance*2*float64(w.maxLoad) + fSpread*(OwnCountyWeight+SameCountyPairWeight*k) + fPrev +
		fBid*float64(w.bidWilling+w.bidNotWanted)
	if 8*maxArc > 1<<62 {
		return w, fmt.Errorf("%w: problem too large for 64-bit costs", ErrInvalid)
	}

	nn, kk := int64(N), int64(K)
	var low int64 // bound on the total of the lower-priority terms so far
	if in.prev != nil {
		w.prev = 1
		low = nn * kk // at most N·K cells are chosen
	}
	w.spread = low + 1
	if in.p.SpreadCounties {
		// Per nomination at most K own-county jurors and K(K-1)/2 pairs.
		low += w.spread * nn * (OwnCountyWeight*kk + SameCountyPairWeight*kk*(kk-1)/2)
	}
	w.bid = low + 1
	low += w.bid * bidMax
	w.balance = low + 1
	return w, nil
}

// assignEdge remembers which network edge stands for which matrix cell.
type assignEdge struct {
	edge int
	i, j int32
}

func (in *instance) solve() (Result, error) {
	w, err := in.weights()
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
			var c int64
			if in.bid != nil {
				c = w.bid * w.bidUnits(in.bid[i*J+j])
			}
			if in.prev != nil && !in.prev[i*J+j] {
				c += w.prev
			}
			return c
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
			cv := convex{base: fixedPerCounty[c], b: w.spread * SameCountyPairWeight}
			if int32(c) == in.nCounty[i] {
				cv.c = w.spread * OwnCountyWeight
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
	// No optimal assignment loads a juror above w.maxLoad.
	for j := range J {
		if c := min(avail[j], int32(w.maxLoad)-base[j]); c > 0 {
			b.convexEdge(jurNode+int32(j), t, c, convex{base: base[j], a: w.balance})
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
	return in.result(chosen, w), nil
}

// costFits reports whether Result.Cost of an assignment with sumSquares
// fits in int64: the lower terms total less than w.balance.
func (w weights) costFits(sumSquares int64) bool {
	return sumSquares < math.MaxInt64/w.balance-1
}

// greedyMaxLoad returns the largest load of a greedy assignment, in which
// each nomination in turn takes the least-loaded jurors it may have. Any
// assignment's largest load bounds the smallest possible largest load,
// which every minimiser of Σ load² has (see the package documentation):
// so no juror of an optimal assignment has a load above it, and the
// solver caps the loads there. That keeps the balance arcs' costs, and
// with them the numbers the flow handles, proportional to the real loads
// rather than to N.
func (in *instance) greedyMaxLoad() int {
	N, J, K := len(in.noms), len(in.jurs), in.p.K
	loads := make([]int, J)
	for i := range N {
		for j, st := range in.state[i*J : (i+1)*J] {
			if st&stFixedIn != 0 {
				loads[j]++
			}
		}
	}
	free := make([]int, 0, J)
	for i := range N {
		row := in.state[i*J : (i+1)*J]
		free = free[:0]
		fixed := 0
		for j, st := range row {
			switch {
			case st&stFixedIn != 0:
				fixed++
			case st == 0:
				free = append(free, j)
			}
		}
		supply := min(K-fixed, len(free))
		if supply <= 0 {
			continue
		}
		slices.SortFunc(free, func(a, b int) int { return cmp.Or(cmp.Compare(loads[a], loads[b]), cmp.Compare(a, b)) })
		for _, j := range free[:supply] {
			loads[j]++
		}
	}
	return slices.Max(append(loads, 0))
}

// result evaluates an assignment (chosen[i*J+j]) and builds the Result.
func (in *instance) result(chosen []bool, w weights) Result {
	N, J := len(in.noms), len(in.jurs)
	r := Result{Loads: make(map[int64]int, J), Pairs: make([]Pair, 0, N*in.p.K)}
	loads := make([]int, J)
	perCounty := make([]int, in.nCounty0)
	var fresh, bidUnits int64
	for i, n := range in.noms {
		clear(perCounty)
		for j, u := range in.jurs {
			if !chosen[i*J+j] {
				continue
			}
			r.Pairs = append(r.Pairs, Pair{Juror: u.ID, Nomination: n.ID})
			loads[j]++
			if in.bid != nil {
				switch b := in.bid[i*J+j]; b {
				case Eager:
					r.EagerAssigned++
				case NotWanted:
					r.NotWantedAssigned++
				}
				if in.state[i*J+j]&stFixedIn == 0 {
					bidUnits += w.bidUnits(in.bid[i*J+j])
				}
			}
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
	if !w.costFits(r.SumSquares) {
		r.Cost = -1
		return r
	}
	r.Cost = w.balance*r.SumSquares + w.bid*bidUnits
	if in.p.SpreadCounties {
		r.Cost += w.spread * int64(SameCountyPairWeight*r.SameCountyPairs+OwnCountyWeight*r.OwnCountyPairs)
	}
	r.Cost += w.prev * fresh
	return r
}
