package outbox

import (
	"context"
	"fmt"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/jobs"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// Service reads a cycle's outbox and retries its failed messages.
type Service struct {
	db bun.IDB
}

// NewService returns a Service over db.
func NewService(db bun.IDB) *Service { return &Service{db: db} }

// Outbox is a cycle's messages, newest first.
type Outbox struct {
	CyclePublicID string
	CycleTitle    string
	Messages      []Entry
}

// List returns the messages of the cycle with public ID cycle. The
// cycle's admins only (EForbidden). Returns ENotFound for an unknown
// cycle.
func (s *Service) List(ctx context.Context, actor *awards.Actor, cycle string) (Outbox, error) {
	if !actor.AnyAdmin() {
		return Outbox{}, forbidden()
	}
	out := Outbox{CyclePublicID: cycle}
	var id int64
	err := s.db.QueryRowContext(ctx, `SELECT id, title FROM cycles WHERE public_id = ?`, cycle).Scan(&id, &out.CycleTitle)
	if err != nil {
		return Outbox{}, postgres.Map("outbox cycle "+cycle, err)
	}
	if !policy.CanManageOutbox(actor, id) {
		return Outbox{}, forbidden()
	}
	err = s.db.NewRaw(entrySelect+` WHERE m.cycle_id = ? ORDER BY m.created_at DESC, m.id DESC`, id).Scan(ctx, &out.Messages)
	if err != nil {
		return Outbox{}, postgres.Map("list outbox of cycle "+cycle, err)
	}
	return out, nil
}

// Retry queues failed message id again, with a new sending job. The
// cycle's admins only (EForbidden). Returns ENotFound, and EConflict for a
// message that has not failed: a queued one is being tried, a sent one
// is never sent twice.
func (s *Service) Retry(ctx context.Context, actor *awards.Actor, id int64) (Entry, error) {
	if !actor.AnyAdmin() {
		return Entry{}, forbidden()
	}
	var e Entry
	err := postgres.InTx(ctx, s.db, func(ctx context.Context, tx bun.Tx) error {
		var state string
		var cycleID int64
		if err := tx.QueryRowContext(ctx, `SELECT state, coalesce(cycle_id, 0) FROM outbox_messages WHERE id = ? FOR UPDATE`,
			id).Scan(&state, &cycleID); err != nil {
			return postgres.Map(fmt.Sprintf("outbox message %d", id), err)
		}
		if !policy.CanManageOutbox(actor, cycleID) {
			return forbidden()
		}
		if state != StateFailed {
			return awards.Errorf(awards.EConflict, "only a failed message can be sent again")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE outbox_messages SET state = 'queued', updated_at = now() WHERE id = ?`, id); err != nil {
			return postgres.Map(fmt.Sprintf("requeue outbox message %d", id), err)
		}
		if err := jobs.InsertTx(ctx, tx, SendArgs{MessageID: id}, nil); err != nil {
			return fmt.Errorf("outbox message %d: %w", id, err)
		}
		if err := audit.Record(ctx, tx, actor.User.ID, "retry", "outbox_message", id,
			map[string]any{"state": state}, map[string]any{"state": StateQueued}); err != nil {
			return err
		}
		return tx.NewRaw(entrySelect+` WHERE m.id = ?`, id).Scan(ctx, &e)
	})
	return e, err
}

func forbidden() error {
	return awards.Errorf(awards.EForbidden, "only the award's administrators read its outbox and send its messages again")
}
