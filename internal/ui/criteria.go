package ui

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/i18n"
)

// criterionForm is a criterion's form; rounds are the rounds it may go
// into (none: no choice to make).
func criterionForm(l *i18n.Localizer, id, action, submit string, values url.Values, errs map[string]string, create bool,
	rounds []formOption) form {
	positionHint := ""
	if create {
		positionHint = "cycles.hint.position"
	}
	b := newForm(l, id, action, submit, values, errs)
	if len(rounds) > 0 {
		b.choices("round_id", "rounds.field.round", "", "select", true, rounds)
	}
	return b.text("name_nb", "cycles.field.name_nb", "", true, 200).
		translated("name_nn", "cycles.field.name_nn", "nn", false, 200).
		translated("name_en", "cycles.field.name_en", "en", false, 200).
		textarea("help_nb", "cycles.field.help_nb", "cycles.hint.help", 3, 4000).
		translated("help_nn", "cycles.field.help_nn", "nn", true, 4000).
		translated("help_en", "cycles.field.help_en", "en", true, 4000).
		number("weight", "cycles.field.weight", "cycles.hint.weight", "decimal", true).
		number("scale_min", "cycles.field.scale_min", "", "decimal", true).
		number("scale_max", "cycles.field.scale_max", "", "decimal", true).
		number("scale_step", "cycles.field.scale_step", "cycles.hint.scale_step", "decimal", true).
		number("position", "cycles.field.position", positionHint, "numeric", !create).f
}

func criterionValues(cr awards.Criterion) url.Values {
	return url.Values{"name_nb": {cr.NameNB}, "name_nn": {cr.NameNN}, "name_en": {cr.NameEN},
		"help_nb": {cr.HelpNB}, "help_nn": {cr.HelpNN}, "help_en": {cr.HelpEN},
		"weight": {floatValue(cr.Weight)}, "scale_min": {floatValue(cr.ScaleMin)}, "scale_max": {floatValue(cr.ScaleMax)},
		"scale_step": {floatValue(cr.ScaleStep)}, "position": {intValue(cr.Position)},
		"round_id": {strconv.FormatInt(cr.RoundID, 10)}}
}

func parseCriterion(form url.Values, create bool) (cycles.CriterionFields, error) {
	p := newFormParser(form)
	f := cycles.CriterionFields{NameNB: p.str("name_nb"), NameNN: p.str("name_nn"), NameEN: p.str("name_en"),
		HelpNB: p.str("help_nb"), HelpNN: p.str("help_nn"), HelpEN: p.str("help_en"),
		Weight: p.decimal("weight"), ScaleMin: p.decimal("scale_min"), ScaleMax: p.decimal("scale_max"),
		ScaleStep: p.decimal("scale_step"), RoundID: p.roundID("round_id")}
	if create {
		f.Position = p.optionalInteger("position")
	} else {
		f.Position = p.integer("position")
	}
	return f, p.err()
}

func (h *Handler) handleCriterionCreate(w http.ResponseWriter, r *http.Request) {
	h.cycleChange(w, r, "criterion", "cycles.criterion_created", "", func(ctx context.Context, actor *awards.Actor, id string) (string, error) {
		f, err := parseCriterion(r.PostForm, true)
		if err != nil {
			return "", err
		}
		_, err = h.Cycles.CreateCriterion(ctx, actor, id, f)
		return "", err
	})
}

// Criteria.

type criterionPage struct {
	cyclesBase
	Cycle     awards.Cycle
	Criterion awards.Criterion
	Locked    bool
	Edit      form
}

func (h *Handler) renderCriterion(w http.ResponseWriter, r *http.Request, rf refusal) {
	ctx, actor := r.Context(), h.actor(r)
	id, err := idParam(r, "id")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	cr, c, err := h.Cycles.Criterion(ctx, actor, id)
	if err == nil {
		_, err = h.Cycles.ManagedCycle(ctx, actor, c.PublicID)
	}
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p := criterionPage{cyclesBase: h.cyclesBase(r, ""), Cycle: c, Criterion: cr}
	p.Title = cr.Name(p.L.Lang())
	rounds, err := h.Cycles.Rounds(ctx, actor, c.PublicID)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	for _, round := range rounds {
		if round.ID == cr.RoundID {
			p.Locked = round.Started
		}
	}
	opts := criterionRounds(p.L, rounds, cr.RoundID)
	if len(rounds) < 2 {
		opts = nil
	}
	values := criterionValues(cr)
	if rf.values != nil && rf.errs != nil {
		values = rf.values
	}
	p.Edit = criterionForm(p.L, "criterion", "/admin/kriterier/"+strconv.FormatInt(cr.ID, 10), "form.save", values, rf.errs, false, opts)
	p.Errors = errorList(&p.Edit)
	p.Problem = rf.problem
	render(h, w, rf, "cycle_criterion", p)
}

func (h *Handler) handleCriterionShow(w http.ResponseWriter, r *http.Request) {
	h.renderCriterion(w, r, refusal{})
}

// criterionChange runs a change to the criterion in the URL; on success
// it goes back to the cycle's page.
func (h *Handler) criterionChange(w http.ResponseWriter, r *http.Request, flash string,
	change func(ctx context.Context, actor *awards.Actor, id int64) (awards.Criterion, error)) {
	_ = r.ParseForm()
	id, err := idParam(r, "id")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	ctx, actor := r.Context(), h.actor(r)
	cr, err := change(ctx, actor, id)
	if err != nil {
		if rf, ok := refused(h.Bundle.Localizer(httpx.LangFrom(ctx)), r, err, awards.Cycle{}, ""); ok {
			h.renderCriterion(w, r, rf)
			return
		}
		h.Error(w, r, err)
		return
	}
	h.flash(r, flash)
	h.redirect(w, r, "/admin/sykluser/"+cr.CyclePublicID+"#criteria-h")
}

func (h *Handler) handleCriterionUpdate(w http.ResponseWriter, r *http.Request) {
	h.criterionChange(w, r, "cycles.criterion_saved", func(ctx context.Context, actor *awards.Actor, id int64) (awards.Criterion, error) {
		f, err := parseCriterion(r.PostForm, false)
		if err != nil {
			return awards.Criterion{}, err
		}
		return h.Cycles.UpdateCriterion(ctx, actor, id, f)
	})
}

func (h *Handler) handleCriterionDelete(w http.ResponseWriter, r *http.Request) {
	h.criterionChange(w, r, "cycles.criterion_deleted", h.Cycles.DeleteCriterion)
}
