package postgres

import (
	"context"
	"fmt"
	"io/fs"

	"github.com/heder-awards/heder/migrations"
	"github.com/uptrace/bun/migrate"
)

func migrator(db *DB, fsys fs.FS) (*migrate.Migrator, error) {
	ms := migrate.NewMigrations()
	if err := ms.Discover(fsys); err != nil {
		return nil, fmt.Errorf("discover migrations: %w", err)
	}
	return migrate.NewMigrator(db.DB, ms, migrate.WithMarkAppliedOnSuccess(true)), nil
}

// Migrate applies every pending migration, each in its own transaction,
// then River's, under a lock so that replicas starting together do not race.
func Migrate(ctx context.Context, db *DB) ([]string, error) {
	return migrateFrom(ctx, db, migrations.FS)
}

func migrateFrom(ctx context.Context, db *DB, fsys fs.FS) ([]string, error) {
	m, err := migrator(db, fsys)
	if err != nil {
		return nil, err
	}
	if err := m.Init(ctx); err != nil {
		return nil, fmt.Errorf("init migrations table: %w", err)
	}
	if err := m.Lock(ctx); err != nil {
		return nil, fmt.Errorf("lock migrations: %w", err)
	}
	defer m.Unlock(context.WithoutCancel(ctx)) //nolint:errcheck // best effort; the lock row expires with the table
	group, err := m.Migrate(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	var names []string
	for _, mg := range group.Migrations {
		names = append(names, mg.Name)
	}
	// River's tables too, under the same lock, so the job queue can start.
	river, err := migrateRiver(ctx, db)
	if err != nil {
		return nil, err
	}
	return append(names, river...), nil
}

// Pending returns the names of migrations not yet applied; /readyz uses it.
func Pending(ctx context.Context, db *DB) ([]string, error) {
	m, err := migrator(db, migrations.FS)
	if err != nil {
		return nil, err
	}
	ms, err := m.MigrationsWithStatus(ctx)
	if err != nil {
		return nil, fmt.Errorf("migration status: %w", err)
	}
	var names []string
	for _, mg := range ms.Unapplied() {
		names = append(names, mg.Name)
	}
	river, err := pendingRiver(ctx, db)
	if err != nil {
		return nil, err
	}
	return append(names, river...), nil
}
