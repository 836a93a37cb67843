package awards

import "time"

// Round is one stage of a cycle's judging, e.g. screening, a shortlist,
// a final. Every cycle has a round 1; a cycle with one round judges as
// before rounds existed. Each round has its own criteria, jurors,
// assignment, submissions and ranking. A nomination in the running takes
// part in round 1, and in a later round when the chair advanced it there
// with reasons; the current round is the first one not closed.
type Round struct {
	ID       int64
	CycleID  int64
	Position int
	Kind     RoundKind
	NameNB   string
	NameNN   string
	NameEN   string
	// ShowsEarlierResults lets the round's jurors see how nominations
	// fared in the rounds before (placing and the chair's reasons).
	ShowsEarlierResults bool
	// ScoringDeadline is the round's own deadline; nil means the cycle's.
	ScoringDeadline *time.Time
	// ClosedAt is when the chair advanced nominations out of the round.
	ClosedAt *time.Time
	// Current is the first round not closed (the last one when all are).
	Current bool
	// Started: the round is closed, or it is the current one and the
	// cycle is judging or later. A started round keeps its kind and its
	// criteria.
	Started bool
	// Jurors is how many seats serve in the round; Nominations how many
	// nominations take part in it.
	Jurors      int
	Nominations int
	// SeatIDs are the seats (jurors' IDs) serving in the round, removed
	// seats left out.
	SeatIDs []int64

	// CyclePublicID is the cycle's public ID, for links and answers.
	CyclePublicID string
}

// RoundKind says how a round judges.
type RoundKind string

// Round kinds.
const (
	// RoundScores: jurors score the nominations on the round's criteria.
	RoundScores RoundKind = "scores"
	// RoundRankedVote: jurors rank the nominations and the Schulze method
	// gives the result.
	RoundRankedVote RoundKind = "ranked_vote"
)

// Valid reports whether k is a known round kind.
func (k RoundKind) Valid() bool { return k == RoundScores || k == RoundRankedVote }

// Name returns the round's name in lang, falling back to bokmål.
func (r Round) Name(lang string) string { return pick(lang, r.NameNB, r.NameNN, r.NameEN) }

// MaxRounds is how many rounds a cycle may have.
const MaxRounds = 9
