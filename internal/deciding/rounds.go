package deciding

import (
	"context"
	"fmt"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/postgres"
)

// roundIndex returns where the round with id stands in rounds, -1 when
// it is not there.
func roundIndex(rounds []awards.Round, id int64) int {
	for i, r := range rounds {
		if r.ID == id {
			return i
		}
	}
	return -1
}

// nextRound returns the round after the one with id, false for the last
// (or an unknown one).
func nextRound(rounds []awards.Round, id int64) (awards.Round, bool) {
	i := roundIndex(rounds, id)
	if i < 0 || i+1 >= len(rounds) {
		return awards.Round{}, false
	}
	return rounds[i+1], true
}

// Advancement is one nomination the chair advanced out of a round into
// the next, with the reason.
type Advancement struct {
	NominationID       int64     `bun:"nomination_id"`
	NominationPublicID string    `bun:"public_id"`
	Title              string    `bun:"title"`
	Nominees           string    `bun:"nominees"`
	Reason             string    `bun:"reason"`
	DecidedBy          string    `bun:"decided_by"`
	DecidedAt          time.Time `bun:"decided_at"`
}

// Advancements are the nominations advanced out of one round.
type Advancements struct {
	Viewer Viewer
	// Round is the round they were advanced out of, Next the round they
	// were advanced into (false for the cycle's last round, which no
	// nomination leaves).
	Round   awards.Round
	Next    awards.Round
	HasNext bool
	// Items are the advancements the reader may see, by title.
	Items []Advancement
}

// Advancements lists who advanced which nominations out of round (a
// round ID of the cycle with cyclePublicID) into the next, when and why.
// Empty while the round is open. The chair (declared) and the cycle's
// admins; see RankingFor for the errors. A seated reader does not see
// the nominations they step aside from.
func (s *Service) Advancements(ctx context.Context, actor *awards.Actor, cyclePublicID string, round int64) (Advancements, error) {
	v, err := load(ctx, s.db, actor, cyclePublicID, false)
	if err != nil {
		return Advancements{}, err
	}
	rounds, err := cycles.RoundsOf(ctx, s.db, v.ID)
	if err != nil {
		return Advancements{}, err
	}
	i := roundIndex(rounds, round)
	if i < 0 {
		return Advancements{}, notFound()
	}
	out := Advancements{Viewer: v, Round: rounds[i], Items: []Advancement{}}
	if out.Next, out.HasNext = nextRound(rounds, round); !out.HasNext {
		return out, nil
	}
	err = s.db.NewRaw(`SELECT rn.nomination_id, n.public_id, n.title, rn.reason, coalesce(u.name, '') AS decided_by, rn.decided_at,
			coalesce((SELECT string_agg(o.name, ', ' ORDER BY o.name) FROM nomination_organisations x
				JOIN organisations o ON o.id = x.organisation_id WHERE x.nomination_id = n.id), '') AS nominees
		FROM round_nominations rn JOIN nominations n ON n.id = rn.nomination_id LEFT JOIN users u ON u.id = rn.decided_by
		WHERE rn.round_id = ? AND `+v.visible("n")+`
		ORDER BY lower(n.title), n.id`, out.Next.ID).Scan(ctx, &out.Items)
	if err != nil {
		return out, postgres.Map(fmt.Sprintf("list advancements out of round %d", round), err)
	}
	return out, nil
}
