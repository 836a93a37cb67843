package ui

import (
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/assignment"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/policy"
)

// assignmentRoutes are the assignment page of a cycle: the mode, the
// automatic run and the matrix of nominations × jurors. The chair may
// look (the service decides); only site admins change anything.
func (h *Handler) assignmentRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodGet, Pattern: "/admin/sykluser/{cycle}/fordeling", Gate: policy.LoggedIn, Handler: h.handleAssignmentShow},
		{Method: http.MethodPost, Pattern: "/admin/sykluser/{cycle}/fordeling", Gate: policy.Admin, Handler: h.handleAssignmentCells},
		{Method: http.MethodPost, Pattern: "/admin/sykluser/{cycle}/fordeling/modus", Gate: policy.Admin, Handler: h.handleAssignmentMode},
		{Method: http.MethodPost, Pattern: "/admin/sykluser/{cycle}/fordeling/auto", Gate: policy.Admin, Handler: h.handleAssignmentAuto},
	}
}

func assignmentPath(cycle string) string {
	return "/admin/sykluser/" + url.PathEscape(cycle) + "/fordeling"
}

// assignmentPage is the matrix page.
type assignmentPage struct {
	Base
	M       assignment.Matrix
	IsAdmin bool
	// Auto: the cycle assigns nominations; Cells: the reader may change
	// the cells now.
	Auto, Cells bool
	Mode        form
	// Errors and Problem are a refused change's messages; Reasons list
	// why the automatic assignment is impossible, linked to the rows.
	Errors  []fieldError
	Problem string
	Reasons []fieldError
	Rows    []assignmentRow
	// Bids says how the assignment honours the jurors' bids, and why
	// where it does not.
	Bids *assignmentBids
}

// assignmentBids is the bids section: the counts, and one sentence per
// bid not honoured, linked to its row.
type assignmentBids struct {
	Summary, Eager, NotWanted string
	Notes                     []fieldError
}

// assignmentRow is one nomination with its cells as the page shows them;
// Nominees and Cells replace the nomination's own for the template.
type assignmentRow struct {
	assignment.Nomination
	Anchor   string // the row's ID, which the reasons link to
	Nominees string
	Short    bool
	Cells    []assignmentCell
}

// assignmentCell is one cell: its state, and for an editable cell the
// select that changes it.
type assignmentCell struct {
	assignment.Cell
	// Name is the select's name, "c-<juror>-<nomination>-<current
	// choice>", so that a post says both what the admin saw and what
	// they chose, and only changed cells are sent to the service.
	ID, Name, Label string
	Options         []formOption
	Error           string
	// Kinds are the conflicts' kinds, in the reader's language.
	Kinds []assignmentConflict
}

type assignmentConflict struct{ Kind, Reason string }

// assignmentRefusal is what the page shows after a refused change.
type assignmentRefusal struct {
	refusal
	// cellErrs are messages by cell ID; reasons say why the automatic
	// assignment is impossible.
	cellErrs map[string]string
	reasons  []fieldError
}

func (h *Handler) renderAssignment(w http.ResponseWriter, r *http.Request, rf assignmentRefusal) {
	cycle := chi.URLParam(r, "cycle")
	m, err := h.Assignment.Matrix(r.Context(), h.actor(r), cycle)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	actor := h.actor(r)
	p := assignmentPage{Base: h.base(r, ""), M: m, IsAdmin: policy.CanManageAssignment(actor, m.Cycle.ID),
		Problem: rf.problem, Reasons: rf.reasons}
	p.Title = p.L.T("assignment.title", "Cycle", m.Cycle.Title)
	values := rf.values
	if _, posted := values["mode"]; !posted {
		values = url.Values{"mode": {string(m.Settings.Mode)}, "k": {strconv.Itoa(m.Settings.K)},
			"spread_counties": {boolValue(m.Settings.SpreadCounties)}}
	}
	p.Mode = newForm(p.L, "mode", assignmentPath(cycle)+"/modus", "assignment.save_mode", values, rf.errs).
		choices("mode", "assignment.field.mode", "", "select", true, []formOption{
			{Value: string(assignment.ModeAll), Label: p.L.T("assignment.mode.all")},
			{Value: string(assignment.ModeAuto), Label: p.L.T("assignment.mode.auto")}}).
		number("k", "assignment.field.k", "assignment.hint.k", "numeric", true).
		checkbox("spread_counties", "assignment.field.spread", "assignment.hint.spread").f
	p.Errors = errorList(&p.Mode)
	if len(p.Errors) == 0 && len(rf.errs) > 0 && len(rf.cellErrs) == 0 {
		// A field this page does not show (from a hand-made post).
		for _, msg := range rf.errs {
			p.Problem = msg
		}
	}
	p.Auto = m.Settings.Mode == assignment.ModeAuto
	p.Cells = m.Editable && p.Auto
	if b := m.Bids; b != nil {
		p.Bids = &assignmentBids{Summary: p.L.T("assignment.bids.summary", "Count", b.Honoured(), "Total", b.Total()),
			Eager:     p.L.T("assignment.bids.eager_given", "Count", b.EagerGiven, "Total", b.Eager),
			NotWanted: p.L.T("assignment.bids.not_wanted_spared", "Count", b.NotWantedSpared, "Total", b.NotWanted)}
		for _, n := range b.Notes {
			p.Bids.Notes = append(p.Bids.Notes, fieldError{ID: "n-" + n.Nomination, Message: n.Explain(p.L.T)})
		}
	}
	editable := p.Cells
	for _, n := range m.Nominations {
		row := assignmentRow{Nomination: n, Anchor: "n-" + n.PublicID, Nominees: strings.Join(n.Nominees, ", "),
			Short: m.Settings.Mode == assignment.ModeAuto && n.Jurors < m.Settings.K}
		label := n.Title
		if label == "" {
			label = row.Nominees
		}
		for j, c := range n.Cells {
			u := m.Jurors[j]
			cell := assignmentCell{Cell: c, ID: "c-" + strconv.FormatInt(u.ID, 10) + "-" + n.PublicID}
			for _, k := range c.Conflicts {
				cell.Kinds = append(cell.Kinds, assignmentConflict{Kind: p.L.T("assignment.kind." + k.Kind), Reason: k.Reason})
			}
			if editable && c.State != assignment.CellConflict {
				was := string(assignment.ChoiceAuto)
				if c.Manual {
					was = string(assignment.ChoiceExcluded)
					if c.State == assignment.CellAssigned {
						was = string(assignment.ChoiceAssigned)
					}
				}
				cell.Name = cell.ID + "-" + was
				cell.Label = p.L.T("assignment.cell_label", "Title", label, "Name", u.Name)
				chosen := rf.values.Get(cell.Name)
				if chosen == "" {
					chosen = was
				}
				for _, o := range []assignment.Choice{assignment.ChoiceAuto, assignment.ChoiceAssigned, assignment.ChoiceExcluded} {
					cell.Options = append(cell.Options, formOption{Value: string(o), Label: p.L.T("assignment.option." + string(o)),
						Selected: string(o) == chosen})
				}
				if msg := rf.cellErrs[cell.ID]; msg != "" {
					cell.Error = msg
					p.Errors = append(p.Errors, fieldError{ID: cell.ID, Message: cell.Label + ": " + msg})
				}
			}
			row.Cells = append(row.Cells, cell)
		}
		p.Rows = append(p.Rows, row)
	}
	status := rf.status
	if status == 0 {
		status = http.StatusOK
	}
	h.Renderer.Render(w, status, "assignment", p)
}

func (h *Handler) handleAssignmentShow(w http.ResponseWriter, r *http.Request) {
	h.renderAssignment(w, r, assignmentRefusal{})
}

// assignmentRefused shows the page again after a refused change, with
// what went wrong where it belongs, or the error page for what it cannot
// explain. cells are the changes sent, to place cell errors.
func (h *Handler) assignmentRefused(w http.ResponseWriter, r *http.Request, err error, cells []assignment.CellChange) {
	l := h.Bundle.Localizer(httpx.LangFrom(r.Context()))
	rf := assignmentRefusal{refusal: refusal{values: r.PostForm, status: httpx.Status(err)}, cellErrs: map[string]string{}}
	cellID := func(i int) string {
		if i < 0 || i >= len(cells) {
			return ""
		}
		return "c-" + strconv.FormatInt(cells[i].JurorID, 10) + "-" + cells[i].Nomination
	}
	var inf *assignment.InfeasibleError
	var cc *assignment.CellConflictError
	switch {
	case errors.As(err, &inf):
		rf.problem = l.T("assignment.infeasible_intro")
		for k, reason := range inf.Reasons(l.T) {
			href := "matrix"
			if k < len(inf.Nominations) && inf.Nominations[k].Nomination != "" {
				href = "n-" + inf.Nominations[k].Nomination
			}
			rf.reasons = append(rf.reasons, fieldError{ID: href, Message: reason})
		}
	case errors.As(err, &cc):
		rf.problem = cc.Explain(l.T)
		if id := cellID(cc.Index); id != "" {
			rf.cellErrs[id] = rf.problem
		}
	case errors.Is(err, assignment.ErrModeAll):
		rf.problem = l.T("assignment.error.mode_all")
	case errors.Is(err, assignment.ErrPublished):
		rf.problem = l.T("assignment.error.published")
	case awards.ErrorCode(err) == awards.EInvalid && awards.ErrorFields(err) != nil:
		rf.errs = map[string]string{}
		for k, key := range awards.ErrorFields(err) {
			// cells[i].field belongs to cell i's select.
			if rest, ok := strings.CutPrefix(k, "cells["); ok {
				if i, err := strconv.Atoi(rest[:max(strings.Index(rest, "]"), 0)]); err == nil && cellID(i) != "" {
					rf.cellErrs[cellID(i)] = l.T(key)
					continue
				}
			}
			rf.errs[k] = l.T(key)
		}
	default:
		h.Error(w, r, err)
		return
	}
	h.renderAssignment(w, r, rf)
}

func (h *Handler) handleAssignmentMode(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	cycle := chi.URLParam(r, "cycle")
	in := assignment.Settings{Mode: assignment.Mode(r.PostForm.Get("mode")), SpreadCounties: r.PostForm.Get("spread_counties") == "true"}
	k, err := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("k")))
	if err != nil {
		// Not a number: the service's range check says so in the same words.
		k = 0
	}
	in.K = k
	if _, err := h.Assignment.SetMode(r.Context(), h.actor(r), cycle, in); err != nil {
		h.assignmentRefused(w, r, err, nil)
		return
	}
	h.flash(r, "assignment.flash.mode")
	h.redirect(w, r, assignmentPath(cycle))
}

func (h *Handler) handleAssignmentAuto(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	cycle := chi.URLParam(r, "cycle")
	if _, err := h.Assignment.Auto(r.Context(), h.actor(r), cycle); err != nil {
		h.assignmentRefused(w, r, err, nil)
		return
	}
	h.flash(r, "assignment.flash.auto")
	h.redirect(w, r, assignmentPath(cycle))
}

// handleAssignmentCells saves the matrix: every select whose choice
// differs from the one it was shown with is one change, all saved
// together.
func (h *Handler) handleAssignmentCells(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	cycle := chi.URLParam(r, "cycle")
	cells, bad := parseCells(r.PostForm)
	if bad {
		h.Error(w, r, awards.Errorf(awards.EInvalid, "malformed cell names"))
		return
	}
	if len(cells) == 0 {
		h.flash(r, "assignment.flash.no_changes")
		h.redirect(w, r, assignmentPath(cycle))
		return
	}
	if _, err := h.Assignment.SetCells(r.Context(), h.actor(r), cycle, cells); err != nil {
		h.assignmentRefused(w, r, err, cells)
		return
	}
	h.flash(r, "assignment.flash.cells")
	h.redirect(w, r, assignmentPath(cycle))
}

// parseCells reads the matrix form's changed cells, in a stable order;
// bad is true for a cell name that cannot be read.
func parseCells(form url.Values) (cells []assignment.CellChange, bad bool) {
	names := make([]string, 0, len(form))
	for name := range form {
		if strings.HasPrefix(name, "c-") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		parts := strings.Split(name, "-")
		if len(parts) != 4 {
			return nil, true
		}
		juror, err := strconv.ParseInt(parts[1], 10, 64)
		if err != nil || juror <= 0 || parts[2] == "" {
			return nil, true
		}
		choice := form.Get(name)
		if choice == parts[3] {
			continue
		}
		cells = append(cells, assignment.CellChange{JurorID: juror, Nomination: parts[2], State: assignment.Choice(choice)})
	}
	return cells, false
}
