package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/ui"
)

// PublicFreshness tells the public cache when its answers may have gone
// stale (the archive's Watcher and Horizon).
type PublicFreshness struct {
	// Generation grows whenever public data may have changed; live is
	// false while changes cannot be followed.
	Generation func() (gen uint64, live bool)
	// Horizon returns the database's clock and the next instant at which
	// public answers change by time alone (nil when none is scheduled).
	Horizon func(ctx context.Context) (now time.Time, next *time.Time, err error)
}

// mountStateless registers the stateless routes (the public archive and
// its API): without the session, each GET also answering HEAD, the API's
// also OPTIONS, in the language the request asks for, through the public
// cache.
func mountStateless(r chi.Router, d Deps, routes []httpx.Route) {
	cache := newPublicCache(d.Fresh)
	r.Group(func(r chi.Router) {
		r.Use(publicLang)
		for _, rt := range routes {
			if !rt.Stateless {
				continue
			}
			if rt.Gate != policy.Public || rt.Method != http.MethodGet {
				panic(fmt.Sprintf("server: stateless route %s %s must be a public GET", rt.Method, rt.Pattern))
			}
			h := cache.wrap(rt.Handler)
			if strings.HasPrefix(rt.Pattern, publicAPI) {
				h = publicCORS(h)
				r.Options(rt.Pattern, publicCORS(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
					w.WriteHeader(http.StatusNoContent)
				})).ServeHTTP)
			}
			r.Method(http.MethodGet, rt.Pattern, h)
			r.Method(http.MethodHead, rt.Pattern, h)
		}
	})
}

// publicAPI is where the read-only public API lives.
const publicAPI = "/api/v1/public/"

// publicCORS lets any web page read the public API: any origin, read-only
// methods, no credentials (the API never looks at cookies anyway).
func publicCORS(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Access-Control-Expose-Headers", "ETag, Link")
		if r.Method == http.MethodOptions {
			h.Set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
			h.Set("Access-Control-Allow-Headers", "Accept, Accept-Language, If-None-Match")
			h.Set("Access-Control-Max-Age", "86400")
			h.Set("Cache-Control", "public, max-age=86400")
		}
		next.ServeHTTP(w, r)
	})
}

// publicLang picks the answer's language for a stateless route: ?lang=nb,
// nn or en when given (the URLs hreflang points to), else the language
// chosen earlier (the heder_lang cookie), else the browser's
// (Accept-Language). Only in the last two cases does the answer vary by
// request headers, and then it says so. Nobody is logged in here.
func publicLang(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lang := r.URL.Query().Get("lang")
		if !isLang(lang) {
			choice := ""
			if c, err := r.Cookie(ui.LangCookie); err == nil {
				choice = c.Value
			}
			lang = i18n.Negotiate(choice, r.Header.Get("Accept-Language"))
			if !isAPI(r) { // API answers carry every language
				w.Header().Add("Vary", "Accept-Language, Cookie")
			}
		}
		ctx := httpx.WithLang(httpx.WithActor(r.Context(), &awards.Actor{}), lang)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func isLang(s string) bool {
	for _, l := range i18n.Langs {
		if s == l {
			return true
		}
	}
	return false
}

// Limits of the public cache.
const (
	// cacheBytes bounds the bodies kept (gzipped copies add about a
	// tenth); when full, the cache starts over.
	cacheBytes = 48 << 20
	// cacheEntry is the largest body kept (and buffered to compute its
	// ETag); larger ones, such as files, stream through.
	cacheEntry = 1 << 20
	// cacheAge is the longest an answer is kept even when nothing
	// announces a change: a safety net, not the mechanism.
	cacheAge = 5 * time.Minute
	// horizonMargin drops answers this long before a scheduled
	// announcement, so that a slightly fast clock here cannot serve the
	// old answer after the instant.
	horizonMargin = 50 * time.Millisecond
)

// publicCache keeps the public archive's answers in memory, so that
// answering the same page again costs what /healthz costs. It can never
// show something early: an answer is what the database made public when
// it was rendered. It never shows something late either: every write to
// public data, on any replica, moves the watcher's generation and drops
// everything kept (a write in flight while a page renders keeps that page
// from being kept), and each answer is dropped at the next scheduled
// announcement, read by the database clock before rendering. Without
// freshness, or while the watcher is not listening, every request is
// rendered.
//
// Every public answer gets a strong ETag (a hash of its body) and
// "Cache-Control: public, no-cache": browsers and shared caches may keep
// it but must ask each time, which costs a 304 and guarantees that a
// publication or its withdrawal shows at once everywhere.
type publicCache struct {
	fresh   *PublicFreshness
	mu      sync.Mutex
	entries map[string]*cached
	gen     uint64
	size    int
}

type cached struct {
	status  int
	header  http.Header
	body    []byte
	expires time.Time
	// compressible answers are also served gzipped, to the clients that
	// accept it (every browser); the gzipped body is made once, when first
	// asked for, and kept with the entry.
	compressible bool
	gzipOnce     sync.Once
	gzipped      []byte
}

// gzipBody returns the entry's body gzipped, making it the first time.
func (e *cached) gzipBody() []byte {
	e.gzipOnce.Do(func() {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestSpeed)
		_, _ = zw.Write(e.body)
		_ = zw.Close()
		e.gzipped = b.Bytes()
	})
	return e.gzipped
}

// compressibleTypes are the answers worth gzipping (text; pictures and
// PDFs are compressed already).
var compressibleTypes = []string{"text/", "application/json", "application/xml", "application/atom+xml", "application/problem+json"}

// minCompress is the smallest body worth gzipping.
const minCompress = 1024

// acceptsGzip reports whether the request's Accept-Encoding allows gzip.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}

func newPublicCache(f *PublicFreshness) *publicCache {
	return &publicCache{fresh: f, entries: map[string]*cached{}}
}

func (c *publicCache) get(key string, gen uint64, now time.Time) *cached {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		c.entries, c.size, c.gen = map[string]*cached{}, 0, gen
		return nil
	}
	e := c.entries[key]
	if e == nil || !now.Before(e.expires) {
		return nil
	}
	return e
}

func (c *publicCache) put(key string, gen uint64, e *cached) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.size+len(e.body) > cacheBytes {
		c.entries, c.size = map[string]*cached{}, 0
	}
	if old := c.entries[key]; old != nil {
		c.size -= len(old.body)
	}
	c.entries[key] = e
	c.size += len(e.body)
}

// wrap answers from the cache when it can, else renders with next.
func (c *publicCache) wrap(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.URL.Path + "?" + r.URL.RawQuery + "\x00" + httpx.LangFrom(r.Context()) + "\x00" + w.Header().Get("Vary")
		var gen uint64
		live := false
		if c.fresh != nil {
			gen, live = c.fresh.Generation()
		}
		start := time.Now()
		if live {
			if e := c.get(key, gen, start); e != nil {
				serveCached(w, r, e)
				return
			}
		}
		// Read the horizon before rendering: if an announcement's instant
		// passes while the page renders, the page is dropped at once.
		var expires time.Time
		if live {
			dbNow, next, err := c.fresh.Horizon(r.Context())
			if err != nil {
				live = false
			} else {
				expires = start.Add(cacheAge)
				if next != nil {
					if at := start.Add(next.Sub(dbNow) - horizonMargin); at.Before(expires) {
						expires = at
					}
				}
			}
		}
		rec := &bufferedWriter{w: w, header: w.Header().Clone()}
		next.ServeHTTP(rec, r)
		if rec.streaming {
			return
		}
		e := rec.finish()
		if live && e.status == http.StatusOK && e.header.Get("Set-Cookie") == "" && time.Now().Before(expires) && knownQuery(r) {
			if now, stillLive := c.fresh.Generation(); stillLive && now == gen {
				e.expires = expires
				c.put(key, gen, e)
			}
		}
		serveCached(w, r, e)
	})
}

// queryParams are the query parameters the public routes read. Answers to
// URLs with others are rendered but not kept, so that made-up parameters
// cannot fill the cache with copies.
var queryParams = map[string]bool{"lang": true, "q": true, "ar": true, "fylke": true, "utfordring": true, "side": true,
	"page": true, "per_page": true, "year": true, "county": true, "challenge": true}

func knownQuery(r *http.Request) bool {
	for k := range r.URL.Query() {
		if !queryParams[k] {
			return false
		}
	}
	return true
}

// serveCached writes e, or 304 Not Modified when the client has it.
// The gzipped answer is another representation of the same resource, so
// it has its own strong ETag.
func serveCached(w http.ResponseWriter, r *http.Request, e *cached) {
	h := w.Header()
	for k, v := range e.header {
		h[k] = slices.Clone(v) // the entry is shared: never append to its slices
	}
	body := e.body
	if e.compressible {
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r) {
			body = e.gzipBody()
			h.Set("Content-Encoding", "gzip")
			h.Set("Content-Length", strconv.Itoa(len(body)))
			if etag := h.Get("ETag"); strings.HasSuffix(etag, `"`) {
				h.Set("ETag", strings.TrimSuffix(etag, `"`)+`-gzip"`)
			}
		}
	}
	if etag := h.Get("ETag"); etag != "" && e.status == http.StatusOK && etagMatches(r.Header.Get("If-None-Match"), etag) {
		h.Del("Content-Type")
		h.Del("Content-Length")
		h.Del("Content-Encoding")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.WriteHeader(e.status)
	_, _ = w.Write(body)
}

func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

// bufferedWriter keeps a handler's answer to hash, keep and serve it,
// unless it grows past cacheEntry: then what it has goes out and the rest
// streams (such answers, files, set their own ETag).
type bufferedWriter struct {
	w         http.ResponseWriter
	header    http.Header
	status    int
	buf       bytes.Buffer
	streaming bool
}

func (b *bufferedWriter) Header() http.Header {
	if b.streaming {
		return b.w.Header()
	}
	return b.header
}

func (b *bufferedWriter) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

func (b *bufferedWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	if b.streaming {
		return b.w.Write(p)
	}
	if b.buf.Len()+len(p) <= cacheEntry {
		return b.buf.Write(p)
	}
	b.streaming = true
	h := b.w.Header()
	for k, v := range b.header {
		h[k] = v
	}
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "public, no-cache")
	}
	b.w.WriteHeader(b.status)
	if _, err := b.buf.WriteTo(b.w); err != nil {
		return 0, err
	}
	return b.w.Write(p)
}

// finish completes a buffered answer's headers: its ETag, caching rules
// and length.
func (b *bufferedWriter) finish() *cached {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	h := b.header
	body := b.buf.Bytes()
	if b.status == http.StatusOK {
		if h.Get("ETag") == "" {
			sum := sha256.Sum256(body)
			h.Set("ETag", `"`+hex.EncodeToString(sum[:16])+`"`)
		}
		if h.Get("Cache-Control") == "" {
			h.Set("Cache-Control", "public, no-cache")
		}
	} else if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-store")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	e := &cached{status: b.status, header: h, body: body}
	if b.status == http.StatusOK && len(body) >= minCompress && h.Get("Content-Encoding") == "" {
		ct := h.Get("Content-Type")
		for _, t := range compressibleTypes {
			if strings.HasPrefix(ct, t) {
				e.compressible = true
			}
		}
	}
	return e
}
