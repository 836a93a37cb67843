// Package app is Heder's composition root: it reads the configuration,
// opens the database, wires the services and handlers, and runs the
// subcommands (serve, migrate, dev, import-kommuner, import-organisations,
// version).
package app
