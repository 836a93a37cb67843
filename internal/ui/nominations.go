package ui

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/nominations"
	"github.com/heder-awards/heder/internal/notify"
	"github.com/heder-awards/heder/internal/policy"
)

// nominationRoutes are the submitter's pages: the nomination as a task
// list, one short page per part, check and submit, and the admin's
// eligibility decision. The service decides about each nomination.
func (h *Handler) nominationRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodGet, Pattern: "/sykluser/{cycle}/nominasjoner/ny", Gate: policy.LoggedIn, Handler: h.handleNominationNew},
		{Method: http.MethodPost, Pattern: "/sykluser/{cycle}/nominasjoner", Gate: policy.LoggedIn, Handler: h.handleNominationStart},
		{Method: http.MethodGet, Pattern: "/nominasjoner/{id}", Gate: policy.LoggedIn, Handler: h.handleNominationShow},
		{Method: http.MethodGet, Pattern: "/nominasjoner/{id}/fakta", Gate: policy.LoggedIn, Handler: h.handleNominationFacts},
		{Method: http.MethodPost, Pattern: "/nominasjoner/{id}/fakta", Gate: policy.LoggedIn, Handler: h.handleNominationFactsSave},
		{Method: http.MethodGet, Pattern: "/nominasjoner/{id}/organisasjoner", Gate: policy.LoggedIn, Handler: h.handleNominationOrgs},
		{Method: http.MethodPost, Pattern: "/nominasjoner/{id}/organisasjoner", Gate: policy.LoggedIn, Handler: h.handleNominationOrgAdd},
		{Method: http.MethodPost, Pattern: "/nominasjoner/{id}/organisasjoner/{org}/fjern", Gate: policy.LoggedIn, Handler: h.handleNominationOrgRemove},
		{Method: http.MethodGet, Pattern: "/nominasjoner/{id}/kontakt", Gate: policy.LoggedIn, Handler: h.handleNominationContact},
		{Method: http.MethodPost, Pattern: "/nominasjoner/{id}/kontakt", Gate: policy.LoggedIn, Handler: h.handleNominationContactSave},
		{Method: http.MethodGet, Pattern: "/nominasjoner/{id}/prosjekter/ny", Gate: policy.LoggedIn, Handler: h.handleProjectNew},
		{Method: http.MethodPost, Pattern: "/nominasjoner/{id}/prosjekter", Gate: policy.LoggedIn, Handler: h.handleProjectAdd},
		{Method: http.MethodGet, Pattern: "/nominasjoner/{id}/prosjekter/{project}", Gate: policy.LoggedIn, Handler: h.handleProjectEdit},
		{Method: http.MethodPost, Pattern: "/nominasjoner/{id}/prosjekter/{project}", Gate: policy.LoggedIn, Handler: h.handleProjectSave},
		{Method: http.MethodPost, Pattern: "/nominasjoner/{id}/prosjekter/{project}/fjern", Gate: policy.LoggedIn, Handler: h.handleProjectUnlink},
		{Method: http.MethodGet, Pattern: "/nominasjoner/{id}/send-inn", Gate: policy.LoggedIn, Handler: h.handleNominationReview},
		{Method: http.MethodPost, Pattern: "/nominasjoner/{id}/send-inn", Gate: policy.LoggedIn, Handler: h.handleNominationSubmit},
		{Method: http.MethodGet, Pattern: "/nominasjoner/{id}/sendt", Gate: policy.LoggedIn, Handler: h.handleNominationSent},
		{Method: http.MethodPost, Pattern: "/nominasjoner/{id}/trekk", Gate: policy.LoggedIn, Handler: h.handleNominationWithdraw},
		{Method: http.MethodPost, Pattern: "/nominasjoner/{id}/slett", Gate: policy.LoggedIn, Handler: h.handleNominationDelete},
		{Method: http.MethodPost, Pattern: "/nominasjoner/{id}/ugyldig", Gate: policy.Admin, Handler: h.handleNominationIneligible},
		{Method: http.MethodPost, Pattern: "/nominasjoner/{id}/frist", Gate: policy.Admin, Handler: h.handleNominationExtension},
	}
}

func nominationPath(id string, part ...string) string {
	p := "/nominasjoner/" + url.PathEscape(id)
	for _, s := range part {
		p += "/" + s
	}
	return p
}

// task is one line of the task list.
type task struct {
	Label, Href, Status, Color string
}

// statusTag is how a status is shown: its label and tag colour.
func statusTag(l *i18n.Localizer, s nominations.Status) (string, string) {
	switch s {
	case nominations.Complete:
		return l.T("nominations.task.complete"), "success"
	case nominations.InProgress:
		return l.T("nominations.task.in_progress"), "warning"
	}
	return l.T("nominations.task.not_started"), "neutral"
}

// missingLink is an item of the checklist, linked to the page that fixes it.
type missingLink struct {
	Text, Href string
}

type choice struct {
	Value, Label string
}

// nominationPage is the data of every nomination page.
type nominationPage struct {
	Base
	N   nominations.View
	Now time.Time
	// Part is true on the page of one part, headed by the part's name.
	Part  bool
	Tasks []task
	// StatusLabel and StatusColor show the nomination's status.
	StatusLabel, StatusColor string
	Missing                  []missingLink
	Challenges               []choice
	// Form holds the values shown in the form: the stored ones, or what
	// the person posted when the save was refused.
	Form   map[string]string
	Errors map[string]string
	Alert  string
	// Theirs is the version someone else saved while this person edited;
	// TheirsAt says when.
	Theirs   *nominations.View
	TheirsAt string
	// Query and Found search organisations to add as co-nominees.
	Query string
	Found []awards.Organisation
	// ProjectHeadings are "Prosjekt 1: …" for each linked project.
	ProjectHeadings []string
	// NomineeNames lists the nominee organisations.
	NomineeNames string
	ReceiptPath  string
	// Result is the outcome and the jury's feedback, on the main page
	// once public (internal/ui/publication.go).
	Result *nominationResult
}

func (h *Handler) nominationPage(r *http.Request, v nominations.View) nominationPage {
	p := nominationPage{Base: h.base(r, ""), N: v, Now: time.Now(), Form: map[string]string{}}
	l := p.L
	p.Title = v.Title
	if p.Title == "" {
		p.Title = l.T("nominations.untitled")
	}
	p.StatusLabel, p.StatusColor = nominationStatus(l, v)
	prog := nominations.ProgressOf(v.Nomination)
	add := func(label, href string, s nominations.Status) {
		t := task{Label: label, Href: href}
		t.Status, t.Color = statusTag(l, s)
		p.Tasks = append(p.Tasks, t)
	}
	add(l.T("nominations.part.facts"), nominationPath(v.PublicID, "fakta"), prog.Facts)
	add(l.T("nominations.part.nominees"), nominationPath(v.PublicID, "organisasjoner"), prog.Nominees)
	for i, pr := range v.Projects {
		heading := l.T("nominations.part.project", "Count", i+1, "Title", pr.Title)
		p.ProjectHeadings = append(p.ProjectHeadings, heading)
		add(heading, nominationPath(v.PublicID, "prosjekter", pr.PublicID), prog.Projects[i])
	}
	switch {
	case len(v.Projects) == 0:
		add(l.T("nominations.part.first_project"), nominationPath(v.PublicID, "prosjekter", "ny"), nominations.NotStarted)
	case v.CanEdit && len(v.Projects) < v.Cycle.MaxProjects:
		// Another project is optional: a line without a status.
		p.Tasks = append(p.Tasks, task{Label: l.T("nominations.part.more_projects", "Count", len(v.Projects)+1),
			Href: nominationPath(v.PublicID, "prosjekter", "ny")})
	}
	var names []string
	for _, o := range v.Nominees {
		names = append(names, o.Name)
	}
	p.NomineeNames = strings.Join(names, ", ")
	add(l.T("nominations.part.contact"), nominationPath(v.PublicID, "kontakt"), prog.Contact)
	add(l.T("nominations.part.submit"), nominationPath(v.PublicID, "send-inn"), prog.Submit)
	for _, m := range nominations.Checklist(v.Nomination) {
		text := l.T(m.Key)
		for i, pr := range v.Projects {
			if m.Project != "" && pr.PublicID == m.Project {
				// With two projects, "describe the project" must say which.
				text = l.T("nominations.missing.in_project", "Count", i+1, "Text", text)
			}
		}
		href := nominationPath(v.PublicID, "fakta") + "#" + m.Field
		switch {
		case m.Project != "":
			href = nominationPath(v.PublicID, "prosjekter", m.Project) + "#" + m.Field[strings.LastIndexByte(m.Field, '.')+1:]
		case m.Field == "projects":
			href = nominationPath(v.PublicID, "prosjekter", "ny")
		case strings.HasPrefix(m.Field, "contact_"):
			href = nominationPath(v.PublicID, "kontakt") + "#" + m.Field
		}
		p.Missing = append(p.Missing, missingLink{Text: text, Href: href})
	}
	for _, c := range awards.Challenges {
		p.Challenges = append(p.Challenges, choice{Value: string(c), Label: l.T("nominations.challenge." + string(c))})
	}
	p.ReceiptPath = notify.ReceiptPath(v.PublicID)
	p.fill(v)
	return p
}

// fill puts the stored values into the form.
func (p *nominationPage) fill(v nominations.View) {
	p.Form = map[string]string{"title": v.Title, "summary": v.Summary, "challenge": string(v.Challenge),
		"contact_name": v.ContactName, "contact_email": v.ContactEmail, "contact_phone": v.ContactPhone,
		"version": strconv.Itoa(v.Version)}
}

// nominationStatus is the label and colour of a nomination's status; a
// submitted nomination past its deadline is "under assessment".
func nominationStatus(l *i18n.Localizer, v nominations.View) (string, string) {
	switch v.Status {
	case awards.StatusSubmitted:
		if !v.Open {
			return l.T("nominations.status.assessment"), "info"
		}
		return l.T("nominations.status.submitted"), "success"
	case awards.StatusDraft:
		return l.T("nominations.status.draft"), "neutral"
	case awards.StatusWithdrawn, awards.StatusIneligible:
		return l.T("nominations.status." + string(v.Status)), "danger"
	}
	return l.T("nominations.status." + string(v.Status)), "accent"
}

// loadNomination reads the nomination of the request's {id}.
func (h *Handler) loadNomination(r *http.Request) (nominations.View, error) {
	return h.Nominations.Get(r.Context(), h.actor(r), chi.URLParam(r, "id"))
}

// partTitles are the headings of the pages for one part of a nomination;
// the task list and the confirmation are headed by the nomination's title.
var partTitles = map[string]string{
	"nomination_facts":   "nominations.part.facts",
	"nomination_orgs":    "nominations.part.nominees",
	"nomination_contact": "nominations.part.contact",
	"nomination_submit":  "nominations.part.submit",
}

// pageFor is the data of page, one of the nomination's pages.
func (h *Handler) pageFor(r *http.Request, v nominations.View, page string) nominationPage {
	p := h.nominationPage(r, v)
	if key, ok := partTitles[page]; ok {
		p.Title, p.Part = p.L.T(key), true
	}
	return p
}

// showNomination renders one of the nomination's pages.
func (h *Handler) showNomination(w http.ResponseWriter, r *http.Request, page string) {
	v, err := h.loadNomination(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p := h.pageFor(r, v, page)
	if err := h.addResult(r, &p, page); err != nil {
		h.Error(w, r, err)
		return
	}
	h.Renderer.Render(w, http.StatusOK, page, p)
}

// refuseNomination shows page again after a refused save, with the
// person's own input, the messages, and (when someone else saved first)
// the other version beside it.
func (h *Handler) refuseNomination(w http.ResponseWriter, r *http.Request, page string, err error) {
	v, lerr := h.loadNomination(r)
	if lerr != nil {
		h.Error(w, r, lerr)
		return
	}
	p := h.pageFor(r, v, page)
	if rerr := h.addResult(r, &p, page); rerr != nil {
		h.Error(w, r, rerr)
		return
	}
	ref, ok := nomExplain(p.L, err, v.Cycle.NominationDeadline)
	if !ok {
		h.Error(w, r, err)
		return
	}
	p.Errors, p.Alert = ref.Errors, ref.Alert
	if page == "nomination_submit" && len(p.Errors) > 0 {
		// The checklist on the page lists what is missing, with links.
		p.Errors, p.Alert = nil, p.L.T("nominations.error.incomplete")
	}
	for k := range r.PostForm {
		p.Form[k] = r.PostForm.Get(k)
	}
	var stale *nominations.StaleError
	if errors.As(err, &stale) {
		p.Theirs, p.TheirsAt = &v, p.L.FormatTime(v.UpdatedAt)
		p.Alert = p.L.T("nominations.stale", "Date", p.TheirsAt)
		// The next save is made against the version the person has now
		// seen beside their own text.
		p.Form["version"] = strconv.Itoa(v.Version)
	}
	h.Renderer.Render(w, httpx.Status(err), page, p)
}

// nominationStartForm is the data of the "Start nomination" form
// (template "nomination-start-form"), which the cycle page can show too.
type nominationStartForm struct {
	L      *i18n.Localizer
	Start  nominations.Start
	Form   map[string]string
	Errors map[string]string
}

// nominationStartForm returns the "Start nomination" form for a cycle.
func (h *Handler) nominationStartForm(r *http.Request, cycle string) (nominationStartForm, error) {
	start, err := h.Nominations.StartOptions(r.Context(), h.actor(r), cycle)
	return nominationStartForm{L: h.Bundle.Localizer(httpx.LangFrom(r.Context())), Start: start,
		Form: map[string]string{}, Errors: map[string]string{}}, err
}

type nominationStartPage struct {
	Base
	StartForm nominationStartForm
	Errors    map[string]string
	Alert     string
}

// handleNominationNew shows the "Start nomination" form on its own page;
// the cycle page may carry the same form.
func (h *Handler) handleNominationNew(w http.ResponseWriter, r *http.Request) {
	h.renderStart(w, r, http.StatusOK, nil)
}

func (h *Handler) renderStart(w http.ResponseWriter, r *http.Request, status int, err error) {
	form, serr := h.nominationStartForm(r, chi.URLParam(r, "cycle"))
	if serr != nil {
		h.Error(w, r, serr)
		return
	}
	p := nominationStartPage{Base: h.base(r, "nominations.start.title"), StartForm: form}
	if err != nil {
		ref, ok := nomExplain(p.L, err, form.Start.Cycle.NominationDeadline)
		if !ok {
			h.Error(w, r, err)
			return
		}
		p.Errors, p.Alert = ref.Errors, ref.Alert
		p.StartForm.Errors = ref.Errors
		p.StartForm.Form["organisation_id"] = r.PostForm.Get("organisation_id")
	}
	h.Renderer.Render(w, status, "nomination_start", p)
}

func (h *Handler) handleNominationStart(w http.ResponseWriter, r *http.Request) {
	if err := parseNominationForm(w, r); err != nil {
		h.renderStart(w, r, http.StatusUnprocessableEntity, err)
		return
	}
	var org int64
	if s := r.PostForm.Get("organisation_id"); s != "" {
		var err error
		if org, err = strconv.ParseInt(s, 10, 64); err != nil || org <= 0 {
			h.renderStart(w, r, http.StatusUnprocessableEntity, awards.Invalid(map[string]string{"organisation_id": "form.error.choice"}))
			return
		}
	}
	cycle := chi.URLParam(r, "cycle")
	v, err := h.Nominations.Create(r.Context(), h.actor(r), cycle, org, nominations.Fields{})
	if errors.Is(err, nominations.ErrChooseOrg) {
		// A plain "Start nomination" button (as on the cycle page) from
		// someone in several organisations: ask which, without an error.
		h.redirect(w, r, "/sykluser/"+url.PathEscape(cycle)+"/nominasjoner/ny")
		return
	}
	if err != nil {
		h.renderStart(w, r, httpx.Status(err), err)
		return
	}
	h.flash(r, "nominations.created")
	h.redirect(w, r, nominationPath(v.PublicID))
}

func (h *Handler) handleNominationShow(w http.ResponseWriter, r *http.Request) {
	h.showNomination(w, r, "nomination")
}

func (h *Handler) handleNominationFacts(w http.ResponseWriter, r *http.Request) {
	h.showNomination(w, r, "nomination_facts")
}

func (h *Handler) handleNominationContact(w http.ResponseWriter, r *http.Request) {
	h.showNomination(w, r, "nomination_contact")
}

func (h *Handler) handleNominationReview(w http.ResponseWriter, r *http.Request) {
	h.showNomination(w, r, "nomination_submit")
}

// saveNomination saves the part of the nomination that page edits.
func (h *Handler) saveNomination(w http.ResponseWriter, r *http.Request, page string, fields func() nominations.Fields) {
	if err := parseNominationForm(w, r); err != nil {
		h.refuseNomination(w, r, page, err)
		return
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	v, err := h.Nominations.Update(r.Context(), h.actor(r), chi.URLParam(r, "id"), version, fields())
	if err != nil {
		h.refuseNomination(w, r, page, err)
		return
	}
	h.flash(r, "nominations.saved")
	h.redirect(w, r, nominationPath(v.PublicID))
}

func (h *Handler) handleNominationFactsSave(w http.ResponseWriter, r *http.Request) {
	h.saveNomination(w, r, "nomination_facts", func() nominations.Fields {
		return nominations.Fields{Title: nomFormPtr(r, "title"), Summary: nomFormPtr(r, "summary"), Challenge: nomFormPtr(r, "challenge")}
	})
}

func (h *Handler) handleNominationContactSave(w http.ResponseWriter, r *http.Request) {
	h.saveNomination(w, r, "nomination_contact", func() nominations.Fields {
		return nominations.Fields{ContactName: nomFormPtr(r, "contact_name"), ContactEmail: nomFormPtr(r, "contact_email"),
			ContactPhone: nomFormPtr(r, "contact_phone")}
	})
}

func (h *Handler) handleNominationOrgs(w http.ResponseWriter, r *http.Request) {
	v, err := h.loadNomination(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p := h.pageFor(r, v, "nomination_orgs")
	if p.Query = strings.TrimSpace(r.URL.Query().Get("q")); p.Query != "" && v.CanInvite {
		found, err := h.Orgs.Search(r.Context(), p.Query, 20)
		if err != nil {
			h.Error(w, r, err)
			return
		}
		for _, o := range found {
			if o.ValidTo == nil && v.Cycle.Eligible(o.Kind) && !isNominee(v, o.ID) && !isInvited(v, o.ID) {
				p.Found = append(p.Found, o)
			}
		}
	}
	h.Renderer.Render(w, http.StatusOK, "nomination_orgs", p)
}

func isInvited(v nominations.View, org int64) bool {
	for _, inv := range v.Invitations {
		if inv.Organisation.ID == org && inv.Status == nominations.InvitationPending {
			return true
		}
	}
	return false
}

func isNominee(v nominations.View, org int64) bool {
	for _, o := range v.Nominees {
		if o.ID == org {
			return true
		}
	}
	return false
}

// handleNominationOrgAdd invites an organisation to the entry: it joins
// when one of its members accepts.
func (h *Handler) handleNominationOrgAdd(w http.ResponseWriter, r *http.Request) {
	if err := parseNominationForm(w, r); err != nil {
		h.refuseNomination(w, r, "nomination_orgs", err)
		return
	}
	org, err := orgFormID(r)
	if err != nil {
		h.refuseNomination(w, r, "nomination_orgs", err)
		return
	}
	id := chi.URLParam(r, "id")
	if _, err := h.Nominations.Invite(r.Context(), h.actor(r), id, org); err != nil {
		h.refuseNomination(w, r, "nomination_orgs", err)
		return
	}
	h.flash(r, "joint.invited")
	h.redirect(w, r, nominationPath(id, "organisasjoner"))
}

func (h *Handler) handleNominationOrgRemove(w http.ResponseWriter, r *http.Request) {
	org, err := idParam(r, "org")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	id := chi.URLParam(r, "id")
	if err := h.Nominations.RemoveNominee(r.Context(), h.actor(r), id, org); err != nil {
		h.refuseNomination(w, r, "nomination_orgs", err)
		return
	}
	h.flash(r, "nominations.nominee_removed")
	if h.actor(r).MemberOf(org) {
		// The person may have taken their own organisation off the entry.
		h.redirect(w, r, "/")
		return
	}
	h.redirect(w, r, nominationPath(id, "organisasjoner"))
}

func (h *Handler) handleNominationSubmit(w http.ResponseWriter, r *http.Request) {
	v, err := h.Nominations.Submit(r.Context(), h.actor(r), chi.URLParam(r, "id"))
	if err != nil {
		h.refuseNomination(w, r, "nomination_submit", err)
		return
	}
	h.redirect(w, r, nominationPath(v.PublicID, "sendt"))
}

// handleNominationSent is the confirmation after submitting: what happened
// and what comes next.
func (h *Handler) handleNominationSent(w http.ResponseWriter, r *http.Request) {
	v, err := h.loadNomination(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	if v.Status != awards.StatusSubmitted {
		h.redirect(w, r, nominationPath(v.PublicID))
		return
	}
	h.Renderer.Render(w, http.StatusOK, "nomination_sent", h.nominationPage(r, v))
}

func (h *Handler) handleNominationWithdraw(w http.ResponseWriter, r *http.Request) {
	v, err := h.Nominations.Withdraw(r.Context(), h.actor(r), chi.URLParam(r, "id"))
	if err != nil {
		h.refuseNomination(w, r, "nomination", err)
		return
	}
	h.flash(r, "nominations.withdrawn")
	h.redirect(w, r, nominationPath(v.PublicID))
}

// handleNominationDelete deletes a draft never submitted and returns to
// the home page, which lists the person's nominations.
func (h *Handler) handleNominationDelete(w http.ResponseWriter, r *http.Request) {
	if err := h.Nominations.Delete(r.Context(), h.actor(r), chi.URLParam(r, "id")); err != nil {
		h.refuseNomination(w, r, "nomination", err)
		return
	}
	h.flash(r, "nominations.deleted")
	h.redirect(w, r, "/")
}

func (h *Handler) handleNominationIneligible(w http.ResponseWriter, r *http.Request) {
	if err := parseNominationForm(w, r); err != nil {
		h.refuseNomination(w, r, "nomination", err)
		return
	}
	ineligible := r.PostForm.Get("ineligible") != "false"
	v, err := h.Nominations.SetIneligible(r.Context(), h.actor(r), chi.URLParam(r, "id"), ineligible, r.PostForm.Get("reason"))
	if err != nil {
		h.refuseNomination(w, r, "nomination", err)
		return
	}
	if ineligible {
		h.flash(r, "nominations.marked_ineligible")
	} else {
		h.flash(r, "nominations.marked_eligible")
	}
	h.redirect(w, r, nominationPath(v.PublicID))
}

// handleNominationExtension gives the nomination a later deadline (the
// time read as Oslo time), or takes it back (remove=true).
func (h *Handler) handleNominationExtension(w http.ResponseWriter, r *http.Request) {
	if err := parseNominationForm(w, r); err != nil {
		h.refuseNomination(w, r, "nomination", err)
		return
	}
	var until *time.Time
	if r.PostForm.Get("remove") != "true" {
		t, ok := osloTime(r.PostForm.Get("extended_until"))
		if !ok {
			h.refuseNomination(w, r, "nomination", awards.Invalid(map[string]string{"extended_until": "cycles.error.datetime"}))
			return
		}
		until = &t
	}
	v, err := h.Nominations.SetExtension(r.Context(), h.actor(r), chi.URLParam(r, "id"), until, r.PostForm.Get("extension_reason"))
	if err != nil {
		h.refuseNomination(w, r, "nomination", err)
		return
	}
	if until != nil {
		h.flash(r, "nominations.extension_saved")
	} else {
		h.flash(r, "nominations.extension_removed")
	}
	h.redirect(w, r, nominationPath(v.PublicID))
}

// homeNominations are the nominations of the person's organisations that
// the home page lists, with their deadlines.
type homeNominations struct {
	Items []homeNomination
	// Invitations ask the person's organisations to join joint entries:
	// pending ones are tasks.
	Invitations []nominations.Invitation
	Now         time.Time
}

type homeNomination struct {
	nominations.Summary
	StatusLabel, StatusColor string
}

func (h *Handler) homeNominations(r *http.Request, l *i18n.Localizer) (homeNominations, error) {
	out := homeNominations{Now: time.Now()}
	list, err := h.Nominations.Mine(r.Context(), h.actor(r))
	if err != nil {
		return out, err
	}
	invitations, err := h.Nominations.MyInvitations(r.Context(), h.actor(r))
	if err != nil {
		return out, err
	}
	for _, inv := range invitations {
		if inv.Status == nominations.InvitationPending {
			out.Invitations = append(out.Invitations, inv)
		}
	}
	for _, s := range list {
		label, color := nominationStatus(l, nominations.View{Nomination: awards.Nomination{Status: s.Status}, Open: s.Open})
		out.Items = append(out.Items, homeNomination{Summary: s, StatusLabel: label, StatusColor: color})
	}
	return out, nil
}
