package policy

import "github.com/heder-awards/heder/internal/awards"

// ProjectFiles are the facts about a project that decide who may see and
// change its attachments.
type ProjectFiles struct {
	// OwnerID is the organisation that owns the project.
	OwnerID int64
	// SuccessorIDs are the organisations the owner became, when it no
	// longer exists (see CanSeeProject).
	SuccessorIDs []int64
	// NomineeIDs are the nominee organisations of every nomination the
	// project is linked to (joint entries have several).
	NomineeIDs []int64
	// Frozen is true once the project is part of a submitted nomination
	// whose cycle no longer accepts changes (past its deadline or closed).
	Frozen bool
}

// CanSeeAttachments decides who may list and download a project's files:
// whoever may see the project (CanSeeProject: the owning organisation's
// members and its successors', the members of every organisation
// nominated together with it, and site admins, who check eligibility).
// Jurors who assess a nomination the project is linked to read its files
// too: that needs the database and is decided by jury.CanReadProject,
// which the attachments service asks after this. Everyone else must not
// learn that the files exist.
func CanSeeAttachments(actor *awards.Actor, p ProjectFiles) bool {
	return CanSeeProject(actor, p.OwnerID, p.SuccessorIDs, p.NomineeIDs)
}

// CanChangeAttachments decides who may upload and delete a project's
// files. The files are part of the project, so the rule is the project's:
// the owning organisation's members may change them (CanEditProject),
// until the project is frozen — once a nomination it belongs to has been
// submitted and its cycle's deadline has passed, the project stays as the
// jury judged it, files included. Co-nominees and admins read the files
// but do not change them.
func CanChangeAttachments(actor *awards.Actor, p ProjectFiles) bool {
	return !p.Frozen && CanEditProject(actor, p.OwnerID)
}
