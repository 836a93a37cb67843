// Package jury owns a cycle's jury: invitations by e-mail (single-use,
// expiring links; only the token's hash is stored), the seats they turn
// into — at once for the invited, verified address, after the chair's or
// an admin's confirmation for anyone else —, the chair, removal of
// jurors, and the conflict-of-interest declarations (habilitet) every
// juror makes before seeing any nomination.
//
// Whether a juror may read a nomination is the database's view
// juror_visible_nominations (over juror_nominations and the
// declarations): the nominations, attachments and publication services
// read it in the query that loads the nomination or project and hand it
// to policy as a fact, so they need not import jury.
//
// Conflict declarations are internal jury working papers (offentleglova
// § 14): they are shown only to the juror, the chair and site admins.
package jury
