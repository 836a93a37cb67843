// Package notify is a driver beside ui and api: it decides which e-mail
// goes to whom and sends it. Use cases own their jobs' arguments and
// enqueue them with jobs.InsertTx in the transaction of the change
// (nominations.EnqueueReceipt, jury.InvitationArgs, …); the workers here
// render web/templates/email in the written form each recipient
// organisation has chosen and send through a Mailer: SMTP in production,
// the Catcher in `heder dev` and tests (ParseSMTPURL reads the server's
// URL). It also serves the printable
// nomination receipt the e-mails link to, and sends jury invitations
// (jury.Invite enqueues jury.InvitationArgs), in the language chosen for
// each.
//
// Newer messages go through the outbox (internal/outbox): the change
// queues a row per recipient, and the worker here renders
// web/templates/email/<kind>.txt and sends it once, recording the
// delivery on the row for the cycle's outbox page. The reminder workers
// run at their instants before the deadlines and queue the reminders
// that are still due (nominations.QueueDraftReminders,
// scoring.QueueJuryReminders). The call worker, once a call is open,
// queues its announcement with signed unsubscribe links
// (cycles.QueueCall, internal/optout), and the winners' mail job queues
// the results of those its own mails do not tell
// (publication.QueueResults).
//
// Mail bodies are never logged.
package notify
