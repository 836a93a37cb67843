package publication

import (
	"context"
	"fmt"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/jobs"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/riverqueue/river"
	"github.com/uptrace/bun"
)

// MailArgs is the job that e-mails the nominees of one announcement at
// its instant. PublishAt tells instants apart: moving the announcement
// enqueues a job for the new instant, and the old one, finding the
// announcement moved, sends nothing. internal/notify works it, with
// PrepareMails and ClaimMail.
type MailArgs struct {
	AnnouncementID int64     `json:"announcement_id" river:"unique"`
	PublishAt      time.Time `json:"publish_at" river:"unique"`
}

// Kind names the job in River's table.
func (MailArgs) Kind() string { return "announcement_mail" }

// InsertOpts makes the job unique per announcement and instant, and
// gives up after about a day of retries (River's backoff grows as
// attempt⁴ seconds).
func (MailArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 12, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// enqueueMails schedules the nominees' e-mail of announcement id at its
// instant, in tx: the job exists if and only if the change commits.
func enqueueMails(ctx context.Context, tx bun.Tx, id int64, at time.Time) error {
	// UTC, so that the same instant is always the same unique key.
	args := MailArgs{AnnouncementID: id, PublishAt: at.UTC()}
	if err := jobs.InsertTx(ctx, tx, args, &river.InsertOpts{ScheduledAt: at}); err != nil {
		return fmt.Errorf("mails of announcement %d: %w", id, err)
	}
	return nil
}

// Mail is one e-mail about an announcement: one nomination's outcome to
// one member of one of its nominee organisations.
type Mail struct {
	AnnouncementID int64
	Kind           Kind
	CycleTitle     string
	NominationID   int64 `bun:"nomination_id"`
	// NominationPublicID is the nomination's public ID, for its page.
	NominationPublicID string `bun:"public_id"`
	NominationTitle    string `bun:"title"`
	Outcome            string `bun:"outcome"`
	StatementNB        string `bun:"statement_nb"`
	StatementNN        string `bun:"statement_nn"`
	UserID             int64  `bun:"user_id"`
	Email              string `bun:"email"`
	OrganisationID     int64  `bun:"organisation_id"`
	OrganisationName   string `bun:"organisation_name"`
	// Language is the organisation's written form: nb or nn.
	Language string `bun:"language"`
}

// Statement is the jury's statement in the organisation's written form,
// in bokmål when there is none in nynorsk.
func (m Mail) Statement() string {
	if m.Language == "nn" && m.StatementNN != "" {
		return m.StatementNN
	}
	return m.StatementNB
}

// Path is the nomination's page, where its submitters read the outcome
// and (once the winners are out) the jury's feedback.
func (m Mail) Path() string { return "/nominasjoner/" + m.NominationPublicID }

// Topic is what the mail says, naming its messages: finalist,
// finalist_winners (a finalist told only when the winners come out),
// winner or honourable_mention.
func (m Mail) Topic() string {
	if m.Outcome == OutcomeFinalist && m.Kind == Winners {
		return "finalist_winners"
	}
	return m.Outcome
}

// FeedbackReleased says whether the jury's feedback is out with this
// announcement.
func (m Mail) FeedbackReleased() bool { return m.Kind == Winners }

// Batch is what a run of the mail job has to do.
type Batch struct {
	// Skip says why nothing is sent ("" when Mails are due).
	Skip string
	// Wait is how long until the instant, when the job runs early by the
	// database clock.
	Wait  time.Duration
	Mails []Mail
}

// recipientsSQL selects, for a cycle and an announcement kind (given
// twice), who is told what: the finalists at the finalists'
// announcement; the winners, honourable mentions and the finalists not
// told otherwise at the winners'. A finalist is told otherwise when the
// finalists' announcement is out (its own job tells them, whether or not
// it has run yet) or a finalist mail was recorded for them by one since
// withdrawn. Each member with an address of a nominee organisation gets
// one mail per nomination, in the written form of the first of their
// organisations by name.
const recipientsSQL = `
	SELECT DISTINCT ON (d.nomination_id, lower(u.email))
		d.nomination_id, n.public_id, n.title,
		-- A decided winner is told only that it is a finalist until the winners' instant.
		CASE WHEN ? = 'winners' THEN d.outcome ELSE 'finalist' END AS outcome,
		CASE WHEN ? = 'winners' THEN d.statement_nb ELSE '' END AS statement_nb,
		CASE WHEN ? = 'winners' THEN d.statement_nn ELSE '' END AS statement_nn,
		u.id AS user_id, u.email, o.id AS organisation_id, o.name AS organisation_name, o.language
	FROM decisions d
	JOIN nominations n ON n.id = d.nomination_id
	JOIN nomination_organisations no ON no.nomination_id = n.id
	JOIN organisations o ON o.id = no.organisation_id
	JOIN memberships m ON m.organisation_id = o.id
	JOIN users u ON u.id = m.user_id
	WHERE n.cycle_id = ? AND u.email <> ''
		AND (? = 'winners' OR d.outcome IN ('finalist', 'winner'))
		AND NOT (? = 'winners' AND d.outcome = 'finalist' AND (
			EXISTS (SELECT 1 FROM announcements fa
				WHERE fa.cycle_id = n.cycle_id AND fa.kind = 'finalists' AND fa.unpublished_at IS NULL AND fa.publish_at <= now())
			OR EXISTS (SELECT 1 FROM announcement_mails am JOIN announcements fa ON fa.id = am.announcement_id
				WHERE fa.cycle_id = n.cycle_id AND fa.kind = 'finalists' AND am.nomination_id = d.nomination_id AND am.user_id = u.id)))
	ORDER BY d.nomination_id, lower(u.email), o.name, o.id, u.id`

func recipients(ctx context.Context, db bun.IDB, cycleID int64, k Kind) ([]Mail, error) {
	var mails []Mail
	if err := db.NewRaw(recipientsSQL, k, k, k, cycleID, k, k).Scan(ctx, &mails); err != nil {
		return nil, postgres.Map(fmt.Sprintf("recipients of the %s of cycle %d", k, cycleID), err)
	}
	return mails, nil
}

// PrepareMails returns the e-mails the job args stands for, once its
// announcement is out: nothing (with the reason in Skip) when the
// announcement is gone, withdrawn or moved to another instant, and Wait
// when its instant has not yet come by the database clock.
func PrepareMails(ctx context.Context, db bun.IDB, args MailArgs) (Batch, error) {
	a, err := loadAnnouncement(ctx, db, args.AnnouncementID)
	if awards.ErrorCode(err) == awards.ENotFound {
		return Batch{Skip: "announcement gone"}, nil
	}
	if err != nil {
		return Batch{}, err
	}
	switch {
	case a.State == Unpublished:
		return Batch{Skip: "announcement unpublished"}, nil
	case !a.PublishAt.Equal(args.PublishAt):
		return Batch{Skip: "announcement moved to another instant"}, nil
	case a.State == Scheduled:
		now, err := dbNow(ctx, db)
		if err != nil {
			return Batch{}, err
		}
		return Batch{Wait: max(a.PublishAt.Sub(now), time.Second)}, nil
	}
	mails, err := recipients(ctx, db, a.CycleID, a.Kind)
	if err != nil {
		return Batch{}, err
	}
	for i := range mails {
		mails[i].AnnouncementID, mails[i].Kind, mails[i].CycleTitle = a.ID, a.Kind, a.CycleTitle
	}
	return Batch{Mails: mails}, nil
}

// ClaimMail records m as sent in tx, the transaction around its sending,
// and reports whether to send it: false when it was sent before, or when
// its announcement has since been withdrawn or moved. The announcement's
// row stays share-locked until tx ends, so an unpublishing waits for a
// mail in flight rather than racing it.
func ClaimMail(ctx context.Context, tx bun.Tx, args MailArgs, m Mail) (bool, error) {
	var ok bool
	err := tx.QueryRowContext(ctx, `
		SELECT unpublished_at IS NULL AND publish_at = ? AND publish_at <= now() FROM announcements WHERE id = ? FOR SHARE`,
		args.PublishAt, args.AnnouncementID).Scan(&ok)
	if err = postgres.Map("check announcement", err); awards.ErrorCode(err) == awards.ENotFound {
		return false, nil // deleted with its cycle
	}
	if err != nil {
		return false, err
	}
	if !ok {
		return false, nil
	}
	res, err := tx.ExecContext(ctx, `
		INSERT INTO announcement_mails (announcement_id, nomination_id, user_id, organisation_id, outcome) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, args.AnnouncementID, m.NominationID, m.UserID, m.OrganisationID, m.Outcome)
	if err != nil {
		return false, postgres.Map("record announcement mail", err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}
