package awards

import "time"

// Role names a right a person holds. Rights always come from data: a
// membership, a jury seat or an admin grant.
type Role string

// Roles.
const (
	RoleAdmin     Role = "admin"
	RoleSubmitter Role = "submitter"
	RoleOrgAdmin  Role = "org_admin"
	RoleJuror     Role = "juror"
	RoleChair     Role = "chair"
)

// OrgKind is the kind of an organisation.
type OrgKind string

// Organisation kinds.
const (
	KindMunicipality OrgKind = "municipality"
	KindCounty       OrgKind = "county"
	KindMinistry     OrgKind = "ministry"
	KindOther        OrgKind = "other"
)

// Valid reports whether k is a known kind.
func (k OrgKind) Valid() bool {
	switch k {
	case KindMunicipality, KindCounty, KindMinistry, KindOther:
		return true
	}
	return false
}

// User is a person known to Heder, keyed by (Issuer, Subject).
type User struct {
	ID            int64
	Issuer        string
	Subject       string
	Name          string
	Email         string
	EmailVerified bool
	Locale        string
	IsAdmin       bool
	CreatedAt     time.Time
	LastLoginAt   time.Time
}

// Organisation is a municipality, county, ministry or other body.
type Organisation struct {
	ID       int64
	Kind     OrgKind
	Name     string
	Number   string // kommunenummer or fylkesnummer
	Orgnr    string // organisasjonsnummer in Enhetsregisteret
	ParentID int64  // a municipality's county
	// CountyName is the county's name for a municipality.
	CountyName string
	// Language is the written form the organisation has chosen (nb or nn).
	Language string
	// EmailDomain places people with verified addresses there at login.
	EmailDomain string
	// ValidTo is set for organisations that no longer exist.
	ValidTo *time.Time
	// SuccessorID points to the organisation that took over.
	SuccessorID int64
	// SuccessorName is the successor's name, when there is one.
	SuccessorName string
}

// Membership ties a user to an organisation with a role.
type Membership struct {
	UserID           int64
	OrganisationID   int64
	OrganisationName string
	Role             Role
	Source           string
}

// JurySeat ties a user to a cycle as juror or chair.
type JurySeat struct {
	CycleID    int64
	CycleTitle string
	Chair      bool
}

// Actor is the authenticated person behind a request, with everything
// needed to decide what they may do.
type Actor struct {
	User        User
	Memberships []Membership
	Seats       []JurySeat
}

// Anonymous reports whether nobody is logged in.
func (a *Actor) Anonymous() bool { return a == nil || a.User.ID == 0 }

// Roles lists the roles the actor holds, each once.
func (a *Actor) Roles() []Role {
	if a.Anonymous() {
		return nil
	}
	var roles []Role
	seen := map[Role]bool{}
	add := func(r Role) {
		if !seen[r] {
			seen[r] = true
			roles = append(roles, r)
		}
	}
	if a.User.IsAdmin {
		add(RoleAdmin)
	}
	for _, m := range a.Memberships {
		add(m.Role)
	}
	for _, s := range a.Seats {
		add(RoleJuror)
		if s.Chair {
			add(RoleChair)
		}
	}
	return roles
}

// MemberOf reports whether the actor belongs to organisation id.
func (a *Actor) MemberOf(orgID int64) bool {
	if a.Anonymous() {
		return false
	}
	for _, m := range a.Memberships {
		if m.OrganisationID == orgID {
			return true
		}
	}
	return false
}

// OrgAdminOf reports whether the actor administers organisation id.
func (a *Actor) OrgAdminOf(orgID int64) bool {
	if a.Anonymous() {
		return false
	}
	for _, m := range a.Memberships {
		if m.OrganisationID == orgID && m.Role == RoleOrgAdmin {
			return true
		}
	}
	return false
}
