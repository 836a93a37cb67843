package policy

import "github.com/heder-awards/heder/internal/awards"

// CanManageJury: only site admins invite jurors, revoke invitations,
// change the chair and remove jurors.
func CanManageJury(actor *awards.Actor) bool {
	return !actor.Anonymous() && actor.User.IsAdmin
}

// CanSeeConflicts: the chair of the cycle and site admins see which
// jurors stepped aside from which nominations, and why. Other jurors see
// only their own declaration.
func CanSeeConflicts(actor *awards.Actor, cycleID int64) bool {
	if actor.Anonymous() {
		return false
	}
	if actor.User.IsAdmin {
		return true
	}
	for _, s := range actor.Seats {
		if s.CycleID == cycleID && s.Chair {
			return true
		}
	}
	return false
}
