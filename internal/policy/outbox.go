package policy

import "github.com/heder-awards/heder/internal/awards"

// CanManageOutbox: only the cycle's admins read its outbox (who was told
// what, and at which address) and send a failed message again.
func CanManageOutbox(actor *awards.Actor, cycleID int64) bool {
	return actor.AdministersCycle(cycleID)
}
