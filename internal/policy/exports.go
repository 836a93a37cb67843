package policy

import "github.com/heder-awards/heder/internal/awards"

// CanReviewNominations: only site admins list every nomination of a cycle
// with its contact details, filter and search them, and export them. The
// list holds drafts and contact people that nobody else may see.
func CanReviewNominations(actor *awards.Actor) bool {
	return !actor.Anonymous() && actor.User.IsAdmin
}
