package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
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
	args, err := Args(actorID, action, entity, entityID, before, after)
	if err != nil {
		return err
	}
	// A prepared statement: the values would make every text new to plan.
	if _, err := postgres.Driver(db).ExecContext(ctx, recordSQL, args...); err != nil {
		return fmt.Errorf("audit %s %s %d: %w", action, entity, entityID, err)
	}
	return nil
}

var recordSQL = Insert(1, "")

// Insert is the statement that appends an entry whose values are Args,
// as the parameters $first to $first+5. With from (a table or a WITH
// query of the statement it is part of), one entry is appended per row of
// from: a statement that makes a change only when a condition holds can
// record it in the same breath, and the two cannot part.
func Insert(first int, from string) string {
	p := func(i int) string { return "$" + strconv.Itoa(first+i) }
	q := `SELECT NULLIF(` + p(0) + `::bigint, 0), ` +
		p(1) + `, ` + p(2) + `, NULLIF(` + p(3) + `::bigint, 0), ` + p(4) + `::jsonb, ` + p(5) + `::jsonb`
	if from != "" {
		q += ` FROM ` + from
	}
	return InsertSelect(q)
}

// InsertSelect is the statement that appends an entry per row of query,
// whose columns are the actor's user ID (NULL for the system), the
// action, the entity, its ID, and the values before and after (jsonb):
// for a statement that knows the values only as it writes them.
func InsertSelect(query string) string {
	return `INSERT INTO audit_log (actor_id, action, entity, entity_id, before, after) ` + query
}

// Args returns an entry's values for Insert, in its order; before and
// after are marshalled as Record does.
func Args(actorID int64, action, entity string, entityID int64, before, after any) ([]any, error) {
	b, err := marshal(before)
	if err != nil {
		return nil, fmt.Errorf("audit %s %s: %w", action, entity, err)
	}
	a, err := marshal(after)
	if err != nil {
		return nil, fmt.Errorf("audit %s %s: %w", action, entity, err)
	}
	return []any{actorID, action, entity, entityID, b, a}, nil
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

// AllowErasure lets the rest of transaction tx blank personal data inside
// entries (their before and after), as retention must; the database still
// refuses any change to an entry's actor, action, entity or time, and any
// deletion.
func AllowErasure(ctx context.Context, tx bun.Tx) error {
	if _, err := tx.ExecContext(ctx, `SELECT set_config('heder.erasing', 'on', true)`); err != nil {
		return fmt.Errorf("allow erasure in the audit log: %w", err)
	}
	return nil
}
