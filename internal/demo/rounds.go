package demo

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// demoRounds makes the demo prize's judging cycle judge in three rounds,
// as real juries do: screening on the award's criteria, a shortlist
// scored on transfer value, then a ranked vote among the finalists. The
// screening is current; the later rounds show the earlier results.
func demoRounds(ctx context.Context, tx bun.Tx, cycle int64) error {
	_, err := tx.ExecContext(ctx, `
		UPDATE rounds SET name_nb = 'Siling', name_nn = 'Siling', name_en = 'Screening' WHERE cycle_id = ? AND position = 1`, cycle)
	if err != nil {
		return fmt.Errorf("demo round 1: %w", err)
	}
	for _, r := range []struct {
		position         int
		kind, nb, nn, en string
	}{{2, "scores", "Kortliste", "Kortliste", "Shortlist"}, {3, "ranked_vote", "Finale", "Finale", "Final"}} {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO rounds (cycle_id, position, kind, name_nb, name_nn, name_en, shows_earlier_results)
			SELECT ?, ?, ?, ?, ?, ?, true WHERE NOT EXISTS (SELECT 1 FROM rounds WHERE cycle_id = ? AND position = ?)`,
			cycle, r.position, r.kind, r.nb, r.nn, r.en, cycle, r.position)
		if err != nil {
			return fmt.Errorf("demo round %d: %w", r.position, err)
		}
	}
	_, err = tx.ExecContext(ctx, `
		INSERT INTO criteria (cycle_id, round_id, name_nb, name_nn, name_en, help_nb, help_nn, help_en, scale_min, scale_max, scale_step, position)
		SELECT r.cycle_id, r.id, 'Overføringsverdi', 'Overføringsverdi', 'Transfer value', ?, ?, ?, 1, 5, 1, 1
		FROM rounds r WHERE r.cycle_id = ? AND r.position = 2 AND NOT EXISTS (SELECT 1 FROM criteria c WHERE c.round_id = r.id)`,
		"Kan andre kommuner ta dette i bruk?", "Kan andre kommunar ta dette i bruk?", "Can other municipalities adopt it?", cycle)
	if err != nil {
		return fmt.Errorf("demo criterion of round 2: %w", err)
	}
	return nil
}
