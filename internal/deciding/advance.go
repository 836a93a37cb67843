package deciding

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// Causes of refusals to advance (errors.Is), each wrapped in an
// *awards.Error.
var (
	// ErrFinalRound: the round is the cycle's last; nothing goes further.
	ErrFinalRound = errors.New("the final round")
	// ErrStaleRound: the round advanced from is no longer the current one
	// (someone advanced meanwhile).
	ErrStaleRound = errors.New("not the current round")
	// ErrNotJudging: nominations move between rounds only while the jury
	// is judging.
	ErrNotJudging = errors.New("the jury is not judging")
)

// Field names of the advancing form: "advance-<id>" chooses a nomination
// (its errors stand there), "advance_reason-<id>" is the reason for it;
// see Field.
const (
	FieldAdvance       = "advance"
	FieldAdvanceReason = "advance_reason"
	FieldNominations   = "nominations"
	FieldNextDeadline  = "next_scoring_deadline"
)

// Message keys of the advancing form's field errors.
const (
	keyAdvanceNone       = "deciding.error.advance_none"
	keyAdvanceNomination = "deciding.error.advance_nomination"
	keyAdvanceConflict   = "deciding.error.advance_conflict"
	keyAdvanceReason     = "deciding.error.advance_reason"
	keyAdvanceDeadline   = "deciding.error.advance_deadline"
)

// AdvanceItem is one nomination to advance, with the chair's reason.
type AdvanceItem struct {
	// NominationID is the nomination's public ID.
	NominationID string
	Reason       string
}

// AdvanceInput moves nominations from a cycle's current round into the
// next.
type AdvanceInput struct {
	// RoundID is the round advanced from, as the chair saw it: it must
	// still be the current one.
	RoundID     int64
	Nominations []AdvanceItem
	// NextDeadline, when set, becomes the next round's scoring deadline.
	NextDeadline *time.Time
}

// advanced is one nomination advanced, as the audit log keeps it.
type advanced struct {
	NominationID int64  `json:"nomination_id"`
	PublicID     string `json:"public_id"`
	Reason       string `json:"reason"`
}

// Advance records the chair's decision to move the chosen nominations
// out of the cycle's current round into the next, each with a reason,
// and returns the cycle's rounds as they are after it. In one
// transaction it adds the nominations to the next round, closes the
// current one (so the next becomes current), sets the next round's
// scoring deadline when in gives one, and writes the audit entry. The
// nominations not chosen stay in the running, in no later round.
//
// When the next round is the cycle's last, the nominations advanced into
// it are the shortlist: each is recorded as a finalist in the decision
// (a decision already recorded about it stays as it is), which
// publication makes public only at the finalists' announcement.
//
// Who may: as SetDecision (the declared chair and the cycle's admins);
// see RankingFor for those refusals. The others:
//   - ENotFound: the round is not the cycle's;
//   - EConflict: the cycle is not judging (ErrNotJudging), the round is
//     no longer the current one (ErrStaleRound, ReasonStaleVersion), it
//     is the cycle's last (ErrFinalRound), or the winners are announced
//     (ErrAnnounced);
//   - EInvalid, field errors: no nomination chosen (FieldNominations); a
//     nomination not in the running, not in the round or chosen twice,
//     or one the reader steps aside from (Field(FieldAdvance, id)); a
//     reason missing or over MaxReason characters
//     (Field(FieldAdvanceReason, id)); the next round's scoring deadline,
//     given or inherited, already passed (FieldNextDeadline).
func (s *Service) Advance(ctx context.Context, actor *awards.Actor, cyclePublicID string, in AdvanceInput) ([]awards.Round, error) {
	var out []awards.Round
	var cycleID int64
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		// The cycle's row lock serialises advances: the second one finds
		// the round closed.
		v, err := load(ctx, tx, actor, cyclePublicID, true)
		if err != nil {
			return err
		}
		cycleID = v.ID
		rounds, err := cycles.RoundsOf(ctx, tx, v.ID)
		if err != nil {
			return err
		}
		i := roundIndex(rounds, in.RoundID)
		switch {
		case i < 0:
			return notFound()
		case v.Phase != awards.PhaseJudging:
			return &awards.Error{Code: awards.EConflict, Reason: awards.ReasonNotOpen, Err: ErrNotJudging,
				Message: fmt.Sprintf("the cycle is in phase %s: nominations move to the next round only while the jury is judging", v.Phase)}
		case !rounds[i].Current:
			return &awards.Error{Code: awards.EConflict, Reason: awards.ReasonStaleVersion, Err: ErrStaleRound,
				Message: fmt.Sprintf("round %d is no longer the current round: someone advanced nominations out of it meanwhile; reload and look again", rounds[i].Position)}
		case i+1 == len(rounds):
			return &awards.Error{Code: awards.EConflict, Reason: awards.ReasonFinalRound, Err: ErrFinalRound,
				Message: fmt.Sprintf("round %d is the cycle's final round: its result is the decision, with no round to advance into", rounds[i].Position)}
		}
		if err := checkNotAnnounced(ctx, tx, v.ID); err != nil {
			return err
		}
		cur, next := rounds[i], rounds[i+1]
		chosen, err := checkAdvance(ctx, tx, v, cur, next, in)
		if err != nil {
			return err
		}

		var before []int64
		if err := tx.NewRaw(`SELECT nomination_id FROM round_nominations WHERE round_id = ? ORDER BY nomination_id`, next.ID).Scan(ctx, &before); err != nil {
			return postgres.Map("read the next round's nominations", err)
		}
		// The next round holds exactly the nominations chosen.
		if _, err := tx.ExecContext(ctx, `DELETE FROM round_nominations WHERE round_id = ?`, next.ID); err != nil {
			return postgres.Map(fmt.Sprintf("clear round %d", next.ID), err)
		}
		ids := make([]int64, len(chosen))
		for k, c := range chosen {
			ids[k] = c.NominationID
			if _, err := tx.ExecContext(ctx, `INSERT INTO round_nominations (round_id, nomination_id, reason, decided_by, decided_at)
				VALUES (?, ?, ?, ?, now())`, next.ID, c.NominationID, c.Reason, actor.User.ID); err != nil {
				return postgres.Map(fmt.Sprintf("advance nomination %d into round %d", c.NominationID, next.ID), err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE rounds SET closed_at = now(), closed_by = ?, updated_at = now() WHERE id = ?`,
			actor.User.ID, cur.ID); err != nil {
			return postgres.Map(fmt.Sprintf("close round %d", cur.ID), err)
		}
		if in.NextDeadline != nil {
			if _, err := tx.ExecContext(ctx, `UPDATE rounds SET scoring_deadline = ?, updated_at = now() WHERE id = ?`,
				*in.NextDeadline, next.ID); err != nil {
				return postgres.Map(fmt.Sprintf("set the scoring deadline of round %d", next.ID), err)
			}
		}
		finalists := []int64{}
		if i+2 == len(rounds) {
			err := tx.NewRaw(`INSERT INTO decisions (nomination_id, cycle_id, outcome, decided_by, decided_at)
				SELECT n, ?, 'finalist', ?, now() FROM unnest(?::bigint[]) n
				ON CONFLICT (nomination_id) DO NOTHING RETURNING nomination_id`, v.ID, actor.User.ID, pgdialect.Array(ids)).Scan(ctx, &finalists)
			if err != nil {
				return postgres.Map("record the shortlist as finalists", err)
			}
			slices.Sort(finalists)
		}
		after := map[string]any{"round": cur.ID, "position": cur.Position, "next_round": next.ID, "nominations": chosen,
			"finalists": finalists}
		if in.NextDeadline != nil {
			after["next_scoring_deadline"] = *in.NextDeadline
		}
		if err := audit.Record(ctx, tx, actor.User.ID, "advance", "decision", v.ID,
			map[string]any{"round": cur.ID, "next_round": next.ID, "nominations": before}, after); err != nil {
			return err
		}
		out, err = cycles.RoundsOf(ctx, tx, v.ID)
		return err
	})
	if cycleID != 0 && err == nil {
		s.cache.forget(cycleID)
	}
	return out, err
}

// checkAdvance checks in against the cycle's current round cur and the
// next round next, and returns the nominations chosen with their reasons
// cleaned, or the field errors.
func checkAdvance(ctx context.Context, tx bun.Tx, v Viewer, cur, next awards.Round, in AdvanceInput) ([]advanced, error) {
	errs := map[string]string{}
	if len(in.Nominations) == 0 {
		errs[FieldNominations] = keyAdvanceNone
	}
	publicIDs := make([]string, len(in.Nominations))
	for k, it := range in.Nominations {
		publicIDs[k] = it.NominationID
	}
	type candidate struct {
		ID       int64  `bun:"id"`
		PublicID string `bun:"public_id"`
		Eligible bool   `bun:"eligible"`
		Visible  bool   `bun:"visible"`
	}
	var cands []candidate
	if len(publicIDs) > 0 {
		err := tx.NewRaw(`SELECT n.id, n.public_id, in_the_running(n.status) AND in_round(?, n.id) AS eligible, `+v.visible("n")+` AS visible
			FROM nominations n WHERE n.cycle_id = ? AND n.public_id IN (?)`, cur.ID, v.ID, bun.In(publicIDs)).Scan(ctx, &cands)
		if err != nil {
			return nil, postgres.Map("load nominations to advance", err)
		}
	}
	byPublic := make(map[string]candidate, len(cands))
	for _, c := range cands {
		byPublic[c.PublicID] = c
	}
	var out []advanced
	seen := map[int64]bool{}
	for _, it := range in.Nominations {
		key := Field(FieldAdvance, it.NominationID)
		c, ok := byPublic[it.NominationID]
		switch {
		case !ok || !c.Eligible:
			errs[key] = keyAdvanceNomination
			continue
		case !c.Visible:
			errs[key] = keyAdvanceConflict
			continue
		case seen[c.ID]:
			errs[key] = keyDuplicate
			continue
		}
		seen[c.ID] = true
		reason, fits := cleanText(it.Reason, MaxReason)
		switch {
		case !fits:
			errs[Field(FieldAdvanceReason, it.NominationID)] = keyTooLong
		case reason == "":
			errs[Field(FieldAdvanceReason, it.NominationID)] = keyAdvanceReason
		}
		out = append(out, advanced{NominationID: c.ID, PublicID: c.PublicID, Reason: reason})
	}
	// The next round's deadline as it will be: given, its own, or the
	// cycle's; none is no deadline.
	deadline := in.NextDeadline
	if deadline == nil {
		deadline = next.ScoringDeadline
	}
	if deadline == nil {
		deadline = v.ScoringDeadline
	}
	if deadline != nil && !deadline.After(v.Now) {
		errs[FieldNextDeadline] = keyAdvanceDeadline
	}
	if len(errs) > 0 {
		return nil, awards.Invalid(errs)
	}
	slices.SortFunc(out, func(a, b advanced) int { return cmp.Compare(a.NominationID, b.NominationID) })
	return out, nil
}
