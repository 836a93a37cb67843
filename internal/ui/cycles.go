package ui

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/noark"
	"github.com/heder-awards/heder/internal/policy"
)

// cycleRoutes are the pages for awards, cycles and criteria: the admins'
// pages under /admin, and the cycle page submitters write to.
func (h *Handler) cycleRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodGet, Pattern: "/admin/priser", Gate: policy.Admin, Handler: h.handleAwardList},
		{Method: http.MethodPost, Pattern: "/admin/priser", Gate: policy.Admin, Handler: h.handleAwardCreate},
		{Method: http.MethodGet, Pattern: "/admin/priser/{slug}", Gate: policy.Admin, Handler: h.handleAwardShow},
		{Method: http.MethodPost, Pattern: "/admin/priser/{slug}", Gate: policy.Admin, Handler: h.handleAwardUpdate},
		{Method: http.MethodPost, Pattern: "/admin/priser/{slug}/sykluser", Gate: policy.Admin, Handler: h.handleCycleCreate},
		{Method: http.MethodGet, Pattern: "/admin/sykluser/{cycle}", Gate: policy.Admin, Handler: h.handleCycleAdmin},
		{Method: http.MethodPost, Pattern: "/admin/sykluser/{cycle}", Gate: policy.Admin, Handler: h.handleCycleUpdate},
		{Method: http.MethodGet, Pattern: "/admin/sykluser/{cycle}/fase", Gate: policy.Admin, Handler: h.handleCycleMoveConfirm},
		{Method: http.MethodPost, Pattern: "/admin/sykluser/{cycle}/fase", Gate: policy.Admin, Handler: h.handleCycleMove},
		{Method: http.MethodPost, Pattern: "/admin/sykluser/{cycle}/kopier", Gate: policy.Admin, Handler: h.handleCycleCopy},
		{Method: http.MethodPost, Pattern: "/admin/sykluser/{cycle}/kriterier", Gate: policy.Admin, Handler: h.handleCriterionCreate},
		{Method: http.MethodGet, Pattern: "/admin/kriterier/{id}", Gate: policy.Admin, Handler: h.handleCriterionShow},
		{Method: http.MethodPost, Pattern: "/admin/kriterier/{id}", Gate: policy.Admin, Handler: h.handleCriterionUpdate},
		{Method: http.MethodPost, Pattern: "/admin/kriterier/{id}/slett", Gate: policy.Admin, Handler: h.handleCriterionDelete},
		{Method: http.MethodGet, Pattern: "/sykluser/{cycle}", Gate: policy.LoggedIn, Handler: h.handleCycleShow},
	}
}

// cyclesBase is what the pages of this area share: the error summary and
// a problem (a refused change that is no field's fault) on top.
type cyclesBase struct {
	Base
	Errors  []fieldError
	Problem string
	Now     time.Time
}

func (h *Handler) cyclesBase(r *http.Request, title string) cyclesBase {
	return cyclesBase{Base: h.base(r, title), Now: time.Now()}
}

// refusal is what a page shows after a refused change.
type refusal struct {
	values  url.Values
	errs    map[string]string
	problem string
	status  int
}

// refused sorts a refused change: field errors go next to their fields,
// known conflicts on top of the page. ok is false for anything else,
// which gets the error page.
func refused(l *i18n.Localizer, r *http.Request, err error, c awards.Cycle, to awards.Phase) (refusal, bool) {
	rf := refusal{values: r.PostForm, status: httpx.Status(err)}
	// Texts missing in nynorsk are on the cycle's and the award's forms,
	// not on the phase form that was refused: say which, on top.
	var e *awards.Error
	if errors.As(err, &e) && errors.Is(err, cycles.ErrNynorskMissing) {
		var names []string
		for _, f := range slices.Sorted(maps.Keys(e.Fields)) {
			names = append(names, l.T("cycles.nynorsk."+f))
		}
		rf.problem = l.T("cycles.nynorsk_open", "Missing", strings.Join(names, ", "))
		return rf, true
	}
	if rf.errs = translateFields(l, err); rf.errs != nil {
		return rf, true
	}
	if msg, ok := conflictMessage(l, err, c, to); ok {
		rf.problem = msg
		return rf, true
	}
	return rf, false
}

func phaseKey(p awards.Phase) string { return "cycles.phase." + string(p) }

// Awards.

type awardsPage struct {
	cyclesBase
	Overview []cycles.AwardCycles
	New      form
}

func (h *Handler) renderAwards(w http.ResponseWriter, r *http.Request, rf refusal) {
	ctx, actor := r.Context(), h.actor(r)
	p := awardsPage{cyclesBase: h.cyclesBase(r, "cycles.awards_title")}
	var err error
	if p.Overview, err = h.Cycles.Overview(ctx, actor); err != nil {
		h.Error(w, r, err)
		return
	}
	owners, err := h.Cycles.Owners(ctx, actor)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	values := rf.values
	if values == nil {
		values = url.Values{"owner_id": {strconv.FormatInt(ministryOf(actor, owners), 10)}, "kind": {string(awards.KindPrize)}}
	}
	p.New = awardForm(p.L, "new-award", "/admin/priser", "cycles.award_create", values, rf.errs, owners, true, actor.User.IsAdmin)
	p.Errors = errorList(&p.New)
	render(h, w, rf, "awards", p)
}

// render writes a page with the refusal's status, 200 when nothing was
// refused.
func render(h *Handler, w http.ResponseWriter, rf refusal, page string, p any) {
	status := rf.status
	if status == 0 {
		status = http.StatusOK
	}
	h.Renderer.Render(w, status, page, p)
}

// ministryOf proposes the admin's own organisation as a new award's
// owner, when it can own one; for an owner admin, their first owner.
func ministryOf(actor *awards.Actor, owners []awards.Organisation) int64 {
	if !actor.User.IsAdmin && len(owners) > 0 {
		return owners[0].ID
	}
	for _, m := range actor.Memberships {
		for _, o := range owners {
			if o.ID == m.OrganisationID {
				return o.ID
			}
		}
	}
	return 0
}

// awardForm is the award's form; only site admins may leave an award
// without an owner (noOwner), so only they are offered it.
func awardForm(l *i18n.Localizer, id, action, submit string, values url.Values, errs map[string]string, owners []awards.Organisation, create, noOwner bool) form {
	b := newForm(l, id, action, submit, values, errs)
	if create {
		b.text("slug", "cycles.field.slug", "cycles.hint.slug", true, 100).
			choices("kind", "cycles.field.award_kind", "cycles.hint.award_kind", "select", true, []formOption{
				{Value: string(awards.KindPrize), Label: l.T("cycles.award_kind.prize")},
				{Value: string(awards.KindProgramme), Label: l.T("cycles.award_kind.programme")}})
	}
	b.text("name_nb", "cycles.field.name_nb", "", true, 200).
		translated("name_nn", "cycles.field.name_nn", "nn", false, 200).
		translated("name_en", "cycles.field.name_en", "en", false, 200).
		textarea("description_nb", "cycles.field.description_nb", "", 5, 20000).
		translated("description_nn", "cycles.field.description_nn", "nn", true, 20000).
		translated("description_en", "cycles.field.description_en", "en", true, 20000)
	var opts []formOption
	if noOwner {
		opts = append(opts, formOption{Value: "0", Label: l.T("cycles.no_owner")})
	}
	for _, o := range owners {
		opts = append(opts, formOption{Value: strconv.FormatInt(o.ID, 10), Label: o.Name})
	}
	b.choices("owner_id", "cycles.field.owner", "", "select", false, opts)
	return b.f
}

func awardValues(a awards.Award) url.Values {
	return url.Values{"slug": {a.Slug}, "name_nb": {a.NameNB}, "name_nn": {a.NameNN}, "name_en": {a.NameEN},
		"description_nb": {a.DescriptionNB}, "description_nn": {a.DescriptionNN}, "description_en": {a.DescriptionEN},
		"owner_id": {strconv.FormatInt(a.OwnerID, 10)}}
}

func parseAward(form url.Values, create bool) (cycles.AwardFields, error) {
	p := newFormParser(form)
	f := cycles.AwardFields{NameNB: p.str("name_nb"), NameNN: p.str("name_nn"), NameEN: p.str("name_en"),
		DescriptionNB: p.str("description_nb"), DescriptionNN: p.str("description_nn"), DescriptionEN: p.str("description_en")}
	if create {
		f.Slug = p.str("slug")
		// Without a kind (a form of before programmes), a prize.
		if k := form.Get("kind"); k != "" {
			kind := awards.AwardKind(k)
			f.Kind = &kind
		}
	}
	if owner := p.optionalInteger("owner_id"); owner != nil {
		id := int64(*owner)
		f.OwnerID = &id
	} else if _, bad := p.errs["owner_id"]; !bad {
		var none int64
		f.OwnerID = &none
	}
	return f, p.err()
}

func (h *Handler) handleAwardList(w http.ResponseWriter, r *http.Request) {
	h.renderAwards(w, r, refusal{})
}

func (h *Handler) handleAwardCreate(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	f, err := parseAward(r.PostForm, true)
	var a awards.Award
	if err == nil {
		a, err = h.Cycles.CreateAward(r.Context(), h.actor(r), f)
	}
	if err != nil {
		l := h.Bundle.Localizer(httpx.LangFrom(r.Context()))
		if rf, ok := refused(l, r, err, awards.Cycle{}, ""); ok {
			h.renderAwards(w, r, rf)
			return
		}
		h.Error(w, r, err)
		return
	}
	h.flash(r, "cycles.award_created")
	h.redirect(w, r, "/admin/priser/"+a.Slug)
}

type awardPage struct {
	cyclesBase
	Award    awards.Award
	Cycles   []awards.Cycle
	Edit     form
	NewCycle form
}

func (h *Handler) renderAward(w http.ResponseWriter, r *http.Request, rf refusal, which string) {
	ctx, actor := r.Context(), h.actor(r)
	a, err := h.Cycles.ManagedAward(ctx, actor, chi.URLParam(r, "slug"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p := awardPage{cyclesBase: h.cyclesBase(r, ""), Award: a}
	p.Title = a.Name(p.L.Lang())
	if p.Cycles, err = h.Cycles.Cycles(ctx, actor, a.Slug); err != nil {
		h.Error(w, r, err)
		return
	}
	owners, err := h.Cycles.Owners(ctx, actor)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	editValues, editErrs := awardValues(a), map[string]string(nil)
	next := time.Now().In(i18n.Oslo()).Year()
	if len(p.Cycles) > 0 && p.Cycles[0].Year >= next {
		next = p.Cycles[0].Year + 1
	}
	cycleValues, cycleErrs := url.Values{"year": {strconv.Itoa(next)}}, map[string]string(nil)
	switch which {
	case "edit":
		editValues, editErrs = rf.values, rf.errs
	case "cycle":
		cycleValues, cycleErrs = rf.values, rf.errs
	}
	p.Edit = awardForm(p.L, "award", "/admin/priser/"+a.Slug, "form.save", editValues, editErrs, owners, false, actor.User.IsAdmin)
	p.NewCycle = newForm(p.L, "new-cycle", "/admin/priser/"+a.Slug+"/sykluser", "cycles.cycle_create", cycleValues, cycleErrs).
		number("year", "cycles.field.year", "", "numeric", true).
		text("title", "cycles.field.title", "cycles.hint.title", true, 300).f
	p.Errors = errorList(&p.Edit, &p.NewCycle)
	p.Problem = rf.problem
	render(h, w, rf, "award", p)
}

func (h *Handler) handleAwardShow(w http.ResponseWriter, r *http.Request) {
	h.renderAward(w, r, refusal{}, "")
}

func (h *Handler) handleAwardUpdate(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	slug := chi.URLParam(r, "slug")
	f, err := parseAward(r.PostForm, false)
	if err == nil {
		_, err = h.Cycles.UpdateAward(r.Context(), h.actor(r), slug, f)
	}
	if err != nil {
		if rf, ok := refused(h.Bundle.Localizer(httpx.LangFrom(r.Context())), r, err, awards.Cycle{}, ""); ok {
			h.renderAward(w, r, rf, "edit")
			return
		}
		h.Error(w, r, err)
		return
	}
	h.flash(r, "cycles.award_saved")
	h.redirect(w, r, "/admin/priser/"+slug)
}

func (h *Handler) handleCycleCreate(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	p := newFormParser(r.PostForm)
	f := cycles.CycleFields{Year: p.integer("year"), Title: p.str("title")}
	err := p.err()
	var c awards.Cycle
	if err == nil {
		c, err = h.Cycles.CreateCycle(r.Context(), h.actor(r), chi.URLParam(r, "slug"), f)
	}
	if err != nil {
		if rf, ok := refused(h.Bundle.Localizer(httpx.LangFrom(r.Context())), r, err, awards.Cycle{}, ""); ok {
			h.renderAward(w, r, rf, "cycle")
			return
		}
		h.Error(w, r, err)
		return
	}
	h.flash(r, "cycles.cycle_created")
	h.redirect(w, r, "/admin/sykluser/"+c.PublicID)
}

// Cycles, as the admins see them.

type cycleAdminPage struct {
	cyclesBase
	Cycle    awards.Cycle
	Timeline []timelineStep
	Moves    []phaseMove
	Edit     form
	Criteria []awards.Criterion
	// Rounds are the cycle's rounds of judging; CriteriaGroups its
	// criteria round by round; RoundsFull says no round can be added.
	Rounds         []roundRow
	CriteriaGroups []criteriaGroup
	RoundsFull     bool
	MaxRounds      int
	NewRound       form
	// Locked: no round takes new criteria (every scored one has started).
	Locked       bool
	NewCriterion form
	// Export is the cycle's newest archive deposit made by the job, if
	// any, with its state in words; NoarkProblem why asking was refused.
	Export       *noark.Export
	ExportStatus string
	NoarkProblem string
}

func cycleValues(c awards.Cycle) url.Values {
	v := url.Values{"year": {intValue(c.Year)}, "title": {c.Title}, "description": {c.Description},
		"description_nn": {c.DescriptionNN}, "description_en": {c.DescriptionEN}, "call_text": {c.CallText},
		"call_text_nn": {c.CallTextNN}, "call_text_en": {c.CallTextEN},
		"max_nominations_per_org": {intValue(c.MaxNominationsPerOrg)}, "max_projects": {intValue(c.MaxProjects)},
		"publish_all": {boolValue(c.PublishAll)}, "call_opens_at": {datetimeLocal(c.CallOpensAt)},
		"nomination_deadline": {datetimeLocal(c.NominationDeadline)}, "scoring_deadline": {datetimeLocal(c.ScoringDeadline)},
		"announcement_at": {datetimeLocal(c.AnnouncementAt)}, "reminder_days": {daysValue(c.ReminderDays)}}
	for _, k := range c.EligibleKinds {
		v.Add("eligible_kinds", string(k))
	}
	return v
}

// renderCycleAdmin shows the admins' cycle page; which names the form the
// refusal is about ("edit", "round" or "criterion").
func (h *Handler) renderCycleAdmin(w http.ResponseWriter, r *http.Request, rf refusal, which string) {
	ctx, actor := r.Context(), h.actor(r)
	id := chi.URLParam(r, "cycle")
	c, err := h.Cycles.ManagedCycle(ctx, actor, id)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p := cycleAdminPage{cyclesBase: h.cyclesBase(r, ""), Cycle: c}
	p.Title = c.Title
	if p.Criteria, err = h.Cycles.Criteria(ctx, actor, id); err != nil {
		h.Error(w, r, err)
		return
	}
	if err := h.roundsOnCyclePage(ctx, actor, &p, rf, which); err != nil {
		h.Error(w, r, err)
		return
	}
	p.Timeline, p.Moves = timeline(p.L, c), moves(p.L, c)
	editValues, editErrs := cycleValues(c), map[string]string(nil)
	if which == "edit" {
		editValues, editErrs = rf.values, rf.errs
	}
	var kinds []formOption
	for _, k := range awards.OrgKinds {
		kinds = append(kinds, formOption{Value: string(k), Label: p.L.T("orgs.kind." + string(k))})
	}
	base := "/admin/sykluser/" + c.PublicID
	p.Edit = newForm(p.L, "cycle", base, "form.save", editValues, editErrs).
		number("year", "cycles.field.year", "", "numeric", true).
		text("title", "cycles.field.title", "", true, 300).
		textarea("description", "cycles.field.description", "cycles.hint.description", 3, 20000).
		translated("description_nn", "cycles.field.description_nn", "nn", true, 20000).
		translated("description_en", "cycles.field.description_en", "en", true, 20000).
		textarea("call_text", "cycles.field.call_text", "cycles.hint.call_text", 10, 20000).
		translated("call_text_nn", "cycles.field.call_text_nn", "nn", true, 20000).
		translated("call_text_en", "cycles.field.call_text_en", "en", true, 20000).
		choices("eligible_kinds", "cycles.field.eligible_kinds", "", "checkboxes", true, kinds).
		number("max_nominations_per_org", "cycles.field.max_nominations_per_org", "cycles.hint.max_nominations_per_org", "numeric", true).
		number("max_projects", "cycles.field.max_projects", "", "numeric", true).
		checkbox("publish_all", "cycles.field.publish_all", "cycles.hint.publish_all").
		datetime("call_opens_at", "cycles.field.call_opens_at").
		datetime("nomination_deadline", "cycles.field.nomination_deadline").
		text("reminder_days", "cycles.field.reminder_days", "cycles.hint.reminder_days", false, 40).
		datetime("scoring_deadline", "cycles.field.scoring_deadline").
		datetime("announcement_at", "cycles.field.announcement_at").f
	if p.Export, err = h.Noark.LatestExport(ctx, actor, id); err != nil {
		h.Error(w, r, err)
		return
	}
	if p.Export != nil {
		p.ExportStatus, _ = noarkStatus(p.L, *p.Export)
	}
	p.Errors = errorList(&p.NewRound, &p.NewCriterion, &p.Edit)
	if which == "noark" {
		p.NoarkProblem = rf.problem
	} else {
		p.Problem = rf.problem
	}
	render(h, w, rf, "cycle_admin", p)
}

func (h *Handler) handleCycleAdmin(w http.ResponseWriter, r *http.Request) {
	h.renderCycleAdmin(w, r, refusal{}, "")
}

func parseCycle(form url.Values) (cycles.CycleFields, error) {
	p := newFormParser(form)
	f := cycles.CycleFields{Year: p.integer("year"), Title: p.str("title"), Description: p.str("description"),
		DescriptionNN: p.str("description_nn"), DescriptionEN: p.str("description_en"), CallText: p.str("call_text"),
		CallTextNN: p.str("call_text_nn"), CallTextEN: p.str("call_text_en"), EligibleKinds: []awards.OrgKind{},
		MaxNominationsPerOrg: p.integer("max_nominations_per_org"), MaxProjects: p.integer("max_projects"),
		PublishAll: p.boolean("publish_all"), CallOpensAt: p.instant("call_opens_at"),
		NominationDeadline: p.instant("nomination_deadline"), ScoringDeadline: p.instant("scoring_deadline"),
		AnnouncementAt: p.instant("announcement_at"), ReminderDays: p.days("reminder_days")}
	for _, k := range form["eligible_kinds"] {
		f.EligibleKinds = append(f.EligibleKinds, awards.OrgKind(k))
	}
	return f, p.err()
}

// cycleChange runs a change to the cycle in the URL and answers it: on
// success a flash message (unless flash is empty: change flashes its own)
// and the admins' cycle page (or next, when given); on refusal the page
// again with what went wrong.
func (h *Handler) cycleChange(w http.ResponseWriter, r *http.Request, which, flash string, to awards.Phase,
	change func(ctx context.Context, actor *awards.Actor, id string) (string, error)) {
	_ = r.ParseForm()
	id := chi.URLParam(r, "cycle")
	next, err := change(r.Context(), h.actor(r), id)
	if err != nil {
		// The cycle as it stands, to explain a conflict.
		c, cerr := h.Cycles.Cycle(r.Context(), h.actor(r), id)
		if cerr != nil {
			h.Error(w, r, err)
			return
		}
		if rf, ok := refused(h.Bundle.Localizer(httpx.LangFrom(r.Context())), r, err, c, to); ok {
			h.renderCycleAdmin(w, r, rf, which)
			return
		}
		h.Error(w, r, err)
		return
	}
	if next == "" {
		next = id
	}
	if flash != "" {
		h.flash(r, flash)
	}
	h.redirect(w, r, "/admin/sykluser/"+next)
}

func (h *Handler) handleCycleUpdate(w http.ResponseWriter, r *http.Request) {
	h.cycleChange(w, r, "edit", "cycles.cycle_saved", "", func(ctx context.Context, actor *awards.Actor, id string) (string, error) {
		f, err := parseCycle(r.PostForm)
		if err != nil {
			return "", err
		}
		_, err = h.Cycles.UpdateCycle(ctx, actor, id, f)
		return "", err
	})
}

func (h *Handler) handleCycleMove(w http.ResponseWriter, r *http.Request) {
	to := awards.Phase(r.PostFormValue("to"))
	// The flash depends on the moved cycle: a call opened with an opening
	// date ahead is not yet seen by those who can be nominated.
	h.cycleChange(w, r, "", "", to, func(ctx context.Context, actor *awards.Actor, id string) (string, error) {
		c, err := h.Cycles.Transition(ctx, actor, id, to)
		if err == nil {
			flash := "cycles.moved." + string(to)
			if to == awards.PhasePublished && c.Programme() {
				flash = "cycles.moved.programme_published"
			}
			if to == awards.PhaseOpen && c.CallOpensAt != nil && c.CallOpensAt.After(time.Now()) {
				flash = "cycles.moved.open_later"
			}
			h.flash(r, flash)
		}
		return "", err
	})
}

func (h *Handler) handleCycleCopy(w http.ResponseWriter, r *http.Request) {
	h.cycleChange(w, r, "", "cycles.copied", "", func(ctx context.Context, actor *awards.Actor, id string) (string, error) {
		c, err := h.Cycles.Copy(ctx, actor, id)
		return c.PublicID, err
	})
}

type cycleMovePage struct {
	cyclesBase
	Cycle       awards.Cycle
	To          awards.Phase
	Consequence []string
}

// handleCycleMoveConfirm asks before a move, naming what it does.
func (h *Handler) handleCycleMoveConfirm(w http.ResponseWriter, r *http.Request) {
	ctx, actor := r.Context(), h.actor(r)
	id := chi.URLParam(r, "cycle")
	c, err := h.Cycles.Cycle(ctx, actor, id)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	to := awards.Phase(r.URL.Query().Get("til"))
	if !c.Phase.CanMoveToFor(c.AwardKind, to) {
		// A stale link, or a forged one: say why on the cycle's page.
		l := h.Bundle.Localizer(httpx.LangFrom(ctx))
		msg, _ := conflictMessage(l, cycles.ErrPhaseMove, c, to)
		if !to.Valid() {
			msg = l.T("cycles.error.phase")
		}
		h.renderCycleAdmin(w, r, refusal{problem: msg, status: http.StatusConflict}, "")
		return
	}
	counts, err := h.Cycles.NominationCounts(ctx, actor, id)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p := cycleMovePage{cyclesBase: h.cyclesBase(r, ""), Cycle: c, To: to}
	p.Title = p.L.T(moveKey(c.Phase, to))
	key := "cycles.consequence." + string(c.Phase) + "_" + string(to)
	switch {
	case c.Phase == awards.PhaseOpen && to == awards.PhaseClosed:
		p.Consequence = append(p.Consequence, p.L.T(key, "Count", counts.Submitted), p.L.T("cycles.consequence.drafts", "Count", counts.Drafts))
	case c.Phase == awards.PhaseClosed && to == awards.PhaseJudging:
		p.Consequence = append(p.Consequence, p.L.T(key, "Count", counts.Submitted))
	case c.Phase == awards.PhaseDraft && to == awards.PhaseOpen:
		p.Consequence = append(p.Consequence, p.L.T(key), p.L.T("cycles.consequence.call_mail", "Count", counts.CallRecipients))
	default:
		p.Consequence = append(p.Consequence, p.L.T(key))
	}
	h.Renderer.Render(w, http.StatusOK, "cycle_move", p)
}

// The cycle as submitters see it.

type cyclePage struct {
	cyclesBase
	Cycle    awards.Cycle
	Award    awards.Award
	Criteria []awards.Criterion
	Kinds    []string
	// Eligible: one of the actor's organisations may be nominated.
	Eligible       bool
	NotYetOpen     bool
	DeadlinePassed bool
	ShowCountdown  bool
	// ClosedEarly: an admin closed the call before its deadline, at ClosedAt.
	ClosedEarly bool
	ClosedAt    *time.Time
	CanNominate bool
	CanManage   bool
}

// countdownWindow is how close a deadline must be for the page to count
// down to it.
const countdownWindow = 14 * 24 * time.Hour

func (h *Handler) handleCycleShow(w http.ResponseWriter, r *http.Request) {
	ctx, actor := r.Context(), h.actor(r)
	id := chi.URLParam(r, "cycle")
	c, err := h.Cycles.Cycle(ctx, actor, id)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p := cyclePage{cyclesBase: h.cyclesBase(r, ""), Cycle: c, CanManage: policy.CanManageCycle(actor, c.ID)}
	p.Title = c.Title
	if p.Award, err = h.Cycles.Award(ctx, c.AwardSlug); err != nil {
		h.Error(w, r, err)
		return
	}
	if p.Criteria, err = h.Cycles.Criteria(ctx, actor, id); err != nil {
		h.Error(w, r, err)
		return
	}
	open, err := h.Cycles.OpenFor(ctx, actor)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	for _, o := range open {
		if o.Cycle.ID == c.ID {
			p.Eligible = true
		}
	}
	for _, k := range c.EligibleKinds {
		p.Kinds = append(p.Kinds, p.L.T("orgs.kind."+string(k)))
	}
	if c.CallOpensAt != nil && c.CallOpensAt.After(p.Now) {
		p.NotYetOpen = true
	}
	if d := c.NominationDeadline; d != nil {
		left := d.Sub(p.Now)
		p.DeadlinePassed = left <= 0
		p.ShowCountdown = left > 0 && left <= countdownWindow
	}
	p.CanNominate = c.Phase == awards.PhaseOpen && p.Eligible && !p.NotYetOpen && !p.DeadlinePassed
	if p.ClosedEarly, p.ClosedAt, err = h.Cycles.ClosedEarly(ctx, c); err != nil {
		h.Error(w, r, err)
		return
	}
	h.Renderer.Render(w, http.StatusOK, "cycle", p)
}

// homeCycles is what the home page shows about cycles: the calls open to
// the person's organisations, and to admins every award's cycles.
type homeCycles struct {
	Submitter bool
	Open      []cycles.OpenCycle
	Awards    []cycles.AwardCycles
	Now       time.Time
}

func (h *Handler) homeCycles(ctx context.Context, actor *awards.Actor) (homeCycles, error) {
	out := homeCycles{Now: time.Now(), Submitter: len(actor.Memberships) > 0}
	var err error
	if out.Submitter {
		open, err := h.Cycles.OpenFor(ctx, actor)
		if err != nil {
			return out, err
		}
		// A call the organisations have used all their nominations in is
		// no longer theirs to answer; their nominations are listed above.
		for _, o := range open {
			if !o.Used {
				out.Open = append(out.Open, o)
			}
		}
	}
	if actor.AnyAdmin() {
		if out.Awards, err = h.Cycles.Overview(ctx, actor); err != nil {
			return out, err
		}
	}
	return out, nil
}
