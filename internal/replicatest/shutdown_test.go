package replicatest_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/app"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/heder-awards/heder/internal/replicatest"
)

// waitUntil polls cond every 20 ms and fails the test after timeout.
func waitUntil(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not after %s", what, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// lockWaits counts the database sessions waiting for a lock in a query
// that contains fragment.
func lockWaits(t *testing.T, db *postgres.DB, fragment string) int {
	t.Helper()
	var n int
	err := db.QueryRowContext(context.Background(), `SELECT count(*) FROM pg_stat_activity
		WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%' || ? || '%'`, fragment).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// receiptJob is a receipt job's row in River's table.
type receiptJob struct {
	State       string   `bun:"state"`
	Attempt     int      `bun:"attempt"`
	AttemptedBy []string `bun:"attempted_by,array"`
	Errors      int      `bun:"errors"`
}

func jobOf(t *testing.T, db *postgres.DB, nomination int64) receiptJob {
	t.Helper()
	var j receiptJob
	err := db.NewRaw(`SELECT state, attempt, coalesce(attempted_by, '{}') AS attempted_by, coalesce(array_length(errors, 1), 0) AS errors
		FROM river_job WHERE kind = 'nomination_receipt' AND (args->>'nomination_id')::bigint = ?`, nomination).Scan(context.Background(), &j)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// TestGracefulShutdown sends SIGTERM to a replica while a request waits
// for a row lock, one job's mail is being sent and another job waits for
// a lock. The replica refuses new connections at once, finishes the
// request and the mail, hands the stuck job back when its time is up,
// and exits 0 within the bound. Another replica then does that job, once,
// and it counts no failed attempt.
func TestGracefulShutdown(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := replicatest.Start(t, replicatest.Options{Replicas: 2})
	r0, r1 := d.Replicas[0], d.Replicas[1]
	// Replica 2 waits until replica 1 has stopped, so replica 1 takes the jobs.
	began := time.Now()
	if err := r1.Stop(t); err != nil || time.Since(began) > 3*time.Second {
		t.Fatalf("an idle replica stopped in %s with %v", time.Since(began), err)
	}
	db := d.DB(t)
	cycleID, cycle := openCycle(t, db)
	asker := r0.Login(t, "asker")
	status, body := r0.Do(t, asker, http.MethodPost, "/api/v1/cycles/"+cycle+"/nominations", `{"title":"Før nedstenging"}`)
	var created struct{ ID string }
	if status != http.StatusCreated || json.Unmarshal([]byte(body), &created) != nil {
		t.Fatalf("create: %d %.300s", status, body)
	}

	// The request: the test holds the nomination's row, so the save waits.
	rowLock, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rowLock.Rollback()
	if _, err := rowLock.ExecContext(ctx, `SELECT 1 FROM nominations WHERE public_id = ? FOR UPDATE`, created.ID); err != nil {
		t.Fatal(err)
	}
	type result struct {
		status int
		body   string
		err    error
	}
	saved := make(chan result, 1)
	go func() {
		status, body, err := r0.TryDo(asker, http.MethodPatch, "/api/v1/nominations/"+created.ID, `{"version":1,"title":"Lagret under nedstenging"}`)
		saved <- result{status, body, err}
	}()

	// Two receipts: the mail server holds its answer to the first for 3 s;
	// the test holds the second one's receipt row, so its job waits.
	subs := newSubmissions(t, db, cycleID, 2)
	receiptLock, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer receiptLock.Rollback()
	if _, err := receiptLock.ExecContext(ctx, `INSERT INTO receipt_mails (nomination_id, submitted_at, user_id, organisation_id)
		SELECT n.id, n.submitted_at, m.user_id, no.organisation_id FROM nominations n
		JOIN nomination_organisations no ON no.nomination_id = n.id JOIN memberships m ON m.organisation_id = no.organisation_id
		WHERE n.id = ?`, subs[1].ID); err != nil {
		t.Fatal(err)
	}
	d.Mail.SetReplyDelay(3 * time.Second)
	enqueueReceipts(t, db, subs)
	stopping := r0.JobClientID(t)
	waitUntil(t, "the save waits for its row", 10*time.Second, func() bool { return lockWaits(t, db, "UPDATE nominations") == 1 })
	waitUntil(t, "the first receipt is being sent", 10*time.Second, func() bool { return d.Mail.Held() == 1 })
	waitUntil(t, "the second receipt waits for its row", 10*time.Second, func() bool { return lockWaits(t, db, "receipt_mails") == 1 })

	r0.Signal(t, syscall.SIGTERM)
	signalled := time.Now()
	waitUntil(t, "new connections refused", 2*time.Second, func() bool {
		conn, err := net.DialTimeout("tcp", r0.Addr, 200*time.Millisecond)
		if err == nil {
			conn.Close()
		}
		return err != nil
	})
	select {
	case res := <-saved:
		t.Fatalf("the save ended before its row was free: %+v", res)
	default:
	}
	// Free the row after 5 s: the request and the jobs must get their time
	// side by side, or the 3 s mail and the stuck job's 8 s come after it.
	time.Sleep(time.Until(signalled.Add(5 * time.Second)))
	if err := rowLock.Rollback(); err != nil {
		t.Fatal(err)
	}
	res := <-saved
	if res.err != nil || res.status != http.StatusOK || !strings.Contains(res.body, `"version":2`) {
		t.Errorf("the save in flight at SIGTERM: %d %v %.300s", res.status, res.err, res.body)
	}
	err = r0.Wait(t, replicatest.StopTimeout)
	took := time.Since(signalled)
	if err != nil || took > app.ShutdownTimeout+2*time.Second {
		t.Errorf("the replica exited with %v %s after SIGTERM, want status 0 within %s", err, took.Round(time.Millisecond), app.ShutdownTimeout)
	}
	t.Logf("exited %s after SIGTERM", took.Round(time.Millisecond))

	// The mail being sent went out and its job completed; the stuck job
	// was handed back without counting an attempt.
	if j := jobOf(t, db, subs[0].ID); j.State != "completed" || j.Attempt != 1 || !slices.Equal(j.AttemptedBy, []string{stopping}) {
		t.Errorf("the job whose mail was being sent: %+v", j)
	}
	if j := jobOf(t, db, subs[1].ID); j.State != "available" || j.Attempt != 0 || j.Errors != 0 {
		t.Errorf("the stuck job after the stop: %+v, want available with no attempt counted", j)
	}

	// Another replica takes it once the row is free.
	if err := receiptLock.Rollback(); err != nil {
		t.Fatal(err)
	}
	d.Mail.SetReplyDelay(0)
	restarted := time.Now()
	r1.Start(t)
	other := r1.JobClientID(t)
	var j receiptJob
	waitUntil(t, "the handed-back job completed", 20*time.Second, func() bool {
		j = jobOf(t, db, subs[1].ID)
		return j.State == "completed"
	})
	t.Logf("the other replica started and completed the handed-back job in %s", time.Since(restarted).Round(time.Millisecond))
	if j.Attempt != 1 || j.Errors != 0 || !slices.Equal(j.AttemptedBy, []string{stopping, other}) {
		t.Errorf("the handed-back job: %+v, want one attempt by %s after %s", j, other, stopping)
	}
	got := map[string]int{}
	for _, m := range d.Mail.Messages() {
		text, _ := m.Text()
		if match := receiptLink.FindStringSubmatch(text); match != nil {
			got[match[2]]++
		}
	}
	if len(got) != 2 || got[subs[0].PublicID] != 1 || got[subs[1].PublicID] != 1 {
		t.Errorf("receipts at the mail server: %v, want one each of %s and %s", got, subs[0].PublicID, subs[1].PublicID)
	}
}
