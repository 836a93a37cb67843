package deciding

import (
	"context"
	"fmt"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/postgres"
)

// EarlierResult is how a nomination fared in a round before the one it
// is in now: its place in that round's ranking and the chair's reason
// for advancing it into the round after.
type EarlierResult struct {
	Round awards.Round
	// Rank is the nomination's place in the round's standardised
	// ranking, 0 for none (no scores, or a round judged by a ranked
	// vote); Tied says another nomination shares it. Of is how many
	// nominations took part in the round.
	Rank int
	Tied bool
	Of   int
	// Reason is why the chair advanced it out of the round.
	Reason string
}

// EarlierResults returns, for each round of its cycle before round in
// which the nomination took part, its place there and the chair's reason
// for advancing it — when round shows its jurors earlier results
// (rounds.shows_earlier_results), and nothing otherwise. The places are
// those of the whole jury's ranking, nobody's conflicts left out. The
// caller decides who may read them (a juror of round who may see the
// nomination); ENotFound when the round, or the nomination in its
// cycle, does not exist.
func (s *Service) EarlierResults(ctx context.Context, nominationID, round int64) ([]EarlierResult, error) {
	var at struct {
		CycleID int64 `bun:"cycle_id"`
		Shows   bool  `bun:"shows_earlier_results"`
		Exists  bool  `bun:"exists"`
	}
	err := s.db.NewRaw(`SELECT r.cycle_id, r.shows_earlier_results,
			EXISTS (SELECT 1 FROM nominations n WHERE n.id = ? AND n.cycle_id = r.cycle_id) AS exists
		FROM rounds r WHERE r.id = ?`, nominationID, round).Scan(ctx, &at)
	if err != nil {
		return nil, postgres.Map(fmt.Sprintf("load round %d", round), err)
	}
	if !at.Exists {
		return nil, notFound()
	}
	if !at.Shows {
		return nil, nil
	}
	var v Viewer
	if err := s.db.NewRaw(`SELECT `+cycles.StateColumns+`, c.scoring_level, c.project_rollup FROM `+cycles.StateFrom+` WHERE c.id = ?`,
		at.CycleID).Scan(ctx, &v); err != nil {
		return nil, postgres.Map(fmt.Sprintf("load cycle %d", at.CycleID), err)
	}
	rounds, err := cycles.RoundsOf(ctx, s.db, at.CycleID)
	if err != nil {
		return nil, err
	}
	var reasons []struct {
		RoundID int64  `bun:"round_id"`
		Reason  string `bun:"reason"`
	}
	if err := s.db.NewRaw(`SELECT round_id, reason FROM round_nominations WHERE nomination_id = ?`, nominationID).Scan(ctx, &reasons); err != nil {
		return nil, postgres.Map(fmt.Sprintf("load advancements of nomination %d", nominationID), err)
	}
	reasonInto := map[int64]string{}
	for _, x := range reasons {
		reasonInto[x.RoundID] = x.Reason
	}
	var out []EarlierResult
	for i, r := range rounds {
		if r.ID == round {
			break
		}
		// A nomination took part in a later round when it was advanced
		// into it; round 1 holds every one in the running.
		if _, in := reasonInto[r.ID]; i > 0 && !in {
			continue
		}
		rk, err := s.ranking(ctx, v, r.ID)
		if err != nil {
			return nil, err
		}
		e := EarlierResult{Round: r, Of: len(rk.Result.Rows)}
		for _, row := range rk.Result.Rows {
			if row.Nomination == nominationID {
				e.Rank, e.Tied = row.ZRank, row.ZTied
			}
		}
		if i+1 < len(rounds) {
			e.Reason = reasonInto[rounds[i+1].ID]
		}
		out = append(out, e)
	}
	return out, nil
}
