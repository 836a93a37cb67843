package ui

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/owners"
	"github.com/heder-awards/heder/internal/policy"
)

// ownerRoutes are the pages of award owners: site admins make an
// organisation an owner with its first admin; the owner's admins add and
// remove each other and set how long personal data is kept.
func (h *Handler) ownerRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodGet, Pattern: "/admin/eiere", Gate: policy.Admin, Handler: h.handleOwnerList},
		{Method: http.MethodPost, Pattern: "/admin/eiere", Gate: policy.SiteAdmin, Handler: h.handleOwnerCreate},
		{Method: http.MethodGet, Pattern: "/admin/eiere/{id}", Gate: policy.Admin, Handler: h.handleOwnerShow},
		{Method: http.MethodPost, Pattern: "/admin/eiere/{id}/admins", Gate: policy.Admin, Handler: h.handleOwnerAdminAdd},
		{Method: http.MethodPost, Pattern: "/admin/eiere/{id}/admins/{user}/fjern", Gate: policy.Admin, Handler: h.handleOwnerAdminRemove},
		{Method: http.MethodPost, Pattern: "/admin/eiere/{id}/lagring", Gate: policy.Admin, Handler: h.handleOwnerRetention},
	}
}

func ownerPath(id int64) string { return "/admin/eiere/" + strconv.FormatInt(id, 10) }

type ownersPage struct {
	cyclesBase
	Owners []owners.Owner
	// New is the site admins' form that makes an organisation an owner.
	New *form
}

func (h *Handler) handleOwnerList(w http.ResponseWriter, r *http.Request) {
	h.renderOwners(w, r, refusal{})
}

func (h *Handler) renderOwners(w http.ResponseWriter, r *http.Request, rf refusal) {
	ctx, actor := r.Context(), h.actor(r)
	p := ownersPage{cyclesBase: h.cyclesBase(r, "owners.title")}
	var err error
	if p.Owners, err = h.Owners.List(ctx, actor); err != nil {
		h.Error(w, r, err)
		return
	}
	if policy.CanCreateOwner(actor) {
		orgs, err := h.Cycles.Owners(ctx, actor)
		if err != nil {
			h.Error(w, r, err)
			return
		}
		taken := map[int64]bool{}
		for _, o := range p.Owners {
			taken[o.ID] = true
		}
		opts := []formOption{{Value: "", Label: p.L.T("owners.choose_organisation")}}
		for _, o := range orgs {
			if !taken[o.ID] {
				opts = append(opts, formOption{Value: strconv.FormatInt(o.ID, 10), Label: o.Name})
			}
		}
		values := rf.values
		if values == nil {
			values = url.Values{}
		}
		b := newForm(p.L, "new-owner", "/admin/eiere", "owners.create", values, rf.errs).
			choices("organisation_id", "owners.field.organisation", "owners.hint.organisation", "select", true, opts).
			text("email", "owners.field.first_admin", "owners.hint.admin_email", false, 320)
		p.New = &b.f
		p.Errors = errorList(p.New)
	}
	p.Problem = rf.problem
	render(h, w, rf, "owners", p)
}

func (h *Handler) handleOwnerCreate(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	p := newFormParser(r.PostForm)
	var orgID int64
	if id := p.optionalInteger("organisation_id"); id != nil {
		orgID = int64(*id)
	}
	err := p.err()
	var o owners.Owner
	if err == nil {
		o, err = h.Owners.Create(r.Context(), h.actor(r), orgID, r.PostFormValue("email"))
	}
	if err != nil {
		h.refuseOwner(w, r, err, func(rf refusal) { h.renderOwners(w, r, rf) })
		return
	}
	h.flash(r, "owners.created")
	h.redirect(w, r, ownerPath(o.ID))
}

// refuseOwner shows a refused change on its page when it is about a
// field or a known conflict, else the error page.
func (h *Handler) refuseOwner(w http.ResponseWriter, r *http.Request, err error, show func(refusal)) {
	l := h.Bundle.Localizer(httpx.LangFrom(r.Context()))
	rf := refusal{values: r.PostForm, status: httpx.Status(err), errs: translateFields(l, err)}
	if rf.errs == nil && awards.ErrorCode(err) == awards.EConflict {
		rf.problem = l.T("owners.last_admin")
	}
	if rf.errs == nil && rf.problem == "" {
		h.Error(w, r, err)
		return
	}
	show(rf)
}

type ownerPage struct {
	cyclesBase
	Owner     owners.Owner
	AddAdmin  form
	Retention form
	// Months is the retention period, 0 for none.
	Months int
}

func (h *Handler) handleOwnerShow(w http.ResponseWriter, r *http.Request) {
	h.renderOwner(w, r, refusal{}, "")
}

func (h *Handler) renderOwner(w http.ResponseWriter, r *http.Request, rf refusal, which string) {
	id, err := idParam(r, "id")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	o, err := h.Owners.Get(r.Context(), h.actor(r), id)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p := ownerPage{cyclesBase: h.cyclesBase(r, ""), Owner: o}
	p.Title = o.Name
	addValues, addErrs := url.Values{}, map[string]string(nil)
	months := ""
	if o.RetentionMonths != nil {
		months, p.Months = strconv.Itoa(*o.RetentionMonths), *o.RetentionMonths
	}
	keepValues, keepErrs := url.Values{"retention_months": {months}}, map[string]string(nil)
	switch which {
	case "admin":
		addValues, addErrs = rf.values, rf.errs
	case "retention":
		keepValues, keepErrs = rf.values, rf.errs
	}
	p.AddAdmin = newForm(p.L, "add-admin", ownerPath(o.ID)+"/admins", "owners.add_admin", addValues, addErrs).
		text("email", "owners.field.admin_email", "owners.hint.admin_email", true, 320).f
	p.Retention = newForm(p.L, "retention", ownerPath(o.ID)+"/lagring", "owners.save_retention", keepValues, keepErrs).
		number("retention_months", "owners.field.retention", "owners.hint.retention", "numeric", false).f
	p.Errors = errorList(&p.AddAdmin, &p.Retention)
	p.Problem = rf.problem
	render(h, w, rf, "owner", p)
}

func (h *Handler) handleOwnerAdminAdd(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id")
	if err == nil {
		_ = r.ParseForm()
		_, err = h.Owners.AddAdmin(r.Context(), h.actor(r), id, r.PostFormValue("email"))
	}
	if err != nil {
		h.refuseOwner(w, r, err, func(rf refusal) { h.renderOwner(w, r, rf, "admin") })
		return
	}
	h.flash(r, "owners.admin_added")
	h.redirect(w, r, ownerPath(id))
}

func (h *Handler) handleOwnerAdminRemove(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id")
	var userID int64
	if err == nil {
		userID, err = idParam(r, "user")
	}
	if err == nil {
		_, err = h.Owners.RemoveAdmin(r.Context(), h.actor(r), id, userID)
	}
	if err != nil {
		h.refuseOwner(w, r, err, func(rf refusal) { h.renderOwner(w, r, rf, "") })
		return
	}
	h.flash(r, "owners.admin_removed")
	if userID == h.actor(r).User.ID && !h.actor(r).User.IsAdmin {
		h.redirect(w, r, "/")
		return
	}
	h.redirect(w, r, ownerPath(id))
}

func (h *Handler) handleOwnerRetention(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id")
	if err == nil {
		_ = r.ParseForm()
		p := newFormParser(r.PostForm)
		months := p.optionalInteger("retention_months")
		if err = p.err(); err == nil {
			_, err = h.Owners.SetRetention(r.Context(), h.actor(r), id, months)
		}
	}
	if err != nil {
		h.refuseOwner(w, r, err, func(rf refusal) { h.renderOwner(w, r, rf, "retention") })
		return
	}
	h.flash(r, "owners.retention_saved")
	h.redirect(w, r, ownerPath(id))
}
