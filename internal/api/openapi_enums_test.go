package api

import (
	"encoding/json"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/nominations"
	"github.com/heder-awards/heder/internal/publication"
)

// openAPISchema is the part of a schema these tests read.
type openAPISchema struct {
	Properties map[string]struct {
		Enum []string `json:"enum"`
	} `json:"properties"`
}

func mergedOpenAPI(t *testing.T) (doc struct {
	Paths      map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas map[string]openAPISchema `json:"schemas"`
	} `json:"components"`
}) {
	t.Helper()
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestOpenAPINominationEnums: the statuses and outcomes the document
// lists are exactly those the code produces — a nomination's statuses
// (nominations.Statuses, which the schema's CHECK also holds) and the
// outcomes publication.Result.Known gives — wherever a nomination's
// status or outcome is named.
func TestOpenAPINominationEnums(t *testing.T) {
	t.Parallel()
	doc := mergedOpenAPI(t)
	var statuses []string
	for _, s := range nominations.Statuses {
		statuses = append(statuses, string(s))
	}
	outcomes := []string{publication.OutcomeWinner, publication.OutcomeFinalist, publication.OutcomeHonourableMention, publication.OutcomeNone}
	for _, name := range []string{"Nomination", "NominationSummary"} {
		props := doc.Components.Schemas[name].Properties
		if got := props["status"].Enum; !slices.Equal(got, statuses) {
			t.Errorf("%s.status enum %v, want %v", name, got, statuses)
		}
		if got := props["outcome"].Enum; !slices.Equal(got, outcomes) {
			t.Errorf("%s.outcome enum %v, want %v", name, got, outcomes)
		}
	}
	// The exports' status filter.
	var filters int
	for path, raw := range doc.Paths {
		var item struct {
			Parameters []struct {
				Name, In string
				Schema   struct {
					Enum []string `json:"enum"`
				}
			} `json:"parameters"`
		}
		if err := json.Unmarshal(raw, &item); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, p := range item.Parameters {
			if p.Name == "status" && p.In == "query" && strings.Contains(path, "/exports/") {
				filters++
				if !slices.Equal(p.Schema.Enum, statuses) {
					t.Errorf("%s: status filter enum %v, want %v", path, p.Schema.Enum, statuses)
				}
			}
		}
	}
	if filters == 0 {
		t.Error("no export documents its status filter")
	}
}

// TestOpenAPINominationSchemas: the nomination schemas have exactly the
// fields the API's types write.
func TestOpenAPINominationSchemas(t *testing.T) {
	t.Parallel()
	doc := mergedOpenAPI(t)
	for name, v := range map[string]any{"Nomination": Nomination{}, "NominationSummary": NominationSummary{}, "NominationStatement": Statement{}} {
		var documented []string
		for p := range doc.Components.Schemas[name].Properties {
			documented = append(documented, p)
		}
		sort.Strings(documented)
		written := jsonFields(reflect.TypeOf(v))
		sort.Strings(written)
		if !slices.Equal(documented, written) {
			t.Errorf("schema %s documents %v; the API writes %v", name, documented, written)
		}
	}
}

// jsonFields lists the JSON names of a struct's fields, those of embedded
// structs included, as encoding/json writes them.
func jsonFields(t reflect.Type) []string {
	var out []string
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		if f.Anonymous && tag == "" {
			out = append(out, jsonFields(f.Type)...)
			continue
		}
		if name, _, _ := strings.Cut(tag, ","); name != "-" && f.IsExported() {
			if name == "" {
				name = f.Name
			}
			out = append(out, name)
		}
	}
	return out
}
