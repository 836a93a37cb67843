package ui

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/nominations"
	"github.com/heder-awards/heder/internal/policy"
)

// jointRoutes are the pages of joint entries: the invited organisation's
// answer, the lead's withdrawal of an invitation and its hand-over of the
// lead. Inviting and leaving are on the nominee organisations page.
func (h *Handler) jointRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodGet, Pattern: "/samarbeid/{id}", Gate: policy.LoggedIn, Handler: h.handleInvitationShow},
		{Method: http.MethodPost, Pattern: "/samarbeid/{id}/svar", Gate: policy.LoggedIn, Handler: h.handleInvitationAnswer},
		{Method: http.MethodPost, Pattern: "/samarbeid/{id}/trekk", Gate: policy.LoggedIn, Handler: h.handleInvitationWithdraw},
		{Method: http.MethodPost, Pattern: "/nominasjoner/{id}/organisasjoner/{org}/leder", Gate: policy.LoggedIn, Handler: h.handleNominationLead},
	}
}

// invitationPage shows an invitation to a joint entry: what the invited
// organisation's members may know of the entry, and accept or decline.
type invitationPage struct {
	Base
	Inv    nominations.Invitation
	Errors map[string]string
	Alert  string
}

func (h *Handler) renderInvitation(w http.ResponseWriter, r *http.Request, status int, refused error) {
	inv, err := h.Nominations.GetInvitation(r.Context(), h.actor(r), chi.URLParam(r, "id"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p := invitationPage{Base: h.base(r, "joint.invitation.title"), Inv: inv}
	if refused != nil {
		ref, ok := nomExplain(p.L, refused, inv.Deadline)
		if !ok {
			h.Error(w, r, refused)
			return
		}
		p.Errors, p.Alert = ref.Errors, ref.Alert
	}
	h.Renderer.Render(w, status, "joint_invitation", p)
}

func (h *Handler) handleInvitationShow(w http.ResponseWriter, r *http.Request) {
	h.renderInvitation(w, r, http.StatusOK, nil)
}

// handleInvitationAnswer accepts (decision=accept) or declines
// (decision=decline) an invitation. Accepting leads to the entry, now the
// organisation's too; declining back home.
func (h *Handler) handleInvitationAnswer(w http.ResponseWriter, r *http.Request) {
	if err := parseNominationForm(w, r); err != nil {
		h.renderInvitation(w, r, httpx.Status(err), err)
		return
	}
	var accept bool
	switch r.PostForm.Get("decision") {
	case "accept":
		accept = true
	case "decline":
	default:
		h.renderInvitation(w, r, http.StatusUnprocessableEntity, awards.Invalid(map[string]string{"decision": "joint.error.decision"}))
		return
	}
	inv, err := h.Nominations.AnswerInvitation(r.Context(), h.actor(r), chi.URLParam(r, "id"), accept)
	if err != nil {
		h.renderInvitation(w, r, httpx.Status(err), err)
		return
	}
	if accept {
		h.flash(r, "joint.accepted")
		h.redirect(w, r, nominationPath(inv.NominationPublicID))
		return
	}
	h.flash(r, "joint.declined")
	h.redirect(w, r, "/")
}

// handleInvitationWithdraw takes an invitation back, from the nominee
// organisations page.
func (h *Handler) handleInvitationWithdraw(w http.ResponseWriter, r *http.Request) {
	inv, err := h.Nominations.GetInvitation(r.Context(), h.actor(r), chi.URLParam(r, "id"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	if _, err := h.Nominations.WithdrawInvitation(r.Context(), h.actor(r), inv.PublicID); err != nil {
		if awards.ErrorCode(err) == awards.EForbidden {
			h.Error(w, r, err)
			return
		}
		h.refuseNominationAt(w, r, inv.NominationPublicID, err)
		return
	}
	h.flash(r, "joint.withdrawn")
	h.redirect(w, r, nominationPath(inv.NominationPublicID, "organisasjoner"))
}

// handleNominationLead hands the lead of a joint entry to another nominee.
func (h *Handler) handleNominationLead(w http.ResponseWriter, r *http.Request) {
	org, err := idParam(r, "org")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	id := chi.URLParam(r, "id")
	if err := h.Nominations.HandOverLead(r.Context(), h.actor(r), id, org); err != nil {
		h.refuseNomination(w, r, "nomination_orgs", err)
		return
	}
	h.flash(r, "joint.lead_handed_over")
	h.redirect(w, r, nominationPath(id, "organisasjoner"))
}

// refuseNominationAt shows the nominee organisations page of nomination
// id with the refusal, for a form posted from there to another address.
func (h *Handler) refuseNominationAt(w http.ResponseWriter, r *http.Request, id string, err error) {
	rctx := chi.RouteContext(r.Context())
	for i, k := range rctx.URLParams.Keys {
		if k == "id" {
			rctx.URLParams.Values[i] = id
		}
	}
	if r.PostForm == nil {
		r.PostForm = map[string][]string{}
	}
	h.refuseNomination(w, r, "nomination_orgs", err)
}

// orgFormID reads the organisation_id field of a posted form.
func orgFormID(r *http.Request) (int64, error) {
	org, err := strconv.ParseInt(r.PostForm.Get("organisation_id"), 10, 64)
	if err != nil || org <= 0 {
		return 0, awards.Invalid(map[string]string{"organisation_id": "form.error.choice"})
	}
	return org, nil
}

// invitationColor is the tag colour of an invitation's status.
func invitationColor(s nominations.InvitationStatus) string {
	switch s {
	case nominations.InvitationPending:
		return "warning"
	case nominations.InvitationAccepted:
		return "success"
	}
	return "neutral"
}
