package policy

import "github.com/heder-awards/heder/internal/awards"

// CanReviewNominations: only the cycle's admins list every nomination of
// it with its contact details, filter and search them, and export them.
// The list holds drafts and contact people that nobody else may see.
func CanReviewNominations(actor *awards.Actor, cycleID int64) bool {
	return actor.AdministersCycle(cycleID)
}
