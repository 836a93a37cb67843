package ui

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/noark"
	"github.com/heder-awards/heder/internal/policy"
)

// noarkRoutes: the owner admin asks on the cycle's page for its archive
// deposit to be made by a job, and follows it on the export's page to the
// download (the API's file route).
func (h *Handler) noarkRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodPost, Pattern: "/admin/sykluser/{cycle}/arkivuttrekk", Gate: policy.Admin, Handler: h.handleNoarkRequest},
		{Method: http.MethodGet, Pattern: "/admin/sykluser/{cycle}/arkivuttrekk/{id}", Gate: policy.Admin, Handler: h.handleNoarkExport},
	}
}

func noarkExportPath(cycle, id string) string {
	return "/admin/sykluser/" + url.PathEscape(cycle) + "/arkivuttrekk/" + url.PathEscape(id)
}

// handleNoarkRequest asks for the deposit and shows its page; a cycle not
// yet published gets its page again with the reason in the deposit's
// section.
func (h *Handler) handleNoarkRequest(w http.ResponseWriter, r *http.Request) {
	cycle := chi.URLParam(r, "cycle")
	e, err := h.Noark.RequestExport(r.Context(), h.actor(r), cycle)
	if errors.Is(err, noark.ErrNotPublished) {
		c, cerr := h.Cycles.ManagedCycle(r.Context(), h.actor(r), cycle)
		if cerr != nil {
			h.Error(w, r, cerr)
			return
		}
		l := h.Bundle.Localizer(httpx.LangFrom(r.Context()))
		h.renderCycleAdmin(w, r, refusal{status: httpx.Status(err),
			problem: l.T("noark.error.not_published", "Phase", l.T("cycles.phase."+string(c.Phase)))}, "noark")
		return
	}
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.redirect(w, r, noarkExportPath(cycle, e.PublicID))
}

type noarkExportPage struct {
	cyclesBase
	Cycle  awards.Cycle
	Export noark.Export
	// Status says where the export is, Keep how long its file stays.
	Status, Keep string
	File         string
	Size         string
}

func (h *Handler) handleNoarkExport(w http.ResponseWriter, r *http.Request) {
	ctx, actor, cycle := r.Context(), h.actor(r), chi.URLParam(r, "cycle")
	c, err := h.Cycles.ManagedCycle(ctx, actor, cycle)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	e, err := h.Noark.Export(ctx, actor, cycle, chi.URLParam(r, "id"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p := noarkExportPage{cyclesBase: h.cyclesBase(r, ""), Cycle: c, Export: e}
	p.Title = p.L.T("noark.export.title", "Cycle", c.Title)
	p.Status, p.Keep = noarkStatus(p.L, e)
	if e.Ready() {
		p.File = "/api/v1/cycles/" + url.PathEscape(cycle) + "/noark5/exports/" + url.PathEscape(e.PublicID) + "/file"
		p.Size = formatSize(e.Size, p.L.Lang())
	}
	// Its state changes by itself: never show a stale one.
	w.Header().Set("Cache-Control", "no-store")
	render(h, w, refusal{}, "noark_export", p)
}

// noarkStatus is the export's state in words, and how long its file is
// kept, in l's language.
func noarkStatus(l *i18n.Localizer, e noark.Export) (status, keep string) {
	switch {
	case e.State == noark.StateQueued:
		return l.T("noark.state.queued"), ""
	case e.State == noark.StateRunning:
		return l.T("noark.state.running", "Done", e.Done, "Total", e.Total), ""
	case e.State == noark.StateFailed:
		return l.T("noark.state.failed"), ""
	case e.RemovedAt != nil:
		return l.T("noark.state.removed", "Date", l.FormatTime(*e.RemovedAt)), ""
	case e.DownloadedAt != nil:
		return l.T("noark.state.done"), l.T("noark.keep.downloaded", "Downloaded", l.FormatTime(*e.DownloadedAt),
			"Removes", l.FormatTime(*e.RemovesAt()))
	}
	return l.T("noark.state.done"), l.T("noark.keep.until_downloaded")
}
