// Package scoring owns the jurors' work on the nominations: each juror's
// list of nominations with progress, the scores (per criterion, or per
// criterion and project when the cycle scores projects) saved as drafts and
// submitted together, the chair's reopening of a juror's submitted scores,
// the jury's discussion thread and the progress board.
//
// Which nominations a juror works on is the database view
// juror_nominations, and which of them they may see now (having declared
// their conflicts about every nominee organisation)
// juror_visible_nominations; conflicts come from juror_conflicts. Who may see and
// do what is decided by internal/policy from facts read in one query;
// every write checks the cycle's scoring deadline against the database's
// clock in the statement that writes, and is audited in its transaction.
// Scores, comments and conflicts are internal jury working papers.
// Rolling project scores up to a nomination's figure, and ranking, belong
// to the ranking package.
package scoring
