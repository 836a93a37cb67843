package policy

import "github.com/heder-awards/heder/internal/awards"

// JuryFacts are the facts about one person and one nomination that decide
// what of the jury's work on it they may see and do. The scoring service
// reads them from the database (jurors, juror_nominations, juror_conflicts,
// score_submissions) in one query.
type JuryFacts struct {
	// CycleID is the nomination's cycle, whose admins see the jury's work.
	CycleID int64
	// InJury: the nomination is one the jury works on (submitted, or
	// already a finalist, winner or honourable mention).
	InJury bool
	// Seated: the person holds a seat (not removed) in the nomination's
	// cycle.
	Seated bool
	// Declared: that seat's conflicts of interest have been declared.
	Declared bool
	// Chair: the seat is the chair's.
	Chair bool
	// Assigned: the nomination is among the seat's juror_nominations (so
	// not conflicted, and assigned when the cycle assigns).
	Assigned bool
	// Conflicted: the seat must step aside for this nomination
	// (juror_conflicts).
	Conflicted bool
	// Submitted: the seat has submitted its scores of the nomination.
	Submitted bool
}

// stepsAside is true for a seated person who may see nothing of the
// nomination: conflicted, or not yet declared. It holds for admins too
// when they are seated: then they are jurors first.
func (f JuryFacts) stepsAside() bool {
	return f.Seated && (f.Conflicted || !f.Declared)
}

// CanScore: a seated juror who has declared their conflicts and has the
// nomination among their juror_nominations scores it. Whether the cycle
// takes scores now is the service's check, against the database clock.
func CanScore(f JuryFacts) bool {
	return f.InJury && f.Seated && f.Declared && f.Assigned
}

// CanSeeJuryWork decides who sees the other jurors' submitted scores of a
// nomination and its discussion thread (internal working papers). A juror
// who scores it: only after submitting their own ("a juror does not see
// others' scores until they have submitted their own"). The chair, when
// not scoring it (an unassigned nomination) and not conflicted: yes, as
// the chair leads the discussion. The cycle's admins (the secretariat):
// yes, unless they are seated and step aside. A conflicted or undeclared juror
// never does.
func CanSeeJuryWork(actor *awards.Actor, f JuryFacts) bool {
	if actor.Anonymous() || !f.InJury || f.stepsAside() {
		return false
	}
	if f.Seated && f.Assigned {
		return f.Submitted
	}
	if f.Seated && f.Chair {
		return true
	}
	return actor.AdministersCycle(f.CycleID)
}

// CanPostJuryComment: whoever sees the jury's work and holds a seat, since
// the discussion is the jurors'; an admin who is not seated reads it.
func CanPostJuryComment(actor *awards.Actor, f JuryFacts) bool {
	return f.Seated && CanSeeJuryWork(actor, f)
}

// CanReopenScores: the chair (declared and not conflicted with the
// nomination) and the cycle's admins (unless seated and stepping aside) may
// reopen a juror's submitted scores, so that the juror can change them.
func CanReopenScores(actor *awards.Actor, f JuryFacts) bool {
	if actor.Anonymous() || !f.InJury || f.stepsAside() {
		return false
	}
	return f.Seated && f.Chair || actor.AdministersCycle(f.CycleID)
}

// CanSeeProgress: the chair of the cycle (once declared) and its admins
// see the jury's progress board. chair and declared describe the actor's
// seat in the cycle, if any.
func CanSeeProgress(actor *awards.Actor, cycleID int64, chair, declared bool) bool {
	if actor.Anonymous() {
		return false
	}
	return chair && declared || actor.AdministersCycle(cycleID)
}
