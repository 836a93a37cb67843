package jury

import (
	"context"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/postgres"
)

// MySeat is one of the actor's jury seats with what needs them now.
type MySeat struct {
	JurorID       int64      `bun:"id"`
	CyclePublicID string     `bun:"public_id"`
	CycleTitle    string     `bun:"title"`
	Chair         bool       `bun:"chair"`
	DeclaredAt    *time.Time `bun:"declared_at"`
	NeedsReview   bool       `bun:"needs_review"`
	// ScoringDeadline is the current round's, or else the cycle's.
	ScoringDeadline *time.Time `bun:"scoring_deadline"`
	// Nominations counts the nominations the juror may read and assess.
	Nominations int `bun:"nominations"`
	// Bidding: the juror may bid for the automatic assignment now
	// (bidding_open).
	Bidding bool `bun:"bidding"`
}

// Declared reports whether the juror's declaration is complete and current.
func (s MySeat) Declared() bool { return s.DeclaredAt != nil && !s.NeedsReview }

// Seats lists the actor's seats that are not removed, newest cycle
// first, for their home page. Nothing for anonymous actors.
func (s *Service) Seats(ctx context.Context, actor *awards.Actor) ([]MySeat, error) {
	out := []MySeat{}
	if actor.Anonymous() {
		return out, nil
	}
	err := s.db.NewRaw(`SELECT j.id, c.public_id, c.title, j.chair, j.declared_at, `+unreviewedSQL+` AS needs_review,
			coalesce(cycle_round.scoring_deadline, c.scoring_deadline) AS scoring_deadline,
			(SELECT count(*) FROM juror_visible_nominations v WHERE v.juror_id = j.id) AS nominations,
			bidding_open(c) AS bidding
		FROM jurors j JOIN `+cycles.StateFrom+` ON c.id = j.cycle_id
		WHERE j.user_id = ? AND j.removed_at IS NULL ORDER BY c.year DESC, c.id`, actor.User.ID).Scan(ctx, &out)
	if err != nil {
		return nil, postgres.Map("list seats", err)
	}
	return out, nil
}
