package ui

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/deciding"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/jurybook"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/scorestats"
	"github.com/heder-awards/heder/internal/scoring"
	"github.com/heder-awards/heder/internal/voting"
)

// decidingRoutes are the chair's and admins' pages for deciding: the
// ranking of each round (with a page and a strip plot per nomination,
// and the form that advances nominations to the next round), the decision,
// the feedback, the printable jury report and the jury book (PDF). The service decides who
// may see each cycle.
func (h *Handler) decidingRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodGet, Pattern: "/jury/{cycle}/rangering", Gate: policy.LoggedIn, Handler: h.handleRanking},
		{Method: http.MethodGet, Pattern: "/jury/{cycle}/rangering/{nomination}", Gate: policy.LoggedIn, Handler: h.handleRankingRow},
		{Method: http.MethodGet, Pattern: "/jury/{cycle}/rangering/{nomination}/poeng.svg", Gate: policy.LoggedIn, Handler: h.handleRankingPlot},
		{Method: http.MethodPost, Pattern: "/jury/{cycle}/runder/{round}/videre", Gate: policy.LoggedIn, Handler: h.handleAdvance},
		{Method: http.MethodGet, Pattern: "/jury/{cycle}/beslutning", Gate: policy.LoggedIn, Handler: h.handleDecisionShow},
		{Method: http.MethodPost, Pattern: "/jury/{cycle}/beslutning", Gate: policy.LoggedIn, Handler: h.handleDecisionSave},
		{Method: http.MethodGet, Pattern: "/jury/{cycle}/tilbakemeldinger", Gate: policy.LoggedIn, Handler: h.handleFeedbackList},
		{Method: http.MethodGet, Pattern: "/jury/{cycle}/tilbakemeldinger/{nomination}", Gate: policy.LoggedIn, Handler: h.handleFeedbackShow},
		{Method: http.MethodPost, Pattern: "/jury/{cycle}/tilbakemeldinger/{nomination}", Gate: policy.LoggedIn, Handler: h.handleFeedbackSave},
		{Method: http.MethodPost, Pattern: "/jury/{cycle}/tilbakemeldinger/{nomination}/fra-kommentarer", Gate: policy.LoggedIn, Handler: h.handleFeedbackFromComments},
		{Method: http.MethodGet, Pattern: "/jury/{cycle}/rapport", Gate: policy.LoggedIn, Handler: h.handleJuryReport},
		{Method: http.MethodGet, Pattern: "/jury/{cycle}/jurybok.pdf", Gate: policy.LoggedIn, Handler: h.handleJuryBook},
	}
}

func decidingPath(cycle, page string) string { return "/jury/" + url.PathEscape(cycle) + "/" + page }

// decidingProblems are the refusals the deciding pages explain.
var decidingProblems = []struct {
	err error
	key string
}{
	{deciding.ErrNotDeclared, "deciding.error.not_declared"},
	{deciding.ErrNotChair, "deciding.error.not_chair"},
	{deciding.ErrClosed, "deciding.error.closed"},
	{deciding.ErrAnnounced, "deciding.error.announced"},
	{deciding.ErrFinalRound, "deciding.error.final_round"},
	{deciding.ErrStaleRound, "deciding.error.round_stale"},
	{deciding.ErrNotJudging, "deciding.error.not_judging"},
}

func decidingProblem(l *i18n.Localizer, err error) (string, bool) {
	for _, p := range decidingProblems {
		if errors.Is(err, p.err) {
			return l.T(p.key), true
		}
	}
	return "", false
}

// decidingBase is what every deciding page starts with: the cycle and
// which of the pages it is, for the navigation between them.
type decidingBase struct {
	Base
	Cycle   deciding.Cycle
	Section string
	// Round names the round the page shows ("Runde 2 av 3: Kortliste"),
	// "" for a cycle that judges in one round.
	Round   string
	Errors  []fieldError
	Problem string
	// Unfinished are the jurors whose scores are missing or a draft, or
	// in a ranked vote whose ballot is not in, of which the ranking and
	// the decision pages warn.
	Unfinished []unfinishedJuror
}

// unfinishedJuror is a juror with nominations not yet scored (Missing)
// or scored but not submitted (Drafts), which the ranking leaves out; in
// a ranked vote, one whose ballot is not submitted (NoBallot).
type unfinishedJuror struct {
	Name            string
	Drafts, Missing int
	NoBallot        bool
}

// roundVote returns the count of rk's round when it is a ranked vote,
// else nil: the pages of such a round wait for ballots and follow the
// count, not scores.
func (h *Handler) roundVote(r *http.Request, rk *deciding.Ranking) (*voting.Outcome, error) {
	if !rk.Vote() {
		return nil, nil
	}
	o, err := h.Voting.Result(r.Context(), h.actor(r), rk.Round.ID)
	if err != nil {
		return nil, err
	}
	return &o, nil
}

// unfinished lists the jurors of the current round who are not done: in
// a ranked vote (vote, from roundVote) those whose ballot is not in, a
// vote having no scores to miss; otherwise those whose scores are not all
// submitted, from the jury's progress board. Whoever sees the ranking or
// the decision (the declared chair, the cycle's admins) sees both.
func (h *Handler) unfinished(r *http.Request, cycle string, vote *voting.Outcome) ([]unfinishedJuror, error) {
	var out []unfinishedJuror
	if vote != nil {
		for _, v := range vote.Voters {
			if v.SubmittedAt == nil {
				out = append(out, unfinishedJuror{Name: v.Name, NoBallot: true})
			}
		}
		return out, nil
	}
	b, err := h.Scoring.Progress(r.Context(), h.actor(r), cycle)
	if err != nil {
		return nil, err
	}
	for j, juror := range b.Jurors {
		u := unfinishedJuror{Name: juror.Name}
		for _, row := range b.Rows {
			switch row.Cells[j] {
			case scoring.CellDraft:
				u.Drafts++
			case scoring.CellNotStarted:
				u.Missing++
			}
		}
		if u.Drafts+u.Missing > 0 {
			out = append(out, u)
		}
	}
	return out, nil
}

func (h *Handler) decidingBase(r *http.Request, c deciding.Cycle, section, title string) decidingBase {
	b := decidingBase{Base: h.base(r, ""), Cycle: c, Section: section}
	b.Title = b.L.T(title, "Cycle", c.Title)
	return b
}

// decidingError explains what the deciding pages can (a seat that must
// declare first, a juror who is not the chair, a closed cycle) on the
// error page, with the error's status; anything else is the plain error
// page.
func (h *Handler) decidingError(w http.ResponseWriter, r *http.Request, err error) {
	l := h.Bundle.Localizer(httpx.LangFrom(r.Context()))
	msg, ok := decidingProblem(l, err)
	if !ok {
		h.Error(w, r, err)
		return
	}
	httpx.LogError(h.Logger, r, err)
	p := errorPage{Base: h.bareBase(r, ""), Status: httpx.Status(err), Heading: l.T("deciding.error.title"), Body: msg}
	p.Title = p.Heading
	h.Renderer.Render(w, p.Status, "error", p)
}

// The ranking.

func (h *Handler) handleRanking(w http.ResponseWriter, r *http.Request) {
	round, ok := rankingRound(r)
	if !ok {
		h.NotFound(w, r)
		return
	}
	h.renderRanking(w, r, round, refusal{})
}

// renderRanking renders the ranking page of round (0: the current one),
// with the advancing form as refused by rf, if it was.
func (h *Handler) renderRanking(w http.ResponseWriter, r *http.Request, round int64, rf refusal) {
	rk, err := h.Deciding.RankingFor(r.Context(), h.actor(r), chi.URLParam(r, "cycle"), round)
	if err != nil {
		h.decidingError(w, r, err)
		return
	}
	p := rankingPage{decidingBase: h.rankingBase(r, rk, "deciding.ranking.title"), Filter: parseRankFilter(r.URL.Query()),
		TableSlot: tableSlot, Query: rankingQuery(rk)}
	p.Problem = rf.problem
	// The jury's progress is the current round's: an earlier round's
	// page has nothing unfinished to warn of.
	if rk.Round.Current {
		vote, err := h.roundVote(r, rk)
		if err == nil {
			p.Unfinished, err = h.unfinished(r, rk.Cycle.PublicID, vote)
		}
		if err != nil {
			h.Error(w, r, err)
			return
		}
	}
	if p.rankingView, err = h.rankingView(p.L, rk, p.Filter, false); err != nil {
		h.Error(w, r, err)
		return
	}
	p.Rounds = newRoundsView(p.L, rk)
	if rk.Vote() {
		for _, n := range rk.Nominations {
			p.VoteNominations = append(p.VoteNominations, n)
		}
		slices.SortFunc(p.VoteNominations, func(a, b deciding.Nomination) int {
			return cmp.Or(strings.Compare(a.Title, b.Title), cmp.Compare(a.ID, b.ID))
		})
	}
	if p.Advance = newAdvanceForm(p.L, rk, rf); p.Advance != nil {
		p.Errors = p.Advance.errors
	}
	if rk.Round.ClosedAt != nil {
		a, err := h.Deciding.Advancements(r.Context(), h.actor(r), rk.Cycle.PublicID, rk.Round.ID)
		if err != nil {
			h.Error(w, r, err)
			return
		}
		p.Advanced = newAdvancedView(p.L, a)
	}
	status := rf.status
	if status == 0 {
		status = http.StatusOK
	}
	h.Renderer.renderSpliced(w, status, "deciding_ranking", p, p.Table)
}

func (h *Handler) handleRankingRow(w http.ResponseWriter, r *http.Request) {
	round, ok := rankingRound(r)
	if !ok {
		h.NotFound(w, r)
		return
	}
	rk, err := h.Deciding.RankingFor(r.Context(), h.actor(r), chi.URLParam(r, "cycle"), round)
	if err != nil {
		h.decidingError(w, r, err)
		return
	}
	row, n, ok := rk.Row(chi.URLParam(r, "nomination"))
	if !ok {
		h.NotFound(w, r)
		return
	}
	p := rankingRowPage{decidingBase: h.rankingBase(r, rk, "deciding.row.title"), Query: rankingQuery(rk)}
	p.Title = p.L.T("deciding.row.title", "Title", n.Title)
	p.fill(rk, row)
	h.Renderer.Render(w, http.StatusOK, "deciding_row", p)
}

// handleRankingPlot serves one nomination's strip plot as an image, so
// that a ranking of hundreds of nominations stays light: browsers fetch
// the plots as they scroll into view (loading="lazy"), and ask again with
// the ETag, which changes with the data.
func (h *Handler) handleRankingPlot(w http.ResponseWriter, r *http.Request) {
	round, ok := rankingRound(r)
	if !ok {
		h.NotFound(w, r)
		return
	}
	rk, err := h.Deciding.RankingFor(r.Context(), h.actor(r), chi.URLParam(r, "cycle"), round)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	row, n, ok := rk.Row(chi.URLParam(r, "nomination"))
	if !ok {
		h.NotFound(w, r)
		return
	}
	l := h.Bundle.Localizer(httpx.LangFrom(r.Context()))
	sum := sha256.Sum256([]byte(rk.Version + "|" + n.PublicID + "|" + l.Lang()))
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", "private, no-cache")
	w.Header().Set("Vary", "Cookie")
	for tag := range strings.SplitSeq(r.Header.Get("If-None-Match"), ",") {
		if strings.TrimSpace(tag) == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	lb := chartLabels(l)
	lb.Title = l.T("deciding.chart.strip_title", "Title", n.Title)
	svg := lb.StripPlot(row, rk.Inputs(), rk.CriterionNames(l.Lang()), row.PerJuror(), rk.JurorNames())
	w.Header().Set("Content-Type", "image/svg+xml; charset=utf-8")
	_, _ = w.Write([]byte(svg))
}

// The decision.

func (h *Handler) handleDecisionShow(w http.ResponseWriter, r *http.Request) {
	h.renderDecision(w, r, refusal{})
}

func (h *Handler) renderDecision(w http.ResponseWriter, r *http.Request, rf refusal) {
	st, err := h.Deciding.Decision(r.Context(), h.actor(r), chi.URLParam(r, "cycle"))
	if err != nil {
		h.decidingError(w, r, err)
		return
	}
	p := decisionPage{decidingBase: h.rankingBase(r, st.Ranking, "deciding.decision.title")}
	p.Section = "decision"
	p.Problem = rf.problem
	vote, err := h.roundVote(r, st.Ranking)
	if err == nil {
		p.Unfinished, err = h.unfinished(r, st.Viewer.Cycle.PublicID, vote)
	}
	if err != nil {
		h.Error(w, r, err)
		return
	}
	rows := st.Ranking.Result.Rows
	if vote != nil {
		// A ranked vote has no scores to rank by: its rows follow the
		// count once it may be shown.
		p.Intro = "deciding.decision.intro_vote_pending"
		if vote.Shown && vote.Result != nil {
			p.Intro = "deciding.decision.intro_vote"
			rows = byVote(rows, vote.Result.Groups)
		}
	}
	p.fill(st, rows, rf)
	render(h, w, rf, "deciding_decision", p)
}

// byVote returns rows in the order of a ranked vote's groups, best
// first; a row the count does not hold goes last.
func byVote(rows []scorestats.Row, groups [][]int64) []scorestats.Row {
	place := map[int64]int{}
	for _, g := range groups {
		for _, id := range g {
			place[id] = len(place) + 1
		}
	}
	placeOf := func(id int64) int {
		if p, ok := place[id]; ok {
			return p
		}
		return len(place) + 1
	}
	out := slices.Clone(rows)
	slices.SortStableFunc(out, func(a, b scorestats.Row) int { return cmp.Compare(placeOf(a.Nomination), placeOf(b.Nomination)) })
	return out
}

// decisionInput reads the decision form: one outcome (and statements) per
// nomination row, fields named as deciding.Field names them.
func decisionInput(form url.Values) deciding.DecisionInput {
	in := deciding.DecisionInput{Reason: form.Get(deciding.FieldReason)}
	var ids []string
	for k := range form {
		if id, ok := strings.CutPrefix(k, deciding.FieldOutcome+"-"); ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	for _, id := range ids {
		outcome := form.Get(deciding.Field(deciding.FieldOutcome, id))
		if outcome == "" {
			continue
		}
		in.Decisions = append(in.Decisions, deciding.DecisionItem{NominationID: id, Outcome: outcome,
			StatementNB: form.Get(deciding.Field(deciding.FieldNB, id)),
			StatementNN: form.Get(deciding.Field(deciding.FieldNN, id)),
			StatementEN: form.Get(deciding.Field(deciding.FieldEN, id))})
	}
	return in
}

func (h *Handler) handleDecisionSave(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	cycle := chi.URLParam(r, "cycle")
	if _, err := h.Deciding.SetDecision(r.Context(), h.actor(r), cycle, decisionInput(r.PostForm)); err != nil {
		l := h.Bundle.Localizer(httpx.LangFrom(r.Context()))
		rf := refusal{values: r.PostForm, status: httpx.Status(err), errs: translateFields(l, err)}
		if rf.errs == nil {
			if errors.Is(err, deciding.ErrClosed) || errors.Is(err, deciding.ErrAnnounced) {
				rf.problem, _ = decidingProblem(l, err)
			} else {
				h.decidingError(w, r, err)
				return
			}
		}
		h.renderDecision(w, r, rf)
		return
	}
	h.flash(r, "deciding.flash.decision")
	h.redirect(w, r, decidingPath(cycle, "beslutning"))
}

// The feedback.

func (h *Handler) handleFeedbackList(w http.ResponseWriter, r *http.Request) {
	l, err := h.Deciding.FeedbackList(r.Context(), h.actor(r), chi.URLParam(r, "cycle"))
	if err != nil {
		h.decidingError(w, r, err)
		return
	}
	p := feedbackListPage{decidingBase: h.decidingBase(r, l.Viewer.Cycle, "feedback", "deciding.feedback.title"), List: l}
	h.Renderer.Render(w, http.StatusOK, "deciding_feedback_list", p)
}

func (h *Handler) handleFeedbackShow(w http.ResponseWriter, r *http.Request) {
	h.renderFeedback(w, r, refusal{})
}

func (h *Handler) renderFeedback(w http.ResponseWriter, r *http.Request, rf refusal) {
	f, err := h.Deciding.Feedback(r.Context(), h.actor(r), chi.URLParam(r, "cycle"), chi.URLParam(r, "nomination"))
	if err != nil {
		h.decidingError(w, r, err)
		return
	}
	p := feedbackPage{decidingBase: h.decidingBase(r, f.Viewer.Cycle, "feedback", "deciding.feedback.title"), F: f}
	p.Title = p.L.T("deciding.feedback.edit_title", "Title", f.Nomination.Title)
	p.Problem = rf.problem
	values := rf.values
	if values == nil {
		values = url.Values{"body": {f.Body}}
	}
	b := newForm(p.L, "feedback", feedbackPath(f.Viewer.PublicID, f.Nomination.PublicID), "deciding.feedback.save", values, rf.errs)
	b.add(formField{Name: "body", Type: "textarea", Rows: 18, MaxLength: deciding.MaxFeedback, Lang: f.Language}, "deciding.feedback.body", "deciding.feedback.body_hint")
	b.f.Fields[0].Label = p.L.T("deciding.feedback.body") // the text may be empty: no "(optional)"
	p.Form = b.f
	p.Errors = errorList(&p.Form)
	render(h, w, rf, "deciding_feedback", p)
}

func feedbackPath(cycle, nomination string) string {
	return decidingPath(cycle, "tilbakemeldinger/"+url.PathEscape(nomination))
}

func (h *Handler) feedbackRefused(w http.ResponseWriter, r *http.Request, err error) {
	l := h.Bundle.Localizer(httpx.LangFrom(r.Context()))
	rf := refusal{values: r.PostForm, status: httpx.Status(err), errs: translateFields(l, err)}
	if rf.errs == nil {
		if !errors.Is(err, deciding.ErrClosed) && !errors.Is(err, deciding.ErrAnnounced) {
			h.decidingError(w, r, err)
			return
		}
		rf.problem, _ = decidingProblem(l, err)
	}
	h.renderFeedback(w, r, rf)
}

func (h *Handler) handleFeedbackSave(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	cycle, nomination := chi.URLParam(r, "cycle"), chi.URLParam(r, "nomination")
	if _, err := h.Deciding.SaveFeedback(r.Context(), h.actor(r), cycle, nomination, r.PostForm.Get("body")); err != nil {
		h.feedbackRefused(w, r, err)
		return
	}
	h.flash(r, "deciding.flash.feedback")
	h.redirect(w, r, feedbackPath(cycle, nomination))
}

func (h *Handler) handleFeedbackFromComments(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	cycle, nomination := chi.URLParam(r, "cycle"), chi.URLParam(r, "nomination")
	if _, err := h.Deciding.DraftFeedbackFromComments(r.Context(), h.actor(r), cycle, nomination); err != nil {
		h.feedbackRefused(w, r, err)
		return
	}
	h.flash(r, "deciding.flash.from_comments")
	h.redirect(w, r, feedbackPath(cycle, nomination)+"#feedback-body")
}

// The report, and the jury book made from it.

func (h *Handler) handleJuryBook(w http.ResponseWriter, r *http.Request) {
	cycle := chi.URLParam(r, "cycle")
	b, err := h.Deciding.Book(r.Context(), h.actor(r), cycle)
	if err != nil {
		h.decidingError(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := jurybook.Write(&buf, h.Bundle.Localizer(httpx.LangFrom(r.Context())), b); err != nil {
		h.Error(w, r, err)
		return
	}
	httpx.WritePDF(w, "jurybok-"+cycle+".pdf", buf.Bytes())
}

func (h *Handler) handleJuryReport(w http.ResponseWriter, r *http.Request) {
	rep, err := h.Deciding.Report(r.Context(), h.actor(r), chi.URLParam(r, "cycle"))
	if err != nil {
		h.decidingError(w, r, err)
		return
	}
	p := reportPage{decidingBase: h.rankingBase(r, rep.Ranking, "deciding.report.title"), Rep: rep}
	p.Section = "report"
	if p.rankingView, err = h.rankingView(p.L, rep.Ranking, rankFilter{}, true); err != nil {
		h.Error(w, r, err)
		return
	}
	h.Renderer.Render(w, http.StatusOK, "deciding_report", p)
}
