package privacy

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// auditEntry is one audit entry the person is the actor of.
type auditEntry struct {
	ID       int64          `json:"id,string"`
	At       time.Time      `json:"at"`
	Action   string         `json:"action"`
	Entity   string         `json:"entity"`
	EntityID *int64         `json:"entity_id,string"`
	Before   map[string]any `json:"before"`
	After    map[string]any `json:"after"`
}

// othersKeys are the keys under which an audit entry names a person, and
// othersIDKeys those under which it gives a user's ID. An entry of the
// person's acts may name someone else (the juror an admin invited, the
// member they added): those values are left out unless they are the
// person's own.
var (
	othersKeys   = []string{"name", "email", "login_email"}
	othersIDKeys = []string{"user_id", "accepted_by", "confirmed_by", "removed_by"}
)

// auditOf lists the audit entries whose actor is u.
func (s *Service) auditOf(ctx context.Context, db bun.IDB, u awards.User) (json.RawMessage, error) {
	var rows []struct {
		ID       int64     `bun:"id"`
		At       time.Time `bun:"at"`
		Action   string    `bun:"action"`
		Entity   string    `bun:"entity"`
		EntityID *int64    `bun:"entity_id"`
		Before   []byte    `bun:"before"`
		After    []byte    `bun:"after"`
	}
	err := db.NewRaw(`SELECT id, at, action, entity, entity_id, before, after FROM audit_log
		WHERE actor_id = ? ORDER BY id`, u.ID).Scan(ctx, &rows)
	if err != nil {
		return nil, postgres.Map("export audit entries", err)
	}
	out := make([]auditEntry, len(rows))
	for i, r := range rows {
		out[i] = auditEntry{ID: r.ID, At: r.At, Action: r.Action, Entity: r.Entity, EntityID: r.EntityID}
		if r.Entity == "user" && r.EntityID != nil && *r.EntityID != u.ID {
			out[i].EntityID = nil // another user, e.g. one the person made site admin
		}
		if out[i].Before, err = ownOnly(r.Before, u); err != nil {
			return nil, fmt.Errorf("audit entry %d: %w", r.ID, err)
		}
		if out[i].After, err = ownOnly(r.After, u); err != nil {
			return nil, fmt.Errorf("audit entry %d: %w", r.ID, err)
		}
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("marshal audit entries: %w", err)
	}
	return b, nil
}

// ownOnly decodes an entry's before or after and drops the names and
// addresses in it that are not u's own.
func ownOnly(raw []byte, u awards.User) (map[string]any, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		// Not an object (a bare value): it names nobody by key.
		var v any
		if err2 := json.Unmarshal(raw, &v); err2 != nil {
			return nil, err
		}
		return map[string]any{"value": v}, nil
	}
	for _, k := range othersKeys {
		v, ok := m[k].(string)
		if ok && v != "" && v != u.Name && !strings.EqualFold(v, u.Email) {
			delete(m, k)
		}
	}
	for _, k := range othersIDKeys {
		if v, ok := m[k].(float64); ok && v != float64(u.ID) {
			delete(m, k)
		}
	}
	return m, nil
}
