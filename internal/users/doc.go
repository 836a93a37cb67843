// Package users owns the people who log in: their record keyed by
// (issuer, subject), what their login's claims make them a member of, the
// site-admin grant, and the Actor that every authorization decision reads.
package users
