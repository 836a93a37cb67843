package scorestats

import (
	"testing"
	"time"
)

// reportCPU adds the CPU time per operation (user + system, all threads,
// GC included) as cpu-ns/op: on a shared machine ns/op is wall time and
// counts the waits for a core.
func reportCPU(b *testing.B, since time.Duration) {
	if t := cpuTime() - since; t > 0 {
		b.ReportMetric(float64(t.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkCompute600k is the size: 2,000 nominations × 50 jurors ×
// 6 criteria = 600,000 scores, seeded random with juror bias, in the order
// a database query sorted by nomination would return them.
func BenchmarkCompute600k(b *testing.B) {
	in := randomInput(42, 2000, 50, 6, func(n int) int64 { return int64(10_000 + n) })
	b.ReportAllocs()
	b.ResetTimer()
	t0 := cpuTime()
	defer func() { reportCPU(b, t0) }()
	for b.Loop() {
		res := Compute(in)
		if len(res.Rows) != 2000 || !res.AlphaDefined {
			b.Fatal("unexpected result")
		}
	}
}

// BenchmarkCompute600kProjects is the same volume scored per project:
// 2,000 nominations × 2 projects × 25 jurors × 6 criteria.
func BenchmarkCompute600kProjects(b *testing.B) {
	in := randomInput(42, 2000, 50, 6, func(n int) int64 { return int64(10_000 + n) })
	for i := range in.Scores {
		s := &in.Scores[i]
		// Jurors 2k−1 and 2k become one juror scoring two projects.
		s.Project = s.Nomination*10 + s.Juror%2
		s.Juror = (s.Juror + 1) / 2
	}
	b.ReportAllocs()
	b.ResetTimer()
	t0 := cpuTime()
	defer func() { reportCPU(b, t0) }()
	for b.Loop() {
		res := Compute(in)
		if len(res.Rows) != 2000 || len(res.Rows[0].Projects) != 2 {
			b.Fatal("unexpected result")
		}
	}
}

// BenchmarkStripPlot draws one nomination of the 600k cycle (50 jurors × 6
// criteria).
func BenchmarkStripPlot(b *testing.B) {
	in := randomInput(42, 20, 50, 6, func(n int) int64 { return int64(n + 1) })
	res := Compute(in)
	r := res.Rows[0]
	per := r.PerJuror()
	b.ReportAllocs()
	b.ResetTimer()
	t0 := cpuTime()
	defer func() { reportCPU(b, t0) }()
	for b.Loop() {
		_ = StripPlot(r, in.Criteria, nil, per, nil)
	}
}
