package policy

import (
	"testing"

	"github.com/heder-awards/heder/internal/awards"
)

func TestNominationRules(t *testing.T) {
	t.Parallel()
	anon := &awards.Actor{}
	admin := &awards.Actor{User: awards.User{ID: 1, IsAdmin: true}}
	asker := &awards.Actor{User: awards.User{ID: 2}, Memberships: []awards.Membership{{OrganisationID: 10, Role: awards.RoleSubmitter}}}
	traena := &awards.Actor{User: awards.User{ID: 3}, Memberships: []awards.Membership{{OrganisationID: 11, Role: awards.RoleSubmitter}}}
	juror := &awards.Actor{User: awards.User{ID: 4}, Seats: []awards.JurySeat{{CycleID: 1}}}
	joint := []int64{12, 10} // a joint entry with Asker as co-nominee
	tests := []struct {
		name string
		got  bool
		want bool
	}{
		{"anonymous sees", CanSeeNomination(anon, 1, joint), false},
		{"co-nominee member sees", CanSeeNomination(asker, 1, joint), true},
		{"other municipality sees", CanSeeNomination(traena, 1, joint), false},
		{"juror without assignment sees", CanSeeNomination(juror, 1, joint), false},
		{"admin sees", CanSeeNomination(admin, 1, joint), true},
		{"assessing juror reads", CanReadNomination(juror, NominationFacts{CycleID: 1, NomineeIDs: joint, JurorReads: true}), true},
		{"juror without assignment reads", CanReadNomination(juror, NominationFacts{CycleID: 1, NomineeIDs: joint}), false},
		{"co-nominee member reads", CanReadNomination(asker, NominationFacts{CycleID: 1, NomineeIDs: joint}), true},
		{"other municipality reads", CanReadNomination(traena, NominationFacts{CycleID: 1, NomineeIDs: joint}), false},
		{"anonymous reads, juror fact set", CanReadNomination(anon, NominationFacts{CycleID: 1, JurorReads: true}), false},
		{"admin reads", CanReadNomination(admin, NominationFacts{CycleID: 1, NomineeIDs: joint}), true},
		{"co-nominee member edits", CanEditNomination(asker, joint), true},
		{"admin edits", CanEditNomination(admin, joint), false},
		{"other municipality edits", CanEditNomination(traena, joint), false},
		{"admin judges eligibility", CanJudgeEligibility(admin, 1), true},
		{"submitter judges eligibility", CanJudgeEligibility(asker, 1), false},
		{"owner sees project", CanSeeProject(asker, ProjectFacts{OwnerID: 10}), true},
		{"co-nominee sees linked project", CanSeeProject(asker, ProjectFacts{OwnerID: 12, NomineeIDs: joint}), true},
		{"other sees project", CanSeeProject(traena, ProjectFacts{OwnerID: 10, NomineeIDs: joint}), false},
		{"anonymous sees project", CanSeeProject(anon, ProjectFacts{OwnerID: 10}), false},
		{"admin sees project", CanSeeProject(admin, ProjectFacts{OwnerID: 10}), true},
		{"assessing juror sees project", CanSeeProject(juror, ProjectFacts{OwnerID: 12, NomineeIDs: joint, CycleIDs: []int64{1}, JurorReads: true}), true},
		{"juror not assessing sees project", CanSeeProject(juror, ProjectFacts{OwnerID: 12, NomineeIDs: joint, CycleIDs: []int64{1}}), false},
		{"anonymous sees project, juror fact set", CanSeeProject(anon, ProjectFacts{OwnerID: 12, JurorReads: true}), false},
		{"owner edits project", CanEditProject(asker, 10), true},
		{"co-nominee edits partner's project", CanEditProject(asker, 12), false},
		{"admin edits project", CanEditProject(admin, 10), false},
		// Asker 0220 (20) became Asker 3025 (21), which became today's
		// Asker (10).
		{"successor sees predecessor's project", CanSeeProject(asker, ProjectFacts{OwnerID: 20, SuccessorIDs: []int64{21, 10}}), true},
		{"other sees predecessor's project", CanSeeProject(traena, ProjectFacts{OwnerID: 20, SuccessorIDs: []int64{21, 10}}), false},
		{"successor edits predecessor's project", CanEditProject(asker, 20), false},
		{"owner links own project", CanLinkProject(asker, 10, nil, []int64{10}), true},
		{"successor links predecessor's project", CanLinkProject(asker, 20, []int64{21, 10}, []int64{10}), true},
		{"successor links for a nomination it is not in", CanLinkProject(asker, 20, []int64{21, 10}, []int64{11}), false},
		{"co-nominee links partner's project", CanLinkProject(asker, 11, nil, []int64{11, 10}), false},
		{"other links predecessor's project", CanLinkProject(traena, 20, []int64{21, 10}, []int64{11}), false},
		{"admin links project", CanLinkProject(admin, 10, nil, []int64{10}), false},
		{"anonymous links project", CanLinkProject(anon, 10, nil, []int64{10}), false},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}
