package publication

import (
	"context"
	"fmt"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/jury"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/postgres"
)

// Result is what a nomination's submitters may know of how it did: its
// outcome and statement once published (published_outcomes), and the
// jury's written feedback once the winners are out. Before that it is
// empty: the nomination is "submitted — under assessment" and nothing
// more.
type Result struct {
	// Outcome is finalist, winner or honourable_mention once public, else "".
	Outcome     string     `bun:"outcome"`
	StatementNB string     `bun:"statement_nb"`
	StatementNN string     `bun:"statement_nn"`
	StatementEN string     `bun:"statement_en"`
	PublishedAt *time.Time `bun:"published_at"`
	// FeedbackReleased: the cycle's winners' announcement is out.
	FeedbackReleased bool `bun:"feedback_released"`
	// Feedback is the jury's written feedback; "" until released, and
	// when the jury wrote none.
	Feedback string `bun:"feedback"`
}

// Statement is the jury's statement in lang, falling back to bokmål.
func (r Result) Statement(lang string) string {
	return Entry{StatementNB: r.StatementNB, StatementNN: r.StatementNN, StatementEN: r.StatementEN}.Statement(lang)
}

// FeedbackFor returns what the submitters of the nomination with public
// ID nominationID may know of its outcome and the jury's feedback, by the
// database clock. Those who may see the nomination (its nominee
// organisations' members, site admins) may ask; everyone else gets
// ENotFound, as the nomination's existence is secret.
func (s *Service) FeedbackFor(ctx context.Context, actor *awards.Actor, nominationID string) (Result, error) {
	var id int64
	if err := s.db.QueryRowContext(ctx, `SELECT id FROM nominations WHERE public_id = ?`, nominationID).Scan(&id); err != nil {
		return Result{}, postgres.Map(fmt.Sprintf("nomination %q", nominationID), err)
	}
	var nominees []int64
	if err := s.db.NewRaw(`SELECT organisation_id FROM nomination_organisations WHERE nomination_id = ?`, id).Scan(ctx, &nominees); err != nil {
		return Result{}, postgres.Map(fmt.Sprintf("nominees of nomination %d", id), err)
	}
	if !policy.CanSeeNomination(actor, nominees) {
		// The jurors who assess it read the nomination too (jury decides).
		var userID int64
		if !actor.Anonymous() {
			userID = actor.User.ID
		}
		ok, err := jury.CanReadNomination(ctx, s.db, userID, id)
		if err != nil {
			return Result{}, err
		}
		if !ok {
			return Result{}, awards.Errorf(awards.ENotFound, "not found")
		}
	}
	// The feedback's text leaves the database only once released.
	var r Result
	err := s.db.NewRaw(`
		SELECT coalesce(po.outcome, '') AS outcome, coalesce(po.statement_nb, '') AS statement_nb,
			coalesce(po.statement_nn, '') AS statement_nn, coalesce(po.statement_en, '') AS statement_en, po.published_at,
			w.publish_at IS NOT NULL AS feedback_released,
			CASE WHEN w.publish_at IS NOT NULL THEN coalesce(f.body, '') ELSE '' END AS feedback
		FROM nominations n
		LEFT JOIN published_outcomes po ON po.nomination_id = n.id
		LEFT JOIN LATERAL (
			SELECT a.publish_at FROM announcements a
			WHERE a.cycle_id = n.cycle_id AND a.kind = 'winners' AND a.unpublished_at IS NULL AND a.publish_at <= now()
			LIMIT 1) w ON true
		LEFT JOIN feedback f ON f.nomination_id = n.id
		WHERE n.id = ?`, id).Scan(ctx, &r)
	if err != nil {
		return Result{}, postgres.Map(fmt.Sprintf("result of nomination %d", id), err)
	}
	return r, nil
}

// Upcoming lists the announcements scheduled within the coming period,
// soonest first, for the admins' home page. Anyone else gets none.
func (s *Service) Upcoming(ctx context.Context, actor *awards.Actor, within time.Duration) ([]Announcement, error) {
	if !policy.CanPublish(actor) {
		return nil, nil
	}
	var list []Announcement
	err := s.db.NewRaw(announcementSelect+`
		WHERE a.unpublished_at IS NULL AND a.publish_at > now() AND a.publish_at <= now() + ?::interval
		ORDER BY a.publish_at, a.id`, fmt.Sprintf("%d seconds", int64(within/time.Second))).Scan(ctx, &list)
	if err != nil {
		return nil, postgres.Map("upcoming announcements", err)
	}
	return list, nil
}
