package policy

import "github.com/heder-awards/heder/internal/awards"

// CanPublish: only the cycle's admins schedule, move, publish and
// unpublish its announcements, and preview what the public will see.
// Until the announcement's instant nobody else may learn the outcomes.
func CanPublish(actor *awards.Actor, cycleID int64) bool {
	return actor.AdministersCycle(cycleID)
}
