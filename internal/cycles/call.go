package cycles

import (
	"context"
	"fmt"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/jobs"
	"github.com/heder-awards/heder/internal/optout"
	"github.com/heder-awards/heder/internal/outbox"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/riverqueue/river"
	"github.com/uptrace/bun"
)

// CallArgs is the job that announces a cycle's call, once it is open, to
// the members of every eligible organisation that has not opted out.
// OpensAt is the call's opening instant it was scheduled for (zero when
// the call had none and opened with its phase): a job whose instant has
// moved since does nothing, as the move scheduled its own. QueueCall
// decides whom; the notify package runs it.
type CallArgs struct {
	CycleID int64     `json:"cycle_id" river:"unique"`
	OpensAt time.Time `json:"opens_at" river:"unique"`
}

// Kind names the job in River's table.
func (CallArgs) Kind() string { return "call_announcement" }

// InsertOpts makes the job unique per cycle and instant, whatever its
// state: moving the cycle to open again, or saving it, does not schedule
// it twice.
func (CallArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 12, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// scheduleCall schedules, in tx, the call announcement of c when it is
// open: at its call_opens_at when that lies ahead, else at once.
func scheduleCall(ctx context.Context, tx bun.Tx, c awards.Cycle) error {
	if c.Phase != awards.PhaseOpen {
		return nil
	}
	args := CallArgs{CycleID: c.ID}
	var opts *river.InsertOpts
	if c.CallOpensAt != nil {
		args.OpensAt = c.CallOpensAt.UTC()
		opts = &river.InsertOpts{ScheduledAt: args.OpensAt}
	}
	if err := jobs.InsertTx(ctx, tx, args, opts); err != nil {
		return fmt.Errorf("cycle %d call announcement: %w", c.ID, err)
	}
	return nil
}

// moveCall schedules, in tx, the call announcement of the open cycle
// after, saved from before, when its call_opens_at has moved while it
// still lay ahead: the job for the old instant will find the call moved
// and do nothing. A call already open is not announced again by a save,
// nor is one of a cycle that opened before announcements existed.
func moveCall(ctx context.Context, tx bun.Tx, before, after awards.Cycle) error {
	if after.Phase != awards.PhaseOpen || before.CallOpensAt == nil ||
		after.CallOpensAt != nil && after.CallOpensAt.Equal(*before.CallOpensAt) {
		return nil
	}
	var ahead bool
	if err := tx.QueryRowContext(ctx, `SELECT ? > now()`, *before.CallOpensAt).Scan(&ahead); err != nil {
		return postgres.Map("database clock", err)
	}
	if !ahead {
		return nil
	}
	return scheduleCall(ctx, tx, after)
}

// callRecipient is a member, with an address, of an eligible organisation.
type callRecipient struct {
	UserID   int64  `bun:"user_id"`
	Email    string `bun:"email"`
	OrgID    int64  `bun:"organisation_id"`
	OrgName  string `bun:"organisation_name"`
	Language string `bun:"language"`
}

// callRecipientsSQL selects one member per address of the current
// organisations of the cycle's eligible kinds that have not opted out,
// in the organisation's written form (English to those who chose it); a
// member of several is written to on behalf of the first by name.
const callRecipientsSQL = `
	SELECT DISTINCT ON (lower(u.email)) u.id AS user_id, u.email, o.id AS organisation_id, o.name AS organisation_name,
		CASE WHEN u.locale = 'en' THEN 'en' ELSE o.language END AS language
	FROM cycles c
	JOIN organisations o ON o.kind = ANY (c.eligible_kinds) AND o.valid_to IS NULL
	JOIN memberships m ON m.organisation_id = o.id
	JOIN users u ON u.id = m.user_id
	WHERE c.id = ? AND u.email <> ''
		AND NOT EXISTS (SELECT 1 FROM call_optouts co WHERE co.organisation_id = o.id)
	ORDER BY lower(u.email), o.name, o.id, u.id`

// QueueCall queues, for the job args, the call announcement to every
// recipient (callRecipientsSQL), each with an unsubscribe link signed
// with key. It re-checks at run time: a cycle no longer open or a call
// moved to another instant sends nothing, and a job run early waits. The
// dedupe key (cycle, user) keeps it to one message per person per cycle.
func QueueCall(ctx context.Context, db bun.IDB, args CallArgs, key []byte) (ReminderOutcome, error) {
	var out ReminderOutcome
	err := postgres.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		c, err := getCycleByID(ctx, tx, args.CycleID)
		if awards.ErrorCode(err) == awards.ENotFound {
			out.NotDue = "cycle gone"
			return nil
		}
		if err != nil {
			return err
		}
		var now time.Time
		if err := tx.QueryRowContext(ctx, `SELECT now()`).Scan(&now); err != nil {
			return postgres.Map("database clock", err)
		}
		switch {
		case c.Phase != awards.PhaseOpen:
			out.NotDue = "phase is " + string(c.Phase)
			return nil
		case (c.CallOpensAt == nil) != args.OpensAt.IsZero() || c.CallOpensAt != nil && !c.CallOpensAt.Equal(args.OpensAt):
			out.NotDue = "call moved"
			return nil
		case c.CallOpensAt != nil && now.Before(*c.CallOpensAt):
			out.Wait = c.CallOpensAt.Sub(now)
			return nil
		}
		var rs []callRecipient
		if err := tx.NewRaw(callRecipientsSQL, c.ID).Scan(ctx, &rs); err != nil {
			return postgres.Map(fmt.Sprintf("call recipients of cycle %d", c.ID), err)
		}
		msgs := make([]outbox.Message, 0, len(rs))
		for _, r := range rs {
			token, err := optout.CallToken(key, r.OrgID, r.UserID, r.Email, now)
			if err != nil {
				return err
			}
			data := map[string]string{
				"cycle_title": c.Title, "organisation": r.OrgName, "call_text": c.CallTextIn(r.Language).Text,
				"path": "/sykluser/" + c.PublicID, "unsubscribe_path": "/avmelding/" + token,
			}
			if c.NominationDeadline != nil {
				data["deadline"] = c.NominationDeadline.UTC().Format(time.RFC3339)
			}
			msgs = append(msgs, outbox.Message{
				CycleID: c.ID, Kind: outbox.KindCall, UserID: r.UserID, Email: r.Email, OrganisationID: r.OrgID,
				Language: r.Language, Data: data, DedupeKey: fmt.Sprintf("call:%d:%d", c.ID, r.UserID),
			})
		}
		out.Queued, err = outbox.Queue(ctx, tx, msgs...)
		return err
	})
	return out, err
}
