package notify

import (
	"bytes"
	"fmt"
	"strings"
	"text/template"

	"github.com/heder-awards/heder/web"
)

// parseMailTemplates parses web/templates/email/*.txt, at start-up, so
// that a broken template stops the start rather than a job.
func parseMailTemplates() (*template.Template, error) {
	t, err := template.New("email").Option("missingkey=error").ParseFS(web.Templates, "templates/email/*.txt")
	if err != nil {
		return nil, fmt.Errorf("parse e-mail templates: %w", err)
	}
	for _, name := range []string{"receipt.subject", "receipt.body", "invitation.subject", "invitation.body",
		"announcement.subject", "announcement.body", "joint_invitation.subject", "joint_invitation.body",
		"joint_lapsed.subject", "joint_lapsed.body",
		"ineligible.subject", "ineligible.body", "draft_reminder.subject", "draft_reminder.body",
		"jury_reminder.subject", "jury_reminder.body",
		"call.subject", "call.body", "results.subject", "results.body"} {
		if t.Lookup(name) == nil {
			return nil, fmt.Errorf("e-mail template %q is missing", name)
		}
	}
	return t, nil
}

// renderMail renders the templates "<name>.subject" and "<name>.body"
// into a message to to.
func renderMail(t *template.Template, name, to string, data any) (Message, error) {
	var subject, body bytes.Buffer
	if err := t.ExecuteTemplate(&subject, name+".subject", data); err != nil {
		return Message{}, fmt.Errorf("render %s subject: %w", name, err)
	}
	if err := t.ExecuteTemplate(&body, name+".body", data); err != nil {
		return Message{}, fmt.Errorf("render %s body: %w", name, err)
	}
	// A subject is one line, whatever a title holds.
	return Message{To: to, Subject: strings.Join(strings.Fields(subject.String()), " "), Text: body.String()}, nil
}
