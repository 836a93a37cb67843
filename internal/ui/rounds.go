package ui

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/policy"
)

// roundRoutes are the admins' pages for a cycle's rounds of judging: the
// rounds section of the cycle's page adds them; each has a page of its
// own to change it, choose its jurors or delete it.
func (h *Handler) roundRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodPost, Pattern: "/admin/sykluser/{cycle}/runder", Gate: policy.Admin, Handler: h.handleRoundCreate},
		{Method: http.MethodGet, Pattern: "/admin/runder/{id}", Gate: policy.Admin, Handler: h.handleRoundShow},
		{Method: http.MethodPost, Pattern: "/admin/runder/{id}", Gate: policy.Admin, Handler: h.handleRoundUpdate},
		{Method: http.MethodPost, Pattern: "/admin/runder/{id}/jury", Gate: policy.Admin, Handler: h.handleRoundJurors},
		{Method: http.MethodPost, Pattern: "/admin/runder/{id}/slett", Gate: policy.Admin, Handler: h.handleRoundDelete},
	}
}

// roundRow is a round as the table on the cycle's page shows it.
type roundRow struct {
	awards.Round
	Name, Kind, Deadline, Status string
}

// criteriaGroup is a round's criteria on the cycle's page.
type criteriaGroup struct {
	Round    awards.Round
	Heading  string
	Criteria []awards.Criterion
}

func roundHeading(l *i18n.Localizer, r awards.Round) string {
	return l.T("rounds.heading", "N", r.Position, "Name", r.Name(l.Lang()))
}

func roundStatus(r awards.Round) string {
	switch {
	case r.ClosedAt != nil:
		return "rounds.status.closed"
	case r.Started:
		return "rounds.status.current"
	}
	return "rounds.status.not_started"
}

func toRoundRow(l *i18n.Localizer, c awards.Cycle, r awards.Round) roundRow {
	row := roundRow{Round: r, Name: r.Name(l.Lang()), Kind: l.T("rounds.kind." + string(r.Kind)), Status: l.T(roundStatus(r))}
	switch {
	case r.ScoringDeadline != nil:
		row.Deadline = l.FormatTime(*r.ScoringDeadline)
	case c.ScoringDeadline != nil:
		row.Deadline = l.T("rounds.cycle_deadline", "Date", l.FormatTime(*c.ScoringDeadline))
	default:
		row.Deadline = l.T("rounds.no_deadline")
	}
	return row
}

// criterionRounds are the rounds a criterion may go into: scored rounds
// not started, and keep, the one it is in.
func criterionRounds(l *i18n.Localizer, rounds []awards.Round, keep int64) []formOption {
	var opts []formOption
	for _, r := range rounds {
		if r.ID == keep || !r.Started && r.Kind == awards.RoundScores {
			opts = append(opts, formOption{Value: strconv.FormatInt(r.ID, 10), Label: roundHeading(l, r)})
		}
	}
	return opts
}

// defaultRound is the round a new criterion goes into unless chosen: the
// first among opts (as the service chooses).
func defaultRound(opts []formOption) string {
	if len(opts) == 0 {
		return ""
	}
	return opts[0].Value
}

// roundsOnCyclePage fills the rounds section of the cycle's page, the
// criteria grouped by round and the forms to add either; which names the
// form a refusal is about ("round" or "criterion").
func (h *Handler) roundsOnCyclePage(ctx context.Context, actor *awards.Actor, p *cycleAdminPage, rf refusal, which string) error {
	rounds, err := h.Cycles.Rounds(ctx, actor, p.Cycle.PublicID)
	if err != nil {
		return err
	}
	l := p.L
	for _, r := range rounds {
		p.Rounds = append(p.Rounds, toRoundRow(l, p.Cycle, r))
		g := criteriaGroup{Round: r, Heading: roundHeading(l, r)}
		for _, cr := range p.Criteria {
			if cr.RoundID == r.ID {
				g.Criteria = append(g.Criteria, cr)
			}
		}
		p.CriteriaGroups = append(p.CriteriaGroups, g)
	}
	p.RoundsFull = len(rounds) >= awards.MaxRounds
	p.MaxRounds = awards.MaxRounds
	opts := criterionRounds(l, rounds, 0)
	p.Locked = len(opts) == 0
	if len(rounds) < 2 {
		opts = nil // one round: nothing to choose
	}
	roundValues, roundErrs := url.Values{"kind": {string(awards.RoundScores)}}, map[string]string(nil)
	critValues := url.Values{"weight": {"1"}, "scale_min": {"1"}, "scale_max": {"5"}, "scale_step": {"1"}, "round_id": {defaultRound(opts)}}
	critErrs := map[string]string(nil)
	switch which {
	case "round":
		roundValues, roundErrs = rf.values, rf.errs
	case "criterion":
		critValues, critErrs = rf.values, rf.errs
	}
	base := "/admin/sykluser/" + p.Cycle.PublicID
	p.NewRound = roundForm(l, "new-round", base+"/runder", "rounds.create", roundValues, roundErrs, true)
	p.NewCriterion = criterionForm(l, "new-criterion", base+"/kriterier", "cycles.criterion_create", critValues, critErrs, true, opts)
	return nil
}

func kindOptions(l *i18n.Localizer) []formOption {
	var opts []formOption
	for _, k := range []awards.RoundKind{awards.RoundScores, awards.RoundRankedVote} {
		opts = append(opts, formOption{Value: string(k), Label: l.T("rounds.kind." + string(k))})
	}
	return opts
}

// roundForm is the form of a round's settings; its kind only while it may
// change.
func roundForm(l *i18n.Localizer, id, action, submit string, values url.Values, errs map[string]string, withKind bool) form {
	b := newForm(l, id, action, submit, values, errs).
		text("name_nb", "cycles.field.name_nb", "", true, 200).
		translated("name_nn", "cycles.field.name_nn", "nn", false, 200).
		translated("name_en", "cycles.field.name_en", "en", false, 200)
	if withKind {
		b.choices("kind", "rounds.field.kind", "rounds.hint.kind", "select", true, kindOptions(l))
	}
	return b.checkbox("shows_earlier_results", "rounds.field.shows_earlier_results", "rounds.hint.shows_earlier_results").
		add(formField{Name: "scoring_deadline", Type: "datetime-local"}, "rounds.field.scoring_deadline", "rounds.hint.scoring_deadline").f
}

func roundValues(r awards.Round) url.Values {
	return url.Values{"name_nb": {r.NameNB}, "name_nn": {r.NameNN}, "name_en": {r.NameEN}, "kind": {string(r.Kind)},
		"shows_earlier_results": {boolValue(r.ShowsEarlierResults)}, "scoring_deadline": {datetimeLocal(r.ScoringDeadline)}}
}

// parseRound reads a round's form; a form without the kind leaves it.
func parseRound(form url.Values) (cycles.RoundFields, error) {
	p := newFormParser(form)
	f := cycles.RoundFields{NameNB: p.str("name_nb"), NameNN: p.str("name_nn"), NameEN: p.str("name_en"),
		ShowsEarlierResults: p.boolean("shows_earlier_results"), ScoringDeadline: p.instant("scoring_deadline")}
	if _, ok := form["kind"]; ok {
		k := awards.RoundKind(form.Get("kind"))
		f.Kind = &k
	}
	return f, p.err()
}

// roundID reads the round a criterion's form chose; none leaves the
// choice to the service.
func (p *formParser) roundID(name string) *int64 {
	v := strings.TrimSpace(p.form.Get(name))
	if v == "" {
		return nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		p.errs[name] = "rounds.error.round"
		return nil
	}
	return &id
}

func (h *Handler) handleRoundCreate(w http.ResponseWriter, r *http.Request) {
	h.cycleChange(w, r, "round", "rounds.created", "", func(ctx context.Context, actor *awards.Actor, id string) (string, error) {
		f, err := parseRound(r.PostForm)
		if err != nil {
			return "", err
		}
		_, err = h.Cycles.CreateRound(ctx, actor, id, f)
		return "", err
	})
}

// The round's own page.

type roundPage struct {
	cyclesBase
	Cycle   awards.Cycle
	Round   awards.Round
	Heading string
	Edit    form
	Jurors  form
	// Seated: the cycle has jurors to choose from; Served names those
	// who served in a closed round.
	Seated bool
	Served []string
	// NoDelete says why the round cannot be deleted, when it cannot.
	NoDelete string
}

// renderRound shows round id's page; which names the form a refusal is
// about ("edit" or "jurors").
func (h *Handler) renderRound(w http.ResponseWriter, r *http.Request, rf refusal, which string) {
	ctx, actor := r.Context(), h.actor(r)
	id, err := idParam(r, "id")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	round, c, err := h.Cycles.Round(ctx, actor, id)
	if err == nil {
		// Jurors see a cycle's rounds, but only its admins this page.
		_, err = h.Cycles.ManagedCycle(ctx, actor, c.PublicID)
	}
	if err != nil {
		h.Error(w, r, err)
		return
	}
	jury, err := h.Jury.Jury(ctx, actor, c.PublicID)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p := roundPage{cyclesBase: h.cyclesBase(r, ""), Cycle: c, Round: round}
	p.Heading = roundHeading(p.L, round)
	p.Title = p.Heading
	editValues, editErrs := roundValues(round), map[string]string(nil)
	serving := map[int64]bool{}
	for _, s := range round.SeatIDs {
		serving[s] = true
	}
	jurorValues, jurorErrs := url.Values{}, map[string]string(nil)
	switch which {
	case "edit":
		editValues, editErrs = rf.values, rf.errs
	case "jurors":
		jurorValues, jurorErrs = rf.values, rf.errs
	}
	action := "/admin/runder/" + strconv.FormatInt(round.ID, 10)
	p.Edit = roundForm(p.L, "round", action, "form.save", editValues, editErrs, !round.Started)
	var seats []formOption
	for _, j := range jury.Jurors {
		if j.RemovedAt != nil {
			continue
		}
		label := j.Name
		if j.Chair {
			label += " (" + p.L.T("rounds.chair") + ")"
		}
		if serving[j.ID] {
			p.Served = append(p.Served, label)
			if which != "jurors" {
				jurorValues.Add("juror_ids", strconv.FormatInt(j.ID, 10))
			}
		}
		seats = append(seats, formOption{Value: strconv.FormatInt(j.ID, 10), Label: label})
	}
	p.Seated = len(seats) > 0
	p.Jurors = newForm(p.L, "round-jurors", action+"/jury", "rounds.jurors_save", jurorValues, jurorErrs).
		choices("juror_ids", "rounds.field.jurors", "rounds.hint.jurors", "checkboxes", false, seats).f
	switch {
	case round.Position == 1:
		p.NoDelete = p.L.T("rounds.no_delete_first")
	case round.Started:
		p.NoDelete = p.L.T("rounds.no_delete_started")
	}
	p.Errors = errorList(&p.Edit, &p.Jurors)
	p.Problem = rf.problem
	render(h, w, rf, "cycle_round", p)
}

func (h *Handler) handleRoundShow(w http.ResponseWriter, r *http.Request) {
	h.renderRound(w, r, refusal{}, "")
}

// roundChange runs a change to the round in the URL; on success it goes
// back to the rounds on the cycle's page.
func (h *Handler) roundChange(w http.ResponseWriter, r *http.Request, which, flash string,
	change func(ctx context.Context, actor *awards.Actor, id int64) (awards.Round, error)) {
	_ = r.ParseForm()
	id, err := idParam(r, "id")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	ctx := r.Context()
	round, err := change(ctx, h.actor(r), id)
	if err != nil {
		if rf, ok := refused(h.Bundle.Localizer(httpx.LangFrom(ctx)), r, err, awards.Cycle{}, ""); ok {
			h.renderRound(w, r, rf, which)
			return
		}
		h.Error(w, r, err)
		return
	}
	h.flash(r, flash)
	h.redirect(w, r, "/admin/sykluser/"+round.CyclePublicID+"#rounds-h")
}

func (h *Handler) handleRoundUpdate(w http.ResponseWriter, r *http.Request) {
	h.roundChange(w, r, "edit", "rounds.saved", func(ctx context.Context, actor *awards.Actor, id int64) (awards.Round, error) {
		f, err := parseRound(r.PostForm)
		if err != nil {
			return awards.Round{}, err
		}
		return h.Cycles.UpdateRound(ctx, actor, id, f)
	})
}

func (h *Handler) handleRoundJurors(w http.ResponseWriter, r *http.Request) {
	h.roundChange(w, r, "jurors", "rounds.jurors_saved", func(ctx context.Context, actor *awards.Actor, id int64) (awards.Round, error) {
		var seats []int64
		for _, v := range r.PostForm["juror_ids"] {
			s, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return awards.Round{}, awards.Invalid(map[string]string{"juror_ids": "rounds.error.seat"})
			}
			seats = append(seats, s)
		}
		return h.Cycles.SetRoundJurors(ctx, actor, id, seats)
	})
}

func (h *Handler) handleRoundDelete(w http.ResponseWriter, r *http.Request) {
	h.roundChange(w, r, "", "rounds.deleted", h.Cycles.DeleteRound)
}
