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
	// RoleOwnerAdmin runs the awards of an award owner (an organisation
	// such as a ministry) and nothing else.
	RoleOwnerAdmin Role = "owner_admin"
)

// OrgKind is the kind of an organisation.
type OrgKind string

// Organisation kinds. Municipalities and counties (the county
// authorities, fylkeskommunene) come from SSB's lists; site admins create
// the others from their organisation numbers.
const (
	KindMunicipality OrgKind = "municipality"
	KindCounty       OrgKind = "county"
	KindMinistry     OrgKind = "ministry"
	KindOther        OrgKind = "other"
	KindCityDistrict OrgKind = "city_district"
	KindStateAgency  OrgKind = "state_agency"
	KindCompany      OrgKind = "company"
	KindFoundation   OrgKind = "foundation"
	KindAssociation  OrgKind = "association"
)

// OrgKinds lists every kind, in the order forms offer them.
var OrgKinds = []OrgKind{KindMunicipality, KindCounty, KindCityDistrict, KindMinistry, KindStateAgency,
	KindCompany, KindFoundation, KindAssociation, KindOther}

// Valid reports whether k is a known kind.
func (k OrgKind) Valid() bool {
	for _, o := range OrgKinds {
		if o == k {
			return true
		}
	}
	return false
}

// StateBody reports whether an organisation of kind k is a state body in
// språklova's sense (a ministry or a state agency), bound to publish in
// nynorsk as well as bokmål.
func (k OrgKind) StateBody() bool { return k == KindMinistry || k == KindStateAgency }

// Creatable reports whether a site admin may create an organisation of
// kind k by hand: municipalities have a kommunenummer and a history that
// only SSB's list gives.
func (k OrgKind) Creatable() bool { return k.Valid() && k != KindMunicipality }

// ParentKind is the kind an organisation of kind k may be a part of, and
// whether it must be: a city district is a part of its municipality; a
// state agency may sit under its ministry. The empty kind: no parent.
func (k OrgKind) ParentKind() (kind OrgKind, required bool) {
	switch k {
	case KindCityDistrict:
		return KindMunicipality, true
	case KindStateAgency:
		return KindMinistry, false
	}
	return "", false
}

// Orgnr problems, as CheckOrgnr reports them.
const (
	OrgnrFormat     = "format"      // not exactly nine digits
	OrgnrCheckDigit = "check_digit" // the last digit is not the mod-11 check digit
)

// CheckOrgnr checks an organisation number as Brønnøysundregistrene
// defines it: nine digits, the last a modulus 11 check digit over the
// first eight with weights 3 2 7 6 5 4 3 2 (11 - sum mod 11; 11 gives 0,
// and a remainder giving 10 is never issued). It returns "" for a valid
// number, else OrgnrFormat or OrgnrCheckDigit.
func CheckOrgnr(s string) string {
	if len(s) != 9 {
		return OrgnrFormat
	}
	weights := [8]int{3, 2, 7, 6, 5, 4, 3, 2}
	sum := 0
	for i := range 9 {
		if s[i] < '0' || s[i] > '9' {
			return OrgnrFormat
		}
		if i < 8 {
			sum += int(s[i]-'0') * weights[i]
		}
	}
	check := 11 - sum%11
	if check == 11 {
		check = 0
	}
	if check == 10 || int(s[8]-'0') != check {
		return OrgnrCheckDigit
	}
	return ""
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

// Organisation is a municipality, county, ministry, agency, company or
// other body.
type Organisation struct {
	ID       int64
	Kind     OrgKind
	Name     string
	Number   string // kommunenummer or fylkesnummer
	Orgnr    string // organisasjonsnummer in Enhetsregisteret
	ParentID int64  // a municipality's county, a city district's municipality, …
	// CountyName is the county's name for a municipality.
	CountyName string
	// ParentName is the parent's name, whatever its kind.
	ParentName string
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

// OwnerGrant makes a user an owner admin of an award owner: they run
// that owner's awards, listed with their cycles as they stood when the
// actor was loaded (once per request).
type OwnerGrant struct {
	OwnerID   int64
	OwnerName string
	Awards    []int64
	Cycles    []int64
}

// Actor is the authenticated person behind a request, with everything
// needed to decide what they may do.
type Actor struct {
	User        User
	Memberships []Membership
	Seats       []JurySeat
	Owners      []OwnerGrant
}

// AnyAdmin reports whether the actor is a site admin or administers at
// least one award owner: whether the admin pages are theirs at all.
func (a *Actor) AnyAdmin() bool {
	return !a.Anonymous() && (a.User.IsAdmin || len(a.Owners) > 0)
}

// AdministersOwner reports whether the actor runs the awards of owner id:
// site admins run every owner's.
func (a *Actor) AdministersOwner(id int64) bool {
	if a.Anonymous() {
		return false
	}
	if a.User.IsAdmin {
		return true
	}
	for _, g := range a.Owners {
		if g.OwnerID == id {
			return true
		}
	}
	return false
}

// AdministersAward reports whether the actor runs award id.
func (a *Actor) AdministersAward(id int64) bool {
	return a.administers(id, func(g OwnerGrant) []int64 { return g.Awards })
}

// AdministersCycle reports whether the actor runs the award of cycle id.
func (a *Actor) AdministersCycle(id int64) bool {
	return a.administers(id, func(g OwnerGrant) []int64 { return g.Cycles })
}

func (a *Actor) administers(id int64, ids func(OwnerGrant) []int64) bool {
	if a.Anonymous() {
		return false
	}
	if a.User.IsAdmin {
		return true
	}
	for _, g := range a.Owners {
		for _, x := range ids(g) {
			if x == id {
				return true
			}
		}
	}
	return false
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
	if len(a.Owners) > 0 {
		add(RoleOwnerAdmin)
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
