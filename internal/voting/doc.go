// Package voting owns a round's ranked vote (issue 15 §5): in a round of
// kind ranked_vote each juror who serves in it ranks the round's
// nominations instead of scoring them, saves the ballot as a draft and
// submits it, after which it is locked until the chair or an admin reopens
// it; the chair and the cycle's admins see the count by the Schulze method
// (internal/schulze) with its pairwise and strongest-path tables.
//
// A ballot ranks nominations from 1 (best); equal ranks are a tie on the
// ballot, and a nomination left unranked counts below every ranked one. A
// juror who must step aside from a nomination (juror_conflicts, or a
// nominee they have not declared about) cannot rank it, and their ballot
// abstains on it: it counts for no pair that includes it, so that the
// conflict weighs on the outcome neither way.
//
// Every write checks, in the statement that writes, that the round is the
// cycle's current one and that scoring_open holds by the database's clock,
// and is audited in its transaction (entity juror, the seat). The result
// is shown only once every serving juror has submitted or voting in the
// round is over; it reports ties and never breaks them: the chair decides,
// through the jury's decision as usual. Nobody reads another juror's
// ballot here, only the counts.
//
// The step comes after scoring and before deciding in the award's flow.
package voting
