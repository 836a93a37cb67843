package ui

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/deciding"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/scorestats"
)

// The rounds of the ranking pages: which round a page shows, links to
// the others, the form that advances nominations out of the current
// round and the record of those advanced out of a closed one.

// rankingRound reads the round a ranking page asks for (?runde=<id>),
// 0 for the current one; false for a value that is no round ID.
func rankingRound(r *http.Request) (int64, bool) {
	q := r.URL.Query().Get("runde")
	if q == "" {
		return 0, true
	}
	id, err := strconv.ParseInt(q, 10, 64)
	return id, err == nil && id > 0
}

// rankingQuery is the query that keeps the links of a ranking page on
// rk's round: "?runde=<id>" when the cycle judges in several rounds, ""
// when it judges in one.
func rankingQuery(rk *deciding.Ranking) string {
	if len(rk.Rounds) < 2 {
		return ""
	}
	return "?runde=" + strconv.FormatInt(rk.Round.ID, 10)
}

func rankingPath(cycle string, round int64) string {
	return decidingPath(cycle, "rangering") + "?runde=" + strconv.FormatInt(round, 10)
}

// roundName names a round briefly: "Runde 2: Kortliste".
func roundName(l *i18n.Localizer, r awards.Round) string {
	return l.T("deciding.round.name", "N", r.Position, "Name", r.Name(l.Lang()))
}

// rankingBase is the base of a page made from rk, naming its round when
// the cycle has several.
func (h *Handler) rankingBase(r *http.Request, rk *deciding.Ranking, title string) decidingBase {
	b := h.decidingBase(r, rk.Cycle, "ranking", title)
	if len(rk.Rounds) > 1 {
		b.Round = b.L.T("deciding.round.of", "N", rk.Round.Position, "Count", len(rk.Rounds), "Name", rk.Round.Name(b.L.Lang()))
	}
	return b
}

// roundLink is a link to one round's ranking.
type roundLink struct {
	Label, URL string
	// Here: the page shows this round; Current: it is the cycle's
	// current round.
	Here, Current bool
}

// roundsView is what the ranking page says of the cycle's rounds.
type roundsView struct {
	// Links are there when the cycle has several rounds.
	Links []roundLink
	// ID is the round shown.
	ID int64
	// Closed is when the round shown was closed, "" while it is open.
	Closed string
	// Vote: the round is judged by a ranked vote, without scores.
	Vote bool
}

func newRoundsView(l *i18n.Localizer, rk *deciding.Ranking) roundsView {
	v := roundsView{ID: rk.Round.ID, Vote: rk.Vote()}
	if rk.Round.ClosedAt != nil {
		v.Closed = l.FormatTime(*rk.Round.ClosedAt)
	}
	if len(rk.Rounds) > 1 {
		for _, x := range rk.Rounds {
			v.Links = append(v.Links, roundLink{Label: roundName(l, x), URL: rankingPath(rk.Cycle.PublicID, x.ID),
				Here: x.ID == rk.Round.ID, Current: x.Current})
		}
	}
	return v
}

// advanceRow is one nomination of the advancing form, in ranking order;
// Place is "" for one without a place (no scores, or a ranked vote).
type advanceRow struct {
	Place, Title, Nominees string
	Choose, Reason         formField
}

// advanceForm moves nominations out of the current round into Next.
type advanceForm struct {
	Action string
	Next   string
	// Shortlist: Next is the cycle's last round, so the nominations
	// advanced become the finalists.
	Shortlist bool
	// Group is the fieldset of the choices, with the error when none is
	// chosen.
	Group    formField
	Rows     []advanceRow
	Deadline formField
	Submit   string
	errors   []fieldError
}

// newAdvanceForm is the advancing form of rk's round, with the values and
// errors of a refused attempt rf; nil when nothing can be advanced out of
// the round (it is not the current one or is the last, or the jury is not
// judging).
func newAdvanceForm(l *i18n.Localizer, rk *deciding.Ranking, rf refusal) *advanceForm {
	next, ok := rk.Next()
	if !ok || !rk.Round.Current || rk.Cycle.Phase != awards.PhaseJudging {
		return nil
	}
	values := rf.values
	if values == nil {
		values = url.Values{deciding.FieldNextDeadline: {datetimeLocal(next.ScoringDeadline)}}
	}
	action := decidingPath(rk.Cycle.PublicID, "runder/"+strconv.FormatInt(rk.Round.ID, 10)+"/videre")
	b := newForm(l, "advancing", action, "deciding.advance.submit", values, rf.errs)
	f := &advanceForm{Action: action, Next: roundName(l, next), Submit: b.f.Submit}
	f.Shortlist = rk.Shortlisting()
	b.add(formField{Name: deciding.FieldNominations, Type: "group", Required: true}, "deciding.advance.nominations", "")
	for _, row := range rk.Result.Rows {
		n := rk.Nominations[row.Nomination]
		title := n.Title
		if title == "" {
			title = l.T("deciding.untitled")
		}
		b.checkbox(deciding.Field(deciding.FieldAdvance, n.PublicID), "deciding.advance.choose", "")
		b.add(formField{Name: deciding.Field(deciding.FieldAdvanceReason, n.PublicID), Type: "textarea", Rows: 3,
			MaxLength: deciding.MaxReason, Required: true}, "deciding.advance.reason", "deciding.advance.reason_hint")
		fields := b.f.Fields[len(b.f.Fields)-2:]
		fields[0].Label = l.T("deciding.advance.choose", "Title", title)
		fields[1].Label = l.T("deciding.advance.reason", "Title", title)
		// Only the reasons of the nominations chosen are required: not
		// marked so in the page, which would ask for all.
		fields[1].Required = false
		ar := advanceRow{Title: title, Nominees: n.Nominees, Choose: fields[0], Reason: fields[1]}
		if row.ZRank != 0 {
			ar.Place = scorestats.Place(row.ZRank, row.ZTied)
		}
		f.Rows = append(f.Rows, ar)
	}
	b.add(formField{Name: deciding.FieldNextDeadline, Type: "datetime-local"}, "deciding.advance.deadline", "deciding.advance.deadline_hint")
	f.Group, f.Deadline = b.f.Fields[0], b.f.Fields[len(b.f.Fields)-1]
	f.errors = errorList(&b.f)
	return f
}

// advancedView lists the nominations advanced out of a closed round.
type advancedView struct {
	Heading string
	Items   []deciding.Advancement
}

func newAdvancedView(l *i18n.Localizer, a deciding.Advancements) *advancedView {
	if !a.HasNext {
		return nil
	}
	return &advancedView{Heading: l.T("deciding.advancements.heading", "To", roundName(l, a.Next)), Items: a.Items}
}

// advanceInput reads the advancing form: the nominations ticked
// ("advance-<id>=true") with their reasons, and the next round's
// deadline in Oslo time.
func advanceInput(form url.Values, round int64) (deciding.AdvanceInput, error) {
	in := deciding.AdvanceInput{RoundID: round}
	var ids []string
	for k := range form {
		if id, ok := strings.CutPrefix(k, deciding.FieldAdvance+"-"); ok && form.Get(k) == "true" {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	for _, id := range ids {
		in.Nominations = append(in.Nominations, deciding.AdvanceItem{NominationID: id,
			Reason: form.Get(deciding.Field(deciding.FieldAdvanceReason, id))})
	}
	if v := strings.TrimSpace(form.Get(deciding.FieldNextDeadline)); v != "" {
		t, ok := osloTime(v)
		if !ok {
			return in, awards.Invalid(map[string]string{deciding.FieldNextDeadline: "cycles.error.datetime"})
		}
		in.NextDeadline = &t
	}
	return in, nil
}

func (h *Handler) handleAdvance(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	cycle := chi.URLParam(r, "cycle")
	round, err := idParam(r, "round")
	if err != nil {
		h.NotFound(w, r)
		return
	}
	in, err := advanceInput(r.PostForm, round)
	if err == nil {
		_, err = h.Deciding.Advance(r.Context(), h.actor(r), cycle, in)
	}
	if err != nil {
		l := h.Bundle.Localizer(httpx.LangFrom(r.Context()))
		rf := refusal{values: r.PostForm, status: httpx.Status(err), errs: translateFields(l, err)}
		if rf.errs == nil {
			msg, known := decidingProblem(l, err)
			if !known || errors.Is(err, deciding.ErrNotChair) || errors.Is(err, deciding.ErrNotDeclared) {
				h.decidingError(w, r, err)
				return
			}
			rf.problem = msg
		}
		h.renderRanking(w, r, round, rf)
		return
	}
	h.flash(r, "deciding.flash.advanced")
	h.redirect(w, r, rankingPath(cycle, round))
}
