package voting

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// Audit entries of ballots are about the juror's seat (entity "juror",
// entity ID the seat's), as a juror's bids are, and name the round inside.
const entityJuror = "juror"

// Item is one nomination of the round on a juror's ballot.
type Item struct {
	id int64
	// Nomination is the nomination's public ID.
	Nomination string
	Title      string
	Nominees   []string
	// Rank is the juror's rank of it, 1 the best; 0 unranked.
	Rank int
	// StepsAside: the juror must step aside from it (a conflict of
	// interest, or a nominee they have not declared about), so they
	// cannot rank it and their ballot abstains on it.
	StepsAside bool
	// Visible: the juror may open the nomination's jury page now.
	Visible bool
}

// Ballot is a juror's ballot in a round: the round's nominations, by
// title, with the juror's ranks.
type Ballot struct {
	Round   Round
	JurorID int64
	Items   []Item
	// SubmittedAt is when the ballot was submitted; nil for a draft.
	SubmittedAt *time.Time
	// Max is the lowest rank a nomination may get: how many nominations
	// the juror may rank.
	Max int
}

// Ranked is how many nominations the ballot ranks that count.
func (b Ballot) Ranked() int {
	n := 0
	for _, it := range b.Items {
		if it.Rank > 0 && !it.StepsAside {
			n++
		}
	}
	return n
}

// Rank is one nomination's place on a ballot, by public ID.
type Rank struct {
	Nomination string
	Rank       int
}

// stepsAsideSQL is true when juror %[1]s must step aside from nomination
// %[2]s: a conflict of interest (juror_conflicts), or a nominee
// organisation they have not declared about.
const stepsAsideSQL = `(EXISTS (SELECT 1 FROM juror_conflicts jc WHERE jc.juror_id = %[1]s AND jc.nomination_id = %[2]s)
	OR EXISTS (SELECT 1 FROM nomination_organisations no WHERE no.nomination_id = %[2]s
		AND NOT EXISTS (SELECT 1 FROM conflict_reviews cr WHERE cr.juror_id = %[1]s AND cr.organisation_id = no.organisation_id)))`

// nomineesSQL lists the names of nomination n's nominees, one a line.
const nomineesSQL = `coalesce((SELECT string_agg(o.name, E'\n' ORDER BY o.name) FROM nomination_organisations no
	JOIN organisations o ON o.id = no.organisation_id WHERE no.nomination_id = n.id), '')`

// roundNominationsSQL is the condition on nominations n of cycle %[1]s
// that take part in round %[2]s: in the running and in the round.
const roundNominationsSQL = `n.cycle_id = %[1]s AND in_the_running(n.status) AND in_round(%[2]s, n.id)`

// itemsSelect lists the nominations of round $1 (of cycle $3) with the
// ranks of juror $2.
var itemsSelect = `SELECT n.id, n.public_id, n.title, ` + nomineesSQL + ` AS nominees,
		` + fmt.Sprintf(stepsAsideSQL, "$2", "n.id") + ` AS steps_aside,
		n.id IN (SELECT v.nomination_id FROM juror_visible_nominations_of($2) v) AS visible,
		coalesce(b.rank, 0) AS rank
	FROM nominations n LEFT JOIN ballots b ON b.round_id = $1 AND b.juror_id = $2 AND b.nomination_id = n.id
	WHERE ` + fmt.Sprintf(roundNominationsSQL, "$3", "$1") + `
	ORDER BY n.title, n.id`

// loadBallot reads the juror's ballot in r.
func loadBallot(ctx context.Context, db bun.IDB, r Round) (Ballot, error) {
	b := Ballot{Round: r, JurorID: r.seat.JurorID, SubmittedAt: r.seat.SubmittedAt, Items: []Item{}}
	rows, err := postgres.Driver(db).QueryContext(ctx, itemsSelect, r.ID, b.JurorID, r.Cycle.ID)
	if err != nil {
		return b, postgres.Map("list the round's nominations", err)
	}
	defer rows.Close()
	for rows.Next() {
		var it Item
		var names string
		if err := rows.Scan(&it.id, &it.Nomination, &it.Title, &names, &it.StepsAside, &it.Visible, &it.Rank); err != nil {
			return b, postgres.Map("read the round's nominations", err)
		}
		it.Nominees = nominees(names)
		if !it.StepsAside {
			b.Max++
		}
		b.Items = append(b.Items, it)
	}
	return b, postgres.Map("list the round's nominations", rows.Err())
}

// Ballot returns the actor's ballot in round id, a draft or submitted.
// Jurors who serve in the round, also after it (read-only). Returns
// EUnauthenticated, ENotFound (no such round, or one of a cycle the actor
// may not know, and no seat), EForbidden (the cycle's admins without a
// seat; ErrNotDeclared; ErrNotServing),
// EConflict (ErrNotRankedVote; a programme's cycle).
func (s *Service) Ballot(ctx context.Context, actor *awards.Actor, id int64) (Ballot, error) {
	r, err := loadRound(ctx, s.db, actor, id)
	if err != nil {
		return Ballot{}, err
	}
	if err := mayVote(r); err != nil {
		return Ballot{}, err
	}
	return loadBallot(ctx, s.db, r)
}

// writable takes the actor's seat lock in round id's cycle, so that one
// juror's saves, submits and the chair's reopening of them happen one
// after the other, and reads the ballot for a change: Ballot's errors,
// and EConflict when it is submitted (ErrSubmitted), the round is not
// the current one (ErrNotCurrent) or the cycle takes no ballots now
// (ErrClosed).
func writable(ctx context.Context, tx bun.Tx, actor *awards.Actor, id int64) (Ballot, error) {
	if actor.Anonymous() {
		return Ballot{}, awards.Errorf(awards.EUnauthenticated, "log in first")
	}
	var seat int64
	err := tx.NewRaw(`SELECT j.id FROM jurors j JOIN rounds r ON r.cycle_id = j.cycle_id
		WHERE r.id = ? AND j.user_id = ? AND j.removed_at IS NULL FOR NO KEY UPDATE OF j`, id, actor.User.ID).Scan(ctx, &seat)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Ballot{}, postgres.Map("lock juror", err) // no seat: loadRound's and mayVote's to say
	}
	r, err := loadRound(ctx, tx, actor, id)
	if err != nil {
		return Ballot{}, err
	}
	if err := mayVote(r); err != nil {
		return Ballot{}, err
	}
	if r.seat.SubmittedAt != nil {
		return Ballot{}, &awards.Error{Code: awards.EConflict, Err: ErrSubmitted,
			Message: "your ballot is submitted and locked — ask the chair to reopen it if you need to change it"}
	}
	if err := mayChange(r); err != nil {
		return Ballot{}, err
	}
	return loadBallot(ctx, tx, r)
}

// check returns the ranks as nominations' row IDs with their ranks, or
// EInvalid with field errors "ranks[i].nomination_id" (not a nomination of
// the round, one the juror steps aside from, or given twice) and
// "ranks[i].rank" (not 1 to b.Max).
func (b Ballot) check(ranks []Rank) (map[int64]int, error) {
	byPublic := make(map[string]Item, len(b.Items))
	for _, it := range b.Items {
		byPublic[it.Nomination] = it
	}
	out, errs := map[int64]int{}, map[string]string{}
	for i, r := range ranks {
		field := fmt.Sprintf("ranks[%d].", i)
		it, ok := byPublic[r.Nomination]
		switch {
		case !ok:
			errs[field+"nomination_id"] = "voting.error.nomination"
		case it.StepsAside:
			errs[field+"nomination_id"] = "voting.error.conflict"
		default:
			if _, dup := out[it.id]; dup {
				errs[field+"nomination_id"] = "voting.error.duplicate"
			}
			out[it.id] = r.Rank
		}
		if r.Rank < 1 || r.Rank > b.Max {
			errs[field+"rank"] = "voting.error.rank"
		}
	}
	if len(errs) > 0 {
		return nil, awards.Invalid(errs)
	}
	return out, nil
}

// saveBallot replaces the ranks of juror $3 in round $2 (of cycle $1)
// with the nominations $4 and ranks $5, if the round is the current one,
// the cycle takes ballots by the database's clock and the ballot is not
// submitted; in the same statement it records the change in the audit log
// (audit.Args as $6 to $11). It returns a row when it wrote, none
// otherwise.
var saveBallot = `
	WITH gate AS (
		SELECT 1 FROM cycles c WHERE c.id = $1 AND scoring_open(c) AND current_round(c.id) = $2
			AND NOT EXISTS (SELECT 1 FROM ballot_submissions bs WHERE bs.round_id = $2 AND bs.juror_id = $3)
	), removed AS (
		DELETE FROM ballots b USING gate
		WHERE b.round_id = $2 AND b.juror_id = $3 AND b.nomination_id <> ALL ($4::bigint[])
		RETURNING 1
	), saved AS (
		INSERT INTO ballots (round_id, juror_id, nomination_id, rank)
		SELECT $2, $3, i.nomination_id, i.rank FROM unnest($4::bigint[], $5::int[]) AS i (nomination_id, rank), gate
		ON CONFLICT (round_id, juror_id, nomination_id) DO UPDATE SET rank = EXCLUDED.rank, updated_at = now()
			WHERE ballots.rank <> EXCLUDED.rank
		RETURNING 1
	), audited AS (` + audit.Insert(6, "gate") + `)
	SELECT 1 FROM gate`

// auditRanks is what the audit log keeps of a ballot: the ranks by the
// nominations' public IDs.
type auditRanks struct {
	RoundID int64          `json:"round_id"`
	Ranks   map[string]int `json:"ranks"`
}

// ranksOf returns the ranks the ballot holds, by public ID.
func (b Ballot) ranksOf() auditRanks {
	out := auditRanks{RoundID: b.Round.ID, Ranks: map[string]int{}}
	for _, it := range b.Items {
		if it.Rank > 0 {
			out.Ranks[it.Nomination] = it.Rank
		}
	}
	return out
}

// writeRanks makes b's ranks the ones given (unlisted nominations
// unranked) in tx, audited, and returns the ballot as it now stands;
// nothing is written when nothing changes.
func writeRanks(ctx context.Context, tx bun.Tx, actor *awards.Actor, b Ballot, ranks []Rank) (Ballot, error) {
	next, err := b.check(ranks)
	if err != nil {
		return b, err
	}
	before := b.ranksOf()
	changed := false
	for i, it := range b.Items {
		if next[it.id] != it.Rank {
			b.Items[i].Rank, changed = next[it.id], true
		}
	}
	if !changed {
		return b, nil
	}
	ids, values := make([]int64, 0, len(next)), make([]int32, 0, len(next))
	for id, rank := range next {
		ids, values = append(ids, id), append(values, int32(rank))
	}
	entry, err := audit.Args(actor.User.ID, "ballot_save", entityJuror, b.JurorID, before, b.ranksOf())
	if err != nil {
		return b, err
	}
	args := append([]any{b.Round.Cycle.ID, b.Round.ID, b.JurorID, ids, values}, entry...)
	var one int
	err = postgres.Driver(tx).QueryRowContext(ctx, saveBallot, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		// Checked before, under the same clock and lock: the phase or the
		// round has moved meanwhile.
		return b, closedNow(ctx, tx, actor, b.Round.ID)
	}
	return b, postgres.Map("save ballot", err)
}

// Save makes the actor's draft ballot in round id rank the nominations
// given, each from 1 (best) to Ballot.Max, equal ranks allowed; the
// round's other nominations become unranked. All or nothing, with one
// audit entry holding the ranks before and after (none when nothing
// changes). Jurors who serve in the round, while it is the current one
// and the cycle takes ballots. Returns Ballot's errors, EInvalid (fields
// "ranks[i].nomination_id": voting.error.nomination, voting.error.conflict,
// voting.error.duplicate; "ranks[i].rank": voting.error.rank) and
// EConflict (ErrSubmitted, ErrNotCurrent, ErrClosed).
func (s *Service) Save(ctx context.Context, actor *awards.Actor, id int64, ranks []Rank) (Ballot, error) {
	var out Ballot
	err := postgres.InTx(ctx, s.db, func(ctx context.Context, tx bun.Tx) error {
		b, err := writable(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		out, err = writeRanks(ctx, tx, actor, b, ranks)
		return err
	})
	return out, err
}

// Submit submits the actor's ballot in round id, after saving ranks first
// when they are not nil (as Save does, in the same transaction): from
// then on it counts and cannot change until the chair or an admin
// reopens it. The ballot must rank at least one nomination. Returns
// Save's errors, and EInvalid (field "ranks": voting.error.empty;
// ErrEmpty).
func (s *Service) Submit(ctx context.Context, actor *awards.Actor, id int64, ranks []Rank) (Ballot, error) {
	var out Ballot
	err := postgres.InTx(ctx, s.db, func(ctx context.Context, tx bun.Tx) error {
		b, err := writable(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if ranks != nil {
			if b, err = writeRanks(ctx, tx, actor, b, ranks); err != nil {
				return err
			}
		}
		if b.Ranked() == 0 {
			return &awards.Error{Code: awards.EInvalid, Err: ErrEmpty, Message: "rank at least one nomination before submitting",
				Fields: map[string]string{"ranks": "voting.error.empty"}}
		}
		var at time.Time
		err = tx.NewRaw(`INSERT INTO ballot_submissions (round_id, juror_id)
			SELECT ?, ? FROM cycles c WHERE c.id = ? AND scoring_open(c) AND current_round(c.id) = ?
			ON CONFLICT DO NOTHING RETURNING submitted_at`, b.Round.ID, b.JurorID, b.Round.Cycle.ID, b.Round.ID).Scan(ctx, &at)
		if errors.Is(err, sql.ErrNoRows) {
			// Under the juror's lock no other submission can have slipped
			// in, so the phase or the round has moved meanwhile.
			return closedNow(ctx, tx, actor, b.Round.ID)
		}
		if err != nil {
			return postgres.Map("submit ballot", err)
		}
		b.SubmittedAt = &at
		out = b
		after := b.ranksOf()
		return audit.Record(ctx, tx, actor.User.ID, "ballot_submit", entityJuror, b.JurorID, nil,
			map[string]any{"round_id": after.RoundID, "ranks": after.Ranks, "submitted_at": at})
	})
	return out, err
}
