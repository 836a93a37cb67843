package pgtest

import (
	"math"
	"slices"
)

// SeatOption changes what Seat makes.
type SeatOption int

// Unreviewed leaves a declared juror without conflict reviews: the test
// records the ones it wants (Review).
const Unreviewed SeatOption = 1

// Seat makes user a juror (or the chair) of cycle and returns the seat's
// ID. Declared jurors have declared about every organisation there is,
// unless Unreviewed; conflicts are the tests' to add (Conflict).
func (s *Seed) Seat(cycle, user int64, chair, declared bool, opts ...SeatOption) int64 {
	s.T.Helper()
	id := s.ID(`INSERT INTO jurors (cycle_id, user_id, chair, declared_at) VALUES (?, ?, ?, CASE WHEN ? THEN now() END) RETURNING id`,
		cycle, user, chair, declared)
	if declared && !slices.Contains(opts, Unreviewed) {
		s.Exec(`INSERT INTO conflict_reviews (juror_id, organisation_id) SELECT ?, id FROM organisations`, id)
	}
	return id
}

// Review records that juror has declared about orgs; a review made
// before stays as it was.
func (s *Seed) Review(juror int64, orgs ...int64) {
	s.T.Helper()
	for _, o := range orgs {
		s.Exec(`INSERT INTO conflict_reviews (juror_id, organisation_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, juror, o)
	}
}

// Conflict declares that juror must step aside from org.
func (s *Seed) Conflict(juror, org int64, kind, reason string) {
	s.T.Helper()
	s.Exec(`INSERT INTO conflicts (juror_id, organisation_id, kind, reason) VALUES (?, ?, ?, ?)`, juror, org, kind, reason)
}

// Score stores juror's score of criterion on nomination (on project when
// not 0; NaN for no value) with comment.
func (s *Seed) Score(juror, nomination, criterion, project int64, value float64, comment string) {
	s.T.Helper()
	var v *float64
	if !math.IsNaN(value) {
		v = &value
	}
	var p *int64
	if project != 0 {
		p = &project
	}
	s.Exec(`INSERT INTO scores (juror_id, nomination_id, project_id, criterion_id, value, comment) VALUES (?, ?, ?, ?, ?, ?)`,
		juror, nomination, p, criterion, v, comment)
}

// SubmitScores marks juror's scores of nomination submitted.
func (s *Seed) SubmitScores(juror, nomination int64) {
	s.T.Helper()
	s.Exec(`INSERT INTO score_submissions (juror_id, nomination_id) VALUES (?, ?)`, juror, nomination)
}

// Decide records the jury's decision on nomination, with its statement in
// bokmål, nynorsk and English, as many as given ("" for none).
func (s *Seed) Decide(cycle, nomination int64, outcome string, statements ...string) {
	s.T.Helper()
	st := make([]string, 3)
	copy(st, statements)
	s.Exec(`INSERT INTO decisions (nomination_id, cycle_id, outcome, statement_nb, statement_nn, statement_en) VALUES (?, ?, ?, ?, ?, ?)`,
		nomination, cycle, outcome, st[0], st[1], st[2])
}
