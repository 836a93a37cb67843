package assignment

import (
	"context"
	"database/sql"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// CellState is what one cell of the matrix says.
type CellState string

// Cell states.
const (
	// CellOpen: the juror does not work on the nomination, and no manual
	// choice keeps the automatic assignment from giving it to them.
	CellOpen CellState = "open"
	// CellAssigned: the juror works on the nomination (juror_nominations).
	CellAssigned CellState = "assigned"
	// CellExcluded: a manual choice keeps the juror off the nomination.
	CellExcluded CellState = "excluded"
	// CellConflict: the juror must step aside; never assigned.
	CellConflict CellState = "conflict"
)

// Conflict is one reason a juror steps aside from a nomination: a declared
// kind (employed, family, involvement, other) with the juror's reason, or
// "member" for membership of a nominee organisation in Heder.
type Conflict struct {
	Kind   string
	Reason string
}

// Cell is one juror × nomination cell.
type Cell struct {
	State CellState
	// Manual: the admin chose this cell (assigned or excluded); the
	// automatic assignment keeps it.
	Manual bool
	// Started: the juror has saved or submitted scores of the nomination.
	Started bool
	// Conflicts are set for CellConflict.
	Conflicts []Conflict
	// Bid is the juror's bid on the nomination ("" for none, which is
	// willing).
	Bid Bid
}

// Juror is a column of the matrix.
type Juror struct {
	ID     int64
	Name   string
	County string
	Chair  bool
	// Declared: the juror has declared their conflicts of interest; until
	// then the matrix may not know all of them.
	Declared bool
	// Load is the number of nominations the juror works on.
	Load int
}

// Nomination is a row of the matrix.
type Nomination struct {
	ID       int64
	PublicID string
	Title    string
	Nominees []string
	County   string
	// Cells follow Matrix.Jurors.
	Cells []Cell
	// Jurors is the number of jurors working on the nomination.
	Jurors int
}

// Matrix is a cycle's assignment: nominations (rows) × jurors (columns).
type Matrix struct {
	Cycle    Cycle
	Settings Settings
	// Editable: the actor may change the settings and, in ModeAuto, the
	// cells.
	Editable    bool
	Jurors      []Juror
	Nominations []Nomination
	// Hidden counts nominations left out because the actor's own seat
	// steps aside from them (or has not declared about them); loads count
	// them all the same.
	Hidden int
	// Assigned counts the assigned cells; MinLoad and MaxLoad are the
	// least and most nominations any juror works on.
	Assigned         int
	MinLoad, MaxLoad int
	// Short counts nominations with fewer than Settings.K jurors in
	// ModeAuto (none in ModeAll).
	Short int
	// Bids says how the assignment honours the jurors' bids; nil in
	// ModeAll or when no juror has bid.
	Bids *BidReport
}

// Matrix returns the assignment of the cycle with publicID: its settings,
// its seated jurors with their loads, and every nomination the jury works
// on with one cell per juror. Which cells are assigned comes from the
// view juror_nominations, exactly what jurors see. Site admins and the
// chair (once declared; read-only) may call it; ENotFound, EForbidden
// (ErrNotDeclared) otherwise.
func (s *Service) Matrix(ctx context.Context, actor *awards.Actor, publicID string) (Matrix, error) {
	var m Matrix
	// One snapshot, so that loads and cells agree.
	err := s.db.RunInTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}, func(ctx context.Context, tx bun.Tx) error {
		// The planner overestimates juror_nominations on large cycles
		// (2,000 × 100 cells), and JIT compiling then costs more than
		// the query: 0.8 of 1.2 s measured.
		if _, err := tx.ExecContext(ctx, `SET LOCAL jit = off`); err != nil {
			return postgres.Map("set jit", err)
		}
		a, err := open(ctx, tx, actor, publicID, false, false)
		if err != nil {
			return err
		}
		m, err = readMatrix(ctx, tx, a, actor)
		return err
	})
	return m, err
}

func readMatrix(ctx context.Context, db bun.IDB, a access, actor *awards.Actor) (Matrix, error) {
	m := Matrix{Cycle: a.cycle, Settings: a.cycle.Settings(),
		Editable: policy.CanManageAssignment(actor, a.cycle.ID) && a.cycle.Phase != awards.PhasePublished}
	jurors, err := loadJurors(ctx, db, a.cycle.ID, a.cycle.RoundID)
	if err != nil {
		return m, err
	}
	noms, err := loadNominations(ctx, db, a)
	if err != nil {
		return m, err
	}
	conflicts, err := loadConflicts(ctx, db, a.cycle.ID)
	if err != nil {
		return m, err
	}
	rows, err := loadCells(ctx, db, a.cycle.RoundID)
	if err != nil {
		return m, err
	}
	started, err := loadStarted(ctx, db, a.cycle.RoundID)
	if err != nil {
		return m, err
	}
	bids, err := loadBids(ctx, db, a.cycle.ID)
	if err != nil {
		return m, err
	}
	var works []cellRow
	if err := db.NewRaw(`SELECT juror_id, nomination_id FROM juror_nominations WHERE cycle_id = ?`, a.cycle.ID).Scan(ctx, &works); err != nil {
		return m, postgres.Map("list juror_nominations", err)
	}
	assigned := make(map[pair]bool, len(works))
	for _, w := range works {
		assigned[pair{w.JurorID, w.NominationID}] = true
	}

	col := make(map[int64]int, len(jurors))
	m.Jurors = make([]Juror, len(jurors))
	for j, u := range jurors {
		col[u.ID] = j
		m.Jurors[j] = Juror{ID: u.ID, Name: u.Name, County: u.County, Chair: u.Chair, Declared: u.Declared}
	}
	// Loads count every nomination, hidden ones too: they are the jurors'
	// real work.
	for _, w := range works {
		if j, ok := col[w.JurorID]; ok {
			m.Jurors[j].Load++
			m.Assigned++
		}
	}
	auto := m.Settings.Mode == ModeAuto
	m.Nominations = make([]Nomination, 0, len(noms))
	labels := make(map[int64]string, len(noms))
	for _, n := range noms {
		if n.Hidden {
			m.Hidden++
			continue
		}
		labels[n.ID] = n.label()
		row := Nomination{ID: n.ID, PublicID: n.PublicID, Title: n.Title, Nominees: n.nominees(), County: n.County,
			Cells: make([]Cell, len(jurors))}
		for j, u := range jurors {
			p := pair{u.ID, n.ID}
			c := &row.Cells[j]
			c.Started, c.Bid = started[p], bids[p]
			r, hasRow := rows[p]
			// Manual cells only count in ModeAuto; in ModeAll they wait.
			manual := auto && hasRow && r.Manual
			switch {
			case conflicts[p] != nil:
				c.State, c.Conflicts = CellConflict, conflicts[p]
			case assigned[p]:
				c.State, c.Manual = CellAssigned, manual
				row.Jurors++
			case manual && !r.Assigned:
				c.State, c.Manual = CellExcluded, true
			default:
				c.State = CellOpen
			}
		}
		if auto && row.Jurors < m.Settings.K {
			m.Short++
		}
		m.Nominations = append(m.Nominations, row)
	}
	m.Bids = bidReport(&m, labels)
	for j, u := range m.Jurors {
		if j == 0 || u.Load < m.MinLoad {
			m.MinLoad = u.Load
		}
		if j == 0 || u.Load > m.MaxLoad {
			m.MaxLoad = u.Load
		}
	}
	return m, nil
}
