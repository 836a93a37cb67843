package noark_test

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/files"
	"github.com/heder-awards/heder/internal/noark"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

func exportJob(id int64, attempt int) *river.Job[noark.ExportArgs] {
	return &river.Job[noark.ExportArgs]{JobRow: &rivertype.JobRow{Attempt: attempt, MaxAttempts: 3}, Args: noark.ExportArgs{ExportID: id}}
}

// TestExportJob asks for a published cycle's deposit as its owner would:
// the request is audited and its job enqueued with it, asking again while
// it is queued gets the same export, the job's file is the direct
// deposit byte for byte (with the same clock), its progress reaches every
// document, and the first download marks it and starts the day after
// which the clean-up removes it.
func TestExportJob(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	public := w.cycle("published")
	svc := noark.NewService(w.db, w.store)
	at := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	noark.SetNow(svc, func() time.Time { return at })
	admin := w.actor(w.admin)

	e, err := svc.RequestExport(w.ctx, admin, public)
	if err != nil {
		t.Fatal(err)
	}
	if e.State != noark.StateQueued || e.RequestedBy != "Astrid Admin" || e.Ready() {
		t.Errorf("a new export: %+v", e)
	}
	if again, err := svc.RequestExport(w.ctx, admin, public); err != nil || again.ID != e.ID {
		t.Errorf("asking again while queued: %+v, %v; want export %d", again, err, e.ID)
	}
	var jobs, audits int
	w.db.QueryRowContext(w.ctx, `SELECT count(*) FROM river_job WHERE kind = 'noark_export' AND (args->>'export_id')::bigint = ?`, e.ID).Scan(&jobs)
	w.db.QueryRowContext(w.ctx, `SELECT count(*) FROM audit_log WHERE action = 'request_noark_export' AND actor_id = ?`, w.admin).Scan(&audits)
	if jobs != 1 || audits != 1 {
		t.Errorf("%d jobs and %d audit entries for one export, want 1 and 1", jobs, audits)
	}

	worker := &noark.ExportWorker{Service: svc, Logger: slog.New(slog.DiscardHandler)}
	if err := worker.Work(w.ctx, exportJob(e.ID, 1)); err != nil {
		t.Fatal(err)
	}
	if e, err = svc.Export(w.ctx, admin, public, e.PublicID); err != nil {
		t.Fatal(err)
	}
	if e.State != noark.StateDone || !e.Ready() || e.Total == 0 || e.Done != e.Total || e.FinishedAt == nil || e.DownloadedAt != nil {
		t.Fatalf("the finished export: %+v", e)
	}
	t.Logf("the export: %d of %d documents, %d bytes, %s", e.Done, e.Total, e.Size, e.FileName)

	d, err := svc.Load(w.ctx, admin, public)
	if err != nil {
		t.Fatal(err)
	}
	var direct bytes.Buffer
	if err := svc.Write(w.ctx, &direct, d); err != nil {
		t.Fatal(err)
	}
	if e.FileName != d.Name() || e.Size != int64(direct.Len()) {
		t.Errorf("the export is %s of %d bytes, the direct deposit %s of %d", e.FileName, e.Size, d.Name(), direct.Len())
	}
	got, r, err := svc.OpenExport(w.ctx, admin, public, e.PublicID)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(r)
	r.Close()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(body, direct.Bytes()) {
		t.Errorf("the job's deposit differs from the direct one")
	}
	docs := 0
	for name := range untar(t, bytes.NewReader(body), t.TempDir()) {
		if strings.HasPrefix(name, "dokumenter/") {
			docs++
		}
	}
	if docs != e.Total {
		t.Errorf("progress counted %d documents, the deposit has %d", e.Total, docs)
	}
	if got.DownloadedAt == nil || got.RemovesAt() == nil || got.RemovesAt().Sub(*got.DownloadedAt) != noark.KeepAfterDownload {
		t.Errorf("the downloaded export: %+v", got)
	}
	// Another job for the same export finds it done and leaves it.
	if err := worker.Work(w.ctx, exportJob(e.ID, 1)); err != nil {
		t.Fatal(err)
	}

	// Kept for a day after the download, then removed.
	if n, err := svc.RemoveDownloaded(w.ctx); err != nil || n != 0 {
		t.Errorf("clean-up just after the download: %d, %v", n, err)
	}
	w.exec(`UPDATE noark_exports SET downloaded_at = now() - interval '25 hours' WHERE id = ?`, e.ID)
	if n, err := svc.RemoveDownloaded(w.ctx); err != nil || n != 1 {
		t.Errorf("clean-up a day after the download: %d, %v", n, err)
	}
	if _, err := w.store.Open(w.ctx, "noark5/"+e.PublicID+".tar"); !errors.Is(err, files.ErrNotFound) {
		t.Errorf("the removed export's file: %v", err)
	}
	if _, _, err := svc.OpenExport(w.ctx, admin, public, e.PublicID); awards.ErrorCode(err) != awards.EConflict {
		t.Errorf("downloading a removed export: %v, want a conflict", err)
	}
	next, err := svc.RequestExport(w.ctx, admin, public)
	if err != nil || next.ID == e.ID {
		t.Fatalf("asking after a finished export: %+v, %v; want a new one", next, err)
	}
	// An export whose job is gone is failed by the next request.
	w.exec(`DELETE FROM river_job WHERE kind = 'noark_export' AND (args->>'export_id')::bigint = ?`, next.ID)
	lost := next
	if next, err = svc.RequestExport(w.ctx, admin, public); err != nil || next.ID == lost.ID {
		t.Fatalf("asking while an export without a job holds the place: %+v, %v; want a new one", next, err)
	}
	if lost, err = svc.Export(w.ctx, admin, public, lost.PublicID); err != nil || lost.State != noark.StateFailed || lost.Error == "" {
		t.Errorf("the export without a job: %+v, %v", lost, err)
	}
	// A file not yet downloaded stays, unless the cycle's personal data
	// is erased after it was made: it holds the contact people.
	if err := worker.Work(w.ctx, exportJob(next.ID, 1)); err != nil {
		t.Fatal(err)
	}
	if n, err := svc.RemoveDownloaded(w.ctx); err != nil || n != 0 {
		t.Errorf("clean-up of a file not downloaded: %d, %v", n, err)
	}
	w.exec(`UPDATE cycles SET personal_data_erased_at = now() WHERE public_id = ?`, public)
	if n, err := svc.RemoveDownloaded(w.ctx); err != nil || n != 1 {
		t.Errorf("clean-up after the cycle's personal data was erased: %d, %v", n, err)
	}
}

// TestExportRefusals: the same refusals as the direct deposit, and a job
// whose cycle is no longer published fails at once with the reason.
func TestExportRefusals(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	public := w.cycle("published")
	svc := noark.NewService(w.db, w.store)
	admin := w.actor(w.admin)
	someone := w.actor(w.id(`INSERT INTO users (issuer, subject, name) VALUES ('test', 'someone', 'Noen') RETURNING id`))
	if _, err := svc.RequestExport(w.ctx, someone, public); awards.ErrorCode(err) != awards.EForbidden {
		t.Errorf("as someone: %v, want forbidden", err)
	}
	if _, err := svc.RequestExport(w.ctx, admin, "ukjent"); awards.ErrorCode(err) != awards.ENotFound {
		t.Errorf("an unknown cycle: %v, want not found", err)
	}
	e, err := svc.RequestExport(w.ctx, admin, public)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Export(w.ctx, someone, public, e.PublicID); awards.ErrorCode(err) != awards.EForbidden {
		t.Errorf("someone reading the export: %v, want forbidden", err)
	}
	if _, _, err := svc.OpenExport(w.ctx, admin, public, e.PublicID); awards.ErrorCode(err) != awards.EConflict {
		t.Errorf("downloading a queued export: %v, want a conflict", err)
	}
	w.exec(`UPDATE cycles SET phase = 'decided' WHERE public_id = ?`, public)
	if _, err := svc.RequestExport(w.ctx, admin, public); !errors.Is(err, noark.ErrNotPublished) || awards.ErrorCode(err) != awards.EConflict {
		t.Errorf("a cycle only decided: %v, want not published", err)
	}
	var cancel *river.JobCancelError
	if err := (&noark.ExportWorker{Service: svc, Logger: slog.New(slog.DiscardHandler)}).Work(w.ctx, exportJob(e.ID, 1)); !errors.As(err, &cancel) {
		t.Errorf("the job of a cycle no longer published: %v, want it cancelled", err)
	}
	if e, err = svc.Export(w.ctx, admin, public, e.PublicID); err != nil || e.State != noark.StateFailed || e.Error == "" || e.FinishedAt == nil {
		t.Errorf("the failed export: %+v, %v", e, err)
	}
}

// TestExportRetried: a deposit whose attachment is missing from the store
// goes back to the queue with the reason, for River to try again, and
// fails on the last try.
func TestExportRetried(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	public := w.cycle("published")
	svc := noark.NewService(w.db, w.store)
	admin := w.actor(w.admin)
	e, err := svc.RequestExport(w.ctx, admin, public)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.store.Delete(w.ctx, "vedlegg-1"); err != nil {
		t.Fatal(err)
	}
	worker := &noark.ExportWorker{Service: svc, Logger: slog.New(slog.DiscardHandler)}
	var cancel *river.JobCancelError
	if err := worker.Work(w.ctx, exportJob(e.ID, 1)); err == nil || errors.As(err, &cancel) {
		t.Errorf("the first try: %v, want an error to retry", err)
	}
	if e, err = svc.Export(w.ctx, admin, public, e.PublicID); err != nil || e.State != noark.StateQueued || !strings.Contains(e.Error, "vedlegg-1") {
		t.Errorf("after the first try: %+v, %v", e, err)
	}
	if err := worker.Work(w.ctx, exportJob(e.ID, 3)); err == nil {
		t.Error("the last try succeeded")
	}
	if e, err = svc.Export(w.ctx, admin, public, e.PublicID); err != nil || e.State != noark.StateFailed || e.FinishedAt == nil {
		t.Errorf("after the last try: %+v, %v", e, err)
	}
	if _, err := w.store.Open(w.ctx, "noark5/"+e.PublicID+".tar"); !errors.Is(err, files.ErrNotFound) {
		t.Errorf("a failed export left a file: %v", err)
	}
}
