package assignment

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/matching"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// Run is what an automatic assignment did.
type Run struct {
	Settings Settings `json:"settings"`
	// Nominations and Jurors count the problem's rows and columns.
	Nominations int `json:"nominations"`
	Jurors      int `json:"jurors"`
	// Assigned counts the assigned cells, manual and kept ones included.
	Assigned int `json:"assigned"`
	// Manual counts the manually assigned cells and Excluded the manually
	// excluded ones, all kept as they were.
	Manual   int `json:"manual"`
	Excluded int `json:"excluded"`
	// Started counts automatic cells kept because the juror has begun
	// scoring the nomination.
	Started int `json:"started"`
	// Kept, Added and Removed count the automatic cells the run kept,
	// added and took away.
	Kept    int `json:"kept"`
	Added   int `json:"added"`
	Removed int `json:"removed"`
	// MinLoad and MaxLoad are the least and most nominations a juror
	// works on.
	MinLoad int `json:"min_load"`
	MaxLoad int `json:"max_load"`
	// SameCountyPairs and OwnCountyPairs measure the county spread (see
	// matching.Result).
	SameCountyPairs int `json:"same_county_pairs"`
	OwnCountyPairs  int `json:"own_county_pairs"`
	// Eager and NotWanted count the jurors' bids on cells the run could
	// give (not conflicted); EagerAssigned and NotWantedAssigned those of
	// them that are assigned after the run.
	Eager             int `json:"eager"`
	EagerAssigned     int `json:"eager_assigned"`
	NotWanted         int `json:"not_wanted"`
	NotWantedAssigned int `json:"not_wanted_assigned"`
	// Timing says where the time went; it is not audited.
	Timing Timing `json:"-"`
}

// Timing splits a run's time: reading the database, solving, and writing
// (the statements and the audit entry; the commit is in Total only).
type Timing struct {
	Read, Solve, Write, Total time.Duration
}

// Auto runs the automatic assignment of the cycle with publicID with its
// saved settings (SetMode), refused with EConflict (ErrModeAll) unless
// the mode is ModeAuto. See AutoWith.
func (s *Service) Auto(ctx context.Context, actor *awards.Actor, publicID string) (Run, error) {
	return s.auto(ctx, actor, publicID, nil)
}

// AutoWith switches the cycle to ModeAuto, with K and SpreadCounties
// changed where given, and runs the automatic assignment, all in one
// transaction: when the run is impossible the settings stay as they were.
//
// The run solves the cycle exactly (internal/assign): every nomination
// the jury works on gets K of the seated jurors, none conflicted
// (juror_conflicts), the manual cells are kept (assigned and excluded),
// so are automatic cells the juror has begun scoring, loads are as even
// as the conflicts allow, then counties are spread if asked, then as
// many of the earlier automatic cells as possible are kept. The jurors'
// bids (SetBids) come right after balance: as few not-wanted cells as
// possible, then as many eager ones. The
// automatic rows are replaced and the run audited in one transaction.
//
// Site admins only. Returns EInvalid (fields k), ENotFound, EForbidden,
// EConflict (ErrPublished, ErrModeAll, or an *InfeasibleError naming
// every nomination that cannot get K jurors, with nothing changed).
func (s *Service) AutoWith(ctx context.Context, actor *awards.Actor, publicID string, k *int, spread *bool) (Run, error) {
	return s.auto(ctx, actor, publicID, func(c Settings) Settings {
		c.Mode = ModeAuto
		if k != nil {
			c.K = *k
		}
		if spread != nil {
			c.SpreadCounties = *spread
		}
		return c
	})
}

func (s *Service) auto(ctx context.Context, actor *awards.Actor, publicID string, change func(Settings) Settings) (Run, error) {
	var run Run
	start := time.Now()
	err := postgres.InTx(ctx, s.db, func(ctx context.Context, tx bun.Tx) error {
		a, err := open(ctx, tx, actor, publicID, true, true)
		if err != nil {
			return err
		}
		settings := a.cycle.Settings()
		if change != nil {
			settings = change(settings)
			if errs := settings.validate(); len(errs) > 0 {
				return awards.Invalid(errs)
			}
			if err := saveSettings(ctx, tx, actor, a.cycle, settings); err != nil {
				return err
			}
		}
		if settings.Mode != ModeAuto {
			return &awards.Error{Code: awards.EConflict, Err: ErrModeAll,
				Message: "the cycle lets every juror score every nomination: choose automatic assignment first"}
		}
		run, err = solveAndWrite(ctx, tx, actor, a, settings)
		return err
	})
	if err != nil {
		return Run{}, err
	}
	run.Timing.Total = time.Since(start)
	return run, nil
}

// problem is a run's input, read from the database.
type problem struct {
	noms      []nominationRow
	jurors    []jurorRow
	conflicts map[pair][]Conflict
	rows      map[pair]cellRow
	started   map[pair]bool
	bids      map[pair]Bid
}

func readProblem(ctx context.Context, db bun.IDB, a access) (problem, error) {
	var p problem
	var err error
	if p.jurors, err = loadJurors(ctx, db, a.cycle.ID, a.cycle.RoundID); err != nil {
		return p, err
	}
	if p.noms, err = loadNominations(ctx, db, a); err != nil {
		return p, err
	}
	if p.conflicts, err = loadConflicts(ctx, db, a.cycle.ID); err != nil {
		return p, err
	}
	if p.rows, err = loadCells(ctx, db, a.cycle.RoundID); err != nil {
		return p, err
	}
	if p.started, err = loadStarted(ctx, db, a.cycle.RoundID); err != nil {
		return p, err
	}
	p.bids, err = loadBids(ctx, db, a.cycle.ID)
	return p, err
}

func solveAndWrite(ctx context.Context, tx bun.IDB, actor *awards.Actor, a access, settings Settings) (Run, error) {
	run := Run{Settings: settings}
	t0 := time.Now()
	p, err := readProblem(ctx, tx, a)
	if err != nil {
		return run, err
	}
	run.Timing.Read = time.Since(t0)

	t1 := time.Now()
	in := matching.Problem{K: settings.K, SpreadCounties: settings.SpreadCounties,
		Nominations: make([]matching.Nomination, len(p.noms)), Jurors: make([]matching.Juror, len(p.jurors)),
		Conflicts: make(map[matching.Pair]bool, len(p.conflicts)), Fixed: map[matching.Pair]bool{}, Previous: map[matching.Pair]bool{}}
	inScope := make(map[int64]bool, len(p.noms))
	for i, n := range p.noms {
		in.Nominations[i] = matching.Nomination{ID: n.ID, Name: n.label(), County: n.County}
		inScope[n.ID] = true
	}
	for j, u := range p.jurors {
		in.Jurors[j] = matching.Juror{ID: u.ID, Name: u.Name, County: u.County}
	}
	for c := range p.conflicts {
		in.Conflicts[matching.Pair{Juror: c.juror, Nomination: c.nomination}] = true
	}
	in.Bids = make(map[matching.Pair]matching.Bid, len(p.bids))
	for c, b := range p.bids {
		if !inScope[c.nomination] || p.conflicts[c] != nil {
			continue
		}
		in.Bids[matching.Pair{Juror: c.juror, Nomination: c.nomination}] = b.solver()
		switch b {
		case BidEager:
			run.Eager++
		case BidNotWanted:
			run.NotWanted++
		}
	}
	// The earlier automatic cells, before the run, with the loads they gave.
	prevAuto := map[pair]bool{}
	for c, r := range p.rows {
		ap := matching.Pair{Juror: c.juror, Nomination: c.nomination}
		conflicted := p.conflicts[c] != nil
		switch {
		case !r.Manual:
			if r.Assigned {
				prevAuto[c] = true
			}
			if !inScope[c.nomination] || conflicted || !r.Assigned {
				continue
			}
			in.Previous[ap] = true
			// Scoring has begun: keep the cell, whatever balance wants.
			if p.started[c] {
				in.Fixed[ap] = true
				run.Started++
			}
		case !inScope[c.nomination]:
		case r.Assigned && conflicted:
			// A conflict declared after the admin's choice wins: the cell
			// is not assigned (juror_nominations), so it does not count.
		case r.Assigned:
			in.Fixed[ap] = true
			run.Manual++
		default:
			in.Fixed[ap] = false
			run.Excluded++
		}
	}
	res, err := matching.Solve(in)
	run.Timing.Solve = time.Since(t1)
	var inf *matching.InfeasibleError
	if errors.As(err, &inf) {
		e := infeasible(inf, p, len(p.jurors))
		return run, &awards.Error{Code: awards.EConflict, Message: e.Error(), Err: e}
	}
	if err != nil {
		return run, fmt.Errorf("solve the assignment of cycle %d: %w", a.cycle.ID, err)
	}

	t2 := time.Now()
	var del, ins [2][]int64
	next := make(map[pair]bool, len(res.Pairs))
	for _, rp := range res.Pairs {
		c := pair{rp.Juror, rp.Nomination}
		if r, ok := p.rows[c]; ok && r.Manual {
			continue
		}
		next[c] = true
		if prevAuto[c] {
			run.Kept++
			continue
		}
		ins[0], ins[1] = append(ins[0], c.juror), append(ins[1], c.nomination)
	}
	for c := range prevAuto {
		if !next[c] {
			del[0], del[1] = append(del[0], c.juror), append(del[1], c.nomination)
		}
	}
	// Automatic rows that say "not assigned" have no meaning: drop them too.
	for c, r := range p.rows {
		if !r.Manual && !r.Assigned && !next[c] {
			del[0], del[1] = append(del[0], c.juror), append(del[1], c.nomination)
		}
	}
	run.Added, run.Removed = len(ins[0]), len(prevAuto)-run.Kept
	if len(del[0]) > 0 {
		if _, err := tx.ExecContext(ctx, `DELETE FROM assignments a USING unnest(?::bigint[], ?::bigint[]) AS d(juror_id, nomination_id)
			WHERE a.juror_id = d.juror_id AND a.nomination_id = d.nomination_id AND a.round_id = ? AND NOT a.manual`,
			pgdialect.Array(del[0]), pgdialect.Array(del[1]), a.cycle.RoundID); err != nil {
			return run, postgres.Map("remove automatic assignments", err)
		}
	}
	if len(ins[0]) > 0 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO assignments (round_id, juror_id, nomination_id, manual, assigned)
			SELECT ?, juror_id, nomination_id, false, true FROM unnest(?::bigint[], ?::bigint[]) AS i(juror_id, nomination_id)
			ON CONFLICT (juror_id, round_id, nomination_id) DO UPDATE SET assigned = true WHERE NOT assignments.manual`,
			a.cycle.RoundID, pgdialect.Array(ins[0]), pgdialect.Array(ins[1])); err != nil {
			return run, postgres.Map("add automatic assignments", err)
		}
	}
	run.Nominations, run.Jurors = len(p.noms), len(p.jurors)
	run.Assigned, run.MinLoad, run.MaxLoad = len(res.Pairs), res.MinLoad, res.MaxLoad
	run.SameCountyPairs, run.OwnCountyPairs = res.SameCountyPairs, res.OwnCountyPairs
	run.EagerAssigned, run.NotWantedAssigned = res.EagerAssigned, res.NotWantedAssigned
	if err := audit.Record(ctx, tx, actor.User.ID, "assign_auto", "cycle", a.cycle.ID, before(p, inScope), run); err != nil {
		return run, err
	}
	run.Timing.Write = time.Since(t2)
	return run, nil
}

// loadSummary is the assignment before a run, for the audit log.
type loadSummary struct {
	Assigned  int `json:"assigned"`
	Automatic int `json:"automatic"`
	MinLoad   int `json:"min_load"`
	MaxLoad   int `json:"max_load"`
}

// before summarises the assigned cells (as juror_nominations counts them
// in ModeAuto) before a run.
func before(p problem, inScope map[int64]bool) loadSummary {
	var s loadSummary
	loads := make(map[int64]int, len(p.jurors))
	for c, r := range p.rows {
		if r.Assigned && inScope[c.nomination] && p.conflicts[c] == nil {
			loads[c.juror]++
			s.Assigned++
			if !r.Manual {
				s.Automatic++
			}
		}
	}
	for j, u := range p.jurors {
		l := loads[u.ID]
		if j == 0 || l < s.MinLoad {
			s.MinLoad = l
		}
		if j == 0 || l > s.MaxLoad {
			s.MaxLoad = l
		}
	}
	return s
}

// infeasible turns the solver's reasons into names the reader knows,
// hiding the nominations the reader's own seat steps aside from.
func infeasible(e *matching.InfeasibleError, p problem, jurors int) *InfeasibleError {
	out := &InfeasibleError{K: e.K, Jurors: jurors, TooFewJurors: e.TooFewJurors}
	jurorName := make(map[int64]string, len(p.jurors))
	for _, u := range p.jurors {
		jurorName[u.ID] = u.Name
	}
	nameAll := func(ids []int64) []string {
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = jurorName[id]
		}
		return out
	}
	issues := make(map[int64]matching.NominationIssue, len(e.Nominations))
	for _, iss := range e.Nominations {
		issues[iss.Nomination] = iss
	}
	// The solver lists by internal ID; the reader knows the matrix's order.
	for _, n := range p.noms {
		iss, ok := issues[n.ID]
		if !ok {
			continue
		}
		x := Issue{Available: iss.Available, Conflicted: nameAll(iss.Conflicted), Excluded: nameAll(iss.Excluded),
			Fixed: nameAll(iss.Fixed)}
		if !n.Hidden {
			x.Nomination, x.Label = n.PublicID, n.label()
		}
		out.Nominations = append(out.Nominations, x)
	}
	return out
}
