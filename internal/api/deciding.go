package api

import (
	"bytes"
	"context"
	"io"
	"mime"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/deciding"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/jurybook"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/scorestats"
)

// decidingRoutes are the ranking, the decision, the feedback and the score
// exports of a cycle: its chair's and the admins'. The service decides.
func (h *Handler) decidingRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodGet, Pattern: "/api/v1/cycles/{cycle}/ranking", Gate: policy.LoggedIn, Handler: h.handleRanking},
		{Method: http.MethodGet, Pattern: "/api/v1/cycles/{cycle}/decision", Gate: policy.LoggedIn, Handler: h.handleDecisionGet},
		{Method: http.MethodPut, Pattern: "/api/v1/cycles/{cycle}/decision", Gate: policy.LoggedIn, Handler: h.handleDecisionPut},
		{Method: http.MethodGet, Pattern: "/api/v1/cycles/{cycle}/feedback", Gate: policy.LoggedIn, Handler: h.handleFeedbackList},
		{Method: http.MethodGet, Pattern: "/api/v1/nominations/{id}/feedback", Gate: policy.LoggedIn, Handler: h.handleFeedbackGet},
		{Method: http.MethodPut, Pattern: "/api/v1/nominations/{id}/feedback", Gate: policy.LoggedIn, Handler: h.handleFeedbackPut},
		{Method: http.MethodPost, Pattern: "/api/v1/nominations/{id}/feedback/from-comments", Gate: policy.LoggedIn, Handler: h.handleFeedbackFromComments},
		{Method: http.MethodGet, Pattern: "/api/v1/cycles/{cycle}/exports/scores.csv", Gate: policy.LoggedIn, Handler: h.handleScoresCSV},
		{Method: http.MethodGet, Pattern: "/api/v1/cycles/{cycle}/jury-book.pdf", Gate: policy.LoggedIn, Handler: h.handleJuryBook},
		{Method: http.MethodGet, Pattern: "/api/v1/cycles/{cycle}/exports/scores.xlsx", Gate: policy.LoggedIn, Handler: h.handleScoresXLSX},
	}
}

// The ranking.

// RankingJSON is the ranking of a round of a cycle.
type RankingJSON struct {
	Cycle string `json:"cycle"`
	Title string `json:"title"`
	// Round is the round ranked; Rounds all of the cycle's. A round of
	// kind ranked_vote has no criteria and no scores: its rows are its
	// nominations, unranked.
	Round    AdvancingRoundJSON   `json:"round"`
	Rounds   []AdvancingRoundJSON `json:"rounds"`
	Level    string               `json:"scoring_level"`
	Rollup   string               `json:"project_rollup"`
	Scale    ScaleJSON            `json:"scale"`
	Criteria []CriterionRef       `json:"criteria"`
	Alpha    AlphaJSON            `json:"alpha"`
	// ProjectAlpha is the agreement about projects, when the cycle scores
	// projects.
	ProjectAlpha *AlphaJSON       `json:"project_alpha,omitempty"`
	JuryMean     float64          `json:"jury_mean"`
	JurySD       float64          `json:"jury_sd"`
	Rows         []RankingRowJSON `json:"rows"`
	Jurors       []JurorJSON      `json:"jurors"`
	Hidden       int              `json:"hidden"`
	Version      string           `json:"version"`
}

// ScaleJSON says whether all criteria share a scale; the 0–1 figures map
// onto it linearly.
type ScaleJSON struct {
	Same bool    `json:"same"`
	Min  float64 `json:"min"`
	Max  float64 `json:"max"`
}

// CriterionRef is a criterion as the ranking uses it.
type CriterionRef struct {
	ID     ID      `json:"id"`
	Name   string  `json:"name"`
	Weight float64 `json:"weight"`
	Min    float64 `json:"scale_min"`
	Max    float64 `json:"scale_max"`
}

// AlphaJSON is Krippendorff's alpha.
type AlphaJSON struct {
	Defined bool    `json:"defined"`
	Value   float64 `json:"value"`
	Units   int     `json:"units"`
	Values  int     `json:"values"`
}

// CriterionStatsJSON is one criterion's figures for one nomination.
type CriterionStatsJSON struct {
	Criterion ID      `json:"criterion_id"`
	N         int     `json:"n"`
	Mean      float64 `json:"mean"`
	SD        float64 `json:"sd"`
	Min       float64 `json:"min"`
	Max       float64 `json:"max"`
	ZMean     float64 `json:"z_mean"`
	Disagree  bool    `json:"disagree"`
}

// CellJSON is one juror's value for one criterion, after the rollup.
type CellJSON struct {
	Juror     ID      `json:"juror_id"`
	Criterion ID      `json:"criterion_id"`
	Value     float64 `json:"value"`
	Z         float64 `json:"z"`
}

// ProjectRowJSON is a project's figures.
type ProjectRowJSON struct {
	ID       string               `json:"project_id"`
	Title    string               `json:"title"`
	RawMean  float64              `json:"raw_mean"`
	ZMean    float64              `json:"z_mean"`
	Scores   int                  `json:"scores"`
	Jurors   int                  `json:"jurors"`
	Criteria []CriterionStatsJSON `json:"criteria"`
}

// RankingRowJSON is one nomination's line.
type RankingRowJSON struct {
	Nomination string `json:"nomination_id"`
	Title      string `json:"title"`
	Nominees   string `json:"nominees"`
	Outcome    string `json:"outcome,omitempty"`
	ZRank      int    `json:"z_rank"`
	RawRank    int    `json:"raw_rank"`
	// ZTied and RawTied say that other rows share the rank; ZPlace and
	// RawPlace are the ranks as the ranking page shows them ("=1" for a
	// tie, "2", or "–" when unranked).
	ZTied            bool                 `json:"z_tied"`
	RawTied          bool                 `json:"raw_tied"`
	ZPlace           string               `json:"z_place"`
	RawPlace         string               `json:"raw_place"`
	RawMean          float64              `json:"raw_mean"`
	RawMeanScaled    *float64             `json:"raw_mean_scaled,omitempty"`
	ZMean            float64              `json:"z_mean"`
	Scores           int                  `json:"scores"`
	Jurors           int                  `json:"jurors"`
	Disagree         bool                 `json:"disagree"`
	DisagreeCriteria []ID                 `json:"disagree_criteria"`
	Criteria         []CriterionStatsJSON `json:"criteria"`
	Cells            []CellJSON           `json:"cells"`
	Projects         []ProjectRowJSON     `json:"projects,omitempty"`
}

// JurorJSON is a juror's leniency.
type JurorJSON struct {
	ID   ID      `json:"juror_id"`
	Name string  `json:"name"`
	N    int     `json:"n"`
	Mean float64 `json:"mean"`
	SD   float64 `json:"sd"`
}

func alphaJSON(r scorestats.Result) AlphaJSON {
	return AlphaJSON{Defined: r.AlphaDefined, Value: r.Alpha, Units: r.AlphaUnits, Values: r.AlphaValues}
}

func statsJSON(in []scorestats.CriterionStats) []CriterionStatsJSON {
	out := make([]CriterionStatsJSON, len(in))
	for i, s := range in {
		out[i] = CriterionStatsJSON{Criterion: ID(s.Criterion), N: s.N, Mean: s.Mean, SD: s.SD, Min: s.Min, Max: s.Max, ZMean: s.ZMean, Disagree: s.Disagree}
	}
	return out
}

func toRankingJSON(rk *deciding.Ranking, lang string) RankingJSON {
	res := rk.Result
	out := RankingJSON{Cycle: rk.Cycle.PublicID, Title: rk.Cycle.Title, Level: rk.Cycle.Level, Rollup: rk.Cycle.Rollup,
		Scale: ScaleJSON{Same: res.SameScale, Min: res.ScaleMin, Max: res.ScaleMax}, Criteria: []CriterionRef{},
		Alpha: alphaJSON(res), JuryMean: res.JuryMean, JurySD: res.JurySD, Rows: []RankingRowJSON{}, Jurors: []JurorJSON{},
		Hidden: rk.Hidden, Version: rk.Version, Round: toAdvancingRound(rk.Round, lang),
		Rounds: toAdvancingRounds(rk.Cycle.PublicID, rk.Rounds, lang).Rounds}
	if rk.ProjectLevel != nil {
		a := alphaJSON(*rk.ProjectLevel)
		out.ProjectAlpha = &a
	}
	for _, c := range rk.Criteria {
		out.Criteria = append(out.Criteria, CriterionRef{ID: ID(c.ID), Name: c.Name(lang), Weight: c.Weight, Min: c.Min, Max: c.Max})
	}
	for _, row := range res.Rows {
		n := rk.Nominations[row.Nomination]
		r := RankingRowJSON{Nomination: n.PublicID, Title: n.Title, Nominees: n.Nominees, Outcome: n.Outcome, ZRank: row.ZRank,
			RawRank: row.RawRank, ZTied: row.ZTied, RawTied: row.RawTied, ZPlace: scorestats.Place(row.ZRank, row.ZTied),
			RawPlace: scorestats.Place(row.RawRank, row.RawTied), RawMean: row.RawMean, ZMean: row.ZMean, Scores: row.Scores, Jurors: row.Jurors,
			Disagree: row.Disagree, DisagreeCriteria: ids(row.DisagreeCriteria), Criteria: statsJSON(row.Criteria),
			Cells: make([]CellJSON, len(row.Cells))}
		if res.SameScale && row.ZRank != 0 {
			v := res.Scaled(row.RawMean)
			r.RawMeanScaled = &v
		}
		for i, c := range row.Cells {
			r.Cells[i] = CellJSON{Juror: ID(c.Juror), Criterion: ID(c.Criterion), Value: c.Value, Z: c.Z}
		}
		for _, p := range row.Projects {
			pr := rk.Projects[p.Project]
			r.Projects = append(r.Projects, ProjectRowJSON{ID: pr.PublicID, Title: pr.Title, RawMean: p.RawMean, ZMean: p.ZMean,
				Scores: p.Scores, Jurors: p.Jurors, Criteria: statsJSON(p.Criteria)})
		}
		out.Rows = append(out.Rows, r)
	}
	for _, j := range res.Jurors {
		out.Jurors = append(out.Jurors, JurorJSON{ID: ID(j.Juror), Name: rk.Jurors[j.Juror].Name, N: j.N, Mean: j.Mean, SD: j.SD})
	}
	return out
}

func (h *Handler) handleRanking(w http.ResponseWriter, r *http.Request) {
	round, err := roundQuery(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	rk, err := h.Deciding.RankingFor(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"), round)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "private, no-store")
	httpx.WriteJSON(w, http.StatusOK, toRankingJSON(rk, httpx.LangFrom(r.Context())))
}

// The decision.

// DecisionJSON is one nomination's outcome.
type DecisionJSON struct {
	Nomination  string     `json:"nomination_id"`
	Title       string     `json:"title,omitempty"`
	Nominees    string     `json:"nominees,omitempty"`
	Outcome     string     `json:"outcome"`
	StatementNB string     `json:"statement_nb"`
	StatementNN string     `json:"statement_nn"`
	StatementEN string     `json:"statement_en"`
	DecidedBy   string     `json:"decided_by,omitempty"`
	DecidedAt   *time.Time `json:"decided_at,omitempty"`
}

// DecisionSetJSON is a cycle's decision.
type DecisionSetJSON struct {
	Cycle          string         `json:"cycle"`
	Decisions      []DecisionJSON `json:"decisions"`
	UsualFinalists int            `json:"usual_finalists"`
}

// DecisionPut replaces a cycle's decision.
type DecisionPut struct {
	Decisions []DecisionJSON `json:"decisions"`
	Reason    string         `json:"reason"`
}

func toDecisionSet(st deciding.DecisionState) DecisionSetJSON {
	out := DecisionSetJSON{Cycle: st.Viewer.PublicID, Decisions: []DecisionJSON{}, UsualFinalists: deciding.UsualFinalists}
	for _, d := range st.Decisions {
		at := d.DecidedAt
		out.Decisions = append(out.Decisions, DecisionJSON{Nomination: d.NominationPublicID, Title: d.Title, Nominees: d.Nominees,
			Outcome: d.Outcome, StatementNB: d.StatementNB, StatementNN: d.StatementNN, StatementEN: d.StatementEN,
			DecidedBy: d.DecidedBy, DecidedAt: &at})
	}
	return out
}

func (h *Handler) handleDecisionGet(w http.ResponseWriter, r *http.Request) {
	st, err := h.Deciding.Decision(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "private, no-store")
	httpx.WriteJSON(w, http.StatusOK, toDecisionSet(st))
}

func (h *Handler) handleDecisionPut(w http.ResponseWriter, r *http.Request) {
	var in DecisionPut
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.Error(w, r, err)
		return
	}
	di := deciding.DecisionInput{Reason: in.Reason}
	for _, d := range in.Decisions {
		di.Decisions = append(di.Decisions, deciding.DecisionItem{NominationID: d.Nomination, Outcome: d.Outcome,
			StatementNB: d.StatementNB, StatementNN: d.StatementNN, StatementEN: d.StatementEN})
	}
	st, err := h.Deciding.SetDecision(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"), di)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toDecisionSet(st))
}

// The feedback.

// FeedbackJSON is the written feedback to one nomination.
type FeedbackJSON struct {
	Nomination string     `json:"nomination_id"`
	Title      string     `json:"title"`
	Body       string     `json:"body"`
	UpdatedBy  string     `json:"updated_by,omitempty"`
	UpdatedAt  *time.Time `json:"updated_at,omitempty"`
	Language   string     `json:"language"`
	// Comments are the jurors' comments on their counting scores;
	// FromComments joins them into a draft without names or initials.
	Comments     []FeedbackCommentJSON `json:"comments"`
	FromComments string                `json:"from_comments"`
}

// FeedbackCommentJSON is one juror's comment on a score.
type FeedbackCommentJSON struct {
	Juror     string `json:"juror"`
	Initials  string `json:"initials"`
	Criterion string `json:"criterion"`
	Project   string `json:"project,omitempty"`
	Text      string `json:"text"`
}

// FeedbackPut replaces the feedback's text.
type FeedbackPut struct {
	Body string `json:"body"`
}

// FeedbackStatusJSON is one nomination's line in the list of feedback.
type FeedbackStatusJSON struct {
	Nomination string     `json:"nomination_id"`
	Title      string     `json:"title"`
	Nominees   string     `json:"nominees"`
	Outcome    string     `json:"outcome,omitempty"`
	Status     string     `json:"status"`
	Comments   int        `json:"comments"`
	UpdatedBy  string     `json:"updated_by,omitempty"`
	UpdatedAt  *time.Time `json:"updated_at,omitempty"`
}

func toFeedbackJSON(f deciding.Feedback) FeedbackJSON {
	out := FeedbackJSON{Nomination: f.Nomination.PublicID, Title: f.Nomination.Title, Body: f.Body, UpdatedBy: f.UpdatedBy,
		UpdatedAt: f.UpdatedAt, Language: f.Language, Comments: []FeedbackCommentJSON{}, FromComments: f.FromComments()}
	for _, c := range f.Comments {
		out.Comments = append(out.Comments, FeedbackCommentJSON{Juror: c.Juror.Name, Initials: c.Juror.Initials(),
			Criterion: c.Criterion, Project: c.Project, Text: c.Text})
	}
	return out
}

func (h *Handler) handleFeedbackList(w http.ResponseWriter, r *http.Request) {
	l, err := h.Deciding.FeedbackList(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	items := make([]FeedbackStatusJSON, 0, len(l.Items))
	for _, it := range l.Items {
		status := "missing"
		if it.Drafted {
			status = "drafted"
		}
		items = append(items, FeedbackStatusJSON{Nomination: it.PublicID, Title: it.Title, Nominees: it.Nominees, Outcome: it.Outcome,
			Status: status, Comments: it.Comments, UpdatedBy: it.UpdatedBy, UpdatedAt: it.UpdatedAt})
	}
	w.Header().Set("Cache-Control", "private, no-store")
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"items": items})
}

func (h *Handler) handleFeedbackGet(w http.ResponseWriter, r *http.Request) {
	f, err := h.Deciding.Feedback(r.Context(), httpx.ActorFrom(r.Context()), "", chi.URLParam(r, "id"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "private, no-store")
	httpx.WriteJSON(w, http.StatusOK, toFeedbackJSON(f))
}

func (h *Handler) handleFeedbackPut(w http.ResponseWriter, r *http.Request) {
	var in FeedbackPut
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.Error(w, r, err)
		return
	}
	f, err := h.Deciding.SaveFeedback(r.Context(), httpx.ActorFrom(r.Context()), "", chi.URLParam(r, "id"), in.Body)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toFeedbackJSON(f))
}

func (h *Handler) handleFeedbackFromComments(w http.ResponseWriter, r *http.Request) {
	f, err := h.Deciding.DraftFeedbackFromComments(r.Context(), httpx.ActorFrom(r.Context()), "", chi.URLParam(r, "id"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toFeedbackJSON(f))
}

// The score exports.

func (h *Handler) handleScoresCSV(w http.ResponseWriter, r *http.Request) {
	h.exportScores(w, r, "csv", "text/csv; charset=utf-8", (*deciding.ScoreExport).WriteCSV)
}

func (h *Handler) handleScoresXLSX(w http.ResponseWriter, r *http.Request) {
	h.exportScores(w, r, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (*deciding.ScoreExport).WriteXLSX)
}

// exportScores answers with the cycle's score matrix as a download,
// written as it is made.
func (h *Handler) exportScores(w http.ResponseWriter, r *http.Request, ext, contentType string,
	write func(*deciding.ScoreExport, context.Context, io.Writer, deciding.ExportLabels) error) {
	e, err := h.Deciding.ScoreExport(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	l := h.Bundle.Localizer(httpx.LangFrom(r.Context()))
	labels := deciding.ExportLabels{T: func(id string) string { return l.T(id) }, Lang: l.Lang(), Loc: i18n.Oslo()}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": e.FileName(labels, ext)}))
	// Internal working papers: keep them out of caches.
	w.Header().Set("Cache-Control", "no-store")
	cw := &countingWriter{w: w}
	if err := write(e, r.Context(), cw, labels); err != nil {
		if cw.n == 0 {
			w.Header().Del("Content-Disposition")
			h.Error(w, r, err)
			return
		}
		// Too late for an answer: the client sees a cut-off file.
		httpx.LogError(h.Logger, r, err)
	}
}

// handleJuryBook answers with the cycle's jury book in the caller's
// language: what the chair's report shows the caller, as PDF.
func (h *Handler) handleJuryBook(w http.ResponseWriter, r *http.Request) {
	cycle := chi.URLParam(r, "cycle")
	b, err := h.Deciding.Book(r.Context(), httpx.ActorFrom(r.Context()), cycle)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := jurybook.Write(&buf, h.Bundle.Localizer(httpx.LangFrom(r.Context())), b); err != nil {
		h.Error(w, r, err)
		return
	}
	httpx.WritePDF(w, "jurybok-"+cycle+".pdf", buf.Bytes())
}
