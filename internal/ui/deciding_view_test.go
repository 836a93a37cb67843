package ui

import (
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/scorestats"
)

// TestAlphaNeedsNominations: alpha is put in words only once enough
// nominations have two jurors' scores; before that the page says why it
// is not shown, in each language, with the counts.
func TestAlphaNeedsNominations(t *testing.T) {
	t.Parallel()
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	result := func(shared, single int) scorestats.Result {
		r := scorestats.Result{Alpha: -0.17, AlphaDefined: true}
		for range shared {
			r.Rows = append(r.Rows, scorestats.Row{Jurors: 2})
		}
		for range single {
			r.Rows = append(r.Rows, scorestats.Row{Jurors: 1})
		}
		return r
	}
	l := b.Localizer("nb")
	if a := newAlpha(l, result(2, 6)); a.Defined || a.Band != "few" || a.Shared != 2 {
		t.Errorf("two shared nominations: %+v", a)
	}
	if a := newAlpha(l, result(minAlphaRows, 0)); !a.Defined || a.Band != "none" || a.Value != "-0,17" {
		t.Errorf("%d shared nominations: %+v", minAlphaRows, a)
	}
	for lang, want := range map[string]string{"nb": "minst 5", "nn": "minst 5", "en": "at least 5"} {
		got := b.Localizer(lang).T("deciding.alpha.few", "Count", 2, "Min", minAlphaRows)
		if !strings.Contains(got, want) || !strings.Contains(got, "2") {
			t.Errorf("%s: %q", lang, got)
		}
	}
}
