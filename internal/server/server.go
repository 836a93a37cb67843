package server

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/heder-awards/heder/internal/api"
	"github.com/heder-awards/heder/internal/auth"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/ui"
	"github.com/heder-awards/heder/internal/users"
	"github.com/heder-awards/heder/web"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Deps are what the server needs.
type Deps struct {
	Logger   *slog.Logger
	UI       *ui.Handler
	API      *api.Handler
	Auth     *auth.Service
	Users    *users.Service
	Registry *prometheus.Registry
	// MetricsApart leaves /metrics out: it is served on an address of its
	// own (config.MetricsAddr).
	MetricsApart bool
	// Ready reports whether the database answers and is migrated.
	Ready func(ctx context.Context) error
	// FormAction lists extra origins forms may post to (the login
	// providers, whose pages the browser is redirected to).
	FormAction []string
	// Fresh lets the public archive's answers be cached in memory; nil
	// renders every one.
	Fresh *PublicFreshness
}

// Metrics is the Prometheus endpoint of reg's figures.
func Metrics(reg *prometheus.Registry) http.Handler {
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
}

// New returns the whole HTTP handler and the routes it registered.
func New(d Deps) (http.Handler, []httpx.Route) {
	r := chi.NewRouter()
	r.Use(middleware.Recoverer)
	r.Use(httpx.Observe(d.Logger, httpx.NewMetrics(d.Registry)))
	r.Use(securityHeaders(d.FormAction))
	// Not-found pages know who is logged in, so they need the session too.
	withSession := func(h http.HandlerFunc) http.HandlerFunc {
		return noStore(d.Auth.LoadAndSave(withActor(d)(h))).ServeHTTP
	}
	notFound := func(w http.ResponseWriter, r *http.Request) {
		if isAPI(r) {
			d.API.Error(w, r, awards.Errorf(awards.ENotFound, "no such resource"))
			return
		}
		d.UI.NotFound(w, r)
	}
	r.NotFound(withSession(notFound))
	r.MethodNotAllowed(withSession(notFound))

	r.Get("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	r.Get("/readyz", func(w http.ResponseWriter, r *http.Request) {
		if err := d.Ready(r.Context()); err != nil {
			d.Logger.WarnContext(r.Context(), "not ready", "error", err)
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ready\n"))
	})
	if !d.MetricsApart {
		r.Handle("/metrics", Metrics(d.Registry))
	}
	static, _ := fs.Sub(web.Static, "static")
	files, err := newStaticFiles(static)
	if err != nil {
		panic(err) // web.Static is embedded: only a broken build gets here
	}
	r.Get("/static/*", http.StripPrefix("/static/", files).ServeHTTP)
	// Browsers ask for /favicon.ico whatever a page links; it is the
	// icon the pages link as /static/favicon.svg.
	r.Get("/favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		icon, err := fs.ReadFile(static, "favicon.svg")
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "image/svg+xml")
		w.Header().Set("Cache-Control", "public, max-age=86400")
		_, _ = w.Write(icon)
	})
	r.Get("/api/openapi.json", api.ServeOpenAPI)

	routes := Routes(d.UI, d.API)
	cop := http.NewCrossOriginProtection()
	r.Group(func(r chi.Router) {
		r.Use(cop.Handler)
		r.Use(noStore)
		r.Use(d.Auth.LoadAndSave)
		r.Use(withActor(d))
		for _, rt := range routes {
			if !rt.Stateless {
				r.Method(rt.Method, rt.Pattern, gate(d, rt))
			}
		}
	})
	mountStateless(r, d, routes)
	return r, routes
}

// Routes lists every gated route: the HTML pages and the JSON API. The
// authorization test walks this list, so a route cannot skip it.
func Routes(u *ui.Handler, a *api.Handler) []httpx.Route {
	return append(u.Routes(), a.Routes()...)
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// gate checks the route's coarse gate before its handler runs.
func gate(d Deps, rt httpx.Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := policy.Check(rt.Gate, httpx.ActorFrom(r.Context())); err != nil {
			if isAPI(r) {
				d.API.Error(w, r, err)
			} else {
				d.UI.Error(w, r, err)
			}
			return
		}
		rt.Handler(w, r)
	})
}

// withActor loads the person behind the session or bearer token, and the
// language to answer in.
func withActor(d Deps) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx := r.Context()
			var userID int64
			if bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && isAPI(r) {
				id, err := d.Auth.Bearer(ctx, strings.TrimSpace(bearer))
				if err != nil {
					d.API.Error(w, r, err)
					return
				}
				userID = id
			} else {
				userID = d.Auth.UserID(ctx)
			}
			actor := &awards.Actor{}
			if userID != 0 {
				a, err := d.Auth.Actor(ctx, userID)
				switch {
				case err == nil:
					actor = a
				case awards.ErrorCode(err) == awards.ENotFound:
					_ = d.Auth.Sessions.Destroy(ctx) // the user is gone
				default:
					unavailable(d, w, r, err)
					return
				}
			}
			choice := ""
			if c, err := r.Cookie(ui.LangCookie); err == nil {
				choice = c.Value
			} else if !actor.Anonymous() {
				choice = actor.User.Locale
			}
			ctx = httpx.WithLang(httpx.WithActor(ctx, actor), i18n.Negotiate(choice, r.Header.Get("Accept-Language")))
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

func unavailable(d Deps, w http.ResponseWriter, r *http.Request, err error) {
	if awards.ErrorCode(err) == awards.EInternal {
		err = &awards.Error{Code: awards.EUnavailable, Message: "the service is temporarily unavailable", Err: err}
	}
	if isAPI(r) {
		d.API.Error(w, r, err)
		return
	}
	d.UI.Error(w, r, err)
}

// SessionError answers when the session store fails, which in practice
// means the database is down: 503 with a friendly page, not a hang.
func SessionError(d Deps) func(http.ResponseWriter, *http.Request, error) {
	return func(w http.ResponseWriter, r *http.Request, err error) {
		if errors.Is(err, context.Canceled) {
			return
		}
		unavailable(d, w, r, &awards.Error{Code: awards.EUnavailable, Message: "the service is temporarily unavailable", Err: err})
	}
}

// noStoreValue is shared by every answer; one element, so that an Add
// (scs adds no-cache="Set-Cookie") appends to a copy.
var noStoreValue = []string{"no-store"}

// noStore keeps every answer that runs with the session out of every
// cache, the browser's included: it may hold personal data (a nomination,
// scores, /api/v1/me), and even pages that look public, such as / or a
// not-found page, show who is logged in. It is a default: a handler that
// sets its own Cache-Control (an attachment's "private, no-cache" with an
// ETag) replaces it. The public archive runs without the session and
// keeps its own caching (public.go).
func noStore(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Cache-Control"] = noStoreValue
		next.ServeHTTP(w, r)
	})
}

// securityHeaders sets a strict Content-Security-Policy (no inline script
// or style, no framing) and the other hardening headers on every answer.
func securityHeaders(formAction []string) func(http.Handler) http.Handler {
	csp := "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
		"connect-src 'self'; form-action 'self'" + joinOrigins(formAction) + "; frame-ancestors 'none'; base-uri 'none'"
	// The values are made once and shared by every answer (Header.Set
	// would allocate them per request); one element each, so that an Add
	// appends to a copy.
	set := http.Header{
		"Content-Security-Policy":    {csp},
		"X-Content-Type-Options":     {"nosniff"},
		"Referrer-Policy":            {"strict-origin-when-cross-origin"},
		"X-Frame-Options":            {"DENY"},
		"Cross-Origin-Opener-Policy": {"same-origin"},
		"Permissions-Policy":         {"camera=(), microphone=(), geolocation=()"},
	}
	hsts := []string{"max-age=31536000"}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			for k, v := range set {
				h[k] = v
			}
			if r.TLS != nil || strings.HasPrefix(r.Header.Get("X-Forwarded-Proto"), "https") {
				h["Strict-Transport-Security"] = hsts
			}
			next.ServeHTTP(w, r)
		})
	}
}

func joinOrigins(origins []string) string {
	var b strings.Builder
	for _, o := range origins {
		b.WriteString(" ")
		b.WriteString(o)
	}
	return b.String()
}

// Timeouts for the HTTP server.
const (
	ReadHeaderTimeout = 10 * time.Second
	IdleTimeout       = 120 * time.Second
)
