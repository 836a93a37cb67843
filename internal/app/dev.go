package app

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"time"

	"github.com/heder-awards/heder/internal/auth"
	"github.com/heder-awards/heder/internal/config"
	"github.com/heder-awards/heder/internal/demo"
	"github.com/heder-awards/heder/internal/devidp"
	"github.com/heder-awards/heder/internal/orgs"
	"github.com/heder-awards/heder/internal/pgcluster"
	"github.com/heder-awards/heder/internal/postgres"
)

// runDev runs the whole system locally: a throw-away PostgreSQL (unless
// DATABASE_URL is set), migrations, municipalities, demo data, the
// development identity provider and the app. Ctrl-C stops all of it.
func runDev(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("dev", flag.ContinueOnError)
	fl.SetOutput(stderr)
	addr := fl.String("addr", "127.0.0.1:8080", "address for the app")
	idpAddr := fl.String("idp-addr", "127.0.0.1:8081", "address for the development identity provider")
	if err := fl.Parse(args); err != nil {
		return err
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return configError(stderr, err)
	}
	cfg.LogFormat = "text"
	if getenv("HEDER_LOG_LEVEL") == "" {
		cfg.LogLevel = "info"
	}
	logger := newLogger(cfg, stderr)
	filesURL, removeFiles, err := devFilesURL(getenv)
	if err != nil {
		return err
	}
	defer removeFiles()
	cfg.FilesURL = filesURL

	if cfg.DatabaseURL == "" {
		fmt.Fprintln(stdout, "starting a throw-away PostgreSQL cluster …")
		cluster, err := pgcluster.Start(ctx)
		if err != nil {
			return err
		}
		defer cluster.Stop()
		cfg.DatabaseURL = cluster.URL("postgres")
	}
	db, err := postgres.Open(ctx, cfg.DatabaseURL, cfg.DBMaxConns)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := postgres.Migrate(ctx, db); err != nil {
		return err
	}
	data, _ := fs.Sub(orgs.Data, "data")
	res, err := orgs.ImportKommuner(ctx, db, data)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "imported %d municipalities (%d former) in %d counties\n", res.Municipalities, res.Historical, res.Counties)

	appLn, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s (is another heder dev running? use -addr): %w", *addr, err)
	}
	idpLn, err := net.Listen("tcp", *idpAddr)
	if err != nil {
		appLn.Close()
		return fmt.Errorf("listen on %s (use -idp-addr): %w", *idpAddr, err)
	}
	cfg.BaseURL = "http://" + appLn.Addr().String()
	issuer := "http://" + idpLn.Addr().String()
	secret := randomString()
	// A key given is kept, so that signed links (call unsubscribe links)
	// outlive a restart and tests can sign their own.
	if cfg.SessionKey == "" {
		cfg.SessionKey = randomString()
	}
	cfg.DevIdP = true
	if cfg.ContactEmail == "" {
		cfg.ContactEmail = "heder@localhost" // the demo's operator; mail to it is never sent
	}
	cfg.Providers = []auth.Provider{{
		ID: "dev", Name: "Demo-innlogging", Issuer: issuer, ClientID: "heder-dev", ClientSecret: secret,
		OrgnrClaims:  []string{"authorization_details[].authorized_parties[].orgno.ID"},
		EmailDomains: true, UILocales: true,
	}}
	cfg.Admins = []auth.Admin{{Issuer: issuer, Subject: "admin"}}
	if err := cfg.Validate(false); err != nil {
		return configError(stderr, err)
	}
	if err := demo.Load(ctx, db, issuer, time.Now()); err != nil {
		return err
	}

	var idpUsers []devidp.User
	for _, u := range demo.Users {
		idpUsers = append(idpUsers, devidp.User{Username: u.Username, Name: u.Name, Email: u.Email})
	}
	idp, err := devidp.New(devidp.Config{Issuer: issuer, Users: idpUsers, Logger: logger, Clients: []devidp.Client{{
		ID: "heder-dev", Secret: secret, RedirectURIs: []string{cfg.BaseURL + "/auth/callback"},
		PostLogoutRedirectURIs: []string{cfg.BaseURL + "/?logged_out=1"},
	}}, BenchUsers: getenv("HEDER_DEV_BENCH_USERS") == "1"}) // bench/rush logs in bench-<n> users
	if err != nil {
		return fmt.Errorf("start development identity provider: %w", err)
	}
	idpSrv := &http.Server{Handler: idp, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = idpSrv.Serve(idpLn) }()
	defer idpSrv.Close()

	fmt.Fprintf(stdout, "\nHeder runs at %s (development login at %s)\n", cfg.BaseURL, issuer)
	fmt.Fprintf(stdout, "E-mail is not sent but caught: read it at %s/dev/e-post\n", cfg.BaseURL)
	fmt.Fprintln(stdout, "Demo users (log in with the button, or /auth/login?login_hint=<user>):")
	for _, u := range demo.Users {
		fmt.Fprintf(stdout, "  %-11s %s (%s)\n", u.Username, u.Name, u.Description)
	}
	return serve(ctx, cfg, db, appLn, logger, stdout)
}

func randomString() string {
	b := make([]byte, 36)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
