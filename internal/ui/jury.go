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
	"github.com/heder-awards/heder/internal/jury"
	"github.com/heder-awards/heder/internal/policy"
)

// juryRoutes are the jury's pages: the admins' jury page of a cycle, the
// invitation link, the confirmation of a seat accepted from another
// address, and the juror's conflict declaration with the chair's overview
// of who stepped aside. The service decides about each cycle.
func (h *Handler) juryRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodGet, Pattern: "/admin/sykluser/{cycle}/jury", Gate: policy.Admin, Handler: h.handleJuryAdmin},
		{Method: http.MethodPost, Pattern: "/admin/sykluser/{cycle}/jury/invitasjoner", Gate: policy.Admin, Handler: h.handleJuryInvite},
		{Method: http.MethodPost, Pattern: "/admin/sykluser/{cycle}/jury/invitasjoner/{invitation}/trekk", Gate: policy.Admin, Handler: h.handleJuryRevoke},
		{Method: http.MethodPost, Pattern: "/admin/sykluser/{cycle}/jury/medlemmer/{juror}/leder", Gate: policy.Admin, Handler: h.handleJuryChair},
		{Method: http.MethodGet, Pattern: "/admin/sykluser/{cycle}/jury/medlemmer/{juror}/fjern", Gate: policy.Admin, Handler: h.handleJuryRemoveConfirm},
		{Method: http.MethodPost, Pattern: "/admin/sykluser/{cycle}/jury/medlemmer/{juror}/fjern", Gate: policy.Admin, Handler: h.handleJuryRemove},
		{Method: http.MethodGet, Pattern: "/jury/invitasjon/{token}", Gate: policy.Public, Handler: h.handleJuryInvitationShow},
		{Method: http.MethodPost, Pattern: "/jury/invitasjon/{token}", Gate: policy.LoggedIn, Handler: h.handleJuryInvitationAccept},
		{Method: http.MethodPost, Pattern: "/jury/{cycle}/invitasjoner/{invitation}/bekreft", Gate: policy.LoggedIn, Handler: h.handleJuryConfirm},
		{Method: http.MethodGet, Pattern: "/jury/{cycle}/habilitet", Gate: policy.LoggedIn, Handler: h.handleJuryConflictsShow},
		{Method: http.MethodPost, Pattern: "/jury/{cycle}/habilitet", Gate: policy.LoggedIn, Handler: h.handleJuryConflictsSave},
		{Method: http.MethodGet, Pattern: "/jury/{cycle}/habilitet/oversikt", Gate: policy.LoggedIn, Handler: h.handleJuryConflictsOverview},
	}
}

func juryAdminPath(cycle string) string { return "/admin/sykluser/" + url.PathEscape(cycle) + "/jury" }

func juryConflictsPath(cycle string) string { return "/jury/" + url.PathEscape(cycle) + "/habilitet" }

func juryOverviewPath(cycle string) string { return juryConflictsPath(cycle) + "/oversikt" }

// juryProblems are the refusals the jury pages explain on top of the page.
var juryProblems = []struct {
	err error
	key string
}{
	{jury.ErrInvitationUnknown, "jury.error.invitation_unknown"},
	{jury.ErrInvitationExpired, "jury.error.invitation_expired"},
	{jury.ErrInvitationRevoked, "jury.error.invitation_revoked"},
	{jury.ErrInvitationUsed, "jury.error.invitation_used"},
	{jury.ErrInvitationTaken, "jury.error.invitation_taken"},
	{jury.ErrChairTaken, "jury.error.chair_seated"},
	{jury.ErrAlreadySeated, "jury.error.already_seated"},
	{jury.ErrRemoved, "jury.error.removed"},
	{jury.ErrPublished, "jury.error.published"},
	{jury.ErrAwaitingConfirmation, "jury.error.awaiting"},
	{jury.ErrNotAccepted, "jury.error.not_accepted"},
	{jury.ErrConfirmed, "jury.error.confirmed"},
}

// juryProblem returns the message explaining err, if it is a known
// refusal.
func juryProblem(l *i18n.Localizer, err error) (string, bool) {
	for _, p := range juryProblems {
		if errors.Is(err, p.err) {
			return l.T(p.key), true
		}
	}
	return "", false
}

// The admins' jury page.

type juryAdminPage struct {
	Base
	Jury     jury.Jury
	HasChair bool
	Invite   form
	Errors   []fieldError
	Problem  string
	Now      time.Time
}

// renderJuryAdmin shows the cycle's jury, with a refused change's
// messages when there is one.
func (h *Handler) renderJuryAdmin(w http.ResponseWriter, r *http.Request, rf refusal) {
	cycle := chi.URLParam(r, "cycle")
	j, err := h.Jury.Jury(r.Context(), h.actor(r), cycle)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p := juryAdminPage{Base: h.base(r, ""), Jury: j, Problem: rf.problem, Now: time.Now()}
	_, p.HasChair = j.Chair()
	p.Title = p.L.T("jury.admin.title", "Cycle", j.Cycle.Title)
	values := rf.values
	if _, posted := values["email"]; !posted {
		// Not a refused invitation: an empty form in the reader's language.
		values = url.Values{"language": {p.L.Lang()}}
	}
	b := newForm(p.L, "invite", juryAdminPath(cycle)+"/invitasjoner", "jury.admin.invite_button", values, rf.errs).
		text("name", "jury.field.name", "", true, 200).
		add(formField{Name: "email", Type: "email", Required: true, MaxLength: 320}, "jury.field.email", "jury.hint.email").
		checkbox("chair", "jury.field.chair", "jury.hint.chair")
	var langs []formOption
	for _, code := range i18n.Langs {
		langs = append(langs, formOption{Value: code, Label: p.L.T("lang." + code)})
	}
	b.choices("language", "jury.field.language", "jury.hint.language", "select", true, langs)
	p.Invite = b.f
	p.Errors = errorList(&p.Invite)
	if len(p.Errors) == 0 && len(rf.errs) > 0 {
		// A field this form does not show: say it on top.
		for _, msg := range rf.errs {
			p.Problem = msg
		}
	}
	render(h, w, rf, "jury_admin", p)
}

func (h *Handler) handleJuryAdmin(w http.ResponseWriter, r *http.Request) {
	h.renderJuryAdmin(w, r, refusal{})
}

// juryRefused shows the jury page again after a refused change, or the
// error page for what it cannot explain.
func (h *Handler) juryRefused(w http.ResponseWriter, r *http.Request, err error) {
	l := h.Bundle.Localizer(httpx.LangFrom(r.Context()))
	rf := refusal{values: r.PostForm, status: httpx.Status(err), errs: translateFields(l, err)}
	switch {
	case rf.errs != nil:
	case errors.Is(err, jury.ErrRemoved):
		// Here it is about the juror acted on, not the reader.
		rf.problem = l.T("jury.error.already_removed")
	default:
		msg, ok := juryProblem(l, err)
		if !ok {
			h.Error(w, r, err)
			return
		}
		rf.problem = msg
	}
	h.renderJuryAdmin(w, r, rf)
}

func (h *Handler) handleJuryInvite(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	cycle := chi.URLParam(r, "cycle")
	_, err := h.Jury.Invite(r.Context(), h.actor(r), cycle, jury.InvitationInput{Name: r.PostForm.Get("name"),
		Email: r.PostForm.Get("email"), Chair: r.PostForm.Get("chair") == "true", Language: r.PostForm.Get("language")})
	if err != nil {
		h.juryRefused(w, r, err)
		return
	}
	h.flash(r, "jury.flash.invited")
	h.redirect(w, r, juryAdminPath(cycle))
}

func (h *Handler) handleJuryRevoke(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id, err := idParam(r, "invitation")
	if err == nil {
		err = h.Jury.Revoke(r.Context(), h.actor(r), chi.URLParam(r, "cycle"), id)
	}
	if err != nil {
		h.juryRefused(w, r, err)
		return
	}
	h.flash(r, "jury.flash.revoked")
	h.redirect(w, r, juryAdminPath(chi.URLParam(r, "cycle")))
}

func (h *Handler) handleJuryChair(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id, err := idParam(r, "juror")
	if err == nil {
		_, err = h.Jury.SetChair(r.Context(), h.actor(r), chi.URLParam(r, "cycle"), id, r.PostForm.Get("chair") != "false")
	}
	if err != nil {
		h.juryRefused(w, r, err)
		return
	}
	h.flash(r, "jury.flash.chair")
	h.redirect(w, r, juryAdminPath(chi.URLParam(r, "cycle")))
}

type juryRemovePage struct {
	Base
	Cycle jury.Cycle
	Juror jury.Juror
}

// handleJuryRemoveConfirm asks before a juror is removed, naming the
// consequences.
func (h *Handler) handleJuryRemoveConfirm(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "juror")
	var j jury.Juror
	var c jury.Cycle
	if err == nil {
		j, c, err = h.Jury.Juror(r.Context(), h.actor(r), chi.URLParam(r, "cycle"), id)
	}
	if err != nil {
		h.Error(w, r, err)
		return
	}
	if j.RemovedAt != nil {
		h.juryRefused(w, r, &awards.Error{Code: awards.EConflict, Err: jury.ErrRemoved, Message: "this juror has already been removed"})
		return
	}
	p := juryRemovePage{Base: h.base(r, ""), Cycle: c, Juror: j}
	p.Title = p.L.T("jury.remove.title", "Name", j.Name)
	h.Renderer.Render(w, http.StatusOK, "jury_remove", p)
}

func (h *Handler) handleJuryRemove(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id, err := idParam(r, "juror")
	if err == nil {
		_, err = h.Jury.Remove(r.Context(), h.actor(r), chi.URLParam(r, "cycle"), id)
	}
	if err != nil {
		h.juryRefused(w, r, err)
		return
	}
	h.flash(r, "jury.flash.removed")
	h.redirect(w, r, juryAdminPath(chi.URLParam(r, "cycle")))
}

// The invitation link.

type juryInvitationPage struct {
	Base
	Token string
	// View is the invitation, when the link is known.
	View    jury.InvitationView
	Problem string
	// Used: the person accepted it already; the page links to their
	// declaration.
	Used     bool
	LoginURL string
}

// renderJuryInvitation shows the invitation, or why it cannot be accepted.
func (h *Handler) renderJuryInvitation(w http.ResponseWriter, r *http.Request, v jury.InvitationView, err error) {
	token := chi.URLParam(r, "token")
	p := juryInvitationPage{Base: h.base(r, "jury.invitation.title"), Token: token, View: v,
		LoginURL: "/auth/login?next=" + url.QueryEscape(jury.InvitationPath(token))}
	status := http.StatusOK
	if err != nil {
		msg, ok := juryProblem(p.L, err)
		if !ok {
			h.Error(w, r, err)
			return
		}
		p.Problem, status = msg, httpx.Status(err)
		p.Used = errors.Is(err, jury.ErrInvitationUsed) && !p.Actor.Anonymous()
	}
	h.Renderer.Render(w, status, "jury_invitation", p)
}

// handleJuryInvitationShow shows what the link invites to. Anyone holding it
// may look; accepting needs a login, which comes back here.
func (h *Handler) handleJuryInvitationShow(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	v, err := h.Jury.Invitation(r.Context(), h.actor(r), chi.URLParam(r, "token"))
	h.renderJuryInvitation(w, r, v, err)
}

func (h *Handler) handleJuryInvitationAccept(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	seat, err := h.Jury.Accept(r.Context(), h.actor(r), chi.URLParam(r, "token"))
	if err != nil {
		v, _ := h.Jury.Invitation(r.Context(), h.actor(r), chi.URLParam(r, "token"))
		h.renderJuryInvitation(w, r, v, err)
		return
	}
	if seat.Awaiting {
		h.flash(r, "jury.flash.accepted_awaiting")
	} else {
		h.flash(r, "jury.flash.accepted")
	}
	h.redirect(w, r, juryConflictsPath(seat.CyclePublicID))
}

// The juror's declaration.

// juryConflictRow is one nominee organisation of the declaration form.
type juryConflictRow struct {
	Org jury.OrgDeclaration
	// ID prefixes the row's element IDs: org-<id>.
	ID string
	// Answer and Reason are what the form shows: stored, or as posted.
	Answer, Reason string
	Options        []formOption
	// Error is about the answer, ReasonError about the reason.
	Error, ReasonError string
	// Unanswered: the juror declared before this organisation was
	// nominated.
	Unanswered bool
}

type juryConflictsPage struct {
	Base
	// Awaiting: the reader's acceptance awaits confirmation; the page
	// says so and nothing else.
	Awaiting bool
	D        jury.Declaration
	Rows     []juryConflictRow
	Errors   []fieldError
	Problem  string
	// Automatic: some organisations are conflicts by membership.
	Automatic bool
}

// renderJuryConflicts shows the actor's declaration; after a refused save,
// with what they posted and the messages.
func (h *Handler) renderJuryConflicts(w http.ResponseWriter, r *http.Request, status int, posted url.Values, errs map[string]string) {
	d, err := h.Jury.Declaration(r.Context(), h.actor(r), chi.URLParam(r, "cycle"))
	if errors.Is(err, jury.ErrAwaitingConfirmation) {
		h.Renderer.Render(w, httpx.Status(err), "jury_conflicts", juryConflictsPage{Base: h.base(r, "jury.conflicts.title"), Awaiting: true})
		return
	}
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p := juryConflictsPage{Base: h.base(r, "jury.conflicts.title"), D: d}
	for _, o := range d.Organisations {
		id := strconv.FormatInt(o.ID, 10)
		row := juryConflictRow{Org: o, ID: "org-" + id, Answer: o.Conflict(), Reason: o.Reason,
			Unanswered: d.DeclaredAt != nil && o.Conflict() == ""}
		if posted != nil && !o.Automatic {
			row.Answer, row.Reason = posted.Get("answer_"+id), posted.Get("reason_"+id)
		}
		for _, a := range jury.Answers {
			row.Options = append(row.Options, formOption{ID: row.ID + "-" + a, Value: a, Label: p.L.T("jury.kind." + a), Selected: row.Answer == a})
		}
		if msg := errs[jury.OrgField(o.ID)]; msg != "" {
			row.Error = msg
			p.Errors = append(p.Errors, fieldError{ID: row.ID + "-" + jury.NoConflict, Message: o.Name + ": " + msg})
		}
		if msg := errs[jury.ReasonField(o.ID)]; msg != "" {
			row.ReasonError = msg
			p.Errors = append(p.Errors, fieldError{ID: row.ID + "-reason", Message: o.Name + ": " + msg})
		}
		p.Automatic = p.Automatic || o.Automatic
		p.Rows = append(p.Rows, row)
	}
	if len(errs) > len(p.Errors) {
		// An organisation the form does not show (a tampered form).
		p.Problem = p.L.T("jury.error.unknown_org")
	}
	h.Renderer.Render(w, status, "jury_conflicts", p)
}

func (h *Handler) handleJuryConflictsShow(w http.ResponseWriter, r *http.Request) {
	h.renderJuryConflicts(w, r, http.StatusOK, nil, nil)
}

// parseJuryDeclaration reads the declaration form: answer_<org> and
// reason_<org> per organisation, or none_at_all.
func parseJuryDeclaration(form url.Values) (jury.DeclarationInput, error) {
	in := jury.DeclarationInput{NoneAtAll: form.Get("none_at_all") == "true"}
	if in.NoneAtAll {
		return in, nil
	}
	for key, vals := range form {
		idText, ok := strings.CutPrefix(key, "answer_")
		if !ok {
			continue
		}
		id, err := strconv.ParseInt(idText, 10, 64)
		if err != nil || id <= 0 {
			return in, awards.Invalid(map[string]string{"answer": "jury.error.unknown_org"})
		}
		for _, v := range vals {
			in.Answers = append(in.Answers, jury.Answer{OrganisationID: id, Conflict: v, Reason: form.Get("reason_" + idText)})
		}
	}
	return in, nil
}

func (h *Handler) handleJuryConflictsSave(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	in, err := parseJuryDeclaration(r.PostForm)
	var res jury.DeclareResult
	if err == nil {
		res, err = h.Jury.Declare(r.Context(), h.actor(r), chi.URLParam(r, "cycle"), in)
	}
	if err != nil {
		if fields := translateFields(h.Bundle.Localizer(httpx.LangFrom(r.Context())), err); fields != nil || errors.Is(err, jury.ErrAwaitingConfirmation) {
			h.renderJuryConflicts(w, r, httpx.Status(err), r.PostForm, fields)
			return
		}
		h.Error(w, r, err)
		return
	}
	if len(res.Excluded) > 0 {
		h.flash(r, "jury.flash.declared_excluded")
	} else {
		h.flash(r, "jury.flash.declared")
	}
	h.redirect(w, r, juryConflictsPath(chi.URLParam(r, "cycle")))
}

type juryOverviewPage struct {
	Base
	O       jury.ConflictOverview
	Problem string
}

// renderJuryOverview shows the chair and admins who stepped aside from
// which nomination, and why, and the seats they may confirm; after a
// refused confirmation, with why on top.
func (h *Handler) renderJuryOverview(w http.ResponseWriter, r *http.Request, status int, problem string) {
	o, err := h.Jury.Conflicts(r.Context(), h.actor(r), chi.URLParam(r, "cycle"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.Renderer.Render(w, status, "jury_conflicts_overview", juryOverviewPage{Base: h.base(r, "jury.overview.title"), O: o, Problem: problem})
}

func (h *Handler) handleJuryConflictsOverview(w http.ResponseWriter, r *http.Request) {
	h.renderJuryOverview(w, r, http.StatusOK, "")
}

// handleJuryConfirm confirms the seat of someone who accepted an
// invitation from another address. Admins come from, and go back to, the
// jury page; the chair to the overview.
func (h *Handler) handleJuryConfirm(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	cycle := chi.URLParam(r, "cycle")
	id, err := idParam(r, "invitation")
	if err == nil {
		_, err = h.Jury.Confirm(r.Context(), h.actor(r), cycle, id)
	}
	admin := false
	if c, cerr := h.Cycles.Cycle(r.Context(), h.actor(r), cycle); cerr == nil {
		admin = policy.CanManageJury(h.actor(r), c.ID)
	}
	if err != nil {
		l := h.Bundle.Localizer(httpx.LangFrom(r.Context()))
		// Here a seat or a removal is about the acceptor, not the reader.
		msg, ok := l.T("jury.error.acceptor_seated"), errors.Is(err, jury.ErrAlreadySeated)
		if errors.Is(err, jury.ErrRemoved) {
			msg, ok = l.T("jury.error.acceptor_removed"), true
		}
		if !ok {
			msg, ok = juryProblem(l, err)
		}
		switch {
		case !ok:
			h.Error(w, r, err)
		case admin:
			h.renderJuryAdmin(w, r, refusal{status: httpx.Status(err), problem: msg})
		default:
			h.renderJuryOverview(w, r, httpx.Status(err), msg)
		}
		return
	}
	h.flash(r, "jury.flash.confirmed")
	if admin {
		h.redirect(w, r, juryAdminPath(cycle))
		return
	}
	h.redirect(w, r, juryOverviewPath(cycle))
}
