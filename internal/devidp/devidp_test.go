package devidp

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

const (
	testClientID      = "heder-web"
	testClientSecret  = "dev-secret"
	testRedirectURI   = "http://app.test/auth/callback"
	testPostLogoutURI = "http://app.test/"
)

var testUsers = []User{
	{
		Username: "asker",
		Name:     "Kari Asker",
		Email:    "kari@asker.kommune.no",
		Locale:   "nb",
		Claims: map[string]any{
			"acr": "idporten-loa-substantial",
			"authorization_details": []any{
				map[string]any{"type": "heder_role", "role": "jury"},
			},
		},
	},
	{Username: "leder", Name: "Ola Leder", Email: "ola@example.no"},
}

// env is one running provider plus a go-oidc relying party configured
// against it, the way the app will use it.
type env struct {
	p      *Provider
	issuer string
	rp     *oidc.Provider
	oauth  oauth2.Config
}

func setup(t *testing.T, opts ...func(*Config)) *env {
	t.Helper()
	// Unstarted so the issuer (the listener's address) is known before New.
	srv := httptest.NewUnstartedServer(nil)
	issuer := "http://" + srv.Listener.Addr().String()
	cfg := Config{
		Issuer: issuer,
		Users:  testUsers,
		Clients: []Client{{
			ID:                     testClientID,
			Secret:                 testClientSecret,
			RedirectURIs:           []string{testRedirectURI},
			PostLogoutRedirectURIs: []string{testPostLogoutURI},
		}},
		Logger: slog.New(slog.NewTextHandler(t.Output(), nil)),
	}
	for _, o := range opts {
		o(&cfg)
	}
	p, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	srv.Config.Handler = p
	srv.Start()
	t.Cleanup(srv.Close)

	rp, err := oidc.NewProvider(t.Context(), issuer)
	if err != nil {
		t.Fatalf("discovery: %v", err)
	}
	return &env{
		p:      p,
		issuer: issuer,
		rp:     rp,
		oauth: oauth2.Config{
			ClientID:     testClientID,
			ClientSecret: testClientSecret,
			Endpoint:     rp.Endpoint(),
			RedirectURL:  testRedirectURI,
			Scopes:       []string{oidc.ScopeOpenID, "profile", "email"},
		},
	}
}

// browser keeps cookies and follows redirects until the client's redirect
// URI, which it does not visit.
func browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{
		Jar: jar,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if strings.HasPrefix(req.URL.String(), "http://app.test/") {
				return http.ErrUseLastResponse
			}
			if len(via) >= 10 {
				return errors.New("too many redirects")
			}
			return nil
		},
	}
}

// noRedirects returns every response as is.
var noRedirects = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

type authStart struct {
	url, state, nonce, verifier string
}

func (e *env) authURL(loginHint string, extra ...oauth2.AuthCodeOption) authStart {
	s := authStart{
		state:    oauth2.GenerateVerifier()[:16],
		nonce:    oauth2.GenerateVerifier()[:16],
		verifier: oauth2.GenerateVerifier(),
	}
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(s.verifier), oidc.Nonce(s.nonce)}
	if loginHint != "" {
		opts = append(opts, oauth2.SetAuthURLParam("login_hint", loginHint))
	}
	s.url = e.oauth.AuthCodeURL(s.state, append(opts, extra...)...)
	return s
}

// callbackParams asserts resp redirects to the client's redirect URI and
// returns its query.
func callbackParams(t *testing.T, resp *http.Response) url.Values {
	t.Helper()
	defer resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound && resp.StatusCode != http.StatusSeeOther {
		body, _ := io.ReadAll(resp.Body)
		t.Fatalf("status %d, want redirect to client; body: %s", resp.StatusCode, body)
	}
	u, err := url.Parse(loc)
	if err != nil || !strings.HasPrefix(loc, testRedirectURI+"?") {
		t.Fatalf("redirected to %q, want %s?...", loc, testRedirectURI)
	}
	return u.Query()
}

// loginWithHint runs authorize with login_hint and returns the code.
func (e *env) loginWithHint(t *testing.T, hint string) (authStart, string) {
	t.Helper()
	s := e.authURL(hint)
	resp, err := browser().Get(s.url)
	if err != nil {
		t.Fatal(err)
	}
	q := callbackParams(t, resp)
	if got := q.Get("state"); got != s.state {
		t.Fatalf("state = %q, want %q", got, s.state)
	}
	if q.Get("code") == "" {
		t.Fatalf("no code in callback: %v", q)
	}
	return s, q.Get("code")
}

// userClaims are the standard claims; customClaims the extra ones.
type userClaims struct {
	Subject           string `json:"sub"`
	Nonce             string `json:"nonce"`
	Name              string `json:"name"`
	Email             string `json:"email"`
	EmailVerified     bool   `json:"email_verified"`
	PreferredUsername string `json:"preferred_username"`
	ACR               string `json:"acr"`
}

type customClaims struct {
	AuthzDetails []struct {
		Type string `json:"type"`
		Role string `json:"role"`
	} `json:"authorization_details"`
}

func (e *env) exchange(t *testing.T, s authStart, code string) (*oauth2.Token, *oidc.IDToken, string) {
	t.Helper()
	tok, err := e.oauth.Exchange(t.Context(), code, oauth2.VerifierOption(s.verifier))
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		t.Fatal("token response has no id_token")
	}
	idt, err := e.rp.Verifier(&oidc.Config{ClientID: testClientID}).Verify(t.Context(), raw)
	if err != nil {
		t.Fatalf("verify ID token: %v", err)
	}
	if idt.Nonce != s.nonce {
		t.Fatalf("nonce = %q, want %q", idt.Nonce, s.nonce)
	}
	return tok, idt, raw
}

func TestCodeFlowWithLoginHint(t *testing.T) {
	for _, tc := range []struct {
		name  string
		style oauth2.AuthStyle
	}{
		{"client_secret_basic", oauth2.AuthStyleInHeader},
		{"client_secret_post", oauth2.AuthStyleInParams},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := setup(t)
			e.oauth.Endpoint.AuthStyle = tc.style
			s, code := e.loginWithHint(t, "asker")
			tok, idt, _ := e.exchange(t, s, code)

			var c userClaims
			var cc customClaims
			if err := idt.Claims(&c); err != nil {
				t.Fatal(err)
			}
			if err := idt.Claims(&cc); err != nil {
				t.Fatal(err)
			}
			want := userClaims{Subject: "asker", Nonce: s.nonce, Name: "Kari Asker", Email: "kari@asker.kommune.no",
				EmailVerified: true, PreferredUsername: "asker", ACR: "idporten-loa-substantial"}
			if c != want {
				t.Errorf("ID token claims = %+v, want %+v", c, want)
			}
			if len(cc.AuthzDetails) != 1 || cc.AuthzDetails[0].Type != "heder_role" || cc.AuthzDetails[0].Role != "jury" {
				t.Errorf("authorization_details = %+v, want one heder_role jury", cc.AuthzDetails)
			}

			ui, err := e.rp.UserInfo(t.Context(), oauth2.StaticTokenSource(tok))
			if err != nil {
				t.Fatalf("userinfo: %v", err)
			}
			var uc userClaims
			var ucc customClaims
			if err := ui.Claims(&uc); err != nil {
				t.Fatal(err)
			}
			if err := ui.Claims(&ucc); err != nil {
				t.Fatal(err)
			}
			uc.Nonce = c.Nonce // the only claim userinfo does not carry
			if uc != c || ui.Subject != "asker" || ui.Email != c.Email || !ui.EmailVerified ||
				len(ucc.AuthzDetails) != 1 || ucc.AuthzDetails[0] != cc.AuthzDetails[0] {
				t.Errorf("userinfo = %+v %+v, want the ID token's claims %+v %+v", uc, ucc, c, cc)
			}

			// Codes are single-use.
			if _, err := e.oauth.Exchange(t.Context(), code, oauth2.VerifierOption(s.verifier)); err == nil {
				t.Error("second exchange of the same code succeeded")
			}
		})
	}
}

func TestDiscovery(t *testing.T) {
	e := setup(t)
	var d struct {
		Authorization string   `json:"authorization_endpoint"`
		Token         string   `json:"token_endpoint"`
		Userinfo      string   `json:"userinfo_endpoint"`
		EndSession    string   `json:"end_session_endpoint"`
		JWKS          string   `json:"jwks_uri"`
		PKCE          []string `json:"code_challenge_methods_supported"`
		AuthMethods   []string `json:"token_endpoint_auth_methods_supported"`
		Claims        []string `json:"claims_supported"`
	}
	if err := e.rp.Claims(&d); err != nil {
		t.Fatal(err)
	}
	for got, want := range map[string]string{
		d.Authorization: "/authorize", d.Token: "/oauth/token", d.Userinfo: "/userinfo",
		d.EndSession: "/end_session", d.JWKS: "/keys",
	} {
		if got != e.issuer+want {
			t.Errorf("endpoint %q, want %q", got, e.issuer+want)
		}
	}
	if !slices.Equal(d.PKCE, []string{"S256"}) {
		t.Errorf("code_challenge_methods_supported = %v", d.PKCE)
	}
	for _, m := range []string{"client_secret_basic", "client_secret_post"} {
		if !slices.Contains(d.AuthMethods, m) {
			t.Errorf("token_endpoint_auth_methods_supported = %v, missing %s", d.AuthMethods, m)
		}
	}
	if !slices.Contains(d.Claims, "authorization_details") {
		t.Errorf("claims_supported = %v, missing custom claim", d.Claims)
	}
}

func TestWrongPKCEVerifierRefused(t *testing.T) {
	e := setup(t)
	s, code := e.loginWithHint(t, "asker")
	_, err := e.oauth.Exchange(t.Context(), code, oauth2.VerifierOption(oauth2.GenerateVerifier()))
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.ErrorCode != "invalid_grant" {
		t.Fatalf("exchange with wrong verifier: err = %v, want invalid_grant", err)
	}
	if _, err := e.oauth.Exchange(t.Context(), code); err == nil {
		t.Fatal("exchange without verifier succeeded")
	}
	// The right verifier still works: a failed attempt is not a use.
	e.exchange(t, s, code)
}

func TestPlainPKCERefused(t *testing.T) {
	e := setup(t)
	s := e.authURL("asker",
		oauth2.SetAuthURLParam("code_challenge", "plain-verifier-plain-verifier-plain-verifier"),
		oauth2.SetAuthURLParam("code_challenge_method", "plain"))
	resp, err := browser().Get(s.url)
	if err != nil {
		t.Fatal(err)
	}
	q := callbackParams(t, resp)
	if q.Get("error") != "invalid_request" || q.Get("code") != "" || q.Get("state") != s.state {
		t.Fatalf("callback %v, want error=invalid_request with state and no code", q)
	}
}

func TestCodeExpires(t *testing.T) {
	e := setup(t)
	s, code := e.loginWithHint(t, "asker")
	e.p.store.mu.Lock()
	e.p.store.now = func() time.Time { return time.Now().Add(codeTTL + time.Minute) }
	e.p.store.mu.Unlock()
	_, err := e.oauth.Exchange(t.Context(), code, oauth2.VerifierOption(s.verifier))
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.ErrorCode != "invalid_grant" {
		t.Fatalf("exchange of expired code: err = %v, want invalid_grant", err)
	}
}

var authRequestIDRe = regexp.MustCompile(`name="authRequestID" value="([^"]+)"`)

// openPicker starts a login that must land on the picker page and returns
// the browser, the auth start and the auth request ID from the form.
func (e *env) openPicker(t *testing.T, hint string) (*http.Client, authStart, string) {
	t.Helper()
	b := browser()
	s := e.authURL(hint)
	resp, err := b.Get(s.url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	page := string(body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, want 200 picker page; body: %s", resp.StatusCode, page)
	}
	for _, want := range []string{`<html lang="nb">`, "<main>", "<h1>Velg demobruker</h1>", `method="post"`,
		"Kari Asker", "(asker)", "Ola Leder", "(leder)"} {
		if !strings.Contains(page, want) {
			t.Errorf("picker page lacks %q", want)
		}
	}
	for _, bad := range []string{"<script", " style=", "src=", "href="} {
		if strings.Contains(page, bad) {
			t.Errorf("picker page contains %q", bad)
		}
	}
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP = %q", csp)
	}
	for _, c := range b.Jar.Cookies(resp.Request.URL) {
		if !strings.HasPrefix(c.Name, "devidp_") {
			t.Errorf("cookie %q lacks the devidp_ prefix", c.Name)
		}
	}
	m := authRequestIDRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no authRequestID in picker page: %s", page)
	}
	return b, s, m[1]
}

func (e *env) postLogin(c *http.Client, id, username string, header http.Header) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodPost, e.issuer+loginPath,
		strings.NewReader(url.Values{"authRequestID": {id}, "username": {username}}.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header[k] = v
	}
	return c.Do(req)
}

func TestPickerPage(t *testing.T) {
	for _, hint := range []string{"", "nobody"} {
		t.Run("login_hint="+hint, func(t *testing.T) {
			e := setup(t)
			b, s, id := e.openPicker(t, hint)
			resp, err := e.postLogin(b, id, "leder", nil)
			if err != nil {
				t.Fatal(err)
			}
			q := callbackParams(t, resp)
			if q.Get("state") != s.state {
				t.Fatalf("state = %q, want %q", q.Get("state"), s.state)
			}
			_, idt, _ := e.exchange(t, s, q.Get("code"))
			if idt.Subject != "leder" {
				t.Fatalf("sub = %q, want leder", idt.Subject)
			}
		})
	}
}

func TestLoginPostRefused(t *testing.T) {
	e := setup(t)
	b, _, id := e.openPicker(t, "")
	for _, tc := range []struct {
		name     string
		client   *http.Client
		id, user string
		header   http.Header
		want     int
	}{
		{"other browser", browser(), id, "asker", nil, http.StatusForbidden},
		{"cross-site", b, id, "asker", http.Header{"Sec-Fetch-Site": {"cross-site"}}, http.StatusForbidden},
		{"foreign origin", b, id, "asker", http.Header{"Origin": {"http://evil.test"}}, http.StatusForbidden},
		{"unknown auth request", b, "bogus", "asker", nil, http.StatusBadRequest},
		{"unknown user", b, id, "nobody", nil, http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := e.postLogin(tc.client, tc.id, tc.user, tc.header)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tc.want)
			}
		})
	}
	// None of the refusals consumed the request: the real browser can
	// still complete it.
	resp, err := e.postLogin(b, id, "asker", nil)
	if err != nil {
		t.Fatal(err)
	}
	callbackParams(t, resp)
}

func TestPromptNoneWithoutHint(t *testing.T) {
	e := setup(t)
	s := e.authURL("", oauth2.SetAuthURLParam("prompt", "none"))
	resp, err := browser().Get(s.url)
	if err != nil {
		t.Fatal(err)
	}
	if q := callbackParams(t, resp); q.Get("error") != "login_required" {
		t.Fatalf("callback %v, want error=login_required", q)
	}
}

func TestEndSession(t *testing.T) {
	e := setup(t)
	s, code := e.loginWithHint(t, "asker")
	tok, _, rawID := e.exchange(t, s, code)
	var d struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := e.rp.Claims(&d); err != nil {
		t.Fatal(err)
	}
	endSession := func(post string) *http.Response {
		t.Helper()
		q := url.Values{"id_token_hint": {rawID}, "post_logout_redirect_uri": {post}, "state": {"bye"}}
		resp, err := noRedirects.Get(d.EndSession + "?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}

	resp := endSession("http://evil.test/")
	if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
		t.Fatalf("unregistered post_logout_redirect_uri: status %d, Location %q; want 400 and no redirect",
			resp.StatusCode, resp.Header.Get("Location"))
	}

	resp = endSession(testPostLogoutURI)
	if want := testPostLogoutURI + "?state=bye"; resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != want {
		t.Fatalf("status %d, Location %q; want 302 to %q", resp.StatusCode, resp.Header.Get("Location"), want)
	}
	// Ending the session revokes the client's access tokens.
	if _, err := e.rp.UserInfo(t.Context(), oauth2.StaticTokenSource(tok)); err == nil {
		t.Error("userinfo still accepts the access token after end_session")
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	good := Client{ID: "c", RedirectURIs: []string{"http://app.test/cb"}}
	for name, cfg := range map[string]Config{
		"trailing slash":  {Issuer: "http://127.0.0.1:8081/"},
		"path":            {Issuer: "http://127.0.0.1:8081/idp"},
		"not a URL":       {Issuer: "127.0.0.1:8081"},
		"colon username":  {Issuer: "http://127.0.0.1:8081", Users: []User{{Username: "a:b"}}},
		"duplicate user":  {Issuer: "http://127.0.0.1:8081", Users: []User{{Username: "a"}, {Username: "a"}}},
		"duplicate":       {Issuer: "http://127.0.0.1:8081", Clients: []Client{good, good}},
		"no redirect URI": {Issuer: "http://127.0.0.1:8081", Clients: []Client{{ID: "c"}}},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: New succeeded", name)
		}
	}
}

func TestBenchUsers(t *testing.T) {
	t.Run("on", func(t *testing.T) {
		e := setup(t, func(c *Config) { c.BenchUsers = true })
		s, code := e.loginWithHint(t, "bench-17")
		tok, idt, _ := e.exchange(t, s, code)
		var c userClaims
		if err := idt.Claims(&c); err != nil {
			t.Fatal(err)
		}
		want := userClaims{Subject: "bench-17", Nonce: s.nonce, Name: "Testbruker 17", Email: "bench-17@example.org",
			EmailVerified: true, PreferredUsername: "bench-17"}
		if c != want {
			t.Errorf("ID token claims = %+v, want %+v", c, want)
		}
		ui, err := e.rp.UserInfo(t.Context(), oauth2.StaticTokenSource(tok))
		if err != nil {
			t.Fatalf("userinfo: %v", err)
		}
		if ui.Subject != "bench-17" || ui.Email != "bench-17@example.org" {
			t.Errorf("userinfo = %q %q, want bench-17", ui.Subject, ui.Email)
		}
		// Demo users still sign in; names outside the pattern get the picker.
		e.loginWithHint(t, "asker")
		for _, hint := range []string{"bench-", "bench-1234567", "bench-1a", "Bench-1", "xbench-1", "bench-1\n"} {
			e.wantPicker(t, hint)
		}
	})
	t.Run("off", func(t *testing.T) {
		e := setup(t)
		e.wantPicker(t, "bench-17")
	})
}

// wantPicker asserts that a login with hint is not signed in at once but
// shown the picker.
func (e *env) wantPicker(t *testing.T, hint string) {
	t.Helper()
	resp, err := browser().Get(e.authURL(hint).url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Velg demobruker") {
		t.Errorf("login_hint %q: status %d at %s, want the picker", hint, resp.StatusCode, resp.Request.URL)
	}
}
