// Package migrations embeds Heder's SQL migrations. Files are named
// YYYYMMDDHHMMSS_verb_noun.tx.up.sql so that bun/migrate runs each in one
// transaction: a migration that fails leaves the database as it was.
package migrations

import "embed"

// FS holds the SQL migration files.
//
//go:embed *.sql
var FS embed.FS
