// Package apptest runs the whole of Heder for tests, exactly as `heder dev`
// does (real PostgreSQL, the development identity provider, demo data) on
// free loopback ports, and gives logged-in HTTP clients for demo users.
package apptest

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/app"
	"github.com/heder-awards/heder/internal/pgtest"
)

// App is a running Heder.
type App struct {
	URL string
	IdP string
	// DBURL is the app's database, for tests that must set up what no
	// route creates yet.
	DBURL string
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// SessionKey is the session key of the apps started here, so that tests
// can sign what the app signs (call unsubscribe links).
const SessionKey = "apptest-7Qm2xV9pL4rT8wZ1cN6bH3jK5sD0fG"

// Start runs `heder dev` on a fresh database and stops it when t ends.
func Start(t testing.TB) *App {
	t.Helper()
	return StartWith(t, pgtest.URL(t))
}

// StartWith runs `heder dev` on the database at dbURL.
func StartWith(t testing.TB, dbURL string) *App {
	t.Helper()
	getenv := func(k string) string {
		switch k {
		case "DATABASE_URL":
			return dbURL
		case "HEDER_LOG_LEVEL":
			return "warn"
		case "HEDER_SESSION_KEY":
			return SessionKey
		}
		return os.Getenv(k)
	}
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	logs := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		err := app.Run(ctx, []string{"dev", "-addr", "127.0.0.1:0", "-idp-addr", "127.0.0.1:0"}, getenv, pw, logs)
		pw.CloseWithError(io.EOF)
		done <- err
	}()
	a := &App{DBURL: dbURL}
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			line := sc.Text()
			if _, after, ok := strings.Cut(line, "development login at "); ok {
				a.IdP = strings.TrimSuffix(after, ")")
			}
			if u, ok := strings.CutPrefix(line, "ready: "); ok {
				a.URL = u
				close(ready)
			}
		}
	}()
	select {
	case <-ready:
	case err := <-done:
		cancel()
		t.Fatalf("heder dev stopped before ready: %v\n%s", err, logs.String())
	case <-time.After(60 * time.Second):
		cancel()
		t.Fatalf("heder dev not ready after 60s\n%s", logs.String())
	}
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("heder dev ended with %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("heder dev did not stop within 15s")
		}
		if t.Failed() {
			t.Logf("heder dev logs:\n%s", logs.String())
		}
	})
	return a
}

// Client returns an HTTP client with its own cookie jar, not logged in.
func (a *App) Client(t testing.TB) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, Timeout: 20 * time.Second}
}

// Login returns a client logged in as demo user username through the real
// OIDC flow (login_hint skips the provider's form).
func (a *App) Login(t testing.TB, username string) *http.Client {
	t.Helper()
	c := a.Client(t)
	resp, err := c.Get(a.URL + "/auth/login?login_hint=" + username)
	if err != nil {
		t.Fatalf("login %s: %v", username, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/" {
		t.Fatalf("login %s: ended at %s with %d: %.300s", username, resp.Request.URL, resp.StatusCode, body)
	}
	return c
}

// Do sends a request without following redirects and returns the status
// and body. A body starting with "{" is sent as JSON, any other as a form.
func (a *App) Do(t testing.TB, c *http.Client, method, path, body string) (int, string) {
	t.Helper()
	status, _, b := a.DoHeader(t, c, method, path, body)
	return status, b
}

// DoHeader is Do that also returns the answer's headers.
func (a *App) DoHeader(t testing.TB, c *http.Client, method, path, body string) (int, http.Header, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, a.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case strings.HasPrefix(body, "{"):
		req.Header.Set("Content-Type", "application/json")
	case body != "":
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	// Don't follow redirects, so that the status is the route's own.
	nc := *c
	nc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := nc.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}
