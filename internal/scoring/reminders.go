package scoring

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/outbox"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// behindJuror is a juror with work left: nominations assigned and not
// submitted, or the declaration not made.
type behindJuror struct {
	UserID   int64  `bun:"user_id"`
	JurorID  int64  `bun:"juror_id"`
	Name     string `bun:"name"`
	Email    string `bun:"email"`
	Language string `bun:"language"`
	Left     int    `bun:"left_count"`
}

// jurorsBehind lists the jurors of the cycle's current round with work
// left in it, as the progress board counts it; juror, when not 0, keeps
// only that seat.
func jurorsBehind(ctx context.Context, tx bun.IDB, cycleID, juror int64) ([]behindJuror, error) {
	var js []behindJuror
	err := tx.NewRaw(`
		SELECT user_id, juror_id, name, email, language, left_count FROM (
			SELECT u.id AS user_id, j.id AS juror_id, u.name, u.email, u.locale AS language, j.declared_at IS NOT NULL AS declared,
				(SELECT count(*) FROM juror_nominations jn JOIN nominations n ON n.id = jn.nomination_id
					WHERE jn.juror_id = j.id AND in_the_running(n.status)
					AND NOT EXISTS (SELECT 1 FROM score_submissions ss WHERE ss.juror_id = j.id AND ss.nomination_id = n.id
						AND ss.round_id = current_round(j.cycle_id))) AS left_count
			FROM jurors j JOIN users u ON u.id = j.user_id
			WHERE j.cycle_id = ? AND j.removed_at IS NULL AND u.email <> '' AND (? = 0 OR j.id = ?)
				AND EXISTS (SELECT 1 FROM round_jurors rj WHERE rj.round_id = current_round(j.cycle_id) AND rj.juror_id = j.id)
		) x WHERE left_count > 0 OR NOT declared
		ORDER BY name, juror_id`, cycleID, juror, juror).Scan(ctx, &js)
	if err != nil {
		return nil, postgres.Map(fmt.Sprintf("jurors behind in cycle %d", cycleID), err)
	}
	return js, nil
}

// queueJuryReminders queues a reminder to each of js in tx; key tells
// this reminder from others to the same juror (the scheduled day, or the
// minute of a reminder sent by hand).
func queueJuryReminders(ctx context.Context, tx bun.Tx, cycleID int64, cyclePublicID, cycleTitle string, deadline *time.Time,
	js []behindJuror, key string) (int, error) {
	msgs := make([]outbox.Message, 0, len(js))
	for _, j := range js {
		data := map[string]string{"cycle_title": cycleTitle, "name": j.Name, "count": strconv.Itoa(j.Left),
			"path": "/jury/" + cyclePublicID}
		if deadline != nil {
			data["deadline"] = deadline.UTC().Format(time.RFC3339)
		}
		msgs = append(msgs, outbox.Message{CycleID: cycleID, Kind: outbox.KindJuryReminder, UserID: j.UserID, Email: j.Email,
			Language: j.Language, Data: data, DedupeKey: fmt.Sprintf("jury_reminder:%d:%d:%s", cycleID, j.UserID, key)})
	}
	n, err := outbox.Queue(ctx, tx, msgs...)
	if err != nil {
		return n, fmt.Errorf("jury reminders of cycle %d: %w", cycleID, err)
	}
	return n, nil
}

// Remind queues, now, a reminder to the juror with seat juror (0: every
// juror with work left) in the cycle with publicID, in the language each
// juror chose. Those who see the progress board may (the declared chair
// and site admins); others get ENotFound, an undeclared chair EForbidden.
// A second reminder to the same juror within a minute of the last one
// sent by hand is not queued (a button pressed twice). It returns how many were queued.
func (s *Service) Remind(ctx context.Context, actor *awards.Actor, publicID string, juror int64) (int, error) {
	var n int
	err := postgres.InTx(ctx, s.db, func(ctx context.Context, tx bun.Tx) error {
		st, err := loadSeat(ctx, tx, actor, publicID)
		if err != nil {
			return err
		}
		if !policy.CanSeeProgress(actor, st.State.ID, st.Chair, st.Declared) {
			if st.Chair && !st.Declared {
				return notDeclared()
			}
			return notFound()
		}
		js, err := jurorsBehind(ctx, tx, st.State.ID, juror)
		if err != nil {
			return err
		}
		if juror != 0 && len(js) == 0 {
			return awards.Errorf(awards.EConflict, "the juror has no work left, or no e-mail address")
		}
		if js, err = notRemindedLately(ctx, tx, st.State.ID, js); err != nil {
			return err
		}
		n, err = queueJuryReminders(ctx, tx, st.State.ID, st.State.PublicID, st.State.Title, st.ScoringDeadline, js,
			"manual:"+st.Now.UTC().Format(time.RFC3339Nano))
		return err
	})
	return n, err
}

// notRemindedLately keeps those of js who got no reminder by hand in the
// last minute. It locks the cycle's jury seats first, so two presses at
// the same moment see each other's reminders rather than both sending.
func notRemindedLately(ctx context.Context, tx bun.Tx, cycleID int64, js []behindJuror) ([]behindJuror, error) {
	if _, err := tx.ExecContext(ctx, `SELECT id FROM jurors WHERE cycle_id = ? FOR UPDATE`, cycleID); err != nil {
		return nil, postgres.Map(fmt.Sprintf("lock the jury of cycle %d", cycleID), err)
	}
	var lately []int64
	err := tx.NewRaw(`SELECT DISTINCT user_id FROM outbox_messages
		WHERE cycle_id = ? AND kind = ? AND dedupe_key LIKE '%:manual:%' AND user_id IS NOT NULL
			AND created_at > statement_timestamp() - interval '1 minute'`,
		cycleID, outbox.KindJuryReminder).Scan(ctx, &lately)
	if err != nil {
		return nil, postgres.Map(fmt.Sprintf("recent reminders in cycle %d", cycleID), err)
	}
	kept := js[:0]
	for _, j := range js {
		if !slices.Contains(lately, j.UserID) {
			kept = append(kept, j)
		}
	}
	return kept, nil
}

// QueueJuryReminders queues the reminders of a scheduled job to the
// jurors with work left, if still due (cycles.Due: the scoring deadline
// and the reminder day as scheduled, the cycle in judging).
func QueueJuryReminders(ctx context.Context, db bun.IDB, args cycles.JuryReminderArgs) (cycles.ReminderOutcome, error) {
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
		out = cycles.Due(args.Deadline, args.Days, c.ScoringDeadline, c.ReminderDays, string(c.Phase), string(awards.PhaseJudging), c.Now)
		if out.NotDue != "" || out.Wait > 0 {
			return nil
		}
		js, err := jurorsBehind(ctx, tx, args.CycleID, 0)
		if err != nil {
			return err
		}
		out.Queued, err = queueJuryReminders(ctx, tx, args.CycleID, c.PublicID, c.Title, c.ScoringDeadline, js,
			fmt.Sprintf("%d:%d", args.Deadline.Unix(), args.Days))
		return err
	})
	return out, err
}
