package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/orgs"
	"github.com/heder-awards/heder/internal/policy"
)

type orgsPage struct {
	Base
	Query string
	Orgs  []awards.Organisation
}

func (h *Handler) handleOrgList(w http.ResponseWriter, r *http.Request) {
	p := orgsPage{Base: h.base(r, "orgs.title"), Query: r.URL.Query().Get("q")}
	var err error
	if p.Orgs, err = h.Orgs.Search(r.Context(), p.Query, 100); err != nil {
		h.Error(w, r, err)
		return
	}
	h.Renderer.Render(w, http.StatusOK, "orgs", p)
}

type orgPage struct {
	Base
	Org       awards.Organisation
	Member    bool
	CanManage bool
	CanEdit   bool
	Members   []orgs.Member
	Requests  []orgs.Request
	Errors    map[string]string
	Form      map[string]string
}

func (h *Handler) orgPage(r *http.Request, id int64) (orgPage, error) {
	org, err := h.Orgs.Get(r.Context(), id)
	if err != nil {
		return orgPage{}, err
	}
	p := orgPage{Base: h.base(r, ""), Org: org, Form: map[string]string{}}
	p.Title = org.Name
	p.Member = p.Actor.MemberOf(id)
	p.CanManage = policy.CanManageMembers(p.Actor, id)
	p.CanEdit = policy.CanEditOrganisation(p.Actor)
	if p.CanManage {
		if p.Members, err = h.Orgs.Members(r.Context(), p.Actor, id); err != nil {
			return p, err
		}
		all, err := h.Orgs.PendingRequests(r.Context(), p.Actor)
		if err != nil {
			return p, err
		}
		for _, req := range all {
			if req.OrganisationID == id {
				p.Requests = append(p.Requests, req)
			}
		}
	}
	return p, nil
}

func (h *Handler) handleOrgShow(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p, err := h.orgPage(r, id)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.Renderer.Render(w, http.StatusOK, "org", p)
}

// renderOrgErrors re-renders the organisation page with field errors.
func (h *Handler) renderOrgErrors(w http.ResponseWriter, r *http.Request, id int64, err error) {
	fields := awards.ErrorFields(err)
	if len(fields) == 0 {
		h.Error(w, r, err)
		return
	}
	p, perr := h.orgPage(r, id)
	if perr != nil {
		h.Error(w, r, perr)
		return
	}
	p.Errors = map[string]string{}
	for k, v := range fields {
		p.Errors[k] = p.L.T(v)
	}
	for k := range r.PostForm {
		p.Form[k] = r.PostForm.Get(k)
	}
	h.Renderer.Render(w, http.StatusUnprocessableEntity, "org", p)
}

func (h *Handler) handleOrgRequestAccess(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	if _, err := h.Orgs.RequestAccess(r.Context(), h.actor(r), id, r.PostFormValue("message")); err != nil {
		h.renderOrgErrors(w, r, id, err)
		return
	}
	h.flash(r, "orgs.request_submitted")
	h.redirect(w, r, "/organisasjoner/"+strconv.FormatInt(id, 10))
}

func (h *Handler) handleOrgAddMember(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	if err := h.Orgs.AddMemberByEmail(r.Context(), h.actor(r), id, r.PostFormValue("email"), r.PostFormValue("role")); err != nil {
		h.renderOrgErrors(w, r, id, err)
		return
	}
	h.flash(r, "orgs.member_added")
	h.redirect(w, r, "/organisasjoner/"+strconv.FormatInt(id, 10))
}

func (h *Handler) handleOrgRemoveMember(w http.ResponseWriter, r *http.Request) {
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
	if err := h.Orgs.RemoveMember(r.Context(), h.actor(r), id, userID); err != nil {
		h.Error(w, r, err)
		return
	}
	h.flash(r, "orgs.member_removed")
	h.redirect(w, r, "/organisasjoner/"+strconv.FormatInt(id, 10))
}

func (h *Handler) handleOrgUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	orgnr := strings.TrimSpace(r.PostFormValue("orgnr"))
	domain := r.PostFormValue("email_domain")
	lang := r.PostFormValue("language")
	if _, err := h.Orgs.Update(r.Context(), h.actor(r), id, orgs.Update{Orgnr: &orgnr, EmailDomain: &domain, Language: &lang}); err != nil {
		h.renderOrgErrors(w, r, id, err)
		return
	}
	h.flash(r, "orgs.saved")
	h.redirect(w, r, "/organisasjoner/"+strconv.FormatInt(id, 10))
}

func (h *Handler) handleRequestDecide(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	req, err := h.Orgs.DecideRequest(r.Context(), h.actor(r), 0, id, r.PostFormValue("decision") == "approve")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.flash(r, "orgs.request_decided")
	h.redirect(w, r, "/organisasjoner/"+strconv.FormatInt(req.OrganisationID, 10))
}

type adminPage struct {
	Base
	Query string
	Users []awards.User
}

func (h *Handler) handleAdmin(w http.ResponseWriter, r *http.Request) {
	p := adminPage{Base: h.base(r, "admin.title"), Query: r.URL.Query().Get("q")}
	var err error
	if p.Users, err = h.Users.List(r.Context(), p.Actor, p.Query); err != nil {
		h.Error(w, r, err)
		return
	}
	h.Renderer.Render(w, http.StatusOK, "admin", p)
}

func (h *Handler) handleAdminGrant(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	if err := h.Users.SetAdmin(r.Context(), h.actor(r), id, r.PostFormValue("admin") == "true"); err != nil {
		h.Error(w, r, err)
		return
	}
	h.flash(r, "admin.saved")
	h.redirect(w, r, "/admin")
}
