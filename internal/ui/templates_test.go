package ui

import (
	"io/fs"
	"log/slog"
	"regexp"
	"testing"

	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/web"
)

// TestTemplatesParse builds the template cache as start-up does.
func TestTemplatesParse(t *testing.T) {
	t.Parallel()
	if _, err := NewRenderer(slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
}

var literalKey = regexp.MustCompile(`\.T "([a-z_.]+)"`)

// TestTemplateMessagesExist fails when a template names a message that is
// missing in any language.
func TestTemplateMessagesExist(t *testing.T) {
	t.Parallel()
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]map[string]bool{}
	for _, lang := range i18n.Langs {
		have[lang] = map[string]bool{}
		for _, id := range b.IDs(lang) {
			have[lang][id] = true
		}
	}
	err = fs.WalkDir(web.Templates, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := fs.ReadFile(web.Templates, p)
		if err != nil {
			return err
		}
		for _, m := range literalKey.FindAllSubmatch(src, -1) {
			for _, lang := range i18n.Langs {
				if !have[lang][string(m[1])] {
					t.Errorf("%s uses message %q, missing in %s", p, m[1], lang)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
