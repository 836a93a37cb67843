package auth

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/devidp"
	"github.com/heder-awards/heder/internal/orgs"
	"github.com/heder-awards/heder/internal/pgtest"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/heder-awards/heder/internal/users"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

const (
	devClientID     = "heder-test"
	devClientSecret = "test-secret"
	fakeClientID    = "heder-fake"
)

// rigOptions configure newRig. The development provider ("dev") is always
// configured; Fake adds a hostile provider ("fake") after it.
type rigOptions struct {
	Users        []devidp.User
	MinACR       string
	OrgnrClaims  []string
	EmailDomains bool
	// Admins is called with the development provider's issuer.
	Admins     func(devIssuer string) []Admin
	Fake       bool
	ImportOrgs bool
}

// rig is one app (the auth service behind scs, on HTTPS as in production,
// since the session cookie is Secure) talking to one devidp and optionally
// one fake provider, over a fresh database.
type rig struct {
	t      *testing.T
	db     *postgres.DB
	svc    *Service
	base   string // the app's BaseURL
	issuer string // devidp's issuer
	fake   *fakeOP
	app    *httptest.Server
	last   *lastCallback
}

// lastCallback is what the app's last callback returned.
type lastCallback struct {
	mu  sync.Mutex
	err error
}

// sub returns r for use in the subtest t, so that failures are reported
// (and FailNow called) on the right test.
func (r *rig) sub(t *testing.T) *rig {
	c := *r
	c.t = t
	return &c
}

func newRig(t *testing.T, o rigOptions) *rig {
	t.Helper()
	r := &rig{t: t, db: pgtest.New(t), last: &lastCallback{}}
	if o.ImportOrgs {
		sub, err := fs.Sub(orgs.Data, "data")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := orgs.ImportKommuner(t.Context(), r.db, sub); err != nil {
			t.Fatalf("import kommuner: %v", err)
		}
	}

	// Unstarted servers, so that each side's URL is known before the other
	// is configured.
	r.app = httptest.NewUnstartedServer(nil)
	r.base = "https://" + r.app.Listener.Addr().String()
	idpSrv := httptest.NewUnstartedServer(nil)
	r.issuer = "http://" + idpSrv.Listener.Addr().String()

	idp, err := devidp.New(devidp.Config{
		Issuer: r.issuer,
		Users:  o.Users,
		Clients: []devidp.Client{{
			ID: devClientID, Secret: devClientSecret,
			RedirectURIs:           []string{r.base + "/auth/callback"},
			PostLogoutRedirectURIs: []string{r.base + "/?logged_out=1"},
		}},
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatalf("devidp.New: %v", err)
	}
	idpSrv.Config.Handler = idp
	idpSrv.Start()
	t.Cleanup(idpSrv.Close)

	providers := []Provider{{
		ID: "dev", Name: "Dev", Issuer: r.issuer, ClientID: devClientID, ClientSecret: devClientSecret,
		MinACR: o.MinACR, OrgnrClaims: o.OrgnrClaims, EmailDomains: o.EmailDomains,
	}}
	if o.Fake {
		r.fake = newFakeOP(t)
		providers = append(providers, Provider{
			ID: "fake", Name: "Fake", Issuer: r.fake.issuer, ClientID: fakeClientID, ClientSecret: "x",
		})
	}
	var admins []Admin
	if o.Admins != nil {
		admins = o.Admins(r.issuer)
	}
	r.svc = New(Options{
		DB: r.db, Users: users.NewService(r.db), BaseURL: r.base, Providers: providers, Admins: admins,
		SessionIdle: 30 * time.Minute, SessionLifetime: time.Hour, Logger: slog.New(slog.DiscardHandler),
	})
	t.Cleanup(r.svc.Sessions.Store.(*sessionStore).StopCleanup)

	mux := http.NewServeMux()
	mux.HandleFunc("GET /login", func(w http.ResponseWriter, req *http.Request) {
		q := req.URL.Query()
		target, err := r.svc.StartLogin(req.Context(), LoginRequest{
			Provider: q.Get("provider"), LoginHint: q.Get("login_hint"), Next: q.Get("next")})
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		io.WriteString(w, target)
	})
	mux.HandleFunc("GET /auth/callback", func(w http.ResponseWriter, req *http.Request) {
		next, err := r.svc.Callback(req.Context(), req.URL.Query())
		r.last.mu.Lock()
		r.last.err = err
		r.last.mu.Unlock()
		if err != nil {
			http.Error(w, "login failed", http.StatusUnauthorized)
			return
		}
		io.WriteString(w, next)
	})
	// /age makes the pending login look started earlier by ?by.
	mux.HandleFunc("GET /age", func(w http.ResponseWriter, req *http.Request) {
		d, err := time.ParseDuration(req.URL.Query().Get("by"))
		pend, ok := r.svc.Sessions.Get(req.Context(), keyPending).(pending)
		if err != nil || !ok {
			http.Error(w, "no pending login", http.StatusBadRequest)
			return
		}
		pend.Started = pend.Started.Add(-d)
		r.svc.Sessions.Put(req.Context(), keyPending, pend)
	})
	// /idle makes the session look last used ?by earlier.
	mux.HandleFunc("GET /idle", func(w http.ResponseWriter, req *http.Request) {
		d, err := time.ParseDuration(req.URL.Query().Get("by"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r.svc.Sessions.Put(req.Context(), keySeen, r.svc.Sessions.GetInt64(req.Context(), keySeen)-int64(d.Seconds()))
	})
	mux.HandleFunc("GET /me", func(w http.ResponseWriter, req *http.Request) {
		fmt.Fprint(w, r.svc.UserID(req.Context()))
	})
	// /actor is the session's user's ID and name, as Actor gives them, and
	// whether they came with the session.
	mux.HandleFunc("GET /actor", func(w http.ResponseWriter, req *http.Request) {
		a, err := r.svc.Actor(req.Context(), r.svc.UserID(req.Context()))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprintf(w, "%d %s %t", a.User.ID, a.User.Name, a == req.Context().Value(prefetchKey{}).(*prefetched).actor)
	})
	mux.HandleFunc("GET /idtoken", func(w http.ResponseWriter, req *http.Request) {
		io.WriteString(w, r.svc.Sessions.GetString(req.Context(), keyIDToken))
	})
	mux.HandleFunc("POST /logout", func(w http.ResponseWriter, req *http.Request) {
		target, err := r.svc.Logout(req.Context())
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		io.WriteString(w, target)
	})
	r.app.Config.Handler = r.svc.LoadAndSave(mux)
	r.app.StartTLS()
	t.Cleanup(r.app.Close)
	return r
}

// count returns the number of rows in table.
func (r *rig) count(table string) int {
	r.t.Helper()
	var n int
	if err := r.db.NewRaw("SELECT count(*) FROM "+table).Scan(r.t.Context(), &n); err != nil {
		r.t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// userID returns the ID of the user (issuer, subject), or 0.
func (r *rig) userID(issuer, subject string) int64 {
	r.t.Helper()
	var ids []int64
	err := r.db.NewRaw(`SELECT id FROM users WHERE issuer = ? AND subject = ?`, issuer, subject).Scan(r.t.Context(), &ids)
	if err != nil {
		r.t.Fatalf("find user: %v", err)
	}
	if len(ids) == 0 {
		return 0
	}
	return ids[0]
}

// nothingWritten fails the test unless no user, membership or audit row
// exists beyond those counted in before.
func (r *rig) nothingWritten(before map[string]int) {
	r.t.Helper()
	for table, want := range before {
		if got := r.count(table); got != want {
			r.t.Errorf("%s has %d rows, want %d", table, got, want)
		}
	}
}

func (r *rig) snapshot() map[string]int {
	r.t.Helper()
	return map[string]int{"users": r.count("users"), "memberships": r.count("memberships"), "audit_log": r.count("audit_log")}
}

// browser is one user agent with its own cookie jar.
type browser struct {
	t   *testing.T
	r   *rig
	c   *http.Client
	jar *cookiejar.Jar
}

func (r *rig) browser() *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		r.t.Fatal(err)
	}
	// A copy of the server's client, which trusts its TLS certificate: the
	// server hands out one client, and each browser has its own cookies.
	shared := *r.app.Client()
	c := &shared
	c.Jar = jar
	c.Timeout = 20 * time.Second
	// Stop when the provider sends the browser back to the app, so tests
	// can look at, tamper with or replay the callback URL.
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if req.URL.Path == "/auth/callback" {
			return http.ErrUseLastResponse
		}
		if len(via) > 10 {
			return errors.New("too many redirects")
		}
		return nil
	}
	return &browser{t: r.t, r: r, c: c, jar: jar}
}

func (b *browser) do(method, u string) (int, string, http.Header) {
	b.t.Helper()
	req, err := http.NewRequestWithContext(b.t.Context(), method, u, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return resp.StatusCode, string(body), resp.Header
}

// start calls StartLogin in this browser's session and returns the
// authorization URL.
func (b *browser) start(provider, loginHint, next string) string {
	b.t.Helper()
	q := url.Values{"provider": {provider}, "login_hint": {loginHint}, "next": {next}}
	status, body, _ := b.do("GET", b.r.base+"/login?"+q.Encode())
	if status != http.StatusOK {
		b.t.Fatalf("start login: %d %s", status, body)
	}
	return body
}

// authorize follows the authorization URL through the provider and
// returns the callback URL the provider redirects back to.
func (b *browser) authorize(authURL string) string {
	b.t.Helper()
	req, err := http.NewRequestWithContext(b.t.Context(), "GET", authURL, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("authorize: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	loc, err := resp.Location()
	if err != nil || loc.Path != "/auth/callback" {
		b.t.Fatalf("authorize ended at %s with %d, not at the callback: %s", resp.Request.URL, resp.StatusCode, body)
	}
	return loc.String()
}

// callback sends the browser to a callback URL and returns what Callback
// returned.
func (b *browser) callback(callbackURL string) (string, error) {
	b.t.Helper()
	status, body, _ := b.do("GET", callbackURL)
	b.r.last.mu.Lock()
	err := b.r.last.err
	b.r.last.mu.Unlock()
	switch {
	case err == nil && status != http.StatusOK:
		b.t.Fatalf("callback answered %d without an error", status)
	case err != nil && status != http.StatusUnauthorized:
		b.t.Fatalf("callback answered %d with error %v", status, err)
	}
	if err != nil {
		return "", err
	}
	return body, nil
}

// login signs in as a devidp user and returns the session's user ID.
func (b *browser) login(username string) int64 {
	b.t.Helper()
	if _, err := b.callback(b.authorize(b.start("dev", username, ""))); err != nil {
		b.t.Fatalf("login as %s: %v", username, err)
	}
	return b.sessionUser()
}

func (b *browser) sessionUser() int64 {
	b.t.Helper()
	_, body, _ := b.do("GET", b.r.base+"/me")
	id, err := strconv.ParseInt(body, 10, 64)
	if err != nil {
		b.t.Fatalf("/me: %q", body)
	}
	return id
}

// token returns the session cookie's value, or "".
func (b *browser) token() string {
	u, _ := url.Parse(b.r.base)
	for _, c := range b.jar.Cookies(u) {
		if c.Name == CookieName {
			return c.Value
		}
	}
	return ""
}

// setToken replaces the session cookie, as an attacker holding an old
// token would.
func (b *browser) setToken(v string) {
	u, _ := url.Parse(b.r.base)
	b.jar.SetCookies(u, []*http.Cookie{{Name: CookieName, Value: v, Path: "/", Secure: true, HttpOnly: true}})
}

// wantRefused fails the test unless err is the login-failed error.
func wantRefused(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		t.Fatal("login succeeded, want it refused")
	}
	if got := awards.ErrorCode(err); got != awards.EUnauthenticated {
		t.Fatalf("error code %q, want %q (error: %v)", got, awards.EUnauthenticated, err)
	}
}

// authParams returns state and nonce from an authorization URL.
func authParams(t *testing.T, authURL string) (state, nonce string) {
	t.Helper()
	u, err := url.Parse(authURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if q.Get("state") == "" || q.Get("nonce") == "" {
		t.Fatalf("authorization URL without state or nonce: %s", authURL)
	}
	return q.Get("state"), q.Get("nonce")
}

// fakeOP is a hostile OpenID provider: it serves its own discovery
// document (advertising "none" and HS256 as well) and JWKS, and its token
// endpoint hands out whatever ID token the test forged.
type fakeOP struct {
	t      *testing.T
	srv    *httptest.Server
	issuer string
	key    *rsa.PrivateKey // the key published in the JWKS
	kid    string

	mu       sync.Mutex
	idToken  string         // served by the next token request; "" omits it
	userinfo map[string]any // served by userinfo; nil answers 401
}

func newFakeOP(t *testing.T) *fakeOP {
	t.Helper()
	f := &fakeOP{t: t, key: rsaKey(t), kid: "fake-key-1"}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, map[string]any{
			"issuer":                                f.issuer,
			"authorization_endpoint":                f.issuer + "/authorize",
			"token_endpoint":                        f.issuer + "/token",
			"userinfo_endpoint":                     f.issuer + "/userinfo",
			"jwks_uri":                              f.issuer + "/jwks",
			"response_types_supported":              []string{"code"},
			"subject_types_supported":               []string{"public"},
			"id_token_signing_alg_values_supported": []string{"RS256", "HS256", "none"},
		})
	})
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{
			Key: &f.key.PublicKey, KeyID: f.kid, Algorithm: string(jose.RS256), Use: "sig"}}})
	})
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, _ *http.Request) {
		f.mu.Lock()
		idt := f.idToken
		f.mu.Unlock()
		resp := map[string]any{"access_token": "fake-access-token", "token_type": "Bearer", "expires_in": 300}
		if idt != "" {
			resp["id_token"] = idt
		}
		writeJSON(w, resp)
	})
	mux.HandleFunc("GET /userinfo", func(w http.ResponseWriter, _ *http.Request) {
		f.mu.Lock()
		ui := f.userinfo
		f.mu.Unlock()
		if ui == nil {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		writeJSON(w, ui)
	})
	f.srv = httptest.NewServer(mux)
	f.issuer = f.srv.URL
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeOP) serve(idToken string) {
	f.mu.Lock()
	f.idToken = idToken
	f.mu.Unlock()
}

func (f *fakeOP) serveUserinfo(claims map[string]any) {
	f.mu.Lock()
	f.userinfo = claims
	f.mu.Unlock()
}

// login completes a login at the fake provider with an ID token made of
// claims, which edit may change; it returns what Callback returned.
func (f *fakeOP) login(b *browser, subject string, edit func(c map[string]any)) (string, error) {
	b.t.Helper()
	state, nonce := authParams(b.t, b.start("fake", "", ""))
	c := f.claims(subject, nonce)
	if edit != nil {
		edit(c)
	}
	f.serve(sign(b.t, c, f.key, f.kid))
	return b.callback(b.r.base + "/auth/callback?" + url.Values{"state": {state}, "code": {"any"}}.Encode())
}

// claims returns valid ID token claims for subject and nonce.
func (f *fakeOP) claims(subject, nonce string) map[string]any {
	now := time.Now()
	c := map[string]any{
		"iss": f.issuer, "sub": subject, "aud": fakeClientID,
		"iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(),
		"name": "Mallory " + subject,
	}
	if nonce != "" {
		c["nonce"] = nonce
	}
	return c
}

// sign signs claims with RS256 under key and kid.
func sign(t *testing.T, claims map[string]any, key *rsa.PrivateKey, kid string) string {
	t.Helper()
	return signWith(t, claims, jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: kid}})
}

func signWith(t *testing.T, claims map[string]any, key jose.SigningKey) string {
	t.Helper()
	signer, err := jose.NewSigner(key, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		t.Fatal(err)
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	s, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// unsigned returns claims as a JWT with alg "none" and no signature.
func unsigned(t *testing.T, claims map[string]any) string {
	t.Helper()
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + enc(payload) + "."
}

func rsaKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// bearer calls Bearer outside any request, as the API middleware does
// before a session exists.
func (r *rig) bearer(raw string) (int64, error) {
	ctx, cancel := context.WithTimeout(r.t.Context(), 20*time.Second)
	defer cancel()
	return r.svc.Bearer(ctx, raw)
}

// memberOf returns the source of userID's membership in the current
// municipality with the given number, or "".
func (r *rig) memberOf(userID int64, municipality string) string {
	r.t.Helper()
	var src []string
	err := r.db.NewRaw(`SELECT m.source FROM memberships m JOIN organisations o ON o.id = m.organisation_id
		WHERE m.user_id = ? AND o.kind = 'municipality' AND o.number = ? AND o.valid_to IS NULL`,
		userID, municipality).Scan(r.t.Context(), &src)
	if err != nil {
		r.t.Fatalf("membership: %v", err)
	}
	return strings.Join(src, ",")
}
