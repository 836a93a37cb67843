package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/nominations"
	"github.com/heder-awards/heder/internal/policy"
)

// reviewRoutes are the admin's list of a cycle's nominations: filters,
// search, the exports and the eligibility decision on each row.
func (h *Handler) reviewRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodGet, Pattern: "/admin/sykluser/{cycle}/nominasjoner", Gate: policy.Admin, Handler: h.handleReviewList},
		{Method: http.MethodPost, Pattern: "/admin/sykluser/{cycle}/nominasjoner/{id}/kvalifisering", Gate: policy.Admin, Handler: h.handleReviewEligibility},
	}
}

// filterKeys are the query parameters of the list's filter, in the order
// links carry them.
var filterKeys = []string{"q", "status", "county", "organisation", "challenge", "page"}

func reviewPath(cycle string) string {
	return "/admin/sykluser/" + url.PathEscape(cycle) + "/nominasjoner"
}

// filterQuery keeps only the filter's parameters of v, without empty
// ones, so that a link or redirect carries nothing else.
func filterQuery(v url.Values, page bool) url.Values {
	out := url.Values{}
	for _, k := range filterKeys {
		if k == "page" && !page {
			continue
		}
		if s := strings.TrimSpace(v.Get(k)); s != "" {
			out.Set(k, s)
		}
	}
	return out
}

// parseFilter reads the list's filter from query parameters; ids that
// are not numbers are field errors (message keys).
func parseFilter(v url.Values) (nominations.Filter, map[string]string) {
	f := nominations.Filter{Status: awards.NominationStatus(v.Get("status")), Challenge: awards.Challenge(v.Get("challenge")),
		Query: v.Get("q")}
	errs := map[string]string{}
	id := func(name string) int64 {
		s := strings.TrimSpace(v.Get(name))
		if s == "" {
			return 0
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			errs[name] = "exports.error.id"
		}
		return n
	}
	f.CountyID, f.OrganisationID = id("county"), id("organisation")
	if s := strings.TrimSpace(v.Get("page")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			errs["page"] = "exports.error.page"
		}
		f.Page = n
	}
	return f, errs
}

// statusCount is one status in the counts above the list, linked to the
// list filtered by it.
type statusCount struct {
	Label, Href string
	Count       int
	Current     bool
}

// reviewItem is a row of the list with its texts in the reader's
// language and, after a refused eligibility change, its form as posted.
type reviewItem struct {
	nominations.ListItem
	StatusLabel, StatusColor, ChallengeLabel string
	// ReasonError and Reason re-show the row's refused form, opened.
	ReasonError, Reason string
}

type reviewPage struct {
	Base
	Cycle  awards.Cycle
	Counts []statusCount
	Total  int
	// Form holds the filter as given; FieldErrors its translated errors.
	Form        map[string]string
	FieldErrors map[string]string
	Errors      []fieldError
	Problem     string
	// Selects are the filter's choices: status, county, organisation
	// and challenge.
	Selects                                         []reviewSelect
	Items                                           []reviewItem
	Matches, From, To, Page, Pages                  int
	Filtered                                        bool
	PrevHref, NextHref, XLSXHref, CSVHref, ListHref string
	// Back is the filter as a query string, for the rows' forms to
	// return to the same view.
	Back string
}

// reviewSelect is one of the filter's choices.
type reviewSelect struct {
	ID, Name, Label, Error string
	Options                []formOption
}

// rowError is a refused eligibility change to show on its row.
type rowError struct {
	id, reason, message, problem string
	status                       int
}

func (h *Handler) handleReviewList(w http.ResponseWriter, r *http.Request) {
	h.renderReview(w, r, r.URL.Query(), rowError{})
}

// renderReview shows the list filtered by query; re, when set, is a
// refused change to one row.
func (h *Handler) renderReview(w http.ResponseWriter, r *http.Request, query url.Values, re rowError) {
	ctx, actor, cycle := r.Context(), h.actor(r), chi.URLParam(r, "cycle")
	ov, err := h.Nominations.AdminOverview(ctx, actor, cycle)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p := reviewPage{Base: h.base(r, ""), Cycle: ov.Cycle, Total: ov.Total, Form: map[string]string{}, FieldErrors: map[string]string{},
		Problem: re.problem}
	l := p.L
	p.Title = l.T("exports.list_title", "Cycle", ov.Cycle.Title)
	for _, k := range filterKeys {
		p.Form[k] = query.Get(k)
	}
	f, errs := parseFilter(query)
	status := re.status
	var items []nominations.ListItem
	if len(errs) == 0 {
		items, p.Matches, err = h.Nominations.AdminList(ctx, actor, cycle, f)
		if fields := awards.ErrorFields(err); fields != nil {
			errs, err = fields, nil
		}
		if err != nil {
			h.Error(w, r, err)
			return
		}
	}
	for _, k := range filterKeys {
		if key, ok := errs[k]; ok {
			p.FieldErrors[k] = l.T(key)
			p.Errors = append(p.Errors, fieldError{ID: "filter-" + k, Message: p.FieldErrors[k]})
		}
	}
	if len(errs) > 0 {
		status = http.StatusUnprocessableEntity
	}
	if re.message != "" {
		p.Errors = append(p.Errors, fieldError{ID: "reason-" + re.id, Message: re.message})
	}

	base := reviewPath(cycle)
	fq := filterQuery(query, false)
	p.Filtered = len(fq) > 0
	p.Back = filterQuery(query, true).Encode()
	p.ListHref = base
	exports := "/api/v1/cycles/" + url.PathEscape(cycle) + "/exports/nominations"
	p.XLSXHref, p.CSVHref = withQuery(exports+".xlsx", fq), withQuery(exports+".csv", fq)
	p.Counts = statusCounts(l, base, fq, ov)
	anyOpt := formOption{Value: "", Label: l.T("exports.any")}
	statuses := []formOption{anyOpt}
	for _, s := range nominations.Statuses {
		statuses = append(statuses, formOption{Value: string(s), Label: l.T("nominations.status." + string(s)),
			Selected: string(s) == p.Form["status"]})
	}
	counties := []formOption{anyOpt}
	for _, c := range ov.Counties {
		id := strconv.FormatInt(c.ID, 10)
		counties = append(counties, formOption{Value: id, Label: c.Name, Selected: id == p.Form["county"]})
	}
	orgs := []formOption{anyOpt}
	for _, o := range ov.Organisations {
		id := strconv.FormatInt(o.ID, 10)
		label := o.Name
		if o.ValidTo != nil && o.SuccessorName != "" && o.SuccessorName != o.Name {
			label += " (" + l.T("exports.now_part_of", "Successor", o.SuccessorName) + ")"
		}
		orgs = append(orgs, formOption{Value: id, Label: label, Selected: id == p.Form["organisation"]})
	}
	challenges := []formOption{anyOpt}
	for _, c := range awards.Challenges {
		challenges = append(challenges, formOption{Value: string(c), Label: l.T("nominations.challenge." + string(c)),
			Selected: string(c) == p.Form["challenge"]})
	}
	for _, s := range []reviewSelect{{Name: "status", Options: statuses}, {Name: "county", Options: counties},
		{Name: "organisation", Options: orgs}, {Name: "challenge", Options: challenges}} {
		s.ID, s.Label, s.Error = "filter-"+s.Name, l.T("exports.field."+s.Name), p.FieldErrors[s.Name]
		p.Selects = append(p.Selects, s)
	}

	for _, it := range items {
		ri := reviewItem{ListItem: it}
		ri.StatusLabel, ri.StatusColor = nominationStatus(l, nominations.View{Nomination: awards.Nomination{Status: it.Status}, Open: true})
		if it.Challenge != "" {
			ri.ChallengeLabel = l.T("nominations.challenge." + string(it.Challenge))
		}
		if it.PublicID == re.id {
			ri.ReasonError, ri.Reason = re.message, re.reason
		}
		p.Items = append(p.Items, ri)
	}
	if p.Matches > 0 {
		p.Page = max(f.Page, 1)
		p.Pages = (p.Matches + nominations.PageSize - 1) / nominations.PageSize
		p.From = (p.Page-1)*nominations.PageSize + 1
		p.To = p.From + len(items) - 1
		if p.Page > 1 {
			p.PrevHref = withQuery(base, pageQuery(fq, min(p.Page-1, p.Pages)))
		}
		if p.Page < p.Pages {
			p.NextHref = withQuery(base, pageQuery(fq, p.Page+1))
		}
	}
	if status == 0 {
		status = http.StatusOK
	}
	h.Renderer.Render(w, status, "admin_nominations", p)
}

func withQuery(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

func pageQuery(fq url.Values, page int) url.Values {
	q := url.Values{}
	for k, v := range fq {
		q[k] = v
	}
	if page > 1 {
		q.Set("page", strconv.Itoa(page))
	}
	return q
}

// statusCounts are the cycle's nominations by status, each linked to the
// list filtered by that status (and the other filters as they are).
func statusCounts(l *i18n.Localizer, base string, fq url.Values, ov nominations.Overview) []statusCount {
	var out []statusCount
	for _, s := range nominations.Statuses {
		n := ov.Counts[s]
		if n == 0 {
			continue
		}
		q := pageQuery(fq, 1)
		q.Set("status", string(s))
		out = append(out, statusCount{Label: l.T("nominations.status." + string(s)), Count: n, Href: withQuery(base, q),
			Current: fq.Get("status") == string(s)})
	}
	return out
}

func (h *Handler) handleReviewEligibility(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	cycle, id := chi.URLParam(r, "cycle"), chi.URLParam(r, "id")
	back, _ := url.ParseQuery(r.PostForm.Get("back"))
	back = filterQuery(back, true)
	ineligible := r.PostForm.Get("ineligible") != "false"
	_, err := h.Nominations.SetIneligible(r.Context(), h.actor(r), id, ineligible, r.PostForm.Get("reason"))
	if err != nil {
		l := h.Bundle.Localizer(httpx.LangFrom(r.Context()))
		re := rowError{id: id, reason: r.PostForm.Get("reason"), status: httpx.Status(err)}
		switch {
		case awards.ErrorFields(err)["reason"] != "":
			re.message = l.T(awards.ErrorFields(err)["reason"])
		case awards.ErrorCode(err) == awards.EConflict:
			re.problem = l.T("exports.error.eligibility_conflict")
		default:
			h.Error(w, r, err)
			return
		}
		h.renderReview(w, r, back, re)
		return
	}
	if ineligible {
		h.flash(r, "nominations.marked_ineligible")
	} else {
		h.flash(r, "nominations.marked_eligible")
	}
	h.redirect(w, r, withQuery(reviewPath(cycle), back)+"#n-"+url.PathEscape(id))
}
