package ui

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/archive"
	"github.com/heder-awards/heder/internal/assignment"
	"github.com/heder-awards/heder/internal/attachments"
	"github.com/heder-awards/heder/internal/auditlog"
	"github.com/heder-awards/heder/internal/auth"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/deciding"
	"github.com/heder-awards/heder/internal/diplomas"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/jury"
	"github.com/heder-awards/heder/internal/noark"
	"github.com/heder-awards/heder/internal/nominations"
	"github.com/heder-awards/heder/internal/notify"
	"github.com/heder-awards/heder/internal/optout"
	"github.com/heder-awards/heder/internal/orgs"
	"github.com/heder-awards/heder/internal/outbox"
	"github.com/heder-awards/heder/internal/owners"
	"github.com/heder-awards/heder/internal/publication"
	"github.com/heder-awards/heder/internal/scoring"
	"github.com/heder-awards/heder/internal/users"
	"github.com/heder-awards/heder/internal/voting"
)

// Handler serves the HTML pages.
type Handler struct {
	Renderer         *Renderer
	Bundle           *i18n.Bundle
	Auth             *auth.Service
	Orgs             *orgs.Service
	Cycles           *cycles.Service
	Users            *users.Service
	Logger           *slog.Logger
	AccessibilityURL string
	// ContactEmail is the operator's address, or "".
	ContactEmail string
	// Notify serves nomination receipts.
	Notify *notify.Service
	// DevMail is `heder dev`'s mail catcher; nil (and its pages unlisted)
	// everywhere else.
	DevMail *notify.Catcher
	// Attachments keeps projects' files.
	Attachments *attachments.Service
	// Nominations owns nominations and their projects.
	Nominations *nominations.Service
	// Publication schedules announcements and keeps the embargo on
	// outcomes and feedback.
	Publication *publication.Service
	// Jury owns juries: invitations, seats and conflict declarations.
	Jury *jury.Service
	// Scoring runs the jurors' scoring, discussion and progress board.
	Scoring *scoring.Service
	// Voting runs the ranked votes of rounds.
	Voting *voting.Service
	// Screens keeps rendered scoring screens; nil renders every one.
	Screens *ScreenCache
	// Assignment shares a cycle's nominations among its jurors.
	Assignment *assignment.Service
	// Deciding ranks a cycle's nominations and records the decision and
	// the feedback.
	Deciding *deciding.Service
	// Diplomas makes the diplomas of a cycle's decision.
	Diplomas *diplomas.Service
	// Archive reads the public archive.
	Archive *archive.Service
	// Audit reads the audit log.
	Audit *auditlog.Service
	// BaseURL is where the app is reached from outside, for the public
	// pages' canonical and alternate URLs, feeds and sitemap.
	BaseURL string
	// Outbox lists a cycle's messages and retries failed ones.
	Outbox *outbox.Service
	// Owners manages award owners and their admins.
	Owners *owners.Service
	// Optout reads and confirms call announcements' unsubscribe links.
	Optout *optout.Service
	// Noark makes published cycles' archive deposits by a job.
	Noark *noark.Service
}

// LangCookie holds a chosen language for a year.
const LangCookie = "heder_lang"

func (h *Handler) base(r *http.Request, title string) Base {
	b := h.bareBase(r, title)
	if f := h.Auth.Sessions.PopString(r.Context(), "flash"); f != "" {
		b.Flash = b.L.T(f)
	}
	return b
}

// bareBase is the base without the session's flash message: error pages
// use it, since they may be rendered when the session could not be loaded.
func (h *Handler) bareBase(r *http.Request, title string) Base {
	l := h.Bundle.Localizer(httpx.LangFrom(r.Context()))
	b := Base{L: l, Actor: httpx.ActorFrom(r.Context()), Path: url.QueryEscape(r.URL.RequestURI()),
		AccessibilityURL: h.AccessibilityURL, ContactEmail: h.ContactEmail}
	if title != "" {
		b.Title = l.T(title)
	}
	for _, code := range i18n.Langs {
		b.Langs = append(b.Langs, Lang{Code: code, Name: l.T("lang." + code)})
	}
	return b
}

func (h *Handler) flash(r *http.Request, key string) {
	h.Auth.Sessions.Put(r.Context(), "flash", key)
}

func (h *Handler) redirect(w http.ResponseWriter, r *http.Request, to string) {
	http.Redirect(w, r, to, http.StatusSeeOther)
}

type errorPage struct {
	Base
	Heading, Body string
	Status        int
	Retry         string
}

// Error renders err as an error page in the user's language. Logging in
// is offered when it would help.
func (h *Handler) Error(w http.ResponseWriter, r *http.Request, err error) {
	httpx.LogError(h.Logger, r, err)
	status := httpx.Status(err)
	key := "internal"
	switch status {
	case http.StatusNotFound:
		key = "not_found"
	case http.StatusForbidden:
		key = "forbidden"
	case http.StatusUnauthorized:
		if errors.Is(err, auth.ErrLoginFailed) || awards.ErrorMessage(err) == auth.ErrLoginFailed.Message {
			key = "login_failed"
		} else {
			// Logging in would help: go there and come back.
			h.redirect(w, r, "/auth/login?next="+url.QueryEscape(r.URL.RequestURI()))
			return
		}
	case http.StatusServiceUnavailable:
		key = "unavailable"
		w.Header().Set("Retry-After", "5")
	case http.StatusUnprocessableEntity, http.StatusBadRequest, http.StatusConflict:
		key = "bad_request"
	}
	p := errorPage{Base: h.bareBase(r, ""), Status: status}
	if key == "login_failed" {
		p.Heading, p.Body, p.Retry = p.L.T("login.failed_title"), p.L.T("login.failed_body"), "/auth/login"
	} else {
		p.Heading, p.Body = p.L.T("error."+key+"_title"), p.L.T("error."+key+"_body")
	}
	p.Title = p.Heading
	h.Renderer.Render(w, status, "error", p)
}

// NotFound renders the 404 page.
func (h *Handler) NotFound(w http.ResponseWriter, r *http.Request) {
	h.Error(w, r, awards.Errorf(awards.ENotFound, "no such page"))
}

func idParam(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, name), 10, 64)
	if err != nil || id <= 0 {
		return 0, awards.Errorf(awards.ENotFound, "not found")
	}
	return id, nil
}

func (h *Handler) actor(r *http.Request) *awards.Actor { return httpx.ActorFrom(r.Context()) }
