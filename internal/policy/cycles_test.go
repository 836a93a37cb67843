package policy

import (
	"testing"

	"github.com/heder-awards/heder/internal/awards"
)

func TestCycleRules(t *testing.T) {
	t.Parallel()
	anon := &awards.Actor{}
	admin := &awards.Actor{User: awards.User{ID: 1, IsAdmin: true}}
	submitter := &awards.Actor{User: awards.User{ID: 2}, Memberships: []awards.Membership{{OrganisationID: 10, Role: awards.RoleOrgAdmin}}}
	juror := &awards.Actor{User: awards.User{ID: 3}, Seats: []awards.JurySeat{{CycleID: 5, Chair: true}}}
	for _, tt := range []struct {
		name string
		got  bool
		want bool
	}{
		{"admin manages awards", CanManageAwards(admin), true},
		{"org admin manages awards", CanManageAwards(submitter), false},
		{"chair manages awards", CanManageAwards(juror), false},
		{"anonymous manages awards", CanManageAwards(anon), false},
		{"admin sees draft", CanSeeCycle(admin, awards.PhaseDraft), true},
		{"submitter sees draft", CanSeeCycle(submitter, awards.PhaseDraft), false},
		{"chair sees draft", CanSeeCycle(juror, awards.PhaseDraft), false},
		{"anonymous sees draft", CanSeeCycle(anon, awards.PhaseDraft), false},
		{"anonymous sees open", CanSeeCycle(anon, awards.PhaseOpen), true},
		{"anonymous sees published", CanSeeCycle(anon, awards.PhasePublished), true},
	} {
		if tt.got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}
