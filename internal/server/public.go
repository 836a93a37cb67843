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
	"sync/atomic"
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
	for _, rt := range routes {
		if !rt.Stateless {
			continue
		}
		if rt.Gate != policy.Public || rt.Method != http.MethodGet {
			panic(fmt.Sprintf("server: stateless route %s %s must be a public GET", rt.Method, rt.Pattern))
		}
		h := cache.wrap(rt.Handler)
		if archivePage(rt.Pattern) {
			h = ownLangURL(h)
		}
		if strings.HasPrefix(rt.Pattern, publicAPI) {
			h = publicCORS(h)
			r.Options(rt.Pattern, publicCORS(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(http.StatusNoContent)
			})).ServeHTTP)
		}
		r.Method(http.MethodGet, rt.Pattern, h)
		r.Method(http.MethodHead, rt.Pattern, h)
	}
}

// publicAPI is where the read-only public API lives.
const publicAPI = "/api/v1/public/"

// Header values set on every public answer, made once: assigning a
// prepared value costs nothing, Header.Set allocates. They are clipped,
// so that an Add appends to a copy, never to the shared array.
var (
	corsOrigin  = []string{"*"}
	corsExpose  = []string{"ETag, Link"}
	varyLang    = []string{"Accept-Language, Cookie"}
	corsMethods = []string{"GET, HEAD, OPTIONS"}
	corsHeaders = []string{"Accept, Accept-Language, If-None-Match"}
	corsMaxAge  = []string{"86400"}
	corsCache   = []string{"public, max-age=86400"}
)

// publicCORS lets any web page read the public API: any origin, read-only
// methods, no credentials (the API never looks at cookies anyway).
func publicCORS(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Access-Control-Allow-Origin"] = corsOrigin
		h["Access-Control-Expose-Headers"] = corsExpose
		if r.Method == http.MethodOptions {
			h["Access-Control-Allow-Methods"] = corsMethods
			h["Access-Control-Allow-Headers"] = corsHeaders
			h["Access-Control-Max-Age"] = corsMaxAge
			h["Cache-Control"] = corsCache
		}
		next.ServeHTTP(w, r)
	})
}

// publicLang picks the answer's language for a stateless route: ?lang=nb,
// nn or en when given (the URLs hreflang points to), else the language
// chosen earlier (the heder_lang cookie), else the browser's
// (Accept-Language). Only in the last two cases does the answer vary by
// request headers, and then it says so. Nobody is logged in here.
func publicLang(w http.ResponseWriter, r *http.Request) string {
	lang := ""
	if r.URL.RawQuery != "" {
		lang = r.URL.Query().Get("lang")
	}
	if isLang(lang) {
		return lang
	}
	choice := ""
	if c, err := r.Cookie(ui.LangCookie); err == nil {
		choice = c.Value
	}
	if !isAPI(r) { // API answers carry every language
		h := w.Header()
		if len(h["Vary"]) == 0 {
			h["Vary"] = varyLang
		} else {
			h.Add("Vary", varyLang[0])
		}
	}
	return i18n.Negotiate(choice, r.Header.Get("Accept-Language"))
}

// archivePage reports whether a stateless route is one of the archive's
// HTML pages (not the API, a feed, the sitemap, robots.txt or a file).
func archivePage(pattern string) bool {
	return !strings.HasPrefix(pattern, publicAPI) && !strings.Contains(pattern, ".") && !strings.Contains(pattern, "/filer/")
}

// ownLangURL sends a reader whose cookie or browser asks for nynorsk or
// English from an archive page's plain URL, which is the bokmål page (its
// hreflang and canonical say so), to the URL of their language. Each URL
// then shows one language, so that what a page's canonical and hreflang
// links say of it is true whoever fetches it.
func ownLangURL(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if isLang(q.Get("lang")) {
			next.ServeHTTP(w, r)
			return
		}
		choice := ""
		if c, err := r.Cookie(ui.LangCookie); err == nil {
			choice = c.Value
		}
		lang := i18n.Negotiate(choice, r.Header.Get("Accept-Language"))
		if lang == i18n.Default {
			next.ServeHTTP(w, r)
			return
		}
		q.Set("lang", lang)
		w.Header()["Vary"] = varyLang
		http.Redirect(w, r, r.URL.Path+"?"+q.Encode(), http.StatusFound)
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
// A page asked for again while it renders is rendered once: the requests
// that come meanwhile, in the same generation, wait for that answer
// instead of each rendering their own (64 at once after every write would
// otherwise queue for the database).
//
// Every public answer gets a strong ETag (a hash of its body) and
// "Cache-Control: public, no-cache": browsers and shared caches may keep
// it but must ask each time, which costs a 304 and guarantees that a
// publication or its withdrawal shows at once everywhere.
type publicCache struct {
	fresh   *PublicFreshness
	mu      sync.Mutex
	entries map[string]*cached
	flights map[string]*flight
	gen     uint64
	size    int
}

// flight is a render that requests for the same key may wait for.
type flight struct {
	gen  uint64
	done chan struct{}
	// waiting counts the requests that wait for it.
	waiting atomic.Int32
	// Set before done is closed: the answer, when others may have it, and
	// until when.
	e       *cached
	expires time.Time
}

// cached is an answer, ready to be written: its headers are complete and
// shared by every request it answers, so serving it allocates nothing.
type cached struct {
	status  int
	expires time.Time
	plain   representation
	// compressible answers are also served gzipped, to the clients that
	// accept it (every browser); the gzipped representation is made once,
	// when first asked for (at once for the answers kept).
	compressible bool
	// kept answers are compressed harder: once, to be sent many times.
	kept     bool
	gzipOnce sync.Once
	gzipped  representation
}

// representation is one encoding of an answer.
type representation struct {
	header http.Header
	// notModified is the header of a 304 for it: no body's headers.
	notModified http.Header
	etag        string
	body        []byte
}

func newRepresentation(h http.Header, body []byte) representation {
	for k, v := range h {
		h[k] = slices.Clip(v)
	}
	nm := h.Clone()
	delete(nm, "Content-Type")
	delete(nm, "Content-Length")
	delete(nm, "Content-Encoding")
	return representation{header: h, notModified: nm, etag: h.Get("ETag"), body: body}
}

// Compressors, kept for reuse (each holds some hundred kilobytes): at
// gzip's default level for the answers kept, at its fastest for the
// others.
var (
	keptGzip = sync.Pool{New: func() any { zw, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression); return zw }}
	fastGzip = sync.Pool{New: func() any { zw, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed); return zw }}
)

// gzip returns the answer gzipped, making it the first time.
func (e *cached) gzip() *representation {
	e.gzipOnce.Do(func() {
		pool := &fastGzip
		if e.kept {
			pool = &keptGzip
		}
		zw := pool.Get().(*gzip.Writer)
		var b bytes.Buffer
		b.Grow(len(e.plain.body) / 4)
		zw.Reset(&b)
		_, _ = zw.Write(e.plain.body)
		_ = zw.Close()
		pool.Put(zw)
		h := e.plain.header.Clone()
		h["Content-Encoding"] = []string{"gzip"}
		h["Content-Length"] = []string{strconv.Itoa(b.Len())}
		// Another representation of the same resource: its own strong
		// ETag.
		if etag := e.plain.etag; strings.HasSuffix(etag, `"`) {
			h["Etag"] = []string{strings.TrimSuffix(etag, `"`) + `-gzip"`}
		}
		e.gzipped = newRepresentation(h, b.Bytes())
	})
	return &e.gzipped
}

// compressibleTypes are the answers worth gzipping (text; pictures and
// PDFs are compressed already).
var compressibleTypes = []string{"text/", "application/json", "application/xml", "application/atom+xml", "application/problem+json"}

// minCompress is the smallest body worth gzipping.
const minCompress = 1024

// acceptsGzip reports whether the request's Accept-Encoding allows gzip.
func acceptsGzip(r *http.Request) bool {
	rest := r.Header.Get("Accept-Encoding")
	for rest != "" {
		var part string
		part, rest, _ = strings.Cut(rest, ",")
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
	return &publicCache{fresh: f, entries: map[string]*cached{}, flights: map[string]*flight{}}
}

// lookup returns the answer kept for key, or else the render of it under
// way in this generation to wait for, or else a new flight: the caller
// renders and must land it.
func (c *publicCache) lookup(key string, gen uint64, now time.Time) (e *cached, wait, lead *flight) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		c.entries, c.size, c.gen = map[string]*cached{}, 0, gen
	}
	if e := c.entries[key]; e != nil && now.Before(e.expires) {
		return e, nil, nil
	}
	if f := c.flights[key]; f != nil && f.gen == gen {
		return nil, f, nil
	}
	f := &flight{gen: gen, done: make(chan struct{})}
	c.flights[key] = f
	return nil, nil, f
}

// land ends flight f, keeping e when not nil.
func (c *publicCache) land(key string, f *flight, e *cached) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.flights[key] == f {
		delete(c.flights, key)
	}
	if e == nil || f.gen != c.gen {
		return
	}
	if c.size+len(e.plain.body) > cacheBytes {
		c.entries, c.size = map[string]*cached{}, 0
	}
	if old := c.entries[key]; old != nil {
		c.size -= len(old.plain.body)
	}
	c.entries[key] = e
	c.size += len(e.plain.body)
}

// wrap answers from the cache when it can, else renders with next.
func (c *publicCache) wrap(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lang := publicLang(w, r)
		key := r.URL.Path + "?" + r.URL.RawQuery + "\x00" + lang + "\x00" + w.Header().Get("Vary")
		var gen uint64
		live := false
		if c.fresh != nil {
			gen, live = c.fresh.Generation()
		}
		start := time.Now()
		var lead *flight
		if live {
			e, wait, f := c.lookup(key, gen, start)
			if e == nil && wait != nil {
				wait.waiting.Add(1)
				select {
				case <-wait.done:
					if wait.e != nil && time.Now().Before(wait.expires) {
						e = wait.e
					}
				case <-r.Context().Done():
					return
				}
			}
			if e != nil {
				serveCached(w, r, e)
				return
			}
			lead = f
		}
		r = r.WithContext(httpx.WithLang(httpx.WithActor(r.Context(), &awards.Actor{}), lang))
		if lead == nil {
			// Not listening, or a render to wait for went wrong: this
			// request renders its own answer, and keeps none.
			if e := render(w, r, next, nil); e != nil {
				serveCached(w, r, e)
			}
			return
		}
		// Whatever happens below, the requests waiting for this render are
		// let go: with the answer when others may have it.
		var shared *cached
		var expires time.Time
		landed := false
		landOnce := func() {
			if landed {
				return
			}
			landed = true
			lead.e, lead.expires = shared, expires
			var keep *cached
			if shared != nil && shared.kept {
				keep = shared
			}
			c.land(key, lead, keep)
			close(lead.done)
		}
		defer landOnce()
		// Read the horizon before rendering: if an announcement's instant
		// passes while the page renders, the page is dropped at once.
		dbNow, change, err := c.fresh.Horizon(r.Context())
		if err != nil {
			if e := render(w, r, next, landOnce); e != nil {
				serveCached(w, r, e)
			}
			return
		}
		expires = start.Add(cacheAge)
		if change != nil {
			if at := start.Add(change.Sub(dbNow) - horizonMargin); at.Before(expires) {
				expires = at
			}
		}
		e := render(w, r, next, landOnce)
		if e == nil {
			return
		}
		// Answers others may have: what any request for the same key would
		// have got, rendered in the same generation (a write in flight
		// while rendering keeps it from being kept) and before the next
		// announcement. A server error, a cookie or a 304 (for this
		// client's copy) is this request's own. Kept of those: what the
		// public asks for again; not errors, nor URLs with parameters of
		// their own.
		if shareable(e.status) && e.plain.header.Get("Set-Cookie") == "" && time.Now().Before(expires) {
			if now, stillLive := c.fresh.Generation(); stillLive && now == gen {
				e.expires, shared = expires, e
				e.kept = e.status == http.StatusOK && knownQuery(r)
				if e.kept && e.compressible {
					e.gzip() // made now, not by the first reader
				}
			}
		}
		landOnce()
		serveCached(w, r, e)
	})
}

// shareable reports whether an answer with status may go to other
// requests for the same URL: success, or the client's mistake.
func shareable(status int) bool {
	return status >= 200 && status < 300 || status >= 400 && status < 500
}

// render runs next into a buffer and returns its answer, or nil when the
// answer was too large to buffer and went out as it came; streaming, if
// not nil, is called as soon as that is known.
func render(w http.ResponseWriter, r *http.Request, next http.HandlerFunc, streaming func()) *cached {
	rec := &bufferedWriter{w: w, header: w.Header().Clone(), onStream: streaming}
	next.ServeHTTP(rec, r)
	if rec.streaming {
		return nil
	}
	return rec.finish()
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

// serveCached writes e, or 304 Not Modified when the client has it,
// gzipped for clients that take it.
func serveCached(w http.ResponseWriter, r *http.Request, e *cached) {
	rep := &e.plain
	if e.compressible && acceptsGzip(r) {
		rep = e.gzip()
	}
	h := w.Header()
	if rep.etag != "" && e.status == http.StatusOK && etagMatches(r.Header.Get("If-None-Match"), rep.etag) {
		for k, v := range rep.notModified {
			h[k] = v
		}
		w.WriteHeader(http.StatusNotModified)
		return
	}
	for k, v := range rep.header {
		h[k] = v
	}
	w.WriteHeader(e.status)
	_, _ = w.Write(rep.body)
}

func etagMatches(header, etag string) bool {
	if header == "" {
		return false
	}
	for t := range strings.SplitSeq(header, ",") {
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
	onStream  func()
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
	if b.onStream != nil {
		b.onStream()
	}
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

// finish completes a buffered answer's headers: its ETag, caching rules,
// length and, for answers worth compressing, Vary.
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
	e := &cached{status: b.status}
	if b.status == http.StatusOK && len(body) >= minCompress && h.Get("Content-Encoding") == "" {
		ct := h.Get("Content-Type")
		for _, t := range compressibleTypes {
			if strings.HasPrefix(ct, t) {
				e.compressible = true
			}
		}
	}
	if e.compressible {
		h.Add("Vary", "Accept-Encoding")
	}
	e.plain = newRepresentation(h, body)
	return e
}
