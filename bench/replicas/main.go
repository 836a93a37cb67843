// Command replicas loads Heder run as production runs it, several
// `heder serve` processes on one PostgreSQL (internal/replicatest), with
// one replica and then with all of them, requests spread round-robin:
// the public cycle page (wrk, one process per replica with the
// connections split between them, their figures merged) and jurors'
// score saves (a Go client, each juror's saves going to the replicas in
// turn). It reports requests per second, p50 and p99, the CPU each part
// used and every replica's memory, and writes bench/results/replicas-….json.
// See bench/README.md.
//
//	go run ./bench/replicas [-replicas 3] [-d 20s] [-c 64] [-jurors 12] …
package main

import (
	"context"
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
	"runtime"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/heder-awards/heder/bench/internal/procfs"
	"github.com/heder-awards/heder/internal/devbuild"
	"github.com/heder-awards/heder/internal/replicatest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bench/replicas:", err)
		os.Exit(1)
	}
}

type config struct {
	Replicas    int           `json:"replicas"`
	Duration    time.Duration `json:"-"`
	Warmup      time.Duration `json:"-"`
	Conns       int           `json:"public_connections"`
	Jurors      int           `json:"jurors"`
	Nominations int           `json:"nominations"`
	Criteria    int           `json:"criteria"`
	Awards      int           `json:"public_awards"`
	Out         string        `json:"-"`
}

// measurement is one workload on some replicas.
type measurement struct {
	Workload    string  `json:"workload"`
	Replicas    int     `json:"replicas"`
	Connections int     `json:"connections"`
	Requests    int64   `json:"requests"`
	Errors      int64   `json:"errors"`
	Seconds     float64 `json:"seconds"`
	RPS         float64 `json:"requests_per_s"`
	P50         float64 `json:"p50_ms"`
	P99         float64 `json:"p99_ms"`
	Max         float64 `json:"max_ms"`
	// PerReplica is each running replica's share and memory.
	PerReplica []replicaUse `json:"per_replica"`
	// CPU is the average number of cores busy: Heder (all replicas),
	// PostgreSQL, the load generator and the whole machine.
	CPU         map[string]float64 `json:"cpu_cores"`
	LoadBefore  string             `json:"loadavg_before"`
	LoadAfter   string             `json:"loadavg_after"`
	FailureNote string             `json:"failure_example,omitempty"`
}

type replicaUse struct {
	Replica   int     `json:"replica"`
	Requests  int64   `json:"requests"`
	RSSIdleMB float64 `json:"rss_idle_mb"`
	RSSMaxMB  float64 `json:"rss_max_mb"`
	HWMMB     float64 `json:"vmhwm_mb"`
}

func run(ctx context.Context, args []string, stdout io.Writer) (err error) {
	var cfg config
	fl := flag.NewFlagSet("replicas", flag.ContinueOnError)
	fl.IntVar(&cfg.Replicas, "replicas", 3, "replicas to run; each workload is measured on 1 and on this many")
	fl.DurationVar(&cfg.Duration, "d", 20*time.Second, "how long each measurement lasts")
	fl.DurationVar(&cfg.Warmup, "warmup", 3*time.Second, "load before each measurement, not counted")
	fl.IntVar(&cfg.Conns, "c", 64, "connections asking for the public page, split between the replicas")
	fl.IntVar(&cfg.Jurors, "jurors", 12, "jurors saving scores at once, each one save after the other")
	fl.IntVar(&cfg.Nominations, "n", 50, "nominations in the cycle being judged")
	fl.IntVar(&cfg.Criteria, "criteria", 5, "criteria scored in each save")
	fl.IntVar(&cfg.Awards, "awards", 2, "awards in the public archive (bench/public/seed.sql makes 20), each with 10 years of 100 nominations")
	fl.StringVar(&cfg.Out, "out", "", "folder for the JSON results (default bench/results in the repository)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if cfg.Replicas < 1 || cfg.Conns < cfg.Replicas || cfg.Jurors < 1 || cfg.Nominations < 1 || cfg.Criteria < 1 || cfg.Awards < 1 || cfg.Duration <= 0 {
		return errors.New("need replicas, jurors, n, criteria, awards ≥ 1, c ≥ replicas and d > 0")
	}
	if _, err := exec.LookPath("wrk"); err != nil {
		return errors.New("wrk is missing: apt-get install -y wrk")
	}
	root, err := devbuild.Root()
	if err != nil {
		return err
	}
	say := func(format string, a ...any) {
		fmt.Fprintf(stdout, "%s  "+format+"\n", append([]any{time.Now().Format("15:04:05")}, a...)...)
	}

	// Cleanups run last; a failure before them makes the harness print
	// the replicas' output.
	h := &harness{say: say}
	defer h.close()
	defer func() {
		if err != nil {
			h.fail()
		}
	}()
	defer func() {
		if p := recover(); p != nil {
			f, ok := p.(fatal)
			if !ok {
				panic(p)
			}
			err = errors.New(f.msg)
		}
	}()
	tmp, err := os.MkdirTemp("", "heder-bench-replicas-")
	if err != nil {
		return err
	}
	h.Cleanup(func() { os.RemoveAll(tmp) })
	script := filepath.Join(tmp, "quantiles.lua")
	if err := os.WriteFile(script, []byte(wrkScript), 0o644); err != nil {
		return err
	}

	started := time.Now()
	say("building heder, starting PostgreSQL and %d replicas …", cfg.Replicas)
	d := replicatest.Start(h, replicatest.Options{Replicas: cfg.Replicas, OwnCluster: true, BenchUsers: true,
		Env: map[string]string{"HEDER_LOG_LEVEL": "warn"}}) // no request logs: the harness keeps every line in memory
	db := d.DB(h)
	u, _ := url.Parse(d.DBURL)
	postmaster := procfs.PostmasterPID(u.Port())
	say("up in %s", time.Since(started).Round(time.Millisecond))

	t0 := time.Now()
	public, err := seedPublic(ctx, root, d.DBURL, db, cfg.Awards)
	if err != nil {
		return err
	}
	say("seeded the public archive (%d awards × 10 years × 100 nominations: %d public) in %s", cfg.Awards, public, time.Since(t0).Round(time.Millisecond))
	const page = "/priser/lastpris-1/2015"

	// Each juror logs in through the real login on a replica in turn;
	// their sessions then work on every replica.
	transport := &http.Transport{MaxIdleConns: 4 * cfg.Jurors, MaxIdleConnsPerHost: 2 * cfg.Jurors, IdleConnTimeout: time.Minute, DisableCompression: true}
	var names []string
	var jurors []*http.Client
	for k := range cfg.Jurors {
		name := fmt.Sprintf("bench-%d", k+1)
		c := d.Replicas[k%len(d.Replicas)].Login(h, name)
		names = append(names, name)
		jurors = append(jurors, &http.Client{Jar: c.Jar, Transport: transport, Timeout: 30 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }})
	}
	jy, err := seedJury(ctx, db, d.IdP, names, cfg.Nominations, cfg.Criteria)
	if err != nil {
		return err
	}
	say("%d jurors logged in and seated in a cycle of %d nominations × %d criteria", cfg.Jurors, cfg.Nominations, cfg.Criteria)

	var results []measurement
	counts := []int{1}
	if cfg.Replicas > 1 {
		counts = append(counts, cfg.Replicas)
	}
	for _, n := range counts {
		for i, r := range d.Replicas {
			switch {
			case i >= n && r.Running():
				if err := r.Stop(h); err != nil {
					return fmt.Errorf("stop replica %d: %w", i+1, err)
				}
			case i < n && !r.Running():
				r.Start(h)
			}
		}
		running := d.Replicas[:n]
		var bases []string
		for _, r := range running {
			bases = append(bases, r.URL)
			if status, body := r.Do(h, d.Client(h), http.MethodGet, page, ""); status != http.StatusOK {
				return fmt.Errorf("GET %s on replica %d: %d %.300s", page, r.Index+1, status, body)
			}
		}

		say("%d replica(s): public cycle page %s, %d connections, %s warm-up, %s measured …", n, page, cfg.Conns, cfg.Warmup, cfg.Duration)
		if _, err := loadPublic(ctx, script, bases, page, cfg.Conns, cfg.Warmup); err != nil {
			return err
		}
		var pr publicResult
		m := measure(running, postmaster, func() (float64, error) {
			var err error
			pr, err = loadPublic(ctx, script, bases, page, cfg.Conns, cfg.Duration)
			var cpu float64
			for _, r := range pr.runs {
				cpu += r.cpu
			}
			return cpu, err
		})
		if m.err != nil {
			return m.err
		}
		m.Workload, m.Replicas, m.Connections = "public cycle page", n, cfg.Conns
		var qs []quantiles
		m.Seconds = 0
		for i, r := range pr.runs {
			m.Requests += r.requests
			m.Errors += r.errors
			m.RPS += float64(r.requests) / r.seconds
			m.Seconds = max(m.Seconds, r.seconds)
			m.PerReplica[i].Requests = r.requests
			qs = append(qs, r.latency)
		}
		m.P50, m.P99, m.Max = mergedQuantile(qs, 0.5)/1000, mergedQuantile(qs, 0.99)/1000, mergedQuantile(qs, 1)/1000
		results = append(results, m.measurement)
		say("  %.0f requests/s, p50 %.2f ms, p99 %.2f ms, %d errors", m.RPS, m.P50, m.P99, m.Errors)

		say("%d replica(s): score saves by %d jurors, %s warm-up, %s measured …", n, cfg.Jurors, cfg.Warmup, cfg.Duration)
		loadScores(ctx, jurors, bases, jy, cfg.Warmup)
		var sr scoreResult
		m = measure(running, postmaster, func() (float64, error) {
			self := procfs.SelfCPU()
			sr = loadScores(ctx, jurors, bases, jy, cfg.Duration)
			return procfs.SelfCPU() - self, ctx.Err()
		})
		if m.err != nil {
			return m.err
		}
		m.Workload, m.Replicas, m.Connections = "score saves", n, cfg.Jurors
		m.Requests = sr.requests
		m.Errors = sr.requests - int64(len(sr.latencies))
		m.RPS = float64(len(sr.latencies)) / m.Seconds
		m.P50, m.P99, m.Max = nearestRank(sr.latencies, 0.5), nearestRank(sr.latencies, 0.99), nearestRank(sr.latencies, 1)
		for i, c := range sr.perBase {
			m.PerReplica[i].Requests = c
		}
		if m.Errors > 0 {
			m.FailureNote = fmt.Sprintf("%v; first: %s", sr.failures, sr.example)
		}
		results = append(results, m.measurement)
		say("  %.0f saves/s, p50 %.2f ms, p99 %.2f ms, %d errors %s", m.RPS, m.P50, m.P99, m.Errors, m.FailureNote)
	}

	report(stdout, cfg, results)
	out := cfg.Out
	if out == "" {
		out = filepath.Join(root, "bench", "results")
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	path := filepath.Join(out, "replicas-"+started.UTC().Format("20060102-150405")+".json")
	b, _ := json.MarshalIndent(map[string]any{"started": started.UTC(), "config": cfg, "cores": runtime.NumCPU(),
		"duration_s": cfg.Duration.Seconds(), "results": results}, "", "  ")
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nresults: %s\n", path)
	return nil
}

// measured is a measurement with the error of the load that made it.
type measured struct {
	measurement
	err error
}

// measure runs load while sampling the running replicas' memory every
// 250 ms, and adds up the CPU time of Heder, PostgreSQL, the load
// generator (which load returns) and the machine over it.
func measure(running []*replicatest.Replica, postmaster int, load func() (generatorCPU float64, err error)) measured {
	m := measured{measurement: measurement{PerReplica: make([]replicaUse, len(running)), LoadBefore: procfs.LoadAvg()}}
	pids := make([]int, len(running))
	maxRSS := make([]int64, len(running))
	for i, r := range running {
		pids[i] = r.PID()
		idle, _, _ := procfs.RSSKB(pids[i])
		m.PerReplica[i] = replicaUse{Replica: r.Index + 1, RSSIdleMB: mb(idle)}
		maxRSS[i] = idle
	}
	hederCPU := func() float64 {
		var s float64
		for _, pid := range pids {
			s += procfs.CPUSeconds(pid)
		}
		return s
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				for i, pid := range pids {
					if rss, _, _ := procfs.RSSKB(pid); rss > maxRSS[i] {
						maxRSS[i] = rss
					}
				}
			}
		}
	})
	heder0, pg0 := hederCPU(), procfs.PostgresCPU(postmaster)
	busy0, _ := procfs.MachineCPU()
	began := time.Now()
	gen, err := load()
	secs := time.Since(began).Seconds()
	busy1, _ := procfs.MachineCPU()
	close(stop)
	wg.Wait()
	m.err, m.Seconds = err, secs
	m.CPU = map[string]float64{"heder": (hederCPU() - heder0) / secs, "postgres": (procfs.PostgresCPU(postmaster) - pg0) / secs,
		"load_generator": gen / secs, "machine": (busy1 - busy0) / secs}
	m.CPU["others"] = max(0, m.CPU["machine"]-m.CPU["heder"]-m.CPU["postgres"]-m.CPU["load_generator"])
	for i, pid := range pids {
		_, hwm, _ := procfs.RSSKB(pid)
		m.PerReplica[i].RSSMaxMB, m.PerReplica[i].HWMMB = mb(maxRSS[i]), mb(hwm)
	}
	m.LoadAfter = procfs.LoadAvg()
	return m
}

func mb(kb int64) float64 { return float64(kb) / 1024 }

func report(w io.Writer, cfg config, rs []measurement) {
	fmt.Fprintf(w, "\n%d cores; each run %s after %s of warm-up; CPU in cores (of %d) averaged over the run\n", runtime.NumCPU(), cfg.Duration, cfg.Warmup, runtime.NumCPU())
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "workload\treplicas\tconns\trequests/s\tp50 ms\tp99 ms\tmax ms\terrors\theder\tpostgres\tgenerator\tothers\tRSS idle→max MB (VmHWM) per replica\tload before → after\t")
	for _, r := range rs {
		var rss []string
		for _, p := range r.PerReplica {
			rss = append(rss, fmt.Sprintf("%.0f→%.0f (%.0f)", p.RSSIdleMB, p.RSSMaxMB, p.HWMMB))
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.0f\t%.2f\t%.2f\t%.1f\t%d\t%.2f\t%.2f\t%.2f\t%.2f\t%s\t%s → %s\t\n", r.Workload, r.Replicas, r.Connections,
			r.RPS, r.P50, r.P99, r.Max, r.Errors, r.CPU["heder"], r.CPU["postgres"], r.CPU["load_generator"], r.CPU["others"],
			strings.Join(rss, ", "), r.LoadBefore, r.LoadAfter)
	}
	tw.Flush()
}
