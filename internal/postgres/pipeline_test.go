package postgres_test

import (
	"context"
	"errors"
	"testing"

	"github.com/heder-awards/heder/internal/pgtest"
	"github.com/jackc/pgx/v5"
)

// Pipeline commits what fn commits and rolls back a transaction that fn
// leaves open, with an error or without; the connection then serves the
// next caller.
func TestPipeline(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `CREATE TABLE kept (x int)`); err != nil {
		t.Fatal(err)
	}
	insert := func(x int, last string) func(ctx context.Context, c *pgx.Conn) error {
		return func(ctx context.Context, c *pgx.Conn) error {
			var b pgx.Batch
			b.Queue("BEGIN")
			b.Queue(`INSERT INTO kept VALUES ($1)`, x)
			if last != "" {
				b.Queue(last)
			}
			return c.SendBatch(ctx, &b).Close()
		}
	}
	if err := db.Pipeline(ctx, insert(1, "COMMIT")); err != nil {
		t.Fatalf("committed: %v", err)
	}
	// Rolled back, a connection goes back to the pool; left in a
	// transaction, the pool would close it and open another.
	opened := db.Pool.Stat().NewConnsCount()
	if err := db.Pipeline(ctx, insert(2, "")); err != nil {
		t.Fatalf("left open: %v", err)
	}
	failed := errors.New("refused")
	err := db.Pipeline(ctx, func(ctx context.Context, c *pgx.Conn) error {
		if err := insert(3, "")(ctx, c); err != nil {
			return err
		}
		return failed
	})
	if !errors.Is(err, failed) {
		t.Fatalf("failed: %v", err)
	}
	// A statement that fails inside the batch aborts the transaction.
	err = db.Pipeline(ctx, insert(4, "SELECT 1/0"))
	if err == nil {
		t.Fatal("division by zero: no error")
	}
	var xs []int
	if err := db.NewRaw(`SELECT x FROM kept ORDER BY x`).Scan(ctx, &xs); err != nil {
		t.Fatal(err)
	}
	if len(xs) != 1 || xs[0] != 1 {
		t.Errorf("kept %v, want [1]", xs)
	}
	if n := db.Pool.Stat().AcquiredConns(); n != 0 {
		t.Errorf("%d connections still held", n)
	}
	if n := db.Pool.Stat().NewConnsCount() - opened; n != 0 {
		t.Errorf("%d connections opened anew: a transaction was left open", n)
	}
}
