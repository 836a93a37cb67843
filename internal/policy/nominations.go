package policy

import (
	"slices"

	"github.com/heder-awards/heder/internal/awards"
)

// CanSeeNomination: the members of any nominee organisation and the
// admins of the nomination's cycle — those who see it as its own, with
// whom it invited. Everyone else must not learn that the nomination
// exists, except the jurors who assess it (CanReadNomination).
func CanSeeNomination(actor *awards.Actor, cycleID int64, nominees []int64) bool {
	if actor.Anonymous() {
		return false
	}
	return actor.AdministersCycle(cycleID) || memberOfAny(actor, nominees)
}

// NominationFacts are the facts that decide who may read a nomination,
// read by the caller in the query that loads it.
type NominationFacts struct {
	// CycleID is the nomination's cycle, whose admins read it.
	CycleID int64
	// NomineeIDs are its nominee organisations (several for a joint entry).
	NomineeIDs []int64
	// JurorReads: the reader holds a seat on the cycle's jury that gives
	// them the nomination to assess (the view juror_visible_nominations:
	// declared, not conflicted, assigned where the cycle assigns).
	JurorReads bool
}

// CanReadNomination decides who may read a nomination's text, projects
// and files: whoever CanSeeNomination lets through, and the jurors who
// assess it. Jurors only read; what else anyone may do is decided by the
// other rules.
func CanReadNomination(actor *awards.Actor, f NominationFacts) bool {
	if actor.Anonymous() {
		return false
	}
	return f.JurorReads || CanSeeNomination(actor, f.CycleID, f.NomineeIDs)
}

// CanEditNomination: the members of any nominee organisation, so each
// partner in a joint entry can work on it. Whether the cycle still
// accepts changes is the service's check, made against the database clock.
func CanEditNomination(actor *awards.Actor, nominees []int64) bool {
	return !actor.Anonymous() && memberOfAny(actor, nominees)
}

// CanJudgeEligibility: only the cycle's admins mark its nominations
// ineligible.
func CanJudgeEligibility(actor *awards.Actor, cycleID int64) bool {
	return actor.AdministersCycle(cycleID)
}

// ProjectFacts are the facts about a project and its reader that decide
// who may see it, read by the caller in the query that loads the project.
type ProjectFacts struct {
	// OwnerID is the organisation that owns the project.
	OwnerID int64
	// SuccessorIDs are the organisations the owner became, nearest first,
	// when it no longer exists.
	SuccessorIDs []int64
	// NomineeIDs are the nominee organisations of every nomination the
	// project is linked to (joint entries have several).
	NomineeIDs []int64
	// CycleIDs are the cycles of the nominations the project is linked to.
	CycleIDs []int64
	// JurorReads: the reader is a juror who may read a nomination the
	// project is linked to (NominationFacts.JurorReads).
	JurorReads bool
}

// CanSeeProject: site admins, the owning organisation's members, the
// members of the organisations the owner became (successors, nearest
// first: a project of Asker 0220 is today's Asker's work too), the
// members of the nominees of any nomination the project is linked to,
// the admins of those nominations' cycles (an owner admin opens the
// projects of the nominations to their award) and the jurors who assess
// one of those nominations.
func CanSeeProject(actor *awards.Actor, p ProjectFacts) bool {
	if actor.Anonymous() {
		return false
	}
	if actor.User.IsAdmin || p.JurorReads || actor.MemberOf(p.OwnerID) || memberOfAny(actor, p.SuccessorIDs) || memberOfAny(actor, p.NomineeIDs) {
		return true
	}
	for _, id := range p.CycleIDs {
		if actor.AdministersCycle(id) {
			return true
		}
	}
	return false
}

// CanEditProject: the owning organisation's members. A project can be
// linked to several nominations over the years, so the owner keeps it;
// co-nominees of a joint entry see it but do not change it. Successors
// do not change a former organisation's projects either: those stay the
// record of what it did under its own name (the archive shows them so),
// and are nearly always frozen by a judged nomination anyway. A successor
// links them as they are, or writes a project of its own.
func CanEditProject(actor *awards.Actor, owner int64) bool {
	return !actor.Anonymous() && actor.MemberOf(owner)
}

// CanLinkProject: the members of a nominee organisation that owns the
// project or that the owner became (successors, as for CanSeeProject)
// may link it to the nomination with those nominees: today's Asker uses
// Asker 0220's projects of 2017 as its own.
func CanLinkProject(actor *awards.Actor, owner int64, successors, nominees []int64) bool {
	if actor.Anonymous() {
		return false
	}
	for _, id := range nominees {
		if actor.MemberOf(id) && (id == owner || slices.Contains(successors, id)) {
			return true
		}
	}
	return false
}

func memberOfAny(actor *awards.Actor, orgs []int64) bool {
	for _, id := range orgs {
		if actor.MemberOf(id) {
			return true
		}
	}
	return false
}

// CanUnlinkProject: in a joint entry each organisation decides about the
// projects it brought: the owner's members, or the members of a nominee
// that the owner became and that linked it (CanLinkProject).
func CanUnlinkProject(actor *awards.Actor, owner int64, successors, nominees []int64) bool {
	return !actor.Anonymous() && (actor.MemberOf(owner) || CanLinkProject(actor, owner, successors, nominees))
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
