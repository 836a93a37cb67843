package policy

import "github.com/heder-awards/heder/internal/awards"

// CanManageOutbox: only site admins read a cycle's outbox (who was told
// what, and at which address) and send a failed message again.
func CanManageOutbox(actor *awards.Actor) bool {
	return !actor.Anonymous() && actor.User.IsAdmin
}
