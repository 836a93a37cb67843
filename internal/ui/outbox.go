package ui

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/outbox"
	"github.com/heder-awards/heder/internal/policy"
)

// outboxRoutes are the admins' page of a cycle's outbox (who was sent
// what, when, and how delivery went) and its retry button.
func (h *Handler) outboxRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodGet, Pattern: "/admin/sykluser/{cycle}/utboks", Gate: policy.Admin, Handler: h.handleOutbox},
		{Method: http.MethodPost, Pattern: "/admin/utboks/{id}/prov-igjen", Gate: policy.Admin, Handler: h.handleOutboxRetry},
	}
}

func outboxPath(cycle string) string { return "/admin/sykluser/" + url.PathEscape(cycle) + "/utboks" }

// outboxRow is a message with its texts in the reader's language.
type outboxRow struct {
	outbox.Entry
	KindLabel, StateLabel, StateColor, LanguageLabel string
}

type outboxPage struct {
	Base
	Cycle     outbox.Outbox
	CycleHref string
	Rows      []outboxRow
	// Counts are the messages by state, in outbox's order of states.
	Counts []statusCount
}

// outboxStates are the states in the order the page counts them.
var outboxStates = []string{outbox.StateQueued, outbox.StateSent, outbox.StateFailed}

func (h *Handler) handleOutbox(w http.ResponseWriter, r *http.Request) {
	box, err := h.Outbox.List(r.Context(), h.actor(r), chi.URLParam(r, "cycle"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p := outboxPage{Base: h.base(r, ""), Cycle: box, CycleHref: "/admin/sykluser/" + url.PathEscape(box.CyclePublicID)}
	l := p.L
	p.Title = l.T("outbox.page.title", "Cycle", box.CycleTitle)
	counts := map[string]int{}
	for _, e := range box.Messages {
		counts[e.State]++
		row := outboxRow{Entry: e, KindLabel: l.T("outbox.kind." + e.Kind), StateLabel: l.T("outbox.state." + e.State),
			LanguageLabel: l.T("outbox.language." + e.Language)}
		switch e.State {
		case outbox.StateSent:
			row.StateColor = "success"
		case outbox.StateFailed:
			row.StateColor = "danger"
		default:
			row.StateColor = "warning"
		}
		p.Rows = append(p.Rows, row)
	}
	for _, s := range outboxStates {
		if counts[s] > 0 {
			p.Counts = append(p.Counts, statusCount{Label: l.T("outbox.state." + s), Count: counts[s]})
		}
	}
	h.Renderer.Render(w, http.StatusOK, "outbox", p)
}

func (h *Handler) handleOutboxRetry(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	e, err := h.Outbox.Retry(r.Context(), h.actor(r), id)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.flash(r, "outbox.page.retried")
	h.redirect(w, r, outboxPath(e.CyclePublicID)+"#m-"+strconv.FormatInt(e.ID, 10))
}
