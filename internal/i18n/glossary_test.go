package i18n

import (
	"strings"
	"testing"
)

// glossaryAllowed are the message ID prefixes where a ruled-out word means
// something else, by language and the word's lower-case form.
var glossaryAllowed = map[string]map[string]string{
	"en": {"entry": "audit.", "entries": "audit."}, // the audit log's entries, not nominations
}

// TestGlossary fails when a message calls a thing by a word the glossary
// rules out for it, so that a reader meets one word per thing.
func TestGlossary(t *testing.T) {
	b := mustLoad(t)
	hits := 0
	for _, lang := range Langs {
		for _, id := range b.IDs(lang) {
			for form, src := range forms(b.messages[lang][id]) {
				for _, w := range RuledOut(lang, src) {
					word := strings.ToLower(strings.TrimPrefix(w[:strings.Index(w, "»")], "«"))
					if p, ok := glossaryAllowed[lang][word]; ok && strings.HasPrefix(id, p) {
						continue
					}
					hits++
					t.Errorf("%s %q (%s): %s", lang, id, form, w)
				}
			}
		}
	}
	if hits > 0 {
		t.Logf("%d ruled-out words", hits)
	}
}

func TestRuledOut(t *testing.T) {
	for _, tt := range []struct {
		lang, text string
		want       int
	}{
		{"nb", "Alle søknader publiseres.", 1},
		{"nb", "Søker i tittel og sammendrag.", 0},
		{"nb", "Tilbakemelding til søkerne og bidragene.", 2},
		{"nn", "Ingen søkjarar fekk utlysninga.", 2},
		{"nn", "Utlysinga er open.", 0},
		{"en", "Submit an entry or an application.", 2},
		{"en", "Submit a nomination.", 0},
	} {
		if got := RuledOut(tt.lang, tt.text); len(got) != tt.want {
			t.Errorf("RuledOut(%s, %q) = %q, want %d words", tt.lang, tt.text, got, tt.want)
		}
	}
}

// TestOneInternalMarking keeps the marking of the jury's internal documents
// in one message per language, so that pages and PDFs read alike.
func TestOneInternalMarking(t *testing.T) {
	b := mustLoad(t)
	for _, lang := range Langs {
		for _, id := range b.IDs(lang) {
			src := b.messages[lang][id].Other
			if id != "internal.marking" && (strings.Contains(src, "offl. §") || strings.Contains(src, "Information Act §")) {
				t.Errorf("%s %q repeats the internal-document marking: use internal.marking", lang, id)
			}
		}
		if m := b.messages[lang]["internal.marking"]; m == nil || strings.Contains(m.Other, "—") {
			t.Errorf("%s internal.marking: missing, or with an em dash where the pages use –", lang)
		}
	}
}
