package policy

import (
	"testing"

	"github.com/heder-awards/heder/internal/awards"
)

func TestJuryRules(t *testing.T) {
	t.Parallel()
	anon := &awards.Actor{}
	admin := &awards.Actor{User: awards.User{ID: 1, IsAdmin: true}}
	chair := &awards.Actor{User: awards.User{ID: 2}, Seats: []awards.JurySeat{{CycleID: 5, Chair: true}}}
	juror := &awards.Actor{User: awards.User{ID: 3}, Seats: []awards.JurySeat{{CycleID: 5}}}
	otherChair := &awards.Actor{User: awards.User{ID: 4}, Seats: []awards.JurySeat{{CycleID: 6, Chair: true}}}
	submitter := &awards.Actor{User: awards.User{ID: 5}, Memberships: []awards.Membership{{OrganisationID: 10, Role: awards.RoleOrgAdmin}}}
	for _, tt := range []struct {
		name      string
		got, want bool
	}{
		{"admin manages jury", CanManageJury(admin, 5), true},
		{"chair manages jury", CanManageJury(chair, 5), false},
		{"submitter manages jury", CanManageJury(submitter, 5), false},
		{"anonymous manages jury", CanManageJury(anon, 5), false},
		{"nil manages jury", CanManageJury(nil, 5), false},
		{"admin sees conflicts", CanSeeConflicts(admin, 5), true},
		{"chair sees conflicts", CanSeeConflicts(chair, 5), true},
		{"juror sees conflicts", CanSeeConflicts(juror, 5), false},
		{"other cycle's chair sees conflicts", CanSeeConflicts(otherChair, 5), false},
		{"submitter sees conflicts", CanSeeConflicts(submitter, 5), false},
		{"anonymous sees conflicts", CanSeeConflicts(anon, 5), false},
		{"admin confirms a seat", CanConfirmSeat(admin, 5), true},
		{"chair confirms a seat", CanConfirmSeat(chair, 5), true},
		{"juror confirms a seat", CanConfirmSeat(juror, 5), false},
		{"other cycle's chair confirms a seat", CanConfirmSeat(otherChair, 5), false},
		{"submitter confirms a seat", CanConfirmSeat(submitter, 5), false},
		{"anonymous confirms a seat", CanConfirmSeat(anon, 5), false},
		{"nil confirms a seat", CanConfirmSeat(nil, 5), false},
	} {
		if tt.got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}
