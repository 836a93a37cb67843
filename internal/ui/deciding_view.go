package ui

import (
	"bytes"
	"cmp"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/heder-awards/heder/internal/deciding"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/scorestats"
)

// Numbers as the deciding pages show them.

// num formats v with dec decimals, with a decimal comma in Norwegian.
func num(l *i18n.Localizer, v float64, dec int) string {
	s := strconv.FormatFloat(v, 'f', dec, 64)
	if strings.Trim(s, "-0.") == "" {
		s = strings.TrimPrefix(s, "-")
	}
	if l.Lang() != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// signed formats a standardised figure with its sign: "+0,85", "-1,20".
func signed(l *i18n.Localizer, v float64) string {
	s := num(l, v, 2)
	if !strings.HasPrefix(s, "-") && strings.Trim(s, "0.,") != "" {
		s = "+" + s
	}
	return s
}

// chartLabels are the charts' words in the reader's language.
func chartLabels(l *i18n.Localizer) scorestats.Labels {
	return scorestats.Labels{Mean: l.T("deciding.chart.mean"), SD: l.T("deciding.chart.sd"), JuryMean: l.T("deciding.chart.jury_mean"),
		Score: l.T("deciding.chart.score"), Disagree: l.T("deciding.chart.disagree"), Juror: l.T("deciding.chart.juror"),
		DecimalComma: l.Lang() != "en"}
}

// rankFilter is the ranking page's query: which rows and in what order.
type rankFilter struct {
	Disagree  bool // uenighet=1: only rows where the jurors disagree
	Finalists bool // finalister=1: only finalists, winners and mentions
	Raw       bool // sorter=raa: by the raw rank
}

func parseRankFilter(q url.Values) rankFilter {
	return rankFilter{Disagree: q.Get("uenighet") == "1", Finalists: q.Get("finalister") == "1", Raw: q.Get("sorter") == "raa"}
}

// rankRow is one nomination's line in the ranking, formatted.
type rankRow struct {
	PublicID, Title, Nominees string
	Outcome                   string
	ZRank, RawRank            int
	// ZPlace and RawPlace are the ranks as shown: "=2" when shared.
	ZPlace, RawPlace        string
	ZTied, RawTied          bool
	RawMean, ZMean          string
	Scores, Jurors          int
	Spread, SpreadCriterion string
	// Disagree names the criteria the jurors disagree on, joined.
	Disagree string
	PlotURL  string
}

// alphaView is the jury's agreement, formatted and put in words.
type alphaView struct {
	Defined       bool
	Value         string
	Band          string // deciding.alpha.<band>
	Units, Values int
	// Shared is how many rows (nominations, or projects) at least two
	// jurors scored, and Min how many alpha needs to say anything.
	Shared, Min int
}

// minAlphaRows is how many nominations (or projects) at least two jurors
// must have scored before alpha is shown: over two or three, one juror's
// different view of a single nomination swings it from "good" to "none",
// a verdict the figures do not carry.
const minAlphaRows = 5

func newAlpha(l *i18n.Localizer, r scorestats.Result) alphaView {
	a := alphaView{Defined: r.AlphaDefined, Units: r.AlphaUnits, Values: r.AlphaValues, Band: "undefined", Min: minAlphaRows}
	for _, row := range r.Rows {
		if row.Jurors >= 2 {
			a.Shared++
		}
	}
	if !r.AlphaDefined {
		return a
	}
	if a.Shared < minAlphaRows {
		a.Defined, a.Band = false, "few"
		return a
	}
	a.Value = num(l, r.Alpha, 2)
	switch {
	case r.Alpha >= 0.8:
		a.Band = "good"
	case r.Alpha >= 0.667:
		a.Band = "tentative"
	case r.Alpha > 0:
		a.Band = "weak"
	default:
		a.Band = "none"
	}
	return a
}

// jurorLine is one juror's leniency, formatted in the scale's units.
type jurorLine struct {
	Name             string
	N                int
	Mean, SD, Diff   string
	Stricter, Kinder bool
}

// newRankRow formats a row of rk; names are the criteria's names.
func newRankRow(l *i18n.Localizer, rk *deciding.Ranking, row scorestats.Row, names map[int64]string) rankRow {
	res := rk.Result
	n := rk.Nominations[row.Nomination]
	rr := rankRow{PublicID: n.PublicID, Title: n.Title, Nominees: n.Nominees, Outcome: n.Outcome, ZRank: row.ZRank,
		RawRank: row.RawRank, ZPlace: scorestats.Place(row.ZRank, row.ZTied), RawPlace: scorestats.Place(row.RawRank, row.RawTied),
		ZTied: row.ZTied, RawTied: row.RawTied,
		Scores: row.Scores, Jurors: row.Jurors, RawMean: "–", ZMean: "–", Spread: "–",
		PlotURL: decidingPath(rk.Cycle.PublicID, "rangering/"+url.PathEscape(n.PublicID)+"/poeng.svg") + rankingQuery(rk)}
	if row.ZRank != 0 {
		if res.SameScale {
			rr.RawMean = num(l, res.Scaled(row.RawMean), 2)
		} else {
			rr.RawMean = num(l, 100*row.RawMean, 0) + " %"
		}
		rr.ZMean = signed(l, row.ZMean)
	}
	widest := -1.0
	for _, st := range row.Criteria {
		if st.N >= 2 && st.SD > widest {
			widest, rr.SpreadCriterion = st.SD, names[st.Criterion]
		}
	}
	if widest >= 0 {
		rr.Spread = num(l, widest, 2)
	}
	if widest <= 0 {
		rr.SpreadCriterion = "" // no criterion stands out
	}
	var dis []string
	for _, id := range row.DisagreeCriteria {
		dis = append(dis, names[id])
	}
	rr.Disagree = strings.Join(dis, ", ")
	return rr
}

// rankingView is what the ranking page and the report share: made once
// per computed ranking, language and filter, and kept (views), since a
// ranking of hundreds of nominations is read far more often than it
// changes.
type rankingView struct {
	Hidden int
	Shown  int
	Total  int
	Scale  string // "1–5", or "" for mixed scales
	// Table is the ranking table, rendered.
	Table template.HTML
	// Figures are the rows' strip plots with their tables, in the table's
	// order: the report's; the page links each plot as an image.
	Figures  []scoresView
	Alpha    alphaView
	Projects *alphaView
	Leniency template.HTML
	Jurors   []jurorLine
	JuryMean string
}

// rankingTable is the data of the template "deciding-ranking-table".
type rankingTable struct {
	L     *i18n.Localizer
	Cycle deciding.Cycle
	Scale string
	Rows  []rankRow
	// Thumbs adds a column with each row's strip plot as an image.
	Thumbs bool
	// Raw: the rows are sorted by the raw rank, which then leads each row.
	Raw bool
	// Query keeps the links on the ranking's round (rankingQuery).
	Query string
}

// views keeps the rankingViews made last: a page's view of 500
// nominations is about half a megabyte.
var views = viewCache{max: 32, m: map[string]*rankingView{}}

type viewCache struct {
	mu    sync.Mutex
	max   int
	m     map[string]*rankingView
	order []string
}

func (c *viewCache) get(key string) (*rankingView, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[key]
	return v, ok
}

func (c *viewCache) put(key string, v *rankingView) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[key]; ok {
		return
	}
	if len(c.order) >= c.max {
		delete(c.m, c.order[0])
		c.order = c.order[1:]
	}
	c.m[key] = v
	c.order = append(c.order, key)
}

// fragment renders one named template of a page's set, for keeping.
func (r *Renderer) fragment(page, name string, data any) (template.HTML, error) {
	t, ok := r.pages[page]
	if !ok {
		return "", fmt.Errorf("template %s missing", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		return "", fmt.Errorf("render %s of %s: %w", name, page, err)
	}
	return template.HTML(buf.String()), nil // safe: html/template's output
}

// rankingView returns the view of rk for the reader's language and the
// filter, with the strip plots and their tables inline (the report) or
// linked as images from the table (the page).
func (h *Handler) rankingView(l *i18n.Localizer, rk *deciding.Ranking, f rankFilter, inlinePlots bool) (*rankingView, error) {
	// The report, with a plot per nomination, is large and rarely read:
	// it is not kept.
	key := fmt.Sprintf("%d|%s|%t|%t|%t", rk.Serial, l.Lang(), f.Disagree, f.Finalists, f.Raw)
	if v, ok := views.get(key); ok && !inlinePlots {
		return v, nil
	}
	v := &rankingView{Hidden: rk.Hidden}
	res := rk.Result
	lang := l.Lang()
	names := rk.CriterionNames(lang)
	if res.SameScale {
		v.Scale = num(l, res.ScaleMin, -1) + "–" + num(l, res.ScaleMax, -1)
	}
	rows := res.Rows
	if f.Raw {
		rows = slices.Clone(rows)
		slices.SortStableFunc(rows, func(a, b scorestats.Row) int {
			if (a.RawRank == 0) != (b.RawRank == 0) {
				if a.RawRank == 0 {
					return 1
				}
				return -1
			}
			return cmp.Compare(a.RawRank, b.RawRank)
		})
	}
	v.Total = len(rows)
	t := rankingTable{L: l, Cycle: rk.Cycle, Scale: v.Scale, Thumbs: !inlinePlots, Raw: f.Raw, Query: rankingQuery(rk)}
	for _, row := range rows {
		n := rk.Nominations[row.Nomination]
		if f.Disagree && !row.Disagree || f.Finalists && n.Outcome == "" {
			continue
		}
		t.Rows = append(t.Rows, newRankRow(l, rk, row, names))
		if inlinePlots && row.Scores > 0 {
			v.Figures = append(v.Figures, newScoresView(l, rk, row))
		}
	}
	v.Shown = len(t.Rows)
	var err error
	if v.Table, err = h.Renderer.fragment("deciding_ranking", "deciding-ranking-table", t); err != nil {
		return nil, err
	}
	v.Alpha = newAlpha(l, res)
	if rk.ProjectLevel != nil {
		a := newAlpha(l, *rk.ProjectLevel)
		v.Projects = &a
	}

	// Leniency: jurors by name, in the scale's units where there is one.
	stats := slices.Clone(res.Jurors)
	slices.SortFunc(stats, func(a, b scorestats.JurorStats) int {
		return cmp.Or(strings.Compare(rk.Jurors[a.Juror].Name, rk.Jurors[b.Juror].Name), cmp.Compare(a.Juror, b.Juror))
	})
	if len(stats) > 0 {
		lb := chartLabels(l)
		lb.Title = l.T("deciding.chart.leniency_title")
		v.Leniency = lb.LeniencyChart(stats, rk.JurorNames(), res.ScaleMin, res.ScaleMax)
	}
	v.JuryMean = num(l, res.Scaled(res.JuryMean), 2)
	for _, s := range stats {
		d := res.ScaledSD(s.Mean - res.JuryMean)
		v.Jurors = append(v.Jurors, jurorLine{Name: rk.Jurors[s.Juror].Name, N: s.N, Mean: num(l, res.Scaled(s.Mean), 2),
			SD: num(l, res.ScaledSD(s.SD), 2), Diff: signed(l, d), Stricter: d < -0.005, Kinder: d > 0.005})
	}
	if !inlinePlots {
		views.put(key, v)
	}
	return v, nil
}

// The ranking page.

type rankingPage struct {
	decidingBase
	*rankingView
	Filter rankFilter
	// TableSlot is where the page's template puts the (kept) table.
	TableSlot template.HTML
	// Query keeps links on the page's round (rankingQuery).
	Query  string
	Rounds roundsView
	// Advance is the form that advances nominations out of the round,
	// nil when none can be; Advanced the nominations advanced out of it
	// once it is closed.
	Advance  *advanceForm
	Advanced *advancedView
	// VoteNominations are a ranked vote's nominations by title, listed
	// instead of the table of scores, which such a round has none of.
	VoteNominations []deciding.Nomination
}

// tableSlot marks where renderSpliced puts a kept fragment. Nothing a
// person types can produce it: their "<" is escaped.
const tableSlot template.HTML = "<!--heder:kept-fragment-->"

// bufs are the buffers renderSpliced renders pages into.
var bufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// renderSpliced renders a page, as Render does, whose template writes
// tableSlot where the kept fragment belongs, and writes the fragment
// there itself. A ranking of hundreds of rows is half a megabyte that is
// the same for every reader: copied through the template and a growing
// buffer, it cost most of the page's time and memory.
func (r *Renderer) renderSpliced(w http.ResponseWriter, status int, page string, data any, fragment template.HTML) {
	t, ok := r.pages[page]
	if !ok {
		r.logger.Error("template missing", "page", page)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	buf := bufs.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= 1<<20 {
			buf.Reset()
			bufs.Put(buf)
		}
	}()
	buf.Reset()
	if err := t.Execute(buf, data); err != nil {
		r.logger.Error("render template", "page", page, "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	before, after, found := bytes.Cut(buf.Bytes(), []byte(tableSlot))
	if !found {
		fragment = "" // the page has no place for it (nothing to show)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(before)+len(fragment)+len(after)))
	w.WriteHeader(status)
	_, _ = w.Write(before)
	_, _ = io.WriteString(w, string(fragment))
	_, _ = w.Write(after)
}

// One nomination's page in the ranking.

type scoreLine struct {
	Juror  string
	Values []string
}

type projectLine struct {
	Title, RawMean, ZMean string
	Scores, Jurors        int
	Means                 []string
}

// scoresView is one nomination's strip plot with its data table: the
// jurors' values per criterion, with mean, spread and disagreement.
type scoresView struct {
	L        *i18n.Localizer
	Title    string
	Plot     template.HTML
	Criteria []string
	Scales   []string
	Lines    []scoreLine
	Means    []string
	SDs      []string
	Flags    []bool
}

func newScoresView(l *i18n.Localizer, rk *deciding.Ranking, row scorestats.Row) scoresView {
	n := rk.Nominations[row.Nomination]
	v := scoresView{L: l, Title: n.Title}
	lb := chartLabels(l)
	lb.Title = l.T("deciding.chart.strip_title", "Title", n.Title)
	lb.Description = l.T("deciding.chart.strip_desc")
	v.Plot = lb.StripPlot(row, rk.Inputs(), rk.CriterionNames(l.Lang()), row.PerJuror(), rk.JurorNames())
	for _, c := range rk.Criteria {
		v.Criteria = append(v.Criteria, c.Name(l.Lang()))
		v.Scales = append(v.Scales, num(l, c.Min, -1)+"–"+num(l, c.Max, -1))
		st, _ := row.Criterion(c.ID)
		mean, sd := "–", "–"
		if st.N > 0 {
			mean = num(l, st.Mean, 2)
		}
		if st.N > 1 {
			sd = num(l, st.SD, 2)
		}
		v.Means, v.SDs, v.Flags = append(v.Means, mean), append(v.SDs, sd), append(v.Flags, st.Disagree)
	}
	for _, jv := range rk.ScoreTable(row) {
		line := scoreLine{Juror: jv.Juror.Name}
		for _, x := range jv.Values {
			s := "–"
			if x != nil {
				s = num(l, *x, -1)
			}
			line.Values = append(line.Values, s)
		}
		v.Lines = append(v.Lines, line)
	}
	return v
}

type rankingRowPage struct {
	decidingBase
	// Query keeps links on the page's round (rankingQuery).
	Query    string
	Row      rankRow
	Scores   scoresView
	Projects []projectLine
	Criteria []string
	Scale    string
}

func (p *rankingRowPage) fill(rk *deciding.Ranking, row scorestats.Row) {
	l := p.L
	p.Row = newRankRow(l, rk, row, rk.CriterionNames(l.Lang()))
	if rk.Result.SameScale {
		p.Scale = num(l, rk.Result.ScaleMin, -1) + "–" + num(l, rk.Result.ScaleMax, -1)
	}
	p.Scores = newScoresView(l, rk, row)
	p.Criteria = p.Scores.Criteria
	for _, pr := range row.Projects {
		pl := projectLine{Title: rk.Projects[pr.Project].Title, Scores: pr.Scores, Jurors: pr.Jurors,
			ZMean: signed(l, pr.ZMean), RawMean: num(l, 100*pr.RawMean, 0) + " %"}
		if rk.Result.SameScale {
			pl.RawMean = num(l, rk.Result.Scaled(pr.RawMean), 2)
		}
		for _, st := range pr.Criteria {
			m := "–"
			if st.N > 0 {
				m = num(l, st.Mean, 2)
			}
			pl.Means = append(pl.Means, m)
		}
		p.Projects = append(p.Projects, pl)
	}
}

// The decision page.

type decisionRow struct {
	PublicID, Title, Nominees string
	ZRank                     int
	ZTied                     bool
	Outcome                   formField
	Statements                []formField
	// Open shows the statements: the nomination has an outcome, or one of
	// its fields an error.
	Open     bool
	Recorded *deciding.Decision
	// Elsewhere: the nomination is not in the round ranked here (it
	// stopped in an earlier one), but has a decision, which the form
	// must carry so that saving does not take it away unseen.
	Elsewhere bool
}

type decisionPage struct {
	decidingBase
	// Intro is the key of the text above the form: the order of the rows
	// is the adjusted ranking's, or in a ranked vote the count's.
	Intro     string
	Rows      []decisionRow
	Decisions []deciding.Decision
	Reason    formField
	Finalists int
	Winners   int
	Mentions  int
	Usual     int
	// Changes: a decision is recorded, so a change may need a reason
	// (the field is shown only then).
	Changes bool
}

// fill makes the form's rows: one for each row of ranked (the ranking's
// order, or the vote's), then one for each decision about a nomination
// not among them.
func (p *decisionPage) fill(st deciding.DecisionState, ranked []scorestats.Row, rf refusal) {
	l := p.L
	if p.Intro == "" {
		p.Intro = "deciding.decision.intro"
	}
	p.Decisions, p.Usual = st.Decisions, deciding.UsualFinalists
	p.Finalists, p.Winners, p.Mentions = st.Count(deciding.Finalist), st.Count(deciding.Winner), st.Count(deciding.HonourableMention)
	p.Changes = len(st.Decisions) > 0
	values := rf.values
	if values == nil {
		values = url.Values{}
		for _, d := range st.Decisions {
			id := d.NominationPublicID
			values.Set(deciding.Field(deciding.FieldOutcome, id), d.Outcome)
			values.Set(deciding.Field(deciding.FieldNB, id), d.StatementNB)
			values.Set(deciding.Field(deciding.FieldNN, id), d.StatementNN)
			values.Set(deciding.Field(deciding.FieldEN, id), d.StatementEN)
		}
	}
	b := newForm(l, "decision", "", "deciding.decision.save", values, rf.errs)
	opts := func() []formOption {
		out := []formOption{{Value: "", Label: l.T("deciding.outcome.none")}}
		for _, o := range deciding.Outcomes {
			out = append(out, formOption{Value: o, Label: l.T("deciding.outcome." + o)})
		}
		return out
	}
	inRanking := map[int64]bool{}
	rows := make([]decisionRow, 0, len(ranked)+len(st.Decisions))
	for _, row := range ranked {
		n := st.Ranking.Nominations[row.Nomination]
		inRanking[row.Nomination] = true
		dr := decisionRow{PublicID: n.PublicID, Title: n.Title, Nominees: n.Nominees, ZRank: row.ZRank, ZTied: row.ZTied}
		if d, ok := st.Of(row.Nomination); ok {
			dr.Recorded = &d
		}
		rows = append(rows, dr)
	}
	for _, d := range st.Decisions {
		if !inRanking[d.NominationID] {
			rows = append(rows, decisionRow{PublicID: d.NominationPublicID, Title: d.Title, Nominees: d.Nominees, Recorded: &d, Elsewhere: true})
		}
	}
	for _, dr := range rows {
		id := dr.PublicID
		start := len(b.f.Fields)
		b.choices(deciding.Field(deciding.FieldOutcome, id), "deciding.decision.outcome", "", "select", false, opts())
		b.add(formField{Name: deciding.Field(deciding.FieldNB, id), Type: "textarea", Rows: 4, MaxLength: deciding.MaxStatement, Lang: "nb"},
			"deciding.decision.statement_nb", "deciding.decision.statement_nb_hint")
		b.add(formField{Name: deciding.Field(deciding.FieldNN, id), Type: "textarea", Rows: 4, MaxLength: deciding.MaxStatement, Lang: "nn"},
			"deciding.decision.statement_nn", "")
		b.add(formField{Name: deciding.Field(deciding.FieldEN, id), Type: "textarea", Rows: 4, MaxLength: deciding.MaxStatement, Lang: "en"},
			"deciding.decision.statement_en", "")
		fields := b.f.Fields[start:]
		fields[0].Label = l.T("deciding.decision.outcome_for", "Title", dr.Title)
		fields[1].Label = l.T("deciding.decision.statement_nb")
		dr.Outcome, dr.Statements = fields[0], slices.Clone(fields[1:])
		dr.Open = values.Get(fields[0].Name) != ""
		for _, f := range fields {
			dr.Open = dr.Open || f.Error != ""
		}
		p.Rows = append(p.Rows, dr)
	}
	b.add(formField{Name: deciding.FieldReason, Type: "textarea", Rows: 3, MaxLength: deciding.MaxReason}, "deciding.decision.reason", "deciding.decision.reason_hint")
	p.Reason = b.f.Fields[len(b.f.Fields)-1]
	p.Reason.Label = l.T("deciding.decision.reason") // needed only for some changes: its hint says which
	p.Errors = errorList(&b.f)
}

// The feedback pages.

type feedbackListPage struct {
	decidingBase
	List deciding.FeedbackList
}

type feedbackPage struct {
	decidingBase
	F    deciding.Feedback
	Form form
}

// The report.

type reportPage struct {
	decidingBase
	*rankingView
	Rep deciding.Report
}
