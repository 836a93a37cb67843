package schulze

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkCompute12x10 is a final vote's size: 12 jurors ranking 10
// finalists, with some ties and unranked finalists.
func BenchmarkCompute12x10(b *testing.B) {
	rng := rand.New(rand.NewPCG(12, 10))
	ids := make([]int64, 10)
	for i := range ids {
		ids[i] = int64(5000 + 7*i)
	}
	ballots := make([]Ballot, 12)
	for j := range ballots {
		ballots[j] = Ballot{}
		for _, id := range ids {
			if rng.IntN(10) > 0 {
				ballots[j][id] = 1 + rng.IntN(8)
			}
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		r, err := Compute(ids, ballots)
		if err != nil || len(r.Winners) == 0 {
			b.Fatal(err)
		}
		_ = r.Path(r.Groups[0][0], r.Groups[len(r.Groups)-1][0])
	}
}
