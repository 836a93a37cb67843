package api

import (
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/policy"
)

// optoutRoutes confirm the unsubscribe links of call announcements. The
// signed token is the permission, so no login is needed.
func (h *Handler) optoutRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodPost, Pattern: "/api/v1/opt-outs/{token}", Gate: policy.Public, Handler: h.handleOptoutConfirm},
	}
}

// OptOut says which organisation no longer gets call announcements.
type OptOut struct {
	Organisation string `json:"organisation"`
	// Email is the address the link was sent to.
	Email      string     `json:"email"`
	OptedOutAt *time.Time `json:"opted_out_at"`
}

func (h *Handler) handleOptoutConfirm(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	v, err := h.Optout.Confirm(r.Context(), chi.URLParam(r, "token"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, OptOut{Organisation: v.OrganisationName, Email: v.Email, OptedOutAt: v.OptedOutAt})
}
