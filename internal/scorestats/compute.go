package scorestats

import (
	"cmp"
	"math"
	"slices"
)

// crit is a criterion prepared for computing.
type crit struct {
	id     int64
	w      float64 // effective weight, ≥ 0
	min    float64
	width  float64 // Max − Min, or 1 for a degenerate scale
	inv    float64 // 1 / width
	thSD   float64 // SD threshold in scale units (+Inf when off)
	thSpan float64 // range threshold in scale units (+Inf when off)
}

const (
	tieDecimals = 1e9   // means are compared rounded to 9 decimals
	zeroSigma   = 1e-12 // a juror σ below this (0–1 scale) counts as 0
	thTolerance = 1e-9  // rounding tolerance of the disagreement test
)

func prepareCriteria(cs []Criterion, th Threshold) []crit {
	out := make([]crit, len(cs))
	for i, c := range cs {
		w := c.Weight
		if !(w > 0) || math.IsInf(w, 0) {
			w = 0
		}
		min, width := c.Min, c.Max-c.Min
		if math.IsNaN(min) || math.IsInf(min, 0) {
			min = 0
		}
		if !(width > 0) || math.IsInf(width, 0) {
			width = 1
		}
		k := crit{id: c.ID, w: w, min: min, width: width, inv: 1 / width, thSD: math.Inf(1), thSpan: math.Inf(1)}
		if th.SD > 0 {
			k.thSD = (th.SD + thTolerance) * width
		}
		if th.Range > 0 {
			k.thSpan = (th.Range + thTolerance) * width
		}
		out[i] = k
	}
	return out
}

// indexer maps database IDs to dense indexes 0, 1, 2, … in order of first
// appearance: through a slice when the IDs span a small range, else a map.
type indexer struct {
	lo    int64
	dense []int32 // dense[id−lo] = index+1, 0 = not seen
	m     map[int64]int32
	ids   []int64 // index → ID
}

func newIndexer(lo, hi int64, n int) *indexer {
	x := &indexer{lo: lo}
	if span := hi - lo; n > 0 && span >= 0 && (span < 1<<16 || span < int64(n)/2) {
		x.dense = make([]int32, span+1)
	} else {
		x.m = make(map[int64]int32)
	}
	return x
}

func (x *indexer) index(id int64) int32 {
	if x.dense != nil {
		p := &x.dense[id-x.lo]
		if *p == 0 {
			x.ids = append(x.ids, id)
			*p = int32(len(x.ids))
		}
		return *p - 1
	}
	i, ok := x.m[id]
	if !ok {
		i = int32(len(x.ids))
		x.ids = append(x.ids, id)
		x.m[id] = i
	}
	return i
}

// Compute ranks the nominations of one cycle. It works on the normalised
// scale: every value v of a criterion with scale [Min, Max] becomes
// u = (v − Min)/(Max − Min) ∈ [0, 1], so that criteria on different scales
// (1–5 and 0–10) weigh as their weights say. Per-criterion figures
// (CriterionStats, Cell) stay in scale units.
//
//  1. Rollup. A juror's values in one (nomination, criterion) cell — several
//     when the cycle scores projects — become one value: their mean, or with
//     RollupBest their maximum. Everything below uses these values.
//  2. Raw weighted mean. Per criterion c, ū_c is the mean over jurors of u;
//     RawMean = Σ w_c·ū_c / Σ w_c over the criteria with a value and weight
//     > 0. When all criteria share one scale this is the same as the
//     weighted mean in scale units, mapped linearly onto 0–1 (same ranks).
//  3. Standardised weighted mean. Per juror j, μ_j and σ_j are the mean and
//     population SD of all that juror's values u in the cycle (all
//     nominations, all criteria). z = (u − μ_j)/σ_j, and z = 0 for every
//     value of a juror with σ_j = 0 (one value, or the same value
//     everywhere): such a juror cannot tell nominations apart. ZMean is
//     weighted like RawMean, over the per-criterion means of z. A strict
//     and a lenient juror thereby count alike.
//  4. Ranks. Competition ranking on RawMean and on ZMean, 1 = best: equal
//     means (compared rounded to 9 decimals, against float noise) share a
//     rank and the next rank is skipped ("1, 2, 2, 4"); tied rows are
//     listed by nomination ID.
//  5. Spread and disagreement per criterion: see CriterionStats, Threshold.
//  6. Agreement: Krippendorff's alpha, interval metric δ²(a, b) = (a − b)²,
//     units = (nomination, criterion), coders = jurors, values u. Units
//     with fewer than two values are not pairable and are dropped. With
//     n the number of pairable values, m_u the values in unit u:
//     D_o = (1/n) Σ_u Σ_{i≠j∈u} (u_i − u_j)²/(m_u − 1),
//     D_e = 1/(n(n − 1)) Σ_{i≠j} (u_i − u_j)² over all pairable values,
//     α = 1 − D_o/D_e, undefined when D_e = 0.
//  7. Leniency: JurorStats, i.e. μ_j and σ_j of step 3.
//  8. Projects. ProjectRow repeats steps 2 and 3 (with the same μ_j, σ_j)
//     over each project's own scores.
//
// Compute does not modify in, and apart from the order of Row.Cells its
// result does not depend on the order of in.Scores.
func Compute(in Input) Result {
	c := newComputation(in)
	c.bucket()
	c.rollup()
	c.jurorStats()
	c.buildRows()
	c.rank()
	return c.res
}

// computation holds the state of one Compute call, phase by phase.
type computation struct {
	in      Input
	crits   []crit
	nc      int
	best    bool
	critMap map[int64]int32 // criterion ID → index, for many criteria
	noms    *indexer
	jurs    *indexer
	nn, nj  int // number of nominations and of jurors
	res     Result
	hasProj bool

	// bucket: scores by (nomination index × nc + criterion index)
	keys  []int32 // per score: its bucket, −1 when dropped
	jidx  []int32 // per score: its juror index
	start []int32 // per bucket: start of its scores in order (+1 sentinel)
	order []int32 // score indexes, bucket by bucket

	// rollup: one cell per (bucket, juror)
	cells     []Cell
	cellJur   []int32 // per cell: its juror index
	cellStart []int32 // per bucket: start of its cells (+1 sentinel)

	// jurorStats, on the normalised scale
	mu, sigma []float64
	jN        []int32
}

func newComputation(in Input) *computation {
	th := in.Disagreement
	if th == (Threshold{}) {
		th = Threshold{SD: DefaultSDThreshold, Range: DefaultRangeThreshold}
	}
	c := &computation{in: in, best: in.Rollup == RollupBest, crits: prepareCriteria(in.Criteria, th)}
	c.nc = len(c.crits)
	c.res = Result{ScaleMin: 0, ScaleMax: 1}
	if c.nc > 0 {
		first := c.crits[0]
		c.res.SameScale = true
		for _, k := range c.crits[1:] {
			if k.min != first.min || k.width != first.width {
				c.res.SameScale = false
			}
		}
		if c.res.SameScale {
			c.res.ScaleMin, c.res.ScaleMax = first.min, first.min+first.width
		}
	}
	if c.nc > 8 {
		c.critMap = make(map[int64]int32, c.nc)
		for i := c.nc - 1; i >= 0; i-- {
			c.critMap[c.crits[i].id] = int32(i)
		}
	}
	return c
}

// critIndex finds a criterion: linearly among the usual handful, else in
// the map. −1 when unknown.
func (c *computation) critIndex(id int64) int32 {
	if c.critMap != nil {
		if i, ok := c.critMap[id]; ok {
			return i
		}
		return -1
	}
	for i := range c.crits {
		if c.crits[i].id == id {
			return int32(i)
		}
	}
	return -1
}

// bucket indexes nominations and jurors densely, drops unusable scores and
// counting-sorts the rest by bucket (nomination, criterion), keeping their
// input order within a bucket.
func (c *computation) bucket() {
	scores, nc := c.in.Scores, c.nc
	var nLo, nHi, jLo, jHi int64 = math.MaxInt64, math.MinInt64, math.MaxInt64, math.MinInt64
	for i := range scores {
		s := &scores[i]
		nLo, nHi = min(nLo, s.Nomination), max(nHi, s.Nomination)
		jLo, jHi = min(jLo, s.Juror), max(jHi, s.Juror)
	}
	for _, id := range c.in.Nominations {
		nLo, nHi = min(nLo, id), max(nHi, id)
	}
	c.noms = newIndexer(nLo, nHi, len(scores)+len(c.in.Nominations))
	c.jurs = newIndexer(jLo, jHi, len(scores))
	var counts []int32 // per bucket: its number of scores, later its next free slot
	addNom := func(id int64) int32 {
		n := c.noms.index(id)
		if int(n)*nc >= len(counts) {
			counts = append(counts, make([]int32, nc)...)
		}
		return n
	}
	for _, id := range c.in.Nominations {
		addNom(id)
	}

	c.keys = make([]int32, len(scores))
	c.jidx = make([]int32, len(scores))
	lastCrit, lastIdx := int64(0), int32(-1)
	valid := 0
	for i := range scores {
		s := &scores[i]
		ci := lastIdx
		if ci < 0 || s.Criterion != lastCrit {
			ci = c.critIndex(s.Criterion)
			lastCrit, lastIdx = s.Criterion, ci
		}
		if ci < 0 || math.IsNaN(s.Value) || math.IsInf(s.Value, 0) {
			c.keys[i] = -1
			c.res.Dropped++
			continue
		}
		k := addNom(s.Nomination)*int32(nc) + ci
		c.keys[i] = k
		c.jidx[i] = c.jurs.index(s.Juror)
		counts[k]++
		c.hasProj = c.hasProj || s.Project != 0
		valid++
	}
	c.nn, c.nj = len(c.noms.ids), len(c.jurs.ids)

	nb := c.nn * nc
	c.start = make([]int32, nb+1)
	for k := range nb {
		c.start[k+1] = c.start[k] + counts[k]
		counts[k] = c.start[k]
	}
	c.order = make([]int32, valid)
	for i, k := range c.keys {
		if k >= 0 {
			c.order[counts[k]] = int32(i)
			counts[k]++
		}
	}
}

// rollup makes one cell per (bucket, juror): the juror's value, or the mean
// (RollupBest: maximum) of their values when they have several.
func (c *computation) rollup() {
	nb, scores := c.nn*c.nc, c.in.Scores
	c.cells = make([]Cell, 0, len(c.order))
	c.cellJur = make([]int32, 0, len(c.order))
	c.cellStart = make([]int32, nb+1)
	stamp := make([]int32, c.nj) // per juror: the bucket+1 they were last seen in
	slot := make([]int32, c.nj)  // per juror: their cell in that bucket
	var rollN []int32            // per cell: number of values, for the mean
	for k := range nb {
		c.cellStart[k] = int32(len(c.cells))
		cid := c.crits[k%c.nc].id
		for _, i := range c.order[c.start[k]:c.start[k+1]] {
			s, j := &scores[i], c.jidx[i]
			if stamp[j] != int32(k+1) {
				stamp[j], slot[j] = int32(k+1), int32(len(c.cells))
				c.cells = append(c.cells, Cell{Juror: s.Juror, Criterion: cid, Value: s.Value})
				c.cellJur = append(c.cellJur, j)
				if rollN != nil {
					rollN = append(rollN, 1)
				}
				continue
			}
			cell := &c.cells[slot[j]]
			if c.best {
				cell.Value = max(cell.Value, s.Value)
				continue
			}
			if rollN == nil {
				rollN = make([]int32, len(c.cells), cap(c.cells))
				for x := range rollN {
					rollN[x] = 1
				}
			}
			cell.Value += s.Value
			rollN[slot[j]]++
		}
	}
	c.cellStart[nb] = int32(len(c.cells))
	for x, n := range rollN {
		if n > 1 {
			c.cells[x].Value /= float64(n)
		}
	}
}

// jurorStats computes every juror's μ and σ (population) on the normalised
// scale, two-pass for precision, and the jury's overall mean and SD.
func (c *computation) jurorStats() {
	c.mu, c.sigma, c.jN = make([]float64, c.nj), make([]float64, c.nj), make([]int32, c.nj)
	nb := c.nn * c.nc
	for b := range nb {
		k := &c.crits[b%c.nc]
		for x := c.cellStart[b]; x < c.cellStart[b+1]; x++ {
			j := c.cellJur[x]
			c.mu[j] += (c.cells[x].Value - k.min) * k.inv
			c.jN[j]++
		}
	}
	for j := range c.mu {
		if c.jN[j] > 0 {
			c.mu[j] /= float64(c.jN[j])
		}
	}
	for b := range nb {
		k := &c.crits[b%c.nc]
		for x := c.cellStart[b]; x < c.cellStart[b+1]; x++ {
			j := c.cellJur[x]
			d := (c.cells[x].Value-k.min)*k.inv - c.mu[j]
			c.sigma[j] += d * d
		}
	}
	var jury moments
	c.res.Jurors = make([]JurorStats, 0, c.nj)
	for j := range c.sigma {
		if c.jN[j] == 0 {
			continue
		}
		ss, n := c.sigma[j], float64(c.jN[j])
		c.sigma[j] = math.Sqrt(ss / n)
		jury.merge(n, c.mu[j], ss)
		c.res.Jurors = append(c.res.Jurors, JurorStats{Juror: c.jurs.ids[j], N: int(c.jN[j]), Mean: c.mu[j], SD: c.sigma[j]})
	}
	slices.SortFunc(c.res.Jurors, func(a, b JurorStats) int { return cmp.Compare(a.Juror, b.Juror) })
	if jury.n > 0 {
		c.res.JuryMean, c.res.JurySD = jury.mean, math.Sqrt(jury.ss/jury.n)
	}
}

// z standardises a normalised value of juror j; 0 when the juror's σ is 0.
func (c *computation) z(j int32, u float64) float64 {
	if c.sigma[j] < zeroSigma {
		return 0
	}
	return (u - c.mu[j]) / c.sigma[j]
}

// buildRows sets every cell's z and computes the rows, the project rows
// and Krippendorff's alpha.
func (c *computation) buildRows() {
	nc := c.nc
	rows := make([]Row, c.nn)
	stats := make([]CriterionStats, c.nn*nc)
	var disagreeBuf []int64
	var alphaTot moments        // over the pairable values
	var alphaDo float64         // Σ_u m_u·SS_u/(m_u − 1)
	seen := make([]int32, c.nj) // per juror: the nomination index+1 they were last counted in
	var pc *projectComputer
	if c.hasProj {
		pc = &projectComputer{crits: c.crits, zOf: c.z, seenP: make([]uint32, c.nj), seenG: make([]uint32, c.nj), pos: make([]int32, c.nj)}
	}
	for n := range c.nn {
		r := &rows[n]
		r.Nomination = c.noms.ids[n]
		b0, b1 := n*nc, (n+1)*nc
		r.Criteria = stats[b0:b1:b1]
		r.Cells = c.cells[c.cellStart[b0]:c.cellStart[b1]:c.cellStart[b1]]
		r.Scores = int(c.start[b1] - c.start[b0])
		var sw, sr, sz float64
		dStart := len(disagreeBuf)
		for ci := range nc {
			k := &c.crits[ci]
			a, e := c.cellStart[b0+ci], c.cellStart[b0+ci+1]
			for x := a; x < e; x++ {
				j := c.cellJur[x]
				c.cells[x].Z = c.z(j, (c.cells[x].Value-k.min)*k.inv)
				if seen[j] != int32(n+1) {
					seen[j] = int32(n + 1)
					r.Jurors++
				}
			}
			st, meanU, ssU := summarise(c.cells[a:e], k)
			r.Criteria[ci] = st
			if st.N >= 2 {
				m := float64(st.N)
				alphaDo += m * ssU / (m - 1)
				alphaTot.merge(m, meanU, ssU)
				c.res.AlphaUnits++
			}
			if st.Disagree {
				r.Disagree = true
				disagreeBuf = append(disagreeBuf, k.id)
			}
			if st.N > 0 && k.w > 0 {
				sw += k.w
				sr += k.w * meanU
				sz += k.w * st.ZMean
			}
		}
		if len(disagreeBuf) > dStart {
			r.DisagreeCriteria = disagreeBuf[dStart:len(disagreeBuf):len(disagreeBuf)]
		}
		if sw > 0 {
			r.RawMean, r.ZMean = sr/sw, sz/sw
			r.RawRank, r.ZRank = -1, -1 // to be ranked
		}
		if pc != nil {
			r.Projects = pc.projects(c.in.Scores, c.order[c.start[b0]:c.start[b1]], c.keys, c.jidx)
		}
	}
	c.res.Rows = rows

	// α = 1 − D_o/D_e with D_o = (2/n)·alphaDo and D_e = 2·SS/(n − 1).
	c.res.AlphaValues = int(alphaTot.n)
	if alphaTot.n >= 2 && alphaTot.ss > 1e-12*alphaTot.n {
		do := alphaDo / alphaTot.n
		de := alphaTot.ss / (alphaTot.n - 1)
		c.res.Alpha, c.res.AlphaDefined = 1-do/de, true
	}
}

// moments accumulates count, mean and sum of squared deviations, merging
// groups with Chan et al.'s parallel update.
type moments struct{ n, mean, ss float64 }

func (m *moments) merge(n, mean, ss float64) {
	if n == 0 {
		return
	}
	tot := m.n + n
	d := mean - m.mean
	m.ss += ss + d*d*m.n*n/tot
	m.mean += d * n / tot
	m.n = tot
}

// summarise computes one criterion's figures over cells whose Z is set. It
// also returns the normalised mean and sum of squared deviations (for alpha
// and the weighted means).
func summarise(cs []Cell, c *crit) (st CriterionStats, meanU, ssU float64) {
	st.Criterion = c.id
	st.N = len(cs)
	if st.N == 0 {
		return st, 0, 0
	}
	lo, hi := cs[0].Value, cs[0].Value
	var sum, zsum float64
	for i := range cs {
		v := cs[i].Value
		sum += v
		zsum += cs[i].Z
		lo, hi = min(lo, v), max(hi, v)
	}
	m := float64(st.N)
	mean := sum / m
	var ss float64
	for i := range cs {
		d := cs[i].Value - mean
		ss += d * d
	}
	st.Mean, st.Min, st.Max, st.ZMean = mean, lo, hi, zsum/m
	if st.N >= 2 {
		st.SD = math.Sqrt(ss / (m - 1))
		st.Disagree = st.SD > c.thSD || hi-lo > c.thSpan
	}
	return st, (mean - c.min) * c.inv, ss * c.inv * c.inv
}
