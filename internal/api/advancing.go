package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/deciding"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/policy"
)

// advancingRoutes are the chair's moves of nominations from one round of
// a cycle into the next, and their record. The service decides who may.
func (h *Handler) advancingRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodPost, Pattern: "/api/v1/cycles/{cycle}/rounds/{round}/advance", Gate: policy.LoggedIn, Handler: h.handleAdvance},
		{Method: http.MethodGet, Pattern: "/api/v1/cycles/{cycle}/rounds/{round}/advancements", Gate: policy.LoggedIn, Handler: h.handleAdvancements},
	}
}

// AdvancingRoundJSON is one round of a cycle.
type AdvancingRoundJSON struct {
	ID       ID     `json:"id"`
	Position int    `json:"position"`
	Kind     string `json:"kind"`
	Name     string `json:"name"`
	Current  bool   `json:"current"`
	// ScoringDeadline is the round's own deadline, null for the cycle's.
	ScoringDeadline     *time.Time `json:"scoring_deadline"`
	ClosedAt            *time.Time `json:"closed_at"`
	ShowsEarlierResults bool       `json:"shows_earlier_results"`
	Jurors              int        `json:"jurors"`
	Nominations         int        `json:"nominations"`
}

// AdvancingRoundsJSON is a cycle's rounds, in order.
type AdvancingRoundsJSON struct {
	Cycle  string               `json:"cycle"`
	Rounds []AdvancingRoundJSON `json:"rounds"`
}

// AdvancePost moves nominations from the current round into the next.
type AdvancePost struct {
	Nominations         []AdvanceNominationJSON `json:"nominations"`
	NextScoringDeadline *time.Time              `json:"next_scoring_deadline"`
}

// AdvanceNominationJSON is one nomination to advance and why.
type AdvanceNominationJSON struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

// AdvancementJSON is one nomination advanced out of a round.
type AdvancementJSON struct {
	Nomination string    `json:"nomination_id"`
	Title      string    `json:"title"`
	Nominees   string    `json:"nominees"`
	Reason     string    `json:"reason"`
	DecidedBy  string    `json:"decided_by"`
	DecidedAt  time.Time `json:"decided_at"`
}

// AdvancementsJSON are the nominations advanced out of a round into the
// next.
type AdvancementsJSON struct {
	Cycle        string              `json:"cycle"`
	Round        AdvancingRoundJSON  `json:"round"`
	NextRound    *AdvancingRoundJSON `json:"next_round"`
	Advancements []AdvancementJSON   `json:"advancements"`
}

func toAdvancingRound(r awards.Round, lang string) AdvancingRoundJSON {
	return AdvancingRoundJSON{ID: ID(r.ID), Position: r.Position, Kind: string(r.Kind), Name: r.Name(lang), Current: r.Current,
		ScoringDeadline: r.ScoringDeadline, ClosedAt: r.ClosedAt, ShowsEarlierResults: r.ShowsEarlierResults,
		Jurors: r.Jurors, Nominations: r.Nominations}
}

func toAdvancingRounds(cycle string, rounds []awards.Round, lang string) AdvancingRoundsJSON {
	out := AdvancingRoundsJSON{Cycle: cycle, Rounds: make([]AdvancingRoundJSON, len(rounds))}
	for i, r := range rounds {
		out.Rounds[i] = toAdvancingRound(r, lang)
	}
	return out
}

// roundQuery reads the round a request asks for in ?round=, 0 for none
// (the current one); a value that is no round ID is ENotFound.
func roundQuery(r *http.Request) (int64, error) {
	q := r.URL.Query().Get("round")
	if q == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(q, 10, 64)
	if err != nil || id <= 0 {
		return 0, awards.Errorf(awards.ENotFound, "no such round")
	}
	return id, nil
}

func (h *Handler) handleAdvance(w http.ResponseWriter, r *http.Request) {
	round, err := idParam(r, "round")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	var in AdvancePost
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.Error(w, r, err)
		return
	}
	ai := deciding.AdvanceInput{RoundID: round, NextDeadline: in.NextScoringDeadline}
	for _, n := range in.Nominations {
		ai.Nominations = append(ai.Nominations, deciding.AdvanceItem{NominationID: n.ID, Reason: n.Reason})
	}
	cycle := chi.URLParam(r, "cycle")
	rounds, err := h.Deciding.Advance(r.Context(), httpx.ActorFrom(r.Context()), cycle, ai)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toAdvancingRounds(cycle, rounds, httpx.LangFrom(r.Context())))
}

func (h *Handler) handleAdvancements(w http.ResponseWriter, r *http.Request) {
	round, err := idParam(r, "round")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	a, err := h.Deciding.Advancements(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"), round)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	lang := httpx.LangFrom(r.Context())
	out := AdvancementsJSON{Cycle: a.Viewer.PublicID, Round: toAdvancingRound(a.Round, lang), Advancements: []AdvancementJSON{}}
	if a.HasNext {
		next := toAdvancingRound(a.Next, lang)
		out.NextRound = &next
	}
	for _, x := range a.Items {
		out.Advancements = append(out.Advancements, AdvancementJSON{Nomination: x.NominationPublicID, Title: x.Title,
			Nominees: x.Nominees, Reason: x.Reason, DecidedBy: x.DecidedBy, DecidedAt: x.DecidedAt})
	}
	w.Header().Set("Cache-Control", "private, no-store")
	httpx.WriteJSON(w, http.StatusOK, out)
}
