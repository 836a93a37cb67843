// Package outbox keeps the messages Heder sends about a cycle. A use case
// queues a message (Queue) in the transaction of the change that causes
// it: the row and the River job that sends it commit with the change or
// not at all, and a dedupe key keeps the same message from being queued
// twice. The notify package works the job: it claims the row (Claim) in
// the transaction around the sending and marks it sent there (MarkSent),
// so that several replicas send it once; a failure is recorded on the row
// (RecordFailure) and retried with River's backoff, and a permanent one
// shows as failed until a site admin retries it (Service.Retry). The
// Service lists a cycle's messages for its outbox page.
package outbox
