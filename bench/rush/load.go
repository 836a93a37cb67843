package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"
)

// The request types the report breaks latency down by.
const (
	opCreate      = "create"       // POST /api/v1/cycles/{cycle}/nominations
	opProjectAdd  = "project_add"  // POST /api/v1/nominations/{id}/projects
	opSave        = "save"         // PATCH /api/v1/nominations/{id}
	opProjectSave = "project_save" // PATCH /api/v1/projects/{id}
	opUpload      = "upload"       // POST /api/v1/projects/{id}/attachments
	opSubmit      = "submit"       // POST /api/v1/nominations/{id}/submit
)

var opOrder = []string{opCreate, opProjectAdd, opSave, opProjectSave, opUpload, opSubmit}

// sample is one request's outcome.
type sample struct {
	op     string
	start  time.Duration // since the window opened
	dur    time.Duration
	status int // 0: no answer (transport error)
	ok     bool
}

// plan is what every submitter does, and against what.
type plan struct {
	base     string // the app's URL
	cycle    string // the bench cycle's public ID
	saves    int
	projects int
	think    time.Duration // mean pause between a submitter's steps; 0 for none
	upload   []byte        // the multipart body with the file
	uploadCT string        // its Content-Type with the boundary
	t0       time.Time     // when the window opens
}

// submitter is one logged-in person in the rush.
type submitter struct {
	n       int
	client  *http.Client
	rng     *rand.Rand
	samples []sample
	// lag is how late the first request left compared with the schedule:
	// the load is open-loop only while this stays small.
	lag     time.Duration
	end     time.Duration // when the last request ended, since the window opened
	failure string        // the first refused or failed request, if any
}

func newClient(transport http.RoundTripper) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Transport: transport, Timeout: 60 * time.Second}
}

// login signs the submitter in through the real OIDC flow; the
// development provider signs bench-<n> in at once from the login_hint.
func (s *submitter) login(ctx context.Context, base string) (time.Duration, error) {
	start := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s/auth/login?login_hint=bench-%d", base, s.n), nil)
	if err != nil {
		return 0, err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("log in bench-%d: %w", s.n, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/" {
		return 0, fmt.Errorf("log in bench-%d: ended at %s with %d: %.300s", s.n, resp.Request.URL, resp.StatusCode, body)
	}
	return time.Since(start), nil
}

// do sends one request, records it, and decodes a wanted answer into out.
func (s *submitter) do(ctx context.Context, p *plan, op, method, path string, body []byte, contentType string, want int, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, p.base+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept", "application/json")
	start := time.Now()
	resp, err := s.client.Do(req)
	var answer []byte
	if err == nil {
		answer, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	smp := sample{op: op, start: start.Sub(p.t0), dur: time.Since(start)}
	if resp != nil {
		smp.status = resp.StatusCode
	}
	smp.ok = err == nil && smp.status == want
	s.samples = append(s.samples, smp)
	s.end = time.Since(p.t0)
	switch {
	case err != nil:
		return fmt.Errorf("%s %s: %w", method, path, err)
	case !smp.ok:
		return fmt.Errorf("%s %s: %d %s", method, path, smp.status, strings.TrimSpace(string(answer)))
	case out != nil:
		if err := json.Unmarshal(answer, out); err != nil {
			return fmt.Errorf("%s %s: read answer: %w", method, path, err)
		}
	}
	return nil
}

// pause is a person reading and typing between two saves.
func (s *submitter) pause(ctx context.Context, p *plan) {
	if p.think <= 0 {
		return
	}
	d := time.Duration(s.rng.Int64N(int64(2 * p.think)))
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

type versioned struct {
	ID      string `json:"id"`
	Version int    `json:"version"`
	Status  string `json:"status"`
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// text is k paragraphs of a nomination's prose.
func text(k int) string {
	const para = "Kommunen har over tre år arbeidet systematisk med innovasjon i tjenestene, sammen med innbyggere, " +
		"frivillige og næringsliv. Vi har prøvd ut nye arbeidsformer i små steg, målt effekten og tatt med oss det " +
		"som virket inn i den daglige driften. Erfaringene deles åpent med andre kommuner gjennom nettverk og besøk. "
	var b strings.Builder
	for i := range k {
		fmt.Fprintf(&b, "%d. %s%s\n\n", i+1, para, para)
	}
	return b.String()
}

// run is one submitter's last minute: start a nomination, add the
// projects, save the form several times (each carrying the version last
// read, the whole form as a browser sends it), complete each project,
// attach the file and submit. It stops at the first refusal.
func (s *submitter) run(ctx context.Context, p *plan) {
	if err := s.steps(ctx, p); err != nil {
		s.failure = err.Error()
	}
}

func (s *submitter) steps(ctx context.Context, p *plan) error {
	var nom versioned
	title := fmt.Sprintf("Helhetlig innovasjonsarbeid, innsender %d", s.n)
	if err := s.do(ctx, p, opCreate, http.MethodPost, "/api/v1/cycles/"+url.PathEscape(p.cycle)+"/nominations",
		mustJSON(map[string]any{"title": title}), "application/json", http.StatusCreated, &nom); err != nil {
		return err
	}
	projects := make([]versioned, p.projects)
	for i := range projects {
		s.pause(ctx, p)
		body := mustJSON(map[string]any{
			"title":        fmt.Sprintf("Prosjekt %d fra innsender %d", i+1, s.n),
			"description":  text(2),
			"period_start": "2024-01-01",
		})
		if err := s.do(ctx, p, opProjectAdd, http.MethodPost, "/api/v1/nominations/"+nom.ID+"/projects",
			body, "application/json", http.StatusCreated, &projects[i]); err != nil {
			return err
		}
	}
	for k := 1; k <= p.saves; k++ {
		s.pause(ctx, p)
		body := mustJSON(map[string]any{
			"version":       nom.Version,
			"title":         fmt.Sprintf("%s (utkast %d)", title, k),
			"summary":       text(k),
			"challenge":     "renewal",
			"contact_name":  fmt.Sprintf("Testbruker %d", s.n),
			"contact_email": fmt.Sprintf("bench-%d@example.org", s.n),
			"contact_phone": "+47 400 00 000",
		})
		if err := s.do(ctx, p, opSave, http.MethodPatch, "/api/v1/nominations/"+nom.ID,
			body, "application/json", http.StatusOK, &nom); err != nil {
			return err
		}
	}
	for i := range projects {
		s.pause(ctx, p)
		body := mustJSON(map[string]any{
			"version":  projects[i].Version,
			"results":  "783 deltakere ga 458 innspill.",
			"partners": "KS, frivillige lag og foreninger",
			"measures": []map[string]any{{"label": "deltakere", "value": 783}, {"label": "innspill", "value": 458}},
		})
		if err := s.do(ctx, p, opProjectSave, http.MethodPatch, "/api/v1/projects/"+projects[i].ID,
			body, "application/json", http.StatusOK, &projects[i]); err != nil {
			return err
		}
	}
	s.pause(ctx, p)
	if err := s.do(ctx, p, opUpload, http.MethodPost, "/api/v1/projects/"+projects[0].ID+"/attachments",
		p.upload, p.uploadCT, http.StatusCreated, nil); err != nil {
		return err
	}
	s.pause(ctx, p)
	if err := s.do(ctx, p, opSubmit, http.MethodPost, "/api/v1/nominations/"+nom.ID+"/submit",
		nil, "", http.StatusOK, &nom); err != nil {
		return err
	}
	if nom.Status != "submitted" {
		return fmt.Errorf("submit answered status %q", nom.Status)
	}
	return nil
}
