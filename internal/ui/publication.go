package ui

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/publication"
)

// publicationRoutes are the admins' pages for a cycle's announcements:
// the scheduled instants with their forms and history, the confirmation
// before publishing now, and the preview of the public view.
func (h *Handler) publicationRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodGet, Pattern: "/admin/sykluser/{cycle}/publisering", Gate: policy.Admin, Handler: h.handlePublication},
		{Method: http.MethodPost, Pattern: "/admin/sykluser/{cycle}/publisering", Gate: policy.Admin, Handler: h.handlePublicationSchedule},
		{Method: http.MethodGet, Pattern: "/admin/sykluser/{cycle}/publisering/publiser-na", Gate: policy.Admin, Handler: h.handlePublicationConfirm},
		{Method: http.MethodPost, Pattern: "/admin/sykluser/{cycle}/publisering/publiser-na", Gate: policy.Admin, Handler: h.handlePublicationNow},
		{Method: http.MethodGet, Pattern: "/admin/sykluser/{cycle}/publisering/forhandsvisning", Gate: policy.Admin, Handler: h.handlePublicationPreview},
		{Method: http.MethodPost, Pattern: "/admin/kunngjoringer/{id}", Gate: policy.Admin, Handler: h.handleAnnouncementReschedule},
		{Method: http.MethodPost, Pattern: "/admin/kunngjoringer/{id}/avpubliser", Gate: policy.Admin, Handler: h.handleAnnouncementUnpublish},
	}
}

func publicationPath(cycle string, part ...string) string {
	p := "/admin/sykluser/" + url.PathEscape(cycle) + "/publisering"
	for _, s := range part {
		p += "/" + s
	}
	return p
}

// previewPath is the preview of the public view at instant at.
func previewPath(cycle string, at time.Time) string {
	return publicationPath(cycle, "forhandsvisning") + "?tid=" + url.QueryEscape(at.UTC().Format(time.RFC3339Nano))
}

// pubForm is one form of the publication pages: fields built like the
// cycles' forms, with hidden values and a button colour.
type pubForm struct {
	form
	Hidden map[string]string
	// Danger colours the button: the form withdraws something.
	Danger bool
	// Open: the form was refused, so a folded one shows unfolded.
	Open bool
}

// kindPanel is one kind of announcement on the publication page.
type kindPanel struct {
	Kind        publication.Kind
	Heading     string
	Help        []string
	Live        *publication.Announcement
	PreviewPath string
	Schedule    *pubForm
	Reschedule  *pubForm
	Unpublish   *pubForm
	NowPath     string
}

type publicationPage struct {
	cyclesBase
	Cycle   publication.Cycle
	Panels  []kindPanel
	History []publication.Announcement
	// CloseCycle: the winners are out and the cycle is still decided; the
	// page offers the move that closes it.
	CloseCycle bool
}

// pubRefusal is a refused change to re-show: which form (its ID), with
// the posted values and the messages.
type pubRefusal struct {
	which   string
	values  url.Values
	errs    map[string]string
	problem string
	status  int
}

func kindLabel(l *i18n.Localizer, k publication.Kind) string {
	return l.T("publication.kind." + string(k))
}

// renderPublication shows the cycle's publication page, with rf's
// messages when a change was refused.
func (h *Handler) renderPublication(w http.ResponseWriter, r *http.Request, cycle string, rf pubRefusal) {
	o, err := h.Publication.List(r.Context(), h.actor(r), cycle)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p := publicationPage{cyclesBase: h.cyclesBase(r, "publication.title"), Cycle: o.Cycle, History: o.Announcements}
	p.Now = o.Now
	if w := o.Live(publication.Winners); w != nil && w.State == publication.Published {
		p.CloseCycle = o.Cycle.Phase == awards.PhaseDecided
	}
	l := p.L
	p.Title = l.T("publication.title") + " – " + o.Cycle.Title
	var forms []*form
	// Messages about fields the refused form does not show (or about a
	// form no longer on the page) go on top.
	shown := map[string]bool{}
	build := func(id, action, submit string, hidden map[string]string, danger bool, fields func(b *formBuilder)) *pubForm {
		values, errs := url.Values{}, map[string]string(nil)
		if rf.which == id {
			values, errs = rf.values, rf.errs
		}
		b := newForm(l, id, action, submit, values, errs)
		fields(b)
		if rf.which == id {
			for _, fld := range b.f.Fields {
				shown[fld.Name] = true
			}
		}
		f := &pubForm{form: b.f, Hidden: hidden, Danger: danger, Open: rf.which == id}
		forms = append(forms, &f.form)
		return f
	}
	instant := func(label string) func(b *formBuilder) {
		return func(b *formBuilder) {
			b.add(formField{Name: "publish_at", Type: "datetime-local", Required: true}, label, "cycles.hint.oslo_time")
		}
	}
	for _, k := range publication.Kinds {
		panel := kindPanel{Kind: k, Heading: kindLabel(l, k), Help: []string{l.T("publication.help." + string(k))},
			Live: o.Live(k), NowPath: publicationPath(o.Cycle.PublicID, "publiser-na") + "?type=" + string(k)}
		if k == publication.Winners && o.Cycle.PublishAll {
			panel.Help = append(panel.Help, l.T("publication.help.publish_all"))
		}
		switch a := panel.Live; {
		case a == nil:
			panel.Schedule = build("schedule-"+string(k), publicationPath(o.Cycle.PublicID), "publication.schedule_button",
				map[string]string{"kind": string(k)}, false, instant("publication.field.publish_at"))
		default:
			panel.PreviewPath = previewPath(o.Cycle.PublicID, a.PublishAt)
			id := strconv.FormatInt(a.ID, 10)
			if a.State == publication.Scheduled {
				panel.Reschedule = build("reschedule-"+id, "/admin/kunngjoringer/"+id, "publication.reschedule_button", nil, false,
					instant("publication.field.new_publish_at"))
				if rf.which != "reschedule-"+id {
					panel.Reschedule.Fields[0].Value = datetimeLocal(&a.PublishAt)
				}
			}
			submit, hint := "publication.unpublish_button", "publication.hint.reason_published"
			if a.State == publication.Scheduled {
				submit, hint = "publication.cancel_button", "publication.hint.reason_scheduled"
			}
			panel.Unpublish = build("unpublish-"+id, "/admin/kunngjoringer/"+id+"/avpubliser", submit, nil, true, func(b *formBuilder) {
				b.add(formField{Name: "reason", Type: "textarea", Rows: 3, MaxLength: 2000, Required: true}, "publication.field.reason", hint)
			})
		}
		p.Panels = append(p.Panels, panel)
	}
	p.Errors = errorList(forms...)
	p.Problem = rf.problem
	var other []string
	for name, msg := range rf.errs {
		if !shown[name] {
			other = append(other, msg)
		}
	}
	if len(other) > 0 {
		slices.Sort(other)
		p.Problem = strings.TrimSpace(p.Problem + " " + strings.Join(other, " "))
	}
	status := rf.status
	if status == 0 {
		status = http.StatusOK
	}
	h.Renderer.Render(w, status, "publication", p)
}

func (h *Handler) handlePublication(w http.ResponseWriter, r *http.Request) {
	h.renderPublication(w, r, chi.URLParam(r, "cycle"), pubRefusal{})
}

// refusePublication re-shows the cycle's publication page after a refused
// change made with form which; errors it cannot explain get the error
// page.
func (h *Handler) refusePublication(w http.ResponseWriter, r *http.Request, cycle, which string, kind publication.Kind, err error) {
	l := h.Bundle.Localizer(httpx.LangFrom(r.Context()))
	rf := pubRefusal{which: which, values: r.PostForm, status: httpx.Status(err)}
	if msg, ok := publicationProblem(l, err, kind); ok {
		rf.problem = msg
	} else if rf.errs = translateFields(l, err); rf.errs == nil {
		h.Error(w, r, err)
		return
	}
	h.renderPublication(w, r, cycle, rf)
}

// publicationProblem explains a refusal that is no field's fault in the
// user's language; ok is false for errors it does not know.
func publicationProblem(l *i18n.Localizer, err error, kind publication.Kind) (string, bool) {
	label := kindLabel(l, kind)
	switch {
	case errors.Is(err, publication.ErrConfirm):
		return l.T("publication.error.confirm"), true
	case errors.Is(err, publication.ErrExists):
		return l.T("publication.error.exists", "Title", label), true
	case errors.Is(err, publication.ErrPublished):
		return l.T("publication.error.published", "Title", label), true
	case errors.Is(err, publication.ErrUnpublished):
		return l.T("publication.error.unpublished"), true
	case errors.Is(err, publication.ErrNothing):
		return l.T("publication.error.nothing_" + string(kind)), true
	case len(awards.ErrorFields(err)) > 0:
		return "", false
	case errors.Is(err, publication.ErrWinnersFirst):
		return l.T("publication.error.winners_first_now"), true
	case errors.Is(err, publication.ErrFinalistsLate):
		return l.T("publication.error.finalists_late_now"), true
	}
	return "", false
}

// parseInstant reads a datetime-local field as Europe/Oslo time.
func parseInstant(form url.Values, name string) (*time.Time, error) {
	p := newFormParser(form)
	ch := p.instant(name)
	if err := p.err(); err != nil {
		return nil, err
	}
	return ch.At, nil
}

func (h *Handler) handlePublicationSchedule(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	kind := publication.Kind(r.PostForm.Get("kind"))
	cycle, which := chi.URLParam(r, "cycle"), "schedule-"+string(kind)
	at, err := parseInstant(r.PostForm, "publish_at")
	if err != nil {
		h.refusePublication(w, r, cycle, which, kind, err)
		return
	}
	if _, _, err := h.Publication.Schedule(r.Context(), h.actor(r), cycle, publication.Input{Kind: kind, PublishAt: at}); err != nil {
		h.refusePublication(w, r, cycle, which, kind, err)
		return
	}
	h.flash(r, "publication.scheduled")
	h.redirect(w, r, publicationPath(cycle))
}

// handleAnnouncementReschedule moves a scheduled announcement.
func (h *Handler) handleAnnouncementReschedule(w http.ResponseWriter, r *http.Request) {
	h.announcementChange(w, r, "reschedule-", func(a publication.Announcement) (string, error) {
		at, err := parseInstant(r.PostForm, "publish_at")
		if err != nil {
			return "", err
		}
		if at == nil {
			return "", awards.Invalid(map[string]string{"publish_at": "publication.error.instant_required"})
		}
		_, err = h.Publication.Reschedule(r.Context(), h.actor(r), a.ID, *at)
		return "publication.rescheduled", err
	})
}

// handleAnnouncementUnpublish withdraws an announcement, for a reason.
func (h *Handler) handleAnnouncementUnpublish(w http.ResponseWriter, r *http.Request) {
	h.announcementChange(w, r, "unpublish-", func(a publication.Announcement) (string, error) {
		flash := "publication.unpublished"
		if a.State == publication.Scheduled {
			flash = "publication.cancelled"
		}
		_, err := h.Publication.Unpublish(r.Context(), h.actor(r), a.ID, r.PostForm.Get("reason"))
		return flash, err
	})
}

// announcementChange runs a change to the announcement in the URL; on
// success it flashes and goes back to its cycle's publication page, on
// refusal it shows that page again with what went wrong.
func (h *Handler) announcementChange(w http.ResponseWriter, r *http.Request, formPrefix string,
	change func(a publication.Announcement) (string, error)) {
	_ = r.ParseForm()
	id, err := idParam(r, "id")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	a, err := h.Publication.Get(r.Context(), h.actor(r), id)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	flash, err := change(a)
	if err != nil {
		h.refusePublication(w, r, a.CyclePublicID, formPrefix+strconv.FormatInt(a.ID, 10), a.Kind, err)
		return
	}
	h.flash(r, flash)
	h.redirect(w, r, publicationPath(a.CyclePublicID))
}

// publicationConfirmPage names exactly what publishing now makes public.
type publicationConfirmPage struct {
	cyclesBase
	Plan publication.Plan
	// Decided are the nominations with an outcome; Others the rest that
	// the cycle publishes with the winners.
	Decided, Others []publication.Entry
	Existing        string
}

// handlePublicationConfirm is the confirmation step before publishing
// now: the list of nominations with their outcomes and statements,
// whether every other submitted nomination becomes public, and whether
// the jury's feedback is released.
func (h *Handler) handlePublicationConfirm(w http.ResponseWriter, r *http.Request) {
	kind := publication.Kind(r.URL.Query().Get("type"))
	plan, err := h.Publication.Plan(r.Context(), h.actor(r), chi.URLParam(r, "cycle"), kind)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	if plan.Refusal != nil {
		// Say why on the page with the forms, rather than ask in vain.
		l := h.Bundle.Localizer(httpx.LangFrom(r.Context()))
		msg, ok := publicationProblem(l, plan.Refusal, kind)
		if !ok {
			h.Error(w, r, plan.Refusal)
			return
		}
		h.renderPublication(w, r, chi.URLParam(r, "cycle"), pubRefusal{problem: msg, status: http.StatusConflict})
		return
	}
	p := publicationConfirmPage{cyclesBase: h.cyclesBase(r, "publication.confirm.title_"+string(kind)), Plan: plan}
	for _, e := range plan.Entries {
		if e.Outcome == "" {
			if !e.AlreadyPublic {
				p.Others = append(p.Others, e)
			}
		} else {
			p.Decided = append(p.Decided, e)
		}
	}
	if plan.Existing != nil {
		p.Existing = p.L.T("publication.confirm.existing", "Date", p.L.FormatTime(plan.Existing.PublishAt))
	}
	h.Renderer.Render(w, http.StatusOK, "publication_confirm", p)
}

func (h *Handler) handlePublicationNow(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	kind := publication.Kind(r.PostForm.Get("kind"))
	cycle := chi.URLParam(r, "cycle")
	_, _, err := h.Publication.Schedule(r.Context(), h.actor(r), cycle,
		publication.Input{Kind: kind, Now: true, Confirm: r.PostForm.Get("confirm") == "true"})
	if err != nil {
		h.refusePublication(w, r, cycle, "", kind, err)
		return
	}
	h.flash(r, "publication.published")
	h.redirect(w, r, publicationPath(cycle))
}

// publicationPreviewPage shows the cycle's public view as of an instant.
type publicationPreviewPage struct {
	cyclesBase
	Preview  publication.Preview
	Sections []previewSection
	// At is the instant as the form shows it; AtError a message for it.
	At, AtError string
	Heading     string
}

type previewSection struct {
	ID, Heading string
	Entries     []publication.Entry
	Outcome     bool
}

// handlePublicationPreview renders the public view "as the public will
// see it on 15 June at 12:00": ?tid= is an RFC 3339 instant (the links
// on the publication page) or a datetime-local one in Oslo (the form);
// without it, once everything scheduled is out (Publication.Preview).
func (h *Handler) handlePublicationPreview(w http.ResponseWriter, r *http.Request) {
	p := publicationPreviewPage{cyclesBase: h.cyclesBase(r, "publication.preview.title")}
	var at time.Time
	status := http.StatusOK
	if v := strings.TrimSpace(r.URL.Query().Get("tid")); v != "" {
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			at = t
		} else if t, err := parseInstant(url.Values{"tid": {v}}, "tid"); err == nil && t != nil {
			at = *t
		} else {
			p.AtError, status = p.L.T("cycles.error.datetime"), http.StatusUnprocessableEntity
			p.Errors = []fieldError{{ID: "tid", Message: p.AtError}}
		}
	}
	pv, err := h.Publication.Preview(r.Context(), h.actor(r), chi.URLParam(r, "cycle"), at)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p.Preview, p.At = pv, datetimeLocal(&pv.At)
	p.Heading = p.L.T("publication.preview.heading", "Cycle", pv.Cycle.Title, "Date", p.L.FormatTime(pv.At))
	p.Title = p.Heading
	byOutcome := map[string][]publication.Entry{}
	for _, e := range pv.Entries {
		byOutcome[e.Outcome] = append(byOutcome[e.Outcome], e)
	}
	for _, o := range []string{publication.OutcomeWinner, publication.OutcomeHonourableMention, publication.OutcomeFinalist, ""} {
		list := byOutcome[o]
		if len(list) == 0 {
			continue
		}
		s := previewSection{ID: "section-" + o, Entries: list, Outcome: o != ""}
		if o == "" {
			s.ID, s.Heading = "section-others", p.L.T("publication.section.others")
		} else {
			key := "publication.section." + o
			if len(list) > 1 {
				key += "_many"
			}
			s.Heading = p.L.T(key)
		}
		p.Sections = append(p.Sections, s)
	}
	h.Renderer.Render(w, status, "publication_preview", p)
}

// nominationResult is what a nomination's page shows of its outcome and
// the jury's feedback (template "pub-result").
type nominationResult struct {
	L *i18n.Localizer
	publication.Result
	// Diploma is the link to the nomination's diploma, once the winners
	// are out and the nomination has an outcome.
	Diploma string
}

// addResult puts on the nomination's main page what its submitters may
// know of the outcome, through the embargo: the published outcome (also
// as the page's status) and, once the winners are out, the jury's
// feedback. Until then the page says "submitted — under assessment" and
// nothing more.
func (h *Handler) addResult(r *http.Request, p *nominationPage, page string) error {
	if page != "nomination" {
		return nil
	}
	res, err := h.Publication.FeedbackFor(r.Context(), h.actor(r), p.N.PublicID)
	if err != nil {
		return err
	}
	p.Result = &nominationResult{L: p.L, Result: res}
	if res.Outcome != "" && res.FeedbackReleased {
		p.Result.Diploma = "/nominasjoner/" + url.PathEscape(p.N.PublicID) + "/diplom.pdf"
	}
	if res.Outcome != "" {
		p.StatusLabel, p.StatusColor = p.L.T("publication.outcome."+res.Outcome), "success"
	}
	return nil
}

// homePublications are the announcements due within a week, for admins.
type homePublications struct {
	L     *i18n.Localizer
	Items []publication.Announcement
	Now   time.Time
}

// upcomingWindow is how far ahead the admins' home page looks for
// announcements.
const upcomingWindow = 7 * 24 * time.Hour

func (h *Handler) homePublications(r *http.Request, l *i18n.Localizer) (homePublications, error) {
	list, err := h.Publication.Upcoming(r.Context(), h.actor(r), upcomingWindow)
	return homePublications{L: l, Items: list, Now: time.Now()}, err
}
