package ui

import (
	"bytes"
	"net/http"
	"net/url"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/diplomas"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/policy"
)

// diplomaRoutes are the admins' page of a cycle's diplomas with their
// signature, and the PDFs, which the nominee organisations' members may
// download too once the winners are out (the service decides), also from
// their nomination's page.
func (h *Handler) diplomaRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodGet, Pattern: "/admin/sykluser/{cycle}/diplomer", Gate: policy.Admin, Handler: h.handleDiplomas},
		{Method: http.MethodPost, Pattern: "/admin/sykluser/{cycle}/diplomer", Gate: policy.Admin, Handler: h.handleDiplomaSignature},
		{Method: http.MethodGet, Pattern: "/admin/sykluser/{cycle}/diplomer/alle.pdf", Gate: policy.LoggedIn, Handler: h.handleDiplomasPDF},
		{Method: http.MethodGet, Pattern: "/admin/sykluser/{cycle}/diplomer/{nomination}.pdf", Gate: policy.LoggedIn, Handler: h.handleDiplomaPDF},
		{Method: http.MethodGet, Pattern: "/nominasjoner/{id}/diplom.pdf", Gate: policy.LoggedIn, Handler: h.handleNominationDiploma},
	}
}

func diplomasPath(cycle string) string {
	return "/admin/sykluser/" + url.PathEscape(cycle) + "/diplomer"
}

type diplomasPage struct {
	cyclesBase
	Set       diplomas.Set
	Forms     []string
	Signature form
	// Winners says when the winners are (or were) announced.
	Winners string
}

func (h *Handler) handleDiplomas(w http.ResponseWriter, r *http.Request) {
	h.renderDiplomas(w, r, refusal{})
}

func (h *Handler) renderDiplomas(w http.ResponseWriter, r *http.Request, rf refusal) {
	set, err := h.Diplomas.Manage(r.Context(), h.actor(r), chi.URLParam(r, "cycle"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p := diplomasPage{cyclesBase: h.cyclesBase(r, ""), Set: set, Forms: diplomas.Langs}
	p.Title = p.L.T("diplomas.title", "Cycle", set.Cycle.Title)
	switch {
	case set.WinnersAt == nil:
		p.Winners = p.L.T("diplomas.winners_none")
	case set.Released:
		p.Winners = p.L.T("diplomas.winners_out", "Date", p.L.FormatTime(*set.WinnersAt))
	default:
		p.Winners = p.L.T("diplomas.winners_at", "Date", p.L.FormatTime(*set.WinnersAt))
	}
	values := rf.values
	if values == nil {
		s := set.Signature
		values = url.Values{"name": {s.Name}, "title_nb": {s.TitleNB}, "title_nn": {s.TitleNN}, "title_en": {s.TitleEN}}
	}
	p.Signature = newForm(p.L, "signature", diplomasPath(set.Cycle.PublicID), "diplomas.signature.save", values, rf.errs).
		text("name", "diplomas.signature.name", "", false, diplomas.MaxSignature).
		text("title_nb", "diplomas.signature.title_nb", "", false, diplomas.MaxSignature).
		translated("title_nn", "diplomas.signature.title_nn", "nn", false, diplomas.MaxSignature).
		translated("title_en", "diplomas.signature.title_en", "en", false, diplomas.MaxSignature).f
	p.Errors = errorList(&p.Signature)
	render(h, w, rf, "diplomas", p)
}

func (h *Handler) handleDiplomaSignature(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	cycle := chi.URLParam(r, "cycle")
	_, err := h.Diplomas.SetSignature(r.Context(), h.actor(r), cycle, diplomas.Signature{Name: r.PostForm.Get("name"),
		TitleNB: r.PostForm.Get("title_nb"), TitleNN: r.PostForm.Get("title_nn"), TitleEN: r.PostForm.Get("title_en")})
	if err != nil {
		l := h.Bundle.Localizer(httpx.LangFrom(r.Context()))
		rf := refusal{values: r.PostForm, status: httpx.Status(err), errs: translateFields(l, err)}
		if rf.errs == nil {
			h.Error(w, r, err)
			return
		}
		h.renderDiplomas(w, r, rf)
		return
	}
	h.flash(r, "diplomas.flash.saved")
	h.redirect(w, r, diplomasPath(cycle))
}

func (h *Handler) handleDiplomaPDF(w http.ResponseWriter, r *http.Request) {
	cycle, nomination := chi.URLParam(r, "cycle"), chi.URLParam(r, "nomination")
	h.diplomaPDF(w, r, "diplom-"+nomination, func(b *bytes.Buffer) error {
		return h.Diplomas.WritePDF(r.Context(), h.actor(r), cycle, nomination, r.URL.Query().Get("lang"), b)
	})
}

// handleNominationDiploma is the nominee organisations' link to their
// diploma, on the nomination's page once the winners are out.
func (h *Handler) handleNominationDiploma(w http.ResponseWriter, r *http.Request) {
	nomination := chi.URLParam(r, "id")
	h.diplomaPDF(w, r, "diplom-"+nomination, func(b *bytes.Buffer) error {
		return h.Diplomas.WriteNominationPDF(r.Context(), h.actor(r), nomination, r.URL.Query().Get("lang"), b)
	})
}

func (h *Handler) handleDiplomasPDF(w http.ResponseWriter, r *http.Request) {
	cycle := chi.URLParam(r, "cycle")
	h.diplomaPDF(w, r, "diplomer-"+cycle, func(b *bytes.Buffer) error {
		return h.Diplomas.WriteAllPDF(r.Context(), h.actor(r), cycle, r.URL.Query().Get("lang"), b)
	})
}

// diplomaPDF answers with the PDF write makes as a download named name;
// made in memory first, so that a refusal is still an error page.
func (h *Handler) diplomaPDF(w http.ResponseWriter, r *http.Request, name string, write func(*bytes.Buffer) error) {
	var b bytes.Buffer
	if err := write(&b); err != nil {
		h.Error(w, r, err)
		return
	}
	if lang := r.URL.Query().Get("lang"); lang != "" {
		name += "-" + lang
	}
	httpx.WritePDF(w, name+".pdf", b.Bytes())
}
