package policy

import "github.com/heder-awards/heder/internal/awards"

// CanManageAwards: only site admins create and change awards, cycles and
// criteria, and move cycles between phases.
func CanManageAwards(actor *awards.Actor) bool {
	return !actor.Anonymous() && actor.User.IsAdmin
}

// CanSeeCycle: a cycle in draft is the admins' work in progress; nobody
// else may know it exists. Every other phase is public.
func CanSeeCycle(actor *awards.Actor, phase awards.Phase) bool {
	return phase != awards.PhaseDraft || CanManageAwards(actor)
}
