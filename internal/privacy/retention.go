package privacy

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/riverqueue/river"
	"github.com/uptrace/bun"
)

// CaughtMailAge is how long the development mail catcher's copies are
// kept: they belong to no award owner, only to someone trying Heder out.
const CaughtMailAge = 30 * 24 * time.Hour

// Erasure is what the retention job deleted or anonymised in one cycle.
type Erasure struct {
	CycleID     int64 `json:"-"`
	Contacts    int64 `json:"contacts"`
	Scores      int64 `json:"scores"`
	Submissions int64 `json:"score_submissions"`
	Comments    int64 `json:"jury_comments"`
	Messages    int64 `json:"outbox_messages"`
	Invitations int64 `json:"jury_invitations"`
	Bids        int64 `json:"juror_bids"`
	// Ballots and BallotSubmissions are the jurors' ranked votes.
	Ballots           int64 `json:"ballots"`
	BallotSubmissions int64 `json:"ballot_submissions"`
	// AuditEntries are the audit log's entries about the cycle whose
	// personal values were blanked; who did what when stays.
	AuditEntries int64 `json:"audit_entries"`
}

// Sweep is one run of the retention job.
type Sweep struct {
	Cycles      []Erasure `json:"-"`
	CaughtMails int64     `json:"caught_mails"`
	Sessions    int64     `json:"sessions"`
}

// Retain erases the personal data that its owners keep no longer: for each
// published cycle whose owner's retention period has passed since its
// publication, the contact persons on its nominations, the jurors'
// individual scores, submissions, ballots and comments, the addresses its
// messages went to and its jury invitations, and those values inside the
// audit log's entries about them. What the public archive
// shows (nominations, projects, decisions, statements, the jury's names)
// stays. It also deletes the caught mails older than CaughtMailAge and the
// expired sessions. Each cycle is erased in its own transaction with an
// audit entry of its counts, and only once.
func Retain(ctx context.Context, db bun.IDB) (Sweep, error) {
	var due []int64
	if err := db.NewRaw(`SELECT p.cycle_id FROM cycle_publications p
		JOIN awards a ON a.id = p.award_id JOIN award_owners o ON o.organisation_id = a.owner_id
		WHERE p.personal_data_erased_at IS NULL AND o.retention_months IS NOT NULL
		  AND p.published_at + make_interval(months => o.retention_months) <= now()
		ORDER BY p.cycle_id`).Scan(ctx, &due); err != nil {
		return Sweep{}, postgres.Map("find cycles past retention", err)
	}
	var sweep Sweep
	for _, id := range due {
		e, err := eraseCycle(ctx, db, id)
		if err != nil {
			return sweep, err
		}
		sweep.Cycles = append(sweep.Cycles, e)
	}
	err := postgres.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if sweep.CaughtMails, err = affected(tx.ExecContext(ctx, `DELETE FROM caught_mails WHERE created_at < now() - ?::interval`,
			fmt.Sprintf("%d seconds", int64(CaughtMailAge.Seconds())))); err != nil {
			return fmt.Errorf("delete old caught mails: %w", err)
		}
		if sweep.Sessions, err = affected(tx.ExecContext(ctx, `DELETE FROM sessions WHERE expiry < now()`)); err != nil {
			return fmt.Errorf("delete expired sessions: %w", err)
		}
		if sweep.CaughtMails+sweep.Sessions == 0 {
			return nil
		}
		return audit.Record(ctx, tx, 0, "erase_expired", "instance", 0, nil, sweep)
	})
	return sweep, err
}

// eraseCycle erases one cycle's personal data, unless another replica's
// job did it meanwhile (the row lock and the erased mark say so).
func eraseCycle(ctx context.Context, db bun.IDB, cycleID int64) (Erasure, error) {
	e := Erasure{CycleID: cycleID}
	err := postgres.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		var done bool
		if err := tx.NewRaw(`SELECT personal_data_erased_at IS NOT NULL FROM cycles WHERE id = ? FOR UPDATE`, cycleID).Scan(ctx, &done); err != nil {
			return postgres.Map("lock cycle", err)
		}
		if done {
			return nil
		}
		if err := audit.AllowErasure(ctx, tx); err != nil {
			return err
		}
		steps := []struct {
			n    *int64
			what string
			sql  string
		}{
			// First the audit log, while the comments and invitations its
			// entries are about still exist to say which cycle they belong to.
			{&e.AuditEntries, "blank personal data in the audit log", eraseAuditSQL},
			{&e.Contacts, "anonymise contact persons", `UPDATE nominations SET contact_name = '', contact_email = '', contact_phone = ''
				WHERE cycle_id = ? AND (contact_name <> '' OR contact_email <> '' OR contact_phone <> '')`},
			{&e.Scores, "delete scores", `DELETE FROM scores WHERE nomination_id IN (SELECT id FROM nominations WHERE cycle_id = ?)`},
			{&e.Submissions, "delete score submissions", `DELETE FROM score_submissions WHERE nomination_id IN (SELECT id FROM nominations WHERE cycle_id = ?)`},
			{&e.Comments, "delete jury comments", `DELETE FROM jury_comments WHERE nomination_id IN (SELECT id FROM nominations WHERE cycle_id = ?)`},
			// The outbox page keeps what was sent and when, not to whom.
			{&e.Messages, "anonymise messages", `UPDATE outbox_messages SET email = 'anonymisert', user_id = NULL, data = '{}'
				WHERE cycle_id = ? AND email <> 'anonymisert'`},
			{&e.Invitations, "delete jury invitations", `DELETE FROM jury_invitations WHERE cycle_id = ?`},
			{&e.Bids, "delete jurors' bids", `DELETE FROM juror_bids WHERE nomination_id IN (SELECT id FROM nominations WHERE cycle_id = ?)`},
			{&e.Ballots, "delete ballots", `DELETE FROM ballots WHERE round_id IN (SELECT id FROM rounds WHERE cycle_id = ?)`},
			{&e.BallotSubmissions, "delete ballot submissions", `DELETE FROM ballot_submissions WHERE round_id IN (SELECT id FROM rounds WHERE cycle_id = ?)`},
		}
		for _, s := range steps {
			n, err := affected(tx.ExecContext(ctx, s.sql, cycleID))
			if err != nil {
				return fmt.Errorf("%s: %w", s.what, err)
			}
			*s.n = n
		}
		if _, err := tx.ExecContext(ctx, `UPDATE cycles SET personal_data_erased_at = now() WHERE id = ?`, cycleID); err != nil {
			return postgres.Map("mark cycle erased", err)
		}
		return audit.Record(ctx, tx, 0, "erase_personal_data", "cycle", cycleID, nil, e)
	})
	if err != nil {
		return Erasure{}, fmt.Errorf("erase personal data of cycle %d: %w", cycleID, err)
	}
	return e, nil
}

// eraseAuditSQL blanks, in the entries about cycle ?0, the contact
// details of its nominations, its jurors' scores (values and comments),
// comments, bids and ballots (ranks, and the reasons for reopening), and whom its jury invitations went to (a person invited
// need never have sat on the jury). The entries stay,
// with their actor, action, entity and time.
const eraseAuditSQL = `WITH noms AS (SELECT id FROM nominations WHERE cycle_id = ?0),
	blanked AS (
		SELECT l.id, CASE l.entity
			WHEN 'nomination' THEN l.before - '{contact_name,contact_email,contact_phone}'::text[]
			WHEN 'jury_invitation' THEN l.before - '{name,email,login_email}'::text[]
			END AS before, CASE l.entity
			WHEN 'nomination' THEN l.after - '{contact_name,contact_email,contact_phone}'::text[]
			WHEN 'jury_invitation' THEN l.after - '{name,email,login_email}'::text[]
			END AS after
		FROM audit_log l
		WHERE l.entity IN ('nomination', 'scores') AND l.entity_id IN (SELECT id FROM noms)
		   OR l.entity = 'jury_comment' AND l.entity_id IN (SELECT jc.id FROM jury_comments jc JOIN noms ON noms.id = jc.nomination_id)
		   OR l.entity = 'jury_invitation' AND l.entity_id IN (SELECT id FROM jury_invitations WHERE cycle_id = ?0)
		   OR l.entity = 'juror' AND l.action IN ('assign_bids', 'ballot_save', 'ballot_submit', 'ballot_reopen')
			AND l.entity_id IN (SELECT id FROM jurors WHERE cycle_id = ?0))
	UPDATE audit_log l SET before = b.before, after = b.after FROM blanked b
	WHERE l.id = b.id AND (l.before IS DISTINCT FROM b.before OR l.after IS DISTINCT FROM b.after)`

func affected(res interface{ RowsAffected() (int64, error) }, err error) (int64, error) {
	if err != nil {
		return 0, postgres.Map("erase", err)
	}
	return res.RowsAffected()
}

// RetentionArgs is the daily job that runs Retain.
type RetentionArgs struct{}

// Kind names the job in River's table.
func (RetentionArgs) Kind() string { return "retention" }

// RetentionJob runs the retention job daily, and once when a replica
// becomes River's leader: periodic jobs run on the leader only, so
// several replicas run it once.
func RetentionJob() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
		func() (river.JobArgs, *river.InsertOpts) {
			return RetentionArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: time.Hour}}
		}, &river.PeriodicJobOpts{ID: "retention", RunOnStart: true})
}

// RetentionWorker works RetentionArgs.
type RetentionWorker struct {
	river.WorkerDefaults[RetentionArgs]
	DB     bun.IDB
	Logger *slog.Logger
}

// Timeout gives a first run over years of cycles more than River's
// default minute.
func (w *RetentionWorker) Timeout(*river.Job[RetentionArgs]) time.Duration { return 10 * time.Minute }

// Work runs Retain and logs what it erased.
func (w *RetentionWorker) Work(ctx context.Context, _ *river.Job[RetentionArgs]) error {
	sweep, err := Retain(ctx, w.DB)
	if err != nil {
		return err
	}
	for _, e := range sweep.Cycles {
		w.Logger.Info("personal data erased", "cycle_id", e.CycleID, "contacts", e.Contacts, "scores", e.Scores,
			"comments", e.Comments, "messages", e.Messages, "invitations", e.Invitations, "bids", e.Bids, "ballots", e.Ballots, "audit_entries", e.AuditEntries)
	}
	if sweep.CaughtMails+sweep.Sessions > 0 {
		w.Logger.Info("expired data deleted", "caught_mails", sweep.CaughtMails, "sessions", sweep.Sessions)
	}
	return nil
}
