package scorestats

import (
	"cmp"
	"slices"
)

// projectComputer builds the project level of nominations, reusing its
// scratch space from one nomination to the next.
type projectComputer struct {
	crits  []crit
	zOf    func(j int32, u float64) float64
	seenP  []uint32 // per juror: the project (generation) they were last counted in
	seenG  []uint32 // per juror: the (project, criterion) group they were last seen in
	pos    []int32  // per juror: their value's index in group
	genP   uint32
	genG   uint32
	ids    []int64 // the nomination's project IDs, by slot
	end    []int32 // per slot: end of its items in sorted
	slots  []int32 // slots in project ID order
	items  []projItem
	sorted []projItem
	group  []Cell    // one criterion's values of one project
	groupJ []int32   // their juror indexes
	groupN []float64 // their number of scores
	stats  []CriterionStats
	rows   []ProjectRow
}

type projItem struct {
	slot, ci, j int32
	juror       int64
	value       float64
}

// projects computes the project rows of one nomination from its scores
// (idx, in bucket order, so by criterion).
func (p *projectComputer) projects(scores []Score, idx []int32, keys, jidx []int32) []ProjectRow {
	nc := int32(len(p.crits))
	p.ids, p.items = p.ids[:0], p.items[:0]
	last := -1
	for _, i := range idx {
		s := &scores[i]
		if s.Project == 0 {
			continue
		}
		if last < 0 || p.ids[last] != s.Project {
			if last = slices.Index(p.ids, s.Project); last < 0 {
				p.ids = append(p.ids, s.Project)
				last = len(p.ids) - 1
			}
		}
		p.items = append(p.items, projItem{int32(last), keys[i] % nc, jidx[i], s.Juror, s.Value})
	}
	if len(p.items) == 0 {
		return nil
	}

	// Stable counting sort by project slot: each project's items stay in
	// criterion order.
	np := len(p.ids)
	p.end = append(p.end[:0], make([]int32, np+1)...)
	for _, it := range p.items {
		p.end[it.slot+1]++
	}
	for x := 1; x <= np; x++ {
		p.end[x] += p.end[x-1]
	}
	p.sorted = append(p.sorted[:0], p.items...)
	for _, it := range p.items {
		p.sorted[p.end[it.slot]] = it
		p.end[it.slot]++
	} // now p.end[slot] is the end of the slot's items
	p.slots = p.slots[:0]
	for x := range np {
		p.slots = append(p.slots, int32(x))
	}
	slices.SortFunc(p.slots, func(a, b int32) int { return cmp.Compare(p.ids[a], p.ids[b]) })

	r0 := len(p.rows)
	for _, sl := range p.slots {
		a, b := int32(0), p.end[sl]
		if sl > 0 {
			a = p.end[sl-1]
		}
		p.genP++
		s0 := len(p.stats)
		for ci := range p.crits {
			p.stats = append(p.stats, CriterionStats{Criterion: p.crits[ci].id})
		}
		pr := ProjectRow{Project: p.ids[sl], Scores: int(b - a), Criteria: p.stats[s0:len(p.stats):len(p.stats)]}
		var sw, sr, sz float64
		for x := a; x < b; {
			ci := p.sorted[x].ci
			c := &p.crits[ci]
			p.genG++
			p.group, p.groupJ, p.groupN = p.group[:0], p.groupJ[:0], p.groupN[:0]
			for ; x < b && p.sorted[x].ci == ci; x++ {
				it := &p.sorted[x]
				if p.seenP[it.j] != p.genP {
					p.seenP[it.j] = p.genP
					pr.Jurors++
				}
				// A repeated (juror, project, criterion) score is averaged.
				if p.seenG[it.j] == p.genG {
					g := p.pos[it.j]
					p.group[g].Value += it.value
					p.groupN[g]++
					continue
				}
				p.seenG[it.j], p.pos[it.j] = p.genG, int32(len(p.group))
				p.group = append(p.group, Cell{Juror: it.juror, Criterion: c.id, Value: it.value})
				p.groupJ = append(p.groupJ, it.j)
				p.groupN = append(p.groupN, 1)
			}
			for g := range p.group {
				gc := &p.group[g]
				gc.Value /= p.groupN[g]
				gc.Z = p.zOf(p.groupJ[g], (gc.Value-c.min)*c.inv)
			}
			st, meanU, _ := summarise(p.group, c)
			pr.Criteria[ci] = st
			if c.w > 0 {
				sw += c.w
				sr += c.w * meanU
				sz += c.w * st.ZMean
			}
		}
		if sw > 0 {
			pr.RawMean, pr.ZMean = sr/sw, sz/sw
		}
		p.rows = append(p.rows, pr)
	}
	return p.rows[r0:len(p.rows):len(p.rows)]
}
