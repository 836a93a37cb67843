// Package pgtest gives each test a fresh, migrated PostgreSQL database,
// cloned from a template in milliseconds. It uses DATABASE_URL when set and
// otherwise starts a throw-away cluster once per test binary; it never skips.
package pgtest
