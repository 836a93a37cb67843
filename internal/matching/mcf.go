package matching

// This file holds the min-cost flow engine: successive shortest paths in
// the primal-dual form. Each phase runs one Dijkstra with Johnson potentials
// (reduced costs are never negative) and then pushes a blocking flow (Dinic)
// through the subgraph of zero-reduced-cost arcs, so one shortest-path
// computation serves every augmenting path of the same length instead of a
// single unit.
//
// Besides ordinary arcs with a constant unit cost the network supports
// convex arcs: the u-th unit through such an arc costs marginal(base+u),
// which never decreases in u. A convex arc is exactly a bundle of parallel
// unit-capacity arcs with increasing costs (cheapest used first), but it is
// stored as one arc whose residual cost is computed from its current flow.
// That keeps the network small: a juror's load cost needs one arc, not one
// per possible nomination.

import "math"

const infDist = math.MaxInt64

// arc is one residual arc. Arcs come in pairs (forward and reverse); rev is
// the index of the partner.
type arc struct {
	to   int32
	rev  int32
	cap  int32 // residual capacity
	cv   int32 // 0: linear arc; k > 0: forward arc of convex k-1; k < 0: reverse arc of convex -k-1
	cost int64 // unit cost of a linear arc (negated on the reverse arc)
}

// convex describes the cost of a convex arc. The unit that brings the arc's
// total (base + flow) to x costs marginal(x) = a(2x-1) + b(x-1) + c, so x
// units in total cost a·x² + b·x(x-1)/2 + c·x. With a, b ≥ 0 the marginals
// never decrease, which is what makes the bundle-of-parallel-arcs view (and
// therefore the algorithm) exact.
type convex struct {
	base    int32 // units already present before any flow (fixed cells)
	flow    int32
	a, b, c int64
}

func (c *convex) marginal(x int32) int64 {
	X := int64(x)
	return c.a*(2*X-1) + c.b*(X-1) + c.c
}

type edgeSpec struct {
	from, to int32
	cap      int32
	cv       int32 // as in arc: 0 or convex index + 1
	cost     int64
}

// network is a flow network in compressed adjacency form.
type network struct {
	n     int32
	s, t  int32
	start []int32 // arcs of node v are arcs[start[v]:start[v+1]]
	arcs  []arc
	cvx   []convex
	fwd   []int32 // edge index -> position of its forward arc

	pi    []int64 // potentials; reduced cost of (u,v) is cost + pi[u] - pi[v] ≥ 0
	dist  []int64
	level []int32
	iter  []int32
	heap  distHeap
	queue []int32
}

// builder collects edges before the network is laid out.
type builder struct {
	n     int32
	edges []edgeSpec
	cvx   []convex
}

func (b *builder) node() int32 {
	b.n++
	return b.n - 1
}

// edge adds a linear arc and returns its edge index.
func (b *builder) edge(from, to, cap int32, cost int64) int {
	b.edges = append(b.edges, edgeSpec{from: from, to: to, cap: cap, cost: cost})
	return len(b.edges) - 1
}

// convexEdge adds a convex arc and returns its edge index.
func (b *builder) convexEdge(from, to, cap int32, c convex) int {
	b.cvx = append(b.cvx, c)
	b.edges = append(b.edges, edgeSpec{from: from, to: to, cap: cap, cv: int32(len(b.cvx))})
	return len(b.edges) - 1
}

func (b *builder) build(s, t int32) *network {
	n := b.n
	g := &network{
		n:     n,
		s:     s,
		t:     t,
		start: make([]int32, n+1),
		arcs:  make([]arc, 2*len(b.edges)),
		cvx:   b.cvx,
		fwd:   make([]int32, len(b.edges)),
		pi:    make([]int64, n),
		dist:  make([]int64, n),
		level: make([]int32, n),
		iter:  make([]int32, n),
	}
	for _, e := range b.edges {
		g.start[e.from+1]++
		g.start[e.to+1]++
	}
	for v := int32(0); v < n; v++ {
		g.start[v+1] += g.start[v]
	}
	next := make([]int32, n)
	copy(next, g.start[:n])
	for i, e := range b.edges {
		f := next[e.from]
		next[e.from]++
		r := next[e.to]
		next[e.to]++
		g.arcs[f] = arc{to: e.to, rev: r, cap: e.cap, cv: e.cv, cost: e.cost}
		g.arcs[r] = arc{to: e.from, rev: f, cap: 0, cv: -e.cv, cost: -e.cost}
		g.fwd[i] = f
	}
	return g
}

// used reports the flow on edge e.
func (g *network) used(e int) int32 {
	return g.arcs[g.arcs[g.fwd[e]].rev].cap
}

// cost is the current unit cost of residual arc a.
func (g *network) cost(a *arc) int64 {
	switch {
	case a.cv == 0:
		return a.cost
	case a.cv > 0:
		c := &g.cvx[a.cv-1]
		return c.marginal(c.base + c.flow + 1)
	default:
		c := &g.cvx[-a.cv-1]
		return -c.marginal(c.base + c.flow)
	}
}

func (g *network) push(i int32) {
	a := &g.arcs[i]
	a.cap--
	g.arcs[a.rev].cap++
	switch {
	case a.cv > 0:
		g.cvx[a.cv-1].flow++
	case a.cv < 0:
		g.cvx[-a.cv-1].flow--
	}
}

// minCostFlow sends up to need units from s to t at minimum cost and
// returns the amount sent. All initial arc costs must be non-negative (so
// zero potentials are feasible).
func (g *network) minCostFlow(need int) int {
	flow := 0
	for flow < need {
		if !g.dijkstra() {
			break
		}
		for flow < need && g.bfs() {
			copy(g.iter, g.start[:g.n])
			for flow < need && g.dfs(g.s) {
				flow++
			}
		}
	}
	return flow
}

// dijkstra computes shortest reduced distances from s, stopping once t is
// settled, and folds them into the potentials: pi[v] += min(dist[v],
// dist[t]). Afterwards every residual arc still has a non-negative reduced
// cost and every arc on a shortest s-t path has reduced cost zero. It
// reports whether t is reachable.
func (g *network) dijkstra() bool {
	dist := g.dist
	for i := range dist {
		dist[i] = infDist
	}
	h := &g.heap
	h.items = h.items[:0]
	dist[g.s] = 0
	h.push(0, g.s)
	dt := int64(infDist)
	for len(h.items) > 0 {
		d, u := h.pop()
		if d != dist[u] {
			continue // stale entry
		}
		if u == g.t {
			dt = d
			break
		}
		pu := g.pi[u]
		end := g.start[u+1]
		for i := g.start[u]; i < end; i++ {
			a := &g.arcs[i]
			if a.cap <= 0 {
				continue
			}
			nd := d + g.cost(a) + pu - g.pi[a.to]
			if nd < dist[a.to] {
				dist[a.to] = nd
				h.push(nd, a.to)
			}
		}
	}
	if dt == infDist {
		return false
	}
	for v, d := range dist {
		g.pi[v] += min(d, dt)
	}
	return true
}

// bfs layers the admissible subgraph (residual arcs with reduced cost zero)
// from s and reports whether t is reachable in it.
func (g *network) bfs() bool {
	for i := range g.level {
		g.level[i] = -1
	}
	q := g.queue[:0]
	g.level[g.s] = 0
	q = append(q, g.s)
	for h := 0; h < len(q); h++ {
		u := q[h]
		if lt := g.level[g.t]; lt >= 0 && g.level[u] >= lt {
			break
		}
		pu := g.pi[u]
		end := g.start[u+1]
		for i := g.start[u]; i < end; i++ {
			a := &g.arcs[i]
			if a.cap > 0 && g.level[a.to] < 0 && g.cost(a)+pu-g.pi[a.to] == 0 {
				g.level[a.to] = g.level[u] + 1
				q = append(q, a.to)
			}
		}
	}
	g.queue = q
	return g.level[g.t] >= 0
}

// dfs finds one admissible s-t path along increasing levels and pushes one
// unit along it. Every path carries a single unit: nomination→juror arcs
// have capacity one, and a convex arc's cost may rise after each unit.
// Admissibility is re-checked live for the same reason.
func (g *network) dfs(u int32) bool {
	if u == g.t {
		return true
	}
	pu := g.pi[u]
	next := g.level[u] + 1
	end := g.start[u+1]
	for i := g.iter[u]; i < end; i++ {
		a := &g.arcs[i]
		if a.cap > 0 && g.level[a.to] == next && g.cost(a)+pu-g.pi[a.to] == 0 && g.dfs(a.to) {
			g.iter[u] = i
			g.push(i)
			return true
		}
	}
	g.iter[u] = end
	return false
}

// distHeap is a binary min-heap of (distance, node) with lazy deletion.
// Ties are broken by node index, so runs are deterministic.
type distHeap struct {
	items []heapItem
}

type heapItem struct {
	d int64
	v int32
}

func (x heapItem) less(y heapItem) bool {
	return x.d < y.d || (x.d == y.d && x.v < y.v)
}

func (h *distHeap) push(d int64, v int32) {
	h.items = append(h.items, heapItem{d, v})
	it := h.items
	i := len(it) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !it[i].less(it[p]) {
			break
		}
		it[i], it[p] = it[p], it[i]
		i = p
	}
}

func (h *distHeap) pop() (int64, int32) {
	it := h.items
	top := it[0]
	last := len(it) - 1
	it[0] = it[last]
	it = it[:last]
	i := 0
	for {
		l := 2*i + 1
		if l >= len(it) {
			break
		}
		m := l
		if r := l + 1; r < len(it) && it[r].less(it[l]) {
			m = r
		}
		if !it[m].less(it[i]) {
			break
		}
		it[i], it[m] = it[m], it[i]
		i = m
	}
	h.items = it
	return top.d, top.v
}
