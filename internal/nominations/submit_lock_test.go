package nominations_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/nominations"
	"github.com/uptrace/bun"
)

// hold runs query in a transaction of its own and keeps that open (and
// its locks held) until the returned function commits it; calling that
// again does nothing.
func (e *env) hold(query string, args ...any) (bun.Tx, func()) {
	e.t.Helper()
	tx, err := e.db.BeginTx(e.ctx, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := tx.ExecContext(e.ctx, query, args...); err != nil {
		_ = tx.Rollback()
		e.t.Fatal(err)
	}
	var once sync.Once
	return tx, func() {
		once.Do(func() {
			if err := tx.Commit(); err != nil {
				e.t.Error(err)
			}
		})
	}
}

// waitForLockWaiter waits until a session of this test's database waits
// for a row lock.
func (e *env) waitForLockWaiter() {
	e.t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if e.count(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`) > 0 {
			return
		}
	}
	e.t.Fatal("nobody came to wait for the lock")
}

// TestSubmitLocks: submitting a draft does not queue for the cycle's row
// lock (the last minute before a deadline would otherwise serialise every
// submission in the cycle), while submitting a withdrawn nomination again
// counts the limit under it, also when the withdrawal happens while the
// submission is under way. A draft's project, changed meanwhile, is
// written before the submission raises the jury screens' version, which
// that change does not raise.
func TestSubmitLocks(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cycle := e.open()
	kari := e.actor("kari", false, "Asker")

	t.Run("draft's project written meanwhile", func(t *testing.T) {
		v, err := e.s.Create(e.ctx, kari, cycle, 0, nominations.Fields{})
		if err != nil {
			t.Fatal(err)
		}
		v = e.complete(kari, v.PublicID)
		version := func() int {
			return e.count(`SELECT version FROM jury_screen_versions WHERE cycle_id = ?`, e.cycleID(cycle))
		}
		before := version()
		_, release := e.hold(`UPDATE projects SET title = 'Holmen svømmehall og bad' WHERE public_id = ?`, v.Projects[0].PublicID)
		defer release()
		done := make(chan error, 1)
		go func() { _, err := e.s.Submit(e.ctx, kari, v.PublicID); done <- err }()
		e.waitForLockWaiter()
		select {
		case err := <-done:
			t.Fatalf("the submission did not wait for the project's writer: %v", err)
		case <-time.After(200 * time.Millisecond):
		}
		release()
		if got := version(); got != before {
			t.Errorf("the draft's project raised the screens' version from %d to %d", before, got)
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if got := version(); got != before+1 {
			t.Errorf("the submission left the screens' version at %d, want %d", got, before+1)
		}
		e.exec(`DELETE FROM nominations`)
	})

	t.Run("draft", func(t *testing.T) {
		v, err := e.s.Create(e.ctx, kari, cycle, 0, nominations.Fields{})
		if err != nil {
			t.Fatal(err)
		}
		e.complete(kari, v.PublicID)
		_, release := e.hold(`SELECT 1 FROM cycles WHERE public_id = ? FOR UPDATE`, cycle)
		defer release()
		ctx, cancel := context.WithTimeout(e.ctx, 5*time.Second)
		defer cancel()
		if got, err := e.s.Submit(ctx, kari, v.PublicID); err != nil || got.Status != awards.StatusSubmitted {
			t.Fatalf("submit while the cycle is locked: %v %v", got.Status, err)
		}
		// Withdrawn, its submission again waits for the cycle's lock.
		if _, err := e.s.Withdraw(ctx, kari, v.PublicID); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { _, err := e.s.Submit(ctx, kari, v.PublicID); done <- err }()
		e.waitForLockWaiter()
		select {
		case err := <-done:
			t.Fatalf("resubmit did not wait for the cycle's lock: %v", err)
		default:
		}
		release()
		if err := <-done; err != nil {
			t.Fatalf("resubmit after the lock was released: %v", err)
		}
		e.exec(`DELETE FROM nominations`)
	})

	t.Run("withdrawn meanwhile", func(t *testing.T) {
		v, err := e.s.Create(e.ctx, kari, cycle, 0, nominations.Fields{})
		if err != nil {
			t.Fatal(err)
		}
		e.complete(kari, v.PublicID)
		// Someone holds the nomination while the submission looks at it as
		// a draft, and withdraws it; meanwhile someone else holds the cycle
		// and takes the organisation's one place with another nomination.
		a, releaseA := e.hold(`SELECT 1 FROM nominations WHERE public_id = ? FOR UPDATE`, v.PublicID)
		defer releaseA()
		done := make(chan error, 1)
		go func() { _, err := e.s.Submit(e.ctx, kari, v.PublicID); done <- err }()
		e.waitForLockWaiter()
		if _, err := a.ExecContext(e.ctx, `UPDATE nominations SET status = 'withdrawn' WHERE public_id = ?`, v.PublicID); err != nil {
			t.Fatal(err)
		}
		b, releaseB := e.hold(`SELECT 1 FROM cycles WHERE public_id = ? FOR UPDATE`, cycle)
		defer releaseB()
		// Raw, not pgtest.Seed: the row is made inside b, which holds the cycle.
		if _, err := b.ExecContext(e.ctx, `WITH n AS (INSERT INTO nominations (cycle_id, title) SELECT id, 'Den andre' FROM cycles WHERE public_id = ? RETURNING id)
			INSERT INTO nomination_organisations (nomination_id, organisation_id) SELECT id, ? FROM n`, cycle, e.orgs["Asker"]); err != nil {
			t.Fatal(err)
		}
		releaseA()
		// Now withdrawn, the submission must count the limit under the
		// cycle's lock: it waits for the other one.
		select {
		case err := <-done:
			t.Fatalf("the submission did not wait for the cycle's lock: %v", err)
		case <-time.After(500 * time.Millisecond):
		}
		releaseB()
		wantCode(t, "submit of a nomination withdrawn meanwhile, over the limit", <-done, awards.EConflict, "organisation_id")
		if n := e.count(`SELECT count(*) FROM nominations WHERE status = 'submitted'`); n != 0 {
			t.Errorf("%d submitted, want 0", n)
		}
	})
}
