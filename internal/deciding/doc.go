// Package deciding owns what the chair of a jury and the secretariat do
// once the scores are in: the ranking of a cycle's nominations (computed
// by the pure package scorestats from the scores that count), the decision
// (finalists, winners and honourable mentions with the jury's
// statements), the written feedback to every assessed nomination, the
// score exports and the printable jury report.
//
// A cycle judges in rounds (awards.Round). Each round is ranked on its
// own: its criteria, the submissions made in it, the nominations taking
// part in it. The chair closes a round by advancing chosen nominations
// into the next, each with a reason (Advance); advancing into the last
// round records the shortlist as finalists. The decision, the report and
// the jury book are of the current round's ranking; the score export
// holds every round's scores, each labelled with its round, and feedback
// drafts take the comments of every round, round by round. The jurors of
// a later round may see how a nomination fared before (EarlierResults).
//
// Who may do it is one rule, policy.CanDecide: the chair of the cycle,
// once declared, and site admins. A seated reader (the chair, or an admin
// who is also a juror) never sees a nomination they must step aside from
// (juror_conflicts) or whose nominee organisations they have not yet
// declared about (conflict_reviews): such nominations are left out of
// everything this package returns them, the ranking's computation
// included, so that not even a gap in the ranks shows where they stand.
//
// Scores count when their juror submitted them (score_submissions), the
// submission is not excluded, the juror is not removed and the value is
// set; nominations count while in the running (submitted, or already a
// finalist, winner or honourable mention). The decision lives in
// decisions and never changes nominations.status, so nothing leaks to
// submitters before publication; feedback lives in feedback and is
// released by publication. Rankings, decisions, feedback and the report
// are internal jury working papers until published.
package deciding
