package ui

import (
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/notify"
)

type receiptPage struct {
	Base
	Receipt notify.Receipt
	// SubmittedISO is SubmittedAt for the <time> element.
	SubmittedISO string
}

// handleReceipt shows the printable receipt of a submitted nomination to
// the members of its nominee organisations and to admins; everyone else
// gets 404.
func (h *Handler) handleReceipt(w http.ResponseWriter, r *http.Request) {
	rec, err := h.Notify.Receipt(r.Context(), h.actor(r), chi.URLParam(r, "id"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p := receiptPage{Base: h.base(r, "receipt.title"), Receipt: rec, SubmittedISO: rec.SubmittedAt.UTC().Format(time.RFC3339)}
	h.Renderer.Render(w, http.StatusOK, "receipt", p)
}
