package ui

import (
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/optout"
	"github.com/heder-awards/heder/internal/policy"
)

// optoutRoutes are the page behind a call announcement's unsubscribe
// link. Both are public: the signed token is the permission. Following
// the link only shows what it does; the confirmation is a POST, so that
// mail systems' link scanners unsubscribe nobody.
func (h *Handler) optoutRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodGet, Pattern: "/avmelding/{token}", Gate: policy.Public, Handler: h.handleOptoutShow},
		{Method: http.MethodPost, Pattern: "/avmelding/{token}", Gate: policy.Public, Handler: h.handleOptoutConfirm},
	}
}

type optoutPage struct {
	Base
	Token string
	View  optout.View
	// Problem says why the link does nothing: forged or expired.
	Problem string
}

func (h *Handler) handleOptoutShow(w http.ResponseWriter, r *http.Request) {
	v, err := h.Optout.Preview(r.Context(), chi.URLParam(r, "token"))
	h.renderOptout(w, r, v, err)
}

func (h *Handler) handleOptoutConfirm(w http.ResponseWriter, r *http.Request) {
	v, err := h.Optout.Confirm(r.Context(), chi.URLParam(r, "token"))
	h.renderOptout(w, r, v, err)
}

// renderOptout shows the link's page: what it does with its button, what
// it did, or why it does nothing (400 for a forged link, 410 for an
// expired one).
func (h *Handler) renderOptout(w http.ResponseWriter, r *http.Request, v optout.View, err error) {
	w.Header().Set("Cache-Control", "no-store")
	p := optoutPage{Base: h.base(r, "optout.page.title"), Token: chi.URLParam(r, "token"), View: v}
	status := http.StatusOK
	switch {
	case errors.Is(err, optout.ErrExpired):
		p.Problem, status = p.L.T("optout.page.expired"), http.StatusGone
	case errors.Is(err, optout.ErrForged):
		// 400 rather than EInvalid's 422: a link is not a form to correct.
		p.Problem, status = p.L.T("optout.page.forged"), http.StatusBadRequest
	case err != nil:
		h.Error(w, r, err)
		return
	}
	h.Renderer.Render(w, status, "optout", p)
}

// Done says whether the organisation has opted out.
func (p optoutPage) Done() bool { return p.View.OptedOutAt != nil }
