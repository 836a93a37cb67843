package api

import (
	"errors"
	"net/http"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/schulze"
	"github.com/heder-awards/heder/internal/voting"
)

// votingRoutes are a round's ranked vote: the caller's own ballot, its
// submission, the chair's reopening of a juror's ballot and the result.
// Every route only needs a login; the service decides about each round.
func (h *Handler) votingRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodGet, Pattern: "/api/v1/rounds/{round}/ballot", Gate: policy.LoggedIn, Handler: h.handleBallotGet},
		{Method: http.MethodPut, Pattern: "/api/v1/rounds/{round}/ballot", Gate: policy.LoggedIn, Handler: h.handleBallotPut},
		{Method: http.MethodPost, Pattern: "/api/v1/rounds/{round}/ballot/submit", Gate: policy.LoggedIn, Handler: h.handleBallotSubmit},
		{Method: http.MethodPost, Pattern: "/api/v1/rounds/{round}/ballots/{juror}/reopen", Gate: policy.LoggedIn, Handler: h.handleBallotReopen},
		{Method: http.MethodGet, Pattern: "/api/v1/rounds/{round}/vote-result", Gate: policy.LoggedIn, Handler: h.handleVoteResult},
	}
}

// BallotRank is one nomination's place on a ballot.
type BallotRank struct {
	NominationID string `json:"nomination_id"`
	Rank         int    `json:"rank"`
}

// BallotPut replaces the caller's ranks: nominations left out are
// unranked.
type BallotPut struct {
	Ranks []BallotRank `json:"ranks"`
}

// BallotNomination is a nomination of the round as the juror sees it.
type BallotNomination struct {
	NominationID string   `json:"nomination_id"`
	Title        string   `json:"title"`
	Nominees     []string `json:"nominees"`
	// StepsAside: the juror cannot rank it (a conflict of interest).
	StepsAside bool `json:"steps_aside"`
}

// BallotOut is the caller's ballot in a round.
type BallotOut struct {
	RoundID ID     `json:"round_id"`
	Cycle   string `json:"cycle"`
	// Open: the ballot may change now (unless submitted).
	Open        bool               `json:"open"`
	SubmittedAt *time.Time         `json:"submitted_at"`
	MaxRank     int                `json:"max_rank"`
	Ranks       []BallotRank       `json:"ranks"`
	Nominations []BallotNomination `json:"nominations"`
}

func toBallot(b voting.Ballot) BallotOut {
	out := BallotOut{RoundID: ID(b.Round.ID), Cycle: b.Round.Cycle.PublicID, Open: b.Round.Open, SubmittedAt: b.SubmittedAt,
		MaxRank: b.Max, Ranks: []BallotRank{}, Nominations: make([]BallotNomination, len(b.Items))}
	for i, it := range b.Items {
		out.Nominations[i] = BallotNomination{NominationID: it.Nomination, Title: it.Title, Nominees: it.Nominees, StepsAside: it.StepsAside}
		if it.Rank > 0 && !it.StepsAside {
			out.Ranks = append(out.Ranks, BallotRank{NominationID: it.Nomination, Rank: it.Rank})
		}
	}
	return out
}

func toRanks(in []BallotRank) []voting.Rank {
	if in == nil {
		return nil
	}
	out := make([]voting.Rank, len(in))
	for i, r := range in {
		out[i] = voting.Rank{Nomination: r.NominationID, Rank: r.Rank}
	}
	return out
}

// votingError explains the vote's refusals in the caller's language,
// with the machine code of their message (already_submitted, not_in_round,
// not_chair, …) as the problem's code.
func (h *Handler) votingError(w http.ResponseWriter, r *http.Request, err error) {
	if key := voting.MessageKey(err); key != "" && awards.ErrorFields(err) == nil {
		l := h.Bundle.Localizer(httpx.LangFrom(r.Context()))
		err = &awards.Error{Code: awards.ErrorCode(err), Reason: awards.FieldCode(key), Message: l.T(key), Err: err}
	}
	h.Error(w, r, err)
}

// ballotCall runs a use of the caller's ballot in the round of the path.
func (h *Handler) ballotCall(w http.ResponseWriter, r *http.Request, status int,
	call func(actor *awards.Actor, round int64) (voting.Ballot, error)) {
	round, err := idParam(r, "round")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	b, err := call(httpx.ActorFrom(r.Context()), round)
	if err != nil {
		h.votingError(w, r, err)
		return
	}
	httpx.WriteJSON(w, status, toBallot(b))
}

func (h *Handler) handleBallotGet(w http.ResponseWriter, r *http.Request) {
	h.ballotCall(w, r, http.StatusOK, func(actor *awards.Actor, round int64) (voting.Ballot, error) {
		return h.Voting.Ballot(r.Context(), actor, round)
	})
}

func (h *Handler) handleBallotPut(w http.ResponseWriter, r *http.Request) {
	var in BallotPut
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.Error(w, r, err)
		return
	}
	ranks := toRanks(in.Ranks)
	if ranks == nil {
		ranks = []voting.Rank{} // a ballot without ranks: all unranked
	}
	h.ballotCall(w, r, http.StatusOK, func(actor *awards.Actor, round int64) (voting.Ballot, error) {
		return h.Voting.Save(r.Context(), actor, round, ranks)
	})
}

func (h *Handler) handleBallotSubmit(w http.ResponseWriter, r *http.Request) {
	// The body is optional: ranks in it are saved first, in the same
	// transaction, as PUT …/ballot would.
	var in BallotPut
	if r.ContentLength != 0 {
		if err := httpx.DecodeJSON(w, r, &in); err != nil {
			h.Error(w, r, err)
			return
		}
	}
	h.ballotCall(w, r, http.StatusOK, func(actor *awards.Actor, round int64) (voting.Ballot, error) {
		return h.Voting.Submit(r.Context(), actor, round, toRanks(in.Ranks))
	})
}

// BallotReopen says why a juror's submitted ballot is reopened.
type BallotReopen struct {
	Reason string `json:"reason"`
}

func (h *Handler) handleBallotReopen(w http.ResponseWriter, r *http.Request) {
	round, err := idParam(r, "round")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	juror, err := idParam(r, "juror")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	var in BallotReopen
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.Error(w, r, err)
		return
	}
	if err := h.Voting.Reopen(r.Context(), httpx.ActorFrom(r.Context()), round, juror, in.Reason); err != nil {
		// The juror is part of the path here, not a field of a form.
		var e *awards.Error
		if errors.As(err, &e) && e.Code == awards.EInvalid && e.Fields["juror_id"] != "" {
			err = awards.Errorf(awards.ENotFound, "no such juror in this cycle")
		}
		h.votingError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// VoteResult is a round's vote as its chair sees it: how many have voted
// and, once the result may be shown, the count. Individual ballots are
// never part of it.
type VoteResult struct {
	RoundID ID     `json:"round_id"`
	Cycle   string `json:"cycle"`
	// Jurors is how many seats serve in the round; Submitted how many of
	// them have submitted their ballot.
	Jurors    int  `json:"jurors"`
	Submitted int  `json:"submitted"`
	Open      bool `json:"open"`
	Over      bool `json:"over"`
	// Shown: every serving juror has submitted or voting is over; the
	// fields below are there only then.
	Shown bool `json:"shown"`
	// Candidates are the round's nominations; the tables' rows and
	// columns are in their order.
	Candidates []VoteCandidate `json:"candidates"`
	// Pairwise[i][j] is how many ballots rank candidate i above j.
	Pairwise [][]int `json:"pairwise,omitempty"`
	// StrongestPaths[i][j] is the strength of the strongest path from i
	// to j, 0 for none.
	StrongestPaths [][]int `json:"strongest_paths,omitempty"`
	// Order is the result as groups, best first; a group of several
	// members is undecided between them.
	Order [][]string `json:"order,omitempty"`
	// Steps say why each group comes before the next.
	Steps []VoteStep `json:"steps,omitempty"`
	// Winners are the potential winners; more than one is a tie the
	// chair decides.
	Winners []string `json:"winners,omitempty"`
	Tied    bool     `json:"tied"`
}

// VoteCandidate is a nomination of the round.
type VoteCandidate struct {
	NominationID string   `json:"nomination_id"`
	Title        string   `json:"title"`
	Nominees     []string `json:"nominees"`
}

// VoteStep: Ahead beats Behind by the strongest path For against Against.
type VoteStep struct {
	Ahead   string   `json:"ahead"`
	Behind  string   `json:"behind"`
	For     int      `json:"for"`
	Against int      `json:"against"`
	Path    []string `json:"path"`
}

func toVoteResult(o voting.Outcome) VoteResult {
	out := VoteResult{RoundID: ID(o.Round.ID), Cycle: o.Round.Cycle.PublicID, Jurors: len(o.Voters), Submitted: o.Submitted,
		Open: o.Round.Open, Over: o.Round.Over, Shown: o.Shown, Candidates: make([]VoteCandidate, len(o.Candidates))}
	for i, c := range o.Candidates {
		out.Candidates[i] = VoteCandidate{NominationID: c.Nomination, Title: c.Title, Nominees: c.Nominees}
	}
	res := o.Result
	if res == nil {
		return out
	}
	pub := func(ids []int64) []string {
		s := make([]string, len(ids))
		for i, id := range ids {
			s[i] = o.Candidate(id).Nomination
		}
		return s
	}
	out.Pairwise, out.StrongestPaths, out.Tied = res.D, res.P, res.Tied
	for _, g := range res.Groups {
		out.Order = append(out.Order, pub(g))
	}
	out.Winners = pub(res.Winners)
	out.Steps = []VoteStep{}
	for _, s := range res.Steps {
		out.Steps = append(out.Steps, toVoteStep(s, *res, pub))
	}
	return out
}

func toVoteStep(s schulze.Step, res schulze.Result, pub func([]int64) []string) VoteStep {
	ids := pub([]int64{s.Ahead, s.Behind})
	return VoteStep{Ahead: ids[0], Behind: ids[1], For: s.For, Against: s.Against, Path: pub(res.Path(s.Ahead, s.Behind))}
}

func (h *Handler) handleVoteResult(w http.ResponseWriter, r *http.Request) {
	round, err := idParam(r, "round")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	o, err := h.Voting.Result(r.Context(), httpx.ActorFrom(r.Context()), round)
	if err != nil {
		h.votingError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toVoteResult(o))
}
