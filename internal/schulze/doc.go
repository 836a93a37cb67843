// Package schulze counts a ranked vote by the Schulze method, for a jury's
// final vote between finalists. It is pure: no database, no HTTP, nothing
// else of Heder's. The use case loads the ballots, calls Compute and shows
// Result: its tables are the explanation of the outcome.
//
// # The method
//
// Every juror ranks the candidates; equal ranks are allowed, and a candidate
// left unranked counts below every ranked one and equal to the other
// unranked ones. Then, as in Schulze's paper and Wikipedia's "Schulze
// method":
//
//   - d[X][Y] is the number of ballots that rank X strictly above Y (the
//     pairwise preferences).
//   - X has a link to Y of strength d[X][Y] when d[X][Y] > d[Y][X] (the
//     "winning votes" measure); a pair the ballots split evenly has no link.
//   - A path's strength is that of its weakest link, and p[X][Y] is the
//     strength of the strongest path from X to Y, or 0 when there is none
//     (computed Floyd–Warshall style, O(n³)).
//   - X beats Y when p[X][Y] > p[Y][X]. Schulze proved this relation
//     transitive, so it never runs in a circle.
//   - The potential winners are the X with p[X][Y] ≥ p[Y][X] for every Y;
//     there is always at least one.
//
// A voter may also abstain on some candidates (ComputeAbstaining): such a
// ballot counts for no pair that includes one of them, so that a juror who
// steps aside from a finalist for a conflict of interest weighs on it
// neither way. Pairs then differ in how many ballots speak to them, which
// the method takes as it is: it works on the pairwise table alone.
//
// # Why a jury's final vote
//
// The method is Condorcet-consistent: a finalist whom, against each other
// finalist in turn, more jurors rank above than below wins alone, whatever
// else is on the ballots. It takes ballots with ties and unranked finalists
// as they are, without asking a juror for a strict order they do not have.
// And every step can be shown: the pairwise table says how the jurors voted
// pair by pair, and the path table and Result.Path show the chain of
// pairwise wins that decided each comparison, so a jury and a ministry can
// check the outcome by hand.
//
// # Ties are reported, not broken
//
// Schulze's paper breaks remaining ties with a random ballot; this package
// does not: what to do with a tie is for the jury's rules to say. The
// order is reported as groups (Result.Groups), best first, so that every
// member of a group beats every member of each later group, and the groups
// are as small as that allows. Usually every group is a single finalist or
// a set of finalists all tied pair by pair. Beating is not always a ranking
// with ties, though: in Schulze's own example (B and D are potential
// winners, D beats A, B beats C, every other pair is tied) no candidate can
// be placed above or below the rest as a whole, so all four form one group
// and only Result.Winners tells that A and C cannot win. Result.Tied is set
// whenever some group has more than one member; len(Result.Winners) > 1
// exactly when the first group does.
package schulze
