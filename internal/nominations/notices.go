package nominations

import (
	"context"
	"fmt"

	"github.com/heder-awards/heder/internal/outbox"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// noticeRecipient is a member of a nominee organisation with an address.
type noticeRecipient struct {
	UserID     int64  `bun:"user_id"`
	Email      string `bun:"email"`
	OrgID      int64  `bun:"organisation_id"`
	OrgName    string `bun:"organisation_name"`
	Language   string `bun:"language"`
	CycleTitle string `bun:"cycle_title"`
}

// queueIneligibleNotices queues, in tx (the transaction that marks n
// ineligible), a notice with the reason to every member of every nominee
// organisation, once per address, in the organisation's written form (in
// English to a user who chose English). The marking's instant is in the
// dedupe key: marking the nomination ineligible again after an undo is
// news again.
func queueIneligibleNotices(ctx context.Context, tx bun.Tx, n nominationRow) error {
	var rs []noticeRecipient
	err := tx.NewRaw(`
		SELECT DISTINCT ON (lower(u.email)) u.id AS user_id, u.email, o.id AS organisation_id, o.name AS organisation_name,
			CASE WHEN u.locale = 'en' THEN 'en' ELSE o.language END AS language, c.title AS cycle_title
		FROM nominations n
		JOIN cycles c ON c.id = n.cycle_id
		JOIN nomination_organisations no ON no.nomination_id = n.id
		JOIN organisations o ON o.id = no.organisation_id
		JOIN memberships m ON m.organisation_id = o.id
		JOIN users u ON u.id = m.user_id
		WHERE n.id = ? AND u.email <> ''
		ORDER BY lower(u.email), o.name, o.id, u.id`, n.ID).Scan(ctx, &rs)
	if err != nil {
		return postgres.Map(fmt.Sprintf("ineligibility notice recipients of nomination %d", n.ID), err)
	}
	msgs := make([]outbox.Message, 0, len(rs))
	for _, r := range rs {
		msgs = append(msgs, outbox.Message{
			CycleID: n.CycleID, Kind: outbox.KindIneligible, UserID: r.UserID, Email: r.Email,
			OrganisationID: r.OrgID, NominationID: n.ID, Language: r.Language,
			Data: map[string]string{
				"nomination_title": n.Title, "cycle_title": r.CycleTitle, "reason": n.IneligibleReason,
				"organisation": r.OrgName, "path": "/nominasjoner/" + n.PublicID,
			},
			DedupeKey: fmt.Sprintf("ineligible:%d:%d:%d", n.ID, n.UpdatedAt.UnixMicro(), r.UserID),
		})
	}
	if _, err := outbox.Queue(ctx, tx, msgs...); err != nil {
		return fmt.Errorf("ineligibility notices of nomination %d: %w", n.ID, err)
	}
	return nil
}
