package api

import (
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/nominations"
	"github.com/heder-awards/heder/internal/policy"
)

// exportRoutes are the admins' spreadsheets of a cycle's nominations.
func (h *Handler) exportRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodGet, Pattern: "/api/v1/cycles/{cycle}/exports/nominations.csv", Gate: policy.Admin, Handler: h.handleExportCSV},
		{Method: http.MethodGet, Pattern: "/api/v1/cycles/{cycle}/exports/nominations.xlsx", Gate: policy.Admin, Handler: h.handleExportXLSX},
	}
}

// exportFilter reads the exports' filter from the query: status, county,
// organisation, challenge and q, as the admin's list takes them.
func exportFilter(q url.Values) (nominations.Filter, error) {
	f := nominations.Filter{Status: awards.NominationStatus(q.Get("status")), Challenge: awards.Challenge(q.Get("challenge")),
		Query: q.Get("q")}
	bad := map[string]string{}
	id := func(name string) int64 {
		s := strings.TrimSpace(q.Get(name))
		if s == "" {
			return 0
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			bad[name] = "exports.error.id"
		}
		return n
	}
	f.CountyID, f.OrganisationID = id("county"), id("organisation")
	if len(bad) > 0 {
		return f, awards.Invalid(bad)
	}
	return f, nil
}

// countingWriter notes whether anything was written, so that an error
// before the first byte can still be answered with problem details.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func (h *Handler) handleExportCSV(w http.ResponseWriter, r *http.Request) {
	h.export(w, r, "csv", "text/csv; charset=utf-8", nominations.Export.WriteCSV)
}

func (h *Handler) handleExportXLSX(w http.ResponseWriter, r *http.Request) {
	h.export(w, r, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", nominations.Export.WriteXLSX)
}

// export answers with the cycle's nominations as a file download, written
// as it is made.
func (h *Handler) export(w http.ResponseWriter, r *http.Request, ext, contentType string,
	write func(nominations.Export, io.Writer, nominations.ExportLabels) error) {
	f, err := exportFilter(r.URL.Query())
	if err != nil {
		h.Error(w, r, err)
		return
	}
	e, err := h.Nominations.Export(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"), f)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	l := h.Bundle.Localizer(httpx.LangFrom(r.Context()))
	labels := nominations.ExportLabels{T: func(id string) string { return l.T(id) }, Loc: i18n.Oslo()}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": e.FileName(labels, ext)}))
	// Contact people's names and e-mail addresses: keep them out of caches.
	w.Header().Set("Cache-Control", "no-store")
	cw := &countingWriter{w: w}
	if err := write(e, cw, labels); err != nil {
		if cw.n == 0 {
			w.Header().Del("Content-Disposition")
			h.Error(w, r, err)
			return
		}
		// Too late for an answer: the client sees a cut-off file.
		httpx.LogError(h.Logger, r, err)
	}
}
