package ui

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/nominations"
)

// emptyMeasureRows are the blank "label – value – unit" rows the project
// form offers below the filled ones; without JavaScript, more rows come
// after saving.
const emptyMeasureRows = 3

// measureRow is one row of the measured-results table in the form.
type measureRow struct {
	Index, Number         int
	Label, Value, Unit    string
	LabelErr, ValueErr    string
	UnitErr               string
	LabelID, ValueID, UID string
}

// projectForm holds the values the project form shows.
type projectForm struct {
	OrganisationID string
	Title          string
	Description    string
	Results        string
	Partners       string
	PeriodStart    string
	PeriodEnd      string
	Links          string
	Version        string
	Measures       []measureRow
}

type projectPage struct {
	Base
	N   nominations.View
	Now time.Time
	// Part is always true: the page is one part of the nomination.
	Part bool
	// StatusLabel and StatusColor show the nomination's status.
	StatusLabel, StatusColor string
	// P is the project being edited; nil on the "new project" page.
	P      *nominations.ProjectView
	Number int
	Form   projectForm
	// Owners are the nominee organisations the person may create a
	// project for.
	Owners  []awards.Organisation
	Earlier []nominations.ProjectView
	// Full is true when the nomination has as many projects as allowed.
	Full     bool
	ReadOnly bool
	Errors   map[string]string
	Alert    string
	Theirs   *nominations.ProjectView
	TheirsAt string
	// AttachmentsPath leads to the project's files.
	AttachmentsPath string
}

func (h *Handler) projectPage(r *http.Request, v nominations.View, projectID string) (projectPage, error) {
	p := projectPage{Base: h.base(r, ""), N: v, Now: time.Now(), Part: true, Full: len(v.Items) >= v.Cycle.MaxProjects}
	p.StatusLabel, p.StatusColor = nominationStatus(p.L, v)
	for _, o := range v.Nominees {
		if p.Actor.MemberOf(o.ID) {
			p.Owners = append(p.Owners, o)
		}
	}
	if projectID == "" {
		p.Title = p.L.T("nominations.project.new_title")
		p.ReadOnly = !v.CanEdit || p.Full
		p.Form = projectForm{Measures: measureRows(nil, emptyMeasureRows)}
		if len(p.Owners) > 0 {
			p.Form.OrganisationID = strconv.FormatInt(p.Owners[0].ID, 10)
		}
		return p, nil
	}
	for i := range v.Items {
		if v.Items[i].PublicID == projectID {
			p.P, p.Number = &v.Items[i], i+1
		}
	}
	if p.P == nil {
		return p, awards.Errorf(awards.ENotFound, "the project is not part of this nomination")
	}
	p.Title = p.L.T("nominations.part.project", "Count", p.Number, "Title", p.P.Title)
	p.ReadOnly = !p.P.CanEdit
	p.AttachmentsPath = withNomination(attachmentsPath(p.P.PublicID), v.PublicID)
	p.Form = storedProjectForm(*p.P)
	return p, nil
}

func storedProjectForm(pr nominations.ProjectView) projectForm {
	f := projectForm{Title: pr.Title, Description: pr.Description, Results: pr.Results, Partners: pr.Partners,
		Links: strings.Join(pr.Links, "\n"), Version: strconv.Itoa(pr.Version),
		OrganisationID: strconv.FormatInt(pr.OrganisationID, 10)}
	if pr.PeriodStart != nil {
		f.PeriodStart = pr.PeriodStart.Format("2006-01-02")
	}
	if pr.PeriodEnd != nil {
		f.PeriodEnd = pr.PeriodEnd.Format("2006-01-02")
	}
	var rows []nominations.MeasureInput
	for _, m := range pr.Measures {
		rows = append(rows, nominations.MeasureInput{Label: m.Label, Value: strconv.FormatFloat(m.Value, 'f', -1, 64), Unit: m.Unit})
	}
	f.Measures = measureRows(rows, emptyMeasureRows)
	return f
}

// measureRows makes the form's rows from values, with extra blank rows.
func measureRows(values []nominations.MeasureInput, blank int) []measureRow {
	var rows []measureRow
	for i := range len(values) + blank {
		row := measureRow{Index: i, Number: i + 1}
		if i < len(values) {
			row.Label, row.Value, row.Unit = values[i].Label, values[i].Value, values[i].Unit
		}
		id := "measure-" + strconv.Itoa(i) + "-"
		row.LabelID, row.ValueID, row.UID = id+"label", id+"value", id+"unit"
		rows = append(rows, row)
	}
	return rows
}

// postedMeasures reads the measured-results table as posted, blank rows
// included, so that row i of a message is row i on the page.
func postedMeasures(r *http.Request) []nominations.MeasureInput {
	labels, values, units := r.PostForm["measure_label"], r.PostForm["measure_value"], r.PostForm["measure_unit"]
	at := func(s []string, i int) string {
		if i < len(s) {
			return s[i]
		}
		return ""
	}
	out := make([]nominations.MeasureInput, max(len(labels), len(values), len(units)))
	for i := range out {
		out[i] = nominations.MeasureInput{Label: at(labels, i), Value: at(values, i), Unit: at(units, i)}
	}
	return out
}

// projectInput reads the project form.
func projectInput(r *http.Request) nominations.ProjectInput {
	links := nomLines(r.PostForm.Get("links"))
	measures := postedMeasures(r)
	org, _ := strconv.ParseInt(r.PostForm.Get("organisation_id"), 10, 64)
	return nominations.ProjectInput{OrganisationID: org, Title: nomFormPtr(r, "title"), Description: nomFormPtr(r, "description"),
		Results: nomFormPtr(r, "results"), Partners: nomFormPtr(r, "partners"), PeriodStart: nomFormPtr(r, "period_start"),
		PeriodEnd: nomFormPtr(r, "period_end"), Links: &links, Measures: &measures}
}

// postedProjectForm is the form as the person sent it.
func postedProjectForm(r *http.Request) projectForm {
	f := r.PostForm
	return projectForm{OrganisationID: f.Get("organisation_id"), Title: f.Get("title"), Description: f.Get("description"),
		Results: f.Get("results"), Partners: f.Get("partners"), PeriodStart: f.Get("period_start"), PeriodEnd: f.Get("period_end"),
		Links: f.Get("links"), Version: f.Get("version"), Measures: measureRows(postedMeasures(r), 0)}
}

func (h *Handler) showProject(w http.ResponseWriter, r *http.Request, projectID string) {
	v, err := h.loadNomination(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p, err := h.projectPage(r, v, projectID)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	if projectID == "" && !p.ReadOnly {
		if p.Earlier, err = h.Nominations.EarlierProjects(r.Context(), p.Actor, v.PublicID); err != nil {
			h.Error(w, r, err)
			return
		}
	}
	h.Renderer.Render(w, http.StatusOK, "project", p)
}

// refuseProject shows the project form again after a refused save, with
// the person's input, the messages and, when someone else saved first,
// their version beside it.
func (h *Handler) refuseProject(w http.ResponseWriter, r *http.Request, projectID string, err error) {
	v, lerr := h.loadNomination(r)
	if lerr != nil {
		h.Error(w, r, lerr)
		return
	}
	ref, ok := nomExplain(h.Bundle.Localizer(httpx.LangFrom(r.Context())), err, v.Cycle.NominationDeadline)
	if !ok {
		h.Error(w, r, err)
		return
	}
	p, perr := h.projectPage(r, v, projectID)
	if perr != nil {
		h.Error(w, r, perr)
		return
	}
	p.Errors, p.Alert = ref.Errors, ref.Alert
	if r.PostForm.Has("title") {
		p.Form = postedProjectForm(r)
	}
	for i := range p.Form.Measures {
		row := &p.Form.Measures[i]
		row.LabelErr, row.ValueErr, row.UnitErr = p.Errors[row.LabelID], p.Errors[row.ValueID], p.Errors[row.UID]
	}
	var stale *nominations.StaleError
	if errors.As(err, &stale) && p.P != nil {
		p.Theirs, p.TheirsAt = p.P, p.L.FormatTime(p.P.UpdatedAt)
		p.Alert = p.L.T("nominations.project.stale", "Date", p.TheirsAt)
		p.Form.Version = strconv.Itoa(p.P.Version)
	}
	if projectID == "" && !p.ReadOnly {
		var eerr error
		if p.Earlier, eerr = h.Nominations.EarlierProjects(r.Context(), p.Actor, v.PublicID); eerr != nil {
			h.Error(w, r, eerr)
			return
		}
	}
	h.Renderer.Render(w, httpx.Status(err), "project", p)
}

func (h *Handler) handleProjectNew(w http.ResponseWriter, r *http.Request) {
	h.showProject(w, r, "")
}

func (h *Handler) handleProjectEdit(w http.ResponseWriter, r *http.Request) {
	h.showProject(w, r, chi.URLParam(r, "project"))
}

// handleProjectAdd creates a project and links it, or links an earlier
// one (project_id).
func (h *Handler) handleProjectAdd(w http.ResponseWriter, r *http.Request) {
	if err := parseNominationForm(w, r); err != nil {
		h.refuseProject(w, r, "", err)
		return
	}
	id, actor := chi.URLParam(r, "id"), h.actor(r)
	var err error
	if project := r.PostForm.Get("project_id"); project != "" {
		_, err = h.Nominations.LinkProject(r.Context(), actor, id, project)
	} else {
		_, err = h.Nominations.CreateProject(r.Context(), actor, id, projectInput(r))
	}
	if err != nil {
		h.refuseProject(w, r, "", err)
		return
	}
	h.flash(r, "nominations.project_added")
	h.redirect(w, r, nominationPath(id))
}

func (h *Handler) handleProjectSave(w http.ResponseWriter, r *http.Request) {
	project := chi.URLParam(r, "project")
	if err := parseNominationForm(w, r); err != nil {
		h.refuseProject(w, r, project, err)
		return
	}
	id := chi.URLParam(r, "id")
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	if _, err := h.Nominations.UpdateProject(r.Context(), h.actor(r), id, project, version, projectInput(r)); err != nil {
		h.refuseProject(w, r, project, err)
		return
	}
	h.flash(r, "nominations.saved")
	h.redirect(w, r, nominationPath(id))
}

func (h *Handler) handleProjectUnlink(w http.ResponseWriter, r *http.Request) {
	id, project := chi.URLParam(r, "id"), chi.URLParam(r, "project")
	if err := h.Nominations.UnlinkProject(r.Context(), h.actor(r), id, project); err != nil {
		h.refuseProject(w, r, project, err)
		return
	}
	h.flash(r, "nominations.project_removed")
	h.redirect(w, r, nominationPath(id))
}
