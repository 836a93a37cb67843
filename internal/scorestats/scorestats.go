package scorestats

// Default disagreement thresholds, as fractions of a criterion's scale range
// (Max − Min). See Threshold.
const (
	DefaultSDThreshold    = 0.25
	DefaultRangeThreshold = 0.5
)

// Criterion is one scoring criterion of a cycle. IDs must be unique.
type Criterion struct {
	ID int64
	// Weight is the criterion's relative weight in the weighted means. A
	// weight ≤ 0 (or NaN) leaves the criterion out of the weighted means;
	// its spread, disagreement flag and agreement (alpha) still count.
	Weight float64
	// Min and Max are the ends of the criterion's scale, e.g. 1 and 5. A
	// degenerate scale (Max ≤ Min, or not finite) is treated as having
	// range 1, i.e. values are only shifted by Min.
	Min, Max float64
}

// Score is one submitted, non-excluded score. Leave out scores without a
// value (NULL) and scores from excluded submissions before calling Compute.
type Score struct {
	Juror      int64
	Nomination int64
	Criterion  int64
	// Project is the linked project the score is about, or 0 for a score
	// of the nomination as a whole.
	Project int64
	// Value is in the criterion's scale units. It is not clamped to
	// [Min, Max]. A NaN or infinite value is dropped (Result.Dropped).
	Value float64
}

// Rollup says how a juror's scores of several projects of one nomination
// (on one criterion) become that juror's score of the nomination.
type Rollup string

// The rollups. The zero value, and anything but RollupBest, means RollupMean.
const (
	RollupMean Rollup = "mean" // arithmetic mean of the juror's project scores
	RollupBest Rollup = "best" // the juror's highest project score
)

// Threshold says when a criterion's values for a nomination count as
// strong disagreement between jurors. Both fields are fractions of the
// criterion's scale range (Max − Min); a criterion is flagged when
//
//	sample SD > SD·(Max − Min)    or    (largest − smallest value) > Range·(Max − Min)
//
// (strictly greater, with 1e-9 tolerance for rounding). It takes at least
// two values to disagree. The zero Threshold means the defaults, SD 0.25 and
// Range 0.5: on a 1–5 scale two jurors giving 3 and 5 (SD 1.41 > 1) are
// flagged, three jurors giving 3, 4, 5 (SD exactly 1, range exactly 2) are
// not, and neither is 3, 3, 3, 3, 5; 2, 3, 3, 3, 5 is (range 3 > 2). In a
// non-zero Threshold a field ≤ 0 turns that test off, e.g. Threshold{SD:
// 0.25} tests the SD only (the range grows with the number of jurors, so
// large juries may prefer that).
type Threshold struct {
	SD    float64
	Range float64
}

// Input is everything Compute needs about one cycle.
type Input struct {
	Criteria []Criterion
	// Scores holds the submitted, non-excluded scores, in any order.
	// Scores on a criterion not in Criteria are dropped (Result.Dropped).
	Scores []Score
	// Nominations optionally lists nominations to include even if nobody
	// has scored them; they get a Row with no scores and rank 0.
	Nominations []int64
	// Rollup applies when a juror has several values in one (nomination,
	// criterion) cell, i.e. when the cycle scores projects.
	Rollup Rollup
	// Disagreement is the threshold for Row.Disagree; zero means the
	// defaults (see Threshold).
	Disagreement Threshold
}

// CriterionStats describes the values of one criterion for one nomination
// (or one project). Mean, SD, Min and Max are in the criterion's scale units.
type CriterionStats struct {
	Criterion int64
	// N is the number of jurors with a value (after the project rollup).
	N int
	// Mean is the plain mean over jurors of their values.
	Mean float64
	// SD is the sample standard deviation across jurors (divisor N − 1);
	// 0 when N < 2. This is the "spread".
	SD float64
	// Min and Max are the smallest and largest value given (0 when N = 0).
	Min, Max float64
	// ZMean is the mean over jurors of their standardised values.
	ZMean float64
	// Disagree is set when the values exceed Input.Disagreement.
	Disagree bool
}

// Cell is one juror's value for one criterion of a nomination, after the
// project rollup: the dots of a strip plot.
type Cell struct {
	Juror     int64
	Criterion int64
	Value     float64 // scale units
	Z         float64 // the juror-standardised value (see Compute)
}

// ProjectRow is the project level of a nomination scored per project: the
// same figures as Row, over the jurors' scores of that one project.
type ProjectRow struct {
	Project int64
	RawMean float64 // weighted mean of normalised criterion means, 0–1
	ZMean   float64 // weighted mean of criterion z means
	Scores  int     // number of scores of the project
	Jurors  int     // number of distinct jurors who scored the project
	// Criteria has one entry per Input.Criteria, in that order.
	Criteria []CriterionStats
}

// Row is one nomination's line in the ranking.
type Row struct {
	Nomination int64
	// RawMean is the weighted mean of the criterion means on the
	// normalised 0–1 scale (Result.Scaled turns it into scale units when
	// all criteria share a scale). ZMean is the same over z-scores.
	RawMean, ZMean float64
	// RawRank and ZRank are competition ranks, 1 = best ("1, 2, 2, 4");
	// 0 means unranked: no score on a criterion with positive weight.
	RawRank, ZRank int
	// RawTied and ZTied are set when another ranked row shares the rank:
	// a tie, which readers should see as one ("=2").
	RawTied, ZTied bool
	// Scores is the number of scores used (every project score counts);
	// Jurors the number of distinct jurors among them.
	Scores, Jurors int
	// Criteria has one entry per Input.Criteria, in that order, with the
	// spread (SD) per criterion.
	Criteria []CriterionStats
	// Disagree is set when any criterion is flagged; DisagreeCriteria
	// lists those criteria in Input.Criteria order.
	Disagree         bool
	DisagreeCriteria []int64
	// Projects holds the project level, ordered by project ID, when the
	// nomination has project scores; nil otherwise.
	Projects []ProjectRow
	// Cells holds the jurors' values after the rollup, grouped by criterion
	// in Input.Criteria order, within a criterion in the order of the
	// jurors' first score in Input.Scores. It shares storage with the other
	// rows: do not append to it.
	Cells []Cell
}

// Criterion returns the nomination's figures for one criterion.
func (r Row) Criterion(id int64) (CriterionStats, bool) {
	for _, s := range r.Criteria {
		if s.Criterion == id {
			return s, true
		}
	}
	return CriterionStats{}, false
}

// PerJuror returns the row's values as juror → criterion → value (scale
// units), the shape StripPlot takes.
func (r Row) PerJuror() map[int64]map[int64]float64 {
	m := make(map[int64]map[int64]float64)
	for _, c := range r.Cells {
		j := m[c.Juror]
		if j == nil {
			j = make(map[int64]float64)
			m[c.Juror] = j
		}
		j[c.Criterion] = c.Value
	}
	return m
}

// JurorStats is one juror's leniency: the mean and population standard
// deviation of their values on the normalised 0–1 scale, over N values
// (one per nomination × criterion they scored, after the project rollup).
// These are exactly the μ and σ used for the juror's z-scores.
type JurorStats struct {
	Juror int64
	N     int
	Mean  float64
	SD    float64
}

// Result is the ranking of one cycle.
type Result struct {
	// Rows is sorted by ZRank, then RawRank, then nomination ID; unranked
	// rows come last, by nomination ID.
	Rows []Row
	// Jurors is sorted by juror ID.
	Jurors []JurorStats
	// Alpha is Krippendorff's alpha (interval metric) over the units
	// (nomination, criterion), on normalised values. AlphaDefined is false
	// when there is nothing to compare (fewer than two pairable values, or
	// no variation at all), and Alpha is then 0. AlphaUnits and AlphaValues
	// count the pairable units (≥ 2 values) and the values in them.
	Alpha                   float64
	AlphaDefined            bool
	AlphaUnits, AlphaValues int
	// JuryMean and JurySD are the mean and population SD of all values on
	// the normalised scale: the jury's overall leniency.
	JuryMean, JurySD float64
	// SameScale is true when every criterion has the same Min and Max;
	// ScaleMin and ScaleMax are then that scale, and otherwise 0 and 1.
	SameScale          bool
	ScaleMin, ScaleMax float64
	// Dropped counts scores left out: unknown criterion or non-finite value.
	Dropped int
}

// Scaled turns a normalised 0–1 figure (RawMean, JurorStats.Mean) into the
// common scale's units; with mixed scales it returns u unchanged.
func (r Result) Scaled(u float64) float64 { return r.ScaleMin + u*(r.ScaleMax-r.ScaleMin) }

// ScaledSD does the same for a spread (JurorStats.SD).
func (r Result) ScaledSD(sd float64) float64 { return sd * (r.ScaleMax - r.ScaleMin) }
