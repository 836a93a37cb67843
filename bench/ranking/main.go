// Command ranking is the load test of the chair's ranking page: a cycle
// with n nominations, each scored by every juror on every criterion and
// submitted, and c connections that ask for the page as fast as it comes,
// as the chair (the same session), for a while. It runs Heder as a
// separate process (`heder dev` on its own throw-away PostgreSQL), reads
// the server's memory and CPU from /proc, and reports requests per second
// and latency against the target. See bench/README.md.
//
//	go run ./bench/ranking [-n 500] [-jurors 12] [-c 16] [-d 20s] …
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/heder-awards/heder/bench/internal/procfs"
	"github.com/heder-awards/heder/internal/devbuild"
	"github.com/heder-awards/heder/internal/pgcluster"
	"github.com/heder-awards/heder/internal/postgres"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	missed, err := run(ctx, os.Args[1:], os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ranking:", err)
		os.Exit(2)
	}
	if missed {
		os.Exit(1)
	}
}

type config struct {
	Nominations int           `json:"nominations"`
	Jurors      int           `json:"jurors"`
	Criteria    int           `json:"criteria"`
	Conns       int           `json:"connections"`
	Duration    time.Duration `json:"-"`
	Warmup      time.Duration `json:"-"`
	Page        string        `json:"page"`
	Out         string        `json:"-"`
	CPUProfile  string        `json:"cpu_profile,omitempty"`
	TargetRPS   float64       `json:"target_requests_per_s"`
}

func parseFlags(args []string) (config, error) {
	var c config
	fl := flag.NewFlagSet("ranking", flag.ContinueOnError)
	fl.IntVar(&c.Nominations, "n", 500, "nominations in the cycle")
	fl.IntVar(&c.Jurors, "jurors", 12, "jurors, the chair included; each scores every nomination")
	fl.IntVar(&c.Criteria, "criteria", 6, "criteria (scale 1–5)")
	fl.IntVar(&c.Conns, "c", 16, "connections asking at once (closed loop)")
	fl.DurationVar(&c.Duration, "d", 20*time.Second, "how long to measure")
	fl.DurationVar(&c.Warmup, "warmup", 3*time.Second, "requests before measuring, not counted")
	fl.StringVar(&c.Page, "page", "ranking", "what to ask for: ranking (the page), filtered (only disagreements), api (the JSON), plot (one strip plot), report")
	fl.StringVar(&c.Out, "out", "", "folder for the JSON results (default bench/results in the repository)")
	fl.StringVar(&c.CPUProfile, "cpuprofile", "", "write the server's CPU profile during the run to this file")
	fl.Float64Var(&c.TargetRPS, "target", 560, "target: requests per second")
	if err := fl.Parse(args); err != nil {
		return c, err
	}
	if c.Nominations < 1 || c.Jurors < 1 || c.Criteria < 1 || c.Conns < 1 || c.Duration <= 0 {
		return c, errors.New("need n, jurors, criteria and c ≥ 1 and d > 0")
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

// result is what the JSON file holds.
type result struct {
	Started      time.Time          `json:"started"`
	Config       config             `json:"config"`
	Machine      map[string]string  `json:"machine"`
	Cycle        string             `json:"cycle"`
	Scores       int                `json:"scores"`
	Path         string             `json:"path"`
	PageBytes    int                `json:"page_bytes"`
	Requests     int64              `json:"requests"`
	Errors       int64              `json:"errors"`
	Seconds      float64            `json:"seconds"`
	RequestsPerS float64            `json:"requests_per_s"`
	P50          float64            `json:"p50_ms"`
	P95          float64            `json:"p95_ms"`
	P99          float64            `json:"p99_ms"`
	Max          float64            `json:"max_ms"`
	RSSIdleMB    float64            `json:"rss_idle_mb"`
	RSSMaxMB     float64            `json:"rss_max_mb"`
	RSSPeakMB    float64            `json:"rss_peak_mb"`
	CPU          map[string]float64 `json:"cpu_cores"` // average cores busy over the measurement
	Pass         bool               `json:"pass"`
}

func run(ctx context.Context, args []string, stdout io.Writer) (bool, error) {
	cfg, err := parseFlags(args)
	if err != nil {
		return false, err
	}
	say := func(format string, a ...any) {
		fmt.Fprintf(stdout, "%s  "+format+"\n", append([]any{time.Now().Format("15:04:05")}, a...)...)
	}
	res := result{Started: time.Now().UTC(), Config: cfg, Machine: map[string]string{"cores": fmt.Sprint(runtime.NumCPU()),
		"go": runtime.Version(), "load_avg_before": procfs.LoadAvg()}}
	root, err := devbuild.Root()
	if err != nil {
		return false, err
	}
	tmp, err := os.MkdirTemp("", "heder-ranking-")
	if err != nil {
		return false, err
	}
	defer os.RemoveAll(tmp)

	say("building heder …")
	bin, err := devbuild.Heder(ctx, tmp)
	if err != nil {
		return false, err
	}
	say("starting PostgreSQL …")
	cluster, err := pgcluster.Start(ctx)
	if err != nil {
		return false, err
	}
	defer cluster.Stop()
	dbURL := cluster.URL("postgres")
	u, _ := url.Parse(dbURL)
	postmaster := procfs.PostmasterPID(u.Port())

	say("starting heder dev …")
	var env []string
	if cfg.CPUProfile != "" {
		env = append(env, "HEDER_CPUPROFILE="+cfg.CPUProfile)
	}
	srv, err := startHeder(ctx, bin, dbURL, filepath.Join(tmp, "files"), filepath.Join(tmp, "heder.log"), env)
	if err != nil {
		return false, err
	}
	defer srv.stop()
	say("heder (pid %d) ready at %s", srv.pid, srv.url)

	db, err := postgres.Open(ctx, dbURL, 2)
	if err != nil {
		return false, err
	}
	defer db.Close()
	t0 := time.Now()
	var nominations []string
	if res.Cycle, res.Scores, nominations, err = seed(ctx, db, srv.issuer, cfg); err != nil {
		return false, err
	}
	say("seeded %d nominations × %d jurors × %d criteria = %d submitted scores in %s",
		cfg.Nominations, cfg.Jurors, cfg.Criteria, res.Scores, time.Since(t0).Round(time.Millisecond))

	client, err := login(ctx, srv.url, cfg.Conns)
	if err != nil {
		return false, err
	}
	switch cfg.Page {
	case "ranking":
		res.Path = "/jury/" + res.Cycle + "/rangering"
	case "filtered":
		res.Path = "/jury/" + res.Cycle + "/rangering?uenighet=1"
	case "api":
		res.Path = "/api/v1/cycles/" + res.Cycle + "/ranking"
	case "plot":
		res.Path = "/jury/" + res.Cycle + "/rangering/" + nominations[0] + "/poeng.svg"
	case "report":
		res.Path = "/jury/" + res.Cycle + "/rapport"
	default:
		return false, fmt.Errorf("unknown page %q", cfg.Page)
	}
	status, size, err := get(ctx, client, srv.url+res.Path)
	if err != nil || status != http.StatusOK {
		return false, fmt.Errorf("GET %s: %d %v\n%s", res.Path, status, err, procfs.Tail(srv.logPath, 20))
	}
	res.PageBytes = size
	say("GET %s: %d bytes; warming up for %s …", res.Path, size, cfg.Warmup)
	load(ctx, client, srv.url+res.Path, cfg.Conns, cfg.Warmup, nil)
	idle, _, _ := procfs.RSSKB(srv.pid)
	res.RSSIdleMB = mb(idle)

	say("measuring %d connections for %s …", cfg.Conns, cfg.Duration)
	var rssMax atomic.Int64
	sampleCtx, stopSampling := context.WithCancel(ctx)
	go func() {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			if r, _, _ := procfs.RSSKB(srv.pid); r > rssMax.Load() {
				rssMax.Store(r)
			}
			select {
			case <-sampleCtx.Done():
				return
			case <-t.C:
			}
		}
	}()
	heder0, pg0, self0 := procfs.CPUSeconds(srv.pid), procfs.PostgresCPU(postmaster), procfs.SelfCPU()
	busy0, _ := procfs.MachineCPU()
	var lat []time.Duration
	start := time.Now()
	res.Requests, res.Errors = load(ctx, client, srv.url+res.Path, cfg.Conns, cfg.Duration, &lat)
	res.Seconds = time.Since(start).Seconds()
	busy1, _ := procfs.MachineCPU()
	stopSampling()
	res.RequestsPerS = float64(res.Requests-res.Errors) / res.Seconds
	res.CPU = map[string]float64{"heder": (procfs.CPUSeconds(srv.pid) - heder0) / res.Seconds,
		"postgres": (procfs.PostgresCPU(postmaster) - pg0) / res.Seconds, "load_generator": (procfs.SelfCPU() - self0) / res.Seconds,
		"machine": (busy1 - busy0) / res.Seconds}
	_, hwm, _ := procfs.RSSKB(srv.pid)
	res.RSSMaxMB, res.RSSPeakMB = mb(rssMax.Load()), mb(hwm)
	slices.Sort(lat)
	pct := func(q float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		i := min(len(lat)-1, max(0, int(q*float64(len(lat))+0.999999)-1))
		return float64(lat[i].Microseconds()) / 1000
	}
	res.P50, res.P95, res.P99, res.Max = pct(0.5), pct(0.95), pct(0.99), pct(1)
	res.Machine["load_avg_after"] = procfs.LoadAvg()
	res.Pass = res.Errors == 0 && res.RequestsPerS >= cfg.TargetRPS

	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "\npage\t%s (%d bytes)\n", res.Path, res.PageBytes)
	fmt.Fprintf(tw, "data\t%d nominations, %d jurors, %d criteria: %d scores\n", cfg.Nominations, cfg.Jurors, cfg.Criteria, res.Scores)
	fmt.Fprintf(tw, "requests\t%d in %.1f s, %d errors\n", res.Requests, res.Seconds, res.Errors)
	fmt.Fprintf(tw, "throughput\t%.0f requests/s with %d connections (target %.0f)\n", res.RequestsPerS, cfg.Conns, cfg.TargetRPS)
	fmt.Fprintf(tw, "latency\tp50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms\n", res.P50, res.P95, res.P99, res.Max)
	fmt.Fprintf(tw, "server RSS\tidle %.0f MB, max %.0f MB (VmHWM %.0f MB)\n", res.RSSIdleMB, res.RSSMaxMB, res.RSSPeakMB)
	fmt.Fprintf(tw, "CPU (cores)\theder %.2f, PostgreSQL %.2f, load generator %.2f, whole machine %.2f of %d\n",
		res.CPU["heder"], res.CPU["postgres"], res.CPU["load_generator"], res.CPU["machine"], runtime.NumCPU())
	fmt.Fprintf(tw, "load average\tbefore %s, after %s\n", res.Machine["load_avg_before"], res.Machine["load_avg_after"])
	verdict := "MISS"
	if res.Pass {
		verdict = "PASS"
	}
	fmt.Fprintf(tw, "result\t%s\n", verdict)
	tw.Flush()

	out := cfg.Out
	if out == "" {
		out = filepath.Join(root, "bench", "results")
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return false, err
	}
	path := filepath.Join(out, "ranking-"+res.Started.Format("20060102-150405")+".json")
	b, _ := json.MarshalIndent(res, "", "  ")
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return false, err
	}
	fmt.Fprintf(stdout, "\nresults: %s\n", path)
	srv.stop() // writes the CPU profile, if one was asked for
	if cfg.CPUProfile != "" {
		fmt.Fprintf(stdout, "server CPU profile: %s (go tool pprof -top %s)\n", cfg.CPUProfile, cfg.CPUProfile)
	}
	return !res.Pass, nil
}

func mb(kb int64) float64 { return float64(kb) / 1024 }

// login signs the chair in through the development provider and returns
// a client that keeps their session and up to conns connections.
func login(ctx context.Context, base string, conns int) (*http.Client, error) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, err
	}
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConns: conns * 2,
		MaxIdleConnsPerHost: conns * 2, MaxConnsPerHost: conns, IdleConnTimeout: time.Minute, DisableCompression: true}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/auth/login?login_hint=jury-chair", nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, fmt.Errorf("log in: %w", err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/" {
		return nil, fmt.Errorf("log in: ended at %s with %d", resp.Request.URL, resp.StatusCode)
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c, nil
}

func get(ctx context.Context, c *http.Client, u string) (int, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, 0, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, int(n), err
}

// load asks for u on conns connections, each as soon as its last answer
// is read, for d; it returns the requests sent and those that failed, and
// adds the successful ones' latencies to lat when it is not nil.
func load(ctx context.Context, c *http.Client, u string, conns int, d time.Duration, lat *[]time.Duration) (n, failed int64) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for ctx.Err() == nil {
				t := time.Now()
				status, _, err := get(ctx, c, u)
				if ctx.Err() != nil {
					break // cut off by the end of the run: not counted
				}
				atomic.AddInt64(&n, 1)
				if err != nil || status != http.StatusOK {
					atomic.AddInt64(&failed, 1)
					continue
				}
				mine = append(mine, time.Since(t))
			}
			if lat != nil {
				mu.Lock()
				*lat = append(*lat, mine...)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return n, failed
}

// seed makes the cycle: a judging cycle of its own award with the
// criteria, the nominations (each by one municipality), jury-chair as
// its chair and made-up jurors, all declared about every nominee, and
// every juror's submitted scores of every nomination (with juror bias and
// nomination quality, so that the ranking has something to show).
func seed(ctx context.Context, db *postgres.DB, issuer string, cfg config) (cycle string, scores int, nominations []string, err error) {
	var id int64
	err = db.NewRaw(`WITH a AS (INSERT INTO awards (slug, name_nb) VALUES ('rangeringstest', 'Rangeringstest') RETURNING id)
		INSERT INTO cycles (award_id, year, title, phase, scoring_deadline)
		SELECT id, 2030, 'Rangeringstest 2030', 'judging', now() + interval '7 days' FROM a RETURNING id, public_id`).Scan(ctx, &id, &cycle)
	if err != nil {
		return "", 0, nil, fmt.Errorf("cycle: %w", err)
	}
	steps := []struct {
		what string
		sql  string
		args []any
	}{
		{"criteria", `INSERT INTO criteria (cycle_id, name_nb, weight, scale_min, scale_max, position)
			SELECT ?0, 'Kriterium ' || g, 1 + g % 3, 1, 5, g FROM generate_series(1, ?1) g`, []any{id, cfg.Criteria}},
		{"nominations", `INSERT INTO nominations (cycle_id, title, summary, status, submitted_at)
			SELECT ?0, 'Nominasjon ' || g, 'Helhetlig og systematisk innovasjon.', 'submitted', now() FROM generate_series(1, ?1) g`,
			[]any{id, cfg.Nominations}},
		{"nominees", `INSERT INTO nomination_organisations (nomination_id, organisation_id)
			SELECT n.id, o.id FROM (SELECT id, row_number() OVER (ORDER BY id) AS k FROM nominations WHERE cycle_id = ?0) n
			JOIN (SELECT id, row_number() OVER (ORDER BY number) - 1 AS k, count(*) OVER () AS m FROM organisations
				WHERE kind = 'municipality' AND valid_to IS NULL) o ON o.k = n.k % o.m`, []any{id}},
		{"jurors", `INSERT INTO users (issuer, subject, name) SELECT 'https://bench.invalid', 'juror-' || g, 'Jurymedlem ' || g
			FROM generate_series(1, ?0) g ON CONFLICT DO NOTHING`, []any{cfg.Jurors - 1}},
		{"seats", `INSERT INTO jurors (cycle_id, user_id, chair, declared_at)
			SELECT ?0, id, subject = 'jury-chair', now() FROM users
			WHERE (issuer = 'https://bench.invalid' AND subject ~ '^juror-' AND substr(subject, 7)::int < ?1) OR (issuer = ?2 AND subject = 'jury-chair')`,
			[]any{id, cfg.Jurors, issuer}},
		{"declarations", `INSERT INTO conflict_reviews (juror_id, organisation_id)
			SELECT DISTINCT j.id, x.organisation_id FROM jurors j JOIN nominations n ON n.cycle_id = j.cycle_id
			JOIN nomination_organisations x ON x.nomination_id = n.id WHERE j.cycle_id = ?0`, []any{id}},
		{"scores", `INSERT INTO scores (juror_id, nomination_id, criterion_id, value, comment)
			SELECT j.id, n.id, cr.id, least(5, greatest(1, round(3 + (n.id * 7919 % 101) / 50.0 - 1 + (j.id * 104729 % 11) / 10.0 - 0.5
				+ (random() - 0.5) * 1.6))), ''
			FROM jurors j JOIN nominations n ON n.cycle_id = j.cycle_id JOIN criteria cr ON cr.cycle_id = j.cycle_id WHERE j.cycle_id = ?0`, []any{id}},
		{"submissions", `INSERT INTO score_submissions (juror_id, nomination_id)
			SELECT j.id, n.id FROM jurors j JOIN nominations n ON n.cycle_id = j.cycle_id WHERE j.cycle_id = ?0`, []any{id}},
		{"statistics", `ANALYZE`, nil},
	}
	for _, s := range steps {
		if _, err := db.ExecContext(ctx, s.sql, s.args...); err != nil {
			return "", 0, nil, fmt.Errorf("seed %s: %w", s.what, err)
		}
	}
	var seats int
	if err := db.NewRaw(`SELECT count(*) FROM jurors WHERE cycle_id = ?`, id).Scan(ctx, &seats); err != nil || seats != cfg.Jurors {
		return "", 0, nil, fmt.Errorf("seed: %d seats (%v), want %d: is jury-chair a demo user?", seats, err, cfg.Jurors)
	}
	if err := db.NewRaw(`SELECT count(*) FROM scores s JOIN jurors j ON j.id = s.juror_id WHERE j.cycle_id = ?`, id).Scan(ctx, &scores); err != nil {
		return "", 0, nil, err
	}
	if err := db.NewRaw(`SELECT public_id FROM nominations WHERE cycle_id = ? ORDER BY id LIMIT 1`, id).Scan(ctx, &nominations); err != nil {
		return "", 0, nil, err
	}
	return cycle, scores, nominations, nil
}
