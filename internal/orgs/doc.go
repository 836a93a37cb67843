// Package orgs owns organisations (municipalities, counties, ministries,
// city districts, state agencies, companies, foundations, associations and
// other bodies), the import of Norway's municipalities from SSB's
// classification, the creation and import of the others from their
// organisation numbers, and people's membership of organisations: added by
// an admin, mapped from login claims, or requested and approved.
package orgs
