package api

import (
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/nominations"
	"github.com/heder-awards/heder/internal/policy"
)

// nominationRoutes are the nominations and projects API. Every route only
// needs a login; the service decides about each nomination.
func (h *Handler) nominationRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodGet, Pattern: "/api/v1/cycles/{cycle}/nominations", Gate: policy.LoggedIn, Handler: h.handleNominationList},
		{Method: http.MethodPost, Pattern: "/api/v1/cycles/{cycle}/nominations", Gate: policy.LoggedIn, Handler: h.handleNominationCreate},
		{Method: http.MethodGet, Pattern: "/api/v1/nominations/{id}", Gate: policy.LoggedIn, Handler: h.handleNominationGet},
		{Method: http.MethodPatch, Pattern: "/api/v1/nominations/{id}", Gate: policy.LoggedIn, Handler: h.handleNominationPatch},
		{Method: http.MethodDelete, Pattern: "/api/v1/nominations/{id}", Gate: policy.LoggedIn, Handler: h.handleNominationDelete},
		{Method: http.MethodPost, Pattern: "/api/v1/nominations/{id}/submit", Gate: policy.LoggedIn, Handler: h.handleNominationSubmit},
		{Method: http.MethodPost, Pattern: "/api/v1/nominations/{id}/withdraw", Gate: policy.LoggedIn, Handler: h.handleNominationWithdraw},
		{Method: http.MethodPost, Pattern: "/api/v1/nominations/{id}/ineligible", Gate: policy.Admin, Handler: h.handleNominationIneligible},
		{Method: http.MethodPut, Pattern: "/api/v1/nominations/{id}/deadline-extension", Gate: policy.Admin, Handler: h.handleNominationExtension},
		{Method: http.MethodDelete, Pattern: "/api/v1/nominations/{id}/deadline-extension", Gate: policy.Admin, Handler: h.handleNominationExtension},
		{Method: http.MethodGet, Pattern: "/api/v1/nominations/{id}/projects", Gate: policy.LoggedIn, Handler: h.handleNominationProjectList},
		{Method: http.MethodPost, Pattern: "/api/v1/nominations/{id}/projects", Gate: policy.LoggedIn, Handler: h.handleNominationProjectAdd},
		{Method: http.MethodGet, Pattern: "/api/v1/nominations/{id}/projects/linkable", Gate: policy.LoggedIn, Handler: h.handleNominationProjectLinkable},
		{Method: http.MethodDelete, Pattern: "/api/v1/nominations/{id}/projects/{project}", Gate: policy.LoggedIn, Handler: h.handleNominationProjectRemove},
		{Method: http.MethodGet, Pattern: "/api/v1/projects/{id}", Gate: policy.LoggedIn, Handler: h.handleProjectGet},
		{Method: http.MethodPatch, Pattern: "/api/v1/projects/{id}", Gate: policy.LoggedIn, Handler: h.handleProjectPatch},
	}
}

// Nomination is a nomination as the API shows it.
type Nomination struct {
	ID               string        `json:"id"`
	Cycle            string        `json:"cycle"`
	CycleTitle       string        `json:"cycle_title"`
	Deadline         *time.Time    `json:"deadline"`
	Open             bool          `json:"open"`
	Editable         bool          `json:"editable"`
	MaxProjects      int           `json:"max_projects"`
	Title            string        `json:"title"`
	Summary          string        `json:"summary"`
	Challenge        string        `json:"challenge"`
	ContactName      string        `json:"contact_name"`
	ContactEmail     string        `json:"contact_email"`
	ContactPhone     string        `json:"contact_phone"`
	Status           string        `json:"status"`
	IneligibleReason string        `json:"ineligible_reason,omitempty"`
	Version          int           `json:"version"`
	SubmittedAt      *time.Time    `json:"submitted_at"`
	UpdatedAt        time.Time     `json:"updated_at"`
	Nominees         []Nominee     `json:"nominees"`
	Projects         []Project     `json:"projects"`
	Missing          []MissingItem `json:"missing"`
	// DeadlineExtension is its own later deadline, for its nominees and
	// the cycle's admins.
	DeadlineExtension *DeadlineExtension `json:"deadline_extension,omitempty"`
	NominationOutcome
}

// Nominee is a nominee organisation.
type Nominee struct {
	ID   ID     `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind"`
	// Lead marks the organisation that leads a joint entry.
	Lead bool `json:"lead,omitempty"`
}

// MissingItem is one thing a nomination lacks before it can be submitted.
type MissingItem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// NominationSummary is a nomination in a list.
type NominationSummary struct {
	ID          string     `json:"id"`
	Title       string     `json:"title"`
	Status      string     `json:"status"`
	Cycle       string     `json:"cycle"`
	Nominees    string     `json:"nominees"`
	Projects    int        `json:"projects"`
	Deadline    *time.Time `json:"deadline"`
	Open        bool       `json:"open"`
	SubmittedAt *time.Time `json:"submitted_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	NominationOutcome
}

func toNomination(v nominations.View, l *i18n.Localizer) Nomination {
	out := Nomination{ID: v.PublicID, Cycle: v.Cycle.PublicID, CycleTitle: v.Cycle.Title, Deadline: v.Cycle.NominationDeadline,
		Open: v.Open, Editable: v.CanEdit, MaxProjects: v.Cycle.MaxProjects, Title: v.Title, Summary: v.Summary,
		Challenge: string(v.Challenge), ContactName: v.ContactName, ContactEmail: v.ContactEmail, ContactPhone: v.ContactPhone,
		Status: string(v.Status), IneligibleReason: v.IneligibleReason, Version: v.Version, SubmittedAt: v.SubmittedAt,
		UpdatedAt: v.UpdatedAt, Nominees: []Nominee{}, Projects: []Project{}, Missing: []MissingItem{}}
	if e := v.Extension; e != nil {
		out.DeadlineExtension = &DeadlineExtension{Until: e.Until, Reason: e.Reason}
	}
	for _, o := range v.Nominated {
		out.Nominees = append(out.Nominees, Nominee{ID: ID(o.ID), Name: o.Name, Kind: string(o.Kind), Lead: o.Lead})
	}
	for _, p := range v.Items {
		out.Projects = append(out.Projects, toProject(p))
	}
	for _, m := range nominations.Checklist(v.Nomination) {
		out.Missing = append(out.Missing, MissingItem{Field: m.Field, Message: l.T(m.Key)})
	}
	return out
}

// NominationCreate starts a draft nomination; absent fields stay empty.
type NominationCreate struct {
	// OrganisationID is the organisation to nominate; it may be left out
	// when the caller belongs to one eligible organisation.
	OrganisationID ID      `json:"organisation_id"`
	Title          *string `json:"title"`
	Summary        *string `json:"summary"`
	Challenge      *string `json:"challenge"`
	ContactName    *string `json:"contact_name"`
	ContactEmail   *string `json:"contact_email"`
	ContactPhone   *string `json:"contact_phone"`
}

// NominationPatch changes a nomination read at Version (or at the version
// an If-Match header names instead); absent fields are left as they are.
type NominationPatch struct {
	Version      int     `json:"version"`
	Title        *string `json:"title"`
	Summary      *string `json:"summary"`
	Challenge    *string `json:"challenge"`
	ContactName  *string `json:"contact_name"`
	ContactEmail *string `json:"contact_email"`
	ContactPhone *string `json:"contact_phone"`
}

func (in NominationCreate) fields() nominations.Fields {
	return nominations.Fields{Title: in.Title, Summary: in.Summary, Challenge: in.Challenge,
		ContactName: in.ContactName, ContactEmail: in.ContactEmail, ContactPhone: in.ContactPhone}
}

func (in NominationPatch) fields() nominations.Fields {
	return nominations.Fields{Title: in.Title, Summary: in.Summary, Challenge: in.Challenge,
		ContactName: in.ContactName, ContactEmail: in.ContactEmail, ContactPhone: in.ContactPhone}
}

// IneligibleRequest marks a nomination ineligible, or undoes that.
type IneligibleRequest struct {
	Ineligible *bool  `json:"ineligible"`
	Reason     string `json:"reason"`
}

func (h *Handler) writeNomination(w http.ResponseWriter, r *http.Request, status int, v nominations.View) {
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/nominations/"+v.PublicID)
	}
	out := toNomination(v, h.nominationLocalizer(r))
	var err error
	if out.NominationOutcome, err = h.nominationOutcome(r, v.PublicID); err != nil {
		h.nominationError(w, r, err)
		return
	}
	w.Header().Set("ETag", httpx.ETag(v.Version))
	httpx.WriteJSON(w, status, out)
}

func (h *Handler) handleNominationList(w http.ResponseWriter, r *http.Request) {
	list, err := h.Nominations.List(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"))
	if err != nil {
		h.nominationError(w, r, err)
		return
	}
	ids := make([]string, len(list))
	for i, s := range list {
		ids[i] = s.PublicID
	}
	results, err := h.Publication.ResultsFor(r.Context(), httpx.ActorFrom(r.Context()), ids)
	if err != nil {
		h.nominationError(w, r, err)
		return
	}
	out := make([]NominationSummary, len(list))
	for i, s := range list {
		out[i] = NominationSummary{ID: s.PublicID, Title: s.Title, Status: string(s.Status), Cycle: s.CyclePublicID,
			Nominees: s.Nominees, Projects: s.Projects, Deadline: s.Deadline, Open: s.Open, SubmittedAt: s.SubmittedAt, UpdatedAt: s.UpdatedAt,
			NominationOutcome: toOutcome(results[s.PublicID])}
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"items": out})
}

func (h *Handler) handleNominationCreate(w http.ResponseWriter, r *http.Request) {
	var in NominationCreate
	if err := decodeNominationJSON(w, r, &in); err != nil {
		h.nominationError(w, r, err)
		return
	}
	v, err := h.Nominations.Create(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"), int64(in.OrganisationID), in.fields())
	if err != nil {
		h.nominationError(w, r, err)
		return
	}
	h.writeNomination(w, r, http.StatusCreated, v)
}

func (h *Handler) handleNominationGet(w http.ResponseWriter, r *http.Request) {
	v, err := h.Nominations.Get(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "id"))
	if err != nil {
		h.nominationError(w, r, err)
		return
	}
	h.writeNomination(w, r, http.StatusOK, v)
}

func (h *Handler) handleNominationPatch(w http.ResponseWriter, r *http.Request) {
	var in NominationPatch
	if err := decodeNominationJSON(w, r, &in); err != nil {
		h.nominationError(w, r, err)
		return
	}
	pre, err := httpx.IfMatch(r, in.Version)
	if err != nil {
		h.nominationError(w, r, err)
		return
	}
	v, err := h.Nominations.Update(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "id"), pre.Version, in.fields())
	if err != nil {
		h.nominationError(w, r, pre.Err(err))
		return
	}
	h.writeNomination(w, r, http.StatusOK, v)
}

func (h *Handler) handleNominationSubmit(w http.ResponseWriter, r *http.Request) {
	v, err := h.Nominations.Submit(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "id"))
	if err != nil {
		h.nominationError(w, r, err)
		return
	}
	h.writeNomination(w, r, http.StatusOK, v)
}

func (h *Handler) handleNominationWithdraw(w http.ResponseWriter, r *http.Request) {
	v, err := h.Nominations.Withdraw(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "id"))
	if err != nil {
		h.nominationError(w, r, err)
		return
	}
	h.writeNomination(w, r, http.StatusOK, v)
}

func (h *Handler) handleNominationDelete(w http.ResponseWriter, r *http.Request) {
	if err := h.Nominations.Delete(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "id")); err != nil {
		h.nominationError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) handleNominationIneligible(w http.ResponseWriter, r *http.Request) {
	var in IneligibleRequest
	if err := decodeNominationJSON(w, r, &in); err != nil {
		h.nominationError(w, r, err)
		return
	}
	if in.Ineligible == nil {
		h.nominationError(w, r, awards.Invalid(map[string]string{"ineligible": "form.required"}))
		return
	}
	v, err := h.Nominations.SetIneligible(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "id"), *in.Ineligible, in.Reason)
	if err != nil {
		h.nominationError(w, r, err)
		return
	}
	h.writeNomination(w, r, http.StatusOK, v)
}

// DeadlineExtension is a nomination's own later deadline and why.
type DeadlineExtension struct {
	Until  time.Time `json:"until"`
	Reason string    `json:"reason"`
}

// DeadlineExtensionRequest gives a nomination its own later deadline.
type DeadlineExtensionRequest struct {
	ExtendedUntil   *time.Time `json:"extended_until"`
	ExtensionReason string     `json:"extension_reason"`
}

// handleNominationExtension gives the nomination a later deadline (PUT)
// or takes it back (DELETE).
func (h *Handler) handleNominationExtension(w http.ResponseWriter, r *http.Request) {
	var in DeadlineExtensionRequest
	if r.Method == http.MethodPut {
		if err := decodeNominationJSON(w, r, &in); err != nil {
			h.nominationError(w, r, err)
			return
		}
		if in.ExtendedUntil == nil {
			h.nominationError(w, r, awards.Invalid(map[string]string{"extended_until": "form.required"}))
			return
		}
	}
	v, err := h.Nominations.SetExtension(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "id"), in.ExtendedUntil, in.ExtensionReason)
	if err != nil {
		h.nominationError(w, r, err)
		return
	}
	h.writeNomination(w, r, http.StatusOK, v)
}
