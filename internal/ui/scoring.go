package ui

import (
	"errors"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/deciding"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/scoring"
)

// scoringRoutes are the jurors' pages: their nominations, the scoring
// screen (save, submit, the discussion, the chair's reopening), and the
// chair's and admins' progress board. Jurors open the nominations' files
// through the attachments' own route, which the jury area opens to them.
// The service decides about each cycle and nomination.
func (h *Handler) scoringRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodGet, Pattern: "/jury/{cycle}", Gate: policy.LoggedIn, Handler: h.handleJuryList},
		{Method: http.MethodGet, Pattern: "/jury/{cycle}/fremdrift", Gate: policy.LoggedIn, Handler: h.handleJuryProgress},
		{Method: http.MethodPost, Pattern: "/jury/{cycle}/fremdrift/paminnelser", Gate: policy.LoggedIn, Handler: h.handleJuryRemind},
		{Method: http.MethodGet, Pattern: "/jury/{cycle}/nominasjoner/{id}", Gate: policy.LoggedIn, Handler: h.handleScoringShow},
		{Method: http.MethodPost, Pattern: "/jury/{cycle}/nominasjoner/{id}", Gate: policy.LoggedIn, Handler: h.handleScoringSave},
		{Method: http.MethodPost, Pattern: "/jury/{cycle}/nominasjoner/{id}/kommentarer", Gate: policy.LoggedIn, Handler: h.handleJuryComment},
		{Method: http.MethodPost, Pattern: "/jury/{cycle}/nominasjoner/{id}/gjenapne", Gate: policy.LoggedIn, Handler: h.handleScoringReopen},
	}
}

// juryPath is a path under /jury/{cycle}.
func juryPath(cycle string, part ...string) string {
	p := "/jury/" + url.PathEscape(cycle)
	for _, s := range part {
		p += "/" + url.PathEscape(s)
	}
	return p
}

// declarePath is where a juror declares their conflicts of interest (the
// jury area's page).
func declarePath(cycle string) string { return juryPath(cycle, "habilitet") }

// juryError answers a refusal of the jury pages: an undeclared juror is
// sent to declare their conflicts first, everything else gets the error
// page.
func (h *Handler) juryError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, scoring.ErrNotDeclared) {
		h.redirect(w, r, declarePath(chi.URLParam(r, "cycle")))
		return
	}
	h.Error(w, r, err)
}

// deadlineText says when a cycle's scoring closes, with how long is left:
// "Frist 20. april 2027 kl. 12.00 — om 4 dager".
func deadlineText(l *i18n.Localizer, c scoring.Cycle, now time.Time) string {
	switch {
	case c.Deadline == nil:
		return l.T("scoring.no_deadline")
	case now.Before(*c.Deadline):
		return l.T("scoring.deadline", "Date", l.FormatTime(*c.Deadline), "Relative", l.Relative(*c.Deadline, now))
	}
	return l.T("scoring.deadline_passed", "Date", l.FormatTime(*c.Deadline))
}

// scoringStatusTag is the label and tag colour of a juror's status.
func scoringStatusTag(l *i18n.Localizer, s scoring.Status) (string, string) {
	switch s {
	case scoring.Submitted:
		return l.T("scoring.status.submitted"), "success"
	case scoring.Draft:
		return l.T("scoring.status.draft"), "warning"
	}
	return l.T("scoring.status.not_started"), "neutral"
}

// scoringTag is a scoring status tag's text and colour.
type scoringTag struct{ Label, Color string }

// scoreOption is one radio button of a score control.
type scoreOption struct {
	ID, Value, Label string
	Checked          bool
}

// scoreItem is one criterion (of one project) on the scoring form.
type scoreItem struct {
	Key                 scoring.Key
	Field, CommentField string
	Name, Help, Scale   string
	// CommentLabel names the cell's comment field, which follows all the
	// scales: "Kommentar til Nytt".
	CommentLabel string
	// Radios: the scale is short enough for one radio button per point;
	// else a number field with Min, Max and Step.
	Radios          bool
	Options         []scoreOption
	Min, Max, Step  string
	Value, Comment  string
	Error, CommentE string
	// ValueText is the stored score as read (read-only views).
	ValueText string
}

// scoreGroup is the criteria of one project (or of the nomination).
type scoreGroup struct {
	Legend string
	Items  []scoreItem
}

// othersRow is one cell of the jury's scores table: every juror's score
// and the spread.
type othersRow struct {
	Criterion, Project string
	Values             []string
	Spread             string
}

type othersJuror struct {
	ID                int64
	Name              string
	Chair, You        bool
	SubmittedAt       string
	Comments          []othersComment
	ReasonID, ReasonE string
	// CommentsHeading heads the juror's comments.
	CommentsHeading string
}

type othersComment struct {
	Criterion, Body string
}

type scoringPage struct {
	Base
	S      scoring.Screen
	Cycle  string
	Self   string
	Groups []scoreGroup
	// Errors are the messages next to the fields by element id, Summary
	// the error summary's entries in the form's order (naming the
	// criterion), Alert a message for the whole form.
	Errors  map[string]string
	Summary []fieldError
	Alert   string
	// Missing names the criteria still without a score.
	Missing     []string
	Deadline    string
	StatusLabel string
	StatusColor string
	// StatusTags are the tag's label and colour for each status, by the
	// API's status value, for scoring.js to show the status an autosave's
	// answer reports.
	StatusTags map[string]scoringTag
	SavedText  string
	Submitted  string
	// Projects are the nomination's projects with their headings.
	Projects []scoringProject
	// Comments are the discussion's posts.
	Comments []scoringComment
	// Earlier is how the nomination fared in the rounds before this one,
	// where the round shows its jurors earlier results.
	Earlier []deciding.EarlierResult
	// Lbl are the texts repeated on the page.
	Lbl scoringLabels
	// The jury's work, once visible.
	Jurors      []othersJuror
	OthersRows  []othersRow
	CommentForm map[string]string
	Autosave    bool
	// Progress counts the cells with a score, as the form shows them.
	Progress scoringProgress
	// ToScore links to the next nomination the juror has left to submit.
	ToScore, ToScoreText string
}

// scoringProgress is the criteria panel's "3 av 6 kriterier"; Template
// is the same text with "{done}" for scoring.js to fill in.
type scoringProgress struct {
	Done, Total    int
	Text, Template string
}

// scoringProject is a project as the scoring screen shows it, every value
// ready to print: the page is read many times in a row, and each lookup
// in a template costs.
type scoringProject struct {
	Heading, Organisation, Description, Results, Partners, Period string
	Links                                                         []string
	Measures                                                      []scoringMeasure
	Files                                                         []scoringFile
}

type scoringMeasure struct {
	Label, Value string
}

type scoringFile struct {
	Href, Filename, AltText, Type, Size string
	Image                               bool
}

// scoringComment is a post in the discussion, ready to print.
type scoringComment struct {
	ID               int64
	Author, When     string
	Body             string
	Chair            bool
	ChairLabel, Mine string
}

// scoringLabels are the texts the scoring screen repeats, translated once
// per page.
type scoringLabels struct {
	Owner, Description, Results, Measures, Partners, Period, Links, Attachments string
	Value, Chair                                                                string
}

// pointLabel shows a score as people read it in lang.
func pointLabel(lang string, v float64) string { return formatNumber(lang, v) }

// maxRadios is the most points a scale may have to get radio buttons;
// longer scales get a number field.
const maxRadios = 21

// scoringPage builds the scoring screen's data. posted, when set, holds
// what the person sent in a refused save, shown instead of what is
// stored; errs are the messages by element id.
func (h *Handler) scoringPage(r *http.Request, s scoring.Screen, posted url.Values, errs map[string]string) scoringPage {
	cycle := chi.URLParam(r, "cycle")
	if errs == nil {
		errs = map[string]string{}
	}
	p := scoringPage{Base: h.base(r, ""), S: s, Cycle: cycle, Self: juryPath(cycle, "nominasjoner", s.NominationID),
		Errors: errs, CommentForm: map[string]string{}, Autosave: s.CanSave}
	inSummary := map[string]bool{}
	summarise := func(id, msg string) {
		p.Summary = append(p.Summary, fieldError{ID: id, Message: msg})
		inSummary[id] = true
	}
	l := p.L
	lang := l.Lang()
	p.Title = s.Nomination.Title
	if p.Title == "" {
		p.Title = l.T("nominations.untitled")
	}
	p.Deadline = deadlineText(l, s.Cycle, s.Now)
	if s.Cycle.Round.Position > 1 {
		var err error
		if p.Earlier, err = h.Deciding.EarlierResults(r.Context(), s.Nomination.ID, s.Cycle.Round.ID); err != nil {
			// The screen stands without them: a juror can still score.
			slog.ErrorContext(r.Context(), "earlier results for the scoring screen", "nomination", s.Nomination.ID, "err", err)
		}
	}
	p.StatusLabel, p.StatusColor = scoringStatusTag(l, s.Status)
	p.StatusTags = map[string]scoringTag{}
	for _, st := range []scoring.Status{scoring.NotStarted, scoring.Draft, scoring.Submitted} {
		label, color := scoringStatusTag(l, st)
		p.StatusTags[string(st)] = scoringTag{Label: label, Color: color}
	}
	if s.SavedAt != nil {
		p.SavedText = l.T("scoring.saved_at", "Time", s.SavedAt.In(i18n.Oslo()).Format("15.04"))
	}
	if s.SubmittedAt != nil {
		p.Submitted = l.T("scoring.submitted_at", "Date", l.FormatTime(*s.SubmittedAt))
	}
	p.Lbl = scoringLabels{Owner: l.T("nominations.project.owner"), Description: l.T("nominations.project.description"),
		Results: l.T("nominations.project.results"), Measures: l.T("nominations.project.measures"),
		Partners: l.T("nominations.project.partners"), Period: l.T("nominations.project.period"),
		Links: l.T("nominations.project.links"), Attachments: l.T("nominations.project.attachments"),
		Value: l.T("scoring.value_label"), Chair: l.T("role.chair")}
	for i, pr := range s.Nomination.Projects {
		sp := scoringProject{Heading: l.T("nominations.part.project", "Count", i+1, "Title", pr.Title), Organisation: pr.Organisation,
			Description: pr.Description, Results: pr.Results, Partners: pr.Partners, Links: pr.Links}
		if pr.PeriodStart != nil || pr.PeriodEnd != nil {
			var from, to string
			if pr.PeriodStart != nil {
				from = l.FormatDate(*pr.PeriodStart)
			}
			if pr.PeriodEnd != nil {
				to = l.FormatDate(*pr.PeriodEnd)
			}
			sp.Period = from + " – " + to
		}
		for _, m := range pr.Measures {
			v := formatNumber(lang, m.Value)
			if m.Unit != "" {
				v += " " + m.Unit
			}
			sp.Measures = append(sp.Measures, scoringMeasure{Label: m.Label, Value: v})
		}
		for _, a := range pr.Attachments {
			sp.Files = append(sp.Files, scoringFile{Href: "/vedlegg/" + url.PathEscape(a.PublicID),
				Filename: a.Filename, AltText: a.AltText, Image: strings.HasPrefix(a.ContentType, "image/"),
				Type: l.T("attachments.type." + strings.TrimPrefix(strings.TrimPrefix(a.ContentType, "application/"), "image/")),
				Size: formatSize(a.Size, lang)})
		}
		p.Projects = append(p.Projects, sp)
	}
	for _, c := range s.Comments {
		p.Comments = append(p.Comments, scoringComment{ID: c.ID, Author: c.Author, When: l.FormatTime(c.CreatedAt), Body: c.Body, Chair: c.Chair})
	}
	names := map[int64]string{}
	for _, cr := range s.Criteria {
		names[cr.ID] = cr.Name(lang)
	}
	titles := map[string]string{}
	for _, pr := range s.Projects {
		titles[pr.ID] = pr.Title
	}
	cellName := func(k scoring.Key) string {
		if k.ProjectID != "" {
			return names[k.CriterionID] + " (" + titles[k.ProjectID] + ")"
		}
		return names[k.CriterionID]
	}
	if s.Scoring {
		groups := []scoreGroup{{}}
		if s.Level == scoring.LevelProject {
			groups = nil
			for _, pr := range s.Projects {
				groups = append(groups, scoreGroup{Legend: pr.Title})
			}
		}
		for gi := range groups {
			for _, cr := range s.Criteria {
				k := scoring.Key{CriterionID: cr.ID}
				if s.Level == scoring.LevelProject {
					k.ProjectID = s.Projects[gi].ID
				}
				it := p.scoreItem(cr, k, posted)
				it.CommentLabel = l.T("scoring.comment_for", "Name", cellName(k))
				if it.Error != "" {
					summarise(it.Field, cellName(k)+": "+it.Error)
				}
				if it.CommentE != "" {
					summarise(it.CommentField, cellName(k)+": "+it.CommentE)
				}
				groups[gi].Items = append(groups[gi].Items, it)
			}
		}
		p.Groups = groups
		p.Progress = p.progress()
		if s.ToScore.PublicID != "" {
			p.ToScore = juryPath(cycle, "nominasjoner", s.ToScore.PublicID)
			p.ToScoreText = l.T("scoring.to_score", "Title", s.ToScore.Title)
		}
		for _, k := range s.Missing {
			p.Missing = append(p.Missing, cellName(k))
		}
	}
	// The cells' errors come in the form's order, then any others.
	for _, id := range slices.Sorted(maps.Keys(errs)) {
		switch {
		case inSummary[id]:
		case id == "body":
			summarise(id, l.T("scoring.comment_body")+": "+errs[id])
		case strings.HasPrefix(id, "reason-"):
			summarise(id, l.T("scoring.reopen_reason")+": "+errs[id])
		default:
			summarise(id, errs[id])
		}
	}
	if s.SeeWork {
		you := scoring.JurorScores{JurorID: s.JurorID, Name: l.T("scoring.you"), SubmittedAt: deref(s.SubmittedAt), Scores: s.Scores}
		all := s.Others
		if s.SubmittedAt != nil {
			all = append([]scoring.JurorScores{you}, s.Others...)
		}
		for _, j := range all {
			oj := othersJuror{ID: j.JurorID, Name: j.Name, Chair: j.Chair, You: j.JurorID == s.JurorID && s.JurorID != 0,
				SubmittedAt: l.FormatTime(j.SubmittedAt), ReasonID: "reason-" + strconv.FormatInt(j.JurorID, 10)}
			oj.ReasonE = errs[oj.ReasonID]
			oj.CommentsHeading = l.T("scoring.comments_by", "Name", j.Name)
			if oj.You {
				oj.CommentsHeading = l.T("scoring.your_comments")
			}
			for _, sc := range j.Scores {
				if sc.Comment != "" {
					oj.Comments = append(oj.Comments, othersComment{Criterion: cellName(sc.Key), Body: sc.Comment})
				}
			}
			p.Jurors = append(p.Jurors, oj)
		}
		spread := map[scoring.Key]scoring.Spread{}
		for _, sp := range s.Spread {
			spread[sp.Key] = sp
		}
		for _, k := range s.Keys() {
			row := othersRow{Criterion: names[k.CriterionID], Project: titles[k.ProjectID]}
			for _, j := range all {
				val := "–"
				for _, sc := range j.Scores {
					if sc.Key == k && sc.Value != nil {
						val = pointLabel(lang, *sc.Value)
					}
				}
				row.Values = append(row.Values, val)
			}
			if sp, ok := spread[k]; ok {
				row.Spread = l.T("scoring.spread", "From", pointLabel(lang, sp.Min), "To", pointLabel(lang, sp.Max),
					"Mean", formatNumber(lang, round1(sp.Mean)), "Std", formatNumber(lang, round1(sp.Std)))
			}
			p.OthersRows = append(p.OthersRows, row)
		}
	}
	return p
}

// progress counts the cells of the form with a score.
func (p *scoringPage) progress() scoringProgress {
	var pr scoringProgress
	for _, g := range p.Groups {
		for _, it := range g.Items {
			pr.Total++
			if strings.TrimSpace(it.Value) != "" {
				pr.Done++
			}
		}
	}
	id := "scoring.criteria_progress"
	if p.S.Level == scoring.LevelProject {
		id = "scoring.cells_progress"
	}
	pr.Text = p.L.T(id, "Done", pr.Done, "Count", pr.Total)
	pr.Template = p.L.T(id, "Done", "{done}", "Count", pr.Total)
	return pr
}

func deref(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

func round1(x float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', 1, 64), 64)
	return v
}

// scoreItem builds the control of cell k of criterion cr, filled with
// what was posted or else what is stored.
func (p *scoringPage) scoreItem(cr awards.Criterion, k scoring.Key, posted url.Values) scoreItem {
	l, lang := p.L, p.L.Lang()
	it := scoreItem{Key: k, Field: k.Field(), CommentField: k.CommentField(), Name: cr.Name(lang), Help: cr.Help(lang),
		Scale: l.T("scoring.scale", "From", pointLabel(lang, cr.ScaleMin), "To", pointLabel(lang, cr.ScaleMax))}
	if sc, ok := p.S.Score(k); ok {
		it.Comment = sc.Comment
		if sc.Value != nil {
			it.Value = strconv.FormatFloat(*sc.Value, 'f', -1, 64)
			it.ValueText = pointLabel(lang, *sc.Value)
		}
	}
	if posted != nil {
		it.Value, it.Comment = posted.Get(it.Field), posted.Get(it.CommentField)
	}
	points := scoring.Points(cr)
	it.Radios = len(points) <= maxRadios
	it.Min, it.Max, it.Step = strconv.FormatFloat(cr.ScaleMin, 'f', -1, 64), strconv.FormatFloat(cr.ScaleMax, 'f', -1, 64),
		strconv.FormatFloat(cr.ScaleStep, 'f', -1, 64)
	if it.Radios {
		// The first radio carries the field's id, so that the error
		// summary's link lands on the group.
		it.Options = append(it.Options, scoreOption{ID: it.Field, Value: "", Label: l.T("scoring.no_score"), Checked: it.Value == ""})
		for i, pt := range points {
			v := strconv.FormatFloat(pt, 'f', -1, 64)
			label := pointLabel(lang, pt)
			switch i {
			case 0:
				label = l.T("scoring.point_lowest", "Value", label)
			case len(points) - 1:
				label = l.T("scoring.point_highest", "Value", label)
			}
			checked := it.Value != ""
			if checked {
				f, err := strconv.ParseFloat(strings.Replace(it.Value, ",", ".", 1), 64)
				checked = err == nil && f == pt
			}
			it.Options = append(it.Options, scoreOption{ID: it.Field + "-" + strconv.Itoa(i), Value: v, Label: label, Checked: checked})
		}
	}
	it.Error, it.CommentE = p.Errors[it.Field], p.Errors[it.CommentField]
	return it
}

// maxScoringForm bounds a posted scoring form: every comment at its
// longest on a few dozen cells.
const maxScoringForm = 2 << 20

func parseScoringForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxScoringForm)
	if err := r.ParseForm(); err != nil {
		return awards.Errorf(awards.EInvalid, "the form could not be read")
	}
	return nil
}

// cellsFromForm reads the score cells a form posted: "score-<criterion>"
// (or "score-<criterion>-<project>") and the matching "comment-…" fields.
func cellsFromForm(form url.Values) ([]scoring.Cell, error) {
	keys := map[scoring.Key]bool{}
	var order []scoring.Key
	fields := map[string]string{}
	for name := range form {
		var rest string
		switch {
		case strings.HasPrefix(name, "score-"):
			rest = strings.TrimPrefix(name, "score-")
		case strings.HasPrefix(name, "comment-"):
			rest = strings.TrimPrefix(name, "comment-")
		default:
			continue
		}
		idText, project, _ := strings.Cut(rest, "-")
		id, err := strconv.ParseInt(idText, 10, 64)
		if err != nil || id <= 0 {
			fields[name] = "scoring.error.criterion"
			continue
		}
		k := scoring.Key{CriterionID: id, ProjectID: project}
		if !keys[k] {
			keys[k] = true
			order = append(order, k)
		}
	}
	if len(fields) > 0 {
		return nil, awards.Invalid(fields)
	}
	sort.Slice(order, func(i, j int) bool { return order[i].Field() < order[j].Field() })
	cells := make([]scoring.Cell, 0, len(order))
	for _, k := range order {
		v, key := scoring.ParseValue(form.Get(k.Field()))
		if key != "" {
			fields[k.Field()] = key
			continue
		}
		cells = append(cells, scoring.Cell{Key: k, Value: v, Comment: form.Get(k.CommentField())})
	}
	if len(fields) > 0 {
		return nil, awards.Invalid(fields)
	}
	return cells, nil
}

// handleScoringSave saves the form as a draft ("Lagre"), saves and goes on
// to the next nomination, or saves and submits ("Send inn"), as the
// button pressed says.
func (h *Handler) handleScoringSave(w http.ResponseWriter, r *http.Request) {
	cycle, id := chi.URLParam(r, "cycle"), chi.URLParam(r, "id")
	if err := parseScoringForm(w, r); err != nil {
		h.refuseScoring(w, r, err, nil)
		return
	}
	cells, err := cellsFromForm(r.PostForm)
	if err != nil {
		h.refuseScoring(w, r, err, r.PostForm)
		return
	}
	self := juryPath(cycle, "nominasjoner", id)
	switch r.PostForm.Get("action") {
	case "submit":
		if _, err := h.Scoring.Submit(r.Context(), h.actor(r), cycle, id, cells); err != nil {
			h.refuseScoring(w, r, err, r.PostForm)
			return
		}
		h.flash(r, "scoring.submitted_flash")
		h.redirect(w, r, self+"#jury-work")
	default:
		if _, err := h.Scoring.Save(r.Context(), h.actor(r), cycle, id, cells); err != nil {
			h.refuseScoring(w, r, err, r.PostForm)
			return
		}
		next := r.PostForm.Get("next")
		if r.PostForm.Get("action") == "next" && next != "" {
			h.flash(r, "scoring.saved_next")
			h.redirect(w, r, juryPath(cycle, "nominasjoner", next))
			return
		}
		h.flash(r, "scoring.saved")
		h.redirect(w, r, self)
	}
}

// scoringAlert explains a refusal that is about the whole form.
func scoringAlert(l *i18n.Localizer, err error, s scoring.Screen) (string, bool) {
	switch {
	case errors.Is(err, scoring.ErrIncomplete):
		return l.T("scoring.error.incomplete"), true
	case errors.Is(err, scoring.ErrSubmitted):
		return l.T("scoring.error.submitted"), true
	case errors.Is(err, scoring.ErrClosed) && s.Cycle.Deadline != nil && !s.Now.Before(*s.Cycle.Deadline):
		return l.T("scoring.error.deadline", "Date", l.FormatTime(*s.Cycle.Deadline)), true
	case errors.Is(err, scoring.ErrClosed):
		return l.T("scoring.error.closed"), true
	case errors.Is(err, scoring.ErrNotSubmitted):
		return l.T("scoring.error.not_submitted"), true
	case awards.ErrorCode(err) == awards.EInvalid:
		return l.T("scoring.error.form"), true
	case awards.ErrorCode(err) == awards.EConflict:
		return l.T("scoring.error.conflict"), true
	}
	return "", false
}

// refuseScoring shows the scoring screen again after a refused save,
// submission, comment or reopening: an error summary linked to the
// fields, a message next to each, and the person's own input (posted,
// for the scoring form; the comment and reason fields keep theirs).
func (h *Handler) refuseScoring(w http.ResponseWriter, r *http.Request, err error, posted url.Values) {
	s, serr := h.Scoring.Screen(r.Context(), h.actor(r), chi.URLParam(r, "cycle"), chi.URLParam(r, "id"))
	if serr != nil {
		h.juryError(w, r, serr)
		return
	}
	l := h.Bundle.Localizer(httpx.LangFrom(r.Context()))
	alert, ok := scoringAlert(l, err, s)
	if !ok {
		h.Error(w, r, err)
		return
	}
	errs := map[string]string{}
	for field, key := range awards.ErrorFields(err) {
		switch field {
		case "reason", "juror_id":
			errs["reason-"+r.PostForm.Get("juror_id")] = l.T(key)
		default:
			errs[field] = l.T(key)
		}
	}
	p := h.scoringPage(r, s, posted, errs)
	p.Alert = alert
	p.CommentForm["body"] = r.PostForm.Get("body")
	p.CommentForm["reason-"+r.PostForm.Get("juror_id")] = r.PostForm.Get("reason")
	h.Renderer.Render(w, httpx.Status(err), "jury_nomination", p)
}

func (h *Handler) handleJuryComment(w http.ResponseWriter, r *http.Request) {
	cycle, id := chi.URLParam(r, "cycle"), chi.URLParam(r, "id")
	if err := parseScoringForm(w, r); err != nil {
		h.refuseScoring(w, r, err, nil)
		return
	}
	if _, err := h.Scoring.AddComment(r.Context(), h.actor(r), cycle, id, r.PostForm.Get("body")); err != nil {
		h.refuseScoring(w, r, err, nil)
		return
	}
	h.flash(r, "scoring.comment_added")
	h.redirect(w, r, juryPath(cycle, "nominasjoner", id)+"#discussion")
}

func (h *Handler) handleScoringReopen(w http.ResponseWriter, r *http.Request) {
	cycle, id := chi.URLParam(r, "cycle"), chi.URLParam(r, "id")
	if err := parseScoringForm(w, r); err != nil {
		h.refuseScoring(w, r, err, nil)
		return
	}
	juror, err := strconv.ParseInt(r.PostForm.Get("juror_id"), 10, 64)
	if err != nil || juror <= 0 {
		h.refuseScoring(w, r, awards.Invalid(map[string]string{"juror_id": "scoring.error.juror"}), nil)
		return
	}
	if err := h.Scoring.Reopen(r.Context(), h.actor(r), cycle, id, juror, r.PostForm.Get("reason")); err != nil {
		h.refuseScoring(w, r, err, nil)
		return
	}
	h.flash(r, "scoring.reopened")
	h.redirect(w, r, juryPath(cycle, "nominasjoner", id)+"#jury-work")
}

// boardCell is one cell of the progress board.
type boardCell struct {
	Label, Color string
}

type boardRow struct {
	scoring.BoardRow
	Cells []boardCell
	Total string
}

type boardJuror struct {
	scoring.BoardJuror
	Total string
	// Remind: something is left, and the juror has an address.
	Remind bool
}

type progressPage struct {
	Base
	Board    scoring.Board
	Cycle    string
	Jurors   []boardJuror
	Rows     []boardRow
	Total    string
	Deadline string
	// RemindAll: several have work left; AnyRemind: someone has.
	RemindAll, AnyRemind bool
}

var cellColors = map[scoring.CellState]string{
	scoring.CellDone: "success", scoring.CellDraft: "warning", scoring.CellNotStarted: "neutral",
	scoring.CellConflict: "danger", scoring.CellUnassigned: "neutral",
}

func (h *Handler) handleJuryProgress(w http.ResponseWriter, r *http.Request) {
	cycle := chi.URLParam(r, "cycle")
	b, err := h.Scoring.Progress(r.Context(), h.actor(r), cycle)
	if err != nil {
		h.juryError(w, r, err)
		return
	}
	p := progressPage{Base: h.base(r, "scoring.progress_title"), Board: b, Cycle: cycle}
	l := p.L
	p.Title = l.T("scoring.progress_title_cycle", "Cycle", b.Cycle.Title)
	p.Deadline = deadlineText(l, b.Cycle, b.Now)
	p.Total = l.T("scoring.progress", "Done", b.Done, "Total", b.Assigned)
	behind := 0
	for _, j := range b.Jurors {
		bj := boardJuror{BoardJuror: j, Total: l.T("scoring.progress", "Done", j.Done, "Total", j.Assigned)}
		if (j.Assigned > j.Done || !j.Declared) && j.Email != "" {
			bj.Remind = true
			behind++
		}
		p.Jurors = append(p.Jurors, bj)
	}
	p.AnyRemind, p.RemindAll = behind > 0, behind > 1
	for _, row := range b.Rows {
		br := boardRow{BoardRow: row, Total: l.T("scoring.progress", "Done", row.Done, "Total", row.Assigned)}
		for _, c := range row.Cells {
			br.Cells = append(br.Cells, boardCell{Label: l.T("scoring.cell." + string(c)), Color: cellColors[c]})
		}
		p.Rows = append(p.Rows, br)
	}
	h.Renderer.Render(w, http.StatusOK, "jury_progress", p)
}

// handleJuryRemind queues a reminder to one juror (form field juror) or
// to every juror with work left, in the outbox, which sends it at once.
func (h *Handler) handleJuryRemind(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	cycle := chi.URLParam(r, "cycle")
	var juror int64
	if s := r.PostForm.Get("juror"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			h.juryError(w, r, awards.Errorf(awards.ENotFound, "no such juror"))
			return
		}
		juror = n
	}
	if _, err := h.Scoring.Remind(r.Context(), h.actor(r), cycle, juror); err != nil {
		h.juryError(w, r, err)
		return
	}
	h.flash(r, "outbox.jury_reminder.queued")
	h.redirect(w, r, juryPath(cycle, "fremdrift")+"#reminders")
}
