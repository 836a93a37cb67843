package outbox

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/heder-awards/heder/internal/jobs"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/riverqueue/river"
	"github.com/uptrace/bun"
)

// Kinds of message; each has its e-mail template in notify.
const (
	// KindIneligible tells a nominee's members that their nomination was
	// marked ineligible, and why.
	KindIneligible = "ineligible"
	// KindDraftReminder reminds a nominee's members, some days before the
	// nomination deadline, of a draft not yet submitted.
	KindDraftReminder = "draft_reminder"
	// KindJuryReminder reminds a juror of scores not yet submitted (or
	// the declaration not made) before the scoring deadline.
	KindJuryReminder = "jury_reminder"
	// KindCall announces an open call to a member of an eligible
	// organisation, with a link to opt the organisation out.
	KindCall = "call"
	// KindResults tells a nominee's members, at the winners' instant,
	// how an assessed nomination did, with the jury's feedback.
	KindResults = "results"
)

// States of a message.
const (
	StateQueued = "queued"
	StateSent   = "sent"
	StateFailed = "failed"
)

// Message is one e-mail to one recipient, as a use case queues it.
type Message struct {
	CycleID        int64
	Kind           string
	UserID         int64
	Email          string
	OrganisationID int64 // 0: none
	NominationID   int64 // 0: none
	// Language is the written form to write in: nb, nn or en.
	Language string
	// Data is what the kind's template renders, as it is now.
	Data map[string]string
	// DedupeKey names the message (kind, cause and recipient): a second
	// Queue with the same key queues nothing.
	DedupeKey string
}

// SendArgs is the job that sends one queued message. The notify package
// works it. It is not unique in River: the row decides whether there is
// anything left to send, so a retry can simply enqueue another job.
type SendArgs struct {
	MessageID int64 `json:"message_id"`
}

// Kind names the job in River's table.
func (SendArgs) Kind() string { return "outbox_send" }

// MaxAttempts is how often a message is tried before it shows as failed:
// River's backoff grows as attempt⁴ seconds, so about a day.
const MaxAttempts = 12

// InsertOpts gives up after MaxAttempts.
func (SendArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: MaxAttempts} }

// Queue queues msgs in tx, the transaction of the change that causes
// them, each with its sending job, and returns how many were new: a
// message whose dedupe key is already queued (or sent) is left alone.
func Queue(ctx context.Context, tx bun.Tx, msgs ...Message) (int, error) {
	queued := 0
	for _, m := range msgs {
		data, err := json.Marshal(m.Data)
		if err != nil {
			return queued, fmt.Errorf("outbox %s: %w", m.DedupeKey, err)
		}
		if m.Data == nil {
			data = []byte("{}")
		}
		var ids []int64
		err = tx.NewRaw(`
			INSERT INTO outbox_messages (cycle_id, kind, user_id, email, organisation_id, nomination_id, language, data, dedupe_key)
			VALUES (?, ?, NULLIF(?, 0), ?, NULLIF(?, 0), NULLIF(?, 0), ?, ?, ?)
			ON CONFLICT (dedupe_key) DO NOTHING
			RETURNING id`,
			m.CycleID, m.Kind, m.UserID, m.Email, m.OrganisationID, m.NominationID, m.Language, string(data), m.DedupeKey).Scan(ctx, &ids)
		if err != nil {
			return queued, postgres.Map("queue "+m.DedupeKey, err)
		}
		for _, id := range ids {
			if err := jobs.InsertTx(ctx, tx, SendArgs{MessageID: id}, nil); err != nil {
				return queued, fmt.Errorf("outbox message %d: %w", id, err)
			}
			queued++
		}
	}
	return queued, nil
}

// Pending is a queued message as the sender needs it.
type Pending struct {
	ID       int64             `bun:"id"`
	Kind     string            `bun:"kind"`
	Email    string            `bun:"email"`
	Language string            `bun:"language"`
	Data     map[string]string `bun:"data,type:jsonb"`
	Attempts int               `bun:"attempts"`
}

// Claim locks message id for sending in tx, the transaction around the
// sending; ok is false when there is nothing to send: the message is
// sent, failed for good (until retried) or gone. A concurrent claim of
// the same message waits until tx ends and then finds it sent.
func Claim(ctx context.Context, tx bun.Tx, id int64) (p Pending, ok bool, err error) {
	var rows []Pending
	err = tx.NewRaw(`SELECT id, kind, email, language, data, attempts FROM outbox_messages WHERE id = ? AND state = 'queued' FOR UPDATE`, id).
		Scan(ctx, &rows)
	if err != nil {
		return Pending{}, false, postgres.Map(fmt.Sprintf("claim outbox message %d", id), err)
	}
	if len(rows) == 0 {
		return Pending{}, false, nil
	}
	return rows[0], true, nil
}

// MarkSent records, in the transaction around the sending, that message
// id was handed to the mail server with subject.
func MarkSent(ctx context.Context, tx bun.Tx, id int64, subject string) error {
	_, err := tx.ExecContext(ctx, `
		UPDATE outbox_messages SET state = 'sent', sent_at = now(), updated_at = now(), subject = ?, attempts = attempts + 1, last_error = ''
		WHERE id = ?`, subject, id)
	return postgres.Map(fmt.Sprintf("mark outbox message %d sent", id), err)
}

// RecordFailure records a failed attempt at message id with the mail
// server's answer (never the body); final marks it failed, to be shown
// so until a site admin retries it. subject is recorded when known.
func RecordFailure(ctx context.Context, db bun.IDB, id int64, subject, lastError string, final bool) error {
	state := StateQueued
	if final {
		state = StateFailed
	}
	_, err := db.ExecContext(ctx, `
		UPDATE outbox_messages SET state = ?, attempts = attempts + 1, last_error = left(?, 1000),
			subject = CASE WHEN ? <> '' THEN ? ELSE subject END, updated_at = now()
		WHERE id = ? AND state = 'queued'`, state, lastError, subject, subject, id)
	return postgres.Map(fmt.Sprintf("record failure of outbox message %d", id), err)
}

// Entry is a message as the outbox page shows it.
type Entry struct {
	ID                 int64      `bun:"id"`
	CyclePublicID      string     `bun:"cycle_public_id"`
	Kind               string     `bun:"kind"`
	UserName           string     `bun:"user_name"`
	Email              string     `bun:"email"`
	OrganisationName   string     `bun:"organisation_name"`
	NominationPublicID string     `bun:"nomination_public_id"`
	NominationTitle    string     `bun:"nomination_title"`
	Language           string     `bun:"language"`
	Subject            string     `bun:"subject"`
	State              string     `bun:"state"`
	Attempts           int        `bun:"attempts"`
	LastError          string     `bun:"last_error"`
	CreatedAt          time.Time  `bun:"created_at"`
	UpdatedAt          time.Time  `bun:"updated_at"`
	SentAt             *time.Time `bun:"sent_at"`
}

const entrySelect = `
	SELECT m.id, c.public_id AS cycle_public_id, m.kind, coalesce(u.name, '') AS user_name, m.email,
		coalesce(o.name, '') AS organisation_name, coalesce(n.public_id, '') AS nomination_public_id,
		coalesce(n.title, '') AS nomination_title, m.language, m.subject, m.state, m.attempts, m.last_error,
		m.created_at, m.updated_at, m.sent_at
	FROM outbox_messages m
	JOIN cycles c ON c.id = m.cycle_id
	LEFT JOIN users u ON u.id = m.user_id
	LEFT JOIN organisations o ON o.id = m.organisation_id
	LEFT JOIN nominations n ON n.id = m.nomination_id`
