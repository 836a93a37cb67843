package scorestats

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

const tol = 1e-9

func near(a, b float64) bool { return math.Abs(a-b) <= tol*max(1, math.Abs(b)) }

func checkNear(t *testing.T, what string, got, want float64) {
	t.Helper()
	if !near(got, want) {
		t.Errorf("%s = %.12g, want %.12g", what, got, want)
	}
}

// row finds a nomination's row.
func row(t *testing.T, res Result, nom int64) Row {
	t.Helper()
	for _, r := range res.Rows {
		if r.Nomination == nom {
			return r
		}
	}
	t.Fatalf("no row for nomination %d", nom)
	return Row{}
}

func order(res Result) []int64 {
	var ids []int64
	for _, r := range res.Rows {
		ids = append(ids, r.Nomination)
	}
	return ids
}

// s builds a nomination-level score.
func s(juror, nom, crit int64, v float64) Score {
	return Score{Juror: juror, Nomination: nom, Criterion: crit, Value: v}
}

// ps builds a project-level score.
func ps(juror, nom, project, crit int64, v float64) Score {
	return Score{Juror: juror, Nomination: nom, Project: project, Criterion: crit, Value: v}
}

func TestWeightedMean(t *testing.T) {
	// Two criteria on 1–5, weights 2 and 1. Juror 102 skipped criterion 20.
	//   criterion 10: 5, 4, 3 → mean 4, SD 1,    u = (4−1)/4 = 0.75
	//   criterion 20: 2, 4    → mean 3, SD √2,   u = (3−1)/4 = 0.5
	//   RawMean = (2·0.75 + 1·0.5)/3 = 2/3, i.e. 1 + 4·2/3 = 11/3 in scale
	//   units, which is the weighted mean of the scale means (2·4 + 3)/3.
	in := Input{
		Criteria: []Criterion{{ID: 10, Weight: 2, Min: 1, Max: 5}, {ID: 20, Weight: 1, Min: 1, Max: 5}},
		Scores: []Score{
			s(100, 1, 10, 5), s(101, 1, 10, 4), s(102, 1, 10, 3),
			s(100, 1, 20, 2), s(101, 1, 20, 4),
		},
	}
	res := Compute(in)
	r := row(t, res, 1)
	checkNear(t, "RawMean", r.RawMean, 2.0/3)
	checkNear(t, "Scaled(RawMean)", res.Scaled(r.RawMean), 11.0/3)
	if !res.SameScale || res.ScaleMin != 1 || res.ScaleMax != 5 {
		t.Errorf("scale = %v %v..%v, want true 1..5", res.SameScale, res.ScaleMin, res.ScaleMax)
	}
	want := []CriterionStats{
		{Criterion: 10, N: 3, Mean: 4, SD: 1, Min: 3, Max: 5},
		{Criterion: 20, N: 2, Mean: 3, SD: math.Sqrt2, Min: 2, Max: 4, Disagree: true},
	}
	if d := cmp.Diff(want, r.Criteria, cmpopts.EquateApprox(0, tol), cmpopts.IgnoreFields(CriterionStats{}, "ZMean")); d != "" {
		t.Errorf("criteria (-want +got):\n%s", d)
	}
	if r.Scores != 5 || r.Jurors != 3 || r.RawRank != 1 || r.ZRank != 1 {
		t.Errorf("scores, jurors, ranks = %d %d %d %d, want 5 3 1 1", r.Scores, r.Jurors, r.RawRank, r.ZRank)
	}
	if !r.Disagree || !slices.Equal(r.DisagreeCriteria, []int64{20}) {
		t.Errorf("disagree = %v %v, want true [20]", r.Disagree, r.DisagreeCriteria)
	}
	if st, ok := r.Criterion(20); !ok || st.Mean != 3 {
		t.Errorf("Criterion(20) = %+v, %v", st, ok)
	}

	t.Run("zero weight", func(t *testing.T) {
		in := Input{
			Criteria: []Criterion{{ID: 1, Weight: 1, Min: 0, Max: 10}, {ID: 2, Weight: 0, Min: 0, Max: 10}},
			Scores:   []Score{s(1, 1, 1, 6), s(1, 1, 2, 10), s(1, 2, 2, 10)},
		}
		res := Compute(in)
		// Weight 0 leaves criterion 2 out: nomination 1 is 0.6, and
		// nomination 2 (scored on criterion 2 only) is unranked.
		r1, r2 := row(t, res, 1), row(t, res, 2)
		checkNear(t, "RawMean", r1.RawMean, 0.6)
		if r1.RawRank != 1 || r2.RawRank != 0 || r2.ZRank != 0 || r2.RawMean != 0 {
			t.Errorf("ranks = %d, %d/%d (mean %v), want 1, 0/0 (0)", r1.RawRank, r2.RawRank, r2.ZRank, r2.RawMean)
		}
		if r2.Criteria[1].N != 1 || r2.Criteria[1].Mean != 10 {
			t.Errorf("unweighted criterion still described: %+v", r2.Criteria[1])
		}
	})
}

func TestMixedScales(t *testing.T) {
	// Criterion 1 is on 1–5, criterion 2 on 0–10, equal weights. Averaging
	// raw numbers would rank B first ((2+8)/2 = 5 > (5+4)/2 = 4.5), letting
	// the wider scale dominate. Normalised, A is top on criterion 1 (u 1)
	// and middling on criterion 2 (u 0.4): (1 + 0.4)/2 = 0.7; B is
	// (0.25 + 0.8)/2 = 0.525. A ranks first.
	const A, B = 1, 2
	in := Input{
		Criteria: []Criterion{{ID: 1, Weight: 1, Min: 1, Max: 5}, {ID: 2, Weight: 1, Min: 0, Max: 10}},
		Scores:   []Score{s(7, A, 1, 5), s(7, A, 2, 4), s(7, B, 1, 2), s(7, B, 2, 8)},
	}
	res := Compute(in)
	a, b := row(t, res, A), row(t, res, B)
	checkNear(t, "A.RawMean", a.RawMean, 0.7)
	checkNear(t, "B.RawMean", b.RawMean, 0.525)
	if a.RawRank != 1 || b.RawRank != 2 {
		t.Errorf("raw ranks A, B = %d, %d, want 1, 2", a.RawRank, b.RawRank)
	}
	// Per-criterion figures stay in scale units.
	if a.Criteria[0].Mean != 5 || a.Criteria[1].Mean != 4 || b.Criteria[1].Mean != 8 {
		t.Errorf("criterion means not in scale units: %+v %+v", a.Criteria, b.Criteria)
	}
	if res.SameScale || res.ScaleMin != 0 || res.ScaleMax != 1 || res.Scaled(0.7) != 0.7 {
		t.Errorf("mixed scales: SameScale %v, %v..%v", res.SameScale, res.ScaleMin, res.ScaleMax)
	}
	// Leniency is on 0–1 as well: u = 1, 0.4, 0.25, 0.8.
	checkNear(t, "juror mean", res.Jurors[0].Mean, (1+0.4+0.25+0.8)/4)

	t.Run("degenerate scale", func(t *testing.T) {
		res := Compute(Input{Criteria: []Criterion{{ID: 1, Weight: 1, Min: 3, Max: 3}}, Scores: []Score{s(1, 1, 1, 3.5)}})
		checkNear(t, "RawMean", res.Rows[0].RawMean, 0.5) // range treated as 1
	})
}

func TestZScores(t *testing.T) {
	// One criterion 1–5. Juror 1 gives 5, 3, 1 (u = 1, 0.5, 0): μ = 0.5,
	// σ = √(0.5/3) = √(1/6), z = +√1.5, 0, −√1.5. Juror 2 gives 4 to all
	// three: σ = 0, so z = 0 everywhere — no opinion on the order.
	in := Input{
		Criteria: []Criterion{{ID: 1, Weight: 1, Min: 1, Max: 5}},
		Scores: []Score{
			s(1, 10, 1, 5), s(1, 20, 1, 3), s(1, 30, 1, 1),
			s(2, 10, 1, 4), s(2, 20, 1, 4), s(2, 30, 1, 4),
		},
	}
	res := Compute(in)
	z := math.Sqrt(1.5)
	for _, c := range []struct {
		nom   int64
		z1    float64
		zmean float64
	}{{10, z, z / 2}, {20, 0, 0}, {30, -z, -z / 2}} {
		r := row(t, res, c.nom)
		checkNear(t, "ZMean", r.ZMean, c.zmean)
		for _, cell := range r.Cells {
			want := 0.0
			if cell.Juror == 1 {
				want = c.z1
			}
			checkNear(t, "cell Z", cell.Z, want)
		}
	}
	want := []JurorStats{{Juror: 1, N: 3, Mean: 0.5, SD: math.Sqrt(1.0 / 6)}, {Juror: 2, N: 3, Mean: 0.75, SD: 0}}
	if d := cmp.Diff(want, res.Jurors, cmpopts.EquateApprox(0, tol)); d != "" {
		t.Errorf("jurors (-want +got):\n%s", d)
	}
	// The jury: u = 1, 0.5, 0, 0.75, 0.75, 0.75; mean 0.625, population SD √(0.59375/6).
	checkNear(t, "JuryMean", res.JuryMean, 0.625)
	checkNear(t, "JurySD", res.JurySD, math.Sqrt(0.59375/6))
	if got := order(res); !slices.Equal(got, []int64{10, 20, 30}) {
		t.Errorf("order = %v", got)
	}

	t.Run("single score", func(t *testing.T) {
		res := Compute(Input{Criteria: in.Criteria, Scores: []Score{s(1, 1, 1, 5)}})
		if r := res.Rows[0]; r.ZMean != 0 || r.ZRank != 1 || res.Jurors[0].SD != 0 {
			t.Errorf("row %+v, juror %+v", r, res.Jurors[0])
		}
	})
}

func TestRanks(t *testing.T) {
	crit := []Criterion{{ID: 1, Weight: 1, Min: 0, Max: 10}}
	for _, tc := range []struct {
		name      string
		values    map[int64]float64 // nomination → its one score
		wantOrder []int64
		wantRanks []int  // in wantOrder
		wantTied  []bool // in wantOrder
	}{
		{"distinct", map[int64]float64{1: 3, 2: 9, 3: 6}, []int64{2, 3, 1}, []int{1, 2, 3}, []bool{false, false, false}},
		{"1,2,2,4", map[int64]float64{1: 9, 2: 7, 3: 7, 4: 5}, []int64{1, 2, 3, 4}, []int{1, 2, 2, 4}, []bool{false, true, true, false}},
		{"ties by ID", map[int64]float64{5: 9, 2: 9, 4: 7, 3: 7, 1: 5}, []int64{2, 5, 3, 4, 1}, []int{1, 1, 3, 3, 5},
			[]bool{true, true, true, true, false}},
		{"all tied", map[int64]float64{3: 4, 1: 4, 2: 4}, []int64{1, 2, 3}, []int{1, 1, 1}, []bool{true, true, true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var in Input
			in.Criteria = crit
			for nom, v := range tc.values {
				in.Scores = append(in.Scores, s(1, nom, 1, v))
			}
			res := Compute(in)
			if got := order(res); !slices.Equal(got, tc.wantOrder) {
				t.Fatalf("order = %v, want %v", got, tc.wantOrder)
			}
			for i, r := range res.Rows {
				if r.RawRank != tc.wantRanks[i] || r.ZRank != tc.wantRanks[i] {
					t.Errorf("nomination %d: ranks %d/%d, want %d", r.Nomination, r.RawRank, r.ZRank, tc.wantRanks[i])
				}
				if r.RawTied != tc.wantTied[i] || r.ZTied != tc.wantTied[i] {
					t.Errorf("nomination %d: tied %v/%v, want %v", r.Nomination, r.RawTied, r.ZTied, tc.wantTied[i])
				}
			}
		})
	}

	t.Run("float noise is a tie", func(t *testing.T) {
		// (0.1 + 0.2)/2 and (0 + 0.3)/2 differ in the last bit.
		in := Input{
			Criteria: []Criterion{{ID: 1, Weight: 1, Min: 0, Max: 1}, {ID: 2, Weight: 1, Min: 0, Max: 1}},
			Scores:   []Score{s(1, 7, 1, 0.1), s(1, 7, 2, 0.2), s(1, 6, 1, 0), s(1, 6, 2, 0.3)},
		}
		res := Compute(in)
		if res.Rows[0].RawMean == res.Rows[1].RawMean {
			t.Log("means happen to be equal bit for bit")
		}
		if got := order(res); !slices.Equal(got, []int64{6, 7}) || res.Rows[0].RawRank != 1 || res.Rows[1].RawRank != 1 {
			t.Errorf("order %v, ranks %d %d, want [6 7] 1 1", got, res.Rows[0].RawRank, res.Rows[1].RawRank)
		}
	})

	t.Run("rows sorted by z rank then raw rank", func(t *testing.T) {
		// Juror 1 (lenient) scores nominations 1, 2; juror 2 (strict) 3, 4.
		// z: both jurors' best get +1, worst −1, so 1 and 3 tie on z (rank
		// 1) and 2 and 4 tie (rank 3); raw ranks break the tie: 1 before 3.
		in := Input{Criteria: crit, Scores: []Score{s(1, 1, 1, 9), s(1, 2, 1, 7), s(2, 3, 1, 4), s(2, 4, 1, 2)}}
		res := Compute(in)
		if got := order(res); !slices.Equal(got, []int64{1, 3, 2, 4}) {
			t.Errorf("order = %v, want [1 3 2 4]", got)
		}
		var z, raw []int
		var zTied, rawTied []bool
		for _, r := range res.Rows {
			z, raw = append(z, r.ZRank), append(raw, r.RawRank)
			zTied, rawTied = append(zTied, r.ZTied), append(rawTied, r.RawTied)
		}
		if !slices.Equal(z, []int{1, 1, 3, 3}) || !slices.Equal(raw, []int{1, 3, 2, 4}) {
			t.Errorf("z ranks %v raw ranks %v", z, raw)
		}
		if !slices.Equal(zTied, []bool{true, true, true, true}) || !slices.Equal(rawTied, []bool{false, false, false, false}) {
			t.Errorf("z tied %v raw tied %v", zTied, rawTied)
		}
	})
}

func TestPlace(t *testing.T) {
	for _, tc := range []struct {
		rank int
		tied bool
		want string
	}{{1, false, "1"}, {1, true, "=1"}, {12, true, "=12"}, {0, false, "–"}, {0, true, "–"}} {
		if got := Place(tc.rank, tc.tied); got != tc.want {
			t.Errorf("Place(%d, %v) = %q, want %q", tc.rank, tc.tied, got, tc.want)
		}
	}
}

func TestSpreadAndDisagreement(t *testing.T) {
	for _, tc := range []struct {
		name     string
		values   []float64 // one criterion on 1–5, one juror each
		th       Threshold
		wantSD   float64
		disagree bool
	}{
		{"one value", []float64{3}, Threshold{}, 0, false},
		{"3 5: SD √2 > 1", []float64{3, 5}, Threshold{}, math.Sqrt2, true},
		{"3 4", []float64{3, 4}, Threshold{}, math.Sqrt(0.5), false},
		{"3 4 5: SD exactly 1, range exactly 2", []float64{3, 4, 5}, Threshold{}, 1, false},
		{"3 3 5", []float64{3, 3, 5}, Threshold{}, math.Sqrt(4.0 / 3), true},
		{"3 3 3 3 5", []float64{3, 3, 3, 3, 5}, Threshold{}, math.Sqrt(0.8), false},
		{"range 3 > 2, SD 0.78", []float64{1, 3, 3, 3, 3, 3, 3, 3, 4}, Threshold{}, math.Sqrt(44.0 / 72), true},
		{"range test off", []float64{1, 3, 3, 3, 3, 3, 3, 3, 4}, Threshold{SD: 0.25}, math.Sqrt(44.0 / 72), false},
		{"laxer SD", []float64{3, 5}, Threshold{SD: 0.5}, math.Sqrt2, false},
		{"range only: 1 not > 1", []float64{3, 4}, Threshold{Range: 0.25}, math.Sqrt(0.5), false},
		{"range only: 2 > 1", []float64{3, 5}, Threshold{Range: 0.25}, math.Sqrt2, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := Input{Criteria: []Criterion{{ID: 1, Weight: 1, Min: 1, Max: 5}}, Disagreement: tc.th}
			for j, v := range tc.values {
				in.Scores = append(in.Scores, s(int64(j+1), 1, 1, v))
			}
			r := Compute(in).Rows[0]
			checkNear(t, "SD", r.Criteria[0].SD, tc.wantSD)
			if r.Criteria[0].Disagree != tc.disagree || r.Disagree != tc.disagree || (len(r.DisagreeCriteria) > 0) != tc.disagree {
				t.Errorf("disagree = %v/%v/%v, want %v", r.Criteria[0].Disagree, r.Disagree, r.DisagreeCriteria, tc.disagree)
			}
		})
	}

	t.Run("per criterion and per scale", func(t *testing.T) {
		// 0–10: 2 and 6 have SD 2.83 > 2.5 → flagged; 1–5: 2 and 3 are not.
		in := Input{
			Criteria: []Criterion{{ID: 1, Weight: 1, Min: 1, Max: 5}, {ID: 2, Weight: 1, Min: 0, Max: 10}, {ID: 3, Weight: 1, Min: 0, Max: 10}},
			Scores:   []Score{s(1, 1, 1, 2), s(2, 1, 1, 3), s(1, 1, 2, 2), s(2, 1, 2, 6), s(1, 1, 3, 0), s(2, 1, 3, 10)},
		}
		r := Compute(in).Rows[0]
		if !slices.Equal(r.DisagreeCriteria, []int64{2, 3}) {
			t.Errorf("DisagreeCriteria = %v, want [2 3]", r.DisagreeCriteria)
		}
	})
}

func TestMissingData(t *testing.T) {
	in := Input{
		Criteria: []Criterion{{ID: 1, Weight: 3, Min: 0, Max: 10}, {ID: 2, Weight: 1, Min: 0, Max: 10}},
		Scores: []Score{
			s(1, 1, 1, 8), s(2, 1, 2, 4), // nomination 1: each juror one criterion
			s(1, 2, 2, 5),          // nomination 2: criterion 2 only
			s(1, 2, 9, 10),         // unknown criterion: dropped
			s(2, 2, 1, math.NaN()), // no value: dropped
		},
		Nominations: []int64{3, 1}, // 3 has no scores
	}
	res := Compute(in)
	if res.Dropped != 2 {
		t.Errorf("Dropped = %d, want 2", res.Dropped)
	}
	// Nomination 1: (3·0.8 + 1·0.4)/4 = 0.7. Nomination 2: criterion 2 only,
	// so its weight alone: 0.5.
	checkNear(t, "1.RawMean", row(t, res, 1).RawMean, 0.7)
	checkNear(t, "2.RawMean", row(t, res, 2).RawMean, 0.5)
	r2 := row(t, res, 2)
	if r2.Scores != 1 || r2.Jurors != 1 || r2.Criteria[0].N != 0 {
		t.Errorf("nomination 2: %d scores, %d jurors, criterion 1 N %d", r2.Scores, r2.Jurors, r2.Criteria[0].N)
	}
	r3 := res.Rows[len(res.Rows)-1]
	if r3.Nomination != 3 || r3.RawRank != 0 || r3.ZRank != 0 || r3.Scores != 0 || len(r3.Criteria) != 2 || len(r3.Cells) != 0 {
		t.Errorf("unscored nomination: %+v", r3)
	}
	if got := order(res); !slices.Equal(got, []int64{1, 2, 3}) {
		t.Errorf("order = %v, want [1 2 3]", got)
	}
	// No unit has two values: alpha is undefined.
	if res.AlphaDefined || res.AlphaUnits != 0 {
		t.Errorf("alpha defined %v over %d units", res.AlphaDefined, res.AlphaUnits)
	}

	t.Run("empty", func(t *testing.T) {
		res := Compute(Input{})
		if len(res.Rows) != 0 || res.AlphaDefined || res.SameScale {
			t.Errorf("Compute(Input{}) = %+v", res)
		}
		res = Compute(Input{Scores: []Score{s(1, 1, 1, 1)}, Nominations: []int64{5}})
		if res.Dropped != 1 || len(res.Rows) != 1 || res.Rows[0].Nomination != 5 {
			t.Errorf("no criteria: %+v", res)
		}
	})
}

func TestProjectRollup(t *testing.T) {
	// One criterion 1–5. Nomination 1 has projects 11 and 12, nomination 2
	// has project 21. Juror A (1) scores 11: 5, 12: 3, 21: 1; juror B (2)
	// scores 11: 4 and 21: 2, but not project 12.
	crit := []Criterion{{ID: 1, Weight: 1, Min: 1, Max: 5}}
	scores := []Score{
		ps(1, 1, 11, 1, 5), ps(1, 1, 12, 1, 3), ps(2, 1, 11, 1, 4),
		ps(1, 2, 21, 1, 1), ps(2, 2, 21, 1, 2),
	}
	for _, tc := range []struct {
		rollup     Rollup
		cellA      float64 // juror A's rolled-up value of nomination 1
		mean, sd   float64 // nomination 1, scale units
		zMean      float64
		projZ      [2]float64 // ZMean of projects 11 and 12
		jurorAMean float64
	}{
		// Mean: A's nomination 1 is (5+3)/2 = 4, B's 4 → mean 4, SD 0.
		// A's values u: 0.75, 0 → μ 0.375, σ 0.375; B's: 0.75, 0.25 → μ 0.5,
		// σ 0.25. Both z = +1 on nomination 1, −1 on nomination 2.
		// Project 11: A's 5 (u 1) → z 5/3, B's 4 → z 1, mean 4/3;
		// project 12: A's 3 (u 0.5) → z 1/3.
		{RollupMean, 4, 4, 0, 1, [2]float64{4.0 / 3, 1.0 / 3}, 0.375},
		// Best: A's nomination 1 is 5, B's 4 → mean 4.5, SD √0.5. A: u 1,
		// 0 → μ 0.5, σ 0.5; B as before. Project 11: z 1 and 1; project 12:
		// A's u 0.5 → z 0.
		{RollupBest, 5, 4.5, math.Sqrt(0.5), 1, [2]float64{1, 0}, 0.5},
		{"", 4, 4, 0, 1, [2]float64{4.0 / 3, 1.0 / 3}, 0.375}, // default: mean
	} {
		t.Run(string(tc.rollup), func(t *testing.T) {
			res := Compute(Input{Criteria: crit, Scores: scores, Rollup: tc.rollup})
			r := row(t, res, 1)
			if r.Scores != 3 || r.Jurors != 2 || r.Criteria[0].N != 2 {
				t.Errorf("scores %d jurors %d N %d, want 3 2 2", r.Scores, r.Jurors, r.Criteria[0].N)
			}
			checkNear(t, "mean", r.Criteria[0].Mean, tc.mean)
			checkNear(t, "SD", r.Criteria[0].SD, tc.sd)
			checkNear(t, "RawMean", r.RawMean, (tc.mean-1)/4)
			checkNear(t, "ZMean", r.ZMean, tc.zMean)
			checkNear(t, "juror A mean", res.Jurors[0].Mean, tc.jurorAMean)
			for _, c := range r.Cells {
				if c.Juror == 1 {
					checkNear(t, "A's cell", c.Value, tc.cellA)
				}
			}
			if len(r.Projects) != 2 {
				t.Fatalf("projects = %+v", r.Projects)
			}
			p11, p12 := r.Projects[0], r.Projects[1]
			if p11.Project != 11 || p11.Scores != 2 || p11.Jurors != 2 || p12.Project != 12 || p12.Scores != 1 || p12.Jurors != 1 {
				t.Errorf("project rows: %+v %+v", p11, p12)
			}
			checkNear(t, "p11 mean", p11.Criteria[0].Mean, 4.5)
			checkNear(t, "p11 SD", p11.Criteria[0].SD, math.Sqrt(0.5))
			checkNear(t, "p11 RawMean", p11.RawMean, 0.875)
			checkNear(t, "p12 RawMean", p12.RawMean, 0.5)
			checkNear(t, "p11 ZMean", p11.ZMean, tc.projZ[0])
			checkNear(t, "p12 ZMean", p12.ZMean, tc.projZ[1])
			if r2 := row(t, res, 2); len(r2.Projects) != 1 || r2.Projects[0].Project != 21 {
				t.Errorf("nomination 2 projects: %+v", r2.Projects)
			}
		})
	}

	t.Run("nomination level has no project rows", func(t *testing.T) {
		res := Compute(Input{Criteria: crit, Scores: []Score{s(1, 1, 1, 3)}})
		if res.Rows[0].Projects != nil {
			t.Errorf("Projects = %+v", res.Rows[0].Projects)
		}
	})
}

// krippendorff2011 is the reliability data matrix of Krippendorff (2011),
// "Computing Krippendorff's Alpha-Reliability", section C: four observers
// (rows) × 12 units (columns), 0 = missing. The paper gives α = 0.743
// (nominal), 0.815 (ordinal), 0.849 (interval), 0.797 (ratio).
var krippendorff2011 = [4][12]float64{
	{1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0},
	{1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3},
	{0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0},
	{1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0},
}

// nominalAlpha is a direct, slow transcription of the paper's nominal
// alpha via the coincidence matrix; it checks the data above.
func nominalAlpha(units [][]float64) float64 {
	o := map[[2]float64]float64{}
	nc := map[float64]float64{}
	var n float64
	for _, u := range units {
		if len(u) < 2 {
			continue
		}
		for i := range u {
			for j := range u {
				if i != j {
					o[[2]float64{u[i], u[j]}] += 1 / float64(len(u)-1)
				}
			}
		}
	}
	for k, v := range o {
		nc[k[0]] += v
		n += v
	}
	var agree, expect float64
	for c, v := range nc {
		agree += o[[2]float64{c, c}]
		expect += v * (v - 1)
	}
	return ((n-1)*agree - expect) / (n*(n-1) - expect)
}

func TestKrippendorffAlpha(t *testing.T) {
	var units [][]float64
	for u := range 12 {
		var vals []float64
		for c := range 4 {
			if v := krippendorff2011[c][u]; v != 0 {
				vals = append(vals, v)
			}
		}
		units = append(units, vals)
	}
	if got := nominalAlpha(units); math.Abs(got-0.743) > 0.0005 {
		t.Fatalf("nominal alpha of the transcribed data = %.4f, want 0.743: data wrong", got)
	}

	for _, scale := range [][2]float64{{1, 5}, {0, 10}} {
		in := Input{Criteria: []Criterion{{ID: 1, Weight: 1, Min: scale[0], Max: scale[1]}}}
		for c := range 4 {
			for u := range 12 {
				if v := krippendorff2011[c][u]; v != 0 {
					in.Scores = append(in.Scores, s(int64(c+1), int64(u+1), 1, v))
				}
			}
		}
		res := Compute(in)
		t.Logf("scale %v: interval alpha = %.6f over %d units, %d values", scale, res.Alpha, res.AlphaUnits, res.AlphaValues)
		if !res.AlphaDefined || math.Abs(res.Alpha-0.849) > 0.0005 {
			t.Errorf("scale %v: alpha = %.4f (defined %v), want 0.849", scale, res.Alpha, res.AlphaDefined)
		}
		// Unit 12 has a single value and is dropped: 11 units, 40 values
		// (the paper's n.. = 40).
		if res.AlphaUnits != 11 || res.AlphaValues != 40 {
			t.Errorf("units, values = %d, %d, want 11, 40", res.AlphaUnits, res.AlphaValues)
		}
	}

	for _, tc := range []struct {
		name    string
		scores  []Score
		alpha   float64
		defined bool
	}{
		{"perfect agreement", []Score{s(1, 1, 1, 1), s(2, 1, 1, 1), s(1, 2, 1, 5), s(2, 2, 1, 5), s(3, 2, 1, 5)}, 1, true},
		// Every value equal: D_e = 0.
		{"no variation", []Score{s(1, 1, 1, 3), s(2, 1, 1, 3), s(1, 2, 1, 3), s(2, 2, 1, 3)}, 0, false},
		{"nothing pairable", []Score{s(1, 1, 1, 1), s(2, 2, 1, 5)}, 0, false},
		// Two units (1, 5) and (5, 1): D_o = (1/4)·4·16/1 = 16, D_e =
		// (1/12)·8·16 = 32/3, α = 1 − 1.5 = −0.5: systematic disagreement.
		{"disagreement", []Score{s(1, 1, 1, 1), s(2, 1, 1, 5), s(1, 2, 1, 5), s(2, 2, 1, 1)}, -0.5, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := Compute(Input{Criteria: []Criterion{{ID: 1, Weight: 1, Min: 1, Max: 5}}, Scores: tc.scores})
			if res.AlphaDefined != tc.defined || !near(res.Alpha, tc.alpha) {
				t.Errorf("alpha = %v (defined %v), want %v (%v)", res.Alpha, res.AlphaDefined, tc.alpha, tc.defined)
			}
		})
	}
}

// TestLenientAndStrictJurors is the worked example of why the ranking
// standardises each juror's scores.
//
// Four nominations whose true order is A > B > C > D, one criterion on a
// 1–10 scale, two jurors. Sara is strict: her scores run 2 to 4. Leo is
// lenient: his run 6 to 8. The assignment happened to give Sara the two
// strongest nominations, A and B, and Leo the two weakest, C and D; both
// read C. Each juror ranks what they read correctly — Sara: A (4) > B (3) >
// C (2); Leo: C (8) > D (6) — and they agree that C is the weakest of
// Sara's and the best of Leo's.
//
// Raw means: A 4, B 3, C (2 + 8)/2 = 5, D 6. The raw ranking is D, C, A, B:
// the weakest nomination wins, only because the lenient juror scored it.
//
// Standardised, each score says how good a nomination is compared with what
// that juror usually gives. Sara: μ 3, σ √(2/3), so A +1.22, B 0, C −1.22.
// Leo: μ 7, σ 1, so C +1, D −1. Means: A +1.22, B 0, C −0.11, D −1, and the
// ranking is A, B, C, D: the true order.
func TestLenientAndStrictJurors(t *testing.T) {
	const (
		A, B, C, D = 1, 2, 3, 4
		sara, leo  = 100, 200
		quality    = 7
	)
	res := Compute(Input{
		Criteria: []Criterion{{ID: quality, Weight: 1, Min: 1, Max: 10}},
		Scores: []Score{
			s(sara, A, quality, 4), s(sara, B, quality, 3), s(sara, C, quality, 2),
			s(leo, C, quality, 8), s(leo, D, quality, 6),
		},
	})

	zS := 1 / math.Sqrt(2.0/3) // Sara's z for one point above her mean: 1.2247
	for _, w := range []struct {
		nom           int64
		rawMean       float64 // scale units
		zMean         float64
		rawRank, zRan int
	}{
		{A, 4, zS, 3, 1},
		{B, 3, 0, 4, 2},
		{C, 5, (-zS + 1) / 2, 2, 3},
		{D, 6, -1, 1, 4},
	} {
		r := row(t, res, w.nom)
		checkNear(t, "raw mean", res.Scaled(r.RawMean), w.rawMean)
		checkNear(t, "z mean", r.ZMean, w.zMean)
		if r.RawRank != w.rawRank || r.ZRank != w.zRan {
			t.Errorf("nomination %d: raw rank %d, z rank %d; want %d, %d", w.nom, r.RawRank, r.ZRank, w.rawRank, w.zRan)
		}
		t.Logf("nomination %c: raw mean %.2f (rank %d), z mean %+.4f (rank %d)", 'A'+rune(w.nom-1), res.Scaled(r.RawMean), r.RawRank, r.ZMean, r.ZRank)
	}
	if got := order(res); !slices.Equal(got, []int64{A, B, C, D}) {
		t.Errorf("rows in order %v, want A B C D", got)
	}

	// Leniency shows why: Sara's mean is 3, Leo's 7, in scale units.
	want := []JurorStats{{Juror: sara, N: 3, Mean: 2.0 / 9, SD: math.Sqrt(2.0/3) / 9}, {Juror: leo, N: 2, Mean: 6.0 / 9, SD: 1.0 / 9}}
	if d := cmp.Diff(want, res.Jurors, cmpopts.EquateApprox(0, tol)); d != "" {
		t.Errorf("leniency (-want +got):\n%s", d)
	}
	checkNear(t, "Sara's mean in scale units", res.Scaled(res.Jurors[0].Mean), 3)
	checkNear(t, "Leo's mean in scale units", res.Scaled(res.Jurors[1].Mean), 7)
	// C, the only nomination both read, is where they disagree (2 against 8).
	if !row(t, res, C).Disagree {
		t.Error("C not flagged")
	}
}

// randomInput builds a cycle with juror bias and nomination quality.
func randomInput(seed uint64, noms, jurors, crits int, nomID func(int) int64) Input {
	rng := rand.New(rand.NewPCG(seed, 1))
	in := Input{}
	for c := range crits {
		in.Criteria = append(in.Criteria, Criterion{ID: int64(c + 1), Weight: float64(1 + c%3), Min: 1, Max: 5})
	}
	bias := make([]float64, jurors)
	for j := range bias {
		bias[j] = rng.NormFloat64() * 0.7
	}
	in.Scores = make([]Score, 0, noms*jurors*crits)
	for n := range noms {
		q := rng.NormFloat64()
		for j := range jurors {
			for c := range crits {
				v := math.Round(3 + q + bias[j] + rng.NormFloat64()*0.8)
				in.Scores = append(in.Scores, s(int64(j+1), nomID(n), int64(c+1), min(max(v, 1), 5)))
			}
		}
	}
	return in
}

func TestInputOrderAndIDsDoNotMatter(t *testing.T) {
	in := randomInput(7, 40, 9, 3, func(n int) int64 { return int64(n + 1) })
	want := Compute(in)
	ignoreCells := cmpopts.IgnoreFields(Row{}, "Cells")

	shuffled := in
	shuffled.Scores = slices.Clone(in.Scores)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled.Scores), func(i, j int) {
		shuffled.Scores[i], shuffled.Scores[j] = shuffled.Scores[j], shuffled.Scores[i]
	})
	got := Compute(shuffled)
	if d := cmp.Diff(want, got, ignoreCells, cmpopts.EquateApprox(0, 1e-12)); d != "" {
		t.Errorf("shuffled input (-want +got):\n%s", d)
	}

	// Sparse IDs take the map path of the indexer; map them back.
	sparse := in
	sparse.Scores = slices.Clone(in.Scores)
	for i := range sparse.Scores {
		sparse.Scores[i].Nomination *= 1_000_000_007
		sparse.Scores[i].Juror = sparse.Scores[i].Juror<<40 + 3
	}
	got = Compute(sparse)
	for i := range got.Rows {
		got.Rows[i].Nomination /= 1_000_000_007
	}
	for i := range got.Jurors {
		got.Jurors[i].Juror >>= 40
	}
	if d := cmp.Diff(want, got, ignoreCells, cmpopts.EquateApprox(0, 1e-12)); d != "" {
		t.Errorf("sparse IDs (-want +got):\n%s", d)
	}

	// Every juror's z-scores have mean 0 and population SD 1.
	var zs = map[int64][]float64{}
	for _, r := range want.Rows {
		for _, c := range r.Cells {
			zs[c.Juror] = append(zs[c.Juror], c.Z)
		}
	}
	for j, z := range zs {
		var m, ss float64
		for _, v := range z {
			m += v
		}
		m /= float64(len(z))
		for _, v := range z {
			ss += (v - m) * (v - m)
		}
		if math.Abs(m) > 1e-9 || math.Abs(ss/float64(len(z))-1) > 1e-9 {
			t.Errorf("juror %d: z mean %g, variance %g", j, m, ss/float64(len(z)))
		}
	}
	if !want.AlphaDefined || want.Alpha <= 0 || want.Alpha >= 1 {
		t.Errorf("alpha = %v", want.Alpha)
	}
}

func TestPerJuror(t *testing.T) {
	res := Compute(Input{
		Criteria: []Criterion{{ID: 1, Weight: 1, Min: 1, Max: 5}, {ID: 2, Weight: 1, Min: 1, Max: 5}},
		Scores:   []Score{s(1, 9, 1, 4), s(1, 9, 2, 2), s(2, 9, 2, 5)},
	})
	want := map[int64]map[int64]float64{1: {1: 4, 2: 2}, 2: {2: 5}}
	if d := cmp.Diff(want, res.Rows[0].PerJuror()); d != "" {
		t.Errorf("PerJuror (-want +got):\n%s", d)
	}
}
