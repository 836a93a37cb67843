package voting

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// Service runs the ranked votes of rounds.
type Service struct {
	db *postgres.DB
}

// NewService returns a Service over db.
func NewService(db *postgres.DB) *Service { return &Service{db: db} }

// Causes of refusals, so that callers can tell them apart with errors.Is
// and explain each in the reader's language (MessageKey).
var (
	// ErrNotDeclared: the juror has not declared their conflicts of
	// interest in the cycle yet.
	ErrNotDeclared = errors.New("conflicts of interest not declared")
	// ErrNotRankedVote: the round judges by scores, not by a ranked vote.
	ErrNotRankedVote = errors.New("not a ranked vote")
	// ErrNotCurrent: the round is not the cycle's current one, so its
	// ballots cannot change.
	ErrNotCurrent = errors.New("not the current round")
	// ErrNotServing: the juror's seat does not serve in the round.
	ErrNotServing = errors.New("not serving in the round")
	// ErrClosed: the cycle takes no ballots now (not judging, or past the
	// round's deadline).
	ErrClosed = errors.New("voting is closed")
	// ErrSubmitted: the juror's ballot is submitted and locked.
	ErrSubmitted = errors.New("ballot already submitted")
	// ErrNotSubmitted: there is no submitted ballot to reopen.
	ErrNotSubmitted = errors.New("ballot not submitted")
	// ErrEmpty: a ballot that ranks nothing cannot be submitted.
	ErrEmpty = errors.New("ballot ranks nothing")
	// ErrNotChair: only the chair and the cycle's admins see the result
	// and reopen ballots.
	ErrNotChair = errors.New("not the chair")
)

// Message keys of the refusals above, for MessageKey; field errors carry
// their keys themselves.
var messageKeys = []struct {
	err error
	key string
}{
	{ErrNotDeclared, "voting.error.not_declared"},
	{ErrNotRankedVote, "voting.error.not_ranked_vote"},
	{ErrNotCurrent, "voting.error.not_current"},
	{ErrNotServing, "voting.error.not_serving"},
	{ErrSubmitted, "voting.error.submitted"},
	{ErrNotSubmitted, "voting.error.not_submitted"},
	{ErrEmpty, "voting.error.empty"},
	{ErrNotChair, "voting.error.not_chair"},
}

// MessageKey returns the message key that explains err to a reader, ""
// when err is none of this package's refusals. A closed vote is
// "voting.error.deadline" when the round's deadline has passed, else
// "voting.error.closed".
func MessageKey(err error) string {
	if errors.Is(err, ErrClosed) {
		if awards.ErrorReason(err) == awards.ReasonDeadlinePassed {
			return "voting.error.deadline"
		}
		return "voting.error.closed"
	}
	for _, m := range messageKeys {
		if errors.Is(err, m.err) {
			return m.key
		}
	}
	return ""
}

// Round is a ranked vote's round, with its cycle and the reader's seat.
type Round struct {
	awards.Round
	Cycle cycles.State
	// Deadline is the round's deadline: its own, or the cycle's.
	Deadline *time.Time
	// Open: ballots may be saved, submitted and reopened now: the round
	// is a ranked vote and the cycle's current round, and scoring_open
	// holds by the database's clock.
	Open bool
	// Over: voting in the round has ended: its deadline has passed, it
	// was closed, or the cycle has moved on past judging.
	Over bool
	// Now is the database's clock the facts were read by.
	Now time.Time
	// Leads: the reader sees the result and reopens ballots (the cycle's
	// declared chair and its admins).
	Leads bool

	// admin: the reader administers the cycle.
	admin bool

	seat seat
}

// seat is the reader's seat in the round's cycle (JurorID 0 for none).
type seat struct {
	JurorID     int64
	Chair       bool
	Declared    bool
	Serving     bool
	SubmittedAt *time.Time
}

// roundSelect reads round $2 with its cycle's state and the seat of user
// $1 in the cycle.
const roundSelect = `
	SELECT ` + cycles.StateColumns + `, r.id, r.cycle_id, r.position, r.kind, r.name_nb, r.name_nn, r.name_en,
		r.shows_earlier_results, r.scoring_deadline, r.closed_at, r.id = cycle_round.id AS current,
		coalesce(j.id, 0), coalesce(j.chair, false), coalesce(j.declared_at IS NOT NULL, false),
		EXISTS (SELECT 1 FROM round_jurors rj WHERE rj.round_id = r.id AND rj.juror_id = j.id) AS serving,
		(SELECT bs.submitted_at FROM ballot_submissions bs WHERE bs.round_id = r.id AND bs.juror_id = j.id) AS submitted_at
	FROM rounds r
	JOIN ` + cycles.StateFrom + ` ON c.id = r.cycle_id
	LEFT JOIN jurors j ON j.cycle_id = c.id AND j.user_id = $1 AND j.removed_at IS NULL
	WHERE r.id = $2`

// loadRound reads round id and the actor's seat in its cycle. A round of
// a cycle the actor may not know (in draft), and an unknown one, are
// ENotFound; a programme's cycle has no vote (EConflict).
func loadRound(ctx context.Context, db bun.IDB, actor *awards.Actor, id int64) (Round, error) {
	var r Round
	if actor.Anonymous() {
		return r, awards.Errorf(awards.EUnauthenticated, "log in first")
	}
	dest := append(r.Cycle.Dest(), &r.ID, &r.CycleID, &r.Position, &r.Kind, &r.NameNB, &r.NameNN, &r.NameEN,
		&r.ShowsEarlierResults, &r.ScoringDeadline, &r.ClosedAt, &r.Current,
		&r.seat.JurorID, &r.seat.Chair, &r.seat.Declared, &r.seat.Serving, &r.seat.SubmittedAt)
	if err := postgres.Driver(db).QueryRowContext(ctx, roundSelect, actor.User.ID, id).Scan(dest...); err != nil {
		return r, postgres.Map(fmt.Sprintf("load round %d", id), err)
	}
	if !policy.CanSeeCycle(actor, r.Cycle.ID, r.Cycle.Phase) {
		return r, notFound()
	}
	if r.Cycle.Programme() {
		return r, awards.NotForProgramme("ranked vote")
	}
	r.Now = r.Cycle.Now
	r.Deadline = r.ScoringDeadline
	if r.Deadline == nil {
		r.Deadline = r.Cycle.ScoringDeadline
	}
	r.Leads = r.leads(actor)
	r.admin = actor.AdministersCycle(r.Cycle.ID)
	r.Open = r.Current && r.Kind == awards.RoundRankedVote && r.Cycle.ScoringOpen
	r.Over = r.ClosedAt != nil || r.Deadline != nil && !r.Now.Before(*r.Deadline) ||
		r.Cycle.Phase == awards.PhaseDecided || r.Cycle.Phase == awards.PhasePublished
	return r, nil
}

func notFound() error { return awards.Errorf(awards.ENotFound, "not found") }

// mayVote returns nil when the actor votes in r: a declared seat that
// serves in the round, a ranked vote. Without a seat: ENotFound, as on the
// jury's other pages (EForbidden for the cycle's admins); undeclared:
// EForbidden, ErrNotDeclared; EConflict, ErrNotRankedVote; EForbidden,
// ErrNotServing.
func mayVote(r Round) error {
	switch {
	case r.seat.JurorID == 0 && r.admin:
		return awards.Errorf(awards.EForbidden, "only the round's jurors vote")
	case r.seat.JurorID == 0:
		return notFound()
	case !r.seat.Declared:
		return &awards.Error{Code: awards.EForbidden, Err: ErrNotDeclared,
			Message: "declare your conflicts of interest in this cycle first: you see no nomination before you have"}
	case r.Kind != awards.RoundRankedVote:
		return notRankedVote()
	case !r.seat.Serving:
		return &awards.Error{Code: awards.EForbidden, Err: ErrNotServing, Message: "your seat does not serve in this round"}
	}
	return nil
}

func notRankedVote() error {
	return &awards.Error{Code: awards.EConflict, Err: ErrNotRankedVote,
		Message: "this round judges by scores, not by a ranked vote"}
}

// mayChange returns nil when r's ballots may change now; the errors say
// why not: the round is not current (ErrNotCurrent) or the cycle takes
// no ballots (ErrClosed).
func mayChange(r Round) error {
	if !r.Current {
		return &awards.Error{Code: awards.EConflict, Reason: awards.ReasonNotOpen, Err: ErrNotCurrent,
			Message: "this round is not the cycle's current one: its ballots can no longer change"}
	}
	if !r.Cycle.ScoringOpen {
		return closedError(r)
	}
	return nil
}

// closedError explains why the round takes no ballots now.
func closedError(r Round) error {
	switch {
	case r.Cycle.Phase != awards.PhaseJudging:
		return &awards.Error{Code: awards.EConflict, Reason: awards.ReasonNotOpen, Err: ErrClosed,
			Message: fmt.Sprintf("the cycle is in phase %s, not judging: ballots can only change while the jury is judging", r.Cycle.Phase)}
	case r.Deadline != nil:
		return &awards.Error{Code: awards.EConflict, Reason: awards.ReasonDeadlinePassed, Err: ErrClosed,
			Message: fmt.Sprintf("the round's deadline (%s) has passed", awards.ErrorTime(*r.Deadline))}
	}
	return &awards.Error{Code: awards.EConflict, Reason: awards.ReasonNotOpen, Err: ErrClosed, Message: "the round takes no ballots now"}
}

// closedNow reads round id again, after a gated write found it closed,
// and explains why.
func closedNow(ctx context.Context, db bun.IDB, actor *awards.Actor, id int64) error {
	r, err := loadRound(ctx, db, actor, id)
	if err != nil {
		return err
	}
	if err := mayChange(r); err != nil {
		return err
	}
	return closedError(r)
}

// leads reports whether the actor sees r's result and reopens its
// ballots: the cycle's declared chair and its admins, as for the ranking.
func (r Round) leads(actor *awards.Actor) bool {
	return policy.CanDecide(actor, policy.DecidingSeat{CycleID: r.Cycle.ID, Seated: r.seat.JurorID != 0,
		Chair: r.seat.Chair, Declared: r.seat.Declared})
}

// loadLedVote loads round id for those who lead its vote, the cycle's
// declared chair and its admins (leadRefusal for anyone else), and
// refuses a round that judges by scores.
func loadLedVote(ctx context.Context, db bun.IDB, actor *awards.Actor, id int64) (Round, error) {
	r, err := loadRound(ctx, db, actor, id)
	switch {
	case err != nil:
		return r, err
	case !r.Leads:
		return r, leadRefusal(r)
	case r.Kind != awards.RoundRankedVote:
		return r, notRankedVote()
	}
	return r, nil
}

// leadRefusal explains why the actor may not see r's result: without a
// seat they learn nothing (ENotFound), a seated juror is told why.
func leadRefusal(r Round) error {
	switch {
	case r.seat.JurorID == 0:
		return notFound()
	case !r.seat.Declared:
		return &awards.Error{Code: awards.EForbidden, Err: ErrNotDeclared,
			Message: "declare your conflicts of interest in this cycle first: you see no nomination before you have"}
	}
	return &awards.Error{Code: awards.EForbidden, Err: ErrNotChair,
		Message: "only the jury's chair and administrators see the vote's result and reopen ballots"}
}

// CycleRound returns the ID of the cycle's ranked vote that its pages
// show: the current round when it is a ranked vote, else the last ranked
// vote before it. Anyone logged in who may know the cycle; ENotFound when
// it has none (yet).
func (s *Service) CycleRound(ctx context.Context, actor *awards.Actor, cyclePublicID string) (int64, error) {
	if actor.Anonymous() {
		return 0, awards.Errorf(awards.EUnauthenticated, "log in first")
	}
	var c cycles.State
	var round int64
	err := postgres.Driver(s.db).QueryRowContext(ctx, `SELECT `+cycles.StateColumns+`,
			coalesce((SELECT r.id FROM rounds r WHERE r.cycle_id = c.id AND r.kind = 'ranked_vote'
				AND r.position <= cycle_round.position ORDER BY r.position DESC LIMIT 1), 0)
		FROM `+cycles.StateFrom+` WHERE c.public_id = $1`, cyclePublicID).Scan(append(c.Dest(), &round)...)
	if err != nil {
		return 0, postgres.Map(fmt.Sprintf("find the ranked vote of cycle %q", cyclePublicID), err)
	}
	if round == 0 || !policy.CanSeeCycle(actor, c.ID, c.Phase) {
		return 0, awards.Errorf(awards.ENotFound, "this cycle has no ranked vote")
	}
	return round, nil
}

// nominees splits the nominee names of a row.
func nominees(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, "\n")
}
