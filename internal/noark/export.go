package noark

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/jobs"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/riverqueue/river"
	"github.com/uptrace/bun"
)

// The states of an export.
const (
	StateQueued  = "queued"
	StateRunning = "running"
	StateDone    = "done"
	StateFailed  = "failed"
)

// KeepAfterDownload is how long an export's file stays in the store after
// its first download, for a download that broke off to be tried again. Until
// then it is kept, however long that takes.
const KeepAfterDownload = 24 * time.Hour

// Export is a deposit made by the export job and kept in the file store.
type Export struct {
	ID            int64      `bun:"id"`
	PublicID      string     `bun:"public_id"`
	CycleID       int64      `bun:"cycle_id"`
	CyclePublicID string     `bun:"cycle_public_id"`
	RequestedBy   string     `bun:"requested_by"`
	State         string     `bun:"state"`
	Done          int        `bun:"documents_done"`
	Total         int        `bun:"documents_total"`
	StorageKey    string     `bun:"storage_key"`
	FileName      string     `bun:"file_name"`
	Size          int64      `bun:"size"`
	Error         string     `bun:"error"`
	CreatedAt     time.Time  `bun:"created_at"`
	FinishedAt    *time.Time `bun:"finished_at"`
	DownloadedAt  *time.Time `bun:"downloaded_at"`
	RemovedAt     *time.Time `bun:"removed_at"`
}

// Ready reports whether the file can be downloaded.
func (e Export) Ready() bool { return e.State == StateDone && e.RemovedAt == nil }

// RemovesAt is when the file will be removed: KeepAfterDownload after its
// first download; nil while it has not been downloaded.
func (e Export) RemovesAt() *time.Time {
	if e.DownloadedAt == nil || e.RemovedAt != nil {
		return nil
	}
	t := e.DownloadedAt.Add(KeepAfterDownload)
	return &t
}

const exportColumns = `e.id, e.public_id, e.cycle_id, c.public_id AS cycle_public_id, coalesce(u.name, '') AS requested_by,
	e.state, e.documents_done, e.documents_total, coalesce(e.storage_key, '') AS storage_key, e.file_name, coalesce(e.size, 0) AS size,
	e.error, e.created_at, e.finished_at, e.downloaded_at, e.removed_at
	FROM noark_exports e JOIN cycles c ON c.id = e.cycle_id LEFT JOIN users u ON u.id = e.requested_by`

// RequestExport asks for the deposit of cycle cyclePublicID to be made by
// the export job, with the same refusals as Load. While one is queued or
// running, asking again gets that one. The request is audited, and the
// job enqueued in its transaction.
//
// The job's row in River's table tells whether an export still being made
// has a job to finish it.
func (s *Service) RequestExport(ctx context.Context, actor *awards.Actor, cyclePublicID string) (Export, error) {
	c, err := cycles.StateByPublicID(ctx, s.db, cyclePublicID, cycles.NoLock)
	if err != nil {
		return Export{}, err
	}
	if err := depositable(actor, c.ID, c.Phase); err != nil {
		return Export{}, err
	}
	var id int64
	err = postgres.InTx(ctx, s.db, func(ctx context.Context, tx bun.Tx) error {
		// An export whose job is gone without finishing it (a panic on its
		// last try, a job removed by hand) would hold the cycle's place
		// for ever: it failed.
		if _, err := tx.ExecContext(ctx, `UPDATE noark_exports e SET state = 'failed', error = 'its job ended without finishing it', finished_at = now()
			WHERE e.cycle_id = ? AND e.state IN ('queued', 'running') AND NOT EXISTS (SELECT 1 FROM river_job j
				WHERE j.kind = 'noark_export' AND (j.args->>'export_id')::bigint = e.id AND j.state NOT IN ('completed', 'cancelled', 'discarded'))`,
			c.ID); err != nil {
			return err
		}
		// One being made is the answer; one that finishes between the
		// insert and the look-up leaves the place free for another try.
		for try := 0; ; try++ {
			err := tx.NewRaw(`INSERT INTO noark_exports (cycle_id, requested_by) VALUES (?, ?)
				ON CONFLICT (cycle_id) WHERE state IN ('queued', 'running') DO NOTHING RETURNING id`, c.ID, actor.User.ID).Scan(ctx, &id)
			if err == nil {
				break
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			err = tx.NewRaw(`SELECT id FROM noark_exports WHERE cycle_id = ? AND state IN ('queued', 'running')`, c.ID).Scan(ctx, &id)
			if !errors.Is(err, sql.ErrNoRows) || try == 2 {
				return err
			}
		}
		if err := audit.Record(ctx, tx, actor.User.ID, "request_noark_export", "cycle", c.ID, nil, map[string]int64{"export_id": id}); err != nil {
			return err
		}
		return jobs.InsertTx(ctx, tx, ExportArgs{ExportID: id}, nil)
	})
	if err != nil {
		return Export{}, postgres.Map("request the archive deposit of "+cyclePublicID, err)
	}
	return s.export(ctx, id)
}

func (s *Service) export(ctx context.Context, id int64) (Export, error) {
	var e Export
	if err := s.db.NewRaw(`SELECT `+exportColumns+` WHERE e.id = ?`, id).Scan(ctx, &e); err != nil {
		return Export{}, postgres.Map(fmt.Sprintf("load export %d", id), err)
	}
	return e, nil
}

// Export is the export exportPublicID of cycle cyclePublicID, for the
// cycle's administrators (EForbidden); ENotFound for an unknown cycle or
// export.
func (s *Service) Export(ctx context.Context, actor *awards.Actor, cyclePublicID, exportPublicID string) (Export, error) {
	cycleID, err := s.managedCycle(ctx, actor, cyclePublicID)
	if err != nil {
		return Export{}, err
	}
	var e Export
	if err := s.db.NewRaw(`SELECT `+exportColumns+` WHERE e.public_id = ? AND e.cycle_id = ?`, exportPublicID, cycleID).Scan(ctx, &e); err != nil {
		return Export{}, postgres.Map("load export "+exportPublicID, err)
	}
	return e, nil
}

// LatestExport is the cycle's newest export, if it has any, for the
// cycle's administrators.
func (s *Service) LatestExport(ctx context.Context, actor *awards.Actor, cyclePublicID string) (*Export, error) {
	cycleID, err := s.managedCycle(ctx, actor, cyclePublicID)
	if err != nil {
		return nil, err
	}
	var es []Export
	if err := s.db.NewRaw(`SELECT `+exportColumns+` WHERE e.cycle_id = ? ORDER BY e.created_at DESC, e.id DESC LIMIT 1`, cycleID).Scan(ctx, &es); err != nil {
		return nil, postgres.Map("load the latest export", err)
	}
	if len(es) == 0 {
		return nil, nil
	}
	return &es[0], nil
}

func (s *Service) managedCycle(ctx context.Context, actor *awards.Actor, cyclePublicID string) (int64, error) {
	var id int64
	if err := s.db.NewRaw(`SELECT id FROM cycles WHERE public_id = ?`, cyclePublicID).Scan(ctx, &id); err != nil {
		return 0, postgres.Map("load cycle "+cyclePublicID, err)
	}
	if !policy.CanManageCycle(actor, id) {
		return 0, awards.Errorf(awards.EForbidden, "only the cycle's administrators can export its archive deposit")
	}
	return id, nil
}

// OpenExport opens the file of a finished export for download and marks
// the export downloaded, which starts the KeepAfterDownload clock; each
// download is audited. EConflict while it is being made, after it failed,
// or once its file is removed. The caller closes the reader.
func (s *Service) OpenExport(ctx context.Context, actor *awards.Actor, cyclePublicID, exportPublicID string) (Export, io.ReadCloser, error) {
	e, err := s.Export(ctx, actor, cyclePublicID, exportPublicID)
	if err != nil {
		return Export{}, nil, err
	}
	switch {
	case e.State == StateFailed:
		return Export{}, nil, awards.Errorf(awards.EConflict, "the archive deposit could not be made: ask for a new one")
	case e.State != StateDone:
		return Export{}, nil, awards.Errorf(awards.EConflict, "the archive deposit is still being made (%d of %d documents)", e.Done, e.Total)
	case e.RemovedAt != nil:
		return Export{}, nil, awards.Errorf(awards.EConflict, "the archive deposit's file was removed a day after it was downloaded: ask for a new one")
	}
	r, err := s.store.Open(ctx, e.StorageKey)
	if err != nil {
		return Export{}, nil, fmt.Errorf("open the archive deposit %s: %w", e.PublicID, err)
	}
	err = postgres.InTx(ctx, s.db, func(ctx context.Context, tx bun.Tx) error {
		if err := tx.NewRaw(`UPDATE noark_exports SET downloaded_at = coalesce(downloaded_at, now()) WHERE id = ? RETURNING downloaded_at`,
			e.ID).Scan(ctx, &e.DownloadedAt); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor.User.ID, "download_noark_export", "cycle", e.CycleID, nil, map[string]int64{"export_id": e.ID})
	})
	if err != nil {
		r.Close()
		return Export{}, nil, postgres.Map("mark the archive deposit downloaded", err)
	}
	return e, r, nil
}

// ExportArgs is the job that makes one export's deposit.
type ExportArgs struct {
	ExportID int64 `json:"export_id" river:"unique"`
}

// Kind names the job in River's table.
func (ExportArgs) Kind() string { return "noark_export" }

// InsertOpts: a few tries, for a file store or database that was away.
func (ExportArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// ExportWorker works ExportArgs.
type ExportWorker struct {
	river.WorkerDefaults[ExportArgs]
	Service *Service
	Logger  *slog.Logger
}

// Timeout bounds the making and the store's write together (Put takes
// the job's deadline), under jobs.RescueAfter: 500 nominations with a
// 200 KB attachment each took 30 s on a busy 2-core machine.
func (w *ExportWorker) Timeout(*river.Job[ExportArgs]) time.Duration { return 10 * time.Minute }

// progressEvery is how often at most the job writes its progress.
const progressEvery = 500 * time.Millisecond

// Work makes the deposit into the file store. A failure is recorded on the
// export; the last try's failure fails it.
func (w *ExportWorker) Work(ctx context.Context, job *river.Job[ExportArgs]) error {
	err := w.Service.makeExport(ctx, job.Args.ExportID)
	if err == nil {
		return nil
	}
	state := StateQueued
	if job.Attempt >= job.MaxAttempts || errors.Is(err, errGiveUp) {
		state = StateFailed
	}
	// Recorded even when ctx has ended, so that the page does not show a
	// job running that is not.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if _, uerr := w.Service.db.ExecContext(rctx, `UPDATE noark_exports SET state = ?, error = ?, finished_at = CASE WHEN ? = 'failed' THEN now() END
		WHERE id = ? AND state IN ('queued', 'running')`, state, err.Error(), state, job.Args.ExportID); uerr != nil {
		w.Logger.ErrorContext(ctx, "record the archive deposit's failure", "export_id", job.Args.ExportID, "error", uerr)
	}
	if errors.Is(err, errGiveUp) {
		return river.JobCancel(err)
	}
	return err
}

// errGiveUp marks what another try would not mend.
var errGiveUp = errors.New("cannot be made")

// errStoreGaveUp stops the making of a deposit that the store no longer
// takes.
var errStoreGaveUp = errors.New("the file store gave up")

// counter counts the bytes written through it.
type counter struct {
	w io.Writer
	n int64
}

func (c *counter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func (s *Service) makeExport(ctx context.Context, id int64) error {
	var e Export
	err := s.db.NewRaw(`UPDATE noark_exports e SET state = 'running', documents_done = 0, error = '' FROM cycles c
		WHERE e.id = ? AND c.id = e.cycle_id AND e.state IN ('queued', 'running')
		RETURNING e.id, e.public_id, c.public_id AS cycle_public_id`, id).Scan(ctx, &e)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // done or failed already, or its cycle is gone
	}
	if err != nil {
		return fmt.Errorf("start export %d: %w", id, err)
	}
	d, err := s.load(ctx, e.CyclePublicID, func(c cycles.State) error {
		if c.Phase != awards.PhasePublished {
			return fmt.Errorf("%w: the cycle is %s", errGiveUp, c.Phase)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("export %d: %w", id, err)
	}
	var progressErr error
	last := time.Time{}
	progress := func(done, total int) {
		if progressErr != nil || (done > 0 && done < total && time.Since(last) < progressEvery) {
			return
		}
		last = time.Now()
		_, progressErr = s.db.ExecContext(ctx, `UPDATE noark_exports SET documents_done = ?, documents_total = ? WHERE id = ?`, done, total, id)
	}
	// Streamed into the store as it is made: no copy on local disk or in
	// memory, however large. A failed making fails the Put, which then
	// stores nothing.
	key := "noark5/" + e.PublicID + ".tar"
	pr, pw := io.Pipe()
	out := &counter{w: pw}
	written := make(chan error, 1)
	go func() {
		err := d.Write(ctx, out, s.store, s.now(), progress)
		pw.CloseWithError(err)
		written <- err
	}()
	putErr := s.store.Put(ctx, key, pr)
	pr.CloseWithError(errStoreGaveUp) // a Put that gave up early stops the making
	if err := <-written; err != nil && !errors.Is(err, errStoreGaveUp) {
		return fmt.Errorf("export %d: %w", id, err)
	}
	if putErr != nil {
		return fmt.Errorf("export %d: %w", id, putErr)
	}
	if progressErr != nil {
		// Stored, but the progress could not be told: the next try makes it again.
		return fmt.Errorf("export %d: progress: %w", id, progressErr)
	}
	size := out.n
	if _, err := s.db.ExecContext(ctx, `UPDATE noark_exports SET state = 'done', storage_key = ?, file_name = ?, size = ?,
		documents_done = documents_total, finished_at = now() WHERE id = ?`, key, d.Name(), size, id); err != nil {
		return fmt.Errorf("export %d: finish: %w", id, err)
	}
	return nil
}

// RemoveDownloaded removes the files of exports downloaded more than
// KeepAfterDownload ago, and of exports made before their cycle's personal
// data was erased (they hold the contact people that the erasure took
// away). It returns how many it removed.
func (s *Service) RemoveDownloaded(ctx context.Context) (int, error) {
	var due []Export
	if err := s.db.NewRaw(`SELECT e.id, e.storage_key FROM noark_exports e JOIN cycles c ON c.id = e.cycle_id
		WHERE e.storage_key IS NOT NULL AND e.removed_at IS NULL
		  AND (e.downloaded_at <= now() - ?::interval OR c.personal_data_erased_at > e.created_at)
		ORDER BY e.id`, fmt.Sprintf("%d seconds", int64(KeepAfterDownload.Seconds()))).Scan(ctx, &due); err != nil {
		return 0, postgres.Map("find archive deposits to remove", err)
	}
	for i, e := range due {
		if err := s.store.Delete(ctx, e.StorageKey); err != nil {
			return i, err
		}
		if _, err := s.db.ExecContext(ctx, `UPDATE noark_exports SET removed_at = now() WHERE id = ?`, e.ID); err != nil {
			return i, postgres.Map("mark the archive deposit removed", err)
		}
	}
	return len(due), nil
}

// CleanupArgs is the hourly job that runs RemoveDownloaded.
type CleanupArgs struct{}

// Kind names the job in River's table.
func (CleanupArgs) Kind() string { return "noark_export_cleanup" }

// CleanupJob runs the clean-up hourly on River's leader.
func CleanupJob() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
		func() (river.JobArgs, *river.InsertOpts) {
			return CleanupArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: 10 * time.Minute}}
		}, &river.PeriodicJobOpts{ID: "noark_export_cleanup", RunOnStart: true})
}

// CleanupWorker works CleanupArgs.
type CleanupWorker struct {
	river.WorkerDefaults[CleanupArgs]
	Service *Service
	Logger  *slog.Logger
}

// Work runs RemoveDownloaded and logs what it removed.
func (w *CleanupWorker) Work(ctx context.Context, _ *river.Job[CleanupArgs]) error {
	n, err := w.Service.RemoveDownloaded(ctx)
	if n > 0 {
		w.Logger.InfoContext(ctx, "archive deposits removed", "count", n)
	}
	return err
}
