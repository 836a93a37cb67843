package api

import (
	"net/http"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/orgs"
)

// Member is a member of an organisation.
type Member struct {
	UserID ID        `json:"user_id"`
	Name   string    `json:"name"`
	Email  string    `json:"email"`
	Role   string    `json:"role"`
	Source string    `json:"source"`
	Since  time.Time `json:"since"`
}

// AccessRequest is a request to join an organisation.
type AccessRequest struct {
	ID             ID        `json:"id"`
	UserID         ID        `json:"user_id"`
	UserName       string    `json:"user_name"`
	OrganisationID ID        `json:"organisation_id"`
	Message        string    `json:"message"`
	Status         string    `json:"status"`
	CreatedAt      time.Time `json:"created_at"`
}

func toRequest(r orgs.Request) AccessRequest {
	return AccessRequest{ID: ID(r.ID), UserID: ID(r.UserID), UserName: r.UserName, OrganisationID: ID(r.OrganisationID),
		Message: r.Message, Status: r.Status, CreatedAt: r.CreatedAt}
}

func (h *Handler) handleMemberList(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	list, err := h.Orgs.Members(r.Context(), httpx.ActorFrom(r.Context()), id)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	out := make([]Member, len(list))
	for i, m := range list {
		out[i] = Member{UserID: ID(m.UserID), Name: m.Name, Email: m.Email, Role: m.Role, Source: m.Source, Since: m.CreatedAt}
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"items": out})
}

// MemberAdd adds a member (user_id or email, and role, by the
// organisation's administrators) or, without either, asks for access for
// the caller.
type MemberAdd struct {
	UserID  ID     `json:"user_id"`
	Email   string `json:"email"`
	Role    string `json:"role"`
	Message string `json:"message"`
}

func (h *Handler) handleMemberAdd(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	var in MemberAdd
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.Error(w, r, err)
		return
	}
	actor := httpx.ActorFrom(r.Context())
	if in.Email != "" {
		if err := h.Orgs.AddMemberByEmail(r.Context(), actor, id, in.Email, in.Role); err != nil {
			h.Error(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if in.UserID == 0 {
		req, err := h.Orgs.RequestAccess(r.Context(), actor, id, in.Message)
		if err != nil {
			h.Error(w, r, err)
			return
		}
		httpx.WriteJSON(w, http.StatusAccepted, toRequest(req))
		return
	}
	if err := h.Orgs.AddMember(r.Context(), actor, id, int64(in.UserID), in.Role); err != nil {
		h.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) handleMemberRemove(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	userID, err := idParam(r, "user")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	if err := h.Orgs.RemoveMember(r.Context(), httpx.ActorFrom(r.Context()), id, userID); err != nil {
		h.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) handleRequestList(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	actor := httpx.ActorFrom(r.Context())
	if _, err := h.Orgs.Members(r.Context(), actor, id); err != nil {
		h.Error(w, r, err) // the same rule: only the organisation's administrators
		return
	}
	list, err := h.Orgs.PendingRequests(r.Context(), actor)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	out := []AccessRequest{}
	for _, req := range list {
		if req.OrganisationID == id {
			out = append(out, toRequest(req))
		}
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"items": out})
}

// Decision approves or rejects an access request.
type Decision struct {
	Approve *bool `json:"approve"`
}

func (h *Handler) handleRequestDecide(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	reqID, err := idParam(r, "request")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	var in Decision
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.Error(w, r, err)
		return
	}
	if in.Approve == nil {
		h.Error(w, r, awards.Invalid(map[string]string{"approve": "form.required"}))
		return
	}
	req, err := h.Orgs.DecideRequest(r.Context(), httpx.ActorFrom(r.Context()), id, reqID, *in.Approve)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toRequest(req))
}
