package api

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// TestOpenAPIIDsAreStrings: every ID the document names is a string, so
// that a script meets one kind of ID everywhere. An ID is a schema property
// named id, …_id or …_ids (arrays of strings), a path parameter other than
// the few that are not IDs, and a query parameter named like an ID or after
// the resource it picks.
func TestOpenAPIIDsAreStrings(t *testing.T) {
	t.Parallel()
	var doc map[string]any
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatal(err)
	}
	schemas, _ := doc["components"].(map[string]any)["schemas"].(map[string]any)
	var checked int
	var walk func(path string, x any)
	walk = func(path string, x any) {
		switch x := x.(type) {
		case map[string]any:
			if props, ok := x["properties"].(map[string]any); ok {
				for name, s := range props {
					if idName(name) {
						checked++
						if !stringSchema(schemas, s, strings.HasSuffix(name, "_ids")) {
							t.Errorf("%s/properties/%s: an ID must be a string, is %s", path, name, brief(s))
						}
					}
				}
			}
			if in, _ := x["in"].(string); in == "path" || in == "query" {
				name, _ := x["name"].(string)
				if (in == "path" && !slices.Contains(pathParamsNotIDs, name)) ||
					(in == "query" && (idName(name) || slices.Contains(queryParamsIDs, name))) {
					checked++
					if !stringSchema(schemas, x["schema"], false) {
						t.Errorf("%s: %s parameter %s is an ID and must be a string, is %s", path, in, name, brief(x["schema"]))
					}
				}
			}
			for k, v := range x {
				walk(path+"/"+k, v)
			}
		case []any:
			for _, v := range x {
				walk(path+"/[]", v)
			}
		}
	}
	walk("", doc)
	if checked < 100 {
		t.Errorf("checked %d IDs; the document names far more", checked)
	}
}

// pathParamsNotIDs are the path parameters that name no resource by ID.
var pathParamsNotIDs = []string{"slug", "token", "year"}

// queryParamsIDs are query parameters that pick a resource by its ID.
var queryParamsIDs = []string{"cycle", "nomination", "organisation", "county", "actor", "juror", "user", "project", "owner", "round"}

func idName(name string) bool {
	return name == "id" || strings.HasSuffix(name, "_id") || strings.HasSuffix(name, "_ids")
}

// stringSchema says whether s (after $refs) is a string, or null or a
// string, or an array of those when array is set or the schema is one.
func stringSchema(schemas map[string]any, s any, array bool) bool {
	m, ok := s.(map[string]any)
	if !ok {
		return false
	}
	if ref, ok := m["$ref"].(string); ok {
		return stringSchema(schemas, schemas[strings.TrimPrefix(ref, "#/components/schemas/")], array)
	}
	for _, k := range []string{"oneOf", "anyOf"} {
		if alts, ok := m[k].([]any); ok {
			for _, a := range alts {
				if am, _ := a.(map[string]any); am["type"] != "null" && !stringSchema(schemas, a, array) {
					return false
				}
			}
			return true
		}
	}
	types := map[string]bool{}
	switch t := m["type"].(type) {
	case string:
		types[t] = true
	case []any:
		for _, v := range t {
			s, _ := v.(string)
			types[s] = true
		}
	}
	delete(types, "null")
	if types["array"] && len(types) == 1 {
		return stringSchema(schemas, m["items"], false)
	}
	return !array && types["string"] && len(types) == 1
}

func brief(s any) string {
	b, _ := json.Marshal(s)
	if len(b) > 120 {
		b = append(b[:117], "..."...)
	}
	return string(b)
}
