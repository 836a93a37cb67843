package api

import (
	"net/http"
	"strconv"

	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/owners"
	"github.com/heder-awards/heder/internal/policy"
)

// ownerRoutes are the API routes for award owners and their admins. Site
// admins make organisations owners; an owner's admins manage the rest.
func (h *Handler) ownerRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodGet, Pattern: "/api/v1/owners", Gate: policy.Admin, Handler: h.handleOwnerList},
		{Method: http.MethodPost, Pattern: "/api/v1/owners", Gate: policy.SiteAdmin, Handler: h.handleOwnerCreate},
		{Method: http.MethodGet, Pattern: "/api/v1/owners/{id}", Gate: policy.Admin, Handler: h.handleOwnerGet},
		{Method: http.MethodPatch, Pattern: "/api/v1/owners/{id}", Gate: policy.Admin, Handler: h.handleOwnerPatch},
		{Method: http.MethodPost, Pattern: "/api/v1/owners/{id}/admins", Gate: policy.Admin, Handler: h.handleOwnerAdminAdd},
		{Method: http.MethodDelete, Pattern: "/api/v1/owners/{id}/admins/{user}", Gate: policy.Admin, Handler: h.handleOwnerAdminRemove},
	}
}

// Owner is an award owner as the API shows it.
type Owner struct {
	ID              ID             `json:"id"`
	Name            string         `json:"name"`
	Kind            string         `json:"kind"`
	StateBody       bool           `json:"state_body"`
	RetentionMonths *int           `json:"retention_months"`
	Admins          []owners.Admin `json:"admins"`
	Awards          []owners.Award `json:"awards"`
	// Published cycles, with when their personal data is erased.
	Published []owners.Published `json:"published_cycles"`
}

func toOwner(o owners.Owner) Owner {
	out := Owner{ID: ID(o.ID), Name: o.Name, Kind: string(o.Kind), StateBody: o.StateBody, RetentionMonths: o.RetentionMonths,
		Admins: o.Admins, Awards: o.Awards, Published: o.Published}
	if out.Admins == nil {
		out.Admins = []owners.Admin{}
	}
	if out.Awards == nil {
		out.Awards = []owners.Award{}
	}
	if out.Published == nil {
		out.Published = []owners.Published{}
	}
	return out
}

// OwnerList is the owners the caller administers.
type OwnerList struct {
	Items []Owner `json:"items"`
}

func (h *Handler) handleOwnerList(w http.ResponseWriter, r *http.Request) {
	list, err := h.Owners.List(r.Context(), httpx.ActorFrom(r.Context()))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	out := OwnerList{Items: make([]Owner, len(list))}
	for i, o := range list {
		out.Items[i] = toOwner(o)
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// OwnerCreate makes an organisation an award owner, optionally with its
// first owner admin.
type OwnerCreate struct {
	OrganisationID ID     `json:"organisation_id"`
	AdminEmail     string `json:"admin_email"`
}

func (h *Handler) handleOwnerCreate(w http.ResponseWriter, r *http.Request) {
	var in OwnerCreate
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.Error(w, r, err)
		return
	}
	o, err := h.Owners.Create(r.Context(), httpx.ActorFrom(r.Context()), int64(in.OrganisationID), in.AdminEmail)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/owners/"+strconv.FormatInt(o.ID, 10))
	httpx.WriteJSON(w, http.StatusCreated, toOwner(o))
}

func (h *Handler) handleOwnerGet(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	o, err := h.Owners.Get(r.Context(), httpx.ActorFrom(r.Context()), id)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toOwner(o))
}

// OwnerPatch changes an owner's settings: the retention period in
// months (null: keep personal data until someone decides).
type OwnerPatch struct {
	RetentionMonths *int `json:"retention_months"`
}

func (h *Handler) handleOwnerPatch(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	var in OwnerPatch
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.Error(w, r, err)
		return
	}
	o, err := h.Owners.SetRetention(r.Context(), httpx.ActorFrom(r.Context()), id, in.RetentionMonths)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toOwner(o))
}

// OwnerAdminAdd names the person to make an owner admin by the e-mail
// address they log in with.
type OwnerAdminAdd struct {
	Email string `json:"email"`
}

func (h *Handler) handleOwnerAdminAdd(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	var in OwnerAdminAdd
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.Error(w, r, err)
		return
	}
	o, err := h.Owners.AddAdmin(r.Context(), httpx.ActorFrom(r.Context()), id, in.Email)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toOwner(o))
}

func (h *Handler) handleOwnerAdminRemove(w http.ResponseWriter, r *http.Request) {
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
	if _, err := h.Owners.RemoveAdmin(r.Context(), httpx.ActorFrom(r.Context()), id, userID); err != nil {
		h.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
