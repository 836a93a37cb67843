package policy

import "github.com/heder-awards/heder/internal/awards"

// CanManageAssignment: only site admins choose how a cycle's nominations
// are shared among its jurors, change single cells of the assignment and
// run the automatic assignment.
func CanManageAssignment(actor *awards.Actor) bool {
	return !actor.Anonymous() && actor.User.IsAdmin
}

// CanSeeAssignment: site admins and the cycle's chair, once the chair has
// declared their conflicts of interest, see the assignment matrix with
// who stepped aside and why. chair and declared describe the actor's seat
// in the cycle, if any.
func CanSeeAssignment(actor *awards.Actor, chair, declared bool) bool {
	if actor.Anonymous() {
		return false
	}
	return actor.User.IsAdmin || chair && declared
}
