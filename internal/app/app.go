package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/heder-awards/heder/internal/api"
	"github.com/heder-awards/heder/internal/assignment"
	"github.com/heder-awards/heder/internal/attachments"
	"github.com/heder-awards/heder/internal/auditlog"
	"github.com/heder-awards/heder/internal/auth"
	"github.com/heder-awards/heder/internal/config"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/deciding"
	"github.com/heder-awards/heder/internal/diplomas"
	"github.com/heder-awards/heder/internal/files"
	"github.com/heder-awards/heder/internal/history"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/jury"
	"github.com/heder-awards/heder/internal/noark"
	"github.com/heder-awards/heder/internal/nominations"
	"github.com/heder-awards/heder/internal/notify"
	"github.com/heder-awards/heder/internal/optout"
	"github.com/heder-awards/heder/internal/orgs"
	"github.com/heder-awards/heder/internal/outbox"
	"github.com/heder-awards/heder/internal/owners"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/heder-awards/heder/internal/privacy"
	"github.com/heder-awards/heder/internal/publication"
	"github.com/heder-awards/heder/internal/scoring"
	"github.com/heder-awards/heder/internal/server"
	"github.com/heder-awards/heder/internal/ui"
	"github.com/heder-awards/heder/internal/users"
	"github.com/heder-awards/heder/internal/voting"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/uptrace/bun"
)

const usage = `Usage: heder <command> [flags]

Commands:
  serve            run the web server (configuration from the environment; see README)
  migrate          apply database migrations
  import-kommuner  import or refresh Norway's municipalities (SSB) into the database
  import-archive   load the municipal innovation award's real history (2014–2020, with its sources)
                   into the public archive; running it again changes nothing
  import-organisations FILE
                   create or update other organisations from a CSV file (orgnr,name,kind,parent,language)
  dev              run everything locally: throw-away PostgreSQL, demo data, development login
  version          print the version
`

// Run runs the heder command line: args are the arguments after the
// program name. It returns when ctx is cancelled or the command ends.
func Run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	switch args[0] {
	case "serve":
		return runServe(ctx, args[1:], getenv, stdout, stderr)
	case "migrate":
		return runMigrate(ctx, getenv, stdout, stderr)
	case "import-kommuner":
		return runImport(ctx, args[1:], getenv, stdout, stderr)
	case "import-archive":
		return runImportArchive(ctx, args[1:], getenv, stdout, stderr)
	case "import-organisations":
		return runImportOrganisations(ctx, args[1:], getenv, stdout, stderr)
	case "dev":
		return runDev(ctx, args[1:], getenv, stdout, stderr)
	case "version":
		ver, rev := Version()
		fmt.Fprintf(stdout, "heder %s commit %s\n", ver, rev)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// version and commit are set when a release is built, with
// -ldflags "-X github.com/heder-awards/heder/internal/app.version=v1.2.0
// -X github.com/heder-awards/heder/internal/app.commit=<sha>" (see
// deploy/Dockerfile); a plain `go build` leaves them empty.
var version, commit string

// Version returns the version and commit the binary was built from: those
// set at build time, else what Go recorded (the module version and the VCS
// revision), else "unknown".
func Version() (ver, rev string) {
	info, _ := debug.ReadBuildInfo() // nil when the binary carries none
	return buildVersion(version, commit, info)
}

// buildVersion prefers the values set with -X; info may be nil.
func buildVersion(ver, rev string, info *debug.BuildInfo) (string, string) {
	if info != nil {
		if ver == "" {
			ver = info.Main.Version
		}
		if rev == "" {
			rev = vcsRevision(info)
		}
	}
	if ver == "" {
		ver = "unknown"
	}
	if rev == "" {
		rev = "unknown"
	}
	return ver, rev
}

// vcsRevision is the commit Go stamped into the binary, marked when the
// work tree had uncommitted changes.
func vcsRevision(info *debug.BuildInfo) string {
	rev, dirty := "", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev != "" && dirty {
		rev += "-dirty"
	}
	return rev
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	level := map[string]slog.Level{"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError}[cfg.LogLevel]
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// configError prints one line per problem, as the operator must fix them.
func configError(stderr io.Writer, err error) error {
	fmt.Fprintln(stderr, "heder: the configuration has problems:")
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintln(stderr, "  -", line)
	}
	return errors.New("invalid configuration")
}

func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("serve", flag.ContinueOnError)
	fl.SetOutput(stderr)
	if err := fl.Parse(args); err != nil {
		return err
	}
	cfg, err := config.Load(getenv)
	if err == nil {
		err = cfg.Validate(true)
	}
	if err != nil {
		return configError(stderr, err)
	}
	logger := newLogger(cfg, stderr)
	db, err := postgres.Open(ctx, cfg.DatabaseURL, cfg.DBMaxConns)
	if err != nil {
		return err
	}
	defer db.Close()
	if names, err := postgres.Migrate(ctx, db); err != nil {
		return err
	} else if len(names) > 0 {
		logger.Info("migrated", "migrations", names)
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	return serve(ctx, cfg, db, ln, logger, stdout)
}

// metricsServer serves /metrics on cfg.MetricsAddr, when that is set,
// until the returned function is called.
func metricsServer(cfg config.Config, metrics http.Handler, logger *slog.Logger) (stop func(), err error) {
	if cfg.MetricsAddr == "" {
		return func() {}, nil
	}
	ln, err := net.Listen("tcp", cfg.MetricsAddr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s (HEDER_METRICS_ADDR): %w", cfg.MetricsAddr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metrics)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: server.ReadHeaderTimeout, ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	logger.Info("serving metrics", "addr", ln.Addr().String())
	return func() {
		_ = srv.Close() // scrapes are short: no grace needed
		<-done
	}, nil
}

// serve runs the app on ln until ctx ends, then shuts down gracefully.
func serve(ctx context.Context, cfg config.Config, db *postgres.DB, ln net.Listener, logger *slog.Logger, stdout io.Writer) error {
	store, err := openStore(cfg)
	if err != nil {
		ln.Close()
		return err
	}
	handler, metrics, err := build(cfg, db, store, logger)
	if err != nil {
		ln.Close()
		return err
	}
	stopMetrics, err := metricsServer(cfg, metrics, logger)
	if err != nil {
		ln.Close()
		return err
	}
	defer stopMetrics()
	queue, err := startJobs(ctx, cfg, db, store, logger)
	if err != nil {
		ln.Close()
		return err
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: server.ReadHeaderTimeout, IdleTimeout: server.IdleTimeout,
		ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	fmt.Fprintf(stdout, "ready: %s\n", cfg.BaseURL)
	ver, rev := Version()
	logger.Info("serving", "addr", ln.Addr().String(), "base_url", cfg.BaseURL, "version", ver, "commit", rev)
	select {
	case err := <-errc:
		stopJobs(ctx, queue, logger)
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	// Both at once, so that the bound is the longer of the two, not their
	// sum: the job client takes no new jobs and lets running ones finish
	// (jobs that requests enqueue meanwhile wait in the database for
	// another replica or the next start), and the server refuses new
	// connections and lets requests in flight finish.
	jobsStopped := make(chan struct{})
	go func() {
		defer close(jobsStopped)
		stopJobs(ctx, queue, logger)
	}()
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ShutdownTimeout)
	defer cancel()
	err = srv.Shutdown(shutdownCtx)
	if err != nil {
		srv.Close() // cut off what is still running
		err = fmt.Errorf("shut down: %w", err)
	}
	<-jobsStopped
	logger.Info("stopped")
	return err
}

// ShutdownTimeout bounds how long requests in flight may take to finish
// once serve is told to stop; running jobs get jobs.SoftStopTimeout at
// the same time.
const ShutdownTimeout = 10 * time.Second

// build wires services and handlers into the HTTP handler, and returns
// the metrics' handler too (also in the first unless cfg.MetricsAddr is set).
func build(cfg config.Config, db *postgres.DB, store files.Store, logger *slog.Logger) (http.Handler, http.Handler, error) {
	bundle, err := i18n.Load()
	if err != nil {
		return nil, nil, fmt.Errorf("load translations: %w", err)
	}
	renderer, err := ui.NewRenderer(logger)
	if err != nil {
		return nil, nil, err
	}
	orgSvc := orgs.NewService(db)
	cycleSvc := cycles.NewService(db)
	userSvc := users.NewService(db)
	nominationSvc := nominations.NewService(db)
	auditSvc := auditlog.NewService(db)
	jurySvc := jury.NewService(db)
	publicationSvc := publication.NewService(db)
	scoringSvc := scoring.NewService(db)
	votingSvc := voting.NewService(db)
	assignmentSvc := assignment.NewService(db)
	decidingSvc := deciding.NewService(db)
	diplomaSvc := diplomas.NewService(db, bundle)
	outboxSvc := outbox.NewService(db)
	ownerSvc := owners.NewService(db)
	attachmentSvc := attachments.NewService(db, store, logger)
	noarkSvc := noark.NewService(db, store)
	archiveSvc, fresh, err := archiveService(cfg, db, logger)
	if err != nil {
		return nil, nil, err
	}
	authSvc := auth.New(auth.Options{DB: db, Users: userSvc, BaseURL: cfg.BaseURL, Providers: cfg.Providers, Admins: cfg.Admins,
		SessionIdle: cfg.SessionIdle, SessionLifetime: cfg.SessionLifetime, Logger: logger})
	privacySvc := privacy.NewService(db, authSvc.SessionsOf)
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	var formAction []string
	for _, p := range cfg.Providers {
		formAction = append(formAction, origin(p.Issuer))
	}
	optoutSvc := optout.NewService(db, []byte(cfg.SessionKey))
	deps := server.Deps{
		Logger: logger,
		UI: &ui.Handler{Renderer: renderer, Bundle: bundle, Auth: authSvc, Orgs: orgSvc, Cycles: cycleSvc, Users: userSvc, Logger: logger,
			AccessibilityURL: cfg.AccessibilityURL, ContactEmail: cfg.ContactEmail, Notify: notify.NewService(db), DevMail: devMail(cfg, db),
			Attachments: attachmentSvc, Nominations: nominationSvc, Jury: jurySvc, Scoring: scoringSvc, Voting: votingSvc, Screens: ui.NewScreenCache(ui.DefaultScreenBudget), Assignment: assignmentSvc,
			Publication: publicationSvc, Deciding: decidingSvc, Diplomas: diplomaSvc, Archive: archiveSvc, Audit: auditSvc, BaseURL: cfg.BaseURL, Outbox: outboxSvc, Owners: ownerSvc,
			Optout: optoutSvc, Noark: noarkSvc},
		API:          &api.Handler{Orgs: orgSvc, Cycles: cycleSvc, Users: userSvc, Bundle: bundle, Logger: logger, Attachments: attachmentSvc, Nominations: nominationSvc, Jury: jurySvc, Scoring: scoringSvc, Voting: votingSvc, Assignment: assignmentSvc, Publication: publicationSvc, Deciding: decidingSvc, Diplomas: diplomaSvc, Archive: archiveSvc, Audit: auditSvc, Privacy: privacySvc, BaseURL: cfg.BaseURL, Outbox: outboxSvc, Owners: ownerSvc, Noark: noarkSvc, Optout: optoutSvc},
		Auth:         authSvc,
		Users:        userSvc,
		Registry:     reg,
		MetricsApart: cfg.MetricsAddr != "",
		FormAction:   formAction,
		Fresh:        fresh,
		Ready: func(ctx context.Context) error {
			if err := db.Ping(ctx); err != nil {
				return fmt.Errorf("database: %w", err)
			}
			pending, err := postgres.Pending(ctx, db)
			if err != nil {
				return err
			}
			if len(pending) > 0 {
				return fmt.Errorf("%d migrations pending", len(pending))
			}
			return nil
		},
	}
	authSvc.Sessions.ErrorFunc = server.SessionError(deps)
	h, _ := server.New(deps)
	return h, server.Metrics(reg), nil
}

func origin(raw string) string {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return raw
	}
	host, _, _ := strings.Cut(rest, "/")
	return scheme + "://" + host
}

// openCommandDB opens the database DATABASE_URL names, for a command that
// migrates or imports.
func openCommandDB(ctx context.Context, getenv func(string) string, stderr io.Writer) (*postgres.DB, error) {
	cfg, err := config.Load(getenv)
	if err != nil {
		return nil, configError(stderr, err)
	}
	if cfg.DatabaseURL == "" {
		return nil, configError(stderr, errors.New("DATABASE_URL is not set: set it to postgres://user:password@host:5432/heder"))
	}
	return postgres.Open(ctx, cfg.DatabaseURL, 4)
}

func runMigrate(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer) error {
	db, err := openCommandDB(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	names, err := postgres.Migrate(ctx, db)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "applied %d migrations\n", len(names))
	for _, n := range names {
		fmt.Fprintln(stdout, " ", n)
	}
	return nil
}

func runImportArchive(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("import-archive", flag.ContinueOnError)
	fl.SetOutput(stderr)
	file := fl.String("file", "", "a history in the format of internal/history/innovasjonsprisen.toml (default: that file, built into heder)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	record, err := history.Innovasjonsprisen()
	if *file != "" {
		var data []byte
		if data, err = os.ReadFile(*file); err == nil {
			record, err = history.Parse(data)
		}
	}
	if err != nil {
		return err
	}
	db, err := openCommandDB(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	var changed int
	err = postgres.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		changed, err = history.Import(ctx, tx, record)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "imported the history of %s, %d years and %d sources: %d rows added or changed\n",
		record.Award.Slug, len(record.Years), len(record.Sources), changed)
	return nil
}

func runImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("import-kommuner", flag.ContinueOnError)
	fl.SetOutput(stderr)
	dir := fl.String("dir", "", "folder with kommuner.csv, kommuner-orgnr.csv and kommuner-history.csv (default: the copy built into heder)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	db, err := openCommandDB(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	var fsys fs.FS
	if *dir != "" {
		fsys = os.DirFS(*dir)
	} else {
		fsys, _ = fs.Sub(orgs.Data, "data")
	}
	res, err := orgs.ImportKommuner(ctx, db, fsys)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "imported %d counties, %d municipalities, %d former municipalities\n", res.Counties, res.Municipalities, res.Historical)
	return nil
}
