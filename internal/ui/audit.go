package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/heder-awards/heder/internal/auditlog"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/policy"
)

// auditPath is the audit page.
const auditPath = "/admin/logg"

func (h *Handler) auditRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodGet, Pattern: auditPath, Gate: policy.Admin, Handler: h.handleAuditList},
	}
}

// auditKeys are the filter's fields, in the order links carry them;
// after (the page) comes last and is not a field.
var auditKeys = []string{"cycle", "nomination", "actor", "action", "from", "to", "after"}

type auditPage struct {
	Base
	// Form holds the filter as given; FieldErrors its translated errors.
	Form        map[string]string
	FieldErrors map[string]string
	Errors      []fieldError
	// CycleSelect and Selects (person, action) are the filter's choices.
	CycleSelect reviewSelect
	Selects     []reviewSelect
	// DateKeys are the date fields' names.
	DateKeys []string
	Rows     []auditRow
	// Filtered: some field is set; Paged: this is not the newest page.
	Filtered, Paged                        bool
	ListHref, NextHref, FirstHref, CSVHref string
}

// auditRow is one entry as people read it.
type auditRow struct {
	ID int64
	// When is in Europe/Oslo for reading, ISO for the time element.
	When, ISO string
	// Who is the person's name, or Heder for the system.
	Who    string
	System bool
	// What: the action and the kind of thing, in words; Subject is the
	// thing, linked by SubjectHref where it has a page.
	Action, Entity string
	Subject        auditlog.Subject
	SubjectHref    string
	// OnlyHref filters the log by the entry's nomination.
	OnlyHref string
	Changes  []auditChange
}

// auditChange is one changed field. A value of an enumeration is shown
// in words, with its code kept for machines in a data element.
type auditChange struct {
	auditlog.Change
	// Label names the field in words; "" shows the field's name.
	Label                 string
	BeforeCode, AfterCode string
}

// auditValues names, by entity and field, the messages of the values of
// the enumerations that entries keep, so that the log says "Utkast" and
// not draft. Fields are matched in lower case: some entities are kept
// with Go's field names.
var auditValues = map[string]string{
	"nomination.status":    "nominations.status.",
	"nomination.challenge": "nominations.challenge.",
	"cycle.phase":          "cycles.phase.",
	"award.kind":           "cycles.award_kind.",
	"announcement.kind":    "publication.kind.",
	"organisation.kind":    "orgs.kind.",
}

// maxValue is how much of a changed value the page shows; the CSV has it
// all.
const maxValue = 300

func (h *Handler) handleAuditList(w http.ResponseWriter, r *http.Request) {
	ctx, actor, query := r.Context(), h.actor(r), r.URL.Query()
	p := auditPage{Base: h.base(r, "audit.title"), Form: map[string]string{}, FieldErrors: map[string]string{}, ListHref: auditPath,
		DateKeys: []string{"from", "to"}}
	l := p.L
	fq := url.Values{}
	for _, k := range auditKeys {
		p.Form[k] = query.Get(k)
		if v := query.Get(k); v != "" && k != "after" {
			fq.Set(k, v)
		}
	}
	p.Filtered, p.Paged = len(fq) > 0, p.Form["after"] != ""
	choices, err := h.Audit.Choices(ctx, actor)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	status := http.StatusOK
	q := auditlog.Query{Cycle: p.Form["cycle"], Nomination: p.Form["nomination"], Actor: p.Form["actor"], Action: p.Form["action"],
		From: p.Form["from"], To: p.Form["to"], After: p.Form["after"]}
	page, err := h.Audit.List(ctx, actor, q)
	if fields := awards.ErrorFields(err); fields != nil {
		for _, k := range auditKeys {
			if key, ok := fields[k]; ok {
				p.FieldErrors[k] = l.T(key)
				p.Errors = append(p.Errors, fieldError{ID: "filter-" + k, Message: p.FieldErrors[k]})
			}
		}
		status, err = http.StatusUnprocessableEntity, nil
	}
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p.options(l, choices)
	for _, e := range page.Entries {
		p.Rows = append(p.Rows, auditRowOf(l, e))
	}
	p.FirstHref = withQuery(auditPath, fq)
	p.CSVHref = withQuery("/api/v1/audit.csv", fq)
	if page.Next != 0 {
		nq := url.Values{}
		for k, v := range fq {
			nq[k] = v
		}
		nq.Set("after", strconv.FormatInt(page.Next, 10))
		p.NextHref = withQuery(auditPath, nq)
	}
	// The log holds e-mail addresses and other personal data.
	w.Header().Set("Cache-Control", "no-store")
	h.Renderer.Render(w, status, "audit", p)
}

// options fills the filter's choices, the current ones selected.
func (p *auditPage) options(l *i18n.Localizer, c auditlog.Choices) {
	anyOpt := formOption{Value: "", Label: l.T("audit.any")}
	cycles := []formOption{anyOpt}
	for _, cy := range c.Cycles {
		cycles = append(cycles, formOption{Value: cy.PublicID, Label: cy.Title, Selected: cy.PublicID == p.Form["cycle"]})
	}
	actors := []formOption{anyOpt, {Value: "system", Label: l.T("audit.system_option"), Selected: p.Form["actor"] == "system"}}
	for _, a := range c.Actors {
		id := strconv.FormatInt(a.ID, 10)
		actors = append(actors, formOption{Value: id, Label: a.Name, Selected: id == p.Form["actor"]})
	}
	actions := []formOption{anyOpt}
	for _, a := range c.Actions {
		actions = append(actions, formOption{Value: a, Label: actionWords(l, a), Selected: a == p.Form["action"]})
	}
	sel := func(name string, opts []formOption) reviewSelect {
		return reviewSelect{ID: "filter-" + name, Name: name, Label: l.T("audit.field." + name), Error: p.FieldErrors[name], Options: opts}
	}
	p.CycleSelect = sel("cycle", cycles)
	p.Selects = []reviewSelect{sel("actor", actors), sel("action", actions)}
}

func auditRowOf(l *i18n.Localizer, e auditlog.Entry) auditRow {
	row := auditRow{ID: e.ID, When: l.FormatTime(e.At), ISO: e.At.In(i18n.Oslo()).Format(time.RFC3339), Who: e.ActorName,
		Action: actionWords(l, e.Action), Entity: e.Entity, Subject: e.Subject}
	if e.ActorID == 0 {
		row.Who, row.System = l.T("audit.system"), true
	}
	if s := l.T("audit.entity." + e.Entity); s != "audit.entity."+e.Entity {
		row.Entity = s
	}
	switch e.Subject.Kind {
	case "nomination":
		row.SubjectHref = "/nominasjoner/" + url.PathEscape(e.Subject.Ref)
		row.OnlyHref = withQuery(auditPath, url.Values{"nomination": {e.Subject.Ref}})
	case "cycle":
		row.SubjectHref = "/admin/sykluser/" + url.PathEscape(e.Subject.Ref)
	case "award":
		row.SubjectHref = "/admin/priser/" + url.PathEscape(e.Subject.Ref)
	case "organisation":
		row.SubjectHref = "/organisasjoner/" + url.PathEscape(e.Subject.Ref)
	}
	for _, c := range auditlog.Changes(e.Before, e.After) {
		ch := auditChange{Change: c, Label: auditFieldLabel(l, e.Entity, c.Field)}
		if prefix, ok := auditValues[e.Entity+"."+strings.ToLower(c.Field)]; ok {
			ch.Before, ch.BeforeCode = auditValue(l, prefix, c.Before, c.BeforeSet)
			ch.After, ch.AfterCode = auditValue(l, prefix, c.After, c.AfterSet)
		}
		ch.Before, ch.After = shorten(ch.Before), shorten(ch.After)
		row.Changes = append(row.Changes, ch)
	}
	return row
}

// auditValue returns a code in words and the code, or the value as it is
// and "" when it is no code with a message.
func auditValue(l *i18n.Localizer, prefix, v string, set bool) (string, string) {
	if s := l.T(prefix + v); set && v != "" && s != prefix+v {
		return s, v
	}
	return v, ""
}

// actionWords is the action in words, or its name when it has none yet
// (an action added without its text still shows).
func actionWords(l *i18n.Localizer, action string) string {
	if s := l.T("audit.action." + action); s != "audit.action."+action {
		return s
	}
	return action
}

func shorten(s string) string {
	if utf8.RuneCountInString(s) <= maxValue {
		return s
	}
	r := []rune(s)
	return string(r[:maxValue]) + "…"
}
