package ui

import (
	"net/http"

	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/policy"
)

func (h *Handler) profileRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodGet, Pattern: "/meg", Gate: policy.LoggedIn, Handler: h.handleProfile},
	}
}

// handleProfile shows the logged-in person what Heder knows them as: name,
// address, language, organisations and roles, jury seats, and the link to
// download everything Heder holds about them (GDPR art. 15). The actor
// loaded for the request already carries all of it.
func (h *Handler) handleProfile(w http.ResponseWriter, r *http.Request) {
	h.Renderer.Render(w, http.StatusOK, "profile", h.base(r, "profile.title"))
}
