package policy

import "github.com/heder-awards/heder/internal/awards"

// CanCreateAward: site admins create awards for any owner (or none);
// owner admins create them for an owner they administer.
func CanCreateAward(actor *awards.Actor, ownerID int64) bool {
	if actor.Anonymous() {
		return false
	}
	return actor.User.IsAdmin || ownerID != 0 && actor.AdministersOwner(ownerID)
}

// CanManageAward: the award's admins (its owner's and site admins) change
// it, create and change its cycles and criteria, and move its cycles
// between phases.
func CanManageAward(actor *awards.Actor, awardID int64) bool {
	return actor.AdministersAward(awardID)
}

// CanManageCycle is CanManageAward for the award of cycle cycleID.
func CanManageCycle(actor *awards.Actor, cycleID int64) bool {
	return actor.AdministersCycle(cycleID)
}

// CanSeeRounds: a cycle's rounds, and who serves in each, are for its
// admins, who define them, and its jurors, who judge in them.
func CanSeeRounds(actor *awards.Actor, cycleID int64) bool {
	if actor.AdministersCycle(cycleID) {
		return true
	}
	for _, s := range actor.Seats {
		if s.CycleID == cycleID {
			return true
		}
	}
	return false
}

// CanSeeCycle: a cycle in draft is its admins' work in progress; nobody
// else may know it exists. Every other phase is public.
func CanSeeCycle(actor *awards.Actor, cycleID int64, phase awards.Phase) bool {
	return phase != awards.PhaseDraft || CanManageCycle(actor, cycleID)
}
