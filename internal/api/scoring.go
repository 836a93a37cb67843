package api

import (
	"errors"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/scoring"
)

// scoringRoutes are the jurors' scores, their submission, the chair's
// reopening and the jury's discussion. A nomination's scores are one
// resource: the caller's draft (…/scores), the caller's submission
// (…/scores/submission) and any juror's submission, which the chair
// reopens (…/scores/submissions/{juror}). Every route only needs a login;
// the service decides about each nomination.
func (h *Handler) scoringRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodGet, Pattern: "/api/v1/nominations/{id}/scores", Gate: policy.LoggedIn, Handler: h.handleScoresGet},
		{Method: http.MethodPut, Pattern: "/api/v1/nominations/{id}/scores", Gate: policy.LoggedIn, Handler: h.handleScoresPut},
		{Method: http.MethodPost, Pattern: "/api/v1/nominations/{id}/scores/submission", Gate: policy.LoggedIn, Handler: h.handleScoresSubmit},
		{Method: http.MethodDelete, Pattern: "/api/v1/nominations/{id}/scores/submissions/{juror}", Gate: policy.LoggedIn, Handler: h.handleScoresReopen},
		{Method: http.MethodPost, Pattern: "/api/v1/cycles/{cycle}/jury-reminders", Gate: policy.LoggedIn, Handler: h.handleJuryRemind},
		{Method: http.MethodGet, Pattern: "/api/v1/nominations/{id}/comments", Gate: policy.LoggedIn, Handler: h.handleJuryCommentList},
		{Method: http.MethodPost, Pattern: "/api/v1/nominations/{id}/comments", Gate: policy.LoggedIn, Handler: h.handleJuryCommentAdd},
	}
}

// ScoreCell is one score as a juror writes it: a criterion (of a project,
// when the cycle scores projects), a value on the criterion's scale (null
// for none) and a comment.
type ScoreCell struct {
	CriterionID ID       `json:"criterion_id"`
	ProjectID   *string  `json:"project_id,omitempty"`
	Value       *float64 `json:"value"`
	Comment     string   `json:"comment"`
}

// ScoreOut is a stored score.
type ScoreOut struct {
	ScoreCell
	UpdatedAt time.Time `json:"updated_at"`
}

// ScoresPut sets some of the caller's scores of a nomination.
type ScoresPut struct {
	Scores []ScoreCell `json:"scores"`
}

// CellRef names a cell.
type CellRef struct {
	CriterionID ID      `json:"criterion_id"`
	ProjectID   *string `json:"project_id,omitempty"`
}

// ScoreCriterion is a criterion as a juror scores it.
type ScoreCriterion struct {
	ID        ID      `json:"id"`
	Name      string  `json:"name"`
	Help      string  `json:"help"`
	Weight    float64 `json:"weight"`
	ScaleMin  float64 `json:"scale_min"`
	ScaleMax  float64 `json:"scale_max"`
	ScaleStep float64 `json:"scale_step"`
}

// ScoreProject is a project a juror scores at project level.
type ScoreProject struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// JurorScoresOut are another juror's submitted scores.
type JurorScoresOut struct {
	JurorID     ID         `json:"juror_id"`
	Name        string     `json:"name"`
	Chair       bool       `json:"chair"`
	SubmittedAt time.Time  `json:"submitted_at"`
	Scores      []ScoreOut `json:"scores"`
}

// SpreadOut is how the submitted scores of one cell spread out.
type SpreadOut struct {
	CellRef
	N    int     `json:"n"`
	Min  float64 `json:"min"`
	Max  float64 `json:"max"`
	Mean float64 `json:"mean"`
	Std  float64 `json:"std"`
}

// ScoreSheet is the caller's scores of one nomination.
type ScoreSheet struct {
	NominationID string           `json:"nomination_id"`
	Cycle        string           `json:"cycle"`
	ScoringLevel string           `json:"scoring_level"`
	Open         bool             `json:"open"`
	Deadline     *time.Time       `json:"deadline"`
	JurorID      ID               `json:"juror_id"`
	Status       string           `json:"status"`
	SubmittedAt  *time.Time       `json:"submitted_at"`
	SavedAt      *time.Time       `json:"saved_at"`
	Criteria     []ScoreCriterion `json:"criteria"`
	Projects     []ScoreProject   `json:"projects"`
	Scores       []ScoreOut       `json:"scores"`
	Missing      []CellRef        `json:"missing"`
	// OthersVisible says whether the caller may see the other jurors'
	// scores yet (after submitting their own); Others and Spread are
	// empty until then.
	OthersVisible bool             `json:"others_visible"`
	Others        []JurorScoresOut `json:"others"`
	Spread        []SpreadOut      `json:"spread"`
}

func projectRef(id string) *string {
	if id == "" {
		return nil
	}
	return &id
}

func toScoreOut(s scoring.Score) ScoreOut {
	return ScoreOut{ScoreCell: ScoreCell{CriterionID: ID(s.CriterionID), ProjectID: projectRef(s.ProjectID), Value: s.Value, Comment: s.Comment},
		UpdatedAt: s.UpdatedAt}
}

func toScoreSheet(s scoring.Sheet, l *i18n.Localizer) ScoreSheet {
	out := ScoreSheet{NominationID: s.NominationID, Cycle: s.Cycle.PublicID, ScoringLevel: string(s.Level), Open: s.Cycle.Open,
		Deadline: s.Cycle.Deadline, JurorID: ID(s.JurorID), Status: string(s.Status), SubmittedAt: s.SubmittedAt, SavedAt: s.SavedAt,
		Criteria: []ScoreCriterion{}, Projects: []ScoreProject{}, Scores: []ScoreOut{}, Missing: []CellRef{},
		OthersVisible: s.Others != nil, Others: []JurorScoresOut{}, Spread: []SpreadOut{}}
	for _, c := range s.Criteria {
		out.Criteria = append(out.Criteria, ScoreCriterion{ID: ID(c.ID), Name: c.Name(l.Lang()), Help: c.Help(l.Lang()), Weight: c.Weight,
			ScaleMin: c.ScaleMin, ScaleMax: c.ScaleMax, ScaleStep: c.ScaleStep})
	}
	for _, p := range s.Projects {
		out.Projects = append(out.Projects, ScoreProject{ID: p.ID, Title: p.Title})
	}
	for _, sc := range s.Scores {
		out.Scores = append(out.Scores, toScoreOut(sc))
	}
	for _, k := range s.Missing {
		out.Missing = append(out.Missing, CellRef{CriterionID: ID(k.CriterionID), ProjectID: projectRef(k.ProjectID)})
	}
	for _, o := range s.Others {
		j := JurorScoresOut{JurorID: ID(o.JurorID), Name: o.Name, Chair: o.Chair, SubmittedAt: o.SubmittedAt, Scores: []ScoreOut{}}
		for _, sc := range o.Scores {
			j.Scores = append(j.Scores, toScoreOut(sc))
		}
		out.Others = append(out.Others, j)
	}
	for _, sp := range s.Spread {
		out.Spread = append(out.Spread, SpreadOut{CellRef: CellRef{CriterionID: ID(sp.CriterionID), ProjectID: projectRef(sp.ProjectID)},
			N: sp.N, Min: sp.Min, Max: sp.Max, Mean: sp.Mean, Std: sp.Std})
	}
	return out
}

func (h *Handler) localizer(r *http.Request) *i18n.Localizer {
	return h.Bundle.Localizer(httpx.LangFrom(r.Context()))
}

func (h *Handler) handleScoresGet(w http.ResponseWriter, r *http.Request) {
	s, err := h.Scoring.Scores(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "id"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toScoreSheet(s, h.localizer(r)))
}

func (h *Handler) handleScoresPut(w http.ResponseWriter, r *http.Request) {
	var in ScoresPut
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.Error(w, r, err)
		return
	}
	s, err := h.Scoring.Save(r.Context(), httpx.ActorFrom(r.Context()), "", chi.URLParam(r, "id"), toCells(in.Scores))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toScoreSheet(s, h.localizer(r)))
}

func toCells(in []ScoreCell) []scoring.Cell {
	cells := make([]scoring.Cell, len(in))
	for i, c := range in {
		cells[i] = scoring.Cell{Key: scoring.Key{CriterionID: int64(c.CriterionID)}, Value: c.Value, Comment: c.Comment}
		if c.ProjectID != nil {
			cells[i].ProjectID = *c.ProjectID
		}
	}
	return cells
}

// SubmissionOut says when the caller's scores were submitted.
type SubmissionOut struct {
	NominationID string    `json:"nomination_id"`
	SubmittedAt  time.Time `json:"submitted_at"`
}

func (h *Handler) handleScoresSubmit(w http.ResponseWriter, r *http.Request) {
	// The body is optional: scores in it are saved first, in the same
	// transaction, as PUT …/scores would.
	var in ScoresPut
	if r.ContentLength != 0 {
		if err := httpx.DecodeJSON(w, r, &in); err != nil {
			h.Error(w, r, err)
			return
		}
	}
	sub, err := h.Scoring.Submit(r.Context(), httpx.ActorFrom(r.Context()), "", chi.URLParam(r, "id"), toCells(in.Scores))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, SubmissionOut{NominationID: sub.NominationID, SubmittedAt: sub.SubmittedAt})
}

// ScoresReopen says why a juror's submitted scores are reopened.
type ScoresReopen struct {
	Reason string `json:"reason"`
}

func (h *Handler) handleScoresReopen(w http.ResponseWriter, r *http.Request) {
	juror, err := idParam(r, "juror")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	var in ScoresReopen
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.Error(w, r, err)
		return
	}
	if err := h.Scoring.Reopen(r.Context(), httpx.ActorFrom(r.Context()), "", chi.URLParam(r, "id"), juror, in.Reason); err != nil {
		// The juror is part of the path here, not a field of a form.
		var e *awards.Error
		if errors.As(err, &e) && e.Code == awards.EInvalid && e.Fields["juror_id"] != "" {
			err = awards.Errorf(awards.ENotFound, "no such juror in this cycle")
		}
		h.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// JuryRemind names the juror (by seat) to remind; without juror_id every
// juror with work left is reminded.
type JuryRemind struct {
	JurorID ID `json:"juror_id"`
}

// JuryReminders says how many reminders were queued.
type JuryReminders struct {
	Queued int `json:"queued"`
}

func (h *Handler) handleJuryRemind(w http.ResponseWriter, r *http.Request) {
	var in JuryRemind
	// The body is optional.
	if r.ContentLength != 0 {
		if err := httpx.DecodeJSON(w, r, &in); err != nil {
			h.Error(w, r, err)
			return
		}
	}
	n, err := h.Scoring.Remind(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"), int64(in.JurorID))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusAccepted, JuryReminders{Queued: n})
}

// JuryComment is a post in the jury's discussion of a nomination.
type JuryComment struct {
	ID        ID        `json:"id"`
	JurorID   ID        `json:"juror_id"`
	Author    string    `json:"author"`
	Chair     bool      `json:"chair"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// JuryCommentList is the jury's discussion of a nomination, marked as the
// internal document it is.
type JuryCommentList struct {
	Internal string        `json:"internal"`
	Items    []JuryComment `json:"items"`
}

// JuryCommentAdd is a new post.
type JuryCommentAdd struct {
	Body string `json:"body"`
}

func toJuryComment(c scoring.Comment) JuryComment {
	return JuryComment{ID: ID(c.ID), JurorID: ID(c.JurorID), Author: c.Author, Chair: c.Chair, Body: c.Body, CreatedAt: c.CreatedAt}
}

func (h *Handler) handleJuryCommentList(w http.ResponseWriter, r *http.Request) {
	list, err := h.Scoring.Comments(r.Context(), httpx.ActorFrom(r.Context()), "", chi.URLParam(r, "id"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	out := JuryCommentList{Internal: h.localizer(r).T("internal.marking"), Items: make([]JuryComment, len(list))}
	for i, c := range list {
		out.Items[i] = toJuryComment(c)
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

func (h *Handler) handleJuryCommentAdd(w http.ResponseWriter, r *http.Request) {
	var in JuryCommentAdd
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.Error(w, r, err)
		return
	}
	c, err := h.Scoring.AddComment(r.Context(), httpx.ActorFrom(r.Context()), "", chi.URLParam(r, "id"), in.Body)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, toJuryComment(c))
}
