package ui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/voting"
)

// votingRoutes are a round's ranked vote: the juror's ballot, and the
// result with the reopening of ballots for the chair and admins. The
// pages show the cycle's ranked vote (voting.Service.CycleRound); the
// service decides about each round.
func (h *Handler) votingRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodGet, Pattern: "/jury/{cycle}/stemme", Gate: policy.LoggedIn, Handler: h.handleBallotShow},
		{Method: http.MethodPost, Pattern: "/jury/{cycle}/stemme", Gate: policy.LoggedIn, Handler: h.handleBallotSave},
		{Method: http.MethodGet, Pattern: "/jury/{cycle}/stemme/resultat", Gate: policy.LoggedIn, Handler: h.handleVoteResult},
		{Method: http.MethodPost, Pattern: "/jury/{cycle}/stemme/gjenapne", Gate: policy.LoggedIn, Handler: h.handleBallotReopen},
	}
}

// rankField is a nomination's select's name: "rank_<public ID>".
func rankField(nomination string) string { return "rank_" + nomination }

type ballotPage struct {
	Base
	B         voting.Ballot
	Round     string
	Deadline  string
	Submitted string
	Rows      []ballotRow
	Errors    []fieldError
	Problem   string
	Action    string
	Result    string
	// Editable: the form takes changes (open and not submitted).
	Editable bool
}

// ballotRow is one nomination on the ballot.
type ballotRow struct {
	voting.Item
	ID, Name, Href, Nominees, Error, RankText string
	Options                                   []rankOption
}

type rankOption struct {
	Value, Label string
	Selected     bool
}

// cycleRound finds the round the cycle's vote pages show.
func (h *Handler) cycleRound(r *http.Request) (int64, error) {
	return h.Voting.CycleRound(r.Context(), h.actor(r), chi.URLParam(r, "cycle"))
}

// renderBallot shows the ballot page; posted holds a refused post's
// choices, errs its messages by nomination.
func (h *Handler) renderBallot(w http.ResponseWriter, r *http.Request, status int, posted url.Values, errs map[string]string, problem string) {
	cycle := chi.URLParam(r, "cycle")
	round, err := h.cycleRound(r)
	if err != nil {
		h.votingError(w, r, err)
		return
	}
	b, err := h.Voting.Ballot(r.Context(), h.actor(r), round)
	if err != nil {
		h.votingError(w, r, err)
		return
	}
	p := ballotPage{Base: h.base(r, ""), B: b, Problem: problem,
		Action: juryPath(cycle, "stemme"), Editable: b.Round.Open && b.SubmittedAt == nil}
	p.Title = p.L.T("voting.title_cycle", "Cycle", b.Round.Cycle.Title)
	p.Round = b.Round.Name(p.L.Lang())
	p.Deadline = voteDeadline(p.L, b.Round)
	if b.SubmittedAt != nil {
		p.Submitted = p.L.FormatTime(*b.SubmittedAt)
	}
	if b.Round.Leads {
		p.Result = juryPath(cycle, "stemme", "resultat")
	}
	for _, it := range b.Items {
		row := ballotRow{Item: it, ID: "rank-" + it.Nomination, Name: rankField(it.Nomination),
			Nominees: strings.Join(it.Nominees, ", "), Error: errs[it.Nomination]}
		if it.Visible {
			row.Href = juryPath(cycle, "nominasjoner", it.Nomination)
		}
		chosen := ""
		if it.Rank > 0 {
			chosen = strconv.Itoa(it.Rank)
			row.RankText = chosen
		} else {
			row.RankText = p.L.T("voting.unranked")
		}
		if posted != nil {
			chosen = posted.Get(row.Name)
		}
		row.Options = append(row.Options, rankOption{Value: "", Label: p.L.T("voting.unranked"), Selected: chosen == ""})
		for k := 1; k <= b.Max; k++ {
			v := strconv.Itoa(k)
			row.Options = append(row.Options, rankOption{Value: v, Label: v, Selected: chosen == v})
		}
		if row.Error != "" {
			p.Errors = append(p.Errors, fieldError{ID: row.ID, Message: it.Title + ": " + row.Error})
		}
		p.Rows = append(p.Rows, row)
	}
	h.Renderer.Render(w, status, "jury_ballot", p)
}

// voteDeadline says when the round's vote closes.
func voteDeadline(l *i18n.Localizer, r voting.Round) string {
	switch {
	case r.Deadline == nil:
		return l.T("scoring.no_deadline")
	case r.Now.Before(*r.Deadline):
		return l.T("scoring.deadline", "Date", l.FormatTime(*r.Deadline), "Relative", l.Relative(*r.Deadline, r.Now))
	}
	return l.T("scoring.deadline_passed", "Date", l.FormatTime(*r.Deadline))
}

// votingError sends an undeclared juror to their declaration first.
func (h *Handler) votingError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, voting.ErrNotDeclared) {
		h.redirect(w, r, declarePath(chi.URLParam(r, "cycle")))
		return
	}
	h.Error(w, r, err)
}

func (h *Handler) handleBallotShow(w http.ResponseWriter, r *http.Request) {
	h.renderBallot(w, r, http.StatusOK, nil, nil, "")
}

func (h *Handler) handleBallotSave(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	round, err := h.cycleRound(r)
	if err != nil {
		h.votingError(w, r, err)
		return
	}
	// One select per nomination; "" is unranked, anything else not a
	// number is rank 0, which the service refuses at the field.
	ranks := []voting.Rank{}
	for k, vs := range r.PostForm {
		nom, ok := strings.CutPrefix(k, "rank_")
		if !ok || len(vs) == 0 || vs[0] == "" {
			continue
		}
		n, _ := strconv.Atoi(vs[0])
		ranks = append(ranks, voting.Rank{Nomination: nom, Rank: n})
	}
	submit := r.PostForm.Get("action") == "submit"
	if submit {
		_, err = h.Voting.Submit(r.Context(), h.actor(r), round, ranks)
	} else {
		_, err = h.Voting.Save(r.Context(), h.actor(r), round, ranks)
	}
	if err != nil {
		l := h.Bundle.Localizer(httpx.LangFrom(r.Context()))
		fields := translateFields(l, err)
		key := voting.MessageKey(err)
		switch {
		case fields != nil:
			// Messages by nomination; one the page does not show (a
			// hand-made post) or about the whole ballot goes on top.
			errs, problem := map[string]string{}, fields["ranks"]
			for i, rk := range ranks {
				for _, f := range []string{"nomination_id", "rank"} {
					if msg, ok := fields[fmt.Sprintf("ranks[%d].%s", i, f)]; ok {
						errs[rk.Nomination], problem = msg, msg
					}
				}
			}
			if len(errs) > 0 {
				problem = l.T("voting.error.form")
			}
			h.renderBallot(w, r, httpx.Status(err), r.PostForm, errs, problem)
		case key != "" && awards.ErrorCode(err) == awards.EConflict:
			h.renderBallot(w, r, httpx.Status(err), r.PostForm, nil, l.T(key))
		default:
			h.votingError(w, r, err)
		}
		return
	}
	if submit {
		h.flash(r, "voting.submitted_flash")
	} else {
		h.flash(r, "voting.saved")
	}
	h.redirect(w, r, juryPath(chi.URLParam(r, "cycle"), "stemme"))
}
