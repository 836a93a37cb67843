package api

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/awards"
)

// TestOpenAPIMatchesRoutes keeps openapi.json true: every API route is
// documented with its method, and every documented operation exists.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	t.Parallel()
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatalf("openapi.json is not valid JSON: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi version %q", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			if method == "parameters" {
				continue
			}
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	routed := map[string]bool{}
	for _, rt := range (&Handler{}).Routes() {
		routed[rt.Method+" "+rt.Pattern] = true
	}
	var missing, stale []string
	for k := range routed {
		if !documented[k] {
			missing = append(missing, k)
		}
	}
	for k := range documented {
		if !routed[k] {
			stale = append(stale, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(stale)
	if len(missing) > 0 {
		t.Errorf("routes missing from openapi.json: %v", missing)
	}
	if len(stale) > 0 {
		t.Errorf("openapi.json documents routes that do not exist: %v", stale)
	}
}

// TestOpenAPIProblemCodes keeps the documented machine codes of problem
// details (the ProblemCode enum) equal to the codes the server writes.
func TestOpenAPIProblemCodes(t *testing.T) {
	t.Parallel()
	var doc struct {
		Components struct {
			Schemas struct {
				ProblemCode struct {
					Enum []string `json:"enum"`
				}
			}
		}
	}
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatal(err)
	}
	got, want := doc.Components.Schemas.ProblemCode.Enum, awards.Codes()
	if !slices.Equal(got, want) {
		var missing, stale []string
		for _, c := range want {
			if !slices.Contains(got, c) {
				missing = append(missing, c)
			}
		}
		for _, c := range got {
			if !slices.Contains(want, c) {
				stale = append(stale, c)
			}
		}
		t.Errorf("ProblemCode's enum in internal/api/openapi/base.json differs from awards.Codes() (keep it sorted): missing %v, not written by the server %v", missing, stale)
	}
}
