// Package pgcluster starts a throw-away PostgreSQL cluster from the
// machine's PostgreSQL binaries, for `heder dev` and for tests when no
// DATABASE_URL is given. The server runs as a child process that dies with
// its parent, so nothing is left running after Ctrl-C or a crash.
package pgcluster
