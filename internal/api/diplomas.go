package api

import (
	"bytes"
	"net/http"
	"net/url"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/diplomas"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/policy"
)

// diplomaRoutes are a cycle's diplomas: the list, the PDFs and the
// signature. The service decides who gets which.
func (h *Handler) diplomaRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodGet, Pattern: "/api/v1/cycles/{cycle}/diplomas", Gate: policy.LoggedIn, Handler: h.handleDiplomaList},
		{Method: http.MethodGet, Pattern: "/api/v1/cycles/{cycle}/diplomas.pdf", Gate: policy.LoggedIn, Handler: h.handleDiplomasPDF},
		{Method: http.MethodGet, Pattern: "/api/v1/cycles/{cycle}/diplomas/{nomination}.pdf", Gate: policy.LoggedIn, Handler: h.handleDiplomaPDF},
		{Method: http.MethodPut, Pattern: "/api/v1/cycles/{cycle}/diplomas/signature", Gate: policy.Admin, Handler: h.handleDiplomaSignature},
	}
}

// DiplomaList is a cycle's diplomas as the caller may have them.
type DiplomaList struct {
	Cycle string `json:"cycle"`
	// WinnersAt is the winners' instant, null while none is scheduled;
	// Released says it has passed.
	WinnersAt *time.Time `json:"winners_at"`
	Released  bool       `json:"released"`
	// Signature is shown to the cycle's admins only.
	Signature *diplomas.Signature `json:"signature,omitempty"`
	Items     []Diploma           `json:"items"`
}

// Diploma is one decided nomination's diploma.
type Diploma struct {
	diplomas.Diploma
	// PDF is the diploma's address, in the organisations' written form;
	// add ?lang=nb, nn or en for another.
	PDF string `json:"pdf"`
}

func (h *Handler) handleDiplomaList(w http.ResponseWriter, r *http.Request) {
	set, err := h.Diplomas.List(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	out := DiplomaList{Cycle: set.Cycle.PublicID, WinnersAt: set.WinnersAt, Released: set.Released, Items: []Diploma{}}
	if set.Admin {
		out.Signature = &set.Signature
	}
	for _, d := range set.Diplomas {
		out.Items = append(out.Items, Diploma{Diploma: d,
			PDF: "/api/v1/cycles/" + url.PathEscape(set.Cycle.PublicID) + "/diplomas/" + url.PathEscape(d.PublicID) + ".pdf"})
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

func (h *Handler) handleDiplomaSignature(w http.ResponseWriter, r *http.Request) {
	var in diplomas.Signature
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.Error(w, r, err)
		return
	}
	sig, err := h.Diplomas.SetSignature(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"), in)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, sig)
}

func (h *Handler) handleDiplomaPDF(w http.ResponseWriter, r *http.Request) {
	cycle, nomination, lang := chi.URLParam(r, "cycle"), chi.URLParam(r, "nomination"), r.URL.Query().Get("lang")
	var b bytes.Buffer
	if err := h.Diplomas.WritePDF(r.Context(), httpx.ActorFrom(r.Context()), cycle, nomination, lang, &b); err != nil {
		h.Error(w, r, err)
		return
	}
	httpx.WritePDF(w, "diplom-"+nomination+".pdf", b.Bytes())
}

func (h *Handler) handleDiplomasPDF(w http.ResponseWriter, r *http.Request) {
	cycle, lang := chi.URLParam(r, "cycle"), r.URL.Query().Get("lang")
	var b bytes.Buffer
	if err := h.Diplomas.WriteAllPDF(r.Context(), httpx.ActorFrom(r.Context()), cycle, lang, &b); err != nil {
		h.Error(w, r, err)
		return
	}
	httpx.WritePDF(w, "diplomer-"+cycle+".pdf", b.Bytes())
}
