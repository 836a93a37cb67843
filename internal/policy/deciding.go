package policy

import "github.com/heder-awards/heder/internal/awards"

// DecidingSeat is the actor's seat, if any, in the cycle whose ranking,
// decision, feedback and exports are asked for: facts the deciding
// service reads from jurors (not removed).
type DecidingSeat struct {
	CycleID  int64
	Seated   bool
	Chair    bool
	Declared bool
}

// CanDecide: the chair of the cycle, once they have declared their
// conflicts of interest, and the cycle's admins see the cycle's ranking and
// score exports, record its decision and write its feedback. A seated
// person who has not declared sees nothing of the cycle's nominations,
// admins included: seated, they are jurors first. Ordinary jurors never
// do: they see others' scores only per nomination, after submitting
// their own. Which nominations a seated reader must step aside from is
// the service's part (juror_conflicts).
func CanDecide(actor *awards.Actor, s DecidingSeat) bool {
	if actor.Anonymous() || s.Seated && !s.Declared {
		return false
	}
	return s.Seated && s.Chair || actor.AdministersCycle(s.CycleID)
}
