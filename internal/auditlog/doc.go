// Package auditlog reads the audit log for people: entries filtered by
// cycle, nomination, person, action and time, newest first a page at a
// time (keyset pagination on the entry's time and id, since the log grows
// without bound), each with the thing it is about and the fields it
// changed, and the same entries streamed for a CSV export. internal/audit writes the
// log; this package only reads it, and only for site admins.
//
// An entry names its entity (nomination, project, cycle, juror, …) but not
// its cycle: scope.go says how each kind of entity belongs to a cycle and
// a nomination, in SQL, so that a filter follows those relations. A filter
// by award or owner would be one more scope of the same shape (the cycles
// of the award, then each cycle's scope).
package auditlog
