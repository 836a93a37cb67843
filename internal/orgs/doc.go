// Package orgs owns organisations (municipalities, counties, ministries and
// other bodies), the import of Norway's municipalities from SSB's
// classification, and people's membership of organisations: added by an
// admin, mapped from login claims, or requested and approved.
package orgs
