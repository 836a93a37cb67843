package ui

import (
	"net/http"

	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/notify"
	"github.com/heder-awards/heder/internal/policy"
)

// devMailRoutes are the pages of `heder dev`'s mail catcher. They exist
// only when the handler has a catcher, which app gives it only with the
// development identity provider on; `heder serve` never lists them, so
// they answer 404 there like any unknown path. Any logged-in demo user may
// read the caught mail: a developer checks the receipt of the nomination
// they just submitted without switching users.
func (h *Handler) devMailRoutes() []httpx.Route {
	if h.DevMail == nil {
		return nil
	}
	return []httpx.Route{
		{Method: http.MethodGet, Pattern: "/dev/e-post", Gate: policy.LoggedIn, Handler: h.handleDevMailList},
		{Method: http.MethodGet, Pattern: "/dev/e-post/{id}", Gate: policy.LoggedIn, Handler: h.handleDevMailShow},
	}
}

type mailsPage struct {
	Base
	Mails []notify.CaughtMail
}

func (h *Handler) handleDevMailList(w http.ResponseWriter, r *http.Request) {
	mails, err := h.DevMail.List(r.Context(), 200)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.Renderer.Render(w, http.StatusOK, "mails", mailsPage{Base: h.base(r, "devmail.title"), Mails: mails})
}

type mailPage struct {
	Base
	Mail notify.CaughtMail
}

func (h *Handler) handleDevMailShow(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	m, err := h.DevMail.Get(r.Context(), id)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p := mailPage{Base: h.base(r, ""), Mail: m}
	p.Title = m.Subject
	h.Renderer.Render(w, http.StatusOK, "mail", p)
}
