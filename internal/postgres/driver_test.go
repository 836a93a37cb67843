package postgres_test

import (
	"context"
	"testing"

	"github.com/heder-awards/heder/internal/pgtest"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// Driver runs parameterised queries on the database and inside a bun
// transaction, where they see the transaction's own writes.
func TestDriver(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	var n int64
	if err := postgres.Driver(db).QueryRowContext(ctx, `SELECT $1::bigint + 1`, 41).Scan(&n); err != nil || n != 42 {
		t.Fatalf("on the database: %d, %v", n, err)
	}
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := postgres.Driver(tx).ExecContext(ctx, `CREATE TEMP TABLE seen (x bigint) ON COMMIT DROP; INSERT INTO seen VALUES (7)`); err != nil {
			return err
		}
		return postgres.Driver(tx).QueryRowContext(ctx, `SELECT x FROM seen WHERE x = $1`, 7).Scan(&n)
	})
	if err != nil || n != 7 {
		t.Fatalf("in a transaction: %d, %v", n, err)
	}
	var mode string
	if err := db.NewRaw(`SHOW plan_cache_mode`).Scan(ctx, &mode); err != nil || mode != "force_generic_plan" {
		t.Errorf("plan_cache_mode = %q, %v", mode, err)
	}
}
