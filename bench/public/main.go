// Command public is the public archive's load test: with 20 awards × 10
// published years × 100 public nominations × 3 projects in the database,
// it loads the year page, a project page, search and the public API with
// wrk on loopback (64 connections, 30 s each by default), beside /healthz
// in the same run, and reports requests per second, latency percentiles,
// the ratio to /healthz, the server's memory and the machine's load.
//
// Each page is measured twice: as the public mostly asks for it (the same
// URL again, answered from the in-process cache until something changes)
// and with a unique query parameter on every request, so that every one is
// rendered from the database: the cost of a cache miss. Those go through
// 200 year pages and 200 projects in turn, as the public's requests do
// after a write has emptied the cache; search asks for the same common
// word each time.
//
// Run it with bench/public/run.sh or `go run ./bench/public`; it needs wrk
// (apt-get install -y wrk) and what `make dev` needs.
package main

import (
	"bufio"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/heder-awards/heder/bench/internal/procfs"
	"github.com/heder-awards/heder/internal/devbuild"
	"github.com/heder-awards/heder/internal/pgcluster"
	"github.com/heder-awards/heder/internal/postgres"
)

//go:embed seed.sql
var seedSQL string

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bench/public:", err)
		os.Exit(1)
	}
}

type config struct {
	duration    time.Duration
	connections int
	threads     int
	uncached    bool
	out         string
	serve       bool
	gzip        bool
	cpuprofile  string
	only        *regexp.Regexp
}

// target is one URL under load.
type target struct {
	Name string `json:"name"`
	Path string `json:"path"`
	// Unique: every request gets its own query parameter, so none is
	// answered from the cache.
	Unique bool `json:"unique"`
	// Rotate, when set, are the paths a unique run goes through in turn
	// (Path among them): after a write empties the cache, the public asks
	// for many pages, not the same one again.
	Rotate []string `json:"rotate,omitempty"`
}

// measurement is what wrk and /proc said about one run.
type measurement struct {
	Target      target             `json:"target"`
	Requests    int64              `json:"requests"`
	RPS         float64            `json:"rps"`
	Latency     map[string]float64 `json:"latency_ms"` // 50%, 75%, 90%, 99%
	Errors      int64              `json:"non_2xx"`
	SocketErr   string             `json:"socket_errors,omitempty"`
	RSSMaxKB    int64              `json:"rss_max_kb"`
	LoadBefore  string             `json:"loadavg_before"`
	LoadAfter   string             `json:"loadavg_after"`
	RatioHealth float64            `json:"ratio_to_healthz"`
	BodyBytes   int                `json:"body_bytes"`
	CPU         cpuUse             `json:"cpu_seconds"`
}

// cpuUse is the CPU time used during a run. Per request, the server's and
// PostgreSQL's figures say what an answer costs whatever else the machine
// is doing, which moves requests per second and latencies far more.
type cpuUse struct {
	Heder    float64 `json:"heder"`
	Postgres float64 `json:"postgres"`
	Wrk      float64 `json:"wrk"`
	// Machine is the busy time of all cores, MachineCap all of their time.
	Machine    float64 `json:"machine"`
	MachineCap float64 `json:"machine_capacity"`
}

// perRequest returns seconds of CPU per request in microseconds.
func (m measurement) perRequest(seconds float64) float64 {
	if m.Requests == 0 {
		return 0
	}
	return seconds / float64(m.Requests) * 1e6
}

// others is the share of the machine's cores (in % of one core) that
// neither the server, PostgreSQL nor wrk used: other people's work.
func (m measurement) others() float64 {
	if m.CPU.MachineCap == 0 {
		return 0
	}
	cores := float64(runtime.NumCPU())
	return (m.CPU.Machine - m.CPU.Heder - m.CPU.Postgres - m.CPU.Wrk) / m.CPU.MachineCap * cores * 100
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	var cfg config
	fl := flag.NewFlagSet("public", flag.ContinueOnError)
	fl.DurationVar(&cfg.duration, "d", 30*time.Second, "duration of each run")
	fl.IntVar(&cfg.connections, "c", 64, "connections")
	fl.IntVar(&cfg.threads, "t", 1, "wrk threads (one leaves the second core to the server: see bench/README.md)")
	fl.BoolVar(&cfg.uncached, "uncached", true, "also measure every page with a unique URL per request (no cache hits)")
	fl.StringVar(&cfg.out, "o", "", "write the results as JSON to this file (default bench/results/public-<time>.json)")
	fl.BoolVar(&cfg.gzip, "gzip", true, "send Accept-Encoding: gzip, as browsers do")
	fl.StringVar(&cfg.cpuprofile, "cpuprofile", "", "write the server's CPU profile of the whole run to this file")
	fl.BoolVar(&cfg.serve, "serve", false, "seed, print the URLs and keep serving until interrupted, without loading")
	only := fl.String("only", "", "load only the runs whose name matches this regular expression (and /healthz)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	var err error
	if cfg.only, err = regexp.Compile(*only); err != nil {
		return fmt.Errorf("-only: %w", err)
	}
	if _, err = exec.LookPath("wrk"); err != nil {
		return errors.New("wrk is missing: apt-get install -y wrk")
	}
	root, err := devbuild.Root()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "heder-bench-public-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	fmt.Fprintln(stdout, "building heder …")
	bin, err := devbuild.Heder(ctx, tmp)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "starting PostgreSQL …")
	cluster, err := pgcluster.Start(ctx)
	if err != nil {
		return err
	}
	defer cluster.Stop()
	dbURL := cluster.URL("postgres")
	u, err := url.Parse(dbURL)
	if err != nil {
		return err
	}
	srv, err := startHeder(ctx, bin, dbURL, tmp, cfg.cpuprofile)
	if err != nil {
		return err
	}
	defer srv.stop()
	srv.postmaster = procfs.PostmasterPID(u.Port())

	fmt.Fprintln(stdout, "seeding 20 awards × 10 years × 100 nominations × 3 projects …")
	began := time.Now()
	db, err := postgres.Open(ctx, dbURL, 2)
	if err != nil {
		return err
	}
	defer db.Close()
	conn, err := db.Pool.Acquire(ctx)
	if err != nil {
		return err
	}
	_, err = conn.Conn().PgConn().Exec(ctx, seedSQL).ReadAll()
	if err == nil {
		// As autovacuum would have by the time an archive is this large:
		// visibility maps, statistics, GIN pending lists merged.
		_, err = conn.Conn().PgConn().Exec(ctx, "VACUUM ANALYZE").ReadAll()
	}
	conn.Release()
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	var counts struct {
		Nominations int64 `bun:"nominations"`
		Projects    int64 `bun:"projects"`
		Public      int64 `bun:"public"`
	}
	if err := db.NewRaw(`SELECT (SELECT count(*) FROM nominations) AS nominations, (SELECT count(*) FROM projects) AS projects,
		(SELECT count(*) FROM public_nominations) AS public`).Scan(ctx, &counts); err != nil {
		return err
	}
	var project string
	if err := db.NewRaw(`SELECT p.public_id FROM projects p JOIN nomination_projects np ON np.project_id = p.id
		JOIN decisions d ON d.nomination_id = np.nomination_id JOIN cycles c ON c.id = d.cycle_id JOIN awards a ON a.id = c.award_id
		WHERE a.slug = 'lastpris-1' AND c.year = 2015 AND d.outcome = 'winner' ORDER BY np.position LIMIT 1`).Scan(ctx, &project); err != nil {
		return err
	}
	var projects []string
	if err := db.NewRaw(`SELECT p.public_id FROM projects p WHERE p.links[1] LIKE 'https://lasttest.example.org/%'
		ORDER BY md5(p.public_id) LIMIT 200`).Scan(ctx, &projects); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "seeded in %v: %d nominations (%d public), %d projects\n", time.Since(began).Round(time.Millisecond),
		counts.Nominations, counts.Public, counts.Projects)

	if cfg.serve {
		fmt.Fprintf(stdout, "serving %s (database %s, heder pid %d); Ctrl-C stops\n", srv.url, dbURL, srv.pid)
		<-ctx.Done()
		return nil
	}
	var years, apiYears, projectPages []string
	for a := 1; a <= 20; a++ {
		for y := 2011; y <= 2020; y++ {
			years = append(years, fmt.Sprintf("/priser/lastpris-%d/%d", a, y))
			apiYears = append(apiYears, fmt.Sprintf("/api/v1/public/awards/lastpris-%d/%d", a, y))
		}
	}
	for _, p := range projects {
		projectPages = append(projectPages, "/prosjekter/"+p)
	}
	pages := []target{
		{Name: "year page", Path: "/priser/lastpris-1/2015", Rotate: years},
		{Name: "project page", Path: "/prosjekter/" + project, Rotate: projectPages},
		{Name: "search page", Path: "/sok?q=sv%C3%B8mmehall"},
		{Name: "API year", Path: "/api/v1/public/awards/lastpris-1/2015", Rotate: apiYears},
		{Name: "API search", Path: "/api/v1/public/search?q=sv%C3%B8mmehall"},
	}
	targets := []target{{Name: "healthz", Path: "/healthz"}}
	for _, p := range pages {
		p.Rotate = nil // the public asks for the same page again
		targets = append(targets, p)
	}
	if cfg.uncached {
		for _, p := range pages {
			p.Name += " (uncached)"
			p.Unique = true
			targets = append(targets, p)
		}
	}
	var results []measurement
	for _, tg := range targets {
		if tg.Path != "/healthz" && !cfg.only.MatchString(tg.Name) {
			continue
		}
		size, err := check(ctx, srv.url+tg.Path)
		if err != nil {
			return fmt.Errorf("%s: %w\nthe server's log ends:\n%s", tg.Name, err, procfs.Tail(srv.log, 30))
		}
		fmt.Fprintf(stdout, "loading %s (%s, %d bytes) with %d connections for %v …\n", tg.Name, tg.Path, size, cfg.connections, cfg.duration)
		m, err := load(ctx, cfg, srv, tg, tmp)
		if err != nil {
			return fmt.Errorf("%s: %w", tg.Name, err)
		}
		m.BodyBytes = size
		results = append(results, m)
	}
	for i := range results {
		results[i].RatioHealth = results[i].RPS / results[0].RPS
	}
	report(stdout, cfg, results)
	out := cfg.out
	if out == "" {
		out = filepath.Join(root, "bench", "results", "public-"+time.Now().UTC().Format("20060102-150405")+".json")
	}
	b, _ := json.MarshalIndent(map[string]any{"connections": cfg.connections, "duration_s": cfg.duration.Seconds(), "gzip": cfg.gzip,
		"nominations": counts.Nominations, "public_nominations": counts.Public, "projects": counts.Projects, "runs": results}, "", "  ")
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(out, b, 0o644); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "results:", out)
	return nil
}

// check fetches url once (which also fills the cache) and returns its size.
func check(ctx context.Context, url string) (int, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("GET %s: %d %.200s", url, resp.StatusCode, b)
	}
	return len(b), nil
}

// uniqueScript makes every request of a wrk thread distinct, going
// through paths in turn (each thread from its own place).
const uniqueScript = `local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local n = 0
function request()
  n = n + 1
  local path = paths[(n + tid * 97) % #paths + 1]
  local sep = "?"
  if string.find(path, "?", 1, true) then sep = "&" end
  return wrk.format(nil, path .. sep .. "r=" .. tid .. "-" .. n)
end
`

// luaPaths is a Lua table of paths.
func luaPaths(paths []string) string {
	quoted := make([]string, len(paths))
	for i, p := range paths {
		quoted[i] = strconv.Quote(p)
	}
	return "paths = {" + strings.Join(quoted, ", ") + "}\n"
}

// load runs wrk against tg while sampling the server's memory.
func load(ctx context.Context, cfg config, srv *server, tg target, dir string) (measurement, error) {
	m := measurement{Target: tg, Latency: map[string]float64{}, LoadBefore: procfs.LoadAvg()}
	args := []string{"-t", strconv.Itoa(cfg.threads), "-c", strconv.Itoa(cfg.connections), "-d", cfg.duration.String(), "--latency"}
	if cfg.gzip {
		args = append(args, "-H", "Accept-Encoding: gzip")
	}
	if tg.Unique {
		paths := tg.Rotate
		if len(paths) == 0 {
			paths = []string{tg.Path}
		}
		script := filepath.Join(dir, "unique.lua")
		if err := os.WriteFile(script, []byte(luaPaths(paths)+uniqueScript), 0o644); err != nil {
			return m, err
		}
		args = append(args, "-s", script)
	}
	args = append(args, srv.url+tg.Path)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				if rss, _, _ := procfs.RSSKB(srv.pid); rss > m.RSSMaxKB {
					m.RSSMaxKB = rss
				}
			}
		}
	}()
	heder0, pg0 := procfs.CPUSeconds(srv.pid), procfs.PostgresCPU(srv.postmaster)
	busy0, total0 := procfs.MachineCPU()
	cmd := exec.CommandContext(ctx, "wrk", args...)
	out, err := cmd.CombinedOutput()
	busy1, total1 := procfs.MachineCPU()
	m.CPU = cpuUse{Heder: procfs.CPUSeconds(srv.pid) - heder0, Postgres: procfs.PostgresCPU(srv.postmaster) - pg0,
		Machine: busy1 - busy0, MachineCap: total1 - total0}
	if cmd.ProcessState != nil {
		m.CPU.Wrk = (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
	}
	close(stop)
	wg.Wait()
	m.LoadAfter = procfs.LoadAvg()
	if err != nil {
		return m, fmt.Errorf("wrk: %w\n%s", err, out)
	}
	parseWrk(string(out), &m)
	if m.RPS == 0 {
		return m, fmt.Errorf("could not read wrk's output:\n%s", out)
	}
	return m, nil
}

var (
	rpsLine     = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	totalLine   = regexp.MustCompile(`(\d+) requests in`)
	latLine     = regexp.MustCompile(`^\s+(50|75|90|99)%\s+([0-9.]+)(us|ms|s)\s*$`)
	non2xxLine  = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
	socketLine  = regexp.MustCompile(`Socket errors: (.*)`)
	unitsMillis = map[string]float64{"us": 0.001, "ms": 1, "s": 1000}
)

func parseWrk(out string, m *measurement) {
	if s := rpsLine.FindStringSubmatch(out); s != nil {
		m.RPS, _ = strconv.ParseFloat(s[1], 64)
	}
	if s := totalLine.FindStringSubmatch(out); s != nil {
		m.Requests, _ = strconv.ParseInt(s[1], 10, 64)
	}
	if s := non2xxLine.FindStringSubmatch(out); s != nil {
		m.Errors, _ = strconv.ParseInt(s[1], 10, 64)
	}
	if s := socketLine.FindStringSubmatch(out); s != nil {
		m.SocketErr = strings.TrimSpace(s[1])
	}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		if s := latLine.FindStringSubmatch(sc.Text()); s != nil {
			v, _ := strconv.ParseFloat(s[2], 64)
			m.Latency[s[1]+"%"] = v * unitsMillis[s[3]]
		}
	}
}

func report(w io.Writer, cfg config, rs []measurement) {
	fmt.Fprintf(w, "\n%d connections, %v per run, wrk -t %d on loopback, gzip %v\n", cfg.connections, cfg.duration, cfg.threads, cfg.gzip)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "run\trequests/s\tvs /healthz\tp50 ms\tp90 ms\tp99 ms\tnon-2xx\theder µs/req\tpg µs/req\tothers %\tRSS max MB\tload before\tload after\t")
	for _, r := range rs {
		fmt.Fprintf(tw, "%s\t%.0f\t%.2f\t%.2f\t%.2f\t%.2f\t%d\t%.0f\t%.0f\t%.0f\t%.1f\t%s\t%s\t\n", r.Target.Name, r.RPS, r.RatioHealth,
			r.Latency["50%"], r.Latency["90%"], r.Latency["99%"], r.Errors, r.perRequest(r.CPU.Heder), r.perRequest(r.CPU.Postgres),
			r.others(), float64(r.RSSMaxKB)/1024, r.LoadBefore, r.LoadAfter)
	}
	tw.Flush()
}

// server is a running `heder dev`.
type server struct {
	cmd        *exec.Cmd
	pid        int
	postmaster int
	url        string
	log        string
	done       chan error
}

// startHeder runs `heder dev` on a free loopback port against dbURL, with
// request logs off (warn level) as a production server would run, and
// waits for its ready line.
func startHeder(ctx context.Context, bin, dbURL, dir, cpuprofile string) (*server, error) {
	logPath := filepath.Join(dir, "heder.log")
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "dev", "-addr", "127.0.0.1:0", "-idp-addr", "127.0.0.1:0")
	var env []string
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); !strings.HasPrefix(k, "HEDER_") && k != "DATABASE_URL" {
			env = append(env, kv)
		}
	}
	cmd.Env = append(env, "DATABASE_URL="+dbURL, "HEDER_LOG_LEVEL=warn", "HEDER_FILES_URL=file://"+filepath.Join(dir, "files"))
	if cpuprofile != "" {
		cmd.Env = append(cmd.Env, "HEDER_CPUPROFILE="+cpuprofile)
	}
	cmd.Stderr = logf
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, pid: cmd.Process.Pid, log: logPath, done: make(chan error, 1)}
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "ready: "); ok && s.url == "" {
				s.url = u
				close(ready)
			}
		}
	}()
	go func() { s.done <- cmd.Wait(); logf.Close() }()
	select {
	case <-ready:
		return s, nil
	case err := <-s.done:
		b, _ := os.ReadFile(logPath)
		return nil, fmt.Errorf("heder dev stopped (%v):\n%s", err, b)
	case <-time.After(90 * time.Second):
		s.stop()
		return nil, errors.New("heder dev not ready after 90s")
	case <-ctx.Done():
		s.stop()
		return nil, ctx.Err()
	}
}

func (s *server) stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.done:
	case <-time.After(20 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}
