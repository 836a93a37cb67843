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
		{"admin manages the cycle", CanManageCycle(admin, 5), true},
		{"org admin manages the cycle", CanManageCycle(submitter, 5), false},
		{"chair manages the cycle", CanManageCycle(juror, 5), false},
		{"anonymous manages the cycle", CanManageCycle(anon, 5), false},
		{"admin sees draft", CanSeeCycle(admin, 5, awards.PhaseDraft), true},
		{"submitter sees draft", CanSeeCycle(submitter, 5, awards.PhaseDraft), false},
		{"chair sees draft", CanSeeCycle(juror, 5, awards.PhaseDraft), false},
		{"anonymous sees draft", CanSeeCycle(anon, 5, awards.PhaseDraft), false},
		{"anonymous sees open", CanSeeCycle(anon, 5, awards.PhaseOpen), true},
		{"anonymous sees published", CanSeeCycle(anon, 5, awards.PhasePublished), true},
		{"admin sees rounds", CanSeeRounds(admin, 5), true},
		{"juror sees their cycle's rounds", CanSeeRounds(juror, 5), true},
		{"juror sees another cycle's rounds", CanSeeRounds(juror, 6), false},
		{"submitter sees rounds", CanSeeRounds(submitter, 5), false},
		{"anonymous sees rounds", CanSeeRounds(anon, 5), false},
	} {
		if tt.got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}
