package postgres_test

import (
	"context"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/pgtest"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivermigrate"
)

// TestRiverMigrations: Migrate creates River's tables (the test template
// has them), Pending reports them when missing, and Migrate brings them
// back.
func TestRiverMigrations(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	var table *string
	if err := db.QueryRowContext(ctx, `SELECT to_regclass('river_job')::text`).Scan(&table); err != nil || table == nil {
		t.Fatalf("river_job is missing from a migrated database: %v", err)
	}
	m, err := rivermigrate.New(riverdatabasesql.New(db.DB.DB), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionDown, &rivermigrate.MigrateOpts{TargetVersion: -1}); err != nil {
		t.Fatal(err)
	}
	pending, err := postgres.Pending(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) == 0 || !strings.HasPrefix(pending[0], "river_001") {
		t.Fatalf("pending without River's tables: %v", pending)
	}
	names, err := postgres.Migrate(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != len(pending) {
		t.Errorf("Migrate applied %v, pending were %v", names, pending)
	}
	if pending, err := postgres.Pending(ctx, db); err != nil || len(pending) != 0 {
		t.Errorf("pending after Migrate: %v %v", pending, err)
	}
}
