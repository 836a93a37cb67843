package server

import (
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/httpx"
)

// fakeFresh is a PublicFreshness the test controls.
type fakeFresh struct {
	gen  atomic.Uint64
	live atomic.Bool
	// next is how far ahead the next announcement is; 0 for none.
	next atomic.Int64
}

func (f *fakeFresh) freshness() *PublicFreshness {
	return &PublicFreshness{
		Generation: func() (uint64, bool) { return f.gen.Load(), f.live.Load() },
		Horizon: func(context.Context) (time.Time, *time.Time, error) {
			now := time.Now()
			if d := time.Duration(f.next.Load()); d > 0 {
				at := now.Add(d)
				return now, &at, nil
			}
			return now, nil, nil
		},
	}
}

// counter answers with how many times it has rendered.
type counter struct {
	n    atomic.Int64
	body func(n int64) string
	// during runs while rendering, before the answer is written.
	during func()
}

func (c *counter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := c.n.Add(1)
	if c.during != nil {
		c.during()
	}
	_, _ = w.Write([]byte(c.body(n)))
}

func do(t *testing.T, h http.Handler, method, path string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func TestPublicCache(t *testing.T) {
	t.Parallel()
	render := func(n int64) string { return "page " + strings.Repeat("x", int(n)) }
	tests := []struct {
		name string
		// step changes the world between the first and second request.
		step func(f *fakeFresh, c *counter)
		// rendered is how many times the page is rendered for the two.
		rendered int64
	}{
		{"kept", func(*fakeFresh, *counter) {}, 1},
		{"a write drops it", func(f *fakeFresh, _ *counter) { f.gen.Add(1) }, 2},
		{"not listening: nothing is kept", func(f *fakeFresh, _ *counter) { f.live.Store(false) }, 2},
		{"dropped at the announcement", func(f *fakeFresh, _ *counter) { time.Sleep(120 * time.Millisecond) }, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := &fakeFresh{}
			f.live.Store(true)
			if tc.name == "dropped at the announcement" {
				f.next.Store(int64(100 * time.Millisecond))
			}
			c := &counter{body: render}
			h := newPublicCache(f.freshness()).wrap(c.ServeHTTP)
			first := do(t, h, http.MethodGet, "/priser")
			tc.step(f, c)
			second := do(t, h, http.MethodGet, "/priser")
			if got := c.n.Load(); got != tc.rendered {
				t.Errorf("rendered %d times, want %d", got, tc.rendered)
			}
			if (first.Body.String() == second.Body.String()) != (tc.rendered == 1) {
				t.Errorf("bodies %q and %q", first.Body, second.Body)
			}
			if (first.Header().Get("ETag") == second.Header().Get("ETag")) != (first.Body.String() == second.Body.String()) {
				t.Errorf("ETags %q and %q for bodies %q and %q", first.Header().Get("ETag"), second.Header().Get("ETag"), first.Body, second.Body)
			}
		})
	}
}

// TestPublicCacheWriteWhileRendering: a write that commits while a page
// renders may or may not be in it, so the page is not kept.
func TestPublicCacheWriteWhileRendering(t *testing.T) {
	t.Parallel()
	f := &fakeFresh{}
	f.live.Store(true)
	c := &counter{body: func(n int64) string { return "v" + string(rune('0'+n)) }}
	c.during = func() {
		if c.n.Load() == 1 {
			f.gen.Add(1)
		}
	}
	h := newPublicCache(f.freshness()).wrap(c.ServeHTTP)
	do(t, h, http.MethodGet, "/priser")
	do(t, h, http.MethodGet, "/priser")
	do(t, h, http.MethodGet, "/priser")
	if got := c.n.Load(); got != 2 {
		t.Errorf("rendered %d times, want 2 (the first not kept, the second kept)", got)
	}
}

// TestPublicCacheOneRender: requests for a page that is being rendered
// wait for that render instead of rendering it again, unless a write
// came in between.
func TestPublicCacheOneRender(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// write: a write commits after the first request has started
		// rendering and before the others come.
		write bool
		// status of the first render; a server error is not shared.
		status   int
		rendered int64
	}{
		{"shared", false, http.StatusOK, 1},
		{"a not found is shared too", false, http.StatusNotFound, 1},
		{"a server error is not", false, http.StatusInternalServerError, 4},
		{"nor a 304 for the first one's copy", false, http.StatusNotModified, 4},
		{"not across a write", true, http.StatusOK, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := &fakeFresh{}
			f.live.Store(true)
			started, release := make(chan struct{}), make(chan struct{})
			var n atomic.Int64
			c := newPublicCache(f.freshness())
			h := c.wrap(func(w http.ResponseWriter, _ *http.Request) {
				if n.Add(1) == 1 {
					close(started)
					<-release
					w.WriteHeader(tc.status)
				}
				_, _ = w.Write([]byte("side"))
			})
			var wg sync.WaitGroup
			codes := make(chan int, 4)
			get := func() {
				defer wg.Done()
				codes <- do(t, h, http.MethodGet, "/priser").Code
			}
			wg.Add(1)
			go get()
			<-started
			first := c.onlyFlight(t)
			if tc.write {
				f.gen.Add(1)
			}
			wg.Add(3)
			for range 3 {
				go get()
			}
			if !tc.write {
				// The three wait for the first render before it ends.
				for deadline := time.Now().Add(10 * time.Second); first.waiting.Load() < 3; time.Sleep(time.Millisecond) {
					if time.Now().After(deadline) {
						t.Fatalf("%d requests wait for the render, want 3", first.waiting.Load())
					}
				}
			}
			close(release)
			wg.Wait()
			close(codes)
			if got := n.Load(); got != tc.rendered {
				t.Errorf("rendered %d times, want %d", got, tc.rendered)
			}
			for c := range codes {
				if tc.rendered == 1 && c != tc.status {
					t.Errorf("status %d, want %d", c, tc.status)
				}
			}
		})
	}
}

// onlyFlight returns the one render under way.
func (c *publicCache) onlyFlight(t *testing.T) *flight {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.flights) != 1 {
		t.Fatalf("%d renders under way, want 1", len(c.flights))
	}
	for _, f := range c.flights {
		return f
	}
	return nil
}

// TestPublicCacheRenderPanics: when the render others wait for fails,
// they are let go and render their own.
func TestPublicCacheRenderPanics(t *testing.T) {
	t.Parallel()
	f := &fakeFresh{}
	f.live.Store(true)
	started, release := make(chan struct{}), make(chan struct{})
	var n atomic.Int64
	h := newPublicCache(f.freshness()).wrap(func(w http.ResponseWriter, _ *http.Request) {
		if n.Add(1) == 1 {
			close(started)
			<-release
			panic("render failed")
		}
		_, _ = w.Write([]byte("side"))
	})
	go func() {
		defer func() { _ = recover() }()
		do(t, h, http.MethodGet, "/priser")
	}()
	<-started
	done := make(chan *httptest.ResponseRecorder)
	go func() { done <- do(t, h, http.MethodGet, "/priser") }()
	time.Sleep(50 * time.Millisecond)
	close(release)
	select {
	case w := <-done:
		if w.Code != http.StatusOK || w.Body.String() != "side" {
			t.Errorf("waiting request: %d %q", w.Code, w.Body)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the waiting request was never let go")
	}
}

func TestPublicCacheHeaders(t *testing.T) {
	t.Parallel()
	f := &fakeFresh{}
	f.live.Store(true)
	c := &counter{body: func(int64) string { return "<p>arkiv</p>" }}
	h := newPublicCache(f.freshness()).wrap(c.ServeHTTP)

	w := do(t, h, http.MethodGet, "/priser")
	etag := w.Header().Get("ETag")
	if w.Code != http.StatusOK || etag == "" || w.Header().Get("Cache-Control") != "public, no-cache" || w.Header().Get("Content-Length") != "12" {
		t.Fatalf("GET: %d %v", w.Code, w.Header())
	}
	if w.Header().Get("Vary") != "Accept-Language, Cookie" {
		t.Errorf("Vary = %q", w.Header().Get("Vary"))
	}
	for _, inm := range []string{etag, `W/` + etag, `"other", ` + etag, "*"} {
		if w := do(t, h, http.MethodGet, "/priser", "If-None-Match", inm); w.Code != http.StatusNotModified || w.Body.Len() != 0 || w.Header().Get("ETag") != etag {
			t.Errorf("If-None-Match %s: %d %q", inm, w.Code, w.Body)
		}
	}
	if w := do(t, h, http.MethodGet, "/priser", "If-None-Match", `"other"`); w.Code != http.StatusOK {
		t.Errorf("another ETag: %d", w.Code)
	}
	// An explicit language is its own URL: no Vary, and its own entry.
	w = do(t, h, http.MethodGet, "/priser?lang=nn")
	if w.Header().Get("Vary") != "" {
		t.Errorf("?lang=nn: Vary %q", w.Header().Get("Vary"))
	}
	// Languages picked from the request are kept apart.
	var langs []string
	lc := &counter{body: func(int64) string { return "" }}
	lh := newPublicCache(f.freshness()).wrap(func(w http.ResponseWriter, r *http.Request) {
		lc.ServeHTTP(w, r)
		langs = append(langs, httpx.LangFrom(r.Context()))
	})
	do(t, lh, http.MethodGet, "/sok", "Accept-Language", "en")
	do(t, lh, http.MethodGet, "/sok", "Cookie", "heder_lang=nn")
	do(t, lh, http.MethodGet, "/sok?lang=xx")
	do(t, lh, http.MethodGet, "/sok", "Accept-Language", "en-GB")
	if got := strings.Join(langs, " "); got != "en nn nb" {
		t.Errorf("rendered in %q, want en nn nb (en-GB from the cache)", got)
	}
}

func TestPublicCacheNotKept(t *testing.T) {
	t.Parallel()
	f := &fakeFresh{}
	f.live.Store(true)
	tests := []struct {
		name    string
		handler http.HandlerFunc
		check   func(t *testing.T, w *httptest.ResponseRecorder)
	}{
		{"error", func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "nope", http.StatusNotFound) },
			func(t *testing.T, w *httptest.ResponseRecorder) {
				if w.Code != http.StatusNotFound || w.Header().Get("Cache-Control") != "no-store" || w.Header().Get("ETag") != "" {
					t.Errorf("%d %v", w.Code, w.Header())
				}
			}},
		{"cookie", func(w http.ResponseWriter, _ *http.Request) {
			http.SetCookie(w, &http.Cookie{Name: "x", Value: "y"})
			_, _ = w.Write([]byte("ok"))
		}, func(t *testing.T, w *httptest.ResponseRecorder) {}},
		{"unknown parameter", func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Query().Get("utm_source") == "" {
				t.Error("the handler did not get the query")
			}
			_, _ = w.Write([]byte("ok"))
		}, func(t *testing.T, w *httptest.ResponseRecorder) {
			if w.Code != http.StatusOK || w.Header().Get("ETag") == "" {
				t.Errorf("%d %v", w.Code, w.Header())
			}
		}},
		{"large", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("ETag", `"file"`)
			_, _ = w.Write(make([]byte, cacheEntry))
			_, _ = w.Write(make([]byte, 10))
		}, func(t *testing.T, w *httptest.ResponseRecorder) {
			if w.Body.Len() != cacheEntry+10 || w.Header().Get("ETag") != `"file"` || w.Header().Get("Cache-Control") != "public, no-cache" {
				t.Errorf("%d bytes, %v", w.Body.Len(), w.Header())
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var n atomic.Int64
			h := newPublicCache(f.freshness()).wrap(func(w http.ResponseWriter, r *http.Request) {
				n.Add(1)
				tc.handler(w, r)
			})
			path := "/x?q=svømmehall"
			if tc.name == "unknown parameter" {
				path = "/x?q=svømmehall&utm_source=nyhetsbrev"
			}
			tc.check(t, do(t, h, http.MethodGet, path))
			do(t, h, http.MethodGet, path)
			if n.Load() != 2 {
				t.Errorf("rendered %d times, want 2: the answer must not be kept", n.Load())
			}
		})
	}
}

func TestPublicCORS(t *testing.T) {
	t.Parallel()
	h := publicCORS(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		_, _ = w.Write([]byte("{}"))
	}))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodOptions, "/api/v1/public/awards", nil))
	if w.Code != http.StatusNoContent || w.Header().Get("Access-Control-Allow-Origin") != "*" ||
		w.Header().Get("Access-Control-Allow-Methods") != "GET, HEAD, OPTIONS" || w.Header().Get("Access-Control-Allow-Credentials") != "" {
		t.Errorf("preflight: %d %v", w.Code, w.Header())
	}
	w = httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/api/v1/public/awards", nil))
	if w.Header().Get("Access-Control-Expose-Headers") != "ETag, Link" || w.Header().Get("Access-Control-Allow-Methods") != "" {
		t.Errorf("GET: %v", w.Header())
	}
}

func TestPublicCacheGzip(t *testing.T) {
	t.Parallel()
	f := &fakeFresh{}
	f.live.Store(true)
	page := "<p>" + strings.Repeat("Innovasjonsprisen ", 200) + "</p>"
	var n atomic.Int64
	h := newPublicCache(f.freshness()).wrap(func(w http.ResponseWriter, _ *http.Request) {
		n.Add(1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(page))
	})
	plain := do(t, h, http.MethodGet, "/priser")
	zipped := do(t, h, http.MethodGet, "/priser", "Accept-Encoding", "br, gzip;q=0.8")
	if plain.Header().Get("Content-Encoding") != "" || plain.Body.String() != page || !strings.Contains(strings.Join(plain.Header().Values("Vary"), ", "), "Accept-Encoding") {
		t.Errorf("plain: %v", plain.Header())
	}
	if zipped.Header().Get("Content-Encoding") != "gzip" || zipped.Body.Len() >= len(page)/4 ||
		zipped.Header().Get("Content-Length") != strconv.Itoa(zipped.Body.Len()) {
		t.Errorf("gzip: %v, %d bytes", zipped.Header(), zipped.Body.Len())
	}
	zr, err := gzip.NewReader(zipped.Body)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(zr); string(b) != page {
		t.Error("the gzipped body is not the page")
	}
	pe, ze := plain.Header().Get("ETag"), zipped.Header().Get("ETag")
	if pe == ze || ze != strings.TrimSuffix(pe, `"`)+`-gzip"` {
		t.Errorf("ETags %s and %s", pe, ze)
	}
	if w := do(t, h, http.MethodGet, "/priser", "Accept-Encoding", "gzip", "If-None-Match", ze); w.Code != http.StatusNotModified || w.Header().Get("Content-Encoding") != "" {
		t.Errorf("If-None-Match gzip: %d %v", w.Code, w.Header())
	}
	if w := do(t, h, http.MethodGet, "/priser", "Accept-Encoding", "gzip;q=0", "If-None-Match", ze); w.Code != http.StatusOK || w.Header().Get("Content-Encoding") != "" {
		t.Errorf("gzip refused: %d %v", w.Code, w.Header())
	}
	if n.Load() != 1 {
		t.Errorf("rendered %d times, want 1", n.Load())
	}
}
