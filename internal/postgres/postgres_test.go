package postgres_test

import (
	"context"
	"testing"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/pgtest"
	"github.com/heder-awards/heder/internal/postgres"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestMigrationsCurrent(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	pending, err := postgres.Pending(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 0 {
		t.Fatalf("pending migrations on a migrated database: %v", pending)
	}
}

func TestMapErrors(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	_, err := db.ExecContext(ctx, `INSERT INTO awards (slug, name_nb) VALUES ('a', 'A')`)
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.ExecContext(ctx, `INSERT INTO awards (slug, name_nb) VALUES ('a', 'B')`)
	if got := awards.ErrorCode(postgres.Map("insert award", err)); got != awards.EConflict {
		t.Errorf("duplicate slug: code %q, want %q", got, awards.EConflict)
	}
	var id int64
	err = db.QueryRowContext(ctx, `SELECT id FROM awards WHERE slug = 'none'`).Scan(&id)
	if got := awards.ErrorCode(postgres.Map("load award", err)); got != awards.ENotFound {
		t.Errorf("no rows: code %q, want %q", got, awards.ENotFound)
	}
}

// A connection that the server ends (a restart, a failover, an operator's
// pg_terminate_backend) is the database being unavailable, not a bug:
// the request gets 503, and the next one a new connection.
func TestMapTerminatedConnection(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var pid int
	if err := conn.QueryRowContext(ctx, `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `SELECT pg_terminate_backend(?)`, pid); err != nil {
		t.Fatal(err)
	}
	_, err = conn.ExecContext(ctx, `SELECT 1`)
	if got := awards.ErrorCode(postgres.Map("select", err)); got != awards.EUnavailable {
		t.Errorf("terminated connection (%v): code %q, want %q", err, got, awards.EUnavailable)
	}
}
