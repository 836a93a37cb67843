package cycles

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// CriterionFields are the settings of a criterion. A nil field is left as
// it is; on create the defaults are weight 1, scale 1–5 in steps of 1, the
// cycle's first round not yet started that is scored (else round 1), and
// a position after the round's last criterion. NameNB is required.
type CriterionFields struct {
	NameNB    *string
	NameNN    *string
	NameEN    *string
	HelpNB    *string
	HelpNN    *string
	HelpEN    *string
	Weight    *float64
	ScaleMin  *float64
	ScaleMax  *float64
	ScaleStep *float64
	Position  *int
	// RoundID is the round (of the criterion's cycle) whose jurors score
	// by it; a criterion moved to another round goes after its last one
	// unless Position says otherwise.
	RoundID *int64
}

type criterionRow struct {
	ID            int64   `bun:"id"`
	CycleID       int64   `bun:"cycle_id"`
	CyclePublicID string  `bun:"cycle_public_id"`
	NameNB        string  `bun:"name_nb"`
	NameNN        string  `bun:"name_nn"`
	NameEN        string  `bun:"name_en"`
	HelpNB        string  `bun:"help_nb"`
	HelpNN        string  `bun:"help_nn"`
	HelpEN        string  `bun:"help_en"`
	Weight        float64 `bun:"weight"`
	ScaleMin      float64 `bun:"scale_min"`
	ScaleMax      float64 `bun:"scale_max"`
	ScaleStep     float64 `bun:"scale_step"`
	Position      int     `bun:"position"`
	RoundID       int64   `bun:"round_id"`
}

func (r criterionRow) criterion() awards.Criterion {
	return awards.Criterion{ID: r.ID, CycleID: r.CycleID, CyclePublicID: r.CyclePublicID, NameNB: r.NameNB, NameNN: r.NameNN, NameEN: r.NameEN,
		HelpNB: r.HelpNB, HelpNN: r.HelpNN, HelpEN: r.HelpEN, Weight: r.Weight, ScaleMin: r.ScaleMin,
		ScaleMax: r.ScaleMax, ScaleStep: r.ScaleStep, Position: r.Position, RoundID: r.RoundID}
}

const criterionSelect = `
	SELECT cr.id, cr.cycle_id, c.public_id AS cycle_public_id, cr.name_nb, cr.name_nn, cr.name_en,
		cr.help_nb, cr.help_nn, cr.help_en, cr.weight::float8 AS weight, cr.scale_min::float8 AS scale_min,
		cr.scale_max::float8 AS scale_max, cr.scale_step::float8 AS scale_step, cr.position, cr.round_id
	FROM criteria cr JOIN cycles c ON c.id = cr.cycle_id JOIN rounds rd ON rd.id = cr.round_id`

func getCriterion(ctx context.Context, db bun.IDB, id int64) (awards.Criterion, error) {
	var r criterionRow
	if err := db.NewRaw(criterionSelect+` WHERE cr.id = ?`, id).Scan(ctx, &r); err != nil {
		return awards.Criterion{}, postgres.Map(fmt.Sprintf("get criterion %d", id), err)
	}
	return r.criterion(), nil
}

// Criteria lists the criteria of the cycle with publicID in order, round
// by round. Anyone
// may call it, but a cycle in draft is ENotFound for all but its admins.
func (s *Service) Criteria(ctx context.Context, actor *awards.Actor, publicID string) ([]awards.Criterion, error) {
	c, err := s.Cycle(ctx, actor, publicID)
	if err != nil {
		return nil, err
	}
	var rows []criterionRow
	if err := s.db.NewRaw(criterionSelect+` WHERE cr.cycle_id = ? ORDER BY rd.position, cr.position, cr.id`, c.ID).Scan(ctx, &rows); err != nil {
		return nil, postgres.Map("list criteria", err)
	}
	out := make([]awards.Criterion, len(rows))
	for i, r := range rows {
		out[i] = r.criterion()
	}
	return out, nil
}

// Criterion returns one criterion with its cycle. Anyone may call it, but
// a criterion of a cycle in draft is ENotFound for all but its admins.
func (s *Service) Criterion(ctx context.Context, actor *awards.Actor, id int64) (awards.Criterion, awards.Cycle, error) {
	cr, err := getCriterion(ctx, s.db, id)
	if err != nil {
		return awards.Criterion{}, awards.Cycle{}, err
	}
	c, err := getCycleByID(ctx, s.db, cr.CycleID)
	if err != nil {
		return awards.Criterion{}, awards.Cycle{}, err
	}
	if !policy.CanSeeCycle(actor, c.ID, c.Phase) {
		return awards.Criterion{}, awards.Cycle{}, notFound()
	}
	return cr, c, nil
}

func criteriaLocked() error {
	return &awards.Error{Code: awards.EConflict, Err: ErrCriteriaLocked,
		Message: "a round's criteria cannot change once the round has started"}
}

// criteriaRounds locks the rounds of cycle cycleID for share (see
// lockRounds) and returns them, so that none starts before the caller's
// change to its criteria commits.
func criteriaRounds(ctx context.Context, tx bun.IDB, cycleID int64) ([]awards.Round, error) {
	if err := lockRounds(ctx, tx, cycleID, false); err != nil {
		return nil, err
	}
	return RoundsOf(ctx, tx, cycleID)
}

// criterionRound returns the round with id among rounds, or without an id
// the first one not started that is scored (else round 1), for a
// criterion to go into. A round that is not among them, or is a ranked
// vote, is a field error in fe; one that has started is ErrCriteriaLocked.
func criterionRound(rounds []awards.Round, id *int64, fe fieldErrors) (awards.Round, error) {
	if id == nil {
		for _, r := range rounds {
			if !r.Started && r.Kind == awards.RoundScores {
				return r, nil
			}
		}
		id = &rounds[0].ID
	}
	i := slices.IndexFunc(rounds, func(r awards.Round) bool { return r.ID == *id })
	if i < 0 {
		fe.add("round_id", "rounds.error.round")
		return awards.Round{}, nil
	}
	r := rounds[i]
	if r.Started {
		return r, criteriaLocked()
	}
	if r.Kind == awards.RoundRankedVote {
		fe.add("round_id", "rounds.error.ranked_vote")
	}
	return r, nil
}

// roundOf returns the round with id among rounds.
func roundOf(rounds []awards.Round, id int64) awards.Round {
	i := slices.IndexFunc(rounds, func(r awards.Round) bool { return r.ID == id })
	if i < 0 {
		return awards.Round{}
	}
	return rounds[i]
}

// nextCriterionPosition is the position after the last criterion of round
// roundID.
func nextCriterionPosition(ctx context.Context, tx bun.IDB, roundID int64) (int, error) {
	var n int
	if err := tx.NewRaw(`SELECT coalesce(max(position), 0) + 1 FROM criteria WHERE round_id = ?`, roundID).Scan(ctx, &n); err != nil {
		return 0, postgres.Map("next criterion position", err)
	}
	return n, nil
}

// applyCriterion applies f to cr, cleaning and checking every field.
func applyCriterion(cr *awards.Criterion, f CriterionFields) fieldErrors {
	fe := fieldErrors{}
	texts := []struct {
		field     string
		dst       *string
		src       *string
		multiline bool
		required  bool
		max       int
	}{
		{"name_nb", &cr.NameNB, f.NameNB, false, true, maxName},
		{"name_nn", &cr.NameNN, f.NameNN, false, false, maxName},
		{"name_en", &cr.NameEN, f.NameEN, false, false, maxName},
		{"help_nb", &cr.HelpNB, f.HelpNB, true, false, maxHelp},
		{"help_nn", &cr.HelpNN, f.HelpNN, true, false, maxHelp},
		{"help_en", &cr.HelpEN, f.HelpEN, true, false, maxHelp},
	}
	for _, t := range texts {
		if t.src != nil {
			*t.dst = fe.text(t.field, *t.src, t.multiline, t.required, t.max)
		} else if t.required && *t.dst == "" {
			fe.add(t.field, "form.required")
		}
	}
	if f.Weight != nil {
		cr.Weight = *f.Weight
	}
	if !validWeight(cr.Weight) {
		fe.add("weight", "cycles.error.weight")
	}
	for _, n := range []struct {
		dst *float64
		src *float64
	}{{&cr.ScaleMin, f.ScaleMin}, {&cr.ScaleMax, f.ScaleMax}, {&cr.ScaleStep, f.ScaleStep}} {
		if n.src != nil {
			*n.dst = *n.src
		}
	}
	validateScale(fe, cr.ScaleMin, cr.ScaleMax, cr.ScaleStep)
	if f.Position != nil {
		cr.Position = *f.Position
		if cr.Position < 0 || cr.Position > maxPosition {
			fe.add("position", "cycles.error.position")
		}
	}
	return fe
}

// CreateCriterion adds a criterion to a round of the cycle with publicID.
// The cycle's admins only. Returns EForbidden, ENotFound, EInvalid (field
// errors; field round_id: not a round of the cycle, or a ranked vote,
// which has no criteria) and EConflict (ErrCriteriaLocked) once the round
// has started, or (awards.ReasonProgramme) for a programme's cycle, which
// is not scored.
func (s *Service) CreateCriterion(ctx context.Context, actor *awards.Actor, publicID string, f CriterionFields) (awards.Criterion, error) {
	if err := requireAdmin(actor); err != nil {
		return awards.Criterion{}, err
	}
	var out awards.Criterion
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		c, err := getCycle(ctx, tx, publicID)
		if err != nil {
			return err
		}
		if err := requireCycle(actor, c); err != nil {
			return err
		}
		if c.Programme() {
			return awards.NotForProgramme("criteria")
		}
		rounds, err := criteriaRounds(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		fe := fieldErrors{}
		round, err := criterionRound(rounds, f.RoundID, fe)
		if err != nil {
			return err
		}
		cr := awards.Criterion{CycleID: c.ID, Weight: 1, ScaleMin: 1, ScaleMax: 5, ScaleStep: 1, RoundID: round.ID}
		maps.Copy(fe, applyCriterion(&cr, f))
		if err := fe.err(); err != nil {
			return err
		}
		if f.Position == nil {
			if cr.Position, err = nextCriterionPosition(ctx, tx, cr.RoundID); err != nil {
				return err
			}
		}
		var id int64
		err = tx.NewRaw(`
			INSERT INTO criteria (cycle_id, round_id, name_nb, name_nn, name_en, help_nb, help_nn, help_en, weight,
				scale_min, scale_max, scale_step, position)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			c.ID, cr.RoundID, cr.NameNB, cr.NameNN, cr.NameEN, cr.HelpNB, cr.HelpNN, cr.HelpEN, cr.Weight,
			cr.ScaleMin, cr.ScaleMax, cr.ScaleStep, cr.Position).Scan(ctx, &id)
		if err != nil {
			return postgres.Map("create criterion", err)
		}
		if out, err = getCriterion(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor.User.ID, "create", "criterion", id, nil, out)
	})
	return out, err
}

// UpdateCriterion changes criterion id, and may move it to another round.
// The cycle's admins only. Returns EForbidden, ENotFound, EInvalid (field
// errors, as CreateCriterion) and EConflict (ErrCriteriaLocked) once its
// round, or the round it would move to, has started.
func (s *Service) UpdateCriterion(ctx context.Context, actor *awards.Actor, id int64, f CriterionFields) (awards.Criterion, error) {
	if err := requireAdmin(actor); err != nil {
		return awards.Criterion{}, err
	}
	var out awards.Criterion
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		before, err := getCriterion(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := requireCycleOf(ctx, tx, actor, before); err != nil {
			return err
		}
		rounds, err := criteriaRounds(ctx, tx, before.CycleID)
		if err != nil {
			return err
		}
		if roundOf(rounds, before.RoundID).Started {
			return criteriaLocked()
		}
		cr := before
		fe := fieldErrors{}
		if f.RoundID != nil && *f.RoundID != before.RoundID {
			round, err := criterionRound(rounds, f.RoundID, fe)
			if err != nil {
				return err
			}
			cr.RoundID = round.ID
		}
		maps.Copy(fe, applyCriterion(&cr, f))
		if err := fe.err(); err != nil {
			return err
		}
		if cr.RoundID != before.RoundID && f.Position == nil {
			if cr.Position, err = nextCriterionPosition(ctx, tx, cr.RoundID); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `
			UPDATE criteria SET name_nb = ?, name_nn = ?, name_en = ?, help_nb = ?, help_nn = ?, help_en = ?,
				weight = ?, scale_min = ?, scale_max = ?, scale_step = ?, position = ?, round_id = ?, updated_at = now()
			WHERE id = ?`,
			cr.NameNB, cr.NameNN, cr.NameEN, cr.HelpNB, cr.HelpNN, cr.HelpEN, cr.Weight,
			cr.ScaleMin, cr.ScaleMax, cr.ScaleStep, cr.Position, cr.RoundID, id)
		if err != nil {
			return postgres.Map("update criterion", err)
		}
		if out, err = getCriterion(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor.User.ID, "update", "criterion", id, before, out)
	})
	return out, err
}

// DeleteCriterion removes criterion id and returns it. The cycle's admins only.
// Returns EForbidden, ENotFound and EConflict (ErrCriteriaLocked) once its
// round has started.
func (s *Service) DeleteCriterion(ctx context.Context, actor *awards.Actor, id int64) (awards.Criterion, error) {
	if err := requireAdmin(actor); err != nil {
		return awards.Criterion{}, err
	}
	var before awards.Criterion
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if before, err = getCriterion(ctx, tx, id); err != nil {
			return err
		}
		if err := requireCycleOf(ctx, tx, actor, before); err != nil {
			return err
		}
		rounds, err := criteriaRounds(ctx, tx, before.CycleID)
		if err != nil {
			return err
		}
		if roundOf(rounds, before.RoundID).Started {
			return criteriaLocked()
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM criteria WHERE id = ?`, id); err != nil {
			return postgres.Map("delete criterion", err)
		}
		return audit.Record(ctx, tx, actor.User.ID, "delete", "criterion", id, before, nil)
	})
	return before, err
}

// requireCycleOf checks that the actor administers criterion cr's cycle.
func requireCycleOf(ctx context.Context, db bun.IDB, actor *awards.Actor, cr awards.Criterion) error {
	c, err := getCycleByID(ctx, db, cr.CycleID)
	if err != nil {
		return err
	}
	return requireCycle(actor, c)
}
