package policy

import (
	"testing"

	"github.com/heder-awards/heder/internal/awards"
)

func TestRules(t *testing.T) {
	t.Parallel()
	anon := &awards.Actor{}
	admin := &awards.Actor{User: awards.User{ID: 1, IsAdmin: true}}
	orgAdmin := &awards.Actor{User: awards.User{ID: 2}, Memberships: []awards.Membership{{OrganisationID: 10, Role: awards.RoleOrgAdmin}}}
	submitter := &awards.Actor{User: awards.User{ID: 3}, Memberships: []awards.Membership{{OrganisationID: 10, Role: awards.RoleSubmitter}}}
	other := &awards.Actor{User: awards.User{ID: 4}, Memberships: []awards.Membership{{OrganisationID: 11, Role: awards.RoleOrgAdmin}}}
	tests := []struct {
		name  string
		actor *awards.Actor
		got   bool
		want  bool
	}{
		{"anonymous manages", anon, CanManageMembers(anon, 10), false},
		{"admin manages", admin, CanManageMembers(admin, 10), true},
		{"org admin manages own", orgAdmin, CanManageMembers(orgAdmin, 10), true},
		{"submitter manages", submitter, CanManageMembers(submitter, 10), false},
		{"other org admin manages", other, CanManageMembers(other, 10), false},
		{"org admin edits org", orgAdmin, CanEditOrganisation(orgAdmin), false},
		{"admin edits org", admin, CanEditOrganisation(admin), true},
		{"submitter manages users", submitter, CanManageUsers(submitter), false},
		{"admin reads the audit log", admin, CanReadAuditLog(admin), true},
		{"org admin reads the audit log", orgAdmin, CanReadAuditLog(orgAdmin), false},
		{"anonymous reads the audit log", anon, CanReadAuditLog(nil), false},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	for _, c := range []struct {
		g     Gate
		actor *awards.Actor
		want  string
	}{
		{Public, anon, ""}, {LoggedIn, anon, awards.EUnauthenticated}, {LoggedIn, submitter, ""},
		{Admin, anon, awards.EUnauthenticated}, {Admin, submitter, awards.EForbidden}, {Admin, admin, ""},
	} {
		if got := awards.ErrorCode(Check(c.g, c.actor)); got != c.want {
			t.Errorf("Check(%s, user %d) = %q, want %q", c.g, c.actor.User.ID, got, c.want)
		}
	}
}
