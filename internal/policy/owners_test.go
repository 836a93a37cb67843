package policy

import (
	"testing"

	"github.com/heder-awards/heder/internal/awards"
)

// Owner admin A runs owner 30's award 40 with cycles 5 and 6; owner admin
// B runs owner 31's award 41 with cycle 9. Neither reaches the other's.
var (
	ownerA = &awards.Actor{User: awards.User{ID: 20}, Owners: []awards.OwnerGrant{{OwnerID: 30, Awards: []int64{40}, Cycles: []int64{5, 6}}}}
	ownerB = &awards.Actor{User: awards.User{ID: 21}, Owners: []awards.OwnerGrant{{OwnerID: 31, Awards: []int64{41}, Cycles: []int64{9}}}}
)

func TestOwnerAdminRules(t *testing.T) {
	t.Parallel()
	admin := &awards.Actor{User: awards.User{ID: 1, IsAdmin: true}}
	submitter := &awards.Actor{User: awards.User{ID: 3}, Memberships: []awards.Membership{{OrganisationID: 30, Role: awards.RoleOrgAdmin}}}
	for _, tt := range []struct {
		name      string
		got, want bool
	}{
		{"A creates an award for its owner", CanCreateAward(ownerA, 30), true},
		{"A creates an award for B's owner", CanCreateAward(ownerA, 31), false},
		{"A creates an award without owner", CanCreateAward(ownerA, 0), false},
		{"site admin creates an award without owner", CanCreateAward(admin, 0), true},
		{"the owner's org admin creates an award", CanCreateAward(submitter, 30), false},
		{"A manages its award", CanManageAward(ownerA, 40), true},
		{"A manages B's award", CanManageAward(ownerA, 41), false},
		{"A manages its cycle", CanManageCycle(ownerA, 6), true},
		{"A manages B's cycle", CanManageCycle(ownerA, 9), false},
		{"B manages A's cycle", CanManageCycle(ownerB, 5), false},
		{"A sees its draft cycle", CanSeeCycle(ownerA, 5, awards.PhaseDraft), true},
		{"B sees A's draft cycle", CanSeeCycle(ownerB, 5, awards.PhaseDraft), false},
		{"A manages its jury", CanManageJury(ownerA, 5), true},
		{"B manages A's jury", CanManageJury(ownerB, 5), false},
		{"A sees conflicts", CanSeeConflicts(ownerA, 5), true},
		{"B sees A's conflicts", CanSeeConflicts(ownerB, 5), false},
		{"A assigns", CanManageAssignment(ownerA, 5), true},
		{"B assigns A's cycle", CanManageAssignment(ownerB, 5), false},
		{"A publishes", CanPublish(ownerA, 6), true},
		{"B publishes A's cycle", CanPublish(ownerB, 6), false},
		{"A reads its outbox", CanManageOutbox(ownerA, 5), true},
		{"B reads A's outbox", CanManageOutbox(ownerB, 5), false},
		{"A reviews nominations", CanReviewNominations(ownerA, 5), true},
		{"B reviews A's nominations", CanReviewNominations(ownerB, 5), false},
		{"A sees a nomination of its cycle", CanSeeNomination(ownerA, 5, []int64{10}), true},
		{"B sees a nomination of A's cycle", CanSeeNomination(ownerB, 5, []int64{10}), false},
		{"A reads a nomination of its cycle", CanReadNomination(ownerA, NominationFacts{CycleID: 5, NomineeIDs: []int64{10}}), true},
		{"B reads a nomination of A's cycle", CanReadNomination(ownerB, NominationFacts{CycleID: 5, NomineeIDs: []int64{10}}), false},
		{"A sees a project nominated in its cycle", CanSeeProject(ownerA, ProjectFacts{OwnerID: 10, NomineeIDs: []int64{10}, CycleIDs: []int64{9, 5}}), true},
		{"B sees a project nominated in A's cycle", CanSeeProject(ownerB, ProjectFacts{OwnerID: 10, NomineeIDs: []int64{10}, CycleIDs: []int64{5}}), false},
		{"A sees an unlinked project", CanSeeProject(ownerA, ProjectFacts{OwnerID: 10}), false},
		{"A sees the files of a project nominated in its cycle", CanSeeAttachments(ownerA, ProjectFiles{ProjectFacts: ProjectFacts{OwnerID: 10, CycleIDs: []int64{5}}}), true},
		{"A changes those files", CanChangeAttachments(ownerA, ProjectFiles{ProjectFacts: ProjectFacts{OwnerID: 10, CycleIDs: []int64{5}}}), false},
		{"B sees the files of a project nominated in A's cycle", CanSeeAttachments(ownerB, ProjectFiles{ProjectFacts: ProjectFacts{OwnerID: 10, CycleIDs: []int64{5}}}), false},
		{"A judges eligibility", CanJudgeEligibility(ownerA, 5), true},
		{"B judges eligibility in A's cycle", CanJudgeEligibility(ownerB, 5), false},
		{"A decides", CanDecide(ownerA, DecidingSeat{CycleID: 5}), true},
		{"B decides in A's cycle", CanDecide(ownerB, DecidingSeat{CycleID: 5}), false},
		{"A sees progress", CanSeeProgress(ownerA, 5, false, false), true},
		{"B sees A's progress", CanSeeProgress(ownerB, 5, false, false), false},
		{"A sees the jury's work", CanSeeJuryWork(ownerA, JuryFacts{CycleID: 5, InJury: true}), true},
		{"B sees A's jury's work", CanSeeJuryWork(ownerB, JuryFacts{CycleID: 5, InJury: true}), false},
		{"A manages its owner", CanManageOwner(ownerA, 30), true},
		{"A manages B's owner", CanManageOwner(ownerA, 31), false},
		{"site admin manages any owner", CanManageOwner(admin, 31), true},
		{"A creates owners", CanCreateOwner(ownerA), false},
		{"site admin creates owners", CanCreateOwner(admin), true},
		{"A reads the audit log", CanReadAuditLog(ownerA), true},
		{"A edits organisations", CanEditOrganisation(ownerA), false},
		{"A manages users", CanManageUsers(ownerA), false},
		{"A manages the owner's members", CanManageMembers(ownerA, 30), false},
	} {
		if tt.got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	for _, c := range []struct {
		g     Gate
		actor *awards.Actor
		want  string
	}{
		{Admin, ownerA, ""}, {SiteAdmin, ownerA, awards.EForbidden}, {SiteAdmin, admin, ""},
		{SiteAdmin, submitter, awards.EForbidden}, {SiteAdmin, &awards.Actor{}, awards.EUnauthenticated},
	} {
		if got := awards.ErrorCode(Check(c.g, c.actor)); got != c.want {
			t.Errorf("Check(%s, user %d) = %q, want %q", c.g, c.actor.User.ID, got, c.want)
		}
	}
}
