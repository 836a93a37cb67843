package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"sync"
	"testing"

	"github.com/heder-awards/heder/internal/pgtest"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/jackc/pgx/v5"
)

// emptyDatabase creates a database with nothing in it on pgtest's server
// and returns its URL; it is dropped when t ends.
func emptyDatabase(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(ctx) })
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	name := "empty_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)") })
	u, err := url.Parse(conn.Config().ConnString())
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// TestConcurrentMigrations: replicas starting together each migrate the
// same empty database. All succeed, one of them applies each migration
// (ours and River's) and the others wait for it and find nothing to do.
func TestConcurrentMigrations(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dbURL := emptyDatabase(t)
	const n = 6
	var (
		wg      sync.WaitGroup
		applied = make([][]string, n)
		errs    = make([]error, n)
		start   = make(chan struct{})
	)
	for i := range n {
		// Each its own pool, as separate processes would have.
		db, err := postgres.Open(ctx, dbURL, 2)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(db.Close)
		wg.Go(func() {
			<-start
			applied[i], errs[i] = postgres.Migrate(ctx, db)
		})
	}
	close(start)
	wg.Wait()

	seen := map[string]int{}
	for i := range n {
		if errs[i] != nil {
			t.Errorf("migrator %d: %v", i, errs[i])
		}
		for _, name := range applied[i] {
			seen[name]++
		}
	}
	db, err := postgres.Open(ctx, dbURL, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if pending, err := postgres.Pending(ctx, db); err != nil || len(pending) > 0 {
		t.Fatalf("pending after concurrent migrations: %v %v", pending, err)
	}
	var ours, river int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM bun_migrations`).Scan(&ours); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM river_migration`).Scan(&river); err != nil {
		t.Fatal(err)
	}
	if len(seen) != ours+river || ours == 0 || river == 0 {
		t.Errorf("the migrators applied %d distinct migrations; the database records %d of ours and %d of River's", len(seen), ours, river)
	}
	for name, times := range seen {
		if times != 1 {
			t.Errorf("%s applied %d times", name, times)
		}
	}
	var dupes int
	if err := db.QueryRowContext(ctx, `SELECT count(*) - count(DISTINCT name) FROM bun_migrations`).Scan(&dupes); err != nil || dupes != 0 {
		t.Errorf("bun_migrations records %d migrations twice (%v)", dupes, err)
	}
	if t.Failed() {
		t.Log(fmt.Sprint(applied))
	}
}
