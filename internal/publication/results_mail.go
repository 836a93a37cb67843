package publication

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/heder-awards/heder/internal/outbox"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// resultRecipient is a member of a nominee organisation of an assessed
// nomination, with what the nomination's submitters may now know.
type resultRecipient struct {
	Result
	DBID       int64  `bun:"nomination_id"`
	Title      string `bun:"title"`
	UserID     int64  `bun:"user_id"`
	Email      string `bun:"email"`
	OrgID      int64  `bun:"organisation_id"`
	OrgName    string `bun:"organisation_name"`
	Language   string `bun:"language"`
	CycleTitle string `bun:"cycle_title"`
	AwardSlug  string `bun:"award_slug"`
	Year       int    `bun:"year"`
}

// resultRecipientsSQL selects every member with an address of every
// nominee organisation of every assessed nomination of a cycle (submitted:
// neither withdrawn nor ineligible), once per nomination and address, in
// the organisation's written form (English to those who chose it), with
// the result read through the embargo (resultColumns, resultFrom): the
// one rule for what submitters may know, and when.
const resultRecipientsSQL = `SELECT ` + resultColumns + `, n.id AS nomination_id, n.title,
		u.id AS user_id, u.email, o.id AS organisation_id, o.name AS organisation_name,
		CASE WHEN u.locale = 'en' THEN 'en' ELSE o.language END AS language,
		cy.title AS cycle_title, aw.slug AS award_slug, cy.year` + resultFrom + `
	JOIN cycles cy ON cy.id = n.cycle_id
	JOIN awards aw ON aw.id = cy.award_id
	JOIN nomination_organisations no ON no.nomination_id = n.id
	JOIN organisations o ON o.id = no.organisation_id
	JOIN memberships m ON m.organisation_id = o.id
	JOIN users u ON u.id = m.user_id
	WHERE n.cycle_id = ? AND n.status = 'submitted' AND u.email <> ''`

// QueueResults queues, for the mail job args of a winners'
// announcement, the results message to every member of every assessed
// nomination whom the announcement's own mails do not tell (recipients:
// the winners, the honourable mentions and the finalists not told
// before): the nominations the jury named nothing, and the finalists
// told at the finalists' announcement, who learn here that they did not
// win. Each is told the outcome, the link to the public cycle page and
// the jury's feedback. It re-checks in its transaction that the
// announcement is out at the job's instant: a withdrawn, moved or
// future announcement, or a finalists' one, queues nothing. The dedupe
// key (nomination, user) keeps it to one message each; with the
// announcement mails, one results mail per person and nomination.
func QueueResults(ctx context.Context, db bun.IDB, args MailArgs) (int, error) {
	queued := 0
	err := postgres.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
		var rows []struct {
			CycleID int64 `bun:"cycle_id"`
		}
		err := tx.NewRaw(`SELECT cycle_id FROM announcements
			WHERE id = ? AND kind = 'winners' AND unpublished_at IS NULL AND publish_at = ? AND publish_at <= now() FOR SHARE`,
			args.AnnouncementID, args.PublishAt).Scan(ctx, &rows)
		if err != nil {
			return postgres.Map(fmt.Sprintf("announcement %d", args.AnnouncementID), err)
		}
		if len(rows) == 0 {
			return nil
		}
		cycleID := rows[0].CycleID
		told, err := recipients(ctx, tx, cycleID, Winners)
		if err != nil {
			return err
		}
		toldKey := map[string]bool{}
		for _, m := range told {
			toldKey[strconv.FormatInt(m.NominationID, 10)+" "+strings.ToLower(m.Email)] = true
		}
		var rs []resultRecipient
		err = tx.NewRaw(`SELECT DISTINCT ON (x.nomination_id, lower(x.email)) x.* FROM (`+resultRecipientsSQL+`) x
			ORDER BY x.nomination_id, lower(x.email), x.organisation_name, x.organisation_id, x.user_id`, cycleID).Scan(ctx, &rs)
		if err != nil {
			return postgres.Map(fmt.Sprintf("results recipients of cycle %d", cycleID), err)
		}
		var msgs []outbox.Message
		for _, r := range rs {
			if toldKey[strconv.FormatInt(r.DBID, 10)+" "+strings.ToLower(r.Email)] || !r.FeedbackReleased {
				continue
			}
			msgs = append(msgs, outbox.Message{
				CycleID: cycleID, Kind: outbox.KindResults, UserID: r.UserID, Email: r.Email,
				OrganisationID: r.OrgID, NominationID: r.DBID, Language: r.Language,
				Data: map[string]string{
					"nomination_title": r.Title, "cycle_title": r.CycleTitle, "organisation": r.OrgName,
					"outcome": r.Known(), "statement": r.Statement(r.Language), "feedback": r.Feedback,
					"path": fmt.Sprintf("/priser/%s/%d", r.AwardSlug, r.Year),
				},
				DedupeKey: fmt.Sprintf("results:%d:%d", r.DBID, r.UserID),
			})
		}
		queued, err = outbox.Queue(ctx, tx, msgs...)
		return err
	})
	return queued, err
}
