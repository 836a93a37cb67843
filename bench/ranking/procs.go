package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The process helpers of this load test. bench/rush has the same kind
// (with more: pg_stat_statements, wait sampling); these are the few this
// one needs.

// clockTicks is USER_HZ, the unit of the CPU times in /proc/<pid>/stat.
const clockTicks = 100

func runCmd(name string, args ...string) (string, error) {
	out, err := exec.Command(name, args...).Output()
	return string(out), err
}

// buildHeder builds the heder binary into dir, as a release would be.
func buildHeder(ctx context.Context, root, dir string) (string, error) {
	bin := filepath.Join(dir, "heder")
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", bin, "./cmd/heder")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/heder: %w\n%s", err, out)
	}
	return bin, nil
}

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
		return nil, fmt.Errorf("heder dev stopped before it was ready (%v):\n%s", err, tail(logPath, 30))
	case <-time.After(90 * time.Second):
		s.stop()
		return nil, fmt.Errorf("heder dev not ready after 90s:\n%s", tail(logPath, 30))
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

func tail(path string, n int) string {
	b, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// rssKB returns the process's resident set (VmRSS) and its peak (VmHWM)
// in kB.
func rssKB(pid int) (rss, hwm int64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if f := strings.Fields(v); ok && len(f) > 0 {
			switch k {
			case "VmRSS":
				rss, _ = strconv.ParseInt(f[0], 10, 64)
			case "VmHWM":
				hwm, _ = strconv.ParseInt(f[0], 10, 64)
			}
		}
	}
	return rss, hwm
}

type procStat struct {
	ppid                         int
	utime, stime, cutime, cstime int64
}

func readStat(pid int) (procStat, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return procStat{}, err
	}
	i := bytes.LastIndexByte(b, ')') // the command may hold spaces
	if i < 0 {
		return procStat{}, fmt.Errorf("/proc/%d/stat: unexpected format", pid)
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 15 {
		return procStat{}, fmt.Errorf("/proc/%d/stat: too few fields", pid)
	}
	n := func(k int) int64 { v, _ := strconv.ParseInt(f[k], 10, 64); return v }
	return procStat{ppid: int(n(1)), utime: n(11), stime: n(12), cutime: n(13), cstime: n(14)}, nil
}

func cpuSeconds(pid int) float64 {
	st, err := readStat(pid)
	if err != nil {
		return 0
	}
	return float64(st.utime+st.stime) / clockTicks
}

// postmasterPID finds the PostgreSQL server listening on port.
func postmasterPID(port string) int {
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
		if err != nil {
			continue
		}
		args := strings.Split(string(b), "\x00")
		if len(args) == 0 || filepath.Base(args[0]) != "postgres" {
			continue
		}
		for i := 0; i+1 < len(args); i++ {
			if args[i] == "-p" && args[i+1] == port {
				return pid
			}
		}
	}
	return 0
}

// postgresCPU is the CPU time of the PostgreSQL server: the postmaster,
// its exited children and those still running.
func postgresCPU(postmaster int) float64 {
	root, err := readStat(postmaster)
	if postmaster == 0 || err != nil {
		return 0
	}
	ticks := root.utime + root.stime + root.cutime + root.cstime
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil || pid == postmaster {
			continue
		}
		if st, err := readStat(pid); err == nil && st.ppid == postmaster {
			ticks += st.utime + st.stime
		}
	}
	return float64(ticks) / clockTicks
}

func selfCPU() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// machineCPU returns the machine's busy and total CPU seconds, all cores.
func machineCPU() (busy, total float64) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 8 || f[0] != "cpu" {
		return 0, 0
	}
	var v [8]int64
	for i := range v {
		v[i], _ = strconv.ParseInt(f[i+1], 10, 64)
	}
	idle := v[3] + v[4]
	all := v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7]
	return float64(all-idle) / clockTicks, float64(all) / clockTicks
}

func loadAvg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}
