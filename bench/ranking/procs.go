package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"github.com/heder-awards/heder/bench/internal/procfs"
)

// The process helpers of this load test. bench/rush has the same kind
// (with more: pg_stat_statements, wait sampling); these are the few this
// one needs.

// server is a running `heder dev` child process.
type server struct {
	cmd     *exec.Cmd
	pid     int
	url     string
	issuer  string
	logPath string
	done    chan error
	stopped bool
}

// startHeder runs `heder dev` on free loopback ports against dbURL and
// waits for its ready line.
func startHeder(ctx context.Context, bin, dbURL, filesDir, logPath string, extraEnv []string) (*server, error) {
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "dev", "-addr", "127.0.0.1:0", "-idp-addr", "127.0.0.1:0")
	var env []string
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "HEDER_") || k == "DATABASE_URL" {
			continue // the bench decides the whole configuration
		}
		env = append(env, kv)
	}
	cmd.Env = append(append(env, "DATABASE_URL="+dbURL, "HEDER_LOG_LEVEL=warn", "HEDER_FILES_URL=file://"+filesDir), extraEnv...)
	cmd.Stderr = logf
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		logf.Close()
		return nil, err
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // dies with the bench
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("start heder: %w", err)
	}
	s := &server{cmd: cmd, pid: cmd.Process.Pid, logPath: logPath, done: make(chan error, 1)}
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			if _, after, ok := strings.Cut(line, "development login at "); ok {
				s.issuer = strings.TrimSuffix(after, ")")
			}
			if u, ok := strings.CutPrefix(line, "ready: "); ok && s.url == "" {
				s.url = u
				close(ready)
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	go func() { s.done <- cmd.Wait(); logf.Close() }()
	select {
	case <-ready:
	case err := <-s.done:
		return nil, fmt.Errorf("heder dev stopped before it was ready (%v):\n%s", err, procfs.Tail(logPath, 30))
	case <-time.After(90 * time.Second):
		s.stop()
		return nil, fmt.Errorf("heder dev not ready after 90s:\n%s", procfs.Tail(logPath, 30))
	case <-ctx.Done():
		s.stop()
		return nil, ctx.Err()
	}
	if s.issuer == "" {
		s.stop()
		return nil, errors.New("heder dev did not print the development login's address")
	}
	return s, nil
}

// stop asks the server to shut down as Ctrl-C would (which writes a CPU
// profile asked for), and kills it if it takes too long.
func (s *server) stop() {
	if s.stopped {
		return
	}
	s.stopped = true
	_ = s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}
