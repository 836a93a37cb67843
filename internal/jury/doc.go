// Package jury owns a cycle's jury: invitations by e-mail (single-use,
// expiring links; only the token's hash is stored), the seats they turn
// into — at once for the invited, verified address, after the chair's or
// an admin's confirmation for anyone else —, the chair, removal of
// jurors, and the conflict-of-interest declarations (habilitet) every
// juror makes before seeing any nomination.
//
// It is also the one place that says whether a juror may read a
// nomination (CanReadNomination, CanReadProject), answered from the
// database views juror_nominations and juror_visible_nominations, so
// that the nominations and attachments services, the browser and the API
// apply the same rule. To keep that possible, jury imports neither
// nominations, attachments nor notify: those import jury.
//
// Conflict declarations are internal jury working papers (offentleglova
// § 14): they are shown only to the juror, the chair and site admins.
package jury
