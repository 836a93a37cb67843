package api

import (
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/noark"
	"github.com/heder-awards/heder/internal/policy"
)

// noarkRoutes: the published cycle's archive deposit, streamed as it is
// made (small cycles, scripts) or made by a job and kept until it is
// downloaded (large cycles; the cycle's page asks for it so).
func (h *Handler) noarkRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodGet, Pattern: "/api/v1/cycles/{cycle}/noark5", Gate: policy.Admin, Handler: h.handleNoark},
		{Method: http.MethodPost, Pattern: "/api/v1/cycles/{cycle}/noark5/exports", Gate: policy.Admin, Handler: h.handleNoarkExportCreate},
		{Method: http.MethodGet, Pattern: "/api/v1/cycles/{cycle}/noark5/exports/{id}", Gate: policy.Admin, Handler: h.handleNoarkExport},
		{Method: http.MethodGet, Pattern: "/api/v1/cycles/{cycle}/noark5/exports/{id}/file", Gate: policy.Admin, Handler: h.handleNoarkExportFile},
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
	setDepositHeaders(w, d.Name())
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

func setDepositHeaders(w http.ResponseWriter, name string) {
	w.Header().Set("Content-Type", "application/x-tar")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	// Contact people and the jury's screened papers: keep them out of caches.
	w.Header().Set("Cache-Control", "no-store")
}

// NoarkExport is an archive deposit made by a job.
type NoarkExport struct {
	ID    string `json:"id"`
	Cycle string `json:"cycle"`
	// State: queued, running, done or failed.
	State          string `json:"state"`
	DocumentsDone  int    `json:"documents_done"`
	DocumentsTotal int    `json:"documents_total"`
	RequestedBy    string `json:"requested_by"`
	Error          string `json:"error,omitempty"`
	FileName       string `json:"file_name,omitempty"`
	Size           int64  `json:"size,omitempty"`
	// File is the download's address while the file is kept.
	File         string     `json:"file,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	FinishedAt   *time.Time `json:"finished_at"`
	DownloadedAt *time.Time `json:"downloaded_at"`
	RemovesAt    *time.Time `json:"removes_at"`
	RemovedAt    *time.Time `json:"removed_at"`
}

// noarkExportPath is the export's address in the API.
func noarkExportPath(cycle, id string) string {
	return "/api/v1/cycles/" + cycle + "/noark5/exports/" + id
}

func toNoarkExport(e noark.Export) NoarkExport {
	out := NoarkExport{ID: e.PublicID, Cycle: e.CyclePublicID, State: e.State, DocumentsDone: e.Done, DocumentsTotal: e.Total,
		RequestedBy: e.RequestedBy, Error: e.Error, FileName: e.FileName, Size: e.Size, CreatedAt: e.CreatedAt,
		FinishedAt: e.FinishedAt, DownloadedAt: e.DownloadedAt, RemovesAt: e.RemovesAt(), RemovedAt: e.RemovedAt}
	if e.Ready() {
		out.File = noarkExportPath(e.CyclePublicID, e.PublicID) + "/file"
	}
	return out
}

// handleNoarkExportCreate asks for the deposit to be made by a job: 202
// with the export's address to follow.
func (h *Handler) handleNoarkExportCreate(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	e, err := h.Noark.RequestExport(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	w.Header().Set("Location", noarkExportPath(e.CyclePublicID, e.PublicID))
	w.Header().Set("Retry-After", "2")
	httpx.WriteJSON(w, http.StatusAccepted, toNoarkExport(e))
}

func (h *Handler) handleNoarkExport(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	e, err := h.Noark.Export(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"), chi.URLParam(r, "id"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toNoarkExport(e))
}

func (h *Handler) handleNoarkExportFile(w http.ResponseWriter, r *http.Request) {
	e, body, err := h.Noark.OpenExport(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"), chi.URLParam(r, "id"))
	if err != nil {
		w.Header().Set("Cache-Control", "no-store")
		h.Error(w, r, err)
		return
	}
	defer body.Close()
	setDepositHeaders(w, e.FileName)
	w.Header().Set("Content-Length", strconv.FormatInt(e.Size, 10))
	if _, err := io.Copy(w, body); err != nil {
		httpx.LogError(h.Logger, r, err)
	}
}
