package replicatest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/nominations"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/heder-awards/heder/internal/replicatest"
	"github.com/uptrace/bun"
)

func TestMain(m *testing.M) { replicatest.Main(m) }

// openCycle returns the demo's open cycle, its ID and public ID, without
// the demo's own nominations in it (Asker's draft would use Asker's one
// nomination), so that each test starts from an empty call.
func openCycle(t *testing.T, db *postgres.DB) (int64, string) {
	t.Helper()
	ctx := context.Background()
	var id int64
	var publicID string
	err := db.QueryRowContext(ctx, `
		SELECT c.id, c.public_id FROM cycles c JOIN awards a ON a.id = c.award_id
		WHERE a.slug = 'kommunal-innovasjonspris' AND c.phase = 'open'`).Scan(&id, &publicID)
	if err != nil {
		t.Fatalf("open demo cycle: %v", err)
	}
	if _, err := db.ExecContext(ctx, `DELETE FROM nominations WHERE cycle_id = ?`, id); err != nil {
		t.Fatalf("empty the open demo cycle: %v", err)
	}
	return id, publicID
}

// submission is a submitted nomination.
type submission struct {
	ID       int64  `bun:"id"`
	PublicID string `bun:"public_id"` // the receipt number
}

// newSubmissions adds n submitted nominations of Asker kommune (whose one
// member is the demo user asker) to cycle.
func newSubmissions(t *testing.T, db *postgres.DB, cycle int64, n int) []submission {
	t.Helper()
	var subs []submission
	err := db.NewRaw(`
		WITH asker AS (SELECT id FROM organisations WHERE kind = 'municipality' AND number = '3203' AND valid_to IS NULL),
		n AS (INSERT INTO nominations (cycle_id, title, status, submitted_at)
			SELECT ?, 'Innsending ' || g, 'submitted', now() FROM generate_series(1, ?) g RETURNING id, public_id),
		no AS (INSERT INTO nomination_organisations (nomination_id, organisation_id) SELECT n.id, asker.id FROM n, asker)
		SELECT id, public_id FROM n ORDER BY id`, cycle, n).Scan(context.Background(), &subs)
	if err != nil || len(subs) != n {
		t.Fatalf("submitted nominations: %d of %d: %v", len(subs), n, err)
	}
	return subs
}

// enqueueReceipts enqueues the receipt job of every submission in one
// transaction, as submitting enqueues it (nominations.EnqueueReceipt).
func enqueueReceipts(t *testing.T, db *postgres.DB, subs []submission) {
	t.Helper()
	err := postgres.InTx(context.Background(), db, func(ctx context.Context, tx bun.Tx) error {
		for _, s := range subs {
			if err := nominations.EnqueueReceipt(ctx, tx, s.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("enqueue receipts: %v", err)
	}
}

var receiptLink = regexp.MustCompile(`(http://[0-9.:]+)/nominasjoner/([0-9a-f]+)/kvittering`)

// TestReplicas runs three `heder serve` processes on one database (they
// migrate it together at start): a session begun on one replica goes on
// on the others, two replicas saving one nomination at once end with one
// save and one conflict, and 1,000 queued receipts are each sent once
// across the three job workers.
func TestReplicas(t *testing.T) {
	t.Parallel()
	start := time.Now()
	d := replicatest.Start(t, replicatest.Options{Replicas: 3})
	t.Logf("three replicas up, migrated and seeded in %s", time.Since(start).Round(time.Millisecond))
	db := d.DB(t)
	r := d.Replicas
	cycleID, cycle := openCycle(t, db)
	// They started together on an empty database: one migrated it, the
	// others waited for the lock and found nothing to do.
	migrated := 0
	for _, rep := range r {
		if strings.Contains(rep.Logs(), `"msg":"migrated"`) {
			migrated++
		}
	}
	if migrated != 1 {
		t.Errorf("%d replicas applied migrations, want 1", migrated)
	}

	// Log in on replica 1; the same cookie works on 2 and 3.
	asker := r[0].Login(t, "asker")
	for _, rep := range r {
		status, body := rep.Do(t, asker, http.MethodGet, "/api/v1/me", "")
		if status != http.StatusOK || !strings.Contains(body, `"subject":"asker"`) {
			t.Fatalf("replica %d /api/v1/me with replica 1's session: %d %.300s", rep.Index+1, status, body)
		}
	}

	// /metrics is on the address of its own only, never on the public one.
	for _, rep := range r {
		if status, _ := rep.Do(t, &http.Client{}, http.MethodGet, "/metrics", ""); status != http.StatusNotFound {
			t.Errorf("replica %d: /metrics on the public address: %d, want 404", rep.Index+1, status)
		}
		resp, err := http.Get("http://" + rep.MetricsAddr + "/metrics")
		if err != nil {
			t.Fatalf("replica %d: /metrics on HEDER_METRICS_ADDR: %v", rep.Index+1, err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), "heder_http_requests_total") {
			t.Errorf("replica %d: /metrics on HEDER_METRICS_ADDR: %d %.200s", rep.Index+1, resp.StatusCode, b)
		}
	}

	// Create on replica 1, then save from replicas 2 and 3 at once, both
	// from version 1: one save wins, the other is told someone else saved.
	status, body := r[0].Do(t, asker, http.MethodPost, "/api/v1/cycles/"+cycle+"/nominations", `{"title":"Løsningsjakten"}`)
	var created struct {
		ID      string `json:"id"`
		Version int    `json:"version"`
	}
	if status != http.StatusCreated || json.Unmarshal([]byte(body), &created) != nil || created.Version != 1 {
		t.Fatalf("create on replica 1: %d %.300s", status, body)
	}
	var (
		wg       sync.WaitGroup
		statuses [2]int
		bodies   [2]string
		errs     [2]error
		ready    = make(chan struct{})
	)
	for i, rep := range r[1:] {
		wg.Go(func() {
			<-ready
			statuses[i], bodies[i], errs[i] = rep.TryDo(asker, http.MethodPatch, "/api/v1/nominations/"+created.ID,
				fmt.Sprintf(`{"version":1,"title":"Lagret på replika %d"}`, rep.Index+1))
		})
	}
	close(ready)
	wg.Wait()
	if errs[0] != nil || errs[1] != nil {
		t.Fatalf("concurrent saves: %v / %v", errs[0], errs[1])
	}
	winner, loser := 0, 1
	if statuses[1] == http.StatusOK {
		winner, loser = 1, 0
	}
	if statuses[winner] != http.StatusOK || statuses[loser] != http.StatusConflict ||
		!strings.Contains(bodies[loser], "someone else saved this nomination") || !strings.Contains(bodies[loser], `"current_version":2`) {
		t.Fatalf("concurrent saves: %d %.200s / %d %.300s", statuses[0], bodies[0], statuses[1], bodies[1])
	}
	status, body = r[0].Do(t, asker, http.MethodGet, "/api/v1/nominations/"+created.ID, "")
	if want := fmt.Sprintf(`"title":"Lagret på replika %d"`, winner+2); status != http.StatusOK || !strings.Contains(body, want) || !strings.Contains(body, `"version":2`) {
		t.Errorf("after the concurrent saves: %d, want %s at version 2: %.300s", status, want, body)
	}

	// 1,000 receipts enqueued in one transaction, sent exactly once.
	const n = 1000
	clientIDs := map[string]int{}
	for _, rep := range r {
		clientIDs[rep.JobClientID(t)] = rep.Index + 1
	}
	subs := newSubmissions(t, db, cycleID, n)
	start = time.Now()
	enqueueReceipts(t, db, subs)
	enqueued := time.Since(start)
	msgs := d.Mail.WaitMessages(t, n, 60*time.Second)
	took := time.Since(start)
	ctx := context.Background()
	deadline := time.Now().Add(10 * time.Second)
	var completed int
	for {
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM river_job WHERE kind = 'nomination_receipt' AND state = 'completed'`).Scan(&completed); err != nil {
			t.Fatal(err)
		}
		if completed == n || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if completed != n {
		t.Errorf("%d receipt jobs completed, want %d", completed, n)
	}
	time.Sleep(time.Second) // a duplicate would arrive about now
	msgs = d.Mail.Messages()
	want := map[string]bool{}
	for _, s := range subs {
		want[s.PublicID] = true
	}
	got := map[string]int{}
	byReplica := map[string]int{}
	for _, m := range msgs {
		text, err := m.Text()
		match := receiptLink.FindStringSubmatch(text)
		if err != nil || match == nil || len(m.To) != 1 || m.To[0] != "kari@asker.kommune.no" {
			t.Fatalf("not a receipt to Kari (%v): %v %.500s", err, m.To, text)
		}
		got[match[2]]++
		byReplica[match[1]]++
	}
	for num, times := range got {
		if !want[num] || times != 1 {
			t.Errorf("receipt %s arrived %d times (queued: %v)", num, times, want[num])
		}
	}
	if len(msgs) != n || len(got) != n {
		t.Errorf("%d messages with %d distinct receipts, want %d", len(msgs), len(got), n)
	}
	var rows []struct {
		ClientID string `bun:"client_id"`
		Jobs     int    `bun:"jobs"`
		Attempts int    `bun:"attempts"`
	}
	if err := db.NewRaw(`SELECT attempted_by[array_length(attempted_by, 1)] AS client_id, count(*) AS jobs, sum(attempt) AS attempts
		FROM river_job WHERE kind = 'nomination_receipt' GROUP BY 1 ORDER BY 1`).Scan(ctx, &rows); err != nil {
		t.Fatal(err)
	}
	var spread []string
	for _, row := range rows {
		spread = append(spread, fmt.Sprintf("replica %d: %d jobs, %d attempts", clientIDs[row.ClientID], row.Jobs, row.Attempts))
		if row.Attempts != row.Jobs {
			t.Errorf("replica %d: %d attempts for %d jobs", clientIDs[row.ClientID], row.Attempts, row.Jobs)
		}
	}
	t.Logf("%d receipts enqueued in one transaction (%s), all at the mail server %s after it began; %s; links by base URL: %v",
		n, enqueued.Round(time.Millisecond), took.Round(time.Millisecond), strings.Join(spread, ", "), byReplica)
}
