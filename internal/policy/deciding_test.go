package policy

import (
	"testing"

	"github.com/heder-awards/heder/internal/awards"
)

func TestCanDecide(t *testing.T) {
	t.Parallel()
	admin := &awards.Actor{User: awards.User{ID: 1, IsAdmin: true}}
	person := &awards.Actor{User: awards.User{ID: 2}}
	for _, tt := range []struct {
		name  string
		actor *awards.Actor
		seat  DecidingSeat
		want  bool
	}{
		{"nobody", nil, DecidingSeat{}, false},
		{"anonymous", &awards.Actor{}, DecidingSeat{}, false},
		{"admin without a seat", admin, DecidingSeat{}, true},
		{"admin seated and declared", admin, DecidingSeat{Seated: true, Declared: true}, true},
		{"admin seated, not declared", admin, DecidingSeat{Seated: true}, false},
		{"chair, declared", person, DecidingSeat{Seated: true, Chair: true, Declared: true}, true},
		{"chair, not declared", person, DecidingSeat{Seated: true, Chair: true}, false},
		{"juror, declared", person, DecidingSeat{Seated: true, Declared: true}, false},
		{"no seat", person, DecidingSeat{}, false},
	} {
		if got := CanDecide(tt.actor, tt.seat); got != tt.want {
			t.Errorf("%s: CanDecide = %v, want %v", tt.name, got, tt.want)
		}
	}
}
