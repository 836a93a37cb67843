package nominations

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/outbox"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// QueueDraftReminders queues, for the job args, a reminder to every
// member of every nominee organisation of each draft in the cycle not yet
// submitted, once per address, in the organisation's written form (in
// English to a user who chose English). It re-checks at run time what was
// true when the job was scheduled: a deadline moved since, a reminder day
// taken out, a call no longer open or a deadline passed send nothing; a
// submitted or withdrawn nomination is not a draft. The dedupe key
// (draft, deadline, day, user) keeps each reminder to one message.
func QueueDraftReminders(ctx context.Context, db bun.IDB, args cycles.ReminderArgs) (cycles.ReminderOutcome, error) {
	var out cycles.ReminderOutcome
	err := postgres.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		c, err := cycles.StateByID(ctx, tx, args.CycleID, cycles.NoLock)
		if err != nil {
			if awards.ErrorCode(err) == awards.ENotFound {
				out.NotDue = "cycle gone"
				return nil
			}
			return err
		}
		out = cycles.Due(args.Deadline, args.Days, c.NominationDeadline, c.ReminderDays, string(c.Phase), string(awards.PhaseOpen), c.Now)
		if out.NotDue != "" || out.Wait > 0 {
			return nil
		}
		var rs []struct {
			noticeRecipient
			NominationID int64  `bun:"nomination_id"`
			PublicID     string `bun:"public_id"`
			Title        string `bun:"title"`
		}
		err = tx.NewRaw(`
			SELECT DISTINCT ON (n.id, lower(u.email)) n.id AS nomination_id, n.public_id, n.title,
				u.id AS user_id, u.email, o.id AS organisation_id, o.name AS organisation_name,
				CASE WHEN u.locale = 'en' THEN 'en' ELSE o.language END AS language, ? AS cycle_title
			FROM nominations n
			JOIN nomination_organisations no ON no.nomination_id = n.id
			JOIN organisations o ON o.id = no.organisation_id
			JOIN memberships m ON m.organisation_id = o.id
			JOIN users u ON u.id = m.user_id
			WHERE n.cycle_id = ? AND n.status = 'draft' AND u.email <> ''
			ORDER BY n.id, lower(u.email), o.name, o.id, u.id`, c.Title, args.CycleID).Scan(ctx, &rs)
		if err != nil {
			return postgres.Map(fmt.Sprintf("draft reminder recipients of cycle %d", args.CycleID), err)
		}
		msgs := make([]outbox.Message, 0, len(rs))
		for _, r := range rs {
			msgs = append(msgs, outbox.Message{
				CycleID: args.CycleID, Kind: outbox.KindDraftReminder, UserID: r.UserID, Email: r.Email,
				OrganisationID: r.OrgID, NominationID: r.NominationID, Language: r.Language,
				Data: map[string]string{
					"nomination_title": r.Title, "cycle_title": c.Title, "organisation": r.OrgName,
					"deadline": args.Deadline.UTC().Format(time.RFC3339), "days": strconv.Itoa(args.Days),
					"path": "/nominasjoner/" + r.PublicID,
				},
				DedupeKey: fmt.Sprintf("draft_reminder:%d:%d:%d:%d", r.NominationID, args.Deadline.Unix(), args.Days, r.UserID),
			})
		}
		out.Queued, err = outbox.Queue(ctx, tx, msgs...)
		return err
	})
	return out, err
}
