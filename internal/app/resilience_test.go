package app_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/app"
	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/pgcluster"
)

// TestDatabaseDown takes the database away under a running app: pages
// answer 503 with a friendly message (not a hang), /readyz fails, /healthz
// stays up, and the app recovers by itself when the database returns.
func TestDatabaseDown(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cluster, err := pgcluster.Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cluster.Stop)
	a := apptest.StartWith(t, cluster.URL("postgres"))
	c := a.Login(t, "asker")

	cluster.Halt()
	start := time.Now()
	status, body := a.Do(t, c, http.MethodGet, "/", "")
	if status != http.StatusServiceUnavailable || !strings.Contains(body, "midlertidig utilgjengelig") {
		t.Errorf("home with database down: %d %.300s", status, body)
	}
	if d := time.Since(start); d > 8*time.Second {
		t.Errorf("home with database down took %s", d)
	}
	if status, _ := a.Do(t, c, http.MethodGet, "/readyz", ""); status != http.StatusServiceUnavailable {
		t.Errorf("/readyz with database down: %d", status)
	}
	if status, _ := a.Do(t, c, http.MethodGet, "/healthz", ""); status != http.StatusOK {
		t.Errorf("/healthz with database down: %d", status)
	}
	if status, body := a.Do(t, c, http.MethodGet, "/api/v1/me", ""); status != http.StatusServiceUnavailable || !strings.Contains(body, `"status":503`) {
		t.Errorf("/api/v1/me with database down: %d %s", status, body)
	}

	if err := cluster.Resume(ctx); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		status, body = a.Do(t, c, http.MethodGet, "/", "")
		if status == http.StatusOK || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if status != http.StatusOK || !strings.Contains(body, "Kari Asker") {
		t.Errorf("after the database returned: %d, still logged in: %v", status, strings.Contains(body, "Kari Asker"))
	}
}

// TestCallbackReplay replays a login's callback: the first use logs in,
// the second gets the login-failed page with a way to try again.
func TestCallbackReplay(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	jar, _ := cookiejar.New(nil)
	var callback string
	c := &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, _ []*http.Request) error {
		if req.URL.Path == "/auth/callback" {
			callback = req.URL.String()
			return http.ErrUseLastResponse
		}
		return nil
	}}
	resp, err := c.Get(a.URL + "/auth/login?login_hint=traena&next=/om")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if callback == "" {
		t.Fatal("the provider never redirected to the callback")
	}
	u, _ := url.Parse(callback)
	path := u.RequestURI()
	status, _ := a.Do(t, c, http.MethodGet, path, "")
	if status != http.StatusSeeOther {
		t.Fatalf("first callback: %d", status)
	}
	if status, _ := a.Do(t, c, http.MethodGet, "/api/v1/me", ""); status != http.StatusOK {
		t.Fatalf("not logged in after the callback: %d", status)
	}
	status, body := a.Do(t, c, http.MethodGet, path, "")
	if status != http.StatusUnauthorized || !strings.Contains(body, "Innloggingen mislyktes") || !strings.Contains(body, `href="/auth/login"`) {
		t.Errorf("replayed callback: %d %.400s", status, body)
	}
	// A forged state from a fresh browser fails the same way.
	status, body = a.Do(t, a.Client(t), http.MethodGet, "/auth/callback?state=forged&code=stolen", "")
	if status != http.StatusUnauthorized || !strings.Contains(body, "Innloggingen mislyktes") {
		t.Errorf("forged callback: %d %.300s", status, body)
	}
}

// TestLogout ends the session here and at the provider.
func TestLogout(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	c := a.Login(t, "asker")
	resp, err := c.Post(a.URL+"/auth/logout", "application/x-www-form-urlencoded", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	// The redirect chain went through the provider's end_session and back.
	if resp.Request.URL.Path != "/" || resp.Request.URL.Query().Get("logged_out") != "1" {
		t.Errorf("logout ended at %s", resp.Request.URL)
	}
	if status, _ := a.Do(t, c, http.MethodGet, "/api/v1/me", ""); status != http.StatusUnauthorized {
		t.Errorf("still logged in after logout: %d", status)
	}
	// The provider's session is gone too: without login_hint it shows its picker again.
	resp, err = c.Get(a.URL + "/auth/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !strings.HasPrefix(resp.Request.URL.String(), a.IdP) {
		t.Errorf("after logout, login went straight to %s without asking", resp.Request.URL)
	}
}

// TestHeadersAndProbes checks the security headers, the session cookie's
// attributes, the probes and the 404 page in the user's language.
func TestHeadersAndProbes(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	resp, err := http.Get(a.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for name, want := range map[string]string{
		"Content-Security-Policy": "frame-ancestors 'none'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "strict-origin-when-cross-origin",
	} {
		if got := resp.Header.Get(name); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want it to contain %q", name, got, want)
		}
	}
	if csp := resp.Header.Get("Content-Security-Policy"); strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("CSP is not strict: %s", csp)
	}

	jar, _ := cookiejar.New(nil)
	var sessionCookie string
	c := &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, _ []*http.Request) error {
		for _, sc := range req.Response.Header.Values("Set-Cookie") {
			if strings.HasPrefix(sc, "heder_session=") {
				sessionCookie = sc
			}
		}
		return nil
	}}
	resp, err = c.Get(a.URL + "/auth/login?login_hint=asker")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, attr := range []string{"HttpOnly", "Secure", "SameSite=Lax"} {
		if !strings.Contains(sessionCookie, attr) {
			t.Errorf("session cookie %q lacks %s", sessionCookie, attr)
		}
	}

	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200, "/metrics": 200, "/api/openapi.json": 200} {
		if status, _ := a.Do(t, a.Client(t), http.MethodGet, path, ""); status != want {
			t.Errorf("%s: %d, want %d", path, status, want)
		}
	}
	if _, body := a.Do(t, a.Client(t), http.MethodGet, "/metrics", ""); !strings.Contains(body, "heder_http_requests_total") {
		t.Error("/metrics lacks heder_http_requests_total")
	}

	for lang, want := range map[string]string{"nb": "Fant ikke siden", "en": "Page not found"} {
		req, _ := http.NewRequest(http.MethodGet, a.URL+"/finnes-ikke", nil)
		req.Header.Set("Accept-Language", lang)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		_, _ = buf.ReadFrom(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound || !strings.Contains(buf.String(), want) {
			t.Errorf("404 in %s: %d, want %q in %.200s", lang, resp.StatusCode, want, buf.String())
		}
	}
	status, body := a.Do(t, a.Client(t), http.MethodGet, "/api/v1/finnes-ikke", "")
	if status != http.StatusNotFound || !strings.Contains(body, `"status":404`) {
		t.Errorf("API 404: %d %s", status, body)
	}

	// Answers with the session are stored nowhere, pages that look the
	// same for everyone included (/ and a 404 show who is logged in); the
	// public archive keeps its own rules. TestAuthorization checks every
	// route.
	asker := a.Login(t, "asker")
	for path, want := range map[string]string{"/": "no-store", "/finnes-ikke": "no-store", "/api/v1/me": "no-store",
		"/api/v1/finnes-ikke": "no-store", "/priser": "public, no-cache", "/api/v1/public/awards": "public, no-cache"} {
		_, h, _ := a.DoHeader(t, asker, http.MethodGet, path, "")
		if got := h.Get("Cache-Control"); got != want {
			t.Errorf("%s: Cache-Control %q, want %q", path, got, want)
		}
	}
}

// TestServeRefusesUnsafeConfig: serve exits with one line per problem.
func TestServeRefusesUnsafeConfig(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"DATABASE_URL":      "postgres://heder@127.0.0.1:1/heder",
		"HEDER_BASE_URL":    "http://heder.example.no",
		"HEDER_SESSION_KEY": "short",
		"HEDER_DEV_IDP":     "true",
	}
	var stdout, stderr bytes.Buffer
	err := app.Run(context.Background(), []string{"serve"}, func(k string) string { return env[k] }, &stdout, &stderr)
	if err == nil {
		t.Fatal("serve started with an unsafe configuration")
	}
	for _, want := range []string{"HEDER_BASE_URL must use https", "HEDER_SESSION_KEY is missing or weak", "HEDER_DEV_IDP is set", "HEDER_OIDC_PROVIDERS is not set"} {
		if !strings.Contains(stderr.String(), "  - "+want) {
			t.Errorf("stderr lacks the line %q:\n%s", want, stderr.String())
		}
	}
}

// TestCrossOriginRefused: a state-changing request from another site is
// refused before it reaches the handler, so it changes nothing.
func TestCrossOriginRefused(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	c := a.Login(t, "traena")
	req, _ := http.NewRequest(http.MethodPost, a.URL+"/organisasjoner/1/tilgang", strings.NewReader("message=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site POST: %d, want 403", resp.StatusCode)
	}
	if _, body := a.Do(t, c, http.MethodGet, "/", ""); strings.Contains(body, "bedt om tilgang") {
		t.Error("the cross-site request was carried out")
	}
}
