package policy

import (
	"testing"

	"github.com/heder-awards/heder/internal/awards"
)

func TestPublicationRules(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		actor *awards.Actor
		want  bool
	}{
		{"anonymous", &awards.Actor{}, false},
		{"nil", nil, false},
		{"org admin", &awards.Actor{User: awards.User{ID: 2}, Memberships: []awards.Membership{{OrganisationID: 10, Role: awards.RoleOrgAdmin}}}, false},
		// The chair writes the statements but does not decide when they go out.
		{"jury chair", &awards.Actor{User: awards.User{ID: 3}, Seats: []awards.JurySeat{{CycleID: 1, Chair: true}}}, false},
		{"site admin", &awards.Actor{User: awards.User{ID: 1, IsAdmin: true}}, true},
	} {
		if got := CanPublish(tt.actor, 1); got != tt.want {
			t.Errorf("%s: CanPublish = %v, want %v", tt.name, got, tt.want)
		}
	}
}
