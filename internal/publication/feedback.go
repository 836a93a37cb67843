package publication

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// Result is what a nomination's submitters may know of how it did: its
// outcome and statement once published (published_outcomes), and the
// jury's written feedback once the winners are out. Before that it is
// empty: the nomination is "submitted — under assessment" and nothing
// more.
type Result struct {
	// NominationID is the nomination's public ID.
	NominationID string `bun:"public_id"`
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

// OutcomeNone is the outcome of a nomination the jury named nothing, once
// the winners are out.
const OutcomeNone = "none"

// Known is the outcome the submitters may know now: Outcome once public
// (a decided winner is a finalist until the winners' instant), OutcomeNone
// for a nomination without one once the winners are out, and "" until
// then, alike for every nomination not yet public.
func (r Result) Known() string {
	if r.Outcome == "" && r.FeedbackReleased {
		return OutcomeNone
	}
	return r.Outcome
}

// Statement is the jury's statement in lang, falling back to bokmål.
func (r Result) Statement(lang string) string {
	return Entry{StatementNB: r.StatementNB, StatementNN: r.StatementNN, StatementEN: r.StatementEN}.Statement(lang)
}

// FeedbackFor returns what the submitters of the nomination with public
// ID nominationID may know of its outcome and the jury's feedback, by the
// database clock. Those who may see the nomination (its nominee
// organisations' members, the cycle's admins) may ask; everyone else gets
// ENotFound, as the nomination's existence is secret.
func (s *Service) FeedbackFor(ctx context.Context, actor *awards.Actor, nominationID string) (Result, error) {
	var userID int64
	if !actor.Anonymous() {
		userID = actor.User.ID
	}
	var n struct {
		ID         int64   `bun:"id"`
		CycleID    int64   `bun:"cycle_id"`
		Nominees   []int64 `bun:"nominees,array"`
		JurorReads bool    `bun:"juror_reads"`
	}
	if err := s.db.NewRaw(`SELECT n.id, n.cycle_id,
			ARRAY(SELECT x.organisation_id FROM nomination_organisations x WHERE x.nomination_id = n.id) AS nominees,
			EXISTS (SELECT 1 FROM juror_visible_nominations v WHERE v.user_id = ? AND v.nomination_id = n.id) AS juror_reads
		FROM nominations n WHERE n.public_id = ?`, userID, nominationID).Scan(ctx, &n); err != nil {
		return Result{}, postgres.Map(fmt.Sprintf("nomination %q", nominationID), err)
	}
	// The jurors who assess it read the nomination too.
	if !policy.CanReadNomination(actor, policy.NominationFacts{CycleID: n.CycleID, NomineeIDs: n.Nominees, JurorReads: n.JurorReads}) {
		return Result{}, awards.Errorf(awards.ENotFound, "not found")
	}
	id := n.ID
	var r Result
	if err := s.db.NewRaw(`SELECT `+resultColumns+resultFrom+` WHERE n.id = ?`, id).Scan(ctx, &r); err != nil {
		return Result{}, postgres.Map(fmt.Sprintf("result of nomination %d", id), err)
	}
	return r, nil
}

// resultColumns and resultFrom read nominations' results through the
// embargo, the one rule for every view of them: the outcome and statements
// as published_outcomes shows them, and the feedback's text, which leaves
// the database only once the cycle's winners are out.
const (
	resultColumns = `n.public_id, coalesce(po.outcome, '') AS outcome, coalesce(po.statement_nb, '') AS statement_nb,
		coalesce(po.statement_nn, '') AS statement_nn, coalesce(po.statement_en, '') AS statement_en, po.published_at,
		w.publish_at IS NOT NULL AS feedback_released,
		CASE WHEN w.publish_at IS NOT NULL THEN coalesce(f.body, '') ELSE '' END AS feedback`
	resultFrom = `
	FROM nominations n
	LEFT JOIN published_outcomes po ON po.nomination_id = n.id
	LEFT JOIN LATERAL (
		SELECT a.publish_at FROM announcements a
		WHERE a.cycle_id = n.cycle_id AND a.kind = 'winners' AND a.unpublished_at IS NULL AND a.publish_at <= now()
		LIMIT 1) w ON true
	LEFT JOIN feedback f ON f.nomination_id = n.id`
)

// ResultsFor returns what FeedbackFor returns, for each of the
// nominations with the public IDs nominationIDs that the actor may see as
// a member of a nominee or a site admin, keyed by public ID: one statement
// for a list. The others, and unknown IDs, are left out.
func (s *Service) ResultsFor(ctx context.Context, actor *awards.Actor, nominationIDs []string) (map[string]Result, error) {
	out := map[string]Result{}
	if actor.Anonymous() || len(nominationIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		Result
		CycleID  int64   `bun:"cycle_id"`
		Nominees []int64 `bun:"nominees,array"`
	}
	err := s.db.NewRaw(`SELECT `+resultColumns+`, n.cycle_id,
			ARRAY(SELECT x.organisation_id FROM nomination_organisations x WHERE x.nomination_id = n.id) AS nominees`+resultFrom+`
		WHERE n.public_id IN (?)`, bun.In(nominationIDs)).Scan(ctx, &rows)
	if err != nil {
		return nil, postgres.Map(fmt.Sprintf("results of %d nominations", len(nominationIDs)), err)
	}
	for _, r := range rows {
		if policy.CanSeeNomination(actor, r.CycleID, r.Nominees) {
			out[r.NominationID] = r.Result
		}
	}
	return out, nil
}

// Upcoming lists the announcements scheduled within the coming period,
// soonest first, for the admins' home page: those of the cycles the
// actor administers. Anyone else gets none.
func (s *Service) Upcoming(ctx context.Context, actor *awards.Actor, within time.Duration) ([]Announcement, error) {
	if !actor.AnyAdmin() {
		return nil, nil
	}
	var list []Announcement
	err := s.db.NewRaw(announcementSelect+`
		WHERE a.unpublished_at IS NULL AND a.publish_at > now() AND a.publish_at <= now() + ?::interval
		ORDER BY a.publish_at, a.id`, fmt.Sprintf("%d seconds", int64(within/time.Second))).Scan(ctx, &list)
	if err != nil {
		return nil, postgres.Map("upcoming announcements", err)
	}
	return slices.DeleteFunc(list, func(a Announcement) bool { return !policy.CanPublish(actor, a.CycleID) }), nil
}
