package postgres_test

import (
	"context"
	"testing"
	"testing/fstest"

	"github.com/heder-awards/heder/internal/pgtest"
	"github.com/heder-awards/heder/internal/postgres"
)

// TestFailedMigrationChangesNothing: a migration that fails half-way
// leaves neither its first statements nor a record of itself behind, and
// the next run applies it once fixed.
func TestFailedMigrationChangesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	broken := fstest.MapFS{
		"29990101000000_create_things.tx.up.sql": {Data: []byte(
			"CREATE TABLE things (id int);\nINSERT INTO things VALUES (1);\nSELECT no_such_function();\n")},
	}
	if _, err := postgres.MigrateFrom(ctx, db, broken); err == nil {
		t.Fatal("broken migration reported success")
	}
	var tables int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_name = 'things'`).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 0 {
		t.Error("the failed migration's table exists")
	}
	var recorded int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM bun_migrations WHERE name = '29990101000000'`).Scan(&recorded); err != nil {
		t.Fatal(err)
	}
	if recorded != 0 {
		t.Error("the failed migration is marked as applied")
	}
	fixed := fstest.MapFS{
		"29990101000000_create_things.tx.up.sql": {Data: []byte("CREATE TABLE things (id int);\n")},
	}
	names, err := postgres.MigrateFrom(ctx, db, fixed)
	if err != nil || len(names) != 1 {
		t.Fatalf("fixed migration: %v %v", names, err)
	}
}
