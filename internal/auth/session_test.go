package auth

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/devidp"
)

func TestSafeNext(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"/", "/"},
		{"/x?y=1", "/x?y=1"},
		{"/awards/3#nominate", "/awards/3#nominate"},
		{"//evil.example", "/"},
		{"//evil.example/x", "/"},
		{"https://evil.example", "/"},
		{"http://evil.example/", "/"},
		{"/\\evil", "/"},
		{"/\\/evil.example", "/"},
		{"", "/"},
		{"evil.example", "/"},
		{"javascript:alert(1)", "/"},
		{"/\t/evil.example", "/"}, // browsers drop tabs and newlines
		{"/\n/evil.example", "/"},
		{"/\r\n/evil.example", "/"},
	}
	for _, tt := range tests {
		if got := SafeNext(tt.in); got != tt.want {
			t.Errorf("SafeNext(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// Bearer accepts an ID token of a configured provider for its client and
// refuses everything else.
func TestBearer(t *testing.T) {
	t.Parallel()
	r := newRig(t, rigOptions{Fake: true, Users: []devidp.User{kari}})
	b := r.browser()
	want := b.login("kari")
	_, idToken, _ := b.do("GET", r.base+"/idtoken")
	if strings.Count(idToken, ".") != 2 {
		t.Fatalf("session holds no ID token: %q", idToken)
	}
	got, err := r.bearer(idToken)
	if err != nil || got != want {
		t.Fatalf("Bearer(devidp ID token) = %d, %v; want %d", got, err, want)
	}

	f := r.fake
	// Control: the fake provider's properly signed token is accepted.
	if id, err := r.bearer(sign(t, f.claims("script", ""), f.key, f.kid)); err != nil || id == 0 {
		t.Fatalf("Bearer(valid fake token) = %d, %v", id, err)
	}
	before := r.snapshot()

	otherKey := rsaKey(t)
	expired := f.claims("script", "")
	expired["iat"], expired["exp"] = time.Now().Add(-2*time.Hour).Unix(), time.Now().Add(-time.Hour).Unix()
	otherAud := f.claims("script", "")
	otherAud["aud"] = "someone-else"
	unknownIss := f.claims("script", "")
	unknownIss["iss"] = "https://unknown.example"
	// The devidp token's payload re-signed by the fake provider's key
	// under devidp's issuer.
	parts := strings.Split(idToken, ".")
	spliced := parts[0] + "." + parts[1] + "." + strings.Split(sign(t, f.claims("kari", ""), f.key, f.kid), ".")[2]

	tests := []struct{ name, token string }{
		{"signed with an unknown key", sign(t, f.claims("script", ""), otherKey, "other")},
		{"signed with another key under the published kid", sign(t, f.claims("script", ""), otherKey, f.kid)},
		{"unknown issuer", sign(t, unknownIss, f.key, f.kid)},
		{"unsigned", unsigned(t, f.claims("script", ""))},
		{"expired", sign(t, expired, f.key, f.kid)},
		{"wrong audience", sign(t, otherAud, f.key, f.kid)},
		{"devidp payload with a foreign signature", spliced},
		{"garbage", "garbage"},
		{"three dots of garbage", "a.b.c"},
		{"empty", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := r.sub(t)
			id, err := r.bearer(tt.token)
			wantRefused(t, err)
			if id != 0 {
				t.Errorf("refused token returned user %d", id)
			}
			r.nothingWritten(before)
		})
	}
}

// Logout ends the session here and sends the browser to the provider's
// end_session endpoint with the ID token as hint.
func TestLogout(t *testing.T) {
	t.Parallel()
	r := newRig(t, rigOptions{Users: []devidp.User{kari}})
	b := r.browser()
	if b.login("kari") == 0 {
		t.Fatal("not logged in")
	}
	_, idToken, _ := b.do("GET", r.base+"/idtoken")
	token := b.token()

	status, target, _ := b.do("POST", r.base+"/logout")
	if status != http.StatusOK {
		t.Fatalf("logout: %d %s", status, target)
	}
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if got := u.Scheme + "://" + u.Host + u.Path; got != r.issuer+"/end_session" {
		t.Errorf("logout goes to %s, want %s/end_session", got, r.issuer)
	}
	if q.Get("id_token_hint") != idToken {
		t.Errorf("id_token_hint = %q, want the session's ID token", q.Get("id_token_hint"))
	}
	home := r.base + "/?logged_out=1"
	if q.Get("post_logout_redirect_uri") != home {
		t.Errorf("post_logout_redirect_uri = %q, want %q", q.Get("post_logout_redirect_uri"), home)
	}
	if q.Get("client_id") != devClientID {
		t.Errorf("client_id = %q", q.Get("client_id"))
	}

	if id := b.sessionUser(); id != 0 {
		t.Errorf("session still holds user %d after logout", id)
	}
	// The old session token is gone from the store, not just the cookie.
	stale := r.browser()
	stale.setToken(token)
	if id := stale.sessionUser(); id != 0 {
		t.Errorf("old session token still logs in user %d", id)
	}

	// The provider accepts the request and sends the browser home.
	c := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	resp, err := c.Get(target)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, home) {
		t.Errorf("end_session answered %d to %q, want a redirect to %s", resp.StatusCode, loc, home)
	}

	// Logging out without a session goes home.
	_, target, _ = r.browser().do("POST", r.base+"/logout")
	if target != home {
		t.Errorf("logout without a session goes to %q, want %q", target, home)
	}
}

// A session ends after the idle timeout, and reading pages does not write
// the session back on every request: only when its last use is older than
// touchEvery.
func TestSessionIdle(t *testing.T) {
	t.Parallel()
	r := newRig(t, rigOptions{Users: []devidp.User{kari}})
	b := r.browser()
	want := b.login("kari")
	version := func() string { // the session row's version changes with every write
		t.Helper()
		var xmin []string
		if err := r.db.NewRaw(`SELECT xmin::text FROM sessions`).Scan(t.Context(), &xmin); err != nil || len(xmin) != 1 {
			t.Fatalf("sessions: %v %v", xmin, err)
		}
		return xmin[0]
	}

	before := version()
	for range 3 {
		if got := b.sessionUser(); got != want {
			t.Fatalf("user %d, want %d", got, want)
		}
	}
	if after := version(); after != before {
		t.Errorf("reading wrote the session (xmin %s → %s)", before, after)
	}

	b.do("GET", r.base+"/idle?by=2m")
	before = version()
	if got := b.sessionUser(); got != want {
		t.Fatalf("after two idle minutes: user %d, want %d", got, want)
	}
	after := version()
	if after == before {
		t.Error("a use after two minutes was not stored")
	}
	if got := b.sessionUser(); got != want || version() != after {
		t.Errorf("the next request: user %d, session written again: %v", got, version() != after)
	}

	b.do("GET", r.base+"/idle?by=31m")
	if got := b.sessionUser(); got != 0 {
		t.Errorf("after 31 idle minutes: user %d, want none", got)
	}
	if n := r.count("sessions"); n != 0 {
		t.Errorf("%d sessions left after the idle timeout", n)
	}
}

// TestSessionActor: a request reads its session and its user's actor in
// one round trip, the actor by the user stored beside the session; the
// session's data still says who is logged in, so an actor of anyone else
// is not used.
func TestSessionActor(t *testing.T) {
	t.Parallel()
	r := newRig(t, rigOptions{Users: []devidp.User{kari, {Username: "ola", Name: "Ola Nordmann", Email: "ola@example.no"}}})
	b := r.browser()
	kariID := b.login("kari")
	ola := r.browser()
	olaID := ola.login("ola")
	actor := func(b *browser) string {
		t.Helper()
		status, body, _ := b.do("GET", r.base+"/actor")
		if status != http.StatusOK {
			t.Fatalf("actor: %d %s", status, body)
		}
		return body
	}
	if got, want := actor(b), fmt.Sprintf("%d Kari Nordmann true", kariID); got != want {
		t.Errorf("actor %q, want %q", got, want)
	}
	if n := r.count(fmt.Sprintf("sessions WHERE user_id = %d", kariID)); n != 1 {
		t.Errorf("%d sessions stored of Kari, want 1", n)
	}
	// The stored user and the session's data disagree: the data wins.
	if _, err := r.db.ExecContext(t.Context(), `UPDATE sessions SET user_id = ? WHERE user_id = ?`, olaID, kariID); err != nil {
		t.Fatal(err)
	}
	if got, want := actor(b), fmt.Sprintf("%d Kari Nordmann false", kariID); got != want {
		t.Errorf("actor with another user stored %q, want %q", got, want)
	}
	// A session stored with no user (before the column) reads it apart.
	if _, err := r.db.ExecContext(t.Context(), `UPDATE sessions SET user_id = NULL WHERE user_id = ?`, olaID); err != nil {
		t.Fatal(err)
	}
	if got, want := actor(ola), fmt.Sprintf("%d Ola Nordmann false", olaID); got != want {
		t.Errorf("actor with no user stored %q, want %q", got, want)
	}
	if _, _, _ = b.do("POST", r.base+"/logout"); r.count(fmt.Sprintf("sessions WHERE user_id = %d OR user_id IS NULL", kariID)) != 1 {
		t.Errorf("Kari's session kept after logout")
	}
}
