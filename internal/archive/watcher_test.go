package archive_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/archive"
	"github.com/uptrace/bun"
)

// waitFor polls cond for up to five seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestWatcher checks that a committed write to anything public moves the
// generation on, that a rolled-back one does not, and that the watcher
// stops with its context.
func TestWatcher(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx, cancel := context.WithCancel(e.ctx)
	w := archive.StartWatcher(ctx, e.db.Pool, slog.New(slog.DiscardHandler))
	waitFor(t, "the watcher to listen", func() bool { _, live := w.Generation(); return live })
	gen, _ := w.Generation()

	errRollback := errors.New("roll back")
	err := e.db.RunInTx(e.ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE awards SET name_nn = 'Kommunal innovasjonspris (nn)'`); err != nil {
			return err
		}
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	if now, _ := w.Generation(); now != gen {
		t.Errorf("a rolled-back write moved the generation from %d to %d", gen, now)
	}

	// The writes are what is under test, raw: each must move the generation.
	for _, write := range []string{
		`UPDATE awards SET name_nn = 'Kommunal innovasjonspris (nn)'`,
		`INSERT INTO announcements (cycle_id, kind, publish_at) SELECT id, 'winners', now() FROM cycles LIMIT 1`,
		`UPDATE organisations SET name = name WHERE number = '3203'`,
	} {
		e.exec(write)
		waitFor(t, "the generation to move after "+write, func() bool { now, _ := w.Generation(); return now > gen })
		gen, _ = w.Generation()
	}

	cancel()
	select {
	case <-w.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the watcher did not stop with its context")
	}
	if _, live := w.Generation(); live {
		t.Error("a stopped watcher says it is live")
	}
}
