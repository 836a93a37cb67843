package ui

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/auth"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/jury"
	"github.com/heder-awards/heder/internal/orgs"
	"github.com/heder-awards/heder/internal/scoring"
)

type homePage struct {
	Base
	Roles     []awards.Role
	Requests  []orgs.Request
	MyPending []orgs.Request
	Cycles    homeCycles
	// Nominations are the drafts and submitted nominations to work on.
	Nominations homeNominations
	// Seats are the person's jury seats with what each needs now.
	Seats []homeSeat
	// Publications are the announcements due within a week (admins).
	Publications homePublications
	// Calls are the calls open now, for a visitor who has not logged in.
	Calls []cycles.OpenCycle
	Now   time.Time
}

// KindNames names the kinds of organisation a call takes.
func (p homePage) KindNames(c awards.Cycle) string {
	names := make([]string, len(c.EligibleKinds))
	for i, k := range c.EligibleKinds {
		names[i] = p.L.T("orgs.kind." + string(k))
	}
	return strings.Join(names, ", ")
}

// handleHome shows what needs the person now: anonymous visitors an
// introduction, logged-in people their roles, organisations and tasks.
func (h *Handler) handleHome(w http.ResponseWriter, r *http.Request) {
	p := homePage{Base: h.base(r, "home.title")}
	p.Description = p.L.T("home.anonymous_intro")
	if p.Actor.Anonymous() {
		var err error
		if p.Calls, err = h.Cycles.OpenCalls(r.Context()); err != nil {
			h.Error(w, r, err)
			return
		}
		p.Now = time.Now()
	} else {
		p.Roles = p.Actor.Roles()
		var err error
		if p.Requests, err = h.Orgs.PendingRequests(r.Context(), p.Actor); err != nil {
			h.Error(w, r, err)
			return
		}
		if p.MyPending, err = h.Orgs.MyRequests(r.Context(), p.Actor); err != nil {
			h.Error(w, r, err)
			return
		}
		if p.Cycles, err = h.homeCycles(r.Context(), p.Actor); err != nil {
			h.Error(w, r, err)
			return
		}
		if p.Nominations, err = h.homeNominations(r, p.L); err != nil {
			h.Error(w, r, err)
			return
		}
		if len(p.Actor.Seats) > 0 {
			if p.Seats, err = h.homeSeats(r); err != nil {
				h.Error(w, r, err)
				return
			}
		}
		if p.Publications, err = h.homePublications(r, p.L); err != nil {
			h.Error(w, r, err)
			return
		}
	}
	if r.URL.Query().Get("logged_out") == "1" && p.Actor.Anonymous() {
		p.Flash = p.L.T("logout.done")
	}
	h.Renderer.Render(w, http.StatusOK, "home", p)
}

func (h *Handler) handleAbout(w http.ResponseWriter, r *http.Request) {
	b := h.base(r, "about.title")
	b.Description = b.L.T("about.body")
	h.Renderer.Render(w, http.StatusOK, "about", b)
}

// handlePrivacyStatement says what Heder keeps about whom, why, for how
// long, who answers for it and how to reach them.
func (h *Handler) handlePrivacyStatement(w http.ResponseWriter, r *http.Request) {
	b := h.base(r, "privacy.title")
	b.Description = b.L.T("privacy.intro")
	h.Renderer.Render(w, http.StatusOK, "privacy_statement", b)
}

type loginPage struct {
	Base
	Providers []auth.ProviderInfo
	Next      string
	LoginHint string
}

// handleLogin starts the login flow, or shows the choice of providers when
// several are configured and none was picked.
func (h *Handler) handleLogin(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	target, err := h.Auth.StartLogin(r.Context(), auth.LoginRequest{
		Provider: q.Get("provider"), LoginHint: q.Get("login_hint"),
		Lang: httpx.LangFrom(r.Context()), Next: q.Get("next"),
	})
	if errors.Is(err, auth.ErrChooseProvider) {
		h.Renderer.Render(w, http.StatusOK, "login", loginPage{Base: h.base(r, "login.title"),
			Providers: h.Auth.Providers(), Next: auth.SafeNext(q.Get("next")), LoginHint: q.Get("login_hint")})
		return
	}
	if err != nil {
		h.Error(w, r, err)
		return
	}
	http.Redirect(w, r, target, http.StatusFound)
}

// handleCallback finishes the login; a tampered or replayed callback gets
// the login-failed page and nothing is written.
func (h *Handler) handleCallback(w http.ResponseWriter, r *http.Request) {
	next, err := h.Auth.Callback(r.Context(), r.URL.Query())
	if err != nil {
		if awards.ErrorCode(err) == awards.EUnauthenticated {
			err = &awards.Error{Code: awards.EUnauthenticated, Message: auth.ErrLoginFailed.Message, Err: err}
		}
		h.Error(w, r, err)
		return
	}
	h.redirect(w, r, next)
}

func (h *Handler) handleLogout(w http.ResponseWriter, r *http.Request) {
	target, err := h.Auth.Logout(r.Context())
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.redirect(w, r, target)
}

// handleLang remembers the chosen language (and stores it on the user).
func (h *Handler) handleLang(w http.ResponseWriter, r *http.Request) {
	code := chi.URLParam(r, "code")
	if i18n.Negotiate(code, "") != code {
		h.NotFound(w, r)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: LangCookie, Value: code, Path: "/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
		HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode})
	if a := httpx.ActorFrom(r.Context()); !a.Anonymous() {
		if err := h.Users.SetLocale(r.Context(), a.User.ID, code); err != nil {
			h.Error(w, r, err)
			return
		}
	}
	h.redirect(w, r, auth.SafeNext(r.URL.Query().Get("next")))
}

// homeSeat is one line of the home page's jury section: the seat, and
// once the juror has declared, their progress ("12 av 18 vurdert") where
// they have nominations to score, or that they do not serve in the
// current round.
type homeSeat struct {
	jury.MySeat
	Progress *scoring.SeatSummary
}

func (h *Handler) homeSeats(r *http.Request) ([]homeSeat, error) {
	seats, err := h.Jury.Seats(r.Context(), h.actor(r))
	if err != nil {
		return nil, err
	}
	progress, err := h.Scoring.Seats(r.Context(), h.actor(r))
	if err != nil {
		return nil, err
	}
	byCycle := map[string]*scoring.SeatSummary{}
	for i, s := range progress {
		if s.Declared && (s.Total > 0 || !s.Serving) {
			byCycle[s.CyclePublicID] = &progress[i]
		}
	}
	out := make([]homeSeat, len(seats))
	for i, s := range seats {
		out[i] = homeSeat{MySeat: s, Progress: byCycle[s.CyclePublicID]}
	}
	return out, nil
}
