package api

import (
	"net/http"
	"strconv"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/orgs"
)

// OrganisationCreate is an organisation a site admin creates from its
// organisation number.
type OrganisationCreate struct {
	Orgnr    string `json:"orgnr"`
	Kind     string `json:"kind"`
	Name     string `json:"name"`
	ParentID ID     `json:"parent_id"`
	Language string `json:"language"`
}

func (h *Handler) handleOrgCreate(w http.ResponseWriter, r *http.Request) {
	var in OrganisationCreate
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.Error(w, r, err)
		return
	}
	o, err := h.Orgs.Create(r.Context(), httpx.ActorFrom(r.Context()), orgs.NewOrganisation{Orgnr: in.Orgnr,
		Kind: awards.OrgKind(in.Kind), Name: in.Name, ParentID: int64(in.ParentID), Language: in.Language})
	if err != nil {
		h.Error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/organisations/"+strconv.FormatInt(o.ID, 10))
	httpx.WriteJSON(w, http.StatusCreated, toOrganisation(o))
}
