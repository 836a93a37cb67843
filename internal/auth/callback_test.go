package auth

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/devidp"
)

var kari = devidp.User{Username: "kari", Name: "Kari Nordmann", Email: "Kari@Example.no", Locale: "nn"}

// A login through the development provider creates the user, stores the
// user in a renewed session and returns the safe destination.
func TestCallbackLogsIn(t *testing.T) {
	t.Parallel()
	r := newRig(t, rigOptions{Users: []devidp.User{kari}})
	b := r.browser()

	authURL := b.start("dev", "kari", "/x?y=1")
	before := b.token()
	if before == "" {
		t.Fatal("StartLogin set no session cookie")
	}
	next, err := b.callback(b.authorize(authURL))
	if err != nil {
		t.Fatalf("callback: %v", err)
	}
	if next != "/x?y=1" {
		t.Errorf("next = %q, want /x?y=1", next)
	}

	var u struct {
		ID            int64  `bun:"id"`
		Issuer        string `bun:"issuer"`
		Subject       string `bun:"subject"`
		Name          string `bun:"name"`
		Email         string `bun:"email"`
		EmailVerified bool   `bun:"email_verified"`
		Locale        string `bun:"locale"`
		IsAdmin       bool   `bun:"is_admin"`
	}
	if n := r.count("users"); n != 1 {
		t.Fatalf("%d users, want 1", n)
	}
	if err := r.db.NewRaw(`SELECT id, issuer, subject, name, email, email_verified, locale, is_admin FROM users`).Scan(t.Context(), &u); err != nil {
		t.Fatal(err)
	}
	if u.Issuer != r.issuer || u.Subject != "kari" || u.Name != "Kari Nordmann" || u.Email != "kari@example.no" ||
		!u.EmailVerified || u.Locale != "nn" || u.IsAdmin {
		t.Errorf("user row = %+v", u)
	}
	if got := b.sessionUser(); got != u.ID {
		t.Errorf("session user = %d, want %d", got, u.ID)
	}

	after := b.token()
	if after == "" || after == before {
		t.Errorf("session token not renewed at login: before %q, after %q", before, after)
	}
	// The pre-login token, which an attacker could have planted, is dead.
	attacker := r.browser()
	attacker.setToken(before)
	if got := attacker.sessionUser(); got != 0 {
		t.Errorf("pre-login session token still logs in user %d", got)
	}

	// An off-site destination is dropped when the login starts.
	b2 := r.browser()
	next, err = b2.callback(b2.authorize(b2.start("dev", "kari", "//evil.example/x")))
	if err != nil {
		t.Fatalf("second login: %v", err)
	}
	if next != "/" {
		t.Errorf("next = %q for an off-site destination, want /", next)
	}
	if n := r.count("users"); n != 1 {
		t.Errorf("%d users after logging in twice, want 1", n)
	}
}

// A callback whose state is not the session's is refused.
func TestCallbackBadState(t *testing.T) {
	t.Parallel()
	r := newRig(t, rigOptions{Users: []devidp.User{kari}})
	empty := r.snapshot()

	tamper := func(cb string, set func(q url.Values)) string {
		u, err := url.Parse(cb)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		set(q)
		u.RawQuery = q.Encode()
		return u.String()
	}
	tests := []struct {
		name string
		set  func(q url.Values)
	}{
		{"other state", func(q url.Values) { q.Set("state", "attacker-state") }},
		{"state of the right length", func(q url.Values) { q.Set("state", random()) }},
		{"no state", func(q url.Values) { q.Del("state") }},
		{"two states, the forged one first", func(q url.Values) { q["state"] = append([]string{"x"}, q["state"]...) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := r.sub(t)
			b := r.browser()
			cb := b.authorize(b.start("dev", "kari", ""))
			_, err := b.callback(tamper(cb, tt.set))
			wantRefused(t, err)
			r.nothingWritten(empty)
			if id := b.sessionUser(); id != 0 {
				t.Errorf("session holds user %d after a refused login", id)
			}
		})
	}

	// A callback in a browser that never started a login is refused.
	b := r.browser()
	cb := b.authorize(b.start("dev", "kari", ""))
	_, err := r.browser().callback(cb)
	wantRefused(t, err)
	r.nothingWritten(empty)
}

// A callback URL works once: using it again, in the same browser or in
// another, is refused, and so is a stolen code spliced into another
// browser's login.
func TestCallbackReplay(t *testing.T) {
	t.Parallel()
	r := newRig(t, rigOptions{Fake: true, Users: []devidp.User{kari}})

	b := r.browser()
	cb := b.authorize(b.start("dev", "kari", ""))
	if _, err := b.callback(cb); err != nil {
		t.Fatalf("first use: %v", err)
	}
	once := r.snapshot()
	if once["users"] != 1 {
		t.Fatalf("%d users after login, want 1", once["users"])
	}

	_, err := b.callback(cb)
	wantRefused(t, err)
	_, err = r.browser().callback(cb)
	wantRefused(t, err)
	r.nothingWritten(once)

	// The same browser replays after starting a new login: the state no
	// longer matches.
	b.start("dev", "kari", "")
	_, err = b.callback(cb)
	wantRefused(t, err)
	r.nothingWritten(once)

	// Code injection: the victim's unused code with the attacker's own
	// state. PKCE (and the nonce) tie the code to the victim's login.
	victim := r.browser()
	stolen, err := url.Parse(victim.authorize(victim.start("dev", "kari", "")))
	if err != nil {
		t.Fatal(err)
	}
	attacker := r.browser()
	state, _ := authParams(t, attacker.start("dev", "", ""))
	_, err = attacker.callback(r.base + "/auth/callback?" + url.Values{"state": {state}, "code": {stolen.Query().Get("code")}}.Encode())
	wantRefused(t, err)
	if id := attacker.sessionUser(); id != 0 {
		t.Errorf("attacker's session holds user %d", id)
	}
	r.nothingWritten(once)

	// A provider that would redeem a code twice (the fake one does) does
	// not make a replay work: the app's pending login is used up.
	fb := r.browser()
	state, nonce := authParams(t, fb.start("fake", "", ""))
	r.fake.serve(sign(t, r.fake.claims("mallory", nonce), r.fake.key, r.fake.kid))
	cb = r.base + "/auth/callback?" + url.Values{"state": {state}, "code": {"reusable"}}.Encode()
	if _, err := fb.callback(cb); err != nil {
		t.Fatalf("fake login: %v", err)
	}
	twice := r.snapshot()
	_, err = fb.callback(cb)
	wantRefused(t, err)
	_, err = r.browser().callback(cb)
	wantRefused(t, err)
	r.nothingWritten(twice)
}

// A made-up code with the right state is refused by the provider's token
// endpoint; a real code is refused when the login has outlived
// loginTimeout; an error answer from the provider is refused.
func TestCallbackInvalidCode(t *testing.T) {
	t.Parallel()
	r := newRig(t, rigOptions{Users: []devidp.User{kari}})
	empty := r.snapshot()
	for _, code := range []string{"made-up-code", "", strings.Repeat("A", 200)} {
		b := r.browser()
		state, _ := authParams(t, b.start("dev", "kari", ""))
		_, err := b.callback(r.base + "/auth/callback?" + url.Values{"state": {state}, "code": {code}}.Encode())
		wantRefused(t, err)
		r.nothingWritten(empty)
		if id := b.sessionUser(); id != 0 {
			t.Errorf("session holds user %d", id)
		}
	}

	// A valid code is refused when the login was started too long ago.
	b := r.browser()
	cb := b.authorize(b.start("dev", "kari", ""))
	if status, body, _ := b.do("GET", r.base+"/age?by=16m"); status != 200 {
		t.Fatalf("age: %d %s", status, body)
	}
	_, err := b.callback(cb)
	wantRefused(t, err)
	r.nothingWritten(empty)
	// ... and accepted just within the limit.
	b = r.browser()
	cb = b.authorize(b.start("dev", "kari", ""))
	if status, body, _ := b.do("GET", r.base+"/age?by=14m"); status != 200 {
		t.Fatalf("age: %d %s", status, body)
	}
	if _, err := b.callback(cb); err != nil {
		t.Errorf("login after 14 minutes refused: %v", err)
	}
	empty = r.snapshot()

	// The provider refused (e.g. the person cancelled).
	b = r.browser()
	state, _ := authParams(t, b.start("dev", "kari", ""))
	_, err = b.callback(r.base + "/auth/callback?" + url.Values{"state": {state}, "error": {"access_denied"}}.Encode())
	wantRefused(t, err)
	r.nothingWritten(empty)
}

// ID tokens forged by a hostile provider are refused unless issuer,
// signature, audience, expiry and nonce all hold.
func TestCallbackForgedIDToken(t *testing.T) {
	t.Parallel()
	r := newRig(t, rigOptions{Fake: true})
	f := r.fake
	otherKey := rsaKey(t)
	pub, err := x509.MarshalPKIXPublicKey(&f.key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name   string
		forge  func(t *testing.T, nonce string) string // "" serves no id_token
		wantOp string
	}{
		{"issuer differs from the discovered one", func(t *testing.T, nonce string) string {
			c := f.claims("mallory", nonce)
			c["iss"] = "https://accounts.evil.example"
			return sign(t, c, f.key, f.kid)
		}, "verify id token"},
		{"signed with a key not in the JWKS", func(t *testing.T, nonce string) string {
			return sign(t, f.claims("mallory", nonce), otherKey, "other-key")
		}, "verify id token"},
		{"signed with another key under the published kid", func(t *testing.T, nonce string) string {
			return sign(t, f.claims("mallory", nonce), otherKey, f.kid)
		}, "verify id token"},
		{"unsigned (alg none)", func(t *testing.T, nonce string) string {
			return unsigned(t, f.claims("mallory", nonce))
		}, "verify id token"},
		{"HS256 keyed with the published public key", func(t *testing.T, nonce string) string {
			return signWith(t, f.claims("mallory", nonce), jose.SigningKey{Algorithm: jose.HS256, Key: pub})
		}, "verify id token"},
		{"signature stripped", func(t *testing.T, nonce string) string {
			s := sign(t, f.claims("mallory", nonce), f.key, f.kid)
			return s[:strings.LastIndex(s, ".")+1]
		}, "verify id token"},
		{"payload swapped under a valid signature", func(t *testing.T, nonce string) string {
			good := strings.Split(sign(t, f.claims("mallory", nonce), f.key, f.kid), ".")
			evil := strings.Split(sign(t, f.claims("admin", nonce), otherKey, f.kid), ".")
			return good[0] + "." + evil[1] + "." + good[2]
		}, "verify id token"},
		{"wrong audience", func(t *testing.T, nonce string) string {
			c := f.claims("mallory", nonce)
			c["aud"] = "some-other-client"
			return sign(t, c, f.key, f.kid)
		}, "verify id token"},
		{"expired", func(t *testing.T, nonce string) string {
			c := f.claims("mallory", nonce)
			c["iat"] = time.Now().Add(-2 * time.Hour).Unix()
			c["exp"] = time.Now().Add(-time.Hour).Unix()
			return sign(t, c, f.key, f.kid)
		}, "verify id token"},
		{"wrong nonce", func(t *testing.T, _ string) string {
			return sign(t, f.claims("mallory", "not-the-nonce"), f.key, f.kid)
		}, "callback"},
		{"no nonce", func(t *testing.T, _ string) string {
			return sign(t, f.claims("mallory", ""), f.key, f.kid)
		}, "callback"},
		{"no id_token", func(t *testing.T, _ string) string { return "" }, "callback"},
	}
	empty := r.snapshot()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := r.sub(t)
			b := r.browser()
			state, nonce := authParams(t, b.start("fake", "", ""))
			f.serve(tt.forge(t, nonce))
			_, err := b.callback(r.base + "/auth/callback?" + url.Values{"state": {state}, "code": {"any"}}.Encode())
			wantRefused(t, err)
			var ae *awards.Error
			if errors.As(err, &ae) && ae.Op != tt.wantOp {
				t.Errorf("refused at %q, want %q: %v", ae.Op, tt.wantOp, err)
			}
			r.nothingWritten(empty)
			if id := b.sessionUser(); id != 0 {
				t.Errorf("session holds user %d", id)
			}
		})
	}

	// Control: the same provider's correctly signed token is accepted, so
	// the refusals above are for the forgery and not for the setup.
	b := r.browser()
	state, nonce := authParams(t, b.start("fake", "", ""))
	f.serve(sign(t, f.claims("mallory", nonce), f.key, f.kid))
	if _, err := b.callback(r.base + "/auth/callback?" + url.Values{"state": {state}, "code": {"any"}}.Encode()); err != nil {
		t.Fatalf("valid token refused: %v", err)
	}
	id := r.userID(f.issuer, "mallory")
	if id == 0 || b.sessionUser() != id {
		t.Errorf("valid token: user %d, session user %d", id, b.sessionUser())
	}
}

// A provider's minimum acr refuses weaker logins before anything is
// written.
func TestCallbackMinACR(t *testing.T) {
	t.Parallel()
	r := newRig(t, rigOptions{MinACR: "idporten-loa-substantial", Users: []devidp.User{
		{Username: "low", Name: "Low", Claims: map[string]any{"acr": "idporten-loa-low"}},
		{Username: "none", Name: "None"},
		{Username: "made-up", Name: "Made Up", Claims: map[string]any{"acr": "very-high-trust-me"}},
		{Username: "sub", Name: "Substantial", Claims: map[string]any{"acr": "idporten-loa-substantial"}},
		{Username: "high", Name: "High", Claims: map[string]any{"acr": "idporten-loa-high"}},
	}})
	empty := r.snapshot()
	for _, name := range []string{"low", "none", "made-up"} {
		b := r.browser()
		_, err := b.callback(b.authorize(b.start("dev", name, "")))
		wantRefused(t, err)
		r.nothingWritten(empty)
		if id := b.sessionUser(); id != 0 {
			t.Errorf("%s: session holds user %d", name, id)
		}
	}
	for _, name := range []string{"sub", "high"} {
		id := r.browser().login(name)
		if id == 0 || id != r.userID(r.issuer, name) {
			t.Errorf("%s: session user %d, user row %d", name, id, r.userID(r.issuer, name))
		}
	}
}

// Organisation numbers in the claims, and a verified e-mail domain that
// an organisation owns, make the user a member by claim.
func TestCallbackClaimMapping(t *testing.T) {
	t.Parallel()
	const askerOrgnr = "920125298" // 3203 Asker, kommuner-orgnr.csv
	ansattporten := []any{map[string]any{
		"type": "ansattporten:altinn:service",
		"authorized_parties": []any{map[string]any{
			"orgno": map[string]any{"authority": "iso6523-actorid-upis", "ID": "0192:" + askerOrgnr},
			"name":  "ASKER KOMMUNE",
		}},
	}}
	r := newRig(t, rigOptions{
		ImportOrgs:   true,
		OrgnrClaims:  []string{"authorization_details[].authorized_parties[].orgno.ID"},
		EmailDomains: true,
		Users: []devidp.User{
			{Username: "asker", Name: "Kari Asker", Email: "kari@example.no", Claims: map[string]any{"authorization_details": ansattporten}},
			{Username: "traena", Name: "Tor Træna", Email: "x@traena.kommune.no"},
			{Username: "nobody", Name: "No Body", Email: "x@unknown.example",
				Claims: map[string]any{"authorization_details": []any{map[string]any{"type": "x",
					"authorized_parties": []any{map[string]any{"orgno": map[string]any{"ID": "0192:999999999"}}}}}}},
		},
	})
	res, err := r.db.ExecContext(t.Context(), `UPDATE organisations SET email_domain = 'traena.kommune.no'
		WHERE kind = 'municipality' AND number = '1835' AND valid_to IS NULL`)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("set Træna's e-mail domain on %d rows", n)
	}

	asker := r.browser().login("asker")
	if src := r.memberOf(asker, "3203"); src != "claim" {
		t.Errorf("Asker membership source %q, want claim", src)
	}
	traena := r.browser().login("traena")
	if src := r.memberOf(traena, "1835"); src != "claim" {
		t.Errorf("Træna membership source %q, want claim", src)
	}
	nobody := r.browser().login("nobody")
	var n int
	if err := r.db.NewRaw(`SELECT count(*) FROM memberships WHERE user_id = ?`, nobody).Scan(t.Context(), &n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("user with unknown orgnr and domain has %d memberships", n)
	}
	if got := r.count("memberships"); got != 2 {
		t.Errorf("%d memberships, want 2", got)
	}
}

// Configured admins become site admins at login; others do not, and an
// unverified e-mail does not count.
func TestCallbackAdminBootstrap(t *testing.T) {
	t.Parallel()
	r := newRig(t, rigOptions{
		Fake:  true,
		Users: []devidp.User{{Username: "boss", Name: "Boss"}, {Username: "worker", Name: "Worker"}},
		Admins: func(iss string) []Admin {
			return []Admin{{Issuer: iss, Subject: "boss"}, {Email: "chief@example.no"}}
		},
	})
	fakeIssuer := r.fake.issuer
	isAdmin := func(id int64) bool {
		t.Helper()
		var admin bool
		if err := r.db.NewRaw(`SELECT is_admin FROM users WHERE id = ?`, id).Scan(t.Context(), &admin); err != nil {
			t.Fatal(err)
		}
		return admin
	}
	if boss := r.browser().login("boss"); !isAdmin(boss) {
		t.Error("boss is not admin")
	}
	if worker := r.browser().login("worker"); isAdmin(worker) {
		t.Error("worker is admin")
	}

	// The same subject at another provider is somebody else.
	if _, err := r.fake.login(r.browser(), "boss", nil); err != nil {
		t.Fatalf("fake login: %v", err)
	}
	if isAdmin(r.userID(fakeIssuer, "boss")) {
		t.Error("subject boss at another issuer is admin")
	}
	// The admin e-mail, claimed by another provider's user, counts only
	// when verified.
	for _, verified := range []bool{false, true} {
		subject := fmt.Sprintf("verified-%t", verified)
		_, err := r.fake.login(r.browser(), subject, func(c map[string]any) {
			c["email"], c["email_verified"] = "Chief@Example.no", verified
		})
		if err != nil {
			t.Fatalf("fake login: %v", err)
		}
		if got := isAdmin(r.userID(fakeIssuer, subject)); got != verified {
			t.Errorf("email_verified %t: admin %t", verified, got)
		}
	}
}

// Claims from userinfo fill in what the ID token lacks, but only when
// userinfo is about the same subject (OpenID Connect Core 5.3.2).
func TestCallbackUserinfo(t *testing.T) {
	t.Parallel()
	r := newRig(t, rigOptions{Fake: true, Admins: func(string) []Admin {
		return []Admin{{Email: "chief@example.no"}}
	}})
	f := r.fake
	noName := func(c map[string]any) { delete(c, "name") }
	type row struct {
		Name    string `bun:"name"`
		Email   string `bun:"email"`
		IsAdmin bool   `bun:"is_admin"`
	}
	get := func(subject string) row {
		t.Helper()
		var u row
		if err := r.db.NewRaw(`SELECT name, email, is_admin FROM users WHERE issuer = ? AND subject = ?`, f.issuer, subject).Scan(t.Context(), &u); err != nil {
			t.Fatal(err)
		}
		return u
	}

	f.serveUserinfo(map[string]any{"sub": "alice", "name": "Alice", "email": "alice@example.no", "email_verified": true})
	if _, err := f.login(r.browser(), "alice", noName); err != nil {
		t.Fatalf("login: %v", err)
	}
	if got, want := get("alice"), (row{Name: "Alice", Email: "alice@example.no"}); got != want {
		t.Errorf("alice = %+v, want %+v", got, want)
	}

	// Userinfo about somebody else (here the admin) must not be used.
	f.serveUserinfo(map[string]any{"sub": "chief", "name": "The Chief", "email": "chief@example.no", "email_verified": true})
	if _, err := f.login(r.browser(), "mallory", noName); err != nil {
		t.Fatalf("login: %v", err)
	}
	if got := get("mallory"); got != (row{}) {
		t.Errorf("mallory took another subject's userinfo: %+v", got)
	}
}
