package app_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/apptest"
)

// TestFavicon: the pages link their icon, and /favicon.ico, which browsers
// ask for whatever a page links, answers with the same icon, not 404.
func TestFavicon(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	anon := a.Client(t)
	_, home := fetch(t, a, anon, "/")
	link := regexp.MustCompile(`<link rel="icon" href="([^"]+)" type="image/svg\+xml">`).FindStringSubmatch(home)
	if link == nil {
		t.Fatal("the home page links no icon")
	}
	var icons []string
	for _, path := range []string{strings.ReplaceAll(link[1], "&amp;", "&"), "/favicon.ico"} {
		resp, body := fetch(t, a, anon, path)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/svg+xml" || !strings.HasPrefix(body, "<svg") {
			t.Errorf("%s: %d %s %.40q", path, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		if !strings.HasPrefix(resp.Header.Get("Cache-Control"), "public") {
			t.Errorf("%s: Cache-Control %q", path, resp.Header.Get("Cache-Control"))
		}
		icons = append(icons, body)
	}
	if icons[0] != icons[1] {
		t.Error("/favicon.ico is not the icon the pages link")
	}
}
