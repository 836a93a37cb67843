// Package notify decides which e-mail goes to whom and sends it. Changes
// enqueue River jobs in their own transaction (EnqueueReceipt); the
// workers render web/templates/email in the written form each recipient
// organisation has chosen and send through a Mailer: SMTP in production,
// the Catcher in `heder dev` and tests. It also serves the printable
// nomination receipt the e-mails link to, and sends jury invitations
// (jury.Invite enqueues jury.InvitationArgs), in the language chosen for
// each.
//
// Mail bodies are never logged.
package notify
