package replicatest_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/jobs"
	"github.com/heder-awards/heder/internal/nominations"
	"github.com/heder-awards/heder/internal/outbox"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/heder-awards/heder/internal/replicatest"
	"github.com/uptrace/bun"
)

// TestOutboxReplicas: outbox messages queued by the changes that cause
// them (nominations marked ineligible), each with two more sending jobs
// as if rescued twice, are sent exactly once across three replicas.
func TestOutboxReplicas(t *testing.T) {
	t.Parallel()
	d := replicatest.Start(t, replicatest.Options{Replicas: 3})
	db := d.DB(t)
	ctx := context.Background()
	cycleID, _ := openCycle(t, db)
	var admin int64
	if err := db.QueryRowContext(ctx, `INSERT INTO users (issuer, subject, name, is_admin) VALUES ('test', 'outbox-admin', 'Astrid', true) RETURNING id`).
		Scan(&admin); err != nil {
		t.Fatal(err)
	}
	actor := &awards.Actor{User: awards.User{ID: admin, IsAdmin: true}}
	const n = 100
	subs := newSubmissions(t, db, cycleID, n)
	svc := nominations.NewService(db)
	for _, s := range subs {
		if _, err := svc.SetIneligible(ctx, actor, s.PublicID, true, "Kom etter fristen."); err != nil {
			t.Fatalf("mark %s ineligible: %v", s.PublicID, err)
		}
	}
	err := postgres.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		var ids []int64
		if err := tx.NewRaw(`SELECT id FROM outbox_messages`).Scan(ctx, &ids); err != nil {
			return err
		}
		if len(ids) != n {
			return fmt.Errorf("%d messages queued, want %d", len(ids), n)
		}
		for _, id := range ids {
			for range 2 {
				if err := jobs.InsertTx(ctx, tx, outbox.SendArgs{MessageID: id}, nil); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	d.Mail.WaitMessages(t, n, 60*time.Second)
	deadline := time.Now().Add(20 * time.Second)
	var pending int
	for {
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM river_job WHERE kind = 'outbox_send' AND state <> 'completed'`).Scan(&pending); err != nil {
			t.Fatal(err)
		}
		if pending == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if pending != 0 {
		t.Errorf("%d sending jobs not completed", pending)
	}
	time.Sleep(time.Second) // a duplicate would arrive about now
	got := map[string]int{}
	for _, m := range d.Mail.Messages() {
		subject, err := m.Header("Subject")
		if err != nil || len(m.To) != 1 || m.To[0] != "kari@asker.kommune.no" || !strings.HasSuffix(subject, "» er vurdert som ikke kvalifisert") {
			t.Fatalf("not a notice to Kari (%v): %v %q", err, m.To, subject)
		}
		got[subject]++
	}
	for subject, times := range got {
		if times != 1 {
			t.Errorf("%q arrived %d times", subject, times)
		}
	}
	if len(got) != n {
		t.Errorf("%d distinct notices, want %d", len(got), n)
	}
	var bad int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM outbox_messages WHERE state <> 'sent' OR attempts <> 1`).Scan(&bad); err != nil || bad != 0 {
		t.Errorf("%d messages not sent once (%v)", bad, err)
	}
	var replicas int
	if err := db.QueryRowContext(ctx, `SELECT count(DISTINCT attempted_by[1]) FROM river_job WHERE kind = 'outbox_send'`).Scan(&replicas); err == nil {
		t.Logf("%d notices, %d sending jobs, worked by %d replicas", n, 3*n, replicas)
	}
}
