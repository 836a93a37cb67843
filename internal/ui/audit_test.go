package ui

import (
	"reflect"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/i18n"
)

// TestAuditActionsDistinct: the audit log's filter names each action in
// words only, so no two actions may have the same words in a language.
func TestAuditActionsDistinct(t *testing.T) {
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range i18n.Langs {
		l, seen := b.Localizer(lang), map[string]string{}
		for _, id := range b.IDs(lang) {
			action, ok := strings.CutPrefix(id, "audit.action.")
			if !ok {
				continue
			}
			words := actionWords(l, action)
			if other, dup := seen[words]; dup {
				t.Errorf("%s: %s and %s are both %q", lang, other, action, words)
			}
			seen[words] = action
		}
	}
}

// TestAuditValues: a code of an enumeration shows in words, kept as the
// value of a data element; any other value as it is.
func TestAuditValues(t *testing.T) {
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	l := b.Localizer("nb")
	for _, c := range []struct {
		prefix, v   string
		set         bool
		words, code string
	}{
		{"nominations.status.", "draft", true, "Utkast", "draft"},
		{"nominations.challenge.", "renewal", true, l.T("nominations.challenge.renewal"), "renewal"},
		{"nominations.status.", "invented", true, "invented", ""},
		{"nominations.status.", "", false, "", ""},
	} {
		if words, code := auditValue(l, c.prefix, c.v, c.set); words != c.words || code != c.code {
			t.Errorf("%s%s: %q %q, want %q %q", c.prefix, c.v, words, code, c.words, c.code)
		}
	}
}

// TestAuditFieldLabels: every field a nomination, project, cycle,
// criterion, round, award, attachment, announcement, feedback, decision,
// scores or jury comment entry keeps is named in words in every language.
// Cycles, criteria, rounds and awards are kept with their Go field names,
// so a field added to awards.Cycle, Criterion, Round or Award fails here
// until it has its label.
func TestAuditFieldLabels(t *testing.T) {
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	fields := map[string][]string{
		"nomination": {"title", "summary", "challenge", "contact_name", "contact_email", "contact_phone", "status",
			"ineligible_reason", "version", "submitted_at", "project_id", "projects", "organisation", "organisation_id",
			"invitation_id", "inviting_organisation_id", "lead_organisation_id", "juror_id", "excluded_reason", "note", "cycle_id"},
		"project": {"organisation_id", "title", "description", "results", "partners", "period_start", "period_end",
			"links", "measures", "version"},
		"cycle":        {"mode", "k", "spread_counties", "diploma_signature"},
		"attachment":   {"project_id", "public_id", "filename", "content_type", "size", "sha256", "alt_text", "storage_key"},
		"announcement": {"id", "cycle_id", "kind", "publish_at", "unpublished_at", "unpublish_reason"},
		"feedback":     {"body"},
		"decision":     {"decisions", "reason", "round", "position", "next_round", "nominations", "finalists", "next_scoring_deadline"},
		"scores":       {"juror_id", "submitted_at", "cells", "excluded_reason", "reason"},
		"jury_comment": {"nomination_id", "juror_id", "body"},
	}
	for entity, v := range map[string]any{"cycle": awards.Cycle{}, "criterion": awards.Criterion{}, "award": awards.Award{},
		"round": awards.Round{}} {
		for _, f := range reflect.VisibleFields(reflect.TypeOf(v)) {
			fields[entity] = append(fields[entity], f.Name)
		}
	}
	for _, lang := range i18n.Langs {
		l := b.Localizer(lang)
		for entity, names := range fields {
			for _, name := range names {
				if got := auditFieldLabel(l, entity, name); got == "" {
					t.Errorf("%s %s.%s: label %q", lang, entity, name, got)
				}
			}
		}
	}
	if got := auditFieldLabel(b.Localizer("nb"), "nomination", "contact_email"); got != "E-postadresse" {
		t.Errorf("nomination.contact_email: %q", got)
	}
	if got := auditFieldLabel(b.Localizer("nb"), "cycle", "CallOpensAt"); got != "Utlysningen åpner" {
		t.Errorf("cycle.CallOpensAt: %q", got)
	}
}
