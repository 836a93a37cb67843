// Package audit writes the append-only audit log: who changed what, when,
// and the state before and after. Entries are written inside the caller's
// transaction so that a change and its record commit together.
package audit
