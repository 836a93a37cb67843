package replicatest

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	mathrand "math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/heder-awards/heder/internal/demo"
	"github.com/heder-awards/heder/internal/devidp"
	"github.com/heder-awards/heder/internal/orgs"
	"github.com/heder-awards/heder/internal/pgcluster"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/heder-awards/heder/internal/smtptest"
	"github.com/jackc/pgx/v5"
)

// TB is the part of testing.TB the harness uses, so that a program that
// is not a test (a load script) can drive it too.
type TB interface {
	Helper()
	Cleanup(func())
	Fatalf(format string, args ...any)
	Logf(format string, args ...any)
	Failed() bool
}

// Options configure Start.
type Options struct {
	// Replicas is how many `heder serve` processes to run; default 3.
	Replicas int
	// OwnCluster runs a PostgreSQL cluster for this deployment alone, also
	// when DATABASE_URL is set, so that the test can stop and start it
	// (Deployment.Postgres).
	OwnCluster bool
	// BenchUsers lets the identity provider sign in any login_hint of the
	// form bench-<n> besides the demo users (devidp.Config.BenchUsers).
	BenchUsers bool
	// Env adds to or overrides every replica's environment, e.g.
	// {"HEDER_LOG_LEVEL": "debug"}.
	Env map[string]string
}

// Deployment is a database, a login provider, a mail server and the
// replicas serving on them, all on loopback; Start stops all of it when
// the test ends.
type Deployment struct {
	// DBURL is the database every replica uses.
	DBURL string
	// Postgres is the cluster the database is on, which the test may Halt
	// and Resume; nil when it is on DATABASE_URL's server.
	Postgres *pgcluster.Cluster
	// IdP is the login provider's issuer URL.
	IdP string
	// Mail is the mail server every replica sends through.
	Mail *smtptest.Server
	// Files is the folder every replica keeps attachments in
	// (HEDER_FILES_URL); an attachment's bytes are at Files/<storage_key>.
	Files string
	// Replicas are the `heder serve` processes, each on its own port.
	Replicas []*Replica

	bin  string
	env  []string
	db   *postgres.DB
	dbMu sync.Mutex
}

// Start runs opts.Replicas `heder serve` processes on one fresh
// database, all at once, so that they race to migrate it; then loads the
// municipalities and the demo data that `heder dev` loads. It returns when
// every replica serves requests.
func Start(t TB, opts Options) *Deployment {
	t.Helper()
	if opts.Replicas <= 0 {
		opts.Replicas = 3
	}
	ctx := context.Background()
	d := &Deployment{bin: binary(t)}
	d.DBURL, d.Postgres = database(t, opts.OwnCluster)
	d.Mail = smtptest.Start(t)

	// Each replica has a base URL of its own, known before it starts: the
	// provider must know every callback address.
	for i := range opts.Replicas {
		addr, err := freeAddr()
		if err != nil {
			t.Fatalf("replicatest: %v", err)
		}
		metrics, err := freeAddr()
		if err != nil {
			t.Fatalf("replicatest: %v", err)
		}
		d.Replicas = append(d.Replicas, &Replica{Index: i, Addr: addr, URL: "http://" + addr, MetricsAddr: metrics, d: d})
	}
	secret := randomString()
	d.IdP = startIdP(t, d.Replicas, secret, opts.BenchUsers)
	files, err := os.MkdirTemp("", "heder-replicatest-files")
	if err != nil {
		t.Fatalf("replicatest: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(files) })
	d.Files = filepath.Join(files, "files")
	providers, _ := json.Marshal([]map[string]any{{
		"id": "dev", "name": "Demo-innlogging", "issuer": d.IdP, "client_id": "heder-replicas", "client_secret": secret,
		"orgnr_claims":  []string{"authorization_details[].authorized_parties[].orgno.ID"},
		"email_domains": true, "ui_locales": true,
	}})
	env := map[string]string{
		"DATABASE_URL":         d.DBURL,
		"HEDER_SESSION_KEY":    randomString(),
		"HEDER_OIDC_PROVIDERS": string(providers),
		"HEDER_ADMINS":         d.IdP + "|admin",
		"HEDER_SMTP_URL":       d.Mail.URL(),
		"HEDER_MAIL_FROM":      "Heder <noreply@heder.test>",
		"HEDER_FILES_URL":      "file://" + d.Files, // shared, as a volume would be
		"HEDER_DB_MAX_CONNS":   "10",
		"HEDER_LOG_LEVEL":      "info", // Replica.JobClientID reads River's start line
	}
	for k, v := range opts.Env {
		env[k] = v
	}
	d.env = childEnv(env)

	// Stop the replicas before what they use goes away (cleanups run last
	// registered first).
	t.Cleanup(func() {
		for _, r := range d.Replicas {
			r.halt()
			if t.Failed() {
				t.Logf("replica %d (%s) output, last part:\n%s", r.Index, r.URL, r.logs.tail(20000))
			}
		}
	})
	var wg sync.WaitGroup
	errs := make([]error, len(d.Replicas))
	for i, r := range d.Replicas {
		wg.Go(func() { errs[i] = r.start() })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatalf("replicatest: %v", err)
		}
	}

	db := d.DB(t)
	data, _ := fs.Sub(orgs.Data, "data")
	if _, err := orgs.ImportKommuner(ctx, db, data); err != nil {
		t.Fatalf("replicatest: import municipalities: %v", err)
	}
	if err := demo.Load(ctx, db, d.IdP, time.Now()); err != nil {
		t.Fatalf("replicatest: demo data: %v", err)
	}
	return d
}

// DB returns a handle on the deployment's database (four connections),
// closed when the test ends.
func (d *Deployment) DB(t TB) *postgres.DB {
	t.Helper()
	d.dbMu.Lock()
	defer d.dbMu.Unlock()
	if d.db == nil {
		db, err := postgres.Open(context.Background(), d.DBURL, 4)
		if err != nil {
			t.Fatalf("replicatest: open database: %v", err)
		}
		t.Cleanup(db.Close)
		d.db = db
	}
	return d.db
}

// Client returns an HTTP client with a cookie jar of its own, logged in
// nowhere. Cookies are kept per host, not per port, so a session cookie
// one replica sets goes to all of them, as behind one load balancer.
func (d *Deployment) Client(t TB) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatalf("replicatest: %v", err)
	}
	return &http.Client{Jar: jar, Timeout: 30 * time.Second}
}

// database returns a fresh, empty database: on a cluster of the test's
// own, or on DATABASE_URL's server.
func database(t TB, ownCluster bool) (string, *pgcluster.Cluster) {
	t.Helper()
	ctx := context.Background()
	server := os.Getenv("DATABASE_URL")
	if server == "" || ownCluster {
		c, err := pgcluster.Start(ctx)
		if err != nil {
			t.Fatalf("replicatest: %v", err)
		}
		t.Cleanup(c.Stop)
		return c.URL("postgres"), c
	}
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Fatalf("replicatest: connect to DATABASE_URL: %v", err)
	}
	name := "replicas_" + randomHex(8)
	_, err = conn.Exec(ctx, "CREATE DATABASE "+name)
	conn.Close(ctx)
	if err != nil {
		t.Fatalf("replicatest: create database: %v", err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, server)
		if err != nil {
			return
		}
		defer conn.Close(ctx)
		_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	u, err := url.Parse(server)
	if err != nil {
		t.Fatalf("replicatest: DATABASE_URL: %v", err)
	}
	u.Path = "/" + name
	return u.String(), nil
}

// startIdP serves the development identity provider in this process, with
// the demo users and one client that may return to every replica.
func startIdP(t TB, replicas []*Replica, secret string, benchUsers bool) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("replicatest: %v", err)
	}
	issuer := "http://" + ln.Addr().String()
	client := devidp.Client{ID: "heder-replicas", Secret: secret}
	for _, r := range replicas {
		client.RedirectURIs = append(client.RedirectURIs, r.URL+"/auth/callback")
		client.PostLogoutRedirectURIs = append(client.PostLogoutRedirectURIs, r.URL+"/?logged_out=1")
	}
	var users []devidp.User
	for _, u := range demo.Users {
		users = append(users, devidp.User{Username: u.Username, Name: u.Name, Email: u.Email})
	}
	idp, err := devidp.New(devidp.Config{Issuer: issuer, Users: users, Clients: []devidp.Client{client},
		BenchUsers: benchUsers, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		ln.Close()
		t.Fatalf("replicatest: identity provider: %v", err)
	}
	srv := &http.Server{Handler: idp, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close() })
	return issuer
}

// childEnv is this process's environment without Heder's settings, with
// env on top: a DATABASE_URL or HEDER_… of the shell must not leak in.
func childEnv(env map[string]string) []string {
	var out []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if k == "DATABASE_URL" || strings.HasPrefix(k, "HEDER_") {
			continue
		}
		out = append(out, kv)
	}
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	return out
}

// freeAddr returns a loopback address with a port nobody listens on now.
// A child process cannot be handed a listener, and its base URL must be
// known before it starts, so the port is picked here and given to it. The
// port is below Linux's ephemeral range (32768 and up): a port from that
// range may be taken by an outgoing connection (to PostgreSQL, SMTP, …)
// between this check and the child's bind, and was, under parallel tests.
// Ports are picked before any child binds one, so a port once handed out
// is never handed out again by this process: two replicas were once given
// the same one.
func freeAddr() (string, error) {
	handedOut.mu.Lock()
	defer handedOut.mu.Unlock()
	for range 100 {
		port := 20000 + mathrand.IntN(12000)
		if handedOut.ports[port] {
			continue
		}
		addr := fmt.Sprintf("127.0.0.1:%d", port)
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			continue
		}
		ln.Close()
		handedOut.ports[port] = true
		return addr, nil
	}
	return "", errors.New("find a free port: 100 ports below 32000 taken")
}

// handedOut are the ports freeAddr has given out.
var handedOut = struct {
	mu    sync.Mutex
	ports map[int]bool
}{ports: map[int]bool{}}

func randomString() string {
	b := make([]byte, 36)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
