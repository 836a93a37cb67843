package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/policy"
)

// roundRoutes are the API routes for a cycle's rounds of judging: its
// admins define them, its admins and jurors read them.
func (h *Handler) roundRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodGet, Pattern: "/api/v1/cycles/{cycle}/rounds", Gate: policy.LoggedIn, Handler: h.handleRoundList},
		{Method: http.MethodPost, Pattern: "/api/v1/cycles/{cycle}/rounds", Gate: policy.Admin, Handler: h.handleRoundCreate},
		{Method: http.MethodGet, Pattern: "/api/v1/rounds/{round}", Gate: policy.LoggedIn, Handler: h.handleRoundGet},
		{Method: http.MethodPatch, Pattern: "/api/v1/rounds/{round}", Gate: policy.Admin, Handler: h.handleRoundPatch},
		{Method: http.MethodDelete, Pattern: "/api/v1/rounds/{round}", Gate: policy.Admin, Handler: h.handleRoundDelete},
		{Method: http.MethodPut, Pattern: "/api/v1/rounds/{round}/jurors", Gate: policy.Admin, Handler: h.handleRoundJurors},
	}
}

// Round is a round of judging as the API shows it; times are RFC 3339
// in Europe/Oslo.
type Round struct {
	ID                  ID         `json:"id"`
	Cycle               string     `json:"cycle"`
	Position            int        `json:"position"`
	Kind                string     `json:"kind"`
	NameNB              string     `json:"name_nb"`
	NameNN              string     `json:"name_nn"`
	NameEN              string     `json:"name_en"`
	ShowsEarlierResults bool       `json:"shows_earlier_results"`
	ScoringDeadline     *time.Time `json:"scoring_deadline"`
	ClosedAt            *time.Time `json:"closed_at"`
	Current             bool       `json:"current"`
	Started             bool       `json:"started"`
	Jurors              int        `json:"jurors"`
	Nominations         int        `json:"nominations"`
	JurorIDs            []ID       `json:"juror_ids"`
}

func toRound(r awards.Round) Round {
	return Round{ID: ID(r.ID), Cycle: r.CyclePublicID, Position: r.Position, Kind: string(r.Kind), NameNB: r.NameNB,
		NameNN: r.NameNN, NameEN: r.NameEN, ShowsEarlierResults: r.ShowsEarlierResults,
		ScoringDeadline: inOslo(r.ScoringDeadline), ClosedAt: inOslo(r.ClosedAt), Current: r.Current, Started: r.Started,
		Jurors: r.Jurors, Nominations: r.Nominations, JurorIDs: ids(r.SeatIDs)}
}

// RoundPatch creates or changes a round; fields left out stay as they
// are (on create: the defaults). A deadline set to null falls back to the
// cycle's.
type RoundPatch struct {
	NameNB              *string      `json:"name_nb"`
	NameNN              *string      `json:"name_nn"`
	NameEN              *string      `json:"name_en"`
	Kind                *string      `json:"kind"`
	ShowsEarlierResults *bool        `json:"shows_earlier_results"`
	ScoringDeadline     optionalTime `json:"scoring_deadline"`
}

func (p RoundPatch) fields() (cycles.RoundFields, error) {
	f := cycles.RoundFields{NameNB: p.NameNB, NameNN: p.NameNN, NameEN: p.NameEN,
		ShowsEarlierResults: p.ShowsEarlierResults, ScoringDeadline: p.ScoringDeadline.change()}
	if p.Kind != nil {
		k := awards.RoundKind(*p.Kind)
		f.Kind = &k
	}
	if p.ScoringDeadline.bad {
		return f, awards.Invalid(map[string]string{"scoring_deadline": "cycles.error.rfc3339"})
	}
	return f, nil
}

// RoundJurors names the seats serving in a round.
type RoundJurors struct {
	JurorIDs *[]ID `json:"juror_ids"`
}

func (h *Handler) writeRound(w http.ResponseWriter, r *http.Request, status int, round awards.Round, err error) {
	if err != nil {
		h.Error(w, r, err)
		return
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/rounds/"+strconv.FormatInt(round.ID, 10))
	}
	httpx.WriteJSON(w, status, toRound(round))
}

func (h *Handler) handleRoundList(w http.ResponseWriter, r *http.Request) {
	list, err := h.Cycles.Rounds(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	out := make([]Round, len(list))
	for i, round := range list {
		out[i] = toRound(round)
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"items": out})
}

func (h *Handler) handleRoundCreate(w http.ResponseWriter, r *http.Request) {
	var in RoundPatch
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.Error(w, r, err)
		return
	}
	f, err := in.fields()
	if err != nil {
		h.Error(w, r, err)
		return
	}
	round, err := h.Cycles.CreateRound(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"), f)
	h.writeRound(w, r, http.StatusCreated, round, err)
}

func (h *Handler) handleRoundGet(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "round")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	round, _, err := h.Cycles.Round(r.Context(), httpx.ActorFrom(r.Context()), id)
	h.writeRound(w, r, http.StatusOK, round, err)
}

func (h *Handler) handleRoundPatch(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "round")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	var in RoundPatch
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.Error(w, r, err)
		return
	}
	f, err := in.fields()
	if err != nil {
		h.Error(w, r, err)
		return
	}
	round, err := h.Cycles.UpdateRound(r.Context(), httpx.ActorFrom(r.Context()), id, f)
	h.writeRound(w, r, http.StatusOK, round, err)
}

func (h *Handler) handleRoundDelete(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "round")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	if _, err := h.Cycles.DeleteRound(r.Context(), httpx.ActorFrom(r.Context()), id); err != nil {
		h.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) handleRoundJurors(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "round")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	var in RoundJurors
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.Error(w, r, err)
		return
	}
	if in.JurorIDs == nil {
		h.Error(w, r, awards.Invalid(map[string]string{"juror_ids": "form.required"}))
		return
	}
	seats := make([]int64, len(*in.JurorIDs))
	for i, s := range *in.JurorIDs {
		seats[i] = int64(s)
	}
	round, err := h.Cycles.SetRoundJurors(r.Context(), httpx.ActorFrom(r.Context()), id, seats)
	h.writeRound(w, r, http.StatusOK, round, err)
}
