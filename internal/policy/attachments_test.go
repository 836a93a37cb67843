package policy

import (
	"testing"

	"github.com/heder-awards/heder/internal/awards"
)

func TestAttachmentRules(t *testing.T) {
	t.Parallel()
	member := func(id, org int64, role awards.Role) *awards.Actor {
		return &awards.Actor{User: awards.User{ID: id}, Memberships: []awards.Membership{{OrganisationID: org, Role: role}}}
	}
	anon := &awards.Actor{}
	admin := &awards.Actor{User: awards.User{ID: 1, IsAdmin: true}}
	owner := member(2, 10, awards.RoleSubmitter)
	ownerAdmin := member(3, 10, awards.RoleOrgAdmin)
	coNominee := member(4, 11, awards.RoleSubmitter)
	outsider := member(5, 12, awards.RoleOrgAdmin)
	juror := &awards.Actor{User: awards.User{ID: 6}, Seats: []awards.JurySeat{{CycleID: 1}}}

	open := ProjectFiles{ProjectFacts: ProjectFacts{OwnerID: 10, NomineeIDs: []int64{10, 11}, CycleIDs: []int64{1}}}
	frozen := ProjectFiles{ProjectFacts: ProjectFacts{OwnerID: 10, NomineeIDs: []int64{10, 11}, CycleIDs: []int64{1}}, Frozen: true}
	unlinked := ProjectFiles{ProjectFacts: ProjectFacts{OwnerID: 10}}
	assessed := frozen
	assessed.JurorReads = true
	tests := []struct {
		name       string
		actor      *awards.Actor
		p          ProjectFiles
		see, chang bool
	}{
		{"anonymous", anon, open, false, false},
		{"owner's submitter", owner, open, true, true},
		{"owner's admin", ownerAdmin, open, true, true},
		{"owner of a frozen project", owner, frozen, true, false},
		{"owner of an unlinked project", owner, unlinked, true, true},
		{"co-nominee", coNominee, open, true, false},
		{"co-nominee of another entry", coNominee, unlinked, false, false},
		{"outsider", outsider, open, false, false},
		{"site admin", admin, open, true, false},
		{"site admin, frozen", admin, frozen, true, false},
		{"juror (not yet)", juror, frozen, false, false},
		{"juror who assesses it", juror, assessed, true, false},
	}
	for _, tt := range tests {
		if got := CanSeeAttachments(tt.actor, tt.p); got != tt.see {
			t.Errorf("%s: CanSeeAttachments = %v, want %v", tt.name, got, tt.see)
		}
		if got := CanChangeAttachments(tt.actor, tt.p); got != tt.chang {
			t.Errorf("%s: CanChangeAttachments = %v, want %v", tt.name, got, tt.chang)
		}
	}
}
