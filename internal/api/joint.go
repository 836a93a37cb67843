package api

import (
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/nominations"
	"github.com/heder-awards/heder/internal/policy"
)

// jointRoutes are joint entries: the nominees and their lead, invitations
// to other organisations, and their answers.
func (h *Handler) jointRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodGet, Pattern: "/api/v1/nominations/{id}/nominees", Gate: policy.LoggedIn, Handler: h.handleNomineeList},
		{Method: http.MethodDelete, Pattern: "/api/v1/nominations/{id}/nominees/{org}", Gate: policy.LoggedIn, Handler: h.handleNomineeRemove},
		{Method: http.MethodPut, Pattern: "/api/v1/nominations/{id}/lead", Gate: policy.LoggedIn, Handler: h.handleNominationLead},
		{Method: http.MethodPost, Pattern: "/api/v1/nominations/{id}/invitations", Gate: policy.LoggedIn, Handler: h.handleInvitationCreate},
		{Method: http.MethodGet, Pattern: "/api/v1/nominee-invitations", Gate: policy.LoggedIn, Handler: h.handleMyInvitations},
		{Method: http.MethodGet, Pattern: "/api/v1/nominee-invitations/{id}", Gate: policy.LoggedIn, Handler: h.handleInvitationGet},
		{Method: http.MethodPost, Pattern: "/api/v1/nominee-invitations/{id}/accept", Gate: policy.LoggedIn, Handler: h.handleInvitationAccept},
		{Method: http.MethodPost, Pattern: "/api/v1/nominee-invitations/{id}/decline", Gate: policy.LoggedIn, Handler: h.handleInvitationDecline},
		{Method: http.MethodPost, Pattern: "/api/v1/nominee-invitations/{id}/withdraw", Gate: policy.LoggedIn, Handler: h.handleInvitationWithdraw},
	}
}

// Invitation is an invitation to a joint entry as the API shows it. The
// invited organisation's members see no more of the entry than this.
type Invitation struct {
	ID                   string     `json:"id"`
	Nomination           string     `json:"nomination"`
	NominationTitle      string     `json:"nomination_title"`
	CycleTitle           string     `json:"cycle_title"`
	Deadline             *time.Time `json:"deadline"`
	Organisation         Nominee    `json:"organisation"`
	InvitingOrganisation Nominee    `json:"inviting_organisation"`
	InvitedBy            string     `json:"invited_by"`
	Status               string     `json:"status"`
	CreatedAt            time.Time  `json:"created_at"`
	AnsweredAt           *time.Time `json:"answered_at"`
	CanAnswer            bool       `json:"can_answer"`
	CanWithdraw          bool       `json:"can_withdraw"`
}

func toInvitation(inv nominations.Invitation) Invitation {
	return Invitation{ID: inv.PublicID, Nomination: inv.NominationPublicID, NominationTitle: inv.NominationTitle,
		CycleTitle: inv.CycleTitle, Deadline: inv.Deadline,
		Organisation:         Nominee{ID: ID(inv.Organisation.ID), Name: inv.Organisation.Name, Kind: string(inv.Organisation.Kind)},
		InvitingOrganisation: Nominee{ID: ID(inv.InvitingOrganisation.ID), Name: inv.InvitingOrganisation.Name, Kind: string(inv.InvitingOrganisation.Kind)},
		InvitedBy:            inv.InvitedBy, Status: string(inv.Status), CreatedAt: inv.CreatedAt, AnsweredAt: inv.AnsweredAt,
		CanAnswer: inv.CanAnswer, CanWithdraw: inv.CanWithdraw}
}

// Nominees are a joint entry's nominee organisations, the lead marked, and
// its invitations.
type Nominees struct {
	Lead        ID           `json:"lead_organisation_id"`
	CanInvite   bool         `json:"can_invite"`
	Nominees    []Nominee    `json:"nominees"`
	Invitations []Invitation `json:"invitations"`
}

// OrganisationRef names an organisation in a request body.
type OrganisationRef struct {
	OrganisationID ID `json:"organisation_id"`
}

func (h *Handler) writeNominees(w http.ResponseWriter, r *http.Request) {
	v, err := h.Nominations.Get(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "id"))
	if err != nil {
		h.nominationError(w, r, err)
		return
	}
	out := Nominees{Lead: ID(v.LeadID), CanInvite: v.CanInvite, Nominees: []Nominee{}, Invitations: []Invitation{}}
	for _, o := range v.Nominated {
		out.Nominees = append(out.Nominees, Nominee{ID: ID(o.ID), Name: o.Name, Kind: string(o.Kind), Lead: o.Lead})
	}
	for _, inv := range v.Invitations {
		out.Invitations = append(out.Invitations, toInvitation(inv))
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

func (h *Handler) handleNomineeList(w http.ResponseWriter, r *http.Request) { h.writeNominees(w, r) }

// handleNomineeRemove takes an organisation off the entry: its own
// members leave, or an admin removes it.
func (h *Handler) handleNomineeRemove(w http.ResponseWriter, r *http.Request) {
	org, err := idParam(r, "org")
	if err != nil {
		h.nominationError(w, r, err)
		return
	}
	if err := h.Nominations.RemoveNominee(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "id"), org); err != nil {
		h.nominationError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) handleNominationLead(w http.ResponseWriter, r *http.Request) {
	var in OrganisationRef
	if err := decodeNominationJSON(w, r, &in); err != nil {
		h.nominationError(w, r, err)
		return
	}
	if err := h.Nominations.HandOverLead(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "id"), int64(in.OrganisationID)); err != nil {
		h.nominationError(w, r, err)
		return
	}
	h.writeNominees(w, r)
}

func (h *Handler) handleInvitationCreate(w http.ResponseWriter, r *http.Request) {
	var in OrganisationRef
	if err := decodeNominationJSON(w, r, &in); err != nil {
		h.nominationError(w, r, err)
		return
	}
	inv, err := h.Nominations.Invite(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "id"), int64(in.OrganisationID))
	if err != nil {
		h.nominationError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/nominee-invitations/"+inv.PublicID)
	httpx.WriteJSON(w, http.StatusCreated, toInvitation(inv))
}

func (h *Handler) handleMyInvitations(w http.ResponseWriter, r *http.Request) {
	list, err := h.Nominations.MyInvitations(r.Context(), httpx.ActorFrom(r.Context()))
	if err != nil {
		h.nominationError(w, r, err)
		return
	}
	out := make([]Invitation, len(list))
	for i, inv := range list {
		out[i] = toInvitation(inv)
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"items": out})
}

func (h *Handler) handleInvitationGet(w http.ResponseWriter, r *http.Request) {
	inv, err := h.Nominations.GetInvitation(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "id"))
	h.writeInvitation(w, r, inv, err)
}

func (h *Handler) handleInvitationAccept(w http.ResponseWriter, r *http.Request) {
	inv, err := h.Nominations.AnswerInvitation(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "id"), true)
	h.writeInvitation(w, r, inv, err)
}

func (h *Handler) handleInvitationDecline(w http.ResponseWriter, r *http.Request) {
	inv, err := h.Nominations.AnswerInvitation(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "id"), false)
	h.writeInvitation(w, r, inv, err)
}

func (h *Handler) handleInvitationWithdraw(w http.ResponseWriter, r *http.Request) {
	inv, err := h.Nominations.WithdrawInvitation(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "id"))
	h.writeInvitation(w, r, inv, err)
}

func (h *Handler) writeInvitation(w http.ResponseWriter, r *http.Request, inv nominations.Invitation, err error) {
	if err != nil {
		h.nominationError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toInvitation(inv))
}
