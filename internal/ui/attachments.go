package ui

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/attachments"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/files"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/policy"
)

// attachmentRoutes are a project's files: the page listing them with the
// upload form, uploading, deleting and downloading.
func (h *Handler) attachmentRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodGet, Pattern: "/prosjekter/{id}/vedlegg", Gate: policy.LoggedIn, Handler: h.handleAttachmentList},
		{Method: http.MethodPost, Pattern: "/prosjekter/{id}/vedlegg", Gate: policy.LoggedIn, Handler: h.handleAttachmentUpload},
		{Method: http.MethodGet, Pattern: "/vedlegg/{id}", Gate: policy.LoggedIn, Handler: h.handleAttachmentDownload},
		{Method: http.MethodPost, Pattern: "/vedlegg/{id}/slett", Gate: policy.LoggedIn, Handler: h.handleAttachmentDelete},
	}
}

// uploadLimit cuts off a request body early: the largest file allowed
// plus room for the form around it.
const uploadLimit = attachments.MaxSize + 1<<20

// acceptTypes tells the browser's file picker what to offer.
const acceptTypes = "application/pdf,image/png,image/jpeg,image/webp,.pdf,.png,.jpg,.jpeg,.webp"

type attachmentRow struct {
	awards.Attachment
	TypeKey  string
	SizeText string
	// DeleteAction is where the row's delete button posts.
	DeleteAction string
}

type attachmentsPage struct {
	Base
	Project   awards.Project
	Rows      []attachmentRow
	Max       int
	CanChange bool
	Frozen    bool
	Full      bool
	Accept    string
	Errors    map[string]string
	Form      map[string]string
	// UploadAction is where the upload form posts; Back leads to the
	// project's page in the nomination the person came from, if known.
	UploadAction string
	Back         string
}

func attachmentsPath(projectID string) string {
	return "/prosjekter/" + url.PathEscape(projectID) + "/vedlegg"
}

// fromNomination is the nomination the person came to a project's files
// from (?nominasjon=, kept through uploads and deletions), so that the page
// can lead back to the project in it. It only ever goes into a link, so an
// unknown one leads to "not found" and reveals nothing.
func fromNomination(r *http.Request) string {
	id := r.URL.Query().Get("nominasjon")
	if len(id) > 64 || strings.ContainsFunc(id, func(c rune) bool {
		return !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')
	}) {
		return ""
	}
	return id
}

// withNomination adds the nomination the person came from to path.
func withNomination(path, nomination string) string {
	if nomination == "" {
		return path
	}
	return path + "?nominasjon=" + url.QueryEscape(nomination)
}

func (h *Handler) attachmentsPage(r *http.Request, projectID string) (attachmentsPage, error) {
	l, err := h.Attachments.List(r.Context(), h.actor(r), projectID)
	if err != nil {
		return attachmentsPage{}, err
	}
	p := attachmentsPage{Base: h.base(r, ""), Project: l.Project, Max: attachments.MaxPerProject, CanChange: l.CanChange,
		Frozen: l.Frozen, Full: len(l.Attachments) >= attachments.MaxPerProject, Accept: acceptTypes, Form: map[string]string{}}
	p.Title = p.L.T("attachments.heading", "Title", l.Project.Title)
	nom := fromNomination(r)
	p.UploadAction = withNomination(attachmentsPath(projectID), nom)
	if nom != "" {
		p.Back = nominationPath(nom, "prosjekter", projectID)
	}
	for _, a := range l.Attachments {
		p.Rows = append(p.Rows, attachmentRow{Attachment: a, TypeKey: "attachments.type." + strings.TrimPrefix(strings.TrimPrefix(a.ContentType, "application/"), "image/"),
			SizeText: formatSize(a.Size, p.L.Lang()), DeleteAction: withNomination("/vedlegg/"+url.PathEscape(a.PublicID)+"/slett", nom)})
	}
	return p, nil
}

func (h *Handler) handleAttachmentList(w http.ResponseWriter, r *http.Request) {
	p, err := h.attachmentsPage(r, chi.URLParam(r, "id"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.Renderer.Render(w, http.StatusOK, "attachments", p)
}

func (h *Handler) handleAttachmentUpload(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	file, name, err := files.FormFile(w, r, "file", uploadLimit)
	if err != nil {
		h.renderAttachmentErrors(w, r, id, err)
		return
	}
	var body io.Reader
	if file != nil {
		defer file.Close()
		body = file
	}
	if _, err := h.Attachments.Upload(r.Context(), h.actor(r), id, name, r.PostFormValue("alt_text"), body); err != nil {
		h.renderAttachmentErrors(w, r, id, err)
		return
	}
	h.flash(r, "attachments.uploaded")
	h.redirect(w, r, withNomination(attachmentsPath(id), fromNomination(r)))
}

// renderAttachmentErrors shows the page again with the form's errors,
// keeping what was typed; other errors get the error page.
func (h *Handler) renderAttachmentErrors(w http.ResponseWriter, r *http.Request, projectID string, err error) {
	fields := awards.ErrorFields(err)
	if len(fields) == 0 {
		h.Error(w, r, err)
		return
	}
	p, perr := h.attachmentsPage(r, projectID)
	if perr != nil {
		h.Error(w, r, perr)
		return
	}
	p.Errors = map[string]string{}
	for k, v := range fields {
		p.Errors[k] = p.L.T(v)
	}
	p.Form["alt_text"] = r.PostFormValue("alt_text")
	h.Renderer.Render(w, http.StatusUnprocessableEntity, "attachments", p)
}

func (h *Handler) handleAttachmentDelete(w http.ResponseWriter, r *http.Request) {
	project, err := h.Attachments.Delete(r.Context(), h.actor(r), chi.URLParam(r, "id"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.flash(r, "attachments.deleted")
	h.redirect(w, r, withNomination(attachmentsPath(project), fromNomination(r)))
}

func (h *Handler) handleAttachmentDownload(w http.ResponseWriter, r *http.Request) {
	a, body, err := h.Attachments.Get(r.Context(), h.actor(r), chi.URLParam(r, "id"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	defer body.Close()
	files.Serve(w, r, files.Meta{Filename: a.Filename, ContentType: a.ContentType, Size: a.Size, SHA256: a.SHA256}, body)
}

// formatSize shows a file size as people read it: "340 kB", "1,2 MB"
// (a decimal point in English), with a non-breaking space before the unit.
func formatSize(n int64, lang string) string {
	var s string
	switch {
	case n >= 1<<20:
		s = strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + "\u00a0MB"
	case n >= 1<<10:
		s = strconv.FormatInt((n+1<<9)>>10, 10) + "\u00a0kB"
	default:
		s = strconv.FormatInt(n, 10) + "\u00a0B"
	}
	if lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
