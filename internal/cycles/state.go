package cycles

import (
	"context"
	"fmt"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// State is what the steps of an award's flow need to know about one
// cycle: whose it is, its settings, its dates, its phase and what is open
// now by the database's clock. cycles owns it: the other packages load it
// with StateByID or StateByPublicID, or select StateColumns in a query of
// their own over StateFrom, rather than reading the cycle's row and
// working its state out again.
//
// Judging goes in rounds (awards.Round): Round is the current one, and
// ScoringOpen and RoundDeadline are that round's.
type State struct {
	ID       int64        `bun:"cycle_id"`
	PublicID string       `bun:"cycle_public_id"`
	Year     int          `bun:"cycle_year"`
	Title    string       `bun:"cycle_title"`
	Phase    awards.Phase `bun:"cycle_phase"`

	AwardID     int64            `bun:"award_id"`
	AwardSlug   string           `bun:"award_slug"`
	AwardNameNB string           `bun:"award_name_nb"`
	AwardNameNN string           `bun:"award_name_nn"`
	AwardNameEN string           `bun:"award_name_en"`
	AwardKind   awards.AwardKind `bun:"award_kind"`
	// OwnerID is the award's owner, 0 for none.
	OwnerID int64 `bun:"award_owner_id"`

	// The limits of the call (awards.Cycle says what each means).
	EligibleKinds        []awards.OrgKind `bun:"cycle_eligible_kinds,array"`
	MaxNominationsPerOrg int              `bun:"cycle_max_nominations_per_org"`
	MaxProjects          int              `bun:"cycle_max_projects"`
	PublishAll           bool             `bun:"cycle_publish_all"`
	ReminderDays         []int            `bun:"cycle_reminder_days,array"`

	CallOpensAt        *time.Time `bun:"cycle_call_opens_at"`
	NominationDeadline *time.Time `bun:"cycle_nomination_deadline"`
	ScoringDeadline    *time.Time `bun:"cycle_scoring_deadline"`
	AnnouncementAt     *time.Time `bun:"cycle_announcement_at"`

	// NominationsOpen: the call takes nominations and changes to them now
	// (the database's nominations_open(c)).
	NominationsOpen bool `bun:"cycle_nominations_open"`
	// DeadlinePassed: the nomination deadline is behind (false without
	// one), so a closed call is late rather than not yet open.
	DeadlinePassed bool `bun:"cycle_deadline_passed"`
	// ScoringOpen: jurors may save and submit scores now, in the current
	// round (scoring_open(c)).
	ScoringOpen bool `bun:"cycle_scoring_open"`
	// Now is the database's clock the facts above were read by: the start
	// of the transaction.
	Now time.Time `bun:"cycle_now"`

	// The current round: its ID, position (from 1) and kind, and how
	// many rounds the cycle has.
	RoundID       int64            `bun:"cycle_round_id"`
	RoundPosition int              `bun:"cycle_round_position"`
	RoundKind     awards.RoundKind `bun:"cycle_round_kind"`
	RoundNameNB   string           `bun:"cycle_round_name_nb"`
	RoundNameNN   string           `bun:"cycle_round_name_nn"`
	RoundNameEN   string           `bun:"cycle_round_name_en"`
	Rounds        int              `bun:"cycle_rounds"`
	// RoundDeadline is the current round's scoring deadline: its own, or
	// the cycle's.
	RoundDeadline *time.Time `bun:"cycle_round_deadline"`
}

// RoundName returns the current round's name in lang, falling back to
// bokmål.
func (s State) RoundName(lang string) string {
	return awards.Round{NameNB: s.RoundNameNB, NameNN: s.RoundNameNN, NameEN: s.RoundNameEN}.Name(lang)
}

// FinalRound reports whether the current round is the cycle's last.
func (s State) FinalRound() bool { return s.RoundPosition >= s.Rounds }

// StateFrom is the FROM clause StateColumns reads: the cycle as c, its
// award as a, its current round as cycle_round.
const StateFrom = `cycles c JOIN awards a ON a.id = c.award_id JOIN rounds cycle_round ON cycle_round.id = current_round(c.id)`

// StateColumns selects a State from StateFrom, in the order of Dest. The
// names are prefixed, so that a query may select them beside the columns
// of other tables and scan them into a struct that embeds State. The
// arrays come as text, which scans the same whichever format the driver
// asks for (the binary one of a prepared statement too).
const StateColumns = `c.id AS cycle_id, c.public_id AS cycle_public_id, c.year AS cycle_year, c.title AS cycle_title,
	c.phase AS cycle_phase, a.id AS award_id, a.slug AS award_slug, a.name_nb AS award_name_nb, a.name_nn AS award_name_nn,
	a.name_en AS award_name_en, a.kind AS award_kind, coalesce(a.owner_id, 0) AS award_owner_id,
	c.eligible_kinds::text AS cycle_eligible_kinds, c.max_nominations_per_org AS cycle_max_nominations_per_org,
	c.max_projects AS cycle_max_projects, c.publish_all AS cycle_publish_all, c.reminder_days::text AS cycle_reminder_days,
	c.call_opens_at AS cycle_call_opens_at, c.nomination_deadline AS cycle_nomination_deadline,
	c.scoring_deadline AS cycle_scoring_deadline, c.announcement_at AS cycle_announcement_at,
	nominations_open(c) AS cycle_nominations_open,
	now() >= coalesce(c.nomination_deadline, 'infinity') AS cycle_deadline_passed,
	scoring_open(c) AS cycle_scoring_open, now() AS cycle_now,
	cycle_round.id AS cycle_round_id, cycle_round.position AS cycle_round_position, cycle_round.kind AS cycle_round_kind,
	cycle_round.name_nb AS cycle_round_name_nb, cycle_round.name_nn AS cycle_round_name_nn, cycle_round.name_en AS cycle_round_name_en,
	(SELECT count(*) FROM rounds x WHERE x.cycle_id = c.id) AS cycle_rounds,
	coalesce(cycle_round.scoring_deadline, c.scoring_deadline) AS cycle_round_deadline`

// Dest returns where database/sql's Scan puts the columns of
// StateColumns, in their order, for queries that scan by position.
func (s *State) Dest() []any {
	return []any{&s.ID, &s.PublicID, &s.Year, &s.Title, &s.Phase, &s.AwardID, &s.AwardSlug, &s.AwardNameNB, &s.AwardNameNN,
		&s.AwardNameEN, &s.AwardKind, &s.OwnerID, pgdialect.Array(&s.EligibleKinds), &s.MaxNominationsPerOrg, &s.MaxProjects,
		&s.PublishAll, pgdialect.Array(&s.ReminderDays), &s.CallOpensAt, &s.NominationDeadline, &s.ScoringDeadline,
		&s.AnnouncementAt, &s.NominationsOpen, &s.DeadlinePassed, &s.ScoringOpen, &s.Now,
		&s.RoundID, &s.RoundPosition, &s.RoundKind, &s.RoundNameNB, &s.RoundNameNN, &s.RoundNameEN, &s.Rounds, &s.RoundDeadline}
}

// Lock is the lock a loader takes on the cycle's row, held to the end of
// the transaction.
type Lock string

// Locks, weakest first. ForShare keeps the cycle's state as read while
// others read it too; ForNoKeyUpdate and ForUpdate serialise the changes
// made under them, ForNoKeyUpdate still letting rows that refer to the
// cycle be added meanwhile.
const (
	NoLock         Lock = ""
	ForShare       Lock = " FOR SHARE OF c"
	ForNoKeyUpdate Lock = " FOR NO KEY UPDATE OF c"
	ForUpdate      Lock = " FOR UPDATE OF c"
)

// StateByID loads the state of cycle id, whoever asks: the caller decides
// who may know it. Returns ENotFound for an unknown cycle.
func StateByID(ctx context.Context, db bun.IDB, id int64, lock Lock) (State, error) {
	return loadState(ctx, db, fmt.Sprintf("load cycle %d", id), `c.id = ?`, id, lock)
}

// StateByPublicID loads the state of the cycle with publicID, as
// StateByID.
func StateByPublicID(ctx context.Context, db bun.IDB, publicID string, lock Lock) (State, error) {
	return loadState(ctx, db, fmt.Sprintf("load cycle %q", publicID), `c.public_id = ?`, publicID, lock)
}

func loadState(ctx context.Context, db bun.IDB, op, where string, arg any, lock Lock) (State, error) {
	var s State
	err := db.QueryRowContext(ctx, `SELECT `+StateColumns+` FROM `+StateFrom+` WHERE `+where+string(lock), arg).Scan(s.Dest()...)
	if err != nil {
		return State{}, postgres.Map(op, err)
	}
	return s, nil
}

// closedAtSQL is the instant cycle ? last moved to closed, from the
// audit log (NULL when the log has none, as for a cycle set up by SQL).
const closedAtSQL = `(SELECT max(l.at) FROM audit_log l WHERE l.entity = 'cycle'
	AND l.entity_id = ? AND l.action = 'transition' AND l.after->>'phase' = 'closed')`

// ClosedAt returns when an admin last moved cycle id to closed, nil when
// the audit log does not say.
func ClosedAt(ctx context.Context, db bun.IDB, id int64) (*time.Time, error) {
	var at *time.Time
	if err := db.QueryRowContext(ctx, `SELECT `+closedAtSQL, id).Scan(&at); err != nil {
		return nil, postgres.Map(fmt.Sprintf("find when cycle %d closed", id), err)
	}
	return at, nil
}

// AwardName returns the award's name in lang, falling back to bokmål.
func (s State) AwardName(lang string) string {
	return awards.Award{NameNB: s.AwardNameNB, NameNN: s.AwardNameNN, NameEN: s.AwardNameEN}.Name(lang)
}

// Programme reports whether the cycle is a programme's, which has
// participants and no jury, scores or announcements.
func (s State) Programme() bool { return s.AwardKind == awards.KindProgramme }

// Cycle returns the state as an awards.Cycle, without the texts.
func (s State) Cycle() awards.Cycle {
	return awards.Cycle{ID: s.ID, PublicID: s.PublicID, AwardID: s.AwardID, AwardSlug: s.AwardSlug, AwardName: s.AwardNameNB,
		AwardKind: s.AwardKind, Year: s.Year, Title: s.Title, Phase: s.Phase, EligibleKinds: s.EligibleKinds,
		MaxNominationsPerOrg: s.MaxNominationsPerOrg, MaxProjects: s.MaxProjects, PublishAll: s.PublishAll,
		CallOpensAt: s.CallOpensAt, NominationDeadline: s.NominationDeadline, ScoringDeadline: s.ScoringDeadline,
		AnnouncementAt: s.AnnouncementAt, ReminderDays: s.ReminderDays}
}
