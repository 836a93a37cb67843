package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// DB is the database handle shared by the whole process: bun for queries,
// the pgx pool underneath for River and health checks.
type DB struct {
	*bun.DB
	Pool *pgxpool.Pool
}

// Open connects to url. It does not wait for the server: the app must start
// (and answer 503) while the database is down, and recover when it returns.
func Open(ctx context.Context, url string, maxConns int32) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse database URL: %w", err)
	}
	if maxConns > 0 {
		cfg.MaxConns = maxConns
	}
	cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	cfg.ConnConfig.RuntimeParams["timezone"] = "UTC"
	// Prepared statements (Driver's, the session store's, River's) keep
	// one plan per connection. PostgreSQL would otherwise plan the jury's
	// many-part reads anew on each call, which costs ten times their run.
	cfg.ConnConfig.RuntimeParams["plan_cache_mode"] = "force_generic_plan"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open database pool: %w", err)
	}
	sqldb := stdlib.OpenDBFromPool(pool)
	return &DB{DB: bun.NewDB(sqldb, pgdialect.New()), Pool: pool}, nil
}

// Close closes the bun handle and the pool.
func (db *DB) Close() {
	db.DB.Close()
	db.Pool.Close()
}

// Ping checks that the database answers within two seconds.
func (db *DB) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return db.Pool.Ping(ctx)
}

// InTx runs fn in a transaction, committing when fn returns nil.
func InTx(ctx context.Context, db bun.IDB, fn func(ctx context.Context, tx bun.Tx) error) error {
	return db.RunInTx(ctx, nil, fn)
}

// Map turns database errors into awards errors: no rows becomes ENotFound,
// a unique violation EConflict, an unreachable server EUnavailable.
func Map(op string, err error) error {
	if err == nil {
		return nil
	}
	var ae *awards.Error
	if errors.As(err, &ae) {
		return err
	}
	if errors.Is(err, sql.ErrNoRows) {
		return &awards.Error{Code: awards.ENotFound, Op: op, Message: "not found", Err: err}
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505":
			return &awards.Error{Code: awards.EConflict, Op: op, Message: "already exists", Err: err}
		case "23503", "23514", "22P02", "22001":
			return &awards.Error{Code: awards.EInvalid, Op: op, Message: "invalid input", Err: err}
		}
		// Connection exceptions (08) and operator intervention (57P: the
		// server shutting down or ending this connection) say the
		// database is going away, not that the request was wrong.
		if strings.HasPrefix(pgErr.Code, "08") || strings.HasPrefix(pgErr.Code, "57P") {
			return &awards.Error{Code: awards.EUnavailable, Op: op, Message: "database unavailable", Err: err}
		}
		return fmt.Errorf("%s: %w", op, err)
	}
	if pgconn.SafeToRetry(err) || errors.Is(err, context.DeadlineExceeded) || isConnectError(err) {
		return &awards.Error{Code: awards.EUnavailable, Op: op, Message: "database unavailable", Err: err}
	}
	return fmt.Errorf("%s: %w", op, err)
}

func isConnectError(err error) bool {
	var ce *pgconn.ConnectError
	return errors.As(err, &ce)
}
