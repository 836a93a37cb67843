package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// wrkScript makes wrk print, when it is done, its counts and its latency
// at fine percentiles (in µs), so that the runs against several replicas
// can be merged into one distribution (mergedQuantile).
const wrkScript = `
local points = {}
for p = 1, 99 do points[#points + 1] = p end
for k = 991, 999 do points[#points + 1] = k / 10 end
points[#points + 1] = 99.99
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("result %d %d %d %d %d %d %d\n", summary.requests, summary.duration,
    e.connect, e.read, e.write, e.status, e.timeout))
  for _, p in ipairs(points) do
    io.write(string.format("q %.2f %d\n", p, latency:percentile(p)))
  end
  io.write(string.format("q 100 %d\n", latency.max))
end
`

// quantiles is one run's latency distribution as wrk reports it: the
// latency (µs) at each percentile, ascending.
type quantiles struct {
	n      int64
	points []point
}

type point struct{ p, us float64 }

// below is the share of the run's requests that took at most us.
func (q quantiles) below(us float64) float64 {
	f := 0.0
	for _, pt := range q.points {
		if pt.us <= us {
			f = pt.p / 100
		}
	}
	return f
}

// mergedQuantile returns the latency (µs) at quantile p (0–1) of all the
// runs' requests together: the least latency, among those the runs
// report, that at least p of all requests took no longer than. It is as
// fine as the runs' percentiles (1 point up to 99, 0.1 above).
func mergedQuantile(runs []quantiles, p float64) float64 {
	var total int64
	var candidates []float64
	for _, r := range runs {
		total += r.n
		for _, pt := range r.points {
			candidates = append(candidates, pt.us)
		}
	}
	slices.Sort(candidates)
	for _, x := range candidates {
		var n float64
		for _, r := range runs {
			n += float64(r.n) * r.below(x)
		}
		if n >= p*float64(total)-1e-6 {
			return x
		}
	}
	if len(candidates) == 0 {
		return 0
	}
	return candidates[len(candidates)-1]
}

// wrkRun is what one wrk process said.
type wrkRun struct {
	requests, errors int64
	seconds          float64
	latency          quantiles
	cpu              float64 // wrk's own CPU time, seconds
}

// runWrk loads url with conns connections on one thread for d.
func runWrk(ctx context.Context, script, url string, conns int, d time.Duration) (wrkRun, error) {
	cmd := exec.CommandContext(ctx, "wrk", "-t", "1", "-c", strconv.Itoa(conns), "-d", d.String(), "--timeout", "10s",
		"-H", "Accept-Encoding: gzip", "-s", script, url)
	out, err := cmd.CombinedOutput()
	var r wrkRun
	if cmd.ProcessState != nil {
		r.cpu = (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
	}
	if err != nil {
		return r, fmt.Errorf("wrk %s: %w\n%s", url, err, out)
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 8 && f[0] == "result":
			var v [7]int64
			for i := range v {
				v[i], _ = strconv.ParseInt(f[i+1], 10, 64)
			}
			r.requests, r.seconds = v[0], float64(v[1])/1e6
			r.errors = v[2] + v[3] + v[4] + v[5] + v[6]
		case len(f) == 3 && f[0] == "q":
			p, _ := strconv.ParseFloat(f[1], 64)
			us, _ := strconv.ParseFloat(f[2], 64)
			r.latency.points = append(r.latency.points, point{p, us})
		}
	}
	if r.seconds == 0 {
		return r, fmt.Errorf("could not read wrk's output:\n%s", out)
	}
	r.latency.n = r.requests
	return r, nil
}

// publicResult is one load of the public page over some replicas.
type publicResult struct {
	runs []wrkRun // one per replica
}

// loadPublic runs one wrk per base URL at once, the connections split
// between them, each asking for path.
func loadPublic(ctx context.Context, script string, bases []string, path string, conns int, d time.Duration) (publicResult, error) {
	res := publicResult{runs: make([]wrkRun, len(bases))}
	errs := make([]error, len(bases))
	var wg sync.WaitGroup
	for i, base := range bases {
		c := conns / len(bases)
		if i < conns%len(bases) {
			c++
		}
		wg.Go(func() { res.runs[i], errs[i] = runWrk(ctx, script, base+path, c, d) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return res, err
		}
	}
	return res, nil
}

// scoreCell is one score as PUT /api/v1/nominations/{id}/scores takes it.
type scoreCell struct {
	CriterionID int64   `json:"criterion_id,string"` // the API takes IDs as strings
	Value       float64 `json:"value"`
	Comment     string  `json:"comment"`
}

// scoreResult is one load of score saves.
type scoreResult struct {
	latencies []time.Duration // of the successful saves
	requests  int64
	perBase   []int64
	failures  map[string]int // by status or error
	example   string         // the first failure's answer
}

// loadScores has every juror save scores for d, one save after the other
// (closed loop), the k-th save of juror j to base (j+k) mod len(bases)
// and of nomination (7j+k) mod len(nominations): every criterion with a
// value from 1 to 5 and a comment.
func loadScores(ctx context.Context, jurors []*http.Client, bases []string, j jury, d time.Duration) scoreResult {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	res := scoreResult{perBase: make([]int64, len(bases)), failures: map[string]int{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for ji, c := range jurors {
		wg.Go(func() {
			var mine []time.Duration
			perBase := make([]int64, len(bases))
			fails := map[string]int{}
			example := ""
			for k := 0; ; k++ {
				base := bases[(ji+k)%len(bases)]
				cells := make([]scoreCell, len(j.criteria))
				for i, cr := range j.criteria {
					cells[i] = scoreCell{CriterionID: cr, Value: float64(1 + rand.IntN(5)), Comment: fmt.Sprintf("Runde %d.", k)}
				}
				body, _ := json.Marshal(map[string]any{"scores": cells})
				path := "/api/v1/nominations/" + j.nominations[(7*ji+k)%len(j.nominations)] + "/scores"
				began := time.Now()
				status, answer, err := send(ctx, c, http.MethodPut, base, path, body)
				if ctx.Err() != nil {
					break // cut off by the end of the run: not counted
				}
				perBase[(ji+k)%len(bases)]++
				switch {
				case err != nil:
					fails[err.Error()]++
				case status != http.StatusOK:
					fails[strconv.Itoa(status)]++
					if example == "" {
						example = fmt.Sprintf("%d %.300s", status, answer)
					}
				default:
					mine = append(mine, time.Since(began))
				}
			}
			mu.Lock()
			defer mu.Unlock()
			res.latencies = append(res.latencies, mine...)
			for i, n := range perBase {
				res.perBase[i] += n
				res.requests += n
			}
			for k, n := range fails {
				res.failures[k] += n
			}
			if res.example == "" {
				res.example = example
			}
		})
	}
	wg.Wait()
	slices.Sort(res.latencies)
	return res
}

// send sends body as JSON with the Origin of base, as a browser on a
// page of that replica does, and returns the status and the answer.
func send(ctx context.Context, c *http.Client, method, base, path string, body []byte) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, method, base+path, bytes.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", base)
	resp, err := c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// nearestRank returns quantile p (0–1) of sorted latencies, in ms.
func nearestRank(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := min(len(sorted)-1, max(0, int(p*float64(len(sorted))+0.999999)-1))
	return float64(sorted[i].Microseconds()) / 1000
}
