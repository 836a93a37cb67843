package ui

import (
	"strings"
	"testing"

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
