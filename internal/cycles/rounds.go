package cycles

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// RoundFields are the settings of a round. A nil field (or an unset
// TimeChange) is left as it is; on create the defaults are kind scores,
// no earlier results shown and the cycle's scoring deadline. NameNB is
// required.
type RoundFields struct {
	NameNB              *string
	NameNN              *string
	NameEN              *string
	Kind                *awards.RoundKind
	ShowsEarlierResults *bool
	// ScoringDeadline set to nil falls back to the cycle's.
	ScoringDeadline TimeChange
}

type roundRow struct {
	ID                  int64      `bun:"id"`
	CycleID             int64      `bun:"cycle_id"`
	CyclePublicID       string     `bun:"cycle_public_id"`
	Phase               string     `bun:"phase"`
	Position            int        `bun:"position"`
	Kind                string     `bun:"kind"`
	NameNB              string     `bun:"name_nb"`
	NameNN              string     `bun:"name_nn"`
	NameEN              string     `bun:"name_en"`
	ShowsEarlierResults bool       `bun:"shows_earlier_results"`
	ScoringDeadline     *time.Time `bun:"scoring_deadline"`
	ClosedAt            *time.Time `bun:"closed_at"`
	Current             bool       `bun:"current"`
	SeatIDs             []int64    `bun:"seat_ids,array"`
	Nominations         int        `bun:"nominations"`
}

func (r roundRow) round() awards.Round {
	out := awards.Round{ID: r.ID, CycleID: r.CycleID, CyclePublicID: r.CyclePublicID, Position: r.Position,
		Kind: awards.RoundKind(r.Kind), NameNB: r.NameNB, NameNN: r.NameNN, NameEN: r.NameEN,
		ShowsEarlierResults: r.ShowsEarlierResults, ScoringDeadline: r.ScoringDeadline, ClosedAt: r.ClosedAt,
		Current: r.Current, Jurors: len(r.SeatIDs), Nominations: r.Nominations, SeatIDs: r.SeatIDs}
	if out.SeatIDs == nil {
		out.SeatIDs = []int64{}
	}
	out.Started = r.ClosedAt != nil || r.Current && judgingBegun(awards.Phase(r.Phase))
	return out
}

// judgingBegun: in these phases the current round has started.
func judgingBegun(p awards.Phase) bool {
	switch p {
	case awards.PhaseJudging, awards.PhaseDecided, awards.PhasePublished:
		return true
	}
	return false
}

// roundSelect reads rounds with what the admins' pages show of them: the
// seats serving (removed ones left out) and the nominations taking part.
const roundSelect = `
	SELECT r.id, r.cycle_id, c.public_id AS cycle_public_id, c.phase, r.position, r.kind, r.name_nb, r.name_nn,
		r.name_en, r.shows_earlier_results, r.scoring_deadline, r.closed_at, r.id = current_round(r.cycle_id) AS current,
		array(SELECT rj.juror_id FROM round_jurors rj JOIN jurors j ON j.id = rj.juror_id
			WHERE rj.round_id = r.id AND j.removed_at IS NULL ORDER BY rj.juror_id) AS seat_ids,
		(SELECT count(*) FROM nominations n WHERE n.cycle_id = r.cycle_id AND in_the_running(n.status)
			AND in_round(r.id, n.id)) AS nominations
	FROM rounds r JOIN cycles c ON c.id = r.cycle_id`

func getRound(ctx context.Context, db bun.IDB, id int64) (awards.Round, error) {
	var r roundRow
	if err := db.NewRaw(roundSelect+` WHERE r.id = ?`, id).Scan(ctx, &r); err != nil {
		return awards.Round{}, postgres.Map(fmt.Sprintf("get round %d", id), err)
	}
	return r.round(), nil
}

// RoundsOf reads the cycle's rounds in order, with which one is current
// and started, the seats serving in each (removed ones left out) and how
// many nominations in the running take part in each.
func RoundsOf(ctx context.Context, db bun.IDB, cycleID int64) ([]awards.Round, error) {
	var rows []roundRow
	if err := db.NewRaw(roundSelect+` WHERE r.cycle_id = ? ORDER BY r.position`, cycleID).Scan(ctx, &rows); err != nil {
		return nil, postgres.Map("list rounds", err)
	}
	out := make([]awards.Round, len(rows))
	for i, r := range rows {
		out[i] = r.round()
	}
	return out, nil
}

// lockRounds locks the cycle's row (for share, or against other changes
// of its rounds) and its rounds' rows, so that its phase and which round
// is current and started hold until the transaction ends: a move into
// judging, or the chair closing a round, waits for the caller.
func lockRounds(ctx context.Context, tx bun.IDB, cycleID int64, exclusive bool) error {
	mode := "SHARE"
	if exclusive {
		mode = "NO KEY UPDATE"
	}
	if _, err := tx.ExecContext(ctx, `SELECT 1 FROM cycles WHERE id = ? FOR `+mode, cycleID); err != nil {
		return postgres.Map("lock cycle", err)
	}
	if _, err := tx.ExecContext(ctx, `SELECT 1 FROM rounds WHERE cycle_id = ? ORDER BY position FOR SHARE`, cycleID); err != nil {
		return postgres.Map("lock rounds", err)
	}
	return nil
}

// Rounds lists the rounds of the cycle with publicID in order, with the
// seats serving in each and the nominations taking part. The cycle's
// admins and its jurors only: EForbidden for others, ENotFound for an
// unknown cycle (and for a draft to those who may not see it).
func (s *Service) Rounds(ctx context.Context, actor *awards.Actor, publicID string) ([]awards.Round, error) {
	c, err := getCycle(ctx, s.db, publicID)
	if err != nil {
		return nil, err
	}
	if err := requireRoundReader(actor, c); err != nil {
		return nil, err
	}
	return RoundsOf(ctx, s.db, c.ID)
}

// Round returns round id and its cycle. Who may read it as Rounds.
func (s *Service) Round(ctx context.Context, actor *awards.Actor, id int64) (awards.Round, awards.Cycle, error) {
	r, err := getRound(ctx, s.db, id)
	if err != nil {
		return awards.Round{}, awards.Cycle{}, err
	}
	c, err := getCycleByID(ctx, s.db, r.CycleID)
	if err != nil {
		return awards.Round{}, awards.Cycle{}, err
	}
	if err := requireRoundReader(actor, c); err != nil {
		return awards.Round{}, awards.Cycle{}, err
	}
	return r, c, nil
}

func requireRoundReader(actor *awards.Actor, c awards.Cycle) error {
	switch {
	case policy.CanSeeRounds(actor, c.ID):
		return nil
	case !policy.CanSeeCycle(actor, c.ID, c.Phase):
		return notFound()
	}
	return awards.Errorf(awards.EForbidden, "only the cycle's administrators and jurors see its rounds")
}

// applyRound applies f to r, cleaning and checking every field; s is the
// cycle's state, for the deadlines.
func applyRound(r *awards.Round, f RoundFields, s State) fieldErrors {
	fe := fieldErrors{}
	for _, t := range []struct {
		field    string
		dst      *string
		src      *string
		required bool
	}{
		{"name_nb", &r.NameNB, f.NameNB, true},
		{"name_nn", &r.NameNN, f.NameNN, false},
		{"name_en", &r.NameEN, f.NameEN, false},
	} {
		if t.src != nil {
			*t.dst = fe.text(t.field, *t.src, false, t.required, maxName)
		} else if t.required && *t.dst == "" {
			fe.add(t.field, "form.required")
		}
	}
	if f.Kind != nil {
		if !f.Kind.Valid() {
			fe.add("kind", "rounds.error.kind")
		}
		r.Kind = *f.Kind
	}
	if f.ShowsEarlierResults != nil {
		r.ShowsEarlierResults = *f.ShowsEarlierResults
	}
	// Only a deadline being changed is checked: a round may keep one
	// that has passed while it is renamed.
	if ch := f.ScoringDeadline; ch.Set {
		changed := ch.At != nil && (r.ScoringDeadline == nil || !ch.At.Equal(*r.ScoringDeadline))
		r.ScoringDeadline = ch.At
		switch {
		case !changed:
		case !ch.At.After(s.Now):
			fe.add("scoring_deadline", "rounds.error.deadline_past")
		case s.NominationDeadline != nil && ch.At.Before(*s.NominationDeadline):
			fe.add("scoring_deadline", "rounds.error.deadline_order")
		}
	}
	return fe
}

// roundCycle loads the cycle with publicID for a change to its rounds,
// checking the actor administers it and that it is a prize's, and locks
// its rounds (exclusive: against other changes to them).
func roundCycle(ctx context.Context, tx bun.IDB, actor *awards.Actor, publicID string, exclusive bool) (State, error) {
	c, err := getCycle(ctx, tx, publicID)
	if err != nil {
		return State{}, err
	}
	if err := requireCycle(actor, c); err != nil {
		return State{}, err
	}
	if c.Programme() {
		return State{}, awards.NotForProgramme("rounds")
	}
	if err := lockRounds(ctx, tx, c.ID, exclusive); err != nil {
		return State{}, err
	}
	return StateByID(ctx, tx, c.ID, NoLock)
}

// lockedRound loads round id for a change, with its cycle's state, as
// roundCycle does.
func lockedRound(ctx context.Context, tx bun.IDB, actor *awards.Actor, id int64) (awards.Round, State, error) {
	r, err := getRound(ctx, tx, id)
	if err != nil {
		return awards.Round{}, State{}, err
	}
	s, err := roundCycle(ctx, tx, actor, r.CyclePublicID, true)
	if err != nil {
		return awards.Round{}, State{}, err
	}
	// Read again under the locks: the first read may be stale.
	r, err = getRound(ctx, tx, id)
	return r, s, err
}

// CreateRound appends a round to the cycle with publicID, after its last
// one; every seat of the cycle serves in it. The cycle's admins only.
// Returns EForbidden, ENotFound, EInvalid (field errors), EConflict
// (ErrTooManyRounds: the cycle has awards.MaxRounds) and EConflict
// (awards.ReasonProgramme) for a programme's cycle.
func (s *Service) CreateRound(ctx context.Context, actor *awards.Actor, publicID string, f RoundFields) (awards.Round, error) {
	if err := requireAdmin(actor); err != nil {
		return awards.Round{}, err
	}
	var out awards.Round
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st, err := roundCycle(ctx, tx, actor, publicID, true)
		if err != nil {
			return err
		}
		r := awards.Round{CycleID: st.ID, Kind: awards.RoundScores}
		if err := applyRound(&r, f, st).err(); err != nil {
			return err
		}
		if st.Rounds >= awards.MaxRounds {
			return &awards.Error{Code: awards.EConflict, Reason: awards.ReasonQuotaReached, Err: ErrTooManyRounds,
				Message: fmt.Sprintf("a cycle has at most %d rounds", awards.MaxRounds)}
		}
		var id int64
		err = tx.NewRaw(`
			INSERT INTO rounds (cycle_id, position, kind, name_nb, name_nn, name_en, shows_earlier_results, scoring_deadline)
			SELECT ?, coalesce(max(position), 0) + 1, ?, ?, ?, ?, ?, ? FROM rounds WHERE cycle_id = ?
			RETURNING id`, st.ID, string(r.Kind), r.NameNB, r.NameNN, r.NameEN, r.ShowsEarlierResults, r.ScoringDeadline,
			st.ID).Scan(ctx, &id)
		if err != nil {
			return postgres.Map("create round", err)
		}
		if out, err = getRound(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor.User.ID, "create", "round", id, nil, out)
	})
	return out, err
}

// UpdateRound changes round id: its names, kind, whether its jurors see
// the earlier rounds' results, and its deadline. A round that has started
// keeps its kind, and one with criteria cannot become a ranked vote. The
// cycle's admins only. Returns EForbidden, ENotFound, EInvalid (field
// errors) and EConflict (field kind: ErrRoundStarted, ErrRoundHasCriteria).
func (s *Service) UpdateRound(ctx context.Context, actor *awards.Actor, id int64, f RoundFields) (awards.Round, error) {
	if err := requireAdmin(actor); err != nil {
		return awards.Round{}, err
	}
	var out awards.Round
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		before, st, err := lockedRound(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		r := before
		if err := applyRound(&r, f, st).err(); err != nil {
			return err
		}
		if r.Kind != before.Kind {
			if before.Started {
				return &awards.Error{Code: awards.EConflict, Reason: awards.ReasonRoundStarted, Err: ErrRoundStarted,
					Message: "the round has started: its kind is fixed", Fields: map[string]string{"kind": "rounds.error.kind_fixed"}}
			}
			if r.Kind == awards.RoundRankedVote {
				var n int
				if err := tx.NewRaw(`SELECT count(*) FROM criteria WHERE round_id = ?`, id).Scan(ctx, &n); err != nil {
					return postgres.Map("count the round's criteria", err)
				}
				if n > 0 {
					return &awards.Error{Code: awards.EConflict, Err: ErrRoundHasCriteria, Fields: map[string]string{"kind": "rounds.error.has_criteria"},
						Message: "a ranked vote has no criteria: move or delete the round's criteria first"}
				}
			}
		}
		_, err = tx.ExecContext(ctx, `
			UPDATE rounds SET kind = ?, name_nb = ?, name_nn = ?, name_en = ?, shows_earlier_results = ?, scoring_deadline = ?,
				updated_at = now()
			WHERE id = ?`, string(r.Kind), r.NameNB, r.NameNN, r.NameEN, r.ShowsEarlierResults, r.ScoringDeadline, id)
		if err != nil {
			return postgres.Map("update round", err)
		}
		if out, err = getRound(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor.User.ID, "update", "round", id, before, out)
	})
	return out, err
}

// DeleteRound removes round id with its criteria, and the rounds after it
// move up one place. Round 1 stays, as does a round that has started.
// The cycle's admins only. Returns EForbidden, ENotFound and EConflict
// (ErrFirstRound, ErrRoundStarted).
func (s *Service) DeleteRound(ctx context.Context, actor *awards.Actor, id int64) (awards.Round, error) {
	if err := requireAdmin(actor); err != nil {
		return awards.Round{}, err
	}
	var before awards.Round
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if before, _, err = lockedRound(ctx, tx, actor, id); err != nil {
			return err
		}
		switch {
		case before.Position == 1:
			return &awards.Error{Code: awards.EConflict, Reason: awards.ReasonFirstRound, Err: ErrFirstRound,
				Message: "round 1 cannot be deleted: every cycle judges in at least one round"}
		case before.Started:
			return &awards.Error{Code: awards.EConflict, Reason: awards.ReasonRoundStarted, Err: ErrRoundStarted,
				Message: "the round has started and cannot be deleted"}
		}
		// Its criteria go with it: each leaves its own entry in the log.
		var criteria []criterionRow
		if err := tx.NewRaw(criterionSelect+` WHERE cr.round_id = ? ORDER BY cr.position, cr.id`, id).Scan(ctx, &criteria); err != nil {
			return postgres.Map("list the round's criteria", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM rounds WHERE id = ?`, id); err != nil {
			return postgres.Map("delete round", err)
		}
		// One statement: the unique position per cycle is DEFERRABLE, so
		// it is checked when the statement ends, not row by row.
		if _, err := tx.ExecContext(ctx, `UPDATE rounds SET position = position - 1, updated_at = now()
			WHERE cycle_id = ? AND position > ?`, before.CycleID, before.Position); err != nil {
			return postgres.Map("renumber rounds", err)
		}
		for _, cr := range criteria {
			if err := audit.Record(ctx, tx, actor.User.ID, "delete", "criterion", cr.ID, cr.criterion(), nil); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, actor.User.ID, "delete", "round", id, before, nil)
	})
	return before, err
}

// SetRoundJurors makes exactly the seats seatIDs (of the round's cycle,
// not removed) serve in round id. A closed round keeps those who served.
// The cycle's admins only. Returns EForbidden, ENotFound, EInvalid (field
// juror_ids: a seat not of the cycle, or removed) and EConflict
// (ErrRoundClosed).
func (s *Service) SetRoundJurors(ctx context.Context, actor *awards.Actor, id int64, seatIDs []int64) (awards.Round, error) {
	if err := requireAdmin(actor); err != nil {
		return awards.Round{}, err
	}
	seats := slices.Compact(slices.Sorted(slices.Values(seatIDs)))
	if seats == nil {
		seats = []int64{} // none: an empty array, not NULL
	}
	var out awards.Round
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		before, _, err := lockedRound(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if before.ClosedAt != nil {
			return &awards.Error{Code: awards.EConflict, Reason: awards.ReasonRoundClosed, Err: ErrRoundClosed,
				Message: "the round is closed: who served in it stays as it was"}
		}
		var n int
		if err := tx.NewRaw(`SELECT count(*) FROM jurors WHERE cycle_id = ? AND removed_at IS NULL AND id = ANY(?)`,
			before.CycleID, pgdialect.Array(seats)).Scan(ctx, &n); err != nil {
			return postgres.Map("check seats", err)
		}
		if n != len(seats) {
			return awards.Invalid(map[string]string{"juror_ids": "rounds.error.seat"})
		}
		// Removed seats are left as they were: they serve nowhere.
		if _, err := tx.ExecContext(ctx, `DELETE FROM round_jurors rj USING jurors j
			WHERE j.id = rj.juror_id AND j.removed_at IS NULL AND rj.round_id = ? AND NOT rj.juror_id = ANY(?)`,
			id, pgdialect.Array(seats)); err != nil {
			return postgres.Map("take seats out of round", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO round_jurors (round_id, juror_id) SELECT ?, unnest(?::bigint[])
			ON CONFLICT DO NOTHING`, id, pgdialect.Array(seats)); err != nil {
			return postgres.Map("seat jurors in round", err)
		}
		if out, err = getRound(ctx, tx, id); err != nil {
			return err
		}
		if slices.Equal(before.SeatIDs, out.SeatIDs) {
			return nil
		}
		return audit.Record(ctx, tx, actor.User.ID, "update", "round", id, before, out)
	})
	return out, err
}

// copyRounds gives cycle dst the rounds of cycle src and their criteria,
// each round's deadline a year on; dst has its round 1 already (every
// cycle does), which takes the settings of src's. Nobody serves in them
// yet: seats are the new cycle's.
func copyRounds(ctx context.Context, tx bun.IDB, src, dst int64) error {
	rounds, err := RoundsOf(ctx, tx, src)
	if err != nil {
		return err
	}
	// Not ON CONFLICT: a deferrable unique constraint cannot arbitrate.
	for _, r := range rounds {
		q := `INSERT INTO rounds (kind, name_nb, name_nn, name_en, shows_earlier_results, scoring_deadline, cycle_id, position)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
		if r.Position == 1 {
			q = `UPDATE rounds SET kind = ?, name_nb = ?, name_nn = ?, name_en = ?, shows_earlier_results = ?, scoring_deadline = ?
				WHERE cycle_id = ? AND position = ?`
		}
		_, err := tx.ExecContext(ctx, q, string(r.Kind), r.NameNB, r.NameNN, r.NameEN, r.ShowsEarlierResults,
			shiftYear(r.ScoringDeadline), dst, r.Position)
		if err != nil {
			return postgres.Map("copy round", err)
		}
	}
	_, err = tx.ExecContext(ctx, `
		INSERT INTO criteria (cycle_id, round_id, name_nb, name_nn, name_en, help_nb, help_nn, help_en, weight,
			scale_min, scale_max, scale_step, position)
		SELECT ?, dr.id, cr.name_nb, cr.name_nn, cr.name_en, cr.help_nb, cr.help_nn, cr.help_en, cr.weight, cr.scale_min,
			cr.scale_max, cr.scale_step, cr.position
		FROM criteria cr JOIN rounds sr ON sr.id = cr.round_id JOIN rounds dr ON dr.cycle_id = ? AND dr.position = sr.position
		WHERE cr.cycle_id = ? ORDER BY sr.position, cr.position, cr.id`, dst, dst, src)
	return postgres.Map("copy criteria", err)
}
