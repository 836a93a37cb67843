package policy

import "github.com/heder-awards/heder/internal/awards"

// CanPublish: only site admins schedule, move, publish and unpublish a
// cycle's announcements, and preview what the public will see. Until
// the announcement's instant nobody else may learn the outcomes.
func CanPublish(actor *awards.Actor) bool {
	return !actor.Anonymous() && actor.User.IsAdmin
}
