package nominations_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/heder-awards/heder/internal/i18n"
)

var messageKey = regexp.MustCompile(`"((?:nominations|form)\.[a-z_.]+[a-z_])"`)

// TestMessagesExist fails when the service names a message (for a field
// or the checklist) that is missing in any language: the browser and the
// API would show its ID instead.
func TestMessagesExist(t *testing.T) {
	t.Parallel()
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range messageKey.FindAllSubmatch(src, -1) {
			seen++
			for _, lang := range i18n.Langs {
				if got := b.Localizer(lang).T(string(m[1])); got == string(m[1]) {
					t.Errorf("%s names message %q, missing in %s", f, m[1], lang)
				}
			}
		}
	}
	if seen < 30 {
		t.Errorf("found only %d message keys: is the pattern right?", seen)
	}
}
