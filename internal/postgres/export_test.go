package postgres

// MigrateFrom lets the external tests run a migration set of their own.
var MigrateFrom = migrateFrom
