package api

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/heder-awards/heder/internal/awards"
)

// TestOpenAPIOrgKinds: wherever the document lists organisation kinds (an
// enum holding "municipality", or "county" where municipalities are not
// created), it lists exactly awards.OrgKinds, in their order.
func TestOpenAPIOrgKinds(t *testing.T) {
	t.Parallel()
	var all, creatable []string
	for _, k := range awards.OrgKinds {
		all = append(all, string(k))
		if k.Creatable() {
			creatable = append(creatable, string(k))
		}
	}
	var doc any
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatal(err)
	}
	var found int
	var walk func(path string, x any)
	walk = func(path string, x any) {
		switch x := x.(type) {
		case map[string]any:
			for k, v := range x {
				walk(path+"/"+k, v)
			}
		case []any:
			var enum []string
			for _, v := range x {
				s, _ := v.(string)
				enum = append(enum, s)
				walk(path+"/[]", v)
			}
			if slices.Contains(enum, "municipality") {
				found++
				if !slices.Equal(enum, all) {
					t.Errorf("%s: %v, want %v", path, enum, all)
				}
			} else if slices.Contains(enum, "county") && slices.Contains(enum, "company") && !slices.Equal(enum, creatable) {
				t.Errorf("%s: %v, want %v", path, enum, creatable)
			}
		}
	}
	walk("", doc)
	if found < 4 {
		t.Errorf("found %d lists of kinds, want the organisation's, the cycles' two and the archive's", found)
	}
}
