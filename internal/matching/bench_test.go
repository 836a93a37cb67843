package matching

import (
	"math/rand/v2"
	"testing"
)

// counties is a fixed list of county names for generated instances.
var counties = []string{"Agder", "Akershus", "Buskerud", "Finnmark", "Innlandet", "Møre og Romsdal",
	"Nordland", "Oslo", "Rogaland", "Telemark", "Troms", "Trøndelag", "Vestfold", "Vestland", "Østfold"}

// genProblem builds a seeded random instance: n nominations, m jurors, K = k,
// each cell conflicted with probability conflictRate. Nominees and jurors get
// random counties.
func genProblem(seed uint64, n, m, k int, conflictRate float64) Problem {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	p := Problem{K: k, Conflicts: map[Pair]bool{}}
	for i := range n {
		p.Nominations = append(p.Nominations, Nomination{ID: int64(1000 + i), County: counties[rng.IntN(len(counties))]})
	}
	for j := range m {
		p.Jurors = append(p.Jurors, Juror{ID: int64(1 + j), County: counties[rng.IntN(len(counties))]})
	}
	for _, nm := range p.Nominations {
		for _, u := range p.Jurors {
			if rng.Float64() < conflictRate {
				p.Conflicts[Pair{Juror: u.ID, Nomination: nm.ID}] = true
			}
		}
	}
	return p
}

func benchSolve(b *testing.B, p Problem) {
	b.ReportAllocs()
	var r Result
	for b.Loop() {
		var err error
		r, err = Solve(p)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(r.MaxLoad-r.MinLoad), "spread")
	if p.Bids != nil {
		b.ReportMetric(float64(r.EagerAssigned), "eager")
		b.ReportMetric(float64(r.NotWantedAssigned), "notwanted")
	}
}

// BenchmarkSolve2000x100 is the target from the issue: 2,000 nominations, 100
// jurors, K = 3, 5% random conflicts, exact, in under 5 s.
func BenchmarkSolve2000x100(b *testing.B) {
	benchSolve(b, genProblem(1, 2000, 100, 3, 0.05))
}

// BenchmarkSolve2000x100Spread is the same instance with county spreading.
func BenchmarkSolve2000x100Spread(b *testing.B) {
	p := genProblem(1, 2000, 100, 3, 0.05)
	p.SpreadCounties = true
	benchSolve(b, p)
}

// genBids gives each juror of p eager and not-wanted bids on a share of the
// nominations each, as a juror bidding in earnest on a large cycle might.
func genBids(seed uint64, p *Problem, share float64) {
	rng := rand.New(rand.NewPCG(seed, 0xb1d))
	p.Bids = map[Pair]Bid{}
	for _, u := range p.Jurors {
		for _, n := range p.Nominations {
			switch x := rng.Float64(); {
			case x < share:
				p.Bids[Pair{Juror: u.ID, Nomination: n.ID}] = Eager
			case x < 2*share:
				p.Bids[Pair{Juror: u.ID, Nomination: n.ID}] = NotWanted
			}
		}
	}
}

// BenchmarkSolve2000x100Bids is BenchmarkSolve2000x100 with bids: every
// juror marks 2% of the nominations eager and 2% not wanted, with and
// without county spreading. It reports how many bids were honoured.
func BenchmarkSolve2000x100Bids(b *testing.B) {
	for _, spread := range []bool{false, true} {
		name := "plain"
		if spread {
			name = "spread"
		}
		b.Run(name, func(b *testing.B) {
			p := genProblem(1, 2000, 100, 3, 0.05)
			p.SpreadCounties = spread
			genBids(3, &p, 0.02)
			benchSolve(b, p)
		})
	}
}

// BenchmarkSolveShapes covers other shapes: few jurors with high loads (many
// phases), many jurors, larger K, heavy conflicts, and a re-run with manual
// cells and Previous, with and without bids.
func BenchmarkSolveShapes(b *testing.B) {
	for _, tc := range []struct {
		name          string
		n, m, k       int
		rate          float64
		spread, rerun bool
		bids          float64
	}{
		{"2000x10k3", 2000, 10, 3, 0.05, false, false, 0},
		{"2000x300k3", 2000, 300, 3, 0.05, false, false, 0},
		{"500x100k5spread", 500, 100, 5, 0.05, true, false, 0},
		{"2000x100k3conflicts50", 2000, 100, 3, 0.5, false, false, 0},
		{"2000x100k3rerun", 2000, 100, 3, 0.05, true, true, 0},
		{"2000x100k3rerunBids", 2000, 100, 3, 0.05, true, true, 0.02},
	} {
		b.Run(tc.name, func(b *testing.B) {
			p := genProblem(2, tc.n, tc.m, tc.k, tc.rate)
			p.SpreadCounties = tc.spread
			if tc.bids > 0 {
				genBids(4, &p, tc.bids)
			}
			if tc.rerun {
				r, err := Solve(p)
				if err != nil {
					b.Fatal(err)
				}
				p.Previous = r.Assigned()
				// The admin removes the first cell of every tenth nomination.
				p.Fixed = map[Pair]bool{}
				for k := 0; k < len(r.Pairs); k += 30 {
					p.Fixed[r.Pairs[k]] = false
				}
			}
			benchSolve(b, p)
		})
	}
}
