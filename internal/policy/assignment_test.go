package policy

import (
	"testing"

	"github.com/heder-awards/heder/internal/awards"
)

func TestAssignmentRules(t *testing.T) {
	t.Parallel()
	anon := &awards.Actor{}
	admin := &awards.Actor{User: awards.User{ID: 1, IsAdmin: true}}
	person := &awards.Actor{User: awards.User{ID: 2}}
	for _, tt := range []struct {
		name      string
		got, want bool
	}{
		{"admin manages", CanManageAssignment(admin, 5), true},
		{"person manages", CanManageAssignment(person, 5), false},
		{"anonymous manages", CanManageAssignment(anon, 5), false},
		{"nil manages", CanManageAssignment(nil, 5), false},
		{"admin sees", CanSeeAssignment(admin, 5, false, false), true},
		{"declared chair sees", CanSeeAssignment(person, 5, true, true), true},
		{"undeclared chair sees", CanSeeAssignment(person, 5, true, false), false},
		{"juror sees", CanSeeAssignment(person, 5, false, true), false},
		{"anonymous sees", CanSeeAssignment(anon, 5, true, true), false},
		{"nil sees", CanSeeAssignment(nil, 5, false, false), false},
	} {
		if tt.got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}
