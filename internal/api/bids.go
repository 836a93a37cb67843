package api

import (
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/assignment"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/policy"
)

// bidRoutes let a juror read and set their own bids for the automatic
// assignment; the service decides who has a seat.
func (h *Handler) bidRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodGet, Pattern: "/api/v1/cycles/{cycle}/bids", Gate: policy.LoggedIn, Handler: h.handleBidsGet},
		{Method: http.MethodPut, Pattern: "/api/v1/cycles/{cycle}/bids", Gate: policy.LoggedIn, Handler: h.handleBidsPut},
	}
}

// Bids are a juror's bids in a cycle, one per nomination they may bid on.
type Bids struct {
	Cycle string `json:"cycle"`
	// Open: the bids may be changed now.
	Open bool      `json:"open"`
	Bids []BidItem `json:"bids"`
}

// BidItem is one nomination with the juror's bid.
type BidItem struct {
	NominationID string   `json:"nomination_id"`
	Title        string   `json:"title"`
	Nominees     []string `json:"nominees"`
	Summary      string   `json:"summary"`
	Bid          string   `json:"bid"`
}

// BidsPut replaces the juror's bids: nominations left out are willing.
type BidsPut struct {
	Bids []BidPut `json:"bids"`
}

// BidPut is the bid on one nomination.
type BidPut struct {
	NominationID string `json:"nomination_id"`
	Bid          string `json:"bid"`
}

func toBids(b assignment.Bidding) Bids {
	out := Bids{Cycle: b.Cycle.PublicID, Open: b.Open, Bids: make([]BidItem, len(b.Items))}
	for i, it := range b.Items {
		out.Bids[i] = BidItem{NominationID: it.Nomination, Title: it.Title, Nominees: it.Nominees, Summary: it.Summary,
			Bid: string(it.Bid)}
	}
	return out
}

// bidsError explains a closed bidding in the caller's language.
func (h *Handler) bidsError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, assignment.ErrBiddingClosed) {
		l := h.Bundle.Localizer(httpx.LangFrom(r.Context()))
		err = &awards.Error{Code: awards.ErrorCode(err), Reason: awards.ReasonNotOpen,
			Message: l.T("assignment.error.bidding_closed"), Err: err}
	}
	h.assignmentError(w, r, err)
}

func (h *Handler) handleBidsGet(w http.ResponseWriter, r *http.Request) {
	b, err := h.Assignment.MyBids(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"))
	if err != nil {
		h.bidsError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toBids(b))
}

func (h *Handler) handleBidsPut(w http.ResponseWriter, r *http.Request) {
	var in BidsPut
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.Error(w, r, err)
		return
	}
	changes := make([]assignment.BidChange, len(in.Bids))
	for i, b := range in.Bids {
		changes[i] = assignment.BidChange{Nomination: b.NominationID, Bid: assignment.Bid(b.Bid)}
	}
	b, err := h.Assignment.SetBids(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"), changes)
	if err != nil {
		h.bidsError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toBids(b))
}
