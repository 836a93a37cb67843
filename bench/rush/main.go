// Command rush is the deadline-rush load test: n logged-in submitters who
// each, at a random moment within the same window (open-loop arrivals),
// start a nomination, add projects, save it several times, upload a file
// and submit, through the JSON API on loopback. It runs Heder as a
// separate process (`heder dev` on its own throw-away PostgreSQL), reads
// the server's memory from /proc, checks afterwards in the database that
// every nomination is stored exactly once and complete, and reports
// latency per request type against the targets. See bench/README.md.
//
//	go run ./bench/rush [-n 500] [-window 60s] …
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/heder-awards/heder/bench/internal/procfs"
	"github.com/heder-awards/heder/internal/devbuild"
	"github.com/heder-awards/heder/internal/postgres"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	missed, err := run(ctx, os.Args[1:], os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "rush:", err)
		os.Exit(2)
	}
	if missed {
		os.Exit(1)
	}
}

// config is the command line.
type config struct {
	N            int           `json:"submitters"`
	Window       time.Duration `json:"-"`
	Saves        int           `json:"saves"`
	Projects     int           `json:"projects"`
	FileSize     int           `json:"file_bytes"`
	Think        time.Duration `json:"-"`
	LoginWorkers int           `json:"login_workers"`
	Drain        time.Duration `json:"-"`
	Seed         uint64        `json:"seed"`
	Out          string        `json:"-"`
	CPUProfile   string        `json:"cpu_profile,omitempty"`
	Keep         bool          `json:"-"`
	P99Save      time.Duration `json:"-"`
	MaxRSSMB     int           `json:"max_rss_mb_target"`
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fl := flag.NewFlagSet("rush", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.IntVar(&c.N, "n", 500, "submitters")
	fl.DurationVar(&c.Window, "window", 60*time.Second, "the submitters arrive at random moments within this window")
	fl.IntVar(&c.Saves, "saves", 3, "saves (PATCH) of the nomination per submitter")
	fl.IntVar(&c.Projects, "projects", 2, "projects per nomination")
	fl.IntVar(&c.FileSize, "file-bytes", 1<<20, "size of the attachment each submitter uploads")
	fl.DurationVar(&c.Think, "think", 0, "mean pause between a submitter's steps (uniform from 0 to twice this); 0 for none")
	fl.IntVar(&c.LoginWorkers, "login-workers", 8, "logins in parallel before the window")
	fl.DurationVar(&c.Drain, "drain", 60*time.Second, "how long to wait for the receipt e-mails afterwards")
	fl.Uint64Var(&c.Seed, "seed", 2017, "seed of the arrival times and the file")
	fl.StringVar(&c.Out, "out", "", "folder for the JSON results (default bench/results in the repository)")
	fl.StringVar(&c.CPUProfile, "cpuprofile", "", "write the server's CPU profile during the run to this file (go tool pprof)")
	fl.BoolVar(&c.Keep, "keep", false, "keep the temporary folder (server log, files) for a look afterwards")
	fl.DurationVar(&c.P99Save, "target-p99-save", 250*time.Millisecond, "target: 99th percentile of save latency")
	fl.IntVar(&c.MaxRSSMB, "target-rss-mb", 200, "target: the server's largest resident set, in MB")
	if err := fl.Parse(args); err != nil {
		return c, err
	}
	if c.N < 1 || c.Window <= 0 || c.Saves < 1 || c.Projects < 1 || c.Projects > 3 || c.FileSize < 1024 || c.LoginWorkers < 1 {
		return c, errors.New("need n ≥ 1, window > 0, saves ≥ 1, projects 1–3, file-bytes ≥ 1024, login-workers ≥ 1")
	}
	if c.CPUProfile != "" {
		abs, err := filepath.Abs(c.CPUProfile)
		if err != nil {
			return c, err
		}
		c.CPUProfile = abs
	}
	return c, nil
}

// stats summarises one request type's latencies, in milliseconds.
type stats struct {
	Op       string         `json:"op"`
	Count    int            `json:"count"`
	OK       int            `json:"ok"`
	P50      float64        `json:"p50_ms"`
	P95      float64        `json:"p95_ms"`
	P99      float64        `json:"p99_ms"`
	Max      float64        `json:"max_ms"`
	Mean     float64        `json:"mean_ms"`
	ByStatus map[string]int `json:"errors_by_status,omitempty"`
}

// summarise computes latency percentiles (nearest rank) over the
// successful requests and counts the others by status.
func summarise(op string, samples []sample) stats {
	s := stats{Op: op, ByStatus: map[string]int{}}
	var ds []time.Duration
	var sum time.Duration
	for _, x := range samples {
		if x.op != op {
			continue
		}
		s.Count++
		if !x.ok {
			k := fmt.Sprint(x.status)
			if x.status == 0 {
				k = "no answer"
			}
			s.ByStatus[k]++
			continue
		}
		s.OK++
		ds = append(ds, x.dur)
		sum += x.dur
	}
	if len(ds) == 0 {
		return s
	}
	slices.Sort(ds)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	rank := func(q float64) float64 {
		i := int(q*float64(len(ds))+0.999999) - 1
		return ms(ds[max(0, min(i, len(ds)-1))])
	}
	s.P50, s.P95, s.P99, s.Max = rank(0.50), rank(0.95), rank(0.99), ms(ds[len(ds)-1])
	s.Mean = ms(sum / time.Duration(len(ds)))
	return s
}

// cpuUse is CPU time in seconds over the load phase, summed over cores.
type cpuUse struct {
	Seconds     float64 `json:"wall_seconds"`
	Heder       float64 `json:"heder"`
	Postgres    float64 `json:"postgres"`
	LoadGen     float64 `json:"load_generator"`
	Machine     float64 `json:"machine_busy"`
	MachineCap  float64 `json:"machine_capacity"`
	OthersGuess float64 `json:"others"`
}

type rssPoint struct {
	At float64 `json:"t_s"`
	MB float64 `json:"mb"`
}

// result is what the JSON file holds.
type result struct {
	Started       time.Time         `json:"started"`
	Config        config            `json:"config"`
	WindowSeconds float64           `json:"window_s"`
	ThinkSeconds  float64           `json:"think_mean_s"`
	Machine       map[string]string `json:"machine"`
	Seed          seed              `json:"seed_data"`
	Login         stats             `json:"login"`
	Ops           []stats           `json:"ops"`
	All           stats             `json:"all_requests"`
	Requests      int               `json:"requests"`
	LoadSeconds   float64           `json:"load_s"` // first request sent to last answer
	RequestsPerS  float64           `json:"requests_per_s"`
	UploadMBPerS  float64           `json:"upload_mb_per_s"`
	MaxStartLagMS float64           `json:"max_start_lag_ms"`
	SessionP50    float64           `json:"session_p50_s"`
	SessionMax    float64           `json:"session_max_s"`
	Failures      []string          `json:"failures,omitempty"`
	Failed        int               `json:"submitters_failed"`
	RSSIdleMB     float64           `json:"rss_idle_mb"`
	RSSMaxMB      float64           `json:"rss_max_mb"`  // sampled every 250 ms
	RSSPeakMB     float64           `json:"rss_peak_mb"` // VmHWM: the kernel's own peak
	PostgresRSSMB float64           `json:"postgres_rss_mb"`
	RSSSeries     []rssPoint        `json:"rss_series"`
	CPU           cpuUse            `json:"cpu"`
	DBWaits       []waitShare       `json:"db_active_backends"`
	Statements    []statement       `json:"top_statements"`
	Verification  verification      `json:"verification"`
	Receipts      receipts          `json:"receipts"`
	Targets       map[string]bool   `json:"targets_met"`
	Pass          bool              `json:"pass"`
}

func run(ctx context.Context, args []string, stdout io.Writer) (missed bool, err error) {
	cfg, err := parseFlags(args, os.Stderr)
	if err != nil {
		return false, err
	}
	res := result{Started: time.Now().UTC(), Config: cfg, WindowSeconds: cfg.Window.Seconds(), ThinkSeconds: cfg.Think.Seconds()}
	say := func(format string, a ...any) {
		fmt.Fprintf(stdout, "%s  "+format+"\n", append([]any{time.Now().Format("15:04:05")}, a...)...)
	}

	root, err := devbuild.Root()
	if err != nil {
		return false, err
	}
	tmp, err := os.MkdirTemp("", "heder-rush-")
	if err != nil {
		return false, err
	}
	if cfg.Keep {
		say("keeping %s", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}

	say("building heder …")
	bin, err := devbuild.Heder(ctx, tmp)
	if err != nil {
		return false, err
	}
	version, _ := exec.Command(bin, "version").Output()
	describe := exec.Command("git", "describe", "--always", "--dirty")
	describe.Dir = root
	commit, _ := describe.Output() // empty outside a git checkout
	res.Machine = map[string]string{"cores": fmt.Sprint(runtime.NumCPU()), "go": runtime.Version(),
		"heder": strings.TrimSpace(strings.TrimPrefix(string(version), "heder")), "git": strings.TrimSpace(string(commit)),
		"load_avg_before": procfs.LoadAvg()}

	say("starting PostgreSQL …")
	cluster, err := startDatabase(ctx)
	if err != nil {
		return false, err
	}
	defer cluster.Stop()
	dbURL := cluster.URL("postgres")
	u, _ := url.Parse(dbURL)
	postmaster := procfs.PostmasterPID(u.Port())

	file, err := makePNG(cfg.FileSize, cfg.Seed)
	if err != nil {
		return false, err
	}
	body, bodyType, fileSum, err := uploadBody(file)
	if err != nil {
		return false, err
	}

	say("starting heder dev …")
	filesDir := filepath.Join(tmp, "files")
	var extraEnv []string
	if cfg.CPUProfile != "" {
		extraEnv = append(extraEnv, "HEDER_CPUPROFILE="+cfg.CPUProfile)
	}
	srv, err := startHeder(ctx, bin, dbURL, filesDir, filepath.Join(tmp, "heder.log"), extraEnv)
	if err != nil {
		return false, err
	}
	stopped := false
	defer func() {
		if !stopped {
			srv.stop()
		}
	}()
	say("heder (pid %d) ready at %s, login at %s", srv.pid, srv.url, srv.issuer)

	db, err := postgres.Open(ctx, dbURL, 4)
	if err != nil {
		return false, err
	}
	defer db.Close()
	if res.Seed, err = seedBench(ctx, db, srv.issuer, cfg.N); err != nil {
		return false, err
	}
	say("seeded cycle %s: %d submitters in %d municipalities and %d other organisations",
		res.Seed.CyclePublicID, cfg.N, res.Seed.Municipalities, res.Seed.OtherOrgs)

	// One transport, as many idle connections as submitters: each keeps
	// its connection like a browser does.
	transport := &http.Transport{MaxIdleConns: cfg.N + 10, MaxIdleConnsPerHost: cfg.N + 10, IdleConnTimeout: 5 * time.Minute,
		DisableCompression: true}
	subs := make([]*submitter, cfg.N)
	for i := range subs {
		subs[i] = &submitter{n: i + 1, client: newClient(transport), rng: rand.New(rand.NewPCG(cfg.Seed, uint64(i)))}
	}
	say("logging in %d submitters (%d at a time; not measured as part of the rush) …", cfg.N, cfg.LoginWorkers)
	logins, err := loginAll(ctx, subs, srv.url, cfg.LoginWorkers)
	if err != nil {
		return false, err
	}
	res.Login = summarise("login", logins)

	// Memory from now on, every 250 ms; the idle figure is before the rush.
	sampleCtx, stopSampling := context.WithCancel(ctx)
	defer stopSampling()
	rssIdle, _, _ := procfs.RSSKB(srv.pid)
	res.RSSIdleMB = float64(rssIdle) / 1024
	var rssMu sync.Mutex
	var rssMax, pgRSSMax int64
	schedule := arrivals(cfg.N, cfg.Window, cfg.Seed)
	t0 := time.Now().Add(time.Second)
	go func() {
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for n := 0; ; n++ {
			if rss, _, err := procfs.RSSKB(srv.pid); err == nil {
				pg := int64(0)
				if n%4 == 0 {
					pg = procfs.PostgresRSSKB(postmaster)
				}
				rssMu.Lock()
				rssMax, pgRSSMax = max(rssMax, rss), max(pgRSSMax, pg)
				res.RSSSeries = append(res.RSSSeries, rssPoint{At: time.Since(t0).Seconds(), MB: float64(rss) / 1024})
				rssMu.Unlock()
			}
			select {
			case <-sampleCtx.Done():
				return
			case <-t.C:
			}
		}
	}()
	if err := resetStatements(ctx, db); err != nil {
		return false, err
	}
	waits := &waitSampler{}
	waitCtx, stopWaits := context.WithCancel(ctx)
	go waits.run(waitCtx, db, 200*time.Millisecond)

	say("rush: %d submitters arriving over %s (each: create, %d projects, %d saves, %d project saves, a %d-byte upload, submit) …",
		cfg.N, cfg.Window, cfg.Projects, cfg.Saves, cfg.Projects, cfg.FileSize)
	p := &plan{base: srv.url, cycle: res.Seed.CyclePublicID, saves: cfg.Saves, projects: cfg.Projects, think: cfg.Think,
		upload: body, uploadCT: bodyType, t0: t0}
	cpuHeder0, cpuPG0, cpuSelf0 := procfs.CPUSeconds(srv.pid), procfs.PostgresCPU(postmaster), procfs.SelfCPU()
	busy0, total0 := procfs.MachineCPU()
	wall0 := time.Now()
	var wg sync.WaitGroup
	for i, s := range subs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			at := t0.Add(schedule[i])
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Until(at)):
			}
			s.lag = time.Since(at)
			s.run(ctx, p)
		}()
	}
	progress := time.NewTicker(10 * time.Second)
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
wait:
	for {
		select {
		case <-done:
			break wait
		case <-progress.C:
			say("  … %.0fs, server RSS %.0f MB", time.Since(t0).Seconds(), func() float64 { r, _, _ := procfs.RSSKB(srv.pid); return float64(r) / 1024 }())
		}
	}
	progress.Stop()
	wall := time.Since(wall0).Seconds()
	busy1, total1 := procfs.MachineCPU()
	res.CPU = cpuUse{Seconds: wall, Heder: procfs.CPUSeconds(srv.pid) - cpuHeder0, Postgres: procfs.PostgresCPU(postmaster) - cpuPG0,
		LoadGen: procfs.SelfCPU() - cpuSelf0, Machine: busy1 - busy0, MachineCap: total1 - total0}
	res.CPU.OthersGuess = max(0, res.CPU.Machine-res.CPU.Heder-res.CPU.Postgres-res.CPU.LoadGen)
	stopWaits()
	res.DBWaits = waits.result()
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if res.Statements, err = topStatements(ctx, db, 15); err != nil {
		return false, fmt.Errorf("read pg_stat_statements: %w", err)
	}

	// Every request of every submitter, for the report.
	var all []sample
	var sessions []time.Duration
	first, last := time.Duration(1<<62), time.Duration(0)
	for _, s := range subs {
		all = append(all, s.samples...)
		res.MaxStartLagMS = max(res.MaxStartLagMS, float64(s.lag.Microseconds())/1000)
		if s.failure != "" {
			res.Failed++
			if len(res.Failures) < 10 {
				res.Failures = append(res.Failures, fmt.Sprintf("bench-%d: %s", s.n, truncate(s.failure, 300)))
			}
		}
		if len(s.samples) > 0 {
			first, last = min(first, s.samples[0].start), max(last, s.end)
			sessions = append(sessions, s.end-s.samples[0].start)
		}
	}
	for _, op := range opOrder {
		res.Ops = append(res.Ops, summarise(op, all))
	}
	for i := range all {
		all[i].op = "all"
	}
	res.All = summarise("all", all)
	res.Requests = len(all)
	if last > first {
		res.LoadSeconds = (last - first).Seconds()
		res.RequestsPerS = float64(len(all)) / res.LoadSeconds
		res.UploadMBPerS = float64(res.Ops[slices.Index(opOrder, opUpload)].OK) * float64(len(body)) / (1 << 20) / res.LoadSeconds
	}
	if len(sessions) > 0 {
		slices.Sort(sessions)
		res.SessionP50, res.SessionMax = sessions[len(sessions)/2].Seconds(), sessions[len(sessions)-1].Seconds()
	}

	say("waiting for the receipt e-mails (at most %s) …", cfg.Drain)
	if res.Receipts, err = drainReceipts(ctx, db, res.Seed, cfg.Drain); err != nil {
		return false, err
	}
	stopSampling()
	_, hwm, _ := procfs.RSSKB(srv.pid)
	rssMu.Lock()
	res.RSSMaxMB, res.RSSPeakMB, res.PostgresRSSMB = float64(rssMax)/1024, float64(hwm)/1024, float64(pgRSSMax)/1024
	rssMu.Unlock()
	res.Machine["load_avg_after"] = procfs.LoadAvg()

	say("checking the database …")
	files := func(key string) (int64, bool) {
		fi, err := os.Stat(filepath.Join(filesDir, filepath.FromSlash(key)))
		if err != nil {
			return 0, false
		}
		return fi.Size(), true
	}
	if res.Verification, err = verify(ctx, db, res.Seed, cfg.N, cfg.Saves, cfg.Projects, int64(len(file)), fileSum, files); err != nil {
		return false, err
	}
	srv.stop() // writes the CPU profile, if one was asked for
	stopped = true

	saveP99 := res.Ops[slices.Index(opOrder, opSave)].P99
	res.Targets = map[string]bool{
		"all stored exactly once and complete":          res.Verification.OK && res.Failed == 0 && res.All.OK == res.All.Count,
		fmt.Sprintf("p99 save < %s", cfg.P99Save):       saveP99 < float64(cfg.P99Save.Microseconds())/1000,
		fmt.Sprintf("server RSS < %d MB", cfg.MaxRSSMB): max(res.RSSMaxMB, res.RSSPeakMB) < float64(cfg.MaxRSSMB),
	}
	res.Pass = true
	for _, ok := range res.Targets {
		res.Pass = res.Pass && ok
	}
	report(stdout, &res)

	out := cfg.Out
	if out == "" {
		out = filepath.Join(root, "bench", "results")
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return false, err
	}
	path := filepath.Join(out, "rush-"+res.Started.Format("20060102-150405")+".json")
	b, _ := json.MarshalIndent(res, "", "  ")
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return false, err
	}
	fmt.Fprintf(stdout, "\nresults: %s\n", path)
	if cfg.CPUProfile != "" {
		fmt.Fprintf(stdout, "server CPU profile: %s (go tool pprof -top %s)\n", cfg.CPUProfile, cfg.CPUProfile)
	}
	if !res.Pass && res.Failed > 0 {
		fmt.Fprintf(stdout, "server log (last lines):\n%s\n", procfs.Tail(srv.logPath, 20))
	}
	return !res.Pass, nil
}

// arrivals returns n start times within window, sorted: uniform random
// moments, which is a Poisson process conditioned on n arrivals, so the
// submitters come independently of each other rather than in a burst.
func arrivals(n int, window time.Duration, seed uint64) []time.Duration {
	rng := rand.New(rand.NewPCG(seed, 1))
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = time.Duration(rng.Int64N(int64(window)))
	}
	slices.Sort(out)
	return out
}

// loginAll logs every submitter in, workers at a time, and returns the
// logins' timings as samples.
func loginAll(ctx context.Context, subs []*submitter, base string, workers int) ([]sample, error) {
	jobs := make(chan *submitter)
	var mu sync.Mutex
	var out []sample
	var firstErr error
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := range jobs {
				d, err := s.login(ctx, base)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				out = append(out, sample{op: "login", dur: d, ok: err == nil, status: http.StatusOK})
				mu.Unlock()
			}
		}()
	}
	for _, s := range subs {
		mu.Lock()
		stop := firstErr != nil
		mu.Unlock()
		if stop || ctx.Err() != nil {
			break
		}
		jobs <- s
	}
	close(jobs)
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	return out, firstErr
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// report prints the results as tables.
func report(w io.Writer, r *result) {
	fmt.Fprintf(w, "\nDeadline rush: %d submitters over %.0f s, %d requests in %.1f s (%.1f req/s, uploads %.1f MB/s), machine: %s cores, load before %s\n",
		r.Config.N, r.WindowSeconds, r.Requests, r.LoadSeconds, r.RequestsPerS, r.UploadMBPerS, r.Machine["cores"], r.Machine["load_avg_before"])
	fmt.Fprintf(w, "arrivals open-loop: latest start %.1f ms behind schedule; sessions took %.2f s (median), %.2f s (longest)\n\n",
		r.MaxStartLagMS, r.SessionP50, r.SessionMax)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "request\tcount\tok\tp50 ms\tp95 ms\tp99 ms\tmax ms\tmean ms\terrors\t")
	for _, s := range append(append([]stats{r.Login}, r.Ops...), r.All) {
		errs := []string{}
		for k, v := range s.ByStatus {
			errs = append(errs, fmt.Sprintf("%s×%d", k, v))
		}
		slices.Sort(errs)
		e := strings.Join(errs, " ")
		if e == "" {
			e = "-"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%s\t\n", s.Op, s.Count, s.OK, s.P50, s.P95, s.P99, s.Max, s.Mean, e)
	}
	tw.Flush()
	fmt.Fprintln(w, "(login happens before the window and is not part of the rush)")

	fmt.Fprintf(w, "\nserver memory: idle %.0f MB, max %.0f MB sampled every 250 ms, peak %.0f MB (VmHWM); PostgreSQL processes together up to %.0f MB (shared buffers counted per process)\n",
		r.RSSIdleMB, r.RSSMaxMB, r.RSSPeakMB, r.PostgresRSSMB)
	c := r.CPU
	pct := func(x float64) float64 { return 100 * x / max(c.Seconds, 0.001) }
	fmt.Fprintf(w, "CPU over the %.1f s of load (100%% = one core; the machine has %s): heder %.0f%%, PostgreSQL %.0f%%, load generator %.0f%%, other processes %.0f%%; machine busy %.0f%% of %.0f%%\n",
		c.Seconds, r.Machine["cores"], pct(c.Heder), pct(c.Postgres), pct(c.LoadGen), pct(c.OthersGuess), pct(c.Machine), pct(c.MachineCap))
	if len(r.DBWaits) > 0 {
		parts := []string{}
		for _, x := range r.DBWaits {
			parts = append(parts, fmt.Sprintf("%s %.2f", x.What, x.Average))
		}
		fmt.Fprintf(w, "database backends busy on average: %s\n", strings.Join(parts, ", "))
	}
	fmt.Fprintln(w, "\nslowest statements in total (pg_stat_statements):")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "total ms\tcalls\tmean ms\tmax ms\tquery")
	for i, s := range r.Statements {
		if i == 10 {
			break
		}
		fmt.Fprintf(tw, "%.0f\t%d\t%.2f\t%.1f\t%s\n", s.TotalMS, s.Calls, s.MeanMS, s.MaxMS, truncate(s.Query, 110))
	}
	tw.Flush()

	v := r.Verification
	fmt.Fprintf(w, "\nstored: %d nominations by %d submitters, %d submitted, %d complete (2 projects, the file's bytes on disk), organisations with two: %d, users with two: %d\n",
		v.Nominations, v.DistinctSubmitters, v.Submitted, v.Complete, v.DuplicateOrgs, v.DuplicateUsers)
	for _, p := range v.Problems {
		fmt.Fprintln(w, "  problem:", p)
	}
	rc := r.Receipts
	fmt.Fprintf(w, "receipts: %d of %d sent (caught) after a drain of %s; %d of them to bench users (the rest to other members, such as the demo users of Asker and Træna); River jobs %v\n",
		rc.Sent, rc.Expected, rc.DrainedIn, rc.Caught, rc.Jobs)
	for _, f := range r.Failures {
		fmt.Fprintln(w, "  failed:", f)
	}
	fmt.Fprintln(w)
	keys := make([]string, 0, len(r.Targets))
	for k := range r.Targets {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		mark := "PASS"
		if !r.Targets[k] {
			mark = "MISS"
		}
		fmt.Fprintf(w, "%s  %s\n", mark, k)
	}
	if r.Pass {
		fmt.Fprintln(w, "all targets met")
	} else {
		fmt.Fprintln(w, "targets missed")
	}
}
