package ui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/assignment"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/policy"
)

// bidRoutes are a juror's bidding page: which nominations they are eager
// to assess or would rather not have, before the automatic assignment.
func (h *Handler) bidRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodGet, Pattern: "/jury/{cycle}/onsker", Gate: policy.LoggedIn, Handler: h.handleBidsShow},
		{Method: http.MethodPost, Pattern: "/jury/{cycle}/onsker", Gate: policy.LoggedIn, Handler: h.handleBidsSave},
	}
}

func bidsPath(cycle string) string { return "/jury/" + url.PathEscape(cycle) + "/onsker" }

// bidField is a nomination's radio group's name: "bid_<public ID>".
func bidField(nomination string) string { return "bid_" + nomination }

type bidsPage struct {
	Base
	B       assignment.Bidding
	Rows    []bidRow
	Errors  []fieldError
	Problem string
	Action  string
}

// bidRow is one nomination's fieldset.
type bidRow struct {
	assignment.BidItem
	ID, Name, Nominees, Error string
	Options                   []bidOption
}

type bidOption struct {
	ID, Value, Label string
	Checked          bool
}

// renderBids shows the page; posted holds a refused post's choices and
// errs its messages by nomination.
func (h *Handler) renderBids(w http.ResponseWriter, r *http.Request, status int, posted url.Values, errs map[string]string, problem string) {
	cycle := chi.URLParam(r, "cycle")
	b, err := h.Assignment.MyBids(r.Context(), h.actor(r), cycle)
	if err != nil {
		h.bidsError(w, r, err)
		return
	}
	p := bidsPage{Base: h.base(r, ""), B: b, Problem: problem, Action: bidsPath(cycle)}
	p.Title = p.L.T("assignment.bidding.title", "Cycle", b.Cycle.Title)
	for _, it := range b.Items {
		row := bidRow{BidItem: it, ID: "n-" + it.Nomination, Name: bidField(it.Nomination),
			Nominees: strings.Join(it.Nominees, ", "), Error: errs[it.Nomination]}
		chosen := string(it.Bid)
		if v := posted.Get(row.Name); v != "" {
			chosen = v
		}
		for _, bid := range assignment.Bids {
			row.Options = append(row.Options, bidOption{ID: row.ID + "-" + string(bid), Value: string(bid),
				Label: p.L.T("assignment.bid." + string(bid)), Checked: chosen == string(bid)})
		}
		if row.Error != "" {
			p.Errors = append(p.Errors, fieldError{ID: row.ID, Message: it.Title + ": " + row.Error})
		}
		p.Rows = append(p.Rows, row)
	}
	h.Renderer.Render(w, status, "jury_bids", p)
}

// bidsError sends an undeclared juror to their declaration first.
func (h *Handler) bidsError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, assignment.ErrNotDeclared) {
		h.redirect(w, r, declarePath(chi.URLParam(r, "cycle")))
		return
	}
	h.Error(w, r, err)
}

func (h *Handler) handleBidsShow(w http.ResponseWriter, r *http.Request) {
	h.renderBids(w, r, http.StatusOK, nil, nil, "")
}

func (h *Handler) handleBidsSave(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	// One radio group per nomination; sorted so that errors by index
	// find their nomination again.
	var names []string
	for k := range r.PostForm {
		if strings.HasPrefix(k, "bid_") {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	changes := make([]assignment.BidChange, len(names))
	for i, k := range names {
		changes[i] = assignment.BidChange{Nomination: strings.TrimPrefix(k, "bid_"), Bid: assignment.Bid(r.PostForm.Get(k))}
	}
	_, err := h.Assignment.SetBids(r.Context(), h.actor(r), chi.URLParam(r, "cycle"), changes)
	if err != nil {
		l := h.Bundle.Localizer(httpx.LangFrom(r.Context()))
		switch fields := translateFields(l, err); {
		case fields != nil:
			// Messages by nomination; one the page does not show (a
			// hand-made post) goes on top.
			errs, problem := map[string]string{}, ""
			for i, c := range changes {
				for _, f := range []string{"nomination_id", "bid"} {
					if msg, ok := fields[fmt.Sprintf("bids[%d].%s", i, f)]; ok {
						errs[c.Nomination] = msg
						problem = msg
					}
				}
			}
			h.renderBids(w, r, httpx.Status(err), r.PostForm, errs, problem)
		case errors.Is(err, assignment.ErrBiddingClosed):
			h.renderBids(w, r, httpx.Status(err), r.PostForm, nil, l.T("assignment.error.bidding_closed"))
		default:
			h.bidsError(w, r, err)
		}
		return
	}
	h.flash(r, "assignment.bidding.saved")
	h.redirect(w, r, bidsPath(chi.URLParam(r, "cycle")))
}
