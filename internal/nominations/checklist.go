package nominations

import (
	"fmt"
	"strings"

	"github.com/heder-awards/heder/internal/awards"
)

// Missing is one thing a nomination lacks before it can be submitted.
type Missing struct {
	// Field names what is missing as the API does ("title",
	// "projects[1].description").
	Field string
	// Key is the message that says so to a person.
	Key string
	// Project is the public ID of the project concerned, if any.
	Project string
}

// Checklist returns what n lacks before it can be submitted: title,
// summary, challenge, contact name and a valid e-mail address, at least
// one project, and a title and description for each linked project. An
// empty list means n is complete. n must have its projects loaded.
func Checklist(n awards.Nomination) []Missing {
	var out []Missing
	add := func(field, key, project string) { out = append(out, Missing{Field: field, Key: key, Project: project}) }
	if strings.TrimSpace(n.Title) == "" {
		add("title", "nominations.missing.title", "")
	}
	if strings.TrimSpace(n.Summary) == "" {
		add("summary", "nominations.missing.summary", "")
	}
	if !n.Challenge.Valid() {
		add("challenge", "nominations.missing.challenge", "")
	}
	if strings.TrimSpace(n.ContactName) == "" {
		add("contact_name", "nominations.missing.contact_name", "")
	}
	if !validEmail(n.ContactEmail) {
		add("contact_email", "nominations.missing.contact_email", "")
	}
	if len(n.Projects) == 0 {
		add("projects", "nominations.missing.projects", "")
	}
	for i, p := range n.Projects {
		if strings.TrimSpace(p.Title) == "" {
			add(fmt.Sprintf("projects[%d].title", i), "nominations.missing.project_title", p.PublicID)
		}
		if strings.TrimSpace(p.Description) == "" {
			add(fmt.Sprintf("projects[%d].description", i), "nominations.missing.project_description", p.PublicID)
		}
	}
	return out
}

// Status is how far a part of the task list has come.
type Status string

// Statuses of a task list's parts.
const (
	NotStarted Status = "not_started"
	InProgress Status = "in_progress"
	Complete   Status = "complete"
)

// Progress is the task list's status per part.
type Progress struct {
	Facts    Status
	Nominees Status
	Contact  Status
	// Projects has one status per linked project, in order.
	Projects []Status
	Submit   Status
}

func status(done, total int) Status {
	switch {
	case done == 0:
		return NotStarted
	case done == total:
		return Complete
	}
	return InProgress
}

func count(conds ...bool) int {
	n := 0
	for _, c := range conds {
		if c {
			n++
		}
	}
	return n
}

// ProgressOf computes the task list of n, which must have its projects.
func ProgressOf(n awards.Nomination) Progress {
	filled := func(s string) bool { return strings.TrimSpace(s) != "" }
	p := Progress{
		Facts:    status(count(filled(n.Title), filled(n.Summary), n.Challenge.Valid()), 3),
		Nominees: Complete, // there is always at least one
		Submit:   NotStarted,
	}
	p.Contact = status(count(filled(n.ContactName), validEmail(n.ContactEmail)), 2)
	if p.Contact == NotStarted && (filled(n.ContactEmail) || filled(n.ContactPhone)) {
		p.Contact = InProgress
	}
	for _, pr := range n.Projects {
		s := status(count(filled(pr.Title), filled(pr.Description)), 2)
		if s == NotStarted {
			s = InProgress // a linked project has been started
		}
		p.Projects = append(p.Projects, s)
	}
	if n.Status != awards.StatusDraft && n.Status != awards.StatusWithdrawn {
		p.Submit = Complete
	}
	return p
}
