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

	"github.com/heder-awards/heder/internal/pgcluster"
	"github.com/heder-awards/heder/internal/postgres"
)

// clockTicks is USER_HZ, the unit of the CPU times in /proc/<pid>/stat;
// it is 100 on every Linux this runs on.
const clockTicks = 100

// moduleRoot returns the folder holding go.mod, so that the program runs
// the same from anywhere inside the repository.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("run this inside the heder repository (go env GOMOD is empty)")
	}
	return filepath.Dir(mod), nil
}

// buildHeder builds the heder binary into dir, as a release would be built.
func buildHeder(ctx context.Context, root, dir string) (string, error) {
	bin := filepath.Join(dir, "heder")
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", bin, "./cmd/heder")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/heder: %w\n%s", err, out)
	}
	return bin, nil
}

// startDatabase starts a throw-away cluster with pg_stat_statements loaded
// (it needs a restart to load), so that the report can say which queries
// took the time.
func startDatabase(ctx context.Context) (*pgcluster.Cluster, error) {
	cluster, err := pgcluster.Start(ctx)
	if err != nil {
		return nil, err
	}
	db, err := postgres.Open(ctx, cluster.URL("postgres"), 2)
	if err != nil {
		cluster.Stop()
		return nil, err
	}
	_, err = db.ExecContext(ctx, `ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'`)
	db.Close()
	if err != nil {
		cluster.Stop()
		return nil, fmt.Errorf("enable pg_stat_statements: %w", err)
	}
	cluster.Halt()
	if err := cluster.Resume(ctx); err != nil {
		cluster.Stop()
		return nil, err
	}
	return cluster, nil
}

// server is a running `heder dev` child process.
type server struct {
	cmd     *exec.Cmd
	pid     int
	url     string // the app, http://127.0.0.1:port
	issuer  string // the development identity provider
	logPath string
	done    chan error
}

// startHeder runs `heder dev` on free loopback ports against dbURL and
// waits for its ready line. Its log goes to logPath; extraEnv adds to the
// environment (e.g. HEDER_CPUPROFILE).
func startHeder(ctx context.Context, bin, dbURL, filesDir, logPath string, extraEnv []string) (*server, error) {
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "dev", "-addr", "127.0.0.1:0", "-idp-addr", "127.0.0.1:0")
	env := []string{}
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "HEDER_") || k == "DATABASE_URL" {
			continue // the bench decides the whole configuration
		}
		env = append(env, kv)
	}
	cmd.Env = append(env, "DATABASE_URL="+dbURL, "HEDER_DEV_BENCH_USERS=1", "HEDER_LOG_LEVEL=warn",
		"HEDER_FILES_URL=file://"+filesDir)
	cmd.Env = append(cmd.Env, extraEnv...)
	cmd.Stderr = logf
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		logf.Close()
		return nil, err
	}
	// The server dies with the bench, even after kill -9.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
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

// stop asks the server to shut down as Ctrl-C would (which also writes a
// CPU profile asked for), and kills it if it takes too long.
func (s *server) stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}

// tail returns the last n lines of a file, for error messages.
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
func rssKB(pid int) (rss, hwm int64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		f := strings.Fields(v)
		if len(f) == 0 {
			continue
		}
		switch k {
		case "VmRSS":
			rss, _ = strconv.ParseInt(f[0], 10, 64)
		case "VmHWM":
			hwm, _ = strconv.ParseInt(f[0], 10, 64)
		}
	}
	return rss, hwm, nil
}

// procStat is what /proc/<pid>/stat says about a process's CPU.
type procStat struct {
	ppid                         int
	utime, stime, cutime, cstime int64 // clock ticks
}

func readStat(pid int) (procStat, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return procStat{}, err
	}
	// The command name is in parentheses and may hold spaces: the fields
	// start after the last ')'.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return procStat{}, fmt.Errorf("/proc/%d/stat: unexpected format", pid)
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 15 {
		return procStat{}, fmt.Errorf("/proc/%d/stat: too few fields", pid)
	}
	n := func(k int) int64 { v, _ := strconv.ParseInt(f[k], 10, 64); return v }
	// f[0] is field 3 (state): ppid is field 4, utime..cstime 14..17.
	return procStat{ppid: int(n(1)), utime: n(11), stime: n(12), cutime: n(13), cstime: n(14)}, nil
}

// cpuSeconds is the CPU time pid has used.
func cpuSeconds(pid int) float64 {
	st, err := readStat(pid)
	if err != nil {
		return 0
	}
	return float64(st.utime+st.stime) / clockTicks
}

// postmasterPID finds the PostgreSQL server listening on port among the
// processes: its command line is `postgres -D … -p <port> …`.
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
// the backends that exited (its children's times) and those still running.
func postgresCPU(postmaster int) float64 {
	if postmaster == 0 {
		return 0
	}
	root, err := readStat(postmaster)
	if err != nil {
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

// postgresRSSKB adds up the resident sets of the PostgreSQL processes.
// Shared buffers are counted once per process that touched them, so this
// overstates what PostgreSQL uses; it is reported for scale only.
func postgresRSSKB(postmaster int) int64 {
	if postmaster == 0 {
		return 0
	}
	total, _, _ := rssKB(postmaster)
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil || pid == postmaster {
			continue
		}
		if st, err := readStat(pid); err == nil && st.ppid == postmaster {
			r, _, _ := rssKB(pid)
			total += r
		}
	}
	return total
}

// selfCPU is the CPU time this program has used.
func selfCPU() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// machineCPU returns the machine's busy and total CPU time from /proc/stat
// in seconds, summed over all cores.
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
	var v [10]int64
	for i := 1; i < len(f) && i <= 10; i++ {
		v[i-1], _ = strconv.ParseInt(f[i], 10, 64)
	}
	// user nice system idle iowait irq softirq steal (guest is in user).
	idle := v[3] + v[4]
	all := v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7]
	return float64(all-idle) / clockTicks, float64(all) / clockTicks
}

// loadAvg returns /proc/loadavg's first three numbers.
func loadAvg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}
