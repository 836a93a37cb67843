package api

import (
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/attachments"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/files"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/policy"
)

func (h *Handler) attachmentRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodGet, Pattern: "/api/v1/projects/{id}/attachments", Gate: policy.LoggedIn, Handler: h.handleAttachmentList},
		{Method: http.MethodPost, Pattern: "/api/v1/projects/{id}/attachments", Gate: policy.LoggedIn, Handler: h.handleAttachmentUpload},
		{Method: http.MethodGet, Pattern: "/api/v1/attachments/{id}", Gate: policy.LoggedIn, Handler: h.handleAttachmentGet},
		{Method: http.MethodDelete, Pattern: "/api/v1/attachments/{id}", Gate: policy.LoggedIn, Handler: h.handleAttachmentDelete},
	}
}

// uploadLimit cuts off a request body early: the largest file allowed
// plus room for the form around it.
const uploadLimit = attachments.MaxSize + 1<<20

// Attachment is a file attached to a project; its bytes are at URL.
type Attachment struct {
	ID          string    `json:"id"`
	ProjectID   string    `json:"project_id"`
	Filename    string    `json:"filename"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	AltText     string    `json:"alt_text"`
	CreatedAt   time.Time `json:"created_at"`
	URL         string    `json:"url"`
}

func attachmentURL(id string) string { return "/api/v1/attachments/" + url.PathEscape(id) }

func toAttachment(a awards.Attachment, projectID string) Attachment {
	return Attachment{ID: a.PublicID, ProjectID: projectID, Filename: a.Filename, ContentType: a.ContentType, Size: a.Size,
		SHA256: a.SHA256, AltText: a.AltText, CreatedAt: a.CreatedAt, URL: attachmentURL(a.PublicID)}
}

// AttachmentList is a project's files and whether the caller may change
// them now.
type AttachmentList struct {
	Items     []Attachment `json:"items"`
	CanChange bool         `json:"can_change"`
	Frozen    bool         `json:"frozen"`
}

func (h *Handler) handleAttachmentList(w http.ResponseWriter, r *http.Request) {
	l, err := h.Attachments.List(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "id"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	out := AttachmentList{Items: make([]Attachment, len(l.Attachments)), CanChange: l.CanChange, Frozen: l.Frozen}
	for i, a := range l.Attachments {
		out.Items[i] = toAttachment(a, l.Project.PublicID)
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

func (h *Handler) handleAttachmentUpload(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	file, name, err := files.FormFile(w, r, "file", uploadLimit)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	var body io.Reader
	if file != nil {
		defer file.Close()
		body = file
	}
	a, err := h.Attachments.Upload(r.Context(), httpx.ActorFrom(r.Context()), id, name, r.PostFormValue("alt_text"), body)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	w.Header().Set("Location", attachmentURL(a.PublicID))
	httpx.WriteJSON(w, http.StatusCreated, toAttachment(a, id))
}

func (h *Handler) handleAttachmentGet(w http.ResponseWriter, r *http.Request) {
	a, body, err := h.Attachments.Get(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "id"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	defer body.Close()
	files.Serve(w, r, files.Meta{Filename: a.Filename, ContentType: a.ContentType, Size: a.Size, SHA256: a.SHA256}, body)
}

func (h *Handler) handleAttachmentDelete(w http.ResponseWriter, r *http.Request) {
	if _, err := h.Attachments.Delete(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "id")); err != nil {
		h.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
