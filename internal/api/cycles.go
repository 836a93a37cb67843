package api

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/policy"
)

// cycleRoutes are the API routes for awards, cycles and criteria: reads
// are public (cycles in draft only for admins), writes for admins.
func (h *Handler) cycleRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodGet, Pattern: "/api/v1/awards", Gate: policy.Public, Handler: h.handleAwardList},
		{Method: http.MethodPost, Pattern: "/api/v1/awards", Gate: policy.Admin, Handler: h.handleAwardCreate},
		{Method: http.MethodGet, Pattern: "/api/v1/awards/{slug}", Gate: policy.Public, Handler: h.handleAwardGet},
		{Method: http.MethodPatch, Pattern: "/api/v1/awards/{slug}", Gate: policy.Admin, Handler: h.handleAwardPatch},
		{Method: http.MethodGet, Pattern: "/api/v1/awards/{slug}/cycles", Gate: policy.Public, Handler: h.handleCycleList},
		{Method: http.MethodPost, Pattern: "/api/v1/awards/{slug}/cycles", Gate: policy.Admin, Handler: h.handleCycleCreate},
		{Method: http.MethodGet, Pattern: "/api/v1/cycles/{cycle}", Gate: policy.Public, Handler: h.handleCycleGet},
		{Method: http.MethodPatch, Pattern: "/api/v1/cycles/{cycle}", Gate: policy.Admin, Handler: h.handleCyclePatch},
		{Method: http.MethodPost, Pattern: "/api/v1/cycles/{cycle}/transitions", Gate: policy.Admin, Handler: h.handleCycleTransition},
		{Method: http.MethodPost, Pattern: "/api/v1/cycles/{cycle}/copy", Gate: policy.Admin, Handler: h.handleCycleCopy},
		{Method: http.MethodGet, Pattern: "/api/v1/cycles/{cycle}/criteria", Gate: policy.Public, Handler: h.handleCriterionList},
		{Method: http.MethodPost, Pattern: "/api/v1/cycles/{cycle}/criteria", Gate: policy.Admin, Handler: h.handleCriterionCreate},
		{Method: http.MethodPatch, Pattern: "/api/v1/criteria/{id}", Gate: policy.Admin, Handler: h.handleCriterionPatch},
		{Method: http.MethodDelete, Pattern: "/api/v1/criteria/{id}", Gate: policy.Admin, Handler: h.handleCriterionDelete},
	}
}

// Award is an award as the API shows it.
type Award struct {
	Slug          string `json:"slug"`
	NameNB        string `json:"name_nb"`
	NameNN        string `json:"name_nn"`
	NameEN        string `json:"name_en"`
	DescriptionNB string `json:"description_nb"`
	DescriptionNN string `json:"description_nn"`
	DescriptionEN string `json:"description_en"`
	OwnerID       ID     `json:"owner_id,omitempty"`
	OwnerName     string `json:"owner_name,omitempty"`
	Kind          string `json:"kind"`
}

func toAward(a awards.Award) Award {
	return Award{Slug: a.Slug, NameNB: a.NameNB, NameNN: a.NameNN, NameEN: a.NameEN, DescriptionNB: a.DescriptionNB,
		DescriptionNN: a.DescriptionNN, DescriptionEN: a.DescriptionEN, OwnerID: ID(a.OwnerID), OwnerName: a.OwnerName, Kind: string(a.Kind)}
}

// AwardPatch changes an award; fields left out stay as they are. The
// slug is fixed once the award exists.
type AwardPatch struct {
	NameNB        *string `json:"name_nb"`
	NameNN        *string `json:"name_nn"`
	NameEN        *string `json:"name_en"`
	DescriptionNB *string `json:"description_nb"`
	DescriptionNN *string `json:"description_nn"`
	DescriptionEN *string `json:"description_en"`
	OwnerID       *ID     `json:"owner_id"`
}

func (p AwardPatch) fields() cycles.AwardFields {
	return cycles.AwardFields{NameNB: p.NameNB, NameNN: p.NameNN, NameEN: p.NameEN, DescriptionNB: p.DescriptionNB,
		DescriptionNN: p.DescriptionNN, DescriptionEN: p.DescriptionEN, OwnerID: (*int64)(p.OwnerID)}
}

// AwardCreate creates an award: a patch with its slug and kind.
type AwardCreate struct {
	Slug *string           `json:"slug"`
	Kind *awards.AwardKind `json:"kind"`
	AwardPatch
}

func (h *Handler) handleAwardList(w http.ResponseWriter, r *http.Request) {
	list, err := h.Cycles.Awards(r.Context())
	if err != nil {
		h.Error(w, r, err)
		return
	}
	out := make([]Award, len(list))
	for i, a := range list {
		out[i] = toAward(a)
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"items": out})
}

func (h *Handler) handleAwardCreate(w http.ResponseWriter, r *http.Request) {
	var in AwardCreate
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.Error(w, r, err)
		return
	}
	f := in.fields()
	f.Slug, f.Kind = in.Slug, in.Kind
	a, err := h.Cycles.CreateAward(r.Context(), httpx.ActorFrom(r.Context()), f)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/awards/"+a.Slug)
	httpx.WriteJSON(w, http.StatusCreated, toAward(a))
}

func (h *Handler) handleAwardGet(w http.ResponseWriter, r *http.Request) {
	a, err := h.Cycles.Award(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toAward(a))
}

func (h *Handler) handleAwardPatch(w http.ResponseWriter, r *http.Request) {
	var in AwardPatch
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.Error(w, r, err)
		return
	}
	a, err := h.Cycles.UpdateAward(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "slug"), in.fields())
	if err != nil {
		h.Error(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toAward(a))
}

// Cycle is a cycle as the API shows it; times are RFC 3339 in
// Europe/Oslo.
type Cycle struct {
	ID                   string     `json:"id"`
	Award                string     `json:"award"`
	Year                 int        `json:"year"`
	Title                string     `json:"title"`
	Description          string     `json:"description"`
	DescriptionNN        string     `json:"description_nn"`
	DescriptionEN        string     `json:"description_en"`
	CallText             string     `json:"call_text"`
	CallTextNN           string     `json:"call_text_nn"`
	CallTextEN           string     `json:"call_text_en"`
	Phase                string     `json:"phase"`
	NextPhases           []string   `json:"next_phases"`
	EligibleKinds        []string   `json:"eligible_kinds"`
	MaxNominationsPerOrg int        `json:"max_nominations_per_org"`
	MaxProjects          int        `json:"max_projects"`
	PublishAll           bool       `json:"publish_all"`
	CallOpensAt          *time.Time `json:"call_opens_at"`
	NominationDeadline   *time.Time `json:"nomination_deadline"`
	ScoringDeadline      *time.Time `json:"scoring_deadline"`
	AnnouncementAt       *time.Time `json:"announcement_at"`
	ReminderDays         []int      `json:"reminder_days"`
}

func inOslo(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	o := t.In(i18n.Oslo())
	return &o
}

func toCycle(c awards.Cycle) Cycle {
	out := Cycle{ID: c.PublicID, Award: c.AwardSlug, Year: c.Year, Title: c.Title, Description: c.Description,
		DescriptionNN: c.DescriptionNN, DescriptionEN: c.DescriptionEN, CallText: c.CallText, CallTextNN: c.CallTextNN,
		CallTextEN: c.CallTextEN, Phase: string(c.Phase), NextPhases: []string{}, EligibleKinds: []string{},
		MaxNominationsPerOrg: c.MaxNominationsPerOrg, MaxProjects: c.MaxProjects, PublishAll: c.PublishAll,
		CallOpensAt: inOslo(c.CallOpensAt), NominationDeadline: inOslo(c.NominationDeadline),
		ScoringDeadline: inOslo(c.ScoringDeadline), AnnouncementAt: inOslo(c.AnnouncementAt), ReminderDays: []int{}}
	out.ReminderDays = append(out.ReminderDays, c.ReminderDays...)
	for _, p := range c.Phase.NextFor(c.AwardKind) {
		out.NextPhases = append(out.NextPhases, string(p))
	}
	for _, k := range c.EligibleKinds {
		out.EligibleKinds = append(out.EligibleKinds, string(k))
	}
	return out
}

// optionalTime is a time field of a patch: absent, null (clear it) or an
// RFC 3339 string. Whatever else comes is kept to be reported as the
// field's error, rather than failing the whole body.
type optionalTime struct {
	set  bool
	bad  bool
	time *time.Time
}

// UnmarshalJSON records the value; it never fails.
func (o *optionalTime) UnmarshalJSON(b []byte) error {
	o.set = true
	if string(b) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		o.bad = true
		return nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		o.bad = true
		return nil
	}
	o.time = &t
	return nil
}

func (o optionalTime) change() cycles.TimeChange {
	return cycles.TimeChange{Set: o.set, At: o.time}
}

// CyclePatch creates or changes a cycle; fields left out stay as they
// are (on create: the defaults). A time set to null is cleared.
type CyclePatch struct {
	Year                 *int         `json:"year"`
	Title                *string      `json:"title"`
	Description          *string      `json:"description"`
	DescriptionNN        *string      `json:"description_nn"`
	DescriptionEN        *string      `json:"description_en"`
	CallText             *string      `json:"call_text"`
	CallTextNN           *string      `json:"call_text_nn"`
	CallTextEN           *string      `json:"call_text_en"`
	EligibleKinds        []string     `json:"eligible_kinds"`
	MaxNominationsPerOrg *int         `json:"max_nominations_per_org"`
	MaxProjects          *int         `json:"max_projects"`
	PublishAll           *bool        `json:"publish_all"`
	CallOpensAt          optionalTime `json:"call_opens_at"`
	NominationDeadline   optionalTime `json:"nomination_deadline"`
	ScoringDeadline      optionalTime `json:"scoring_deadline"`
	AnnouncementAt       optionalTime `json:"announcement_at"`
	ReminderDays         []int        `json:"reminder_days"`
}

// fields maps the patch to the service's fields; times that are not RFC
// 3339 are field errors.
func (p CyclePatch) fields() (cycles.CycleFields, error) {
	f := cycles.CycleFields{Year: p.Year, Title: p.Title, Description: p.Description,
		DescriptionNN: p.DescriptionNN, DescriptionEN: p.DescriptionEN, CallText: p.CallText, CallTextNN: p.CallTextNN,
		CallTextEN:           p.CallTextEN,
		MaxNominationsPerOrg: p.MaxNominationsPerOrg, MaxProjects: p.MaxProjects, PublishAll: p.PublishAll,
		CallOpensAt: p.CallOpensAt.change(), NominationDeadline: p.NominationDeadline.change(),
		ScoringDeadline: p.ScoringDeadline.change(), AnnouncementAt: p.AnnouncementAt.change()}
	if p.ReminderDays != nil {
		f.ReminderDays = p.ReminderDays
	}
	if p.EligibleKinds != nil {
		f.EligibleKinds = []awards.OrgKind{}
		for _, k := range p.EligibleKinds {
			f.EligibleKinds = append(f.EligibleKinds, awards.OrgKind(k))
		}
	}
	bad := map[string]string{}
	for name, t := range map[string]optionalTime{"call_opens_at": p.CallOpensAt, "nomination_deadline": p.NominationDeadline,
		"scoring_deadline": p.ScoringDeadline, "announcement_at": p.AnnouncementAt} {
		if t.bad {
			bad[name] = "cycles.error.rfc3339"
		}
	}
	if len(bad) > 0 {
		return f, awards.Invalid(bad)
	}
	return f, nil
}

func (h *Handler) writeCycle(w http.ResponseWriter, r *http.Request, status int, c awards.Cycle, err error) {
	if err != nil {
		h.Error(w, r, err)
		return
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/cycles/"+c.PublicID)
	}
	httpx.WriteJSON(w, status, toCycle(c))
}

func (h *Handler) handleCycleList(w http.ResponseWriter, r *http.Request) {
	list, err := h.Cycles.Cycles(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "slug"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	out := make([]Cycle, len(list))
	for i, c := range list {
		out[i] = toCycle(c)
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"items": out})
}

func (h *Handler) handleCycleCreate(w http.ResponseWriter, r *http.Request) {
	var in CyclePatch
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.Error(w, r, err)
		return
	}
	f, err := in.fields()
	if err != nil {
		h.Error(w, r, err)
		return
	}
	c, err := h.Cycles.CreateCycle(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "slug"), f)
	h.writeCycle(w, r, http.StatusCreated, c, err)
}

func (h *Handler) handleCycleGet(w http.ResponseWriter, r *http.Request) {
	c, err := h.Cycles.Cycle(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"))
	h.writeCycle(w, r, http.StatusOK, c, err)
}

func (h *Handler) handleCyclePatch(w http.ResponseWriter, r *http.Request) {
	var in CyclePatch
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.Error(w, r, err)
		return
	}
	f, err := in.fields()
	if err != nil {
		h.Error(w, r, err)
		return
	}
	c, err := h.Cycles.UpdateCycle(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"), f)
	h.writeCycle(w, r, http.StatusOK, c, err)
}

// Transition asks to move a cycle to another phase.
type Transition struct {
	To string `json:"to"`
}

func (h *Handler) handleCycleTransition(w http.ResponseWriter, r *http.Request) {
	var in Transition
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.Error(w, r, err)
		return
	}
	c, err := h.Cycles.Transition(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"), awards.Phase(in.To))
	h.writeCycle(w, r, http.StatusOK, c, err)
}

func (h *Handler) handleCycleCopy(w http.ResponseWriter, r *http.Request) {
	c, err := h.Cycles.Copy(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"))
	h.writeCycle(w, r, http.StatusCreated, c, err)
}

// Criterion is a criterion as the API shows it.
type Criterion struct {
	ID        ID      `json:"id"`
	Cycle     string  `json:"cycle"`
	NameNB    string  `json:"name_nb"`
	NameNN    string  `json:"name_nn"`
	NameEN    string  `json:"name_en"`
	HelpNB    string  `json:"help_nb"`
	HelpNN    string  `json:"help_nn"`
	HelpEN    string  `json:"help_en"`
	Weight    float64 `json:"weight"`
	ScaleMin  float64 `json:"scale_min"`
	ScaleMax  float64 `json:"scale_max"`
	ScaleStep float64 `json:"scale_step"`
	Position  int     `json:"position"`
	RoundID   ID      `json:"round_id"`
}

func toCriterion(cr awards.Criterion) Criterion {
	return Criterion{ID: ID(cr.ID), Cycle: cr.CyclePublicID, NameNB: cr.NameNB, NameNN: cr.NameNN, NameEN: cr.NameEN,
		HelpNB: cr.HelpNB, HelpNN: cr.HelpNN, HelpEN: cr.HelpEN, Weight: cr.Weight, ScaleMin: cr.ScaleMin,
		ScaleMax: cr.ScaleMax, ScaleStep: cr.ScaleStep, Position: cr.Position, RoundID: ID(cr.RoundID)}
}

// CriterionPatch creates or changes a criterion; fields left out stay as
// they are (on create: the defaults).
type CriterionPatch struct {
	NameNB    *string  `json:"name_nb"`
	NameNN    *string  `json:"name_nn"`
	NameEN    *string  `json:"name_en"`
	HelpNB    *string  `json:"help_nb"`
	HelpNN    *string  `json:"help_nn"`
	HelpEN    *string  `json:"help_en"`
	Weight    *float64 `json:"weight"`
	ScaleMin  *float64 `json:"scale_min"`
	ScaleMax  *float64 `json:"scale_max"`
	ScaleStep *float64 `json:"scale_step"`
	Position  *int     `json:"position"`
	RoundID   *ID      `json:"round_id"`
}

func (p CriterionPatch) fields() cycles.CriterionFields {
	return cycles.CriterionFields{NameNB: p.NameNB, NameNN: p.NameNN, NameEN: p.NameEN, HelpNB: p.HelpNB,
		HelpNN: p.HelpNN, HelpEN: p.HelpEN, Weight: p.Weight, ScaleMin: p.ScaleMin, ScaleMax: p.ScaleMax,
		ScaleStep: p.ScaleStep, Position: p.Position, RoundID: (*int64)(p.RoundID)}
}

func (h *Handler) handleCriterionList(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "cycle")
	list, err := h.Cycles.Criteria(r.Context(), httpx.ActorFrom(r.Context()), id)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	out := make([]Criterion, len(list))
	for i, cr := range list {
		out[i] = toCriterion(cr)
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"items": out})
}

func (h *Handler) handleCriterionCreate(w http.ResponseWriter, r *http.Request) {
	var in CriterionPatch
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.Error(w, r, err)
		return
	}
	id := chi.URLParam(r, "cycle")
	cr, err := h.Cycles.CreateCriterion(r.Context(), httpx.ActorFrom(r.Context()), id, in.fields())
	if err != nil {
		h.Error(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, toCriterion(cr))
}

func (h *Handler) handleCriterionPatch(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	var in CriterionPatch
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.Error(w, r, err)
		return
	}
	cr, err := h.Cycles.UpdateCriterion(r.Context(), httpx.ActorFrom(r.Context()), id, in.fields())
	if err != nil {
		h.Error(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toCriterion(cr))
}

func (h *Handler) handleCriterionDelete(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	if _, err := h.Cycles.DeleteCriterion(r.Context(), httpx.ActorFrom(r.Context()), id); err != nil {
		h.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
