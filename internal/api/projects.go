package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/nominations"
)

// Project is a project as the API shows it.
type Project struct {
	ID             string              `json:"id"`
	OrganisationID ID                  `json:"organisation_id"`
	Organisation   string              `json:"organisation"`
	Title          string              `json:"title"`
	Description    string              `json:"description"`
	Results        string              `json:"results"`
	Partners       string              `json:"partners"`
	PeriodStart    *string             `json:"period_start"`
	PeriodEnd      *string             `json:"period_end"`
	Links          []string            `json:"links"`
	Measures       []Measure           `json:"measures"`
	Attachments    []ProjectAttachment `json:"attachments"`
	Version        int                 `json:"version"`
	Editable       bool                `json:"editable"`
	Frozen         bool                `json:"frozen"`
	UpdatedAt      time.Time           `json:"updated_at"`
}

// Measure is a measured result: "deltakere 783".
type Measure struct {
	Label string  `json:"label"`
	Value float64 `json:"value"`
	Unit  string  `json:"unit"`
}

// ProjectAttachment names a file attached to a project.
type ProjectAttachment struct {
	ID          string `json:"id"`
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	AltText     string `json:"alt_text"`
}

func dateString(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.Format(time.DateOnly)
	return &s
}

func toProject(p nominations.ProjectView) Project {
	out := Project{ID: p.PublicID, OrganisationID: ID(p.OrganisationID), Organisation: p.Organisation, Title: p.Title,
		Description: p.Description, Results: p.Results, Partners: p.Partners, PeriodStart: dateString(p.PeriodStart),
		PeriodEnd: dateString(p.PeriodEnd), Links: p.Links, Measures: []Measure{}, Attachments: []ProjectAttachment{},
		Version: p.Version, Editable: p.CanEdit, Frozen: p.Frozen, UpdatedAt: p.UpdatedAt}
	if out.Links == nil {
		out.Links = []string{}
	}
	for _, m := range p.Measures {
		out.Measures = append(out.Measures, Measure{Label: m.Label, Value: m.Value, Unit: m.Unit})
	}
	for _, a := range p.Attachments {
		out.Attachments = append(out.Attachments, ProjectAttachment{ID: a.PublicID, Filename: a.Filename,
			ContentType: a.ContentType, Size: a.Size, AltText: a.AltText})
	}
	return out
}

// measureValue is a measured value sent as a JSON number or a string, so
// that a non-numeric value reaches the service's rule and its message.
type measureValue string

// UnmarshalJSON accepts a number, a string or null.
func (v *measureValue) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*v = ""
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*v = measureValue(s)
	case len(b) > 0 && (b[0] == '-' || (b[0] >= '0' && b[0] <= '9')):
		*v = measureValue(b)
	default:
		return &json.UnmarshalTypeError{Value: string(b), Type: reflect.TypeFor[float64]()}
	}
	return nil
}

// MeasureIn is a measured result in a request.
type MeasureIn struct {
	Label string       `json:"label"`
	Value measureValue `json:"value"`
	Unit  string       `json:"unit"`
}

// ProjectAdd either links an earlier project (project_id alone) or
// creates a project (its fields, and organisation_id when the caller
// belongs to several nominee organisations) and links it. Dates are
// YYYY-MM-DD.
type ProjectAdd struct {
	ProjectID      string       `json:"project_id"`
	OrganisationID ID           `json:"organisation_id"`
	Title          *string      `json:"title"`
	Description    *string      `json:"description"`
	Results        *string      `json:"results"`
	Partners       *string      `json:"partners"`
	PeriodStart    *string      `json:"period_start"`
	PeriodEnd      *string      `json:"period_end"`
	Links          *[]string    `json:"links"`
	Measures       *[]MeasureIn `json:"measures"`
}

// ProjectPatch changes a project read at Version (or at the version an
// If-Match header names instead); absent fields are left as they are, and
// dates are YYYY-MM-DD, "" to clear.
type ProjectPatch struct {
	Version     int          `json:"version"`
	Title       *string      `json:"title"`
	Description *string      `json:"description"`
	Results     *string      `json:"results"`
	Partners    *string      `json:"partners"`
	PeriodStart *string      `json:"period_start"`
	PeriodEnd   *string      `json:"period_end"`
	Links       *[]string    `json:"links"`
	Measures    *[]MeasureIn `json:"measures"`
}

// projectInput maps a request's fields to the service's input.
func projectInput(org int64, title, description, results, partners, start, end *string, links *[]string, measures *[]MeasureIn) nominations.ProjectInput {
	in := nominations.ProjectInput{OrganisationID: org, Title: title, Description: description, Results: results,
		Partners: partners, PeriodStart: start, PeriodEnd: end, Links: links}
	if measures != nil {
		ms := make([]nominations.MeasureInput, len(*measures))
		for i, m := range *measures {
			ms[i] = nominations.MeasureInput{Label: m.Label, Value: string(m.Value), Unit: m.Unit}
		}
		in.Measures = &ms
	}
	return in
}

func (in ProjectAdd) input() nominations.ProjectInput {
	return projectInput(int64(in.OrganisationID), in.Title, in.Description, in.Results, in.Partners, in.PeriodStart, in.PeriodEnd, in.Links, in.Measures)
}

// linkOnly reports whether the request names an earlier project and
// nothing else.
func (in ProjectAdd) linkOnly() bool {
	return in.OrganisationID == 0 && in.Title == nil && in.Description == nil && in.Results == nil && in.Partners == nil &&
		in.PeriodStart == nil && in.PeriodEnd == nil && in.Links == nil && in.Measures == nil
}

func (in ProjectPatch) input() nominations.ProjectInput {
	return projectInput(0, in.Title, in.Description, in.Results, in.Partners, in.PeriodStart, in.PeriodEnd, in.Links, in.Measures)
}

func (h *Handler) handleNominationProjectList(w http.ResponseWriter, r *http.Request) {
	v, err := h.Nominations.Get(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "id"))
	if err != nil {
		h.nominationError(w, r, err)
		return
	}
	out := []Project{}
	for _, p := range v.Items {
		out = append(out, toProject(p))
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"items": out})
}

// LinkableProject is an earlier project a nomination may link: the
// caller's nominee organisations' own and those of the former
// municipalities they succeeded (organisation_id names the owner, which
// may be a former municipality).
type LinkableProject struct {
	Project
	// UsedIn names the cycles whose nominations link it, comma-separated.
	UsedIn string `json:"used_in"`
}

func (h *Handler) handleNominationProjectLinkable(w http.ResponseWriter, r *http.Request) {
	list, err := h.Nominations.EarlierProjects(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "id"))
	if err != nil {
		h.nominationError(w, r, err)
		return
	}
	out := []LinkableProject{}
	for _, p := range list {
		out = append(out, LinkableProject{Project: toProject(p), UsedIn: p.UsedIn})
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"items": out})
}

func (h *Handler) handleNominationProjectAdd(w http.ResponseWriter, r *http.Request) {
	var in ProjectAdd
	if err := decodeNominationJSON(w, r, &in); err != nil {
		h.nominationError(w, r, err)
		return
	}
	actor, id := httpx.ActorFrom(r.Context()), chi.URLParam(r, "id")
	var p nominations.ProjectView
	var err error
	if in.ProjectID != "" {
		if !in.linkOnly() {
			h.nominationError(w, r, &awards.Error{Code: awards.EInvalid, Fields: map[string]string{"project_id": "nominations.error.link_or_create"},
				Message: "send either project_id, to link an earlier project, or a new project's fields"})
			return
		}
		p, err = h.Nominations.LinkProject(r.Context(), actor, id, in.ProjectID)
	} else {
		p, err = h.Nominations.CreateProject(r.Context(), actor, id, in.input())
	}
	if err != nil {
		h.nominationError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/projects/"+p.PublicID)
	writeProject(w, http.StatusCreated, p)
}

// writeProject writes p with its version as the ETag, which a PATCH may
// send back in If-Match.
func writeProject(w http.ResponseWriter, status int, p nominations.ProjectView) {
	w.Header().Set("ETag", httpx.ETag(p.Version))
	httpx.WriteJSON(w, status, toProject(p))
}

func (h *Handler) handleNominationProjectRemove(w http.ResponseWriter, r *http.Request) {
	if err := h.Nominations.UnlinkProject(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "id"), chi.URLParam(r, "project")); err != nil {
		h.nominationError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) handleProjectGet(w http.ResponseWriter, r *http.Request) {
	p, err := h.Nominations.Project(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "id"))
	if err != nil {
		h.nominationError(w, r, err)
		return
	}
	writeProject(w, http.StatusOK, p)
}

func (h *Handler) handleProjectPatch(w http.ResponseWriter, r *http.Request) {
	var in ProjectPatch
	if err := decodeNominationJSON(w, r, &in); err != nil {
		h.nominationError(w, r, err)
		return
	}
	pre, err := httpx.IfMatch(r, in.Version)
	if err != nil {
		h.nominationError(w, r, err)
		return
	}
	p, err := h.Nominations.UpdateProject(r.Context(), httpx.ActorFrom(r.Context()), "", chi.URLParam(r, "id"), pre.Version, in.input())
	if err != nil {
		h.nominationError(w, r, pre.Err(err))
		return
	}
	writeProject(w, http.StatusOK, p)
}
