package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/publication"
)

// publicationRoutes are the API routes for a cycle's announcements: what
// of the jury's decision becomes public, and when. Site admins only.
func (h *Handler) publicationRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodGet, Pattern: "/api/v1/cycles/{cycle}/announcements", Gate: policy.Admin, Handler: h.handleAnnouncementList},
		{Method: http.MethodPost, Pattern: "/api/v1/cycles/{cycle}/announcements", Gate: policy.Admin, Handler: h.handleAnnouncementCreate},
		{Method: http.MethodPatch, Pattern: "/api/v1/announcements/{id}", Gate: policy.Admin, Handler: h.handleAnnouncementPatch},
		{Method: http.MethodPost, Pattern: "/api/v1/announcements/{id}/unpublish", Gate: policy.Admin, Handler: h.handleAnnouncementUnpublish},
	}
}

// Announcement is an announcement as the API shows it.
type Announcement struct {
	ID              ID         `json:"id"`
	Cycle           string     `json:"cycle"`
	Kind            string     `json:"kind"`
	PublishAt       time.Time  `json:"publish_at"`
	State           string     `json:"state"`
	CreatedAt       time.Time  `json:"created_at"`
	CreatedBy       string     `json:"created_by"`
	UnpublishedAt   *time.Time `json:"unpublished_at,omitempty"`
	UnpublishedBy   string     `json:"unpublished_by,omitempty"`
	UnpublishReason string     `json:"unpublish_reason,omitempty"`
}

func toAnnouncement(a publication.Announcement) Announcement {
	return Announcement{ID: ID(a.ID), Cycle: a.CyclePublicID, Kind: string(a.Kind), PublishAt: a.PublishAt.UTC(), State: string(a.State),
		CreatedAt: a.CreatedAt.UTC(), CreatedBy: a.CreatedBy, UnpublishedAt: a.UnpublishedAt, UnpublishedBy: a.UnpublishedBy,
		UnpublishReason: a.UnpublishReason}
}

// PublicationPlan is what publishing an announcement of one kind now
// would make public: the confirmation to read before sending confirm.
type PublicationPlan struct {
	Nominations []PlannedNomination `json:"nominations"`
	// PublishAll: the cycle makes every submitted nomination public with
	// the winners; OtherNominations counts those that become public so.
	PublishAll       bool `json:"publish_all"`
	OtherNominations int  `json:"other_nominations"`
	FeedbackReleased int  `json:"feedback_released"`
	Recipients       int  `json:"recipients"`
	// Refused says why publishing now would be refused.
	Refused string `json:"refused,omitempty"`
}

// PlannedNomination is one nomination a publication makes public.
type PlannedNomination struct {
	ID               string   `json:"id"`
	Title            string   `json:"title"`
	Outcome          string   `json:"outcome,omitempty"`
	Nominees         []string `json:"nominees"`
	StatementExcerpt string   `json:"statement_excerpt,omitempty"`
	AlreadyPublic    bool     `json:"already_public"`
}

func toPlan(p publication.Plan) PublicationPlan {
	out := PublicationPlan{Nominations: []PlannedNomination{}, PublishAll: p.Kind == publication.Winners && p.Cycle.PublishAll,
		OtherNominations: p.Others, FeedbackReleased: p.Feedback, Recipients: p.Recipients}
	for _, e := range p.Entries {
		nominees := e.Nominees
		if nominees == nil {
			nominees = []string{}
		}
		out.Nominations = append(out.Nominations, PlannedNomination{ID: e.PublicID, Title: e.Title, Outcome: e.Outcome,
			Nominees: nominees, StatementExcerpt: e.Excerpt("nb"), AlreadyPublic: e.AlreadyPublic})
	}
	if p.Refusal != nil {
		out.Refused = awards.ErrorMessage(p.Refusal)
	}
	return out
}

// AnnouncementList is a cycle's announcements, newest first, and what
// publishing each kind now would make public.
type AnnouncementList struct {
	Items         []Announcement             `json:"items"`
	BecomesPublic map[string]PublicationPlan `json:"becomes_public"`
}

func (h *Handler) handleAnnouncementList(w http.ResponseWriter, r *http.Request) {
	rv, err := h.Publication.Review(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	out := AnnouncementList{Items: []Announcement{}, BecomesPublic: map[string]PublicationPlan{}}
	for _, a := range rv.Announcements {
		out.Items = append(out.Items, toAnnouncement(a))
	}
	for _, p := range rv.Plans {
		out.BecomesPublic[string(p.Kind)] = toPlan(p)
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// AnnouncementCreate schedules an announcement at publish_at (RFC 3339),
// or publishes it now (publish_now, with confirm).
type AnnouncementCreate struct {
	Kind       string  `json:"kind"`
	PublishAt  *string `json:"publish_at"`
	PublishNow bool    `json:"publish_now"`
	Confirm    bool    `json:"confirm"`
}

// parseInstant reads an RFC 3339 instant with its offset.
func parseInstant(s *string) (*time.Time, error) {
	if s == nil {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(*s))
	if err != nil {
		return nil, awards.Invalid(map[string]string{"publish_at": "publication.error.datetime"})
	}
	return &t, nil
}

func (h *Handler) handleAnnouncementCreate(w http.ResponseWriter, r *http.Request) {
	var in AnnouncementCreate
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.Error(w, r, err)
		return
	}
	at, err := parseInstant(in.PublishAt)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	a, created, err := h.Publication.Schedule(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"),
		publication.Input{Kind: publication.Kind(in.Kind), PublishAt: at, Now: in.PublishNow, Confirm: in.Confirm})
	if err != nil {
		h.Error(w, r, err)
		return
	}
	status := http.StatusOK // a scheduled one brought forward
	if created {
		status = http.StatusCreated
	}
	httpx.WriteJSON(w, status, toAnnouncement(a))
}

// AnnouncementPatch moves a scheduled announcement.
type AnnouncementPatch struct {
	PublishAt *string `json:"publish_at"`
}

func (h *Handler) handleAnnouncementPatch(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	var in AnnouncementPatch
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.Error(w, r, err)
		return
	}
	at, err := parseInstant(in.PublishAt)
	if err == nil && at == nil {
		err = awards.Invalid(map[string]string{"publish_at": "publication.error.instant_required"})
	}
	if err != nil {
		h.Error(w, r, err)
		return
	}
	a, err := h.Publication.Reschedule(r.Context(), httpx.ActorFrom(r.Context()), id, *at)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toAnnouncement(a))
}

// AnnouncementUnpublish withdraws an announcement, for a reason.
type AnnouncementUnpublish struct {
	Reason string `json:"reason"`
}

func (h *Handler) handleAnnouncementUnpublish(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	var in AnnouncementUnpublish
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.Error(w, r, err)
		return
	}
	a, err := h.Publication.Unpublish(r.Context(), httpx.ActorFrom(r.Context()), id, in.Reason)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toAnnouncement(a))
}
