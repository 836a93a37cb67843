package postgres

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/uptrace/bun"
)

// Querier is a database/sql handle: *sql.DB, *sql.Tx or *sql.Conn.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Driver returns the database/sql handle under db (the database, a
// transaction or a connection), for the hottest queries, written with
// $1… parameters. bun writes a query's values into its text, so
// PostgreSQL parses and plans it anew on every request; the driver
// prepares a parameterised text once per connection and PostgreSQL keeps
// its plan.
func Driver(db bun.IDB) Querier {
	switch d := db.(type) {
	case *DB:
		return d.DB.DB
	case *bun.DB:
		return d.DB
	case bun.Tx:
		return d.Tx
	case *bun.Tx:
		return d.Tx
	case bun.Conn:
		return d.Conn
	}
	panic(fmt.Sprintf("postgres.Driver: unknown handle %T", db))
}
