package api

import (
	"mime"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/policy"
)

// noarkRoutes: the published cycle's archive deposit. The cycle's page
// links here too, as the profile page links to the person's export.
func (h *Handler) noarkRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodGet, Pattern: "/api/v1/cycles/{cycle}/noark5", Gate: policy.Admin, Handler: h.handleNoark},
	}
}

// handleNoark answers with the published cycle's Noark 5 archive deposit,
// a tar file written as it is made.
func (h *Handler) handleNoark(w http.ResponseWriter, r *http.Request) {
	d, err := h.Noark.Load(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/x-tar")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": d.Name()}))
	// Contact people and the jury's screened papers: keep them out of caches.
	w.Header().Set("Cache-Control", "no-store")
	cw := &countingWriter{w: w}
	if err := h.Noark.Write(r.Context(), cw, d); err != nil {
		if cw.n == 0 {
			w.Header().Del("Content-Disposition")
			h.Error(w, r, err)
			return
		}
		// Too late for an answer: the client sees a cut-off file.
		httpx.LogError(h.Logger, r, err)
	}
}
