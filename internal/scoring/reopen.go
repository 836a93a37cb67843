package scoring

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// Reopen unlocks juror jurorID's submitted scores of the nomination with
// publicID (in the cycle with cyclePublicID, unless that is ""), so that
// they can change and submit them again; until then they do not count.
// The scores themselves are kept. reason is required and audited. The
// chair (declared, not conflicted with the nomination) and site admins
// only, while the cycle takes scores (reopening later would leave scores
// that can never be submitted again). Returns ENotFound (also to whom the
// nomination is secret), EForbidden (jurors), EInvalid (fields "reason",
// "juror_id"), EConflict (ErrNotSubmitted, ErrClosed).
func (s *Service) Reopen(ctx context.Context, actor *awards.Actor, cyclePublicID, publicID string, jurorID int64, reason string) error {
	reason, key := cleanText(reason, MaxReason, true)
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		t, err := loadTarget(ctx, tx, actor, cyclePublicID, publicID)
		if err != nil {
			return err
		}
		f := t.facts()
		if !policy.CanReopenScores(actor, f) {
			if err := mayRead(actor, t); err != nil {
				return err
			}
			return awards.Errorf(awards.EForbidden, "only the chair or an administrator can reopen a juror's scores")
		}
		if key != "" {
			return awards.Invalid(map[string]string{"reason": key})
		}
		// The juror's lock orders this after any save or submit of theirs
		// in flight.
		var locked int64
		err = tx.NewRaw(`SELECT id FROM jurors WHERE id = ? AND cycle_id = ? FOR NO KEY UPDATE`, jurorID, t.State.ID).Scan(ctx, &locked)
		if errors.Is(err, sql.ErrNoRows) {
			return &awards.Error{Code: awards.EInvalid, Message: "no such juror in this cycle",
				Fields: map[string]string{"juror_id": keyJuror}}
		}
		if err != nil {
			return postgres.Map("lock juror", err)
		}
		if !t.ScoringOpen {
			return closedError(t.State)
		}
		var before struct {
			SubmittedAt    time.Time `bun:"submitted_at"`
			ExcludedReason *string   `bun:"excluded_reason"`
		}
		err = tx.NewRaw(`
			DELETE FROM score_submissions ss USING cycles c
			WHERE ss.juror_id = ? AND ss.nomination_id = ? AND ss.round_id = ? AND c.id = ?
				AND scoring_open(c)
			RETURNING ss.submitted_at, ss.excluded_reason`, jurorID, t.NominationID, t.State.RoundID, t.State.ID).Scan(ctx, &before)
		if errors.Is(err, sql.ErrNoRows) {
			var submitted bool
			if err := tx.NewRaw(`SELECT EXISTS (SELECT 1 FROM score_submissions WHERE juror_id = ? AND nomination_id = ? AND round_id = ?)`,
				jurorID, t.NominationID, t.State.RoundID).Scan(ctx, &submitted); err != nil {
				return postgres.Map("check submission", err)
			}
			if submitted {
				return closedNow(ctx, tx, t.State.ID)
			}
			return &awards.Error{Code: awards.EConflict, Err: ErrNotSubmitted,
				Message: "the juror has not submitted scores of this nomination, so there is nothing to reopen"}
		}
		if err != nil {
			return postgres.Map("reopen scores", err)
		}
		return audit.Record(ctx, tx, actor.User.ID, "reopen", entityScores, t.NominationID,
			map[string]any{"juror_id": jurorID, "submitted_at": before.SubmittedAt, "excluded_reason": before.ExcludedReason},
			map[string]any{"juror_id": jurorID, "reason": reason})
	})
}
