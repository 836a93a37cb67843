package api

import (
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/outbox"
	"github.com/heder-awards/heder/internal/policy"
)

// outboxRoutes are the API routes for a cycle's outbox: the messages
// Heder sent, or is sending, about it. Site admins only.
func (h *Handler) outboxRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: http.MethodGet, Pattern: "/api/v1/cycles/{cycle}/outbox", Gate: policy.Admin, Handler: h.handleOutboxList},
		{Method: http.MethodPost, Pattern: "/api/v1/outbox/{id}/retry", Gate: policy.Admin, Handler: h.handleOutboxRetry},
	}
}

// OutboxMessage is one message of the outbox as the API shows it.
type OutboxMessage struct {
	ID           ID         `json:"id"`
	Cycle        string     `json:"cycle"`
	Kind         string     `json:"kind"`
	Name         string     `json:"name,omitempty"`
	Email        string     `json:"email"`
	Organisation string     `json:"organisation,omitempty"`
	Nomination   string     `json:"nomination,omitempty"`
	Language     string     `json:"language"`
	Subject      string     `json:"subject,omitempty"`
	State        string     `json:"state"`
	Attempts     int        `json:"attempts"`
	LastError    string     `json:"last_error,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
	SentAt       *time.Time `json:"sent_at,omitempty"`
}

func toOutboxMessage(e outbox.Entry) OutboxMessage {
	m := OutboxMessage{ID: ID(e.ID), Cycle: e.CyclePublicID, Kind: e.Kind, Name: e.UserName, Email: e.Email, Organisation: e.OrganisationName,
		Nomination: e.NominationPublicID, Language: e.Language, Subject: e.Subject, State: e.State, Attempts: e.Attempts,
		LastError: e.LastError, CreatedAt: e.CreatedAt.UTC(), UpdatedAt: e.UpdatedAt.UTC()}
	if e.SentAt != nil {
		at := e.SentAt.UTC()
		m.SentAt = &at
	}
	return m
}

// OutboxList is a cycle's messages, newest first.
type OutboxList struct {
	Items []OutboxMessage `json:"items"`
}

func (h *Handler) handleOutboxList(w http.ResponseWriter, r *http.Request) {
	box, err := h.Outbox.List(r.Context(), httpx.ActorFrom(r.Context()), chi.URLParam(r, "cycle"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	out := OutboxList{Items: []OutboxMessage{}}
	for _, e := range box.Messages {
		out.Items = append(out.Items, toOutboxMessage(e))
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

func (h *Handler) handleOutboxRetry(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	e, err := h.Outbox.Retry(r.Context(), httpx.ActorFrom(r.Context()), id)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toOutboxMessage(e))
}
