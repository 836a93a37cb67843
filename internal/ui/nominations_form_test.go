package ui

import (
	"slices"
	"testing"
)

// A refused project form's error summary lists the fields top to bottom,
// measured results by row, not in the order of the field names.
func TestNomSummaryFollowsTheForm(t *testing.T) {
	t.Parallel()
	errs := map[string]string{"links": "l", "title": "t", "measure-10-label": "m10", "measure-2-unit": "m2u",
		"measure-2-label": "m2l", "description": "d", "period_end": "pe", "partners": "p", "zz-other": "z"}
	var got []string
	for _, e := range nomSummary(errs) {
		got = append(got, e.ID)
		if e.Message != errs[e.ID] {
			t.Errorf("%s: message %q, want %q", e.ID, e.Message, errs[e.ID])
		}
	}
	want := []string{"title", "description", "measure-2-label", "measure-2-unit", "measure-10-label", "partners",
		"period_end", "links", "zz-other"}
	if !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
}
