package assignment

import (
	"context"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// SetMode saves the cycle's assignment settings: the mode, the number of
// jurors per nomination and whether to spread them across counties.
// Switching to ModeAuto shows jurors only their assigned cells (none
// before the first run); switching to ModeAll keeps the assignment for a
// later switch back. K is not checked against the size of the jury,
// which may still be growing: Auto says when it is too large. Site admins
// only; returns EInvalid with field errors (mode, k), ENotFound,
// EForbidden and EConflict (ErrPublished).
func (s *Service) SetMode(ctx context.Context, actor *awards.Actor, publicID string, in Settings) (Settings, error) {
	if errs := in.validate(); len(errs) > 0 {
		if _, err := open(ctx, s.db, actor, publicID, true, false); err != nil {
			return Settings{}, err // who may not change it learns nothing of the input
		}
		return Settings{}, awards.Invalid(errs)
	}
	err := postgres.InTx(ctx, s.db, func(ctx context.Context, tx bun.Tx) error {
		a, err := open(ctx, tx, actor, publicID, true, true)
		if err != nil {
			return err
		}
		return saveSettings(ctx, tx, actor, a.cycle, in)
	})
	if err != nil {
		return Settings{}, err
	}
	return in, nil
}

// saveSettings writes the settings with their audit entry, when they
// change.
func saveSettings(ctx context.Context, tx bun.IDB, actor *awards.Actor, c Cycle, in Settings) error {
	before := c.Settings()
	if before == in {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE cycles SET assignment_mode = ?, jurors_per_nomination = ?, spread_counties = ?,
		updated_at = now() WHERE id = ?`, string(in.Mode), in.K, in.SpreadCounties, c.ID); err != nil {
		return postgres.Map("save assignment settings", err)
	}
	return audit.Record(ctx, tx, actor.User.ID, "assignment_settings", "cycle", c.ID, before, in)
}
