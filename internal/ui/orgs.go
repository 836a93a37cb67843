package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/orgs"
	"github.com/heder-awards/heder/internal/policy"
)

type orgsPage struct {
	Base
	Query string
	Orgs  []awards.Organisation
	// New is the form that creates an organisation, for site admins.
	New     *form
	Errors  []fieldError
	Problem string
}

func (h *Handler) handleOrgList(w http.ResponseWriter, r *http.Request) {
	h.renderOrgList(w, r, refusal{})
}

func (h *Handler) renderOrgList(w http.ResponseWriter, r *http.Request, rf refusal) {
	p := orgsPage{Base: h.base(r, "orgs.title"), Query: r.URL.Query().Get("q")}
	var err error
	if p.Orgs, err = h.Orgs.Search(r.Context(), p.Query, 100); err != nil {
		h.Error(w, r, err)
		return
	}
	if policy.CanEditOrganisation(p.Actor) {
		parents, err := h.Orgs.ParentCandidates(r.Context())
		if err != nil {
			h.Error(w, r, err)
			return
		}
		f := newOrgForm(p.L, rf, parents)
		p.New = &f
		p.Errors = errorList(p.New)
	}
	render(h, w, rf, "orgs", p)
}

// newOrgForm is the form that creates an organisation: every kind but the
// municipality (SSB's list gives those), and a parent chosen among the
// organisations that can be one.
func newOrgForm(l *i18n.Localizer, rf refusal, parents []awards.Organisation) form {
	values := rf.values
	if values == nil {
		values = url.Values{"language": {"nb"}}
	}
	// No kind is chosen beforehand, so that a forgotten choice is asked
	// for rather than made.
	kinds := []formOption{{Value: "", Label: l.T("orgs.choose_kind")}}
	for _, k := range awards.OrgKinds {
		if k.Creatable() {
			kinds = append(kinds, formOption{Value: string(k), Label: l.T("orgs.kind." + string(k))})
		}
	}
	options := []formOption{{Value: "", Label: l.T("orgs.parent_none")}}
	for _, o := range parents {
		options = append(options, formOption{Value: strconv.FormatInt(o.ID, 10), Label: o.Name + " (" + l.T("orgs.kind."+string(o.Kind)) + ")"})
	}
	languages := []formOption{{Value: "nb", Label: l.T("lang.nb")}, {Value: "nn", Label: l.T("lang.nn")}}
	return newForm(l, "new-org", "/organisasjoner", "orgs.create_button", values, rf.errs).
		number("orgnr", "orgs.orgnr", "orgs.hint.orgnr", "numeric", true).
		text("name", "orgs.field.name", "", true, 300).
		choices("kind", "orgs.field.kind", "", "select", true, kinds).
		choices("parent_id", "orgs.field.parent", "orgs.hint.parent", "select", false, options).
		choices("language", "orgs.language", "", "select", true, languages).f
}

func (h *Handler) handleOrgCreate(w http.ResponseWriter, r *http.Request) {
	parent, _ := strconv.ParseInt(r.PostFormValue("parent_id"), 10, 64) // "" is none
	o, err := h.Orgs.Create(r.Context(), h.actor(r), orgs.NewOrganisation{Orgnr: r.PostFormValue("orgnr"),
		Kind: awards.OrgKind(r.PostFormValue("kind")), Name: r.PostFormValue("name"), ParentID: parent,
		Language: r.PostFormValue("language")})
	if err != nil {
		errs := translateFields(h.Bundle.Localizer(httpx.LangFrom(r.Context())), err)
		if errs == nil {
			h.Error(w, r, err)
			return
		}
		h.renderOrgList(w, r, refusal{values: r.PostForm, errs: errs, status: httpx.Status(err)})
		return
	}
	h.flash(r, "orgs.created")
	h.redirect(w, r, "/organisasjoner/"+strconv.FormatInt(o.ID, 10))
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
