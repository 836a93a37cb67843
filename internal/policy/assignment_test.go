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
		{"admin manages", CanManageAssignment(admin), true},
		{"person manages", CanManageAssignment(person), false},
		{"anonymous manages", CanManageAssignment(anon), false},
		{"nil manages", CanManageAssignment(nil), false},
		{"admin sees", CanSeeAssignment(admin, false, false), true},
		{"declared chair sees", CanSeeAssignment(person, true, true), true},
		{"undeclared chair sees", CanSeeAssignment(person, true, false), false},
		{"juror sees", CanSeeAssignment(person, false, true), false},
		{"anonymous sees", CanSeeAssignment(anon, true, true), false},
		{"nil sees", CanSeeAssignment(nil, false, false), false},
	} {
		if tt.got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}
