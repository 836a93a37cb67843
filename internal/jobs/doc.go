// Package jobs runs Heder's background jobs with River, on the same
// PostgreSQL and the same pgx pool as everything else: jobs are enqueued
// in the transaction of the change that causes them (see
// nominations.EnqueueReceipt), and workers wake on LISTEN/NOTIFY. River's
// tables are created by postgres.Migrate.
package jobs
