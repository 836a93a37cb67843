// Package policy is the one place that decides who may do what. Route
// gates decide coarsely who may reach a route at all; the rules below
// decide about one resource and are called by the services, so that the
// browser, the JSON API and background jobs all obey the same rules.
package policy

import "github.com/heder-awards/heder/internal/awards"

// Gate is the coarse check in front of a route.
type Gate int

// Gates, from open to closed.
const (
	// Public routes need nobody logged in.
	Public Gate = iota
	// LoggedIn routes need a session or bearer token.
	LoggedIn
	// Admin routes need a site admin or an owner admin; the services
	// decide which awards' resources an owner admin may reach.
	Admin
	// SiteAdmin routes need a site admin: what belongs to the whole
	// instance (owners, organisations, users).
	SiteAdmin
)

func (g Gate) String() string {
	switch g {
	case Public:
		return "public"
	case LoggedIn:
		return "logged-in"
	case Admin:
		return "admin"
	case SiteAdmin:
		return "site-admin"
	}
	return "unknown"
}

// Check returns nil when actor may pass gate g, else an error whose code
// says whether logging in would help (EUnauthenticated) or not (EForbidden).
func Check(g Gate, actor *awards.Actor) error {
	switch g {
	case Public:
		return nil
	case LoggedIn:
		if actor.Anonymous() {
			return awards.Errorf(awards.EUnauthenticated, "log in to continue")
		}
		return nil
	case Admin, SiteAdmin:
		if actor.Anonymous() {
			return awards.Errorf(awards.EUnauthenticated, "log in to continue")
		}
		if !actor.User.IsAdmin && (g == SiteAdmin || !actor.AnyAdmin()) {
			return awards.Errorf(awards.EForbidden, "only administrators can do this")
		}
		return nil
	}
	return awards.Errorf(awards.EForbidden, "no such gate")
}

// CanManageMembers: site admins and the organisation's own admins may see
// and change its members and decide its access requests.
func CanManageMembers(actor *awards.Actor, orgID int64) bool {
	return !actor.Anonymous() && (actor.User.IsAdmin || actor.OrgAdminOf(orgID))
}

// CanEditOrganisation: only site admins change an organisation's orgnr,
// e-mail domain or language.
func CanEditOrganisation(actor *awards.Actor) bool {
	return !actor.Anonymous() && actor.User.IsAdmin
}

// CanManageUsers: only site admins list users and grant admin.
func CanManageUsers(actor *awards.Actor) bool {
	return !actor.Anonymous() && actor.User.IsAdmin
}

// CanReadAuditLog: site admins read the whole audit log, owner admins the
// entries about their owners' awards; it holds every change with e-mail
// addresses and other personal data in it. Which entries an owner admin
// sees is the audit log's query, by AdministersCycle and friends.
func CanReadAuditLog(actor *awards.Actor) bool {
	return actor.AnyAdmin()
}

// CanManageOwner: site admins and the owner's own admins grant and revoke
// its owner admins and set its retention period.
func CanManageOwner(actor *awards.Actor, ownerID int64) bool {
	return actor.AdministersOwner(ownerID)
}

// CanCreateOwner: only site admins make an organisation an award owner.
func CanCreateOwner(actor *awards.Actor) bool {
	return !actor.Anonymous() && actor.User.IsAdmin
}
