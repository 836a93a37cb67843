package app_test

import (
	"bytes"
	"compress/gzip"
	"html"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/apptest"
)

// TestStaticCaching: what the pages link under /static/ carries its
// content hash (?v=), fonts too (through inter.css), and is kept a year
// without asking again; without a version it is kept five minutes. Text
// files go gzipped to browsers that accept it, and as they are to the
// others. What Lighthouse asks for (bench/lighthouse.mjs).
func TestStaticCaching(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	anon := a.Client(t)
	_, home := fetch(t, a, anon, "/")
	linked := func(page, pattern string) string {
		t.Helper()
		m := regexp.MustCompile(pattern).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no match for %s", pattern)
		}
		return html.UnescapeString(m[1])
	}
	interCSS := linked(home, `href="(/static/vendor/inter\.css\?v=[0-9a-f]+)"`)
	_, fontCSS := fetch(t, a, anon, interCSS)
	font := "/static/vendor/" + linked(fontCSS, `url\(\./(inter-latin-wght-normal\.woff2\?v=[0-9a-f]+)\)`)
	if preload := linked(home, `<link rel="preload" href="([^"]+)" as="font"`); preload != font {
		t.Errorf("the page preloads %s, inter.css names %s", preload, font)
	}
	const year = "public, max-age=31536000, immutable"
	for _, tc := range []struct {
		name, path, cache, typ string
		gzipped                bool
	}{
		{"Designsystemet's CSS", linked(home, `href="(/static/vendor/designsystemet\.css\?v=[0-9a-f]+)"`), year, "text/css; charset=utf-8", true},
		{"the theme", linked(home, `href="(/static/vendor/designsystemet-theme\.css\?v=[0-9a-f]+)"`), year, "text/css; charset=utf-8", true},
		{"Heder's CSS", linked(home, `href="(/static/app\.css\?v=[0-9a-f]+)"`), year, "text/css; charset=utf-8", true},
		{"the font's CSS", interCSS, year, "text/css; charset=utf-8", true},
		{"the font", font, year, "font/woff2", false},
		{"the latin-ext font", "/static/vendor/" + linked(fontCSS, `url\(\./(inter-latin-ext-wght-normal\.woff2\?v=[0-9a-f]+)\)`), year, "font/woff2", false},
		{"the icon", linked(home, `<link rel="icon" href="([^"]+)"`), year, "image/svg+xml", true},
		{"a file without version", "/static/app.css", "public, max-age=300", "text/css; charset=utf-8", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			plainResp, plain := fetch(t, a, anon, tc.path, "Accept-Encoding", "identity")
			resp, body := fetch(t, a, anon, tc.path, "Accept-Encoding", "gzip, deflate, br")
			for _, r := range []*http.Response{plainResp, resp} {
				if r.StatusCode != http.StatusOK || r.Header.Get("Cache-Control") != tc.cache || r.Header.Get("Content-Type") != tc.typ {
					t.Errorf("%s (Accept-Encoding %s): %d, Cache-Control %q, Content-Type %q; want %q, %q", tc.path,
						r.Request.Header.Get("Accept-Encoding"), r.StatusCode, r.Header.Get("Cache-Control"), r.Header.Get("Content-Type"), tc.cache, tc.typ)
				}
			}
			if plainResp.Header.Get("Content-Encoding") != "" {
				t.Errorf("%s: Content-Encoding %q to a client that accepts none", tc.path, plainResp.Header.Get("Content-Encoding"))
			}
			if !tc.gzipped {
				if resp.Header.Get("Content-Encoding") != "" || body != plain {
					t.Errorf("%s: Content-Encoding %q, want the file as it is", tc.path, resp.Header.Get("Content-Encoding"))
				}
				return
			}
			if resp.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
				t.Fatalf("%s: Content-Encoding %q, Vary %q; want gzip, Accept-Encoding", tc.path, resp.Header.Get("Content-Encoding"), resp.Header.Get("Vary"))
			}
			zr, err := gzip.NewReader(bytes.NewReader([]byte(body)))
			if err != nil {
				t.Fatal(err)
			}
			unzipped, err := io.ReadAll(zr)
			if err != nil {
				t.Fatal(err)
			}
			if string(unzipped) != plain || len(body) >= len(plain) {
				t.Errorf("%s: gzipped %d bytes, unzipped equal: %t, plain %d bytes", tc.path, len(body), string(unzipped) == plain, len(plain))
			}
		})
	}
}

// TestMetaDescription: every public page tells search engines and link
// previews what it is about, in the reader's language where the text is
// Heder's own (Lighthouse's SEO audit asks for it).
func TestMetaDescription(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	anon := a.Client(t)
	const year = "/priser/kommunal-innovasjonspris/2017"
	_, winners := fetch(t, a, anon, year)
	first := func(pattern string) string {
		m := regexp.MustCompile(pattern).FindStringSubmatch(winners)
		if m == nil {
			t.Fatalf("%s links nothing like %s", year, pattern)
		}
		return m[1]
	}
	description := regexp.MustCompile(`<meta name="description" content="([^"]*)">`)
	for _, tc := range []struct {
		path string
		// ownText: the description is Heder's, so differs by language;
		// the archive's come from its content, written in bokmål.
		ownText bool
	}{
		{"/", true},
		{"/om", true},
		{"/personvern", true},
		{"/priser", false},
		{"/priser/kommunal-innovasjonspris", false},
		{year, false},
		{first(`href="(/prosjekter/[0-9a-f]+)"`), false},
		{first(`href="(/kommuner/\d+)"`), false},
		{"/sok?q=sv%C3%B8mmehall", false},
	} {
		t.Run(tc.path, func(t *testing.T) {
			seen := map[string]string{}
			for _, lang := range []string{"nb", "nn", "en"} {
				resp, body := fetch(t, a, anon, tc.path, "Accept-Language", lang)
				if resp.StatusCode == http.StatusFound { // the archive's pages move to their URL in that language
					resp, body = fetch(t, a, anon, resp.Header.Get("Location"), "Accept-Language", lang)
				}
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("%s in %s: %d", tc.path, lang, resp.StatusCode)
				}
				all := description.FindAllStringSubmatch(body, -1)
				if len(all) != 1 || strings.TrimSpace(all[0][1]) == "" {
					t.Fatalf("%s in %s: %d meta descriptions %q, want one with text", tc.path, lang, len(all), all)
				}
				if other, ok := seen[all[0][1]]; ok && tc.ownText {
					t.Errorf("%s: the same description in %s and %s: %q", tc.path, other, lang, all[0][1])
				}
				seen[all[0][1]] = lang
			}
		})
	}
}
