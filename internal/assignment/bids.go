package assignment

import (
	"context"
	"errors"
	"fmt"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/matching"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// Bid is a juror's wish about a nomination before the automatic
// assignment.
type Bid string

// Bids. Willing is what a juror who marked nothing says; it has no row.
const (
	BidEager     Bid = "eager"
	BidWilling   Bid = "willing"
	BidNotWanted Bid = "not_wanted"
)

// Bids lists the bids in the order pages show them.
var Bids = []Bid{BidEager, BidWilling, BidNotWanted}

// Valid reports whether b is a known bid.
func (b Bid) Valid() bool { return b == BidEager || b == BidWilling || b == BidNotWanted }

func (b Bid) solver() matching.Bid {
	switch b {
	case BidEager:
		return matching.Eager
	case BidNotWanted:
		return matching.NotWanted
	}
	return matching.Willing
}

// ErrBiddingClosed: the cycle takes no bids now: it does not assign
// automatically, or its phase is past the first automatic run or before
// the call closed (EConflict, Reason ReasonNotOpen).
var ErrBiddingClosed = errors.New("bidding is closed")

// BidItem is one nomination on a juror's bidding page.
type BidItem struct {
	// Nomination is the public ID.
	Nomination string
	Title      string
	Nominees   []string
	Summary    string
	Bid        Bid
}

// Bidding is a juror's bids in a cycle.
type Bidding struct {
	Cycle Cycle
	// Open: bids may be changed now (the database's bidding_open).
	Open bool
	// Items are the nominations the juror may bid on: in the running and
	// not stepped aside from, by title.
	Items []BidItem
}

// BidChange sets the bid on one nomination (by public ID).
type BidChange struct {
	Nomination string
	Bid        Bid
}

// seatAccess is a juror's seat in a cycle, for bidding.
type seatAccess struct {
	access
	open bool
}

// openSeat loads the cycle with publicID and the actor's seat on its
// jury. Returns EUnauthenticated, ENotFound (no such cycle, or one the
// actor may not know), EForbidden (no seat, or ErrNotDeclared).
func openSeat(ctx context.Context, db bun.IDB, actor *awards.Actor, publicID string, lock bool) (seatAccess, error) {
	var a seatAccess
	if actor.Anonymous() {
		return a, awards.Errorf(awards.EUnauthenticated, "log in to continue")
	}
	q := cycleSelect + ` WHERE c.public_id = ?`
	if lock {
		q += ` FOR UPDATE OF c`
	}
	if err := db.NewRaw(q, publicID).Scan(ctx, &a.cycle); err != nil {
		return a, postgres.Map(fmt.Sprintf("load cycle %q", publicID), err)
	}
	if awards.AwardKind(a.cycle.AwardKind) == awards.KindProgramme {
		return a, awards.NotForProgramme("jury to bid")
	}
	var seats []struct {
		ID       int64 `bun:"id"`
		Declared bool  `bun:"declared"`
		Open     bool  `bun:"open"`
	}
	if err := db.NewRaw(`SELECT j.id, j.declared_at IS NOT NULL AS declared, bidding_open(c) AS open
		FROM jurors j JOIN cycles c ON c.id = j.cycle_id
		WHERE j.cycle_id = ? AND j.user_id = ? AND j.removed_at IS NULL`, a.cycle.ID, actor.User.ID).Scan(ctx, &seats); err != nil {
		return a, postgres.Map("load seat", err)
	}
	switch {
	case len(seats) == 0 && policy.CanSeeCycle(actor, a.cycle.ID, a.cycle.Phase):
		return a, awards.Errorf(awards.EForbidden, "only the cycle's jurors bid on its nominations")
	case len(seats) == 0:
		return a, awards.Errorf(awards.ENotFound, "not found")
	case !seats[0].Declared:
		return a, &awards.Error{Code: awards.EForbidden, Err: ErrNotDeclared,
			Message: "declare your conflicts of interest before you bid"}
	}
	a.seat, a.declared, a.open = seats[0].ID, true, seats[0].Open
	return a, nil
}

// bidRow is a nomination with the seat's bid on it.
type bidRow struct {
	ID       int64  `bun:"id"`
	PublicID string `bun:"public_id"`
	Title    string `bun:"title"`
	Summary  string `bun:"summary"`
	Nominees string `bun:"nominees"`
	Hidden   bool   `bun:"hidden"`
	Bid      string `bun:"bid"`
}

func loadBidRows(ctx context.Context, db bun.IDB, a access) ([]bidRow, error) {
	var out []bidRow
	args := append([]any{}, a.hiddenArgs()...)
	args = append(args, a.seat, a.cycle.ID)
	err := db.NewRaw(`SELECT n.id, n.public_id, n.title, n.summary,
			coalesce((SELECT string_agg(o.name, E'\n' ORDER BY o.name) FROM nomination_organisations no
				JOIN organisations o ON o.id = no.organisation_id WHERE no.nomination_id = n.id), '') AS nominees,
			`+hiddenSQL+` AS hidden,
			coalesce(b.bid, 'willing') AS bid
		FROM nominations n LEFT JOIN juror_bids b ON b.nomination_id = n.id AND b.juror_id = ?
		WHERE n.cycle_id = ? AND in_the_running(n.status)
		ORDER BY n.title, n.id`, args...).Scan(ctx, &out)
	return out, postgres.Map("list bids", err)
}

func bidding(a seatAccess, rows []bidRow) Bidding {
	b := Bidding{Cycle: a.cycle, Open: a.open, Items: []BidItem{}}
	for _, r := range rows {
		if r.Hidden {
			continue
		}
		n := nominationRow{Nominees: r.Nominees}
		b.Items = append(b.Items, BidItem{Nomination: r.PublicID, Title: r.Title, Nominees: n.nominees(),
			Summary: r.Summary, Bid: Bid(r.Bid)})
	}
	return b
}

// MyBids returns the actor's bids in the cycle with publicID, one per
// nomination they may bid on (Willing where they marked nothing), and
// whether bidding is open. Seated jurors who have declared their
// conflicts only: EUnauthenticated, ENotFound, EForbidden (ErrNotDeclared
// for an undeclared juror).
func (s *Service) MyBids(ctx context.Context, actor *awards.Actor, publicID string) (Bidding, error) {
	a, err := openSeat(ctx, s.db, actor, publicID, false)
	if err != nil {
		return Bidding{}, err
	}
	rows, err := loadBidRows(ctx, s.db, a.access)
	if err != nil {
		return Bidding{}, err
	}
	return bidding(a, rows), nil
}

// SetBids replaces the actor's bids in the cycle with publicID: the
// nominations listed get the bid given, every other one is Willing. The
// change is audited and made in one transaction, all or nothing; nothing
// is written or audited when nothing changes.
//
// Seated, declared jurors while bidding is open (bidding_open: the cycle
// assigns automatically, after the call and before the first automatic
// run). Returns EInvalid with field errors "bids[i].nomination_id"
// (assignment.error.bid_nomination: not a nomination in the running;
// assignment.error.bid_conflict: one the juror steps aside from or has
// not declared about; assignment.error.duplicate) and "bids[i].bid"
// (assignment.error.bid); EConflict (ErrBiddingClosed); and MyBids's
// errors.
func (s *Service) SetBids(ctx context.Context, actor *awards.Actor, publicID string, changes []BidChange) (Bidding, error) {
	var out Bidding
	err := postgres.InTx(ctx, s.db, func(ctx context.Context, tx bun.Tx) error {
		a, err := openSeat(ctx, tx, actor, publicID, true)
		if err != nil {
			return err
		}
		if !a.open {
			return &awards.Error{Code: awards.EConflict, Reason: awards.ReasonNotOpen, Err: ErrBiddingClosed,
				Message: "bidding is closed: bids are taken after the call closes and before the automatic assignment runs"}
		}
		rows, err := loadBidRows(ctx, tx, a.access)
		if err != nil {
			return err
		}
		byPublic := make(map[string]bidRow, len(rows))
		for _, r := range rows {
			byPublic[r.PublicID] = r
		}
		errs := map[string]string{}
		next := map[int64]Bid{}
		for i, c := range changes {
			r, ok := byPublic[c.Nomination]
			switch {
			case !ok:
				errs[fmt.Sprintf("bids[%d].nomination_id", i)] = "assignment.error.bid_nomination"
			case r.Hidden:
				errs[fmt.Sprintf("bids[%d].nomination_id", i)] = "assignment.error.bid_conflict"
			default:
				if _, dup := next[r.ID]; dup {
					errs[fmt.Sprintf("bids[%d].nomination_id", i)] = "assignment.error.duplicate"
				}
				next[r.ID] = c.Bid
			}
			if !c.Bid.Valid() {
				errs[fmt.Sprintf("bids[%d].bid", i)] = "assignment.error.bid"
			}
		}
		if len(errs) > 0 {
			return awards.Invalid(errs)
		}
		before, after := map[string]Bid{}, map[string]Bid{}
		var ids []int64
		var values []string
		for i, r := range rows {
			old, now := Bid(r.Bid), BidWilling
			if b, ok := next[r.ID]; ok {
				now = b
			}
			if r.Hidden {
				// A bid on a nomination the juror now steps aside from is
				// kept as it was: the solver ignores it.
				now = old
			}
			if old != now {
				before[r.PublicID], after[r.PublicID] = old, now
			}
			rows[i].Bid = string(now)
			if now != BidWilling {
				ids, values = append(ids, r.ID), append(values, string(now))
			}
		}
		if len(after) > 0 {
			if _, err := tx.ExecContext(ctx, `DELETE FROM juror_bids WHERE juror_id = ?`, a.seat); err != nil {
				return postgres.Map("clear bids", err)
			}
			if len(ids) > 0 {
				if _, err := tx.ExecContext(ctx, `INSERT INTO juror_bids (juror_id, nomination_id, bid)
					SELECT ?, nomination_id, bid FROM unnest(?::bigint[], ?::text[]) AS b(nomination_id, bid)`,
					a.seat, pgdialect.Array(ids), pgdialect.Array(values)); err != nil {
					return postgres.Map("save bids", err)
				}
			}
			if err := audit.Record(ctx, tx, actor.User.ID, "assign_bids", "juror", a.seat, before, after); err != nil {
				return err
			}
		}
		out = bidding(a, rows)
		return nil
	})
	return out, err
}

// loadBids returns the bids of the cycle's seated jurors for the solver.
func loadBids(ctx context.Context, db bun.IDB, cycleID int64) (map[pair]Bid, error) {
	var rows []struct {
		JurorID      int64  `bun:"juror_id"`
		NominationID int64  `bun:"nomination_id"`
		Bid          string `bun:"bid"`
	}
	err := db.NewRaw(`SELECT b.juror_id, b.nomination_id, b.bid FROM juror_bids b JOIN jurors j ON j.id = b.juror_id
		WHERE j.cycle_id = ? AND j.removed_at IS NULL`, cycleID).Scan(ctx, &rows)
	if err != nil {
		return nil, postgres.Map("list bids", err)
	}
	out := make(map[pair]Bid, len(rows))
	for _, r := range rows {
		out[pair{r.JurorID, r.NominationID}] = Bid(r.Bid)
	}
	return out, nil
}
