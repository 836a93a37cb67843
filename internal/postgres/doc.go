// Package postgres opens Heder's database (bun over a pgx pool), runs the
// migrations, runs functions in transactions and maps PostgreSQL errors to
// awards error codes.
package postgres
