package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Pipeline runs fn on one connection of the pool, held for fn's whole run,
// so that fn can send a transaction in batches: BEGIN with the first
// statements, COMMIT with the last, each batch one round trip. Through
// database/sql every statement, BEGIN and COMMIT included, is a round
// trip of its own. A transaction fn leaves open, by an error or by
// choice, is rolled back.
func (db *DB) Pipeline(ctx context.Context, fn func(ctx context.Context, c *pgx.Conn) error) error {
	pc, err := db.Pool.Acquire(ctx)
	if err != nil {
		return Map("acquire connection", err)
	}
	// A connection still in a transaction when released (the rollback
	// below failed) is closed by the pool, never reused.
	defer pc.Release()
	c := pc.Conn()
	err = fn(ctx, c)
	if c.PgConn().TxStatus() != 'I' {
		if _, rerr := c.Exec(ctx, "ROLLBACK"); rerr != nil && err == nil {
			err = fmt.Errorf("roll back: %w", rerr)
		}
	}
	return err
}
