package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/voting"
)

type voteResultPage struct {
	Base
	O        voting.Outcome
	Round    string
	Count    string
	Deadline string
	// Waiting explains why the result is not shown yet; Partial that it
	// counts only the ballots in by the deadline.
	Waiting, Partial string
	Groups           []voteGroup
	Winners, Tie     string
	Steps            []string
	Pairwise, Paths  voteTable
	Voters           []voteVoter
	// Reopen lists the submitted ballots the reader may reopen now.
	Reopen              []voteVoter
	Errors              []fieldError
	JurorError, ReasonE string
	Reason              string
	Problem             string
	Action, Ballot      string
}

// voteGroup is one place of the order: a nomination, or several the
// vote does not decide between.
type voteGroup struct {
	Text      string
	Undecided bool
}

// voteTable is the pairwise or the strongest paths table: a row and a
// column per nomination.
type voteTable struct {
	ID, Caption string
	Heads       []string
	Rows        []voteRow
}

// voteRow is a row of a voteTable.
type voteRow struct {
	Head  string
	Cells []string
}

type voteVoter struct {
	voting.Voter
	Status, Color string
	Selected      bool
}

// joinNames lists names as "A, B og C".
func joinNames(l *i18n.Localizer, names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " " + l.T("voting.and") + " " + names[len(names)-1]
}

// renderVoteResult shows the result page; posted and errs are a refused
// reopening's input and field messages.
func (h *Handler) renderVoteResult(w http.ResponseWriter, r *http.Request, status int, posted url.Values, errs map[string]string, problem string) {
	cycle := chi.URLParam(r, "cycle")
	round, err := h.cycleRound(r)
	if err != nil {
		h.votingError(w, r, err)
		return
	}
	o, err := h.Voting.Result(r.Context(), h.actor(r), round)
	if err != nil {
		h.votingError(w, r, err)
		return
	}
	p := voteResultPage{Base: h.base(r, ""), O: o, Problem: problem, Action: juryPath(cycle, "stemme", "gjenapne"),
		Ballot: juryPath(cycle, "stemme"), JurorError: errs["juror_id"], ReasonE: errs["reason"], Reason: posted.Get("reason")}
	l := p.L
	p.Title = l.T("voting.result.title_cycle", "Cycle", o.Round.Cycle.Title)
	p.Round = o.Round.Name(l.Lang())
	p.Deadline = voteDeadline(l, o.Round)
	p.Count = l.T("voting.result.count", "Count", o.Submitted, "Total", len(o.Voters))
	switch {
	case !o.Shown && o.Round.Deadline != nil:
		p.Waiting = l.T("voting.result.waiting_deadline", "Date", l.FormatTime(*o.Round.Deadline))
	case !o.Shown:
		p.Waiting = l.T("voting.result.waiting")
	case o.Submitted < len(o.Voters):
		p.Partial = l.T("voting.result.partial", "Count", o.Submitted)
	}
	if res := o.Result; res != nil {
		title := func(id int64) string { return o.Candidate(id).Title }
		titles := func(ids []int64) string {
			names := make([]string, len(ids))
			for i, id := range ids {
				names[i] = title(id)
			}
			return joinNames(l, names)
		}
		for _, g := range res.Groups {
			if len(g) == 1 {
				p.Groups = append(p.Groups, voteGroup{Text: title(g[0])})
				continue
			}
			p.Groups = append(p.Groups, voteGroup{Text: l.T("voting.result.undecided", "Names", titles(g)), Undecided: true})
			p.Tie += l.T("voting.result.tie", "Names", titles(g)) + " "
		}
		p.Tie = strings.TrimSpace(p.Tie)
		if len(res.Winners) == 1 {
			p.Winners = l.T("voting.result.winner", "Name", title(res.Winners[0]))
		} else {
			p.Winners = l.T("voting.result.winners", "Names", titles(res.Winners))
		}
		for _, s := range res.Steps {
			path := res.Path(s.Ahead, s.Behind)
			names := make([]string, len(path))
			for i, id := range path {
				names[i] = title(id)
			}
			p.Steps = append(p.Steps, l.T("voting.result.step", "Ahead", title(s.Ahead), "Behind", title(s.Behind),
				"For", s.For, "Against", s.Against, "Path", strings.Join(names, " → ")))
		}
		var heads []string
		for _, c := range o.Candidates {
			heads = append(heads, c.Title)
		}
		table := func(id, caption string, m [][]int) voteTable {
			rows := make([]voteRow, len(m))
			for i := range m {
				rows[i].Head = o.Candidates[i].Title
				for j, v := range m[i] {
					cell := strconv.Itoa(v)
					if i == j {
						cell = "–"
					}
					rows[i].Cells = append(rows[i].Cells, cell)
				}
			}
			return voteTable{ID: id, Caption: caption, Heads: heads, Rows: rows}
		}
		p.Pairwise = table("pairwise", l.T("voting.result.pairwise_caption"), res.D)
		p.Paths = table("paths", l.T("voting.result.paths_caption"), res.P)
	}
	chosen := posted.Get("juror_id")
	for _, v := range o.Voters {
		vv := voteVoter{Voter: v, Status: l.T("voting.result.not_submitted"), Color: "neutral",
			Selected: chosen == strconv.FormatInt(v.JurorID, 10)}
		if v.SubmittedAt != nil {
			vv.Status, vv.Color = l.T("voting.result.submitted_at", "Date", l.FormatTime(*v.SubmittedAt)), "success"
			if o.Round.Open {
				p.Reopen = append(p.Reopen, vv)
			}
		}
		p.Voters = append(p.Voters, vv)
	}
	if p.JurorError != "" {
		p.Errors = append(p.Errors, fieldError{ID: "reopen-juror", Message: p.JurorError})
	}
	if p.ReasonE != "" {
		p.Errors = append(p.Errors, fieldError{ID: "reopen-reason", Message: p.ReasonE})
	}
	h.Renderer.Render(w, status, "jury_vote_result", p)
}

func (h *Handler) handleVoteResult(w http.ResponseWriter, r *http.Request) {
	h.renderVoteResult(w, r, http.StatusOK, url.Values{}, nil, "")
}

func (h *Handler) handleBallotReopen(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	round, err := h.cycleRound(r)
	if err != nil {
		h.votingError(w, r, err)
		return
	}
	juror, _ := strconv.ParseInt(r.PostForm.Get("juror_id"), 10, 64)
	err = h.Voting.Reopen(r.Context(), h.actor(r), round, juror, r.PostForm.Get("reason"))
	if err != nil {
		l := h.Bundle.Localizer(httpx.LangFrom(r.Context()))
		if fields := translateFields(l, err); fields != nil {
			h.renderVoteResult(w, r, httpx.Status(err), r.PostForm, fields, "")
			return
		}
		if key := voting.MessageKey(err); key != "" && awards.ErrorCode(err) == awards.EConflict {
			h.renderVoteResult(w, r, httpx.Status(err), r.PostForm, nil, l.T(key))
			return
		}
		h.votingError(w, r, err)
		return
	}
	h.flash(r, "voting.result.reopened")
	h.redirect(w, r, juryPath(chi.URLParam(r, "cycle"), "stemme", "resultat"))
}
