package policy

import "github.com/heder-awards/heder/internal/awards"

// CanSeeNomination: the members of any nominee organisation and site
// admins. Everyone else must not learn that the nomination exists —
// except the jurors who assess it, which needs the database and is
// decided by jury.CanReadNomination, asked by the services after this.
func CanSeeNomination(actor *awards.Actor, nominees []int64) bool {
	if actor.Anonymous() {
		return false
	}
	return actor.User.IsAdmin || memberOfAny(actor, nominees)
}

// CanEditNomination: the members of any nominee organisation, so each
// partner in a joint entry can work on it. Whether the cycle still
// accepts changes is the service's check, made against the database clock.
func CanEditNomination(actor *awards.Actor, nominees []int64) bool {
	return !actor.Anonymous() && memberOfAny(actor, nominees)
}

// CanJudgeEligibility: only site admins mark nominations ineligible.
func CanJudgeEligibility(actor *awards.Actor) bool {
	return !actor.Anonymous() && actor.User.IsAdmin
}

// CanSeeProject: site admins, the owning organisation's members, and the
// members of the nominees of any nomination the project is linked to.
func CanSeeProject(actor *awards.Actor, owner int64, nominees []int64) bool {
	if actor.Anonymous() {
		return false
	}
	return actor.User.IsAdmin || actor.MemberOf(owner) || memberOfAny(actor, nominees)
}

// CanEditProject: the owning organisation's members. A project can be
// linked to several nominations over the years, so the owner keeps it;
// co-nominees of a joint entry see it but do not change it.
func CanEditProject(actor *awards.Actor, owner int64) bool {
	return !actor.Anonymous() && actor.MemberOf(owner)
}

func memberOfAny(actor *awards.Actor, orgs []int64) bool {
	for _, id := range orgs {
		if actor.MemberOf(id) {
			return true
		}
	}
	return false
}

// CanLeadNomination: the members of the organisation that leads a joint
// entry invite others, withdraw invitations and hand the lead over.
func CanLeadNomination(actor *awards.Actor, lead int64) bool {
	return !actor.Anonymous() && lead != 0 && actor.MemberOf(lead)
}

// CanAnswerInvitation: only the invited organisation's own members accept
// or decline its invitation to a joint entry; nobody joins it to an entry
// on its behalf.
func CanAnswerInvitation(actor *awards.Actor, invited int64) bool {
	return !actor.Anonymous() && actor.MemberOf(invited)
}

// CanSeeInvitation: the invited organisation's members (who see only the
// invitation, not the entry), the entry's nominees' members and site
// admins.
func CanSeeInvitation(actor *awards.Actor, invited int64, nominees []int64) bool {
	if actor.Anonymous() {
		return false
	}
	return actor.User.IsAdmin || actor.MemberOf(invited) || memberOfAny(actor, nominees)
}

// CanRemoveNominee: an organisation leaves a joint entry by its own
// members' choice; site admins may take it off too. No other nominee can
// remove it.
func CanRemoveNominee(actor *awards.Actor, org int64) bool {
	return !actor.Anonymous() && (actor.User.IsAdmin || actor.MemberOf(org))
}
