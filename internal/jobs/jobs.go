package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/heder-awards/heder/internal/postgres"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/uptrace/bun"
)

// Client is River's client as Heder uses it: transactions are database/sql
// ones, the *sql.Tx under a bun.Tx.
type Client = river.Client[*sql.Tx]

// SoftStopTimeout is how long Stop lets running jobs finish before it
// cancels them. A cancelled job whose error wraps context.Canceled (as
// database errors do) goes back to the queue at once without counting an
// attempt; one that fails otherwise counts a failed attempt and is
// retried. Either way another replica, or this one after its next
// start, runs it again.
const SoftStopTimeout = 8 * time.Second

// RescueAfter is how long a job may stay running before River counts it
// as lost (its replica killed, or stopped before the job gave up) and
// runs it again elsewhere. It must exceed the longest job timeout, the
// mail jobs' ten minutes; River's default is an hour.
const RescueAfter = 15 * time.Minute

// New returns a client, not yet started, that works workers' jobs on db
// and, while it is the leader, inserts the periodic jobs. Its LISTEN
// connection is taken from db's pgx pool.
func New(db *postgres.DB, workers *river.Workers, logger *slog.Logger, periodic ...*river.PeriodicJob) (*Client, error) {
	client, err := river.NewClient(riverdatabasesql.NewWithPgxListener(db.DB.DB, db.Pool), &river.Config{
		Queues:               map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 10}},
		Workers:              workers,
		Logger:               logger.With("component", "river"),
		SoftStopTimeout:      SoftStopTimeout,
		RescueStuckJobsAfter: RescueAfter,
		PeriodicJobs:         periodic,
	})
	if err != nil {
		return nil, fmt.Errorf("river client: %w", err)
	}
	return client, nil
}

// inserter enqueues jobs inside callers' transactions. It holds no
// connection (the transaction brings its own), so one serves the process.
var inserter = sync.OnceValues(func() (*river.Client[*sql.Tx], error) {
	return river.NewClient(riverdatabasesql.New(nil), &river.Config{})
})

// InsertTx enqueues a job in tx, the transaction of the change that causes
// it: the job exists if and only if the change commits. It is the one way
// Heder enqueues a job; each use case owns its job's arguments.
func InsertTx(ctx context.Context, tx bun.Tx, args river.JobArgs, opts *river.InsertOpts) error {
	client, err := inserter()
	if err != nil {
		return fmt.Errorf("river inserter: %w", err)
	}
	if _, err := client.InsertTx(ctx, tx.Tx, args, opts); err != nil {
		return fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return nil
}
