package policy

import "github.com/heder-awards/heder/internal/awards"

// CanManageJury: only the cycle's admins invite jurors, revoke
// invitations, change the chair and remove jurors.
func CanManageJury(actor *awards.Actor, cycleID int64) bool {
	return actor.AdministersCycle(cycleID)
}

// CanSeeConflicts: the chair of the cycle and its admins see which
// jurors stepped aside from which nominations, and why. Other jurors see
// only their own declaration.
func CanSeeConflicts(actor *awards.Actor, cycleID int64) bool {
	return chairOrAdmin(actor, cycleID)
}

// chairOrAdmin: the cycle's admins and its chair.
func chairOrAdmin(actor *awards.Actor, cycleID int64) bool {
	if actor.Anonymous() {
		return false
	}
	if actor.AdministersCycle(cycleID) {
		return true
	}
	for _, s := range actor.Seats {
		if s.CycleID == cycleID && s.Chair {
			return true
		}
	}
	return false
}

// CanConfirmSeat: the chair of the cycle and its admins confirm a seat
// whose invitation was accepted by a login other than the invited
// address. Both already answer for the jury's make-up (the admin invited
// it; the chair leads it), and the acceptor gets no access until then.
func CanConfirmSeat(actor *awards.Actor, cycleID int64) bool {
	return chairOrAdmin(actor, cycleID)
}
