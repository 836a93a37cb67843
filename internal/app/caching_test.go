package app_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/httpx"
)

// ownCaching lists the session routes whose handler sets its own
// Cache-Control instead of the server's no-store, with the value: each
// answers a person's own browser only ("private") and must be asked again
// every time ("no-cache"), which its ETag makes cheap.
var ownCaching = map[string]string{
	"GET /vedlegg/{id}":                                  "private, no-cache", // an attachment (files.Serve)
	"GET /api/v1/attachments/{id}":                       "private, no-cache", // the same through the API
	"GET /jury/{cycle}/rangering/{nomination}/poeng.svg": "private, no-cache", // the ranking's strip plot
}

// checkCaching checks one answer of TestAuthorization's walk: whatever
// runs with the session (every route but the public archive's) may hold
// personal data, or show who is logged in, and is stored by no cache; the
// public archive is the same for everyone and keeps its own rules
// (public, revalidated by ETag).
func checkCaching(t *testing.T, rt httpx.Route, role string, status int, h http.Header) {
	t.Helper()
	key := rt.Method + " " + rt.Pattern
	got := strings.Join(h.Values("Cache-Control"), ", ")
	switch {
	case rt.Stateless:
		if status == http.StatusOK && !strings.HasPrefix(got, "public") {
			t.Errorf("%s as %s: Cache-Control %q, want the public archive's own (public, …)", key, role, got)
		}
	case strings.Contains(got, "no-store"):
	case ownCaching[key] != "" && strings.HasPrefix(got, ownCaching[key]):
	default:
		t.Errorf("%s as %s (%d): Cache-Control %q, want no-store", key, role, status, got)
	}
}
