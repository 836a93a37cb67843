package auditlog

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestChanges(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, before, after string
		want                []Change
	}{
		{"only changed fields", `{"title": "A", "email": "k@asker.kommune.no", "n": 3}`, `{"title": "B", "email": "k@asker.kommune.no", "n": 3}`,
			[]Change{{Field: "title", Before: "A", After: "B", BeforeSet: true, AfterSet: true}}},
		{"a field added and one gone", `{"a": 1, "b": [1, 2]}`, `{"b": [1, 2], "c": {"x": null}}`,
			[]Change{{Field: "a", Before: "1", BeforeSet: true}, {Field: "c", After: `{"x":null}`, AfterSet: true}}},
		{"creation lists every field", `null`, `{"title": "Holmen", "year": 2017}`,
			[]Change{{Field: "title", After: "Holmen", AfterSet: true}, {Field: "year", After: "2017", AfterSet: true}}},
		{"deletion", `{"filename": "plan.pdf"}`, ``,
			[]Change{{Field: "filename", Before: "plan.pdf", BeforeSet: true}}},
		{"numbers as written", `{"sum": 12345678901234567}`, `{"sum": 12345678901234568}`,
			[]Change{{Field: "sum", Before: "12345678901234567", After: "12345678901234568", BeforeSet: true, AfterSet: true}}},
		{"nested values compared whole", `{"cells": [{"j": 1}]}`, `{"cells": [{"j": 1}]}`, nil},
		{"not objects", `"draft"`, `"submitted"`, []Change{{Before: "draft", After: "submitted", BeforeSet: true, AfterSet: true}}},
		{"nothing", `null`, `null`, nil},
	} {
		if diff := cmp.Diff(tc.want, Changes([]byte(tc.before), []byte(tc.after))); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}
