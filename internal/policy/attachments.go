package policy

import "github.com/heder-awards/heder/internal/awards"

// ProjectFiles are the facts about a project that decide who may see and
// change its attachments.
type ProjectFiles struct {
	ProjectFacts
	// Frozen is true once the project is part of a submitted nomination
	// whose cycle no longer accepts changes (past its deadline or closed).
	Frozen bool
}

// CanSeeAttachments decides who may list and download a project's files:
// whoever may see the project (CanSeeProject: the owning organisation's
// members and its successors', the members of every organisation
// nominated together with it, site admins and the admins of the cycles
// it is nominated in, who check eligibility, and the jurors who assess
// it). Everyone else must not learn that the files exist.
func CanSeeAttachments(actor *awards.Actor, p ProjectFiles) bool {
	return CanSeeProject(actor, p.ProjectFacts)
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
