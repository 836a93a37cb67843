package api

import (
	"net/http"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/httpx"
)

// User is a user as admins see them.
type User struct {
	ID      ID     `json:"id"`
	Name    string `json:"name"`
	Email   string `json:"email"`
	Issuer  string `json:"issuer"`
	Subject string `json:"subject"`
	Admin   bool   `json:"admin"`
}

func (h *Handler) handleUserList(w http.ResponseWriter, r *http.Request) {
	list, err := h.Users.List(r.Context(), httpx.ActorFrom(r.Context()), r.URL.Query().Get("q"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	out := make([]User, len(list))
	for i, u := range list {
		out[i] = User{ID: ID(u.ID), Name: u.Name, Email: u.Email, Issuer: u.Issuer, Subject: u.Subject, Admin: u.IsAdmin}
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"items": out})
}

// AdminGrant grants or revokes site admin.
type AdminGrant struct {
	Admin *bool `json:"admin"`
}

func (h *Handler) handleUserAdmin(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	var in AdminGrant
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.Error(w, r, err)
		return
	}
	if in.Admin == nil {
		h.Error(w, r, awards.Invalid(map[string]string{"admin": "form.required"}))
		return
	}
	if err := h.Users.SetAdmin(r.Context(), httpx.ActorFrom(r.Context()), id, *in.Admin); err != nil {
		h.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
