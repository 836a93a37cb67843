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

// migrationLockKey names the advisory lock Migrate holds; advisory locks
// are per database, so this key is free in every other one.
const migrationLockKey int64 = 0x48656465724d67 // "HederMg" in ASCII

// Migrate applies every pending migration, each in its own transaction,
// then River's. Replicas starting together take turns: each waits for the
// migration lock, and those after the first find nothing left to do.
func Migrate(ctx context.Context, db *DB) ([]string, error) {
	return migrateFrom(ctx, db, migrations.FS)
}

func migrateFrom(ctx context.Context, db *DB, fsys fs.FS) ([]string, error) {
	unlock, err := lockMigrations(ctx, db)
	if err != nil {
		return nil, err
	}
	defer unlock()
	m, err := migrator(db, fsys)
	if err != nil {
		return nil, err
	}
	if err := m.Init(ctx); err != nil {
		return nil, fmt.Errorf("init migrations table: %w", err)
	}
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

// lockMigrations waits for the migration lock: a session advisory lock on
// one connection set aside from the pool for the whole migration. Unlike
// bun's lock table, which refuses a second migrator instead of making it
// wait and stays locked when a migrator dies, PostgreSQL releases it when
// the session ends. The lock is taken before bun's tables are created, as
// two CREATE TABLE IF NOT EXISTS at once can still collide.
func lockMigrations(ctx context.Context, db *DB) (unlock func(), err error) {
	conn, err := db.Pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("connect to lock migrations: %w", err)
	}
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrationLockKey); err != nil {
		conn.Release()
		return nil, fmt.Errorf("lock migrations: %w", err)
	}
	return func() {
		ctx := context.WithoutCancel(ctx)
		if _, err := conn.Exec(ctx, `SELECT pg_advisory_unlock($1)`, migrationLockKey); err != nil {
			// Closing the session is what releases the lock then; the
			// pool drops a closed connection instead of reusing it.
			_ = conn.Conn().Close(ctx)
		}
		conn.Release()
	}, nil
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
