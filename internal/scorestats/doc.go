// Package scorestats computes the numbers and pictures behind a jury's
// ranking of one cycle. It is pure: no database, no HTTP, nothing of Heder's;
// callers load the criteria and the submitted, non-excluded scores, call
// Compute, and render Result (the data tables) and the SVG charts.
//
// # Scales
//
// Criteria may have different scales (1–5, 0–10). Every value v of a
// criterion with scale [Min, Max] is normalised to u = (v − Min)/(Max − Min)
// before anything is combined across criteria or jurors, so a weight means
// what it says whatever the scale. Per-criterion figures (CriterionStats,
// Cell, the strip plot) stay in the criterion's own scale units; combined
// figures (Row.RawMean, JurorStats, Result.JuryMean) are on 0–1, and
// Result.Scaled maps them back when all criteria share one scale (the ranks
// are the same either way, as the map is linear).
//
// # Definitions
//
//   - Rollup: when a cycle scores projects, a juror's scores of a
//     nomination's projects on one criterion become that juror's value for
//     the nomination: their mean, or their maximum ("best"). The nomination
//     level then proceeds as usual; Row.Projects keeps the project level.
//   - Raw weighted mean: per criterion the mean over jurors of u, then
//     Σ w·mean / Σ w over the criteria that have a value and weight > 0.
//   - Standardised (z) weighted mean: per juror, μ and σ (population SD) of
//     all that juror's values u in the cycle; z = (u − μ)/σ, or 0 when σ = 0;
//     then per criterion the mean of z over jurors, weighted like the raw
//     mean. A strict and a lenient juror count alike, whoever they scored.
//   - Ranks: competition ranking (1, 2, 2, 4), 1 = best, ties listed by
//     nomination ID; 0 for a nomination without a weighted score.
//   - Spread: sample SD (n − 1) per criterion across jurors, 0 when n < 2.
//   - Disagreement: a criterion is flagged when its SD exceeds 1/4 of the
//     scale range or its values span more than 1/2 of it (see Threshold).
//   - Agreement: Krippendorff's alpha, interval metric, over the units
//     (nomination, criterion) with jurors as coders, on u; units with fewer
//     than two values are dropped; undefined when D_e = 0.
//   - Leniency: per juror the mean and SD of u over their values (the μ and
//     σ of the z-scores), and their number.
//
// Compute documents each step precisely.
//
// # Pictures
//
// StripPlot and LeniencyChart return server-rendered SVG (template.HTML)
// built with escaped text only: no scripts, no event handlers, no style
// attributes (a strict Content-Security-Policy allows it). Each has
// role="img", a <title> as accessible name, a fixed viewBox and a width of
// 100%, and uses shapes and written values besides colour. They are meant
// to sit next to a data table of the same numbers, which is what screen
// readers read. Labels translates their words.
//
// # Speed
//
// Compute is linear in the number of scores apart from sorting the
// nominations: it indexes IDs densely, counting-sorts the scores by
// (nomination, criterion) and allocates a fixed handful of slices.
// 600,000 scores (2,000 nominations × 50 jurors × 6 criteria) take a few
// tens of milliseconds; see BenchmarkCompute600k.
package scorestats
