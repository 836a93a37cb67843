package app_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/pgtest"
	"github.com/heder-awards/heder/internal/postgres"
)

// The speed targets of the jury's work (issue 4), against HotCRP's:
//
//   - one nomination with its scores and comments (the scoring screen after
//     submitting: 6 criteria × 4 jurors, some comments) at ≥ 2,300
//     requests/s with 16 connections on loopback (HotCRP's paper page:
//     233 req/s);
//   - saving one score (PUT through the API, one request at a time) under
//     1.25 ms median (HotCRP saving a review: 12.5 ms).
//
// Run them with
//
//	go test -run '^$' -bench Scoring -benchtime 10s ./internal/app/
//
// and, to measure the screen with wrk (apt-get install wrk) instead of Go's
// own client in the same process, HEDER_BENCH_WRK=1. HEDER_BENCH_CONNS sets
// the number of connections (16 by default) of the Go client, and
// HEDER_BENCH_CYCLES how many other cycles of 500 nominations × 12 jurors
// the database holds beside the benchmark's own (3 by default).

// scoringBench is a running Heder with a nomination scored by four jurors
// on six criteria, and jury-1 logged in.
type scoringBench struct {
	a      *apptest.App
	cpu    *cpuMeter
	client *http.Client
	screen string // jury-1's scoring screen of the scored nomination
	save   string // the API path of a nomination jury-1 has not submitted
	crit   int64
}

func newScoringBench(b *testing.B) *scoringBench {
	b.Helper()
	a := apptest.Start(b)
	ctx := context.Background()
	db, err := postgres.Open(ctx, a.DBURL, 2)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(db.Close)
	must := func(err error) {
		b.Helper()
		if err != nil {
			b.Fatal(err)
		}
	}
	// Other years' cycles of the size beside the benchmark's own:
	// a juror's request must not grow with them.
	cyclesBeside := 3
	if n, err := strconv.Atoi(os.Getenv("HEDER_BENCH_CYCLES")); err == nil && n >= 0 {
		cyclesBeside = n
	}
	for y := range cyclesBeside {
		if err := pgtest.BigCycle(context.Background(), db, 2020+y); err != nil {
			b.Fatal(err)
		}
	}
	var cycle int64
	var cyclePub string
	must(db.NewRaw(`WITH a AS (INSERT INTO awards (slug, name_nb) VALUES ('bench', 'Benkpris') RETURNING id)
		INSERT INTO cycles (award_id, year, title, phase, nomination_deadline, scoring_deadline)
		SELECT id, 2027, 'Innovasjonsprisen 2027', 'judging', now() - interval '30 days', now() + interval '4 days' FROM a
		RETURNING id, public_id`).Scan(ctx, &cycle, &cyclePub))
	var crit []int64
	must(db.NewRaw(`INSERT INTO criteria (cycle_id, name_nb, help_nb, position)
		SELECT ?, name, help, pos FROM (VALUES
			('Nytt', 'Er løsningen ny for kommunen, eller ny i Norge', 1),
			('Realisert', 'Er løsningen tatt i bruk, ikke bare planlagt', 2),
			('Skapt verdi', 'Har den skapt verdi for innbyggerne, målt der det går', 3),
			('Endret arbeidsmåter', 'Har kommunen endret hvordan den jobber', 4),
			('Overføringsverdi', 'Kan andre kommuner ta den i bruk', 5),
			('Helhetlig', 'Er innovasjonsarbeidet helhetlig og systematisk', 6)) AS c (name, help, pos)
		RETURNING id`, cycle).Scan(ctx, &crit))
	// Four jurors: jury-1 (who reads), jury-2, jury-chair and one more.
	_, err = db.ExecContext(ctx, `INSERT INTO users (issuer, subject, name) VALUES ('https://bench', 'juror-4', 'Jens Jurymedlem')`)
	must(err)
	var jurors []int64
	must(db.NewRaw(`INSERT INTO jurors (cycle_id, user_id, chair, declared_at)
		SELECT ?, u.id, u.subject = 'jury-chair', now() FROM users u
		WHERE u.subject IN ('jury-1', 'jury-2', 'jury-chair', 'juror-4')
		RETURNING id`, cycle).Scan(ctx, &jurors))
	nomination := func(org string) (int64, string) {
		var id int64
		var pub string
		must(db.NewRaw(`WITH n AS (INSERT INTO nominations (cycle_id, title, summary, challenge, status, submitted_at)
				VALUES (?, ?, ?, 'renewal', 'submitted', now()) RETURNING id, public_id)
			SELECT id, public_id FROM n`, cycle, "Innovasjon i hele "+org,
			strings.Repeat(org+" jobber helhetlig og systematisk med innovasjon i alle sektorer. ", 12)).Scan(ctx, &id, &pub))
		_, err := db.ExecContext(ctx, `INSERT INTO nomination_organisations (nomination_id, organisation_id)
			SELECT ?, id FROM organisations WHERE kind = 'municipality' AND name = ? AND valid_to IS NULL`, id, org)
		must(err)
		for i, title := range []string{"Holmen svømmehall", "Asker velferdslab", "Løsningsjakten på Borgen"} {
			var p int64
			must(db.NewRaw(`INSERT INTO projects (organisation_id, title, description, results, partners)
				SELECT id, ?, ?, ?, 'KS, Husbanken' FROM organisations WHERE kind = 'municipality' AND name = ? AND valid_to IS NULL RETURNING id`,
				title, strings.Repeat("Hva ble gjort og hva endret seg for innbyggerne. ", 20),
				strings.Repeat("Bostedsløsheten gikk ned fra 186 til null. ", 5), org).Scan(ctx, &p))
			_, err := db.ExecContext(ctx, `INSERT INTO nomination_projects (nomination_id, project_id, position) VALUES (?, ?, ?);
				INSERT INTO project_results (project_id, label, value, unit, position) VALUES (?, 'deltakere', 783, '', 0), (?, 'innspill', 458, '', 1);
				INSERT INTO attachments (project_id, filename, content_type, size, sha256, storage_key)
				VALUES (?, 'rapport.pdf', 'application/pdf', 340000, 'abc', 'bench/' || ?::text)`, id, p, i, p, p, p, p)
			must(err)
		}
		return id, pub
	}
	scored, scoredPub := nomination("Asker")
	_, savePub := nomination("Bærum")
	// Each juror has declared about the nominees, as the declaration form
	// asks them to.
	_, err = db.ExecContext(ctx, `INSERT INTO conflict_reviews (juror_id, organisation_id)
		SELECT j.id, no.organisation_id FROM jurors j JOIN nominations n ON n.cycle_id = j.cycle_id
		JOIN nomination_organisations no ON no.nomination_id = n.id WHERE j.cycle_id = ?`, cycle)
	must(err)
	for ji, j := range jurors {
		_, err := db.ExecContext(ctx, `INSERT INTO scores (juror_id, nomination_id, criterion_id, value, comment)
			SELECT ?, ?, cr.id, 1 + (cr.position + ?) % 5, CASE WHEN cr.position % 2 = 0 THEN 'Godt dokumentert, men tallene er fra ett år.' ELSE '' END
			FROM criteria cr WHERE cr.cycle_id = ?;
			INSERT INTO score_submissions (juror_id, nomination_id) VALUES (?, ?)`, j, scored, ji, cycle, j, scored)
		must(err)
	}
	_, err = db.ExecContext(ctx, `INSERT INTO jury_comments (nomination_id, juror_id, body)
		SELECT ?, j, 'Jeg leser tallene for velferdslaben ulikt enn dere: kan vi ta den på møtet.' FROM unnest(?::bigint[]) AS j`,
		scored, fmt.Sprintf("{%d,%d,%d,%d,%d}", jurors[0], jurors[1], jurors[2], jurors[3], jurors[0]))
	must(err)
	// Vacuumed, with statistics, as autovacuum leaves a database in use
	// (and not during the measurement).
	_, err = db.ExecContext(ctx, `VACUUM ANALYZE`)
	must(err)
	s := &scoringBench{a: a, cpu: &cpuMeter{db: db}, client: a.Login(b, "jury-1"), screen: "/jury/" + cyclePub + "/nominasjoner/" + scoredPub,
		save: "/api/v1/nominations/" + savePub + "/scores", crit: crit[0]}
	s.client.Transport = &http.Transport{MaxIdleConnsPerHost: 64, MaxConnsPerHost: 64}
	status, body := a.Do(b, s.client, http.MethodGet, s.screen, "")
	if status != http.StatusOK || !strings.Contains(body, "Jens Jurymedlem") || !strings.Contains(body, "kan vi ta den på møtet") {
		b.Fatalf("screen: %d %.500s", status, body)
	}
	s.cpu.calibrate()
	return s
}

// BenchmarkScoringBaseline reads GET /api/v1/me the same way as
// BenchmarkScoringScreen reads the screen: what every logged-in request
// costs before any page's own work (the session, read and written back,
// and the actor), to set the screen's figures against.
func BenchmarkScoringBaseline(b *testing.B) {
	s := newScoringBench(b)
	s.parallel(b, "/api/v1/me")
}

// BenchmarkScoringScreen reads jury-1's scoring screen of a nomination
// with four jurors' submitted scores on six criteria and five posts in
// the discussion, from 16 connections at once.
func BenchmarkScoringScreen(b *testing.B) {
	s := newScoringBench(b)
	if os.Getenv("HEDER_BENCH_WRK") == "1" {
		s.wrk(b)
		return
	}
	s.parallel(b, s.screen)
}

// parallel gets path from 16 goroutines at once (on every core) until b
// is done, and reports requests per second and the CPU they cost.
func (s *scoringBench) parallel(b *testing.B, path string) {
	var failed atomic.Int64
	conns := 16
	if n, err := strconv.Atoi(os.Getenv("HEDER_BENCH_CONNS")); err == nil && n > 0 {
		conns = n // e.g. 1, to see what one request costs without the others beside it
	}
	b.SetParallelism(max(1, conns/runtime.GOMAXPROCS(0)))
	b.ResetTimer()
	s.cpu.start()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := s.client.Get(s.a.URL + path)
			if err != nil {
				failed.Add(1)
				continue
			}
			drain(resp)
			if resp.StatusCode != http.StatusOK {
				failed.Add(1)
			}
		}
	})
	elapsed := time.Since(start)
	b.StopTimer()
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d requests failed", n)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
	s.cpu.report(b, b.N)
}

// wrk measures the screen with wrk: 16 connections, 2 threads, 10 s.
func (s *scoringBench) wrk(b *testing.B) {
	u, _ := url.Parse(s.a.URL)
	var cookies []string
	for _, c := range s.client.Jar.Cookies(u) {
		cookies = append(cookies, c.Name+"="+c.Value)
	}
	out, err := exec.Command("wrk", "-t2", "-c16", "-d10s", "--latency", "-H", "Cookie: "+strings.Join(cookies, "; "),
		s.a.URL+s.screen).CombinedOutput()
	if err != nil {
		b.Fatalf("wrk: %v\n%s", err, out)
	}
	// Straight to the terminal: the testing package cuts long logs short.
	fmt.Fprintf(os.Stderr, "wrk, 16 connections:\n%s", out)
}

// BenchmarkScoringSave saves one score through the API, one request at a
// time, changing its value each time (an unchanged cell is no write).
func BenchmarkScoringSave(b *testing.B) {
	s := newScoringBench(b)
	bodies := [2]string{
		fmt.Sprintf(`{"scores":[{"criterion_id":"%d","value":3,"comment":"Tydelig nytt for kommunen."}]}`, s.crit),
		fmt.Sprintf(`{"scores":[{"criterion_id":"%d","value":4,"comment":"Tydelig nytt for kommunen."}]}`, s.crit),
	}
	durations := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	s.cpu.start()
	for i := 0; i < b.N; i++ {
		req, _ := http.NewRequest(http.MethodPut, s.a.URL+s.save, strings.NewReader(bodies[i%2]))
		req.Header.Set("Content-Type", "application/json")
		start := time.Now()
		resp, err := s.client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		drain(resp)
		durations = append(durations, time.Since(start))
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("save: status %d", resp.StatusCode)
		}
	}
	b.StopTimer()
	s.cpu.report(b, b.N)
	slices.Sort(durations)
	pct := func(p float64) float64 {
		return float64(durations[int(p*float64(len(durations)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.5), "ms-p50")
	b.ReportMetric(pct(0.9), "ms-p90")
	b.ReportMetric(pct(0.99), "ms-p99")
}

// cpuMeter measures the CPU time this process (the app and the client
// in it) and the database's backends for the app's database spend, so
// that a benchmark on a shared machine can say what one request costs
// whatever else runs beside it.
type cpuMeter struct {
	db        *postgres.DB
	goStart   time.Duration
	pgStart   map[int]time.Duration
	wallStart time.Time
	// goIdle and pgIdle are the CPU the app and its database spend per
	// second with no requests (River's job polling, the collector), taken
	// off the figures.
	goIdle, pgIdle float64
}

// calibrate measures the CPU spent while nothing is asked of the app.
func (m *cpuMeter) calibrate() {
	m.start()
	time.Sleep(2 * time.Second)
	goCPU, pgCPU, wall := m.since()
	m.goIdle, m.pgIdle = goCPU.Seconds()/wall.Seconds(), pgCPU.Seconds()/wall.Seconds()
}

// since returns the CPU spent and the time passed since start.
func (m *cpuMeter) since() (goCPU, pgCPU, wall time.Duration) {
	goCPU = processCPU() - m.goStart
	for pid, t := range m.backendCPU() {
		pgCPU += t - m.pgStart[pid]
	}
	return goCPU, pgCPU, time.Since(m.wallStart)
}

// processCPU returns the user and system time of this process.
func processCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// backendCPU returns the CPU time of each backend serving the app's
// database, read from /proc (the test cluster runs on this machine).
func (m *cpuMeter) backendCPU() map[int]time.Duration {
	var pids []int
	_ = m.db.NewRaw(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`).Scan(context.Background(), &pids)
	out := map[int]time.Duration{}
	tick := time.Second / 100 // USER_HZ
	for _, pid := range pids {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
		if len(f) < 13 {
			continue
		}
		var u, s int64
		fmt.Sscan(f[11], &u)
		fmt.Sscan(f[12], &s)
		out[pid] = time.Duration(u+s) * tick
	}
	return out
}

func (m *cpuMeter) start() {
	m.goStart, m.pgStart, m.wallStart = processCPU(), m.backendCPU(), time.Now()
}

// report adds the CPU per request (Go and PostgreSQL, in ms, less what
// they spend idle) to b's metrics, with what the two together would allow
// on two idle cores.
func (m *cpuMeter) report(b *testing.B, n int) {
	goCPU, pgCPU, wall := m.since()
	goCPU -= time.Duration(m.goIdle * float64(wall))
	pgCPU -= time.Duration(m.pgIdle * float64(wall))
	per := func(d time.Duration) float64 { return float64(max(d, 0).Microseconds()) / 1000 / float64(n) }
	b.ReportMetric(per(goCPU), "go-cpu-ms/op")
	b.ReportMetric(per(pgCPU), "pg-cpu-ms/op")
	if total := per(goCPU + pgCPU); total > 0 {
		b.ReportMetric(2000/total, "req/s-on-2-idle-cores")
	}
}

// drain reads and closes a response body, so that the connection is kept.
func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}
