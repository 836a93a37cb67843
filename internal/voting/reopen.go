package voting

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// MaxReason is the longest reason for reopening a ballot.
const MaxReason = 2000

// Reopen unlocks juror jurorID's submitted ballot in round id, so that
// they can change and submit it again; until then it does not count. The
// ranks are kept. reason is required and audited. The cycle's declared
// chair and its admins, while the round is the current one and the cycle
// takes ballots (reopening later would leave a ballot that can never be
// submitted again). Returns EUnauthenticated, ENotFound (also to whom the
// round's cycle is secret, and to readers without a seat or admin
// rights), EForbidden (other jurors: ErrNotChair; ErrNotDeclared),
// EInvalid (fields "reason", "juror_id"), EConflict (ErrNotRankedVote,
// ErrNotCurrent, ErrClosed, ErrNotSubmitted).
func (s *Service) Reopen(ctx context.Context, actor *awards.Actor, id, jurorID int64, reason string) error {
	reason = strings.TrimSpace(reason)
	return postgres.InTx(ctx, s.db, func(ctx context.Context, tx bun.Tx) error {
		r, err := loadLedVote(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		switch {
		case reason == "":
			return awards.Invalid(map[string]string{"reason": "form.required"})
		case utf8.RuneCountInString(reason) > MaxReason:
			return awards.Invalid(map[string]string{"reason": "form.error.too_long"})
		}
		// The juror's lock orders this after any save or submit of theirs
		// in flight.
		var locked int64
		err = tx.NewRaw(`SELECT id FROM jurors WHERE id = ? AND cycle_id = ? FOR NO KEY UPDATE`, jurorID, r.Cycle.ID).Scan(ctx, &locked)
		if errors.Is(err, sql.ErrNoRows) {
			return &awards.Error{Code: awards.EInvalid, Message: "no such juror in this cycle",
				Fields: map[string]string{"juror_id": "voting.error.juror"}}
		}
		if err != nil {
			return postgres.Map("lock juror", err)
		}
		if err := mayChange(r); err != nil {
			return err
		}
		var at time.Time
		err = tx.NewRaw(`DELETE FROM ballot_submissions bs USING cycles c
			WHERE bs.round_id = ? AND bs.juror_id = ? AND c.id = ? AND scoring_open(c) AND current_round(c.id) = bs.round_id
			RETURNING bs.submitted_at`, id, jurorID, r.Cycle.ID).Scan(ctx, &at)
		if errors.Is(err, sql.ErrNoRows) {
			var submitted bool
			if err := tx.NewRaw(`SELECT EXISTS (SELECT 1 FROM ballot_submissions WHERE round_id = ? AND juror_id = ?)`,
				id, jurorID).Scan(ctx, &submitted); err != nil {
				return postgres.Map("check ballot submission", err)
			}
			if submitted {
				return closedNow(ctx, tx, actor, id)
			}
			return &awards.Error{Code: awards.EConflict, Err: ErrNotSubmitted,
				Message: "the juror has not submitted a ballot in this round, so there is nothing to reopen"}
		}
		if err != nil {
			return postgres.Map("reopen ballot", err)
		}
		return audit.Record(ctx, tx, actor.User.ID, "ballot_reopen", entityJuror, jurorID,
			map[string]any{"round_id": id, "submitted_at": at}, map[string]any{"round_id": id, "reason": reason})
	})
}
