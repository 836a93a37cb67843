// Package assignment owns how a cycle's nominations are shared among its
// jurors: the cycle's mode (everyone scores every nomination they are not
// conflicted with, or an automatic assignment of k jurors per
// nomination), the admin's manual cells, and the automatic run, which
// hands the exact solver in internal/matching the cycle's jurors,
// nominations, conflicts, manual cells and the jurors' bids and writes its
// answer back.
//
// Bids (bids.go) are each juror's own: before the first automatic run a
// seated, declared juror marks nominations eager or not wanted (willing
// is no mark), while the database's bidding_open says so. The solver
// honours them only among the most balanced assignments, and the matrix's
// BidReport (bidreport.go) names every bid not honoured and why.
//
// Which nominations a juror works on is never decided here but by the
// database view juror_nominations, which reads the mode and the
// assignments table this package writes; the matrix shows that view, so
// it can never disagree with what jurors see. Conflicts always win: a
// conflicted cell is never assigned, whatever the assignments table says.
//
// The matrix names jurors, nominations and conflicts of interest with
// their reasons: internal jury working papers (offentleglova § 14), shown
// to site admins and the cycle's chair only. A person with a seat on the
// jury never sees the nominations that seat must step aside from, or has
// not yet declared about, even as an admin.
package assignment
