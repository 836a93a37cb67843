// Package replicatest runs Heder as production runs it, for tests: several
// `heder serve` processes (replicas) on one PostgreSQL, with a real
// OpenID Connect login and a real SMTP server, all on loopback.
//
// Start builds cmd/heder once per test binary (`go build -trimpath`, from
// the module root that `go env GOMOD` names), then for each deployment:
//
//   - a fresh, empty database: on a throw-away cluster of its own
//     (internal/pgcluster), or, when DATABASE_URL is set, a new database
//     on that server (dropped after the test); Options.OwnCluster forces
//     the former, for tests that stop PostgreSQL (Deployment.Postgres
//     Halt and Resume);
//   - the development identity provider (internal/devidp) in the test
//     process, with the demo users (`admin`, `asker`, `traena`,
//     `jury-chair`, `jury-1`, `jury-2`; Options.BenchUsers adds
//     `bench-<n>`), configured in the replicas as an ordinary provider
//     through HEDER_OIDC_PROVIDERS (serve refuses HEDER_DEV_IDP);
//   - a mail server (internal/smtptest) as HEDER_SMTP_URL;
//   - Options.Replicas (default 3) child processes, started together so
//     that they race to migrate the empty database (one does, the others
//     wait for the migration lock), each on its own loopback port with
//     its own HEDER_BASE_URL, all sharing one session key, one files
//     folder, one database, and at most 10 database connections each;
//   - then, through the database, the municipalities and the demo data
//     that `heder dev` loads (the demo award's open cycle, the demo users'
//     memberships; `admin` is also a bootstrap admin by HEDER_ADMINS).
//
// Everything stops when the test ends; a replica's output (JSON logs and
// stdout, every run) is printed when the test failed. Replicas run with
// Pdeathsig, so none outlives a killed test binary.
//
// A test package that uses it must say
//
//	func TestMain(m *testing.M) { replicatest.Main(m) }
//
// which removes the built binary afterwards. (Both this and pgtest.Main
// exit the process, so a package uses one of them; replicatest needs no
// pgtest.)
//
// The API:
//
//	d := replicatest.Start(t, replicatest.Options{Replicas: 3})
//	d.DBURL, d.DB(t)                // the database (a *postgres.DB closed at the end)
//	d.Postgres.Halt(); d.Postgres.Resume(ctx) // nil on DATABASE_URL's server
//	d.IdP                           // the provider's issuer URL
//	d.Files                         // the attachments folder they share: Files/<storage_key>
//	d.Mail.WaitMessages(t, n, timeout), d.Mail.Messages(), d.Mail.SetReplyDelay(…), d.Mail.Hang(true)
//	r := d.Replicas[i]              // r.URL (base URL), r.Addr (host:port), r.Index
//	c := r.Login(t, "asker")        // real OIDC flow on r; the cookie then works on every replica
//	d.Client(t)                     // a client with an empty cookie jar
//	status, body := r.Do(t, c, "PATCH", "/api/v1/nominations/…", `{"version":1}`)
//	r.TryDo(c, …)                   // the same, returning the error of a replica that is down
//	r.Stop(t)                       // SIGTERM, wait (StopTimeout); returns the exit error, nil for 0
//	r.Signal(t, syscall.SIGTERM); r.Wait(t, timeout) // the same in two steps
//	r.Kill(t)                       // SIGKILL, wait
//	r.Start(t)                      // again, same address; returns once it serves
//	r.Running(), r.PID(), r.Logs(), r.ExitErr()
//	r.JobClientID(t)                // this run's River client ID, as in river_job.attempted_by
//
// Do sends JSON when the body starts with "{" and a form otherwise,
// follows no redirects, and sets Origin to the replica's own URL on
// anything but GET and HEAD, as a browser on that replica's page would:
// net/http's cross-origin protection compares it with the Host. (In
// production all replicas share one HEDER_BASE_URL behind a load
// balancer; here each has its own, and cookies, which are per host and
// not per port, still go to all of them.)
//
// The harness takes TB, the part of testing.TB it uses, so that a program
// that is not a test (a load script) can drive it too: it implements TB,
// and before it exits runs the functions given to its Cleanup method,
// last first, then calls replicatest.Cleanup to remove the binary.
package replicatest
