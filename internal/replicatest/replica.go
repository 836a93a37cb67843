package replicatest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// StopTimeout is how long Stop and Kill wait for a replica to exit: more
// than its own bound (app.ShutdownTimeout, with jobs stopping alongside).
const StopTimeout = 30 * time.Second

// Replica is one `heder serve` process. It keeps its address across
// restarts.
type Replica struct {
	// Index is its place in Deployment.Replicas, from 0.
	Index int
	// Addr is host:port it listens on; URL its base URL (HEDER_BASE_URL).
	Addr, URL string
	// MetricsAddr is host:port of its /metrics (HEDER_METRICS_ADDR), as
	// in production: apart from the public address.
	MetricsAddr string

	d    *Deployment
	logs logBuffer // stdout and stderr of every run, in order

	mu      sync.Mutex
	cmd     *exec.Cmd
	exited  chan struct{} // closed when the current run's process has exited
	exitErr error
	runs    int
}

// start runs the process and waits for its "ready:" line.
func (r *Replica) start() error {
	r.mu.Lock()
	if r.cmd != nil && !r.hasExited() {
		r.mu.Unlock()
		return fmt.Errorf("replica %d is already running", r.Index)
	}
	r.runs++
	fmt.Fprintf(&r.logs, "--- run %d ---\n", r.runs)
	cmd := exec.Command(r.d.bin, "serve")
	cmd.Env = append(append([]string(nil), r.d.env...), "HEDER_ADDR="+r.Addr, "HEDER_BASE_URL="+r.URL,
		"HEDER_METRICS_ADDR="+r.MetricsAddr)
	// Pdeathsig: no replica outlives the test, even after a kill -9 of it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	cmd.Stderr = &r.logs
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		r.mu.Unlock()
		return err
	}
	if err := cmd.Start(); err != nil {
		r.mu.Unlock()
		return fmt.Errorf("start replica %d: %w", r.Index, err)
	}
	ready := make(chan struct{})
	exited := make(chan struct{})
	r.cmd, r.exited, r.exitErr = cmd, exited, nil
	r.mu.Unlock()

	go func() {
		sc := bufio.NewScanner(stdout)
		seen := false
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(&r.logs, line)
			if !seen && strings.HasPrefix(line, "ready: ") {
				seen = true
				close(ready)
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
		err := cmd.Wait()
		r.mu.Lock()
		r.exitErr = err
		r.mu.Unlock()
		close(exited)
	}()
	select {
	case <-ready:
		return nil
	case <-exited:
		return fmt.Errorf("replica %d exited before it was ready (%v):\n%s", r.Index, r.ExitErr(), r.logs.tail(8000))
	case <-time.After(90 * time.Second):
		_ = cmd.Process.Kill()
		return fmt.Errorf("replica %d not ready after 90s:\n%s", r.Index, r.logs.tail(8000))
	}
}

// hasExited reports whether the current run has ended; r.mu is held.
func (r *Replica) hasExited() bool {
	select {
	case <-r.exited:
		return true
	default:
		return false
	}
}

// Start runs the replica again after Stop or Kill, on the same address,
// and returns when it serves requests.
func (r *Replica) Start(t TB) {
	t.Helper()
	if err := r.start(); err != nil {
		t.Fatalf("replicatest: %v", err)
	}
}

// Running reports whether the replica's process is running.
func (r *Replica) Running() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cmd != nil && !r.hasExited()
}

// PID is the process ID of the current run.
func (r *Replica) PID() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cmd == nil {
		return 0
	}
	return r.cmd.Process.Pid
}

// Signal sends sig to the replica's process and returns at once; Wait
// then waits for it to exit.
func (r *Replica) Signal(t TB, sig os.Signal) {
	t.Helper()
	r.mu.Lock()
	cmd := r.cmd
	r.mu.Unlock()
	if cmd == nil {
		t.Fatalf("replicatest: replica %d was never started", r.Index)
	}
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatalf("replicatest: signal replica %d: %v", r.Index, err)
	}
}

// Wait waits up to timeout for the replica's process to exit and returns
// how it ended: nil for exit status 0. It fails the test on timeout.
func (r *Replica) Wait(t TB, timeout time.Duration) error {
	t.Helper()
	r.mu.Lock()
	exited := r.exited
	r.mu.Unlock()
	select {
	case <-exited:
		return r.ExitErr()
	case <-time.After(timeout):
		t.Fatalf("replicatest: replica %d still running %s after it was told to stop", r.Index, timeout)
		return nil
	}
}

// ExitErr is how the last run ended (nil for exit status 0, or while it
// runs).
func (r *Replica) ExitErr() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.exitErr
}

// Stop sends SIGTERM, as Kubernetes does, and waits for the process to
// exit; it returns how it ended (nil for exit status 0).
func (r *Replica) Stop(t TB) error {
	t.Helper()
	r.Signal(t, syscall.SIGTERM)
	return r.Wait(t, StopTimeout)
}

// Kill sends SIGKILL and waits for the process to be gone.
func (r *Replica) Kill(t TB) {
	t.Helper()
	r.Signal(t, syscall.SIGKILL)
	_ = r.Wait(t, StopTimeout)
}

// halt kills a replica that still runs; for the end of the test.
func (r *Replica) halt() {
	r.mu.Lock()
	cmd, exited := r.cmd, r.exited
	r.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Kill()
	<-exited
}

// Logs returns everything the replica printed, every run: its JSON log
// lines (stderr) and its stdout.
func (r *Replica) Logs() string { return r.logs.String() }

// JobClientID returns the ID of the current run's River client, the
// value River puts in river_job.attempted_by.
func (r *Replica) JobClientID(t TB) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if id := r.jobClientID(); id != "" {
			return id
		}
		if time.Now().After(deadline) {
			t.Fatalf("replicatest: replica %d logged no River client start (HEDER_LOG_LEVEL must be info or debug)", r.Index)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (r *Replica) jobClientID() string {
	r.mu.Lock()
	run := r.runs
	r.mu.Unlock()
	logs := r.Logs()
	if i := strings.LastIndex(logs, fmt.Sprintf("--- run %d ---", run)); i >= 0 {
		logs = logs[i:]
	}
	for _, line := range strings.Split(logs, "\n") {
		var entry struct {
			Msg      string `json:"msg"`
			ClientID string `json:"client_id"`
		}
		if json.Unmarshal([]byte(line), &entry) == nil && entry.Msg == "River client started" && entry.ClientID != "" {
			return entry.ClientID
		}
	}
	return ""
}

// Login returns a client logged in as user (a demo user, or bench-<n>
// with Options.BenchUsers) through the real OpenID Connect flow on this
// replica: /auth/login?login_hint=user, redirects followed, cookies kept.
func (r *Replica) Login(t TB, user string) *http.Client {
	t.Helper()
	c := r.d.Client(t)
	resp, err := c.Get(r.URL + "/auth/login?login_hint=" + user)
	if err != nil {
		t.Fatalf("replicatest: login %s on replica %d: %v", user, r.Index, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/" || !strings.HasPrefix(resp.Request.URL.String(), r.URL) {
		t.Fatalf("replicatest: login %s on replica %d ended at %s with %d: %.300s", user, r.Index, resp.Request.URL, resp.StatusCode, body)
	}
	return c
}

// Do sends a request to this replica with c's cookies, without following
// redirects, and returns the status and body. A body starting with "{"
// is sent as JSON, any other as a form. A request that may change
// something carries Origin: the replica's URL, as a browser on a page of
// this replica sends it, which the cross-origin protection checks.
func (r *Replica) Do(t TB, c *http.Client, method, path, body string) (int, string) {
	t.Helper()
	status, b, err := r.do(c, method, path, body)
	if err != nil {
		t.Fatalf("replicatest: %s %s on replica %d: %v", method, path, r.Index, err)
	}
	return status, b
}

// TryDo is Do that returns a failed request's error instead of failing
// the test, for requests to a replica that may be down.
func (r *Replica) TryDo(c *http.Client, method, path, body string) (int, string, error) {
	return r.do(c, method, path, body)
}

func (r *Replica) do(c *http.Client, method, path, body string) (int, string, error) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, r.URL+path, rd)
	if err != nil {
		return 0, "", err
	}
	switch {
	case strings.HasPrefix(body, "{"):
		req.Header.Set("Content-Type", "application/json")
	case body != "":
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if method != http.MethodGet && method != http.MethodHead {
		req.Header.Set("Origin", r.URL)
	}
	nc := *c
	nc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := nc.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// logBuffer collects a replica's output from several goroutines.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// tail is the last n bytes, from a line start.
func (l *logBuffer) tail(n int) string {
	s := l.String()
	if len(s) <= n {
		return s
	}
	s = s[len(s)-n:]
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	return "…\n" + s
}
