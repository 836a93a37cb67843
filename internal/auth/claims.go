package auth

import (
	"fmt"
	"regexp"
	"strings"
)

var orgnrIn = regexp.MustCompile(`(?:^|:)([0-9]{9})$`)

// ClaimValues returns the strings found at path in claims. A path is a
// dot-separated list of keys; a key ending in "[]" walks every element of
// an array, e.g. "authorization_details[].authorized_parties[].orgno.ID".
func ClaimValues(claims map[string]any, path string) []string {
	var out []string
	walk(claims, strings.Split(path, "."), &out)
	return out
}

func walk(v any, path []string, out *[]string) {
	if len(path) == 0 {
		switch x := v.(type) {
		case string:
			*out = append(*out, x)
		case float64:
			*out = append(*out, fmt.Sprintf("%.0f", x))
		case []any:
			for _, e := range x {
				walk(e, nil, out)
			}
		}
		return
	}
	m, ok := v.(map[string]any)
	if !ok {
		return
	}
	key, isArray := strings.CutSuffix(path[0], "[]")
	next, ok := m[key]
	if !ok {
		return
	}
	if !isArray {
		walk(next, path[1:], out)
		return
	}
	arr, ok := next.([]any)
	if !ok {
		return
	}
	for _, e := range arr {
		walk(e, path[1:], out)
	}
}

// Orgnrs extracts organisation numbers ("0192:974760673" or "974760673")
// from the claim paths, each once.
func Orgnrs(claims map[string]any, paths []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range paths {
		for _, v := range ClaimValues(claims, p) {
			m := orgnrIn.FindStringSubmatch(strings.TrimSpace(v))
			if m == nil || seen[m[1]] {
				continue
			}
			seen[m[1]] = true
			out = append(out, m[1])
		}
	}
	return out
}
