package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"

	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivermigrate"
)

// riverMigrator migrates River's own tables (river_job, river_leader, …),
// which the job queue needs before a client starts.
func riverMigrator(db *DB) (*rivermigrate.Migrator[*sql.Tx], error) {
	// River logs "unapplied migrations" at info level on its own; Heder
	// reports them through Migrate and Pending instead.
	m, err := rivermigrate.New(riverdatabasesql.New(db.DB.DB), &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return nil, fmt.Errorf("river migrator: %w", err)
	}
	return m, nil
}

// migrateRiver applies River's pending migrations and names them
// "river_<version>_<name>". Callers hold the migration lock, as River's
// migrator takes none of its own.
func migrateRiver(ctx context.Context, db *DB) ([]string, error) {
	m, err := riverMigrator(db)
	if err != nil {
		return nil, err
	}
	res, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return nil, fmt.Errorf("migrate river: %w", err)
	}
	var names []string
	for _, v := range res.Versions {
		names = append(names, fmt.Sprintf("river_%03d_%s", v.Version, v.Name))
	}
	return names, nil
}

// pendingRiver names River's migrations not yet applied.
func pendingRiver(ctx context.Context, db *DB) ([]string, error) {
	m, err := riverMigrator(db)
	if err != nil {
		return nil, err
	}
	applied, err := m.ExistingVersions(ctx)
	if err != nil {
		return nil, fmt.Errorf("river migration status: %w", err)
	}
	have := map[int]bool{}
	for _, v := range applied {
		have[v.Version] = true
	}
	var names []string
	for _, v := range m.AllVersions() {
		if !have[v.Version] {
			names = append(names, fmt.Sprintf("river_%03d_%s", v.Version, v.Name))
		}
	}
	return names, nil
}
