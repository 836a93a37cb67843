package assignment

import (
	"context"
	"fmt"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// Choice is what the admin sets a cell to.
type Choice string

// Choices.
const (
	// ChoiceAssigned: the juror works on the nomination, whatever the
	// automatic assignment would do.
	ChoiceAssigned Choice = "assigned"
	// ChoiceExcluded: the juror never gets the nomination.
	ChoiceExcluded Choice = "excluded"
	// ChoiceAuto: the automatic assignment decides the cell again. A cell
	// that was manually assigned stays assigned until the next run (which
	// may keep it); a manually excluded one is open until then.
	ChoiceAuto Choice = "auto"
)

// Valid reports whether c is a known choice.
func (c Choice) Valid() bool { return c == ChoiceAssigned || c == ChoiceExcluded || c == ChoiceAuto }

// CellChange sets one cell.
type CellChange struct {
	JurorID int64
	// Nomination is the nomination's public ID.
	Nomination string
	State      Choice
}

// Changed is one cell a change altered, for the audit log and the reply.
type Changed struct {
	JurorID    int64  `json:"juror_id"`
	Nomination string `json:"nomination"`
	From       string `json:"from"` // auto, assigned or excluded
	To         string `json:"to"`
}

// SetCell sets one cell of the cycle's assignment; see SetCells.
func (s *Service) SetCell(ctx context.Context, actor *awards.Actor, publicID string, jurorID int64, nomination string, state Choice) ([]Changed, error) {
	return s.SetCells(ctx, actor, publicID, []CellChange{{JurorID: jurorID, Nomination: nomination, State: state}})
}

// SetCells sets cells of the cycle's assignment by hand, all or none, in
// one transaction with one audit entry listing the cells that changed
// (cells already as asked are left alone). Manual cells survive the
// automatic assignment. The cycle must be in ModeAuto.
//
// Site admins only. Returns EInvalid with field errors "cells" or
// "cells[i].juror_id", "cells[i].nomination_id", "cells[i].state"
// (unknown or removed jurors, nominations the jury does not work on,
// unknown choices, a cell given twice); EConflict with a
// *CellConflictError when asked to assign a juror a nomination they must
// step aside from, ErrModeAll, ErrPublished; ENotFound, EForbidden.
func (s *Service) SetCells(ctx context.Context, actor *awards.Actor, publicID string, cells []CellChange) ([]Changed, error) {
	var changed []Changed
	err := postgres.InTx(ctx, s.db, func(ctx context.Context, tx bun.Tx) error {
		a, err := open(ctx, tx, actor, publicID, true, true)
		if err != nil {
			return err
		}
		changed, err = setCells(ctx, tx, actor, a, cells)
		return err
	})
	if err != nil {
		return nil, err
	}
	return changed, nil
}

func setCells(ctx context.Context, tx bun.IDB, actor *awards.Actor, a access, cells []CellChange) ([]Changed, error) {
	if len(cells) == 0 {
		return nil, awards.Invalid(map[string]string{"cells": "assignment.error.cells"})
	}
	jurors, err := loadJurors(ctx, tx, a.cycle.ID, a.cycle.RoundID)
	if err != nil {
		return nil, err
	}
	noms, err := loadNominations(ctx, tx, a)
	if err != nil {
		return nil, err
	}
	jurorByID := make(map[int64]jurorRow, len(jurors))
	for _, u := range jurors {
		jurorByID[u.ID] = u
	}
	nomByPublic := make(map[string]nominationRow, len(noms))
	for _, n := range noms {
		if !n.Hidden {
			nomByPublic[n.PublicID] = n
		}
	}
	errs := map[string]string{}
	seen := map[pair]bool{}
	var js, ns []int64
	for i, c := range cells {
		u, okJ := jurorByID[c.JurorID]
		n, okN := nomByPublic[c.Nomination]
		if !okJ {
			errs[fmt.Sprintf("cells[%d].juror_id", i)] = "assignment.error.juror"
		}
		if !okN {
			errs[fmt.Sprintf("cells[%d].nomination_id", i)] = "assignment.error.nomination"
		}
		if !c.State.Valid() {
			errs[fmt.Sprintf("cells[%d].state", i)] = "assignment.error.state"
		}
		if okJ && okN {
			p := pair{u.ID, n.ID}
			if seen[p] {
				errs[fmt.Sprintf("cells[%d]", i)] = "assignment.error.duplicate"
			}
			seen[p] = true
			js, ns = append(js, u.ID), append(ns, n.ID)
		}
	}
	if len(errs) > 0 {
		return nil, awards.Invalid(errs)
	}
	if a.cycle.Mode != ModeAuto {
		return nil, &awards.Error{Code: awards.EConflict, Err: ErrModeAll,
			Message: "the cycle lets every juror score every nomination: choose automatic assignment before changing cells"}
	}

	// Whether each conflicted cell is conflicted only by membership: a
	// declared conflict explains better.
	var conflicts []struct {
		JurorID      int64 `bun:"juror_id"`
		NominationID int64 `bun:"nomination_id"`
		Member       bool  `bun:"member"`
	}
	if err := tx.NewRaw(`SELECT jc.juror_id, jc.nomination_id, bool_and(jc.kind = 'member') AS member
		FROM juror_conflicts jc JOIN unnest(?::bigint[], ?::bigint[]) AS c(juror_id, nomination_id)
			ON jc.juror_id = c.juror_id AND jc.nomination_id = c.nomination_id
		GROUP BY jc.juror_id, jc.nomination_id`,
		pgdialect.Array(js), pgdialect.Array(ns)).Scan(ctx, &conflicts); err != nil {
		return nil, postgres.Map("check conflicts", err)
	}
	member := map[pair]bool{}
	conflicted := map[pair]bool{}
	for _, c := range conflicts {
		p := pair{c.JurorID, c.NominationID}
		conflicted[p], member[p] = true, c.Member
	}
	var rows []cellRow
	if err := tx.NewRaw(`SELECT a.juror_id, a.nomination_id, a.manual, a.assigned
		FROM assignments a JOIN unnest(?::bigint[], ?::bigint[]) AS c(juror_id, nomination_id)
			ON a.juror_id = c.juror_id AND a.nomination_id = c.nomination_id
		WHERE a.round_id = ?`,
		pgdialect.Array(js), pgdialect.Array(ns), a.cycle.RoundID).Scan(ctx, &rows); err != nil {
		return nil, postgres.Map("read cells", err)
	}
	current := make(map[pair]cellRow, len(rows))
	for _, r := range rows {
		current[pair{r.JurorID, r.NominationID}] = r
	}

	var up struct{ j, n []int64 }
	var upManual, upAssigned []bool
	var del struct{ j, n []int64 }
	var changed []Changed
	for i, c := range cells {
		u, n := jurorByID[c.JurorID], nomByPublic[c.Nomination]
		p := pair{u.ID, n.ID}
		if c.State == ChoiceAssigned && conflicted[p] {
			e := &CellConflictError{Index: i, Juror: u.Name, Nomination: n.label(), Member: member[p]}
			return nil, &awards.Error{Code: awards.EConflict, Message: e.Error(), Err: e}
		}
		r, has := current[p]
		from := string(ChoiceAuto)
		if has && r.Manual {
			from = string(ChoiceExcluded)
			if r.Assigned {
				from = string(ChoiceAssigned)
			}
		}
		if from == string(c.State) {
			continue
		}
		changed = append(changed, Changed{JurorID: u.ID, Nomination: n.PublicID, From: from, To: string(c.State)})
		switch {
		case c.State == ChoiceAuto && r.Assigned:
			// Stays assigned, now as the automatic assignment's to keep or
			// give away on its next run.
			up.j, up.n = append(up.j, u.ID), append(up.n, n.ID)
			upManual, upAssigned = append(upManual, false), append(upAssigned, true)
		case c.State == ChoiceAuto:
			del.j, del.n = append(del.j, u.ID), append(del.n, n.ID)
		default:
			up.j, up.n = append(up.j, u.ID), append(up.n, n.ID)
			upManual, upAssigned = append(upManual, true), append(upAssigned, c.State == ChoiceAssigned)
		}
	}
	if len(changed) == 0 {
		return []Changed{}, nil
	}
	if len(up.j) > 0 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO assignments (round_id, juror_id, nomination_id, manual, assigned)
			SELECT ?, * FROM unnest(?::bigint[], ?::bigint[], ?::boolean[], ?::boolean[])
			ON CONFLICT (juror_id, round_id, nomination_id) DO UPDATE SET manual = EXCLUDED.manual, assigned = EXCLUDED.assigned`,
			a.cycle.RoundID, pgdialect.Array(up.j), pgdialect.Array(up.n), pgdialect.Array(upManual), pgdialect.Array(upAssigned)); err != nil {
			return nil, postgres.Map("set cells", err)
		}
	}
	if len(del.j) > 0 {
		if _, err := tx.ExecContext(ctx, `DELETE FROM assignments a USING unnest(?::bigint[], ?::bigint[]) AS d(juror_id, nomination_id)
			WHERE a.juror_id = d.juror_id AND a.nomination_id = d.nomination_id AND a.round_id = ?`,
			pgdialect.Array(del.j), pgdialect.Array(del.n), a.cycle.RoundID); err != nil {
			return nil, postgres.Map("clear cells", err)
		}
	}
	if err := audit.Record(ctx, tx, actor.User.ID, "assign_cells", "cycle", a.cycle.ID, nil, map[string]any{"cells": changed}); err != nil {
		return nil, err
	}
	return changed, nil
}
