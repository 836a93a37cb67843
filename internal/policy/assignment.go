package policy

import "github.com/heder-awards/heder/internal/awards"

// CanManageAssignment: only the admins of the cycle's award (its owner's
// and site admins) choose how a cycle's nominations are shared among its
// jurors, change single cells of the assignment and run the automatic
// assignment.
func CanManageAssignment(actor *awards.Actor, cycleID int64) bool {
	return actor.AdministersCycle(cycleID)
}

// CanSeeAssignment: the cycle's admins and its chair, once the chair has
// declared their conflicts of interest, see the assignment matrix with
// who stepped aside and why. chair and declared describe the actor's seat
// in the cycle, if any.
func CanSeeAssignment(actor *awards.Actor, cycleID int64, chair, declared bool) bool {
	if actor.Anonymous() {
		return false
	}
	return actor.AdministersCycle(cycleID) || chair && declared
}
