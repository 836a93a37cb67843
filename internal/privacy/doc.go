// Package privacy owns what Heder does with a person's data as a whole:
// for now the right of access (GDPR art. 15), the export of everything
// Heder holds tied to a person, as one JSON document.
//
// It reads across the award's whole flow (memberships, nominations,
// jury, scores, audit log, mails) with its own SQL, so it sits at the end
// of the use cases and imports none of them. Sessions live in the session
// store's encoded data, which only auth can read: it is handed a
// SessionLister.
package privacy
