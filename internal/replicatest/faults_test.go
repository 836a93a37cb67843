package replicatest_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/jobs"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/heder-awards/heder/internal/replicatest"
)

// draft adds a complete draft nomination of Asker kommune, with one
// project, to cycle: ready to submit.
func draft(t *testing.T, db *postgres.DB, cycle int64, title string) submission {
	t.Helper()
	var s submission
	err := db.NewRaw(`
		WITH asker AS (SELECT id FROM organisations WHERE kind = 'municipality' AND number = '3203' AND valid_to IS NULL),
		n AS (INSERT INTO nominations (cycle_id, title, summary, challenge, contact_name, contact_email)
			VALUES (?, ?, 'Kort sammendrag.', 'renewal', 'Kari Nordmann', 'kari@asker.kommune.no') RETURNING id, public_id),
		no AS (INSERT INTO nomination_organisations (nomination_id, organisation_id) SELECT n.id, asker.id FROM n, asker),
		p AS (INSERT INTO projects (organisation_id, title, description) SELECT asker.id, ?, 'Hva prosjektet gjorde.' FROM asker RETURNING id),
		np AS (INSERT INTO nomination_projects (nomination_id, project_id, position) SELECT n.id, p.id, 1 FROM n, p)
		SELECT id, public_id FROM n`, cycle, title, "Prosjekt i "+title).Scan(context.Background(), &s)
	if err != nil {
		t.Fatalf("draft %q: %v", title, err)
	}
	return s
}

// pdf returns a file of n bytes that the server takes for a PDF.
func pdf(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return append([]byte("%PDF-1.7\n"), b[9:]...)
}

// upload sends body as the multipart upload of a file to the project,
// as a browser on r's page would; body may be slow.
func upload(r *replicatest.Replica, c *http.Client, project, contentType string, body io.Reader) (int, string, error) {
	req, err := http.NewRequest(http.MethodPost, r.URL+"/api/v1/projects/"+project+"/attachments", body)
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Origin", r.URL)
	resp, err := c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// uploadFile uploads b as a PDF named name.
func uploadFile(r *replicatest.Replica, c *http.Client, project, name string, b []byte) (int, string, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	part, _ := mw.CreateFormFile("file", name)
	part.Write(b)
	mw.Close()
	return upload(r, c, project, mw.FormDataContentType(), &buf)
}

// storedFiles lists the files under the attachments folder by storage
// key.
func storedFiles(t *testing.T, dir string) []string {
	t.Helper()
	var keys []string
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == dir {
			return fs.SkipAll
		}
		if err == nil && !e.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			keys = append(keys, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// checkAttachments checks that every attachment row has its file, of the
// recorded size and SHA-256, and returns the stored files no row points
// to.
func checkAttachments(t *testing.T, d *replicatest.Deployment, db *postgres.DB) (rows int, unreferenced []string) {
	t.Helper()
	var list []struct {
		PublicID   string `bun:"public_id"`
		Size       int64  `bun:"size"`
		SHA256     string `bun:"sha256"`
		StorageKey string `bun:"storage_key"`
	}
	if err := db.NewRaw(`SELECT public_id, size, sha256, storage_key FROM attachments`).Scan(context.Background(), &list); err != nil {
		t.Fatal(err)
	}
	referenced := map[string]bool{}
	for _, a := range list {
		referenced[a.StorageKey] = true
		b, err := os.ReadFile(filepath.Join(d.Files, filepath.FromSlash(a.StorageKey)))
		if err != nil {
			t.Errorf("attachment %s: its file: %v", a.PublicID, err)
			continue
		}
		if sum := sha256.Sum256(b); int64(len(b)) != a.Size || hex.EncodeToString(sum[:]) != a.SHA256 {
			t.Errorf("attachment %s: file of %d bytes with SHA-256 %x, recorded %d bytes, %s", a.PublicID, len(b), sum, a.Size, a.SHA256)
		}
	}
	for _, key := range storedFiles(t, d.Files) {
		if !referenced[key] {
			unreferenced = append(unreferenced, key)
		}
	}
	return len(list), unreferenced
}

// receiptsByNomination counts the receipts at the mail server by the
// nomination's public ID.
func receiptsByNomination(t *testing.T, d *replicatest.Deployment) map[string]int {
	t.Helper()
	got := map[string]int{}
	for _, m := range d.Mail.Messages() {
		text, err := m.Text()
		if match := receiptLink.FindStringSubmatch(text); err == nil && match != nil {
			got[match[2]]++
		}
	}
	return got
}

// outcome is how a request sent in a goroutine ended.
type outcome struct {
	status int
	body   string
	err    error
}

// TestKillDuringSave kills a replica (SIGKILL) while it is in the middle
// of a submitter's save with attachments: a save of the nomination, an
// upload whose file is already stored, and a submit, each inside its
// transaction (the test holds the audit log, which every one of them
// writes last); a large upload of which the server has read a part; and
// a receipt job that is being mailed. Afterwards nothing of the four is
// in the database, every attachment row has its file (the one stored
// before its row is on disk, referenced by nothing), and the receipt job
// is done by the other replica once River's rescuer takes it, its mail
// arriving once.
func TestKillDuringSave(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tmp := t.TempDir() // the replicas' TMPDIR: where the server spools large uploads
	d := replicatest.Start(t, replicatest.Options{Replicas: 2, Env: map[string]string{"TMPDIR": tmp}})
	r0, r1 := d.Replicas[0], d.Replicas[1]
	// Replica 2 stays down until replica 1 is killed, so that replica 1
	// takes the receipt job.
	if err := r1.Stop(t); err != nil {
		t.Fatalf("stop replica 2: %v", err)
	}
	db := d.DB(t)
	cycleID, cycle := openCycle(t, db)
	asker := r0.Login(t, "asker")

	// Nomination A, made through the API: a project with one file.
	status, body := r0.Do(t, asker, http.MethodPost, "/api/v1/cycles/"+cycle+"/nominations", `{"title":"Holmen svømmehall"}`)
	var a struct {
		ID      string `json:"id"`
		Version int    `json:"version"`
	}
	if status != http.StatusCreated || json.Unmarshal([]byte(body), &a) != nil {
		t.Fatalf("create: %d %.300s", status, body)
	}
	status, body = r0.Do(t, asker, http.MethodPost, "/api/v1/nominations/"+a.ID+"/projects", `{"title":"Svømmehallen","description":"Energibrønner og solceller."}`)
	var project struct{ ID string }
	if status != http.StatusCreated || json.Unmarshal([]byte(body), &project) != nil {
		t.Fatalf("add project: %d %.300s", status, body)
	}
	if status, body, err := uploadFile(r0, asker, project.ID, "plan.pdf", pdf(300<<10)); err != nil || status != http.StatusCreated {
		t.Fatalf("first upload: %d %v %.300s", status, err, body)
	}
	// B is submitted when the replica dies; C was submitted before, and
	// its receipt is being mailed: the mail server never answers.
	b, c := draft(t, db, cycleID, "Velferdslab"), draft(t, db, cycleID, "Løsningsjakten")
	d.Mail.Hang(true)
	if status, body := r0.Do(t, asker, http.MethodPost, "/api/v1/nominations/"+c.PublicID+"/submit", ""); status != http.StatusOK {
		t.Fatalf("submit C: %d %.300s", status, body)
	}
	killed := r0.JobClientID(t)
	waitUntil(t, "C's receipt is being mailed", 20*time.Second, func() bool {
		j := jobOf(t, db, c.ID)
		return j.State == "running" && slices.Equal(j.AttemptedBy, []string{killed})
	})

	// Every save below writes the audit log last, in its transaction:
	// holding it keeps them there, their other writes done.
	audit, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer audit.Rollback()
	if _, err := audit.ExecContext(ctx, `LOCK TABLE audit_log IN SHARE MODE`); err != nil {
		t.Fatal(err)
	}
	results := make([]chan outcome, 4)
	for i := range results {
		results[i] = make(chan outcome, 1)
	}
	send := func(ch chan outcome, f func() (int, string, error)) {
		go func() {
			s, b, err := f()
			ch <- outcome{s, b, err}
		}()
	}
	send(results[0], func() (int, string, error) {
		return r0.TryDo(asker, http.MethodPatch, "/api/v1/nominations/"+a.ID, `{"version":1,"title":"Lagret da replikaen døde","summary":"Halvveis."}`)
	})
	send(results[1], func() (int, string, error) { return uploadFile(r0, asker, project.ID, "vedlegg.pdf", pdf(200<<10)) })
	send(results[2], func() (int, string, error) {
		return r0.TryDo(asker, http.MethodPost, "/api/v1/nominations/"+b.PublicID+"/submit", "")
	})
	// A 5 MiB upload of which 2 MiB are sent, then nothing more until the
	// replica is gone.
	gone := make(chan struct{})
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		part, _ := mw.CreateFormFile("file", "stor.pdf")
		_, _ = part.Write(pdf(2 << 20))
		<-gone
		pw.CloseWithError(errors.New("the client's upload was cut off"))
	}()
	send(results[3], func() (int, string, error) { return upload(r0, asker, project.ID, mw.FormDataContentType(), pr) })

	waitUntil(t, "the save, the upload and the submit wait at the audit log", 20*time.Second, func() bool { return lockWaits(t, db, "audit_log") == 3 })
	var spooled []string
	waitUntil(t, "the server has spooled part of the large upload", 20*time.Second, func() bool {
		spooled, _ = filepath.Glob(filepath.Join(tmp, "multipart-*"))
		return len(spooled) > 0
	})
	r0.Kill(t)
	close(gone)
	for i, name := range []string{"save", "upload", "submit", "large upload"} {
		if res := <-results[i]; res.err == nil {
			t.Errorf("the %s in flight got an answer from a killed replica: %d %.200s", name, res.status, res.body)
		}
	}
	if err := audit.Rollback(); err != nil {
		t.Fatal(err)
	}
	// The killed replica's sessions end when the server notices the
	// closed connections, rolling back what they had written.
	waitUntil(t, "the killed replica's transactions end", 20*time.Second, func() bool {
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
			AND pid <> pg_backend_pid() AND state <> 'idle'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n == 0
	})

	var nom struct {
		Version int    `bun:"version"`
		Title   string `bun:"title"`
	}
	if err := db.NewRaw(`SELECT version, title FROM nominations WHERE public_id = ?`, a.ID).Scan(ctx, &nom); err != nil {
		t.Fatal(err)
	}
	if nom.Version != 1 || nom.Title != "Holmen svømmehall" {
		t.Errorf("A after the kill: %+v, want version 1 as before", nom)
	}
	var bStatus string
	var bJobs int
	if err := db.QueryRowContext(ctx, `SELECT status, (SELECT count(*) FROM river_job WHERE kind = 'nomination_receipt'
		AND (args->>'nomination_id')::bigint = n.id) FROM nominations n WHERE n.id = ?`, b.ID).Scan(&bStatus, &bJobs); err != nil {
		t.Fatal(err)
	}
	if bStatus != "draft" || bJobs != 0 {
		t.Errorf("B after the kill: %s with %d receipt jobs, want a draft with none", bStatus, bJobs)
	}
	rows, unreferenced := checkAttachments(t, d, db)
	if rows != 1 {
		t.Errorf("%d attachment rows after the kill, want the 1 made before", rows)
	}
	t.Logf("after the kill: %d attachment row(s), each with its file; %d stored file(s) no row points to %v; %d spooled part(s) of the large upload left in TMPDIR",
		rows, len(unreferenced), unreferenced, len(spooled))
	if j := jobOf(t, db, c.ID); j.State != "running" || !slices.Equal(j.AttemptedBy, []string{killed}) {
		t.Errorf("C's receipt job after the kill: %+v, want still running on the killed replica", j)
	}

	// The other replica comes up. River's rescuer hands a job that has run
	// for jobs.RescueAfter (15 min) to another client; rather than wait,
	// the test moves the job's start back by that much.
	d.Mail.Hang(false)
	r1.Start(t)
	other := r1.JobClientID(t)
	if _, err := db.ExecContext(ctx, `UPDATE river_job SET attempted_at = attempted_at - make_interval(secs => ?)
		WHERE kind = 'nomination_receipt' AND (args->>'nomination_id')::bigint = ?`, (jobs.RescueAfter + time.Minute).Seconds(), c.ID); err != nil {
		t.Fatal(err)
	}
	rescue := time.Now()
	var j receiptJob
	waitUntil(t, "C's receipt job done by the other replica", 60*time.Second, func() bool {
		j = jobOf(t, db, c.ID)
		return j.State == "completed"
	})
	t.Logf("C's receipt job rescued and completed %s after its start was moved back (leader hand-over included)", time.Since(rescue).Round(time.Millisecond))
	if !slices.Equal(j.AttemptedBy, []string{killed, other}) {
		t.Errorf("C's receipt job: %+v, want attempted by %s, then %s", j, killed, other)
	}

	// The submitter tries again on the other replica: nothing half-done is
	// in the way.
	if status, body := r1.Do(t, asker, http.MethodPatch, "/api/v1/nominations/"+a.ID, `{"version":1,"title":"Lagret på nytt"}`); status != http.StatusOK || !strings.Contains(body, `"version":2`) {
		t.Errorf("save A again: %d %.300s", status, body)
	}
	if status, body, err := uploadFile(r1, asker, project.ID, "vedlegg.pdf", pdf(200<<10)); err != nil || status != http.StatusCreated {
		t.Errorf("upload again: %d %v %.300s", status, err, body)
	}
	if status, body := r1.Do(t, asker, http.MethodPost, "/api/v1/nominations/"+b.PublicID+"/submit", ""); status != http.StatusOK {
		t.Errorf("submit B again: %d %.300s", status, body)
	}
	d.Mail.WaitMessages(t, 2, 30*time.Second)
	time.Sleep(time.Second) // a duplicate would arrive about now
	if got := receiptsByNomination(t, d); len(got) != 2 || got[c.PublicID] != 1 || got[b.PublicID] != 1 {
		t.Errorf("receipts at the mail server: %v, want one each of C %s and B %s", got, c.PublicID, b.PublicID)
	}
	if rows, _ := checkAttachments(t, d, db); rows != 2 {
		t.Errorf("%d attachment rows at the end, want 2", rows)
	}
}

// request is one request of the load in TestPostgresOutage.
type request struct {
	what       string // "save", "page", "api", "readyz"
	replica    int
	start, end time.Time
	status     int
	body       string
	err        error
}

// ack is a save the server confirmed: the nomination's title and version
// it answered with.
type ack struct {
	title   string
	version int
}

// TestPostgresOutage stops PostgreSQL for 10 seconds under a light load
// on three replicas (two submitters saving their nominations, pages and
// API reads, /readyz polled): during the outage every request answers
// within a few seconds with 503 (a page that says so, or problem JSON),
// /readyz fails, and /healthz stays up; afterwards every replica serves
// again without a restart, and every save that was confirmed is in the
// database, jobs included.
func TestPostgresOutage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := replicatest.Start(t, replicatest.Options{Replicas: 3, OwnCluster: true})
	db := d.DB(t)
	cycleID, _ := openCycle(t, db)
	asker := d.Replicas[0].Login(t, "asker")
	noms := []submission{draft(t, db, cycleID, "Lagring 1"), draft(t, db, cycleID, "Lagring 2")}
	pids := make([]int, len(d.Replicas))
	for i, r := range d.Replicas {
		pids[i] = r.PID()
	}

	var (
		mu   sync.Mutex
		reqs []request
		acks = make([][]ack, len(noms))
		wg   sync.WaitGroup
	)
	stop := make(chan struct{})
	do := func(what string, i int, method, path, body string) request {
		r := d.Replicas[i%len(d.Replicas)]
		req := request{what: what, replica: r.Index, start: time.Now()}
		req.status, req.body, req.err = r.TryDo(asker, method, path, body)
		req.end = time.Now()
		mu.Lock()
		reqs = append(reqs, req)
		mu.Unlock()
		return req
	}
	pause := func(wait time.Duration) bool {
		select {
		case <-stop:
			return false
		case <-time.After(wait):
			return true
		}
	}
	// Savers: each saves its nomination again and again, round-robin over
	// the replicas, with the version it last had confirmed. After a 409
	// (a save whose answer was lost went through) it reads the version.
	for w, n := range noms {
		wg.Go(func() {
			version := 1
			for i := 0; pause(100 * time.Millisecond); i++ {
				title := fmt.Sprintf("Lagring %d.%d", w+1, i)
				res := do("save", i, http.MethodPatch, "/api/v1/nominations/"+n.PublicID, fmt.Sprintf(`{"version":%d,"title":%q}`, version, title))
				switch {
				case res.err != nil:
				case res.status == http.StatusOK:
					var v struct{ Version int }
					if err := json.Unmarshal([]byte(res.body), &v); err == nil {
						mu.Lock()
						acks[w] = append(acks[w], ack{title, v.Version})
						mu.Unlock()
						version = v.Version
					}
				case res.status == http.StatusConflict:
					if got := do("api", i+1, http.MethodGet, "/api/v1/nominations/"+n.PublicID, ""); got.status == http.StatusOK {
						var v struct{ Version int }
						if json.Unmarshal([]byte(got.body), &v) == nil {
							version = v.Version
						}
					}
				}
			}
		})
	}
	// Readers: the home page and a nomination through the API.
	wg.Go(func() {
		for i := 0; pause(100 * time.Millisecond); i++ {
			do("page", i, http.MethodGet, "/", "")
		}
	})
	wg.Go(func() {
		for i := 0; pause(100 * time.Millisecond); i++ {
			do("api", i, http.MethodGet, "/api/v1/nominations/"+noms[0].PublicID, "")
		}
	})
	for i := range d.Replicas {
		wg.Go(func() {
			for pause(200 * time.Millisecond) {
				do("readyz", i, http.MethodGet, "/readyz", "")
			}
		})
	}

	time.Sleep(3 * time.Second)
	// The outage, for the requests, is from when PostgreSQL has stopped
	// until it is told to start again.
	d.Postgres.Halt()
	halted := time.Now()
	time.Sleep(10 * time.Second)
	for i, r := range d.Replicas {
		if status, _, err := r.TryDo(asker, http.MethodGet, "/healthz", ""); err != nil || status != http.StatusOK {
			t.Errorf("replica %d /healthz with the database down: %d %v", i+1, status, err)
		}
	}
	resuming := time.Now()
	if err := d.Postgres.Resume(ctx); err != nil {
		t.Fatal(err)
	}
	resumed := time.Now()
	t.Logf("PostgreSQL down for %s", resumed.Sub(halted).Round(time.Millisecond))
	for i, r := range d.Replicas {
		waitUntil(t, fmt.Sprintf("replica %d serves again", i+1), 20*time.Second, func() bool {
			ready, _, _ := r.TryDo(asker, http.MethodGet, "/readyz", "")
			page, body, _ := r.TryDo(asker, http.MethodGet, "/", "")
			return ready == http.StatusOK && page == http.StatusOK && strings.Contains(body, "Kari Asker")
		})
		t.Logf("replica %d serves again %s after PostgreSQL was back", i+1, time.Since(resumed).Round(time.Millisecond))
		if !r.Running() || r.PID() != pids[i] {
			t.Errorf("replica %d was restarted", i+1)
		}
	}
	time.Sleep(3 * time.Second)
	close(stop)
	wg.Wait()

	// Every request answered within a few seconds; those that ended
	// during the outage said 503 in a way a person or a program can use.
	var slowest request
	counts := map[string]int{}
	readyDown := map[int]int{}
	for _, req := range reqs {
		if req.end.Sub(req.start) > slowest.end.Sub(slowest.start) {
			slowest = req
		}
		if req.err != nil {
			t.Errorf("%s on replica %d failed at %s: %v", req.what, req.replica+1, req.start.Sub(halted).Round(time.Millisecond), req.err)
			continue
		}
		phase := "before"
		switch {
		case req.start.After(halted) && req.end.Before(resuming):
			phase = "during"
		case req.end.After(resuming):
			phase = "after"
		}
		counts[fmt.Sprintf("%s %s %d", phase, req.what, req.status)]++
		if phase != "during" {
			continue
		}
		if req.status != http.StatusServiceUnavailable {
			t.Errorf("%s on replica %d during the outage: %d %.200s", req.what, req.replica+1, req.status, req.body)
			continue
		}
		switch req.what {
		case "page":
			if !strings.Contains(req.body, "midlertidig utilgjengelig") {
				t.Errorf("the 503 page does not say what happened: %.300s", req.body)
			}
		case "save", "api":
			if !strings.Contains(req.body, `"status":503`) {
				t.Errorf("the API's 503 is not problem JSON: %.300s", req.body)
			}
		case "readyz":
			readyDown[req.replica]++
		}
	}
	took := slowest.end.Sub(slowest.start)
	t.Logf("%d requests; the slowest took %s (%s on replica %d, %d); by phase, kind and status: %v",
		len(reqs), took.Round(time.Millisecond), slowest.what, slowest.replica+1, slowest.status, counts)
	if took > 8*time.Second {
		t.Errorf("a request took %s, want at most 8s", took)
	}
	for i := range d.Replicas {
		if readyDown[i] == 0 {
			t.Errorf("replica %d: /readyz never said 503 during the outage", i+1)
		}
	}

	// Every confirmed save is in the database: in the audit log, which
	// commits with it, and the nomination is at least at the last
	// confirmed version.
	for w, n := range noms {
		if len(acks[w]) == 0 {
			t.Errorf("saver %d: no save confirmed", w+1)
			continue
		}
		var titles []string
		if err := db.NewRaw(`SELECT after->>'title' FROM audit_log WHERE entity = 'nomination' AND entity_id = ? AND action = 'update'`,
			n.ID).Scan(ctx, &titles); err != nil {
			t.Fatal(err)
		}
		lost := 0
		for _, a := range acks[w] {
			if !slices.Contains(titles, a.title) {
				lost++
			}
		}
		last := acks[w][len(acks[w])-1]
		var version int
		var title string
		if err := db.QueryRowContext(ctx, `SELECT version, title FROM nominations WHERE id = ?`, n.ID).Scan(&version, &title); err != nil {
			t.Fatal(err)
		}
		t.Logf("saver %d: %d saves confirmed, %d in the audit log in all; last confirmed %+v, in the database version %d %q",
			w+1, len(acks[w]), len(titles), last, version, title)
		if lost > 0 || version < last.version || (version == last.version && title != last.title) {
			t.Errorf("saver %d: %d confirmed saves missing; database at version %d %q, last confirmed %+v", w+1, lost, version, title, last)
		}
	}

	// Jobs run again too: a submission's receipt arrives.
	s := draft(t, db, cycleID, "Etter utfallet")
	if status, body := d.Replicas[2].Do(t, asker, http.MethodPost, "/api/v1/nominations/"+s.PublicID+"/submit", ""); status != http.StatusOK {
		t.Fatalf("submit after the outage: %d %.300s", status, body)
	}
	waitUntil(t, "the receipt of a submission after the outage", 30*time.Second, func() bool { return receiptsByNomination(t, d)[s.PublicID] == 1 })
}

// TestPublishWhileAllDown schedules the finalists' announcement a few
// seconds ahead, then stops every replica (SIGTERM) until past its
// instant. The first replica to come back shows the finalists at once
// and mails the nominees, once each.
func TestPublishWhileAllDown(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := replicatest.Start(t, replicatest.Options{Replicas: 2})
	db := d.DB(t)
	r0 := d.Replicas[0]

	// A decided cycle: Asker won, Træna is a finalist, Horten neither.
	var cycleID int64
	var cycle string
	if err := db.NewRaw(`WITH a AS (INSERT INTO awards (slug, name_nb) VALUES ('utfallspris', 'Utfallsprisen') RETURNING id)
		INSERT INTO cycles (award_id, year, title, phase) SELECT id, 2027, 'Utfallsprisen 2027', 'decided' FROM a RETURNING id, public_id`).
		Scan(ctx, &cycleID, &cycle); err != nil {
		t.Fatal(err)
	}
	for _, n := range []struct{ org, outcome string }{{"Asker", "winner"}, {"Træna", "finalist"}, {"Horten", ""}} {
		if _, err := db.ExecContext(ctx, `
			WITH n AS (INSERT INTO nominations (cycle_id, title, summary, status, submitted_at)
				VALUES (?0, ?1 || ' utfall', 'Kort sammendrag.', 'submitted', now()) RETURNING id),
			o AS (INSERT INTO nomination_organisations (nomination_id, organisation_id)
				SELECT n.id, org.id FROM n, organisations org WHERE org.kind = 'municipality' AND org.name = ?1 AND org.valid_to IS NULL)
			INSERT INTO decisions (nomination_id, cycle_id, outcome, statement_nb)
			SELECT n.id, ?0, ?2, 'Juryens begrunnelse.' FROM n WHERE ?2 <> ''`, cycleID, n.org, n.outcome); err != nil {
			t.Fatal(err)
		}
	}
	admin := r0.Login(t, "admin")
	at := time.Now().Add(8 * time.Second).Truncate(time.Second)
	status, body := r0.Do(t, admin, http.MethodPost, "/api/v1/cycles/"+cycle+"/announcements",
		fmt.Sprintf(`{"kind":"finalists","publish_at":%q}`, at.Format(time.RFC3339)))
	if status != http.StatusCreated {
		t.Fatalf("schedule: %d %.300s", status, body)
	}
	public := "/api/v1/public/awards/utfallspris/2027"
	finalists := func(r *replicatest.Replica) (int, bool) {
		status, body := r.Do(t, d.Client(t), http.MethodGet, public, "")
		return status, strings.Contains(body, "Asker utfall") && strings.Contains(body, "Træna utfall")
	}
	if status, shown := finalists(r0); shown {
		t.Fatalf("finalists public before their instant: %d", status)
	}

	var wg sync.WaitGroup
	for _, r := range d.Replicas {
		wg.Go(func() {
			if err := r.Stop(t); err != nil {
				t.Errorf("stop replica %d: %v", r.Index+1, err)
			}
		})
	}
	wg.Wait()
	if time.Now().After(at) {
		t.Fatalf("the replicas stopped %s after the instant: the test needs them down before it", time.Since(at))
	}
	time.Sleep(time.Until(at.Add(2 * time.Second)))
	var state string
	if err := db.QueryRowContext(ctx, `SELECT state FROM river_job WHERE kind = 'announcement_mail'`).Scan(&state); err != nil {
		t.Fatal(err)
	}
	if state != "scheduled" {
		t.Errorf("the announcement's mail job while every replica is down: %s, want scheduled", state)
	}

	r0.Start(t)
	started := time.Now()
	if status, shown := finalists(r0); status != http.StatusOK || !shown {
		t.Errorf("public API on the first replica back: %d, finalists shown: %v", status, shown)
	}
	if status, body := r0.Do(t, d.Client(t), http.MethodGet, "/priser/utfallspris/2027", ""); status != http.StatusOK ||
		!strings.Contains(body, "Asker utfall") || !strings.Contains(body, "Træna utfall") || strings.Contains(body, "Horten utfall") {
		t.Errorf("public page on the first replica back: %d %.500s", status, body)
	}
	d.Mail.WaitMessages(t, 2, 30*time.Second)
	t.Logf("the nominees' mails arrived %s after the first replica came back", time.Since(started).Round(time.Millisecond))
	time.Sleep(time.Second) // a duplicate would arrive about now
	got := map[string]int{}
	for _, m := range d.Mail.Messages() {
		text, _ := m.Text()
		if !strings.Contains(text, "finalist") {
			t.Errorf("not a finalist mail: %v %.300s", m.To, text)
		}
		for _, to := range m.To {
			got[to]++
		}
	}
	if len(got) != 2 || got["kari@asker.kommune.no"] != 1 || got["tore@traena.kommune.no"] != 1 {
		t.Errorf("mails by recipient: %v, want one each to Asker's and Træna's submitters", got)
	}
}
