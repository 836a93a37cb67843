// Package optout signs and reads the unsubscribe links of call
// announcements, and records an organisation's choice to receive no more
// of them. A link works without logging in, so it carries its own proof:
// an HMAC-SHA256 over what it does (its purpose, the organisation, the
// member it was sent to and when it expires) with the instance's session
// key. Following it only shows what it would do; the confirmation is a
// POST, so that link scanners in mail systems unsubscribe nobody.
package optout
