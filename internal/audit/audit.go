package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// Entry is one line of the audit log.
type Entry struct {
	ID       int64
	At       time.Time
	ActorID  int64
	Action   string
	Entity   string
	EntityID int64
	Before   json.RawMessage
	After    json.RawMessage
}

// Record appends an entry. actorID 0 means the system (imports, jobs).
// before and after are marshalled to JSON; nil stays NULL.
func Record(ctx context.Context, db bun.IDB, actorID int64, action, entity string, entityID int64, before, after any) error {
	b, err := marshal(before)
	if err != nil {
		return fmt.Errorf("audit %s %s: %w", action, entity, err)
	}
	a, err := marshal(after)
	if err != nil {
		return fmt.Errorf("audit %s %s: %w", action, entity, err)
	}
	// A prepared statement: the values would make every text new to plan.
	_, err = postgres.Driver(db).ExecContext(ctx,
		`INSERT INTO audit_log (actor_id, action, entity, entity_id, before, after) VALUES (NULLIF($1::bigint, 0), $2, $3, NULLIF($4::bigint, 0), $5::jsonb, $6::jsonb)`,
		actorID, action, entity, entityID, b, a)
	if err != nil {
		return fmt.Errorf("audit %s %s %d: %w", action, entity, entityID, err)
	}
	return nil
}

func marshal(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// List returns the entries about one entity, oldest first.
func List(ctx context.Context, db bun.IDB, entity string, entityID int64) ([]Entry, error) {
	rows, err := db.QueryContext(ctx,
		`SELECT id, at, coalesce(actor_id, 0), action, entity, coalesce(entity_id, 0), coalesce(before, 'null'), coalesce(after, 'null')
		 FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY id`, entity, entityID)
	if err != nil {
		return nil, fmt.Errorf("list audit %s %d: %w", entity, entityID, err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		var before, after []byte
		if err := rows.Scan(&e.ID, &e.At, &e.ActorID, &e.Action, &e.Entity, &e.EntityID, &before, &after); err != nil {
			return nil, err
		}
		e.Before, e.After = before, after
		out = append(out, e)
	}
	return out, rows.Err()
}
