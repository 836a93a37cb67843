package archive

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/heder-awards/heder/internal/postgres"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/puddle/v2"
)

// channel is where the triggers of migration
// 20261124190000_create_public_archive announce writes.
const channel = "heder_public"

// Watcher follows writes to anything the archive shows, so that caches of
// public answers can be dropped the moment such a write commits, on every
// replica. It keeps one connection of its own, listening; while that
// connection is down it says so (Generation's live is false), and caches
// must then not answer from memory.
type Watcher struct {
	pool   *pgxpool.Pool
	logger *slog.Logger
	gen    atomic.Uint64
	live   atomic.Bool
	done   chan struct{}
}

// StartWatcher starts listening on a connection made like pool's. It
// stops when ctx ends, or for good once pool is closed.
func StartWatcher(ctx context.Context, pool *pgxpool.Pool, logger *slog.Logger) *Watcher {
	w := &Watcher{pool: pool, logger: logger, done: make(chan struct{})}
	go w.run(ctx)
	return w
}

// Generation returns a number that grows whenever public data may have
// changed, and whether the watcher is listening (when it is not, any
// answer kept from before may be stale).
func (w *Watcher) Generation() (gen uint64, live bool) {
	return w.gen.Load(), w.live.Load()
}

// Done is closed when the watcher has stopped.
func (w *Watcher) Done() <-chan struct{} { return w.done }

// probe is how often an idle listening connection checks that the pool
// it belongs to is still open.
const probe = 10 * time.Second

func (w *Watcher) run(ctx context.Context) {
	defer close(w.done)
	backoff := 100 * time.Millisecond
	for {
		err := w.listen(ctx)
		w.live.Store(false)
		w.gen.Add(1)
		if ctx.Err() != nil || w.closed(ctx) {
			return
		}
		w.logger.WarnContext(ctx, "public archive watcher lost its connection", "error", err, "retry_in", backoff.String())
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 10*time.Second)
	}
}

// closed reports whether the pool has been closed (the process is
// shutting down), by asking it for a connection.
func (w *Watcher) closed(ctx context.Context) bool {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	c, err := w.pool.Acquire(ctx)
	if err != nil {
		return errors.Is(err, puddle.ErrClosedPool)
	}
	c.Release()
	return false
}

func (w *Watcher) listen(ctx context.Context) error {
	conn, err := pgx.ConnectConfig(ctx, w.pool.Config().ConnConfig)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+channel); err != nil {
		return err
	}
	// Anything cached before now may have missed a write.
	w.gen.Add(1)
	w.live.Store(true)
	for {
		wctx, cancel := context.WithTimeout(ctx, probe)
		_, err := conn.WaitForNotification(wctx)
		cancel()
		switch {
		case err == nil:
			w.gen.Add(1)
		case ctx.Err() != nil:
			return ctx.Err()
		case wctx.Err() != nil:
			// Idle: make sure the pool (and so the app) is still there.
			if w.closed(ctx) {
				return nil
			}
		default:
			return err
		}
	}
}

// Horizon returns the database's clock and the next instant at which
// public answers change by time alone: the earliest live announcement
// still ahead (public_horizon), or nil when none is scheduled.
func (s *Service) Horizon(ctx context.Context) (now time.Time, next *time.Time, err error) {
	var r struct {
		Now  time.Time  `bun:"db_now"`
		Next *time.Time `bun:"next_change"`
	}
	err = s.db.NewRaw(`SELECT db_now, next_change FROM public_horizon`).Scan(ctx, &r)
	if err != nil {
		return time.Time{}, nil, postgres.Map("read public horizon", err)
	}
	return r.Now, r.Next, nil
}
