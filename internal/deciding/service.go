package deciding

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// Service ranks a cycle's nominations and records the jury's decision and
// feedback.
type Service struct {
	db    bun.IDB
	cache *cache
	// StateTTL is how long the version of a cycle's ranking data, once
	// read, is trusted without reading it again (see RankingFor); 0 reads
	// it on every call.
	StateTTL time.Duration
}

// NewService returns a Service over db. It keeps computed rankings in
// memory, checked against the database (see RankingFor).
func NewService(db bun.IDB) *Service {
	return &Service{db: db, cache: newCache(16, 2_000_000), StateTTL: DefaultStateTTL}
}

// Causes of refusals, so that callers can explain them in the reader's
// language (errors.Is). Each comes wrapped in an *awards.Error with a code
// and an English message.
var (
	// ErrNotDeclared: the reader holds a seat in the cycle and has not
	// declared their conflicts of interest yet.
	ErrNotDeclared = errors.New("conflicts of interest not declared")
	// ErrNotChair: only the cycle's chair and site admins do this.
	ErrNotChair = errors.New("not the chair")
	// ErrClosed: the cycle's phase does not allow the change now.
	ErrClosed = errors.New("closed for changes")
)

// Cycle is what deciding needs to know about a cycle: its state, as
// cycles owns it, and how its jurors score.
type Cycle struct {
	cycles.State
	// Level is "nomination" or "project" (cycles.scoring_level); Rollup
	// is "mean" or "best" (cycles.project_rollup).
	Level  string `bun:"scoring_level"`
	Rollup string `bun:"project_rollup"`
}

// ByProject reports whether the cycle's jurors score each project.
func (c Cycle) ByProject() bool { return c.Level == "project" }

// Open reports whether the decision and the feedback may change now: while
// the jury is judging and once it has decided, until publication.
func (c Cycle) Open() bool { return c.Phase == awards.PhaseJudging || c.Phase == awards.PhaseDecided }

// Viewer is the reader of a cycle's deciding pages: the cycle and the
// reader's seat in it, if any.
type Viewer struct {
	Cycle
	// JurorID is the reader's seat in the cycle (not removed), 0 for none.
	JurorID  int64 `bun:"juror_id"`
	Chair    bool  `bun:"chair"`
	Declared bool  `bun:"declared"`
	// Admin: the reader administers the cycle's award.
	Admin bool `bun:"-"`
}

func (v Viewer) seat() policy.DecidingSeat {
	return policy.DecidingSeat{CycleID: v.ID, Seated: v.JurorID != 0, Chair: v.Chair, Declared: v.Declared}
}

// visible is an SQL condition on the nominations n the viewer may see: all
// for readers without a seat; for a seated reader, those they need not
// step aside from (juror_conflicts) and whose every nominee organisation
// they have declared about (conflict_reviews).
func (v Viewer) visible(n string) string {
	if v.JurorID == 0 {
		return "true"
	}
	return fmt.Sprintf(`(NOT EXISTS (SELECT 1 FROM juror_conflicts jc WHERE jc.juror_id = %[1]d AND jc.nomination_id = %[2]s.id)
		AND NOT EXISTS (SELECT 1 FROM nomination_organisations x WHERE x.nomination_id = %[2]s.id
			AND NOT EXISTS (SELECT 1 FROM conflict_reviews r WHERE r.juror_id = %[1]d AND r.organisation_id = x.organisation_id)))`,
		v.JurorID, n)
}

const viewerSelect = `
	SELECT ` + cycles.StateColumns + `, c.scoring_level, c.project_rollup,
		coalesce(j.id, 0) AS juror_id, coalesce(j.chair, false) AS chair, j.declared_at IS NOT NULL AS declared
	FROM ` + cycles.StateFrom + `
	LEFT JOIN jurors j ON j.cycle_id = c.id AND j.user_id = ? AND j.removed_at IS NULL`

// load reads the cycle with publicID and the actor's seat in it, and
// refuses anyone policy.CanDecide does not let through. lock takes the
// cycle's row lock, which serialises changes to its decision.
func load(ctx context.Context, db bun.IDB, actor *awards.Actor, publicID string, lock bool) (Viewer, error) {
	var v Viewer
	if actor.Anonymous() {
		return v, awards.Errorf(awards.EUnauthenticated, "log in to continue")
	}
	q := viewerSelect + ` WHERE c.public_id = ?`
	if lock {
		// NO KEY: rows that refer to the cycle may still be added meanwhile.
		q += string(cycles.ForNoKeyUpdate)
	}
	if err := db.NewRaw(q, actor.User.ID, publicID).Scan(ctx, &v); err != nil {
		return v, postgres.Map("load cycle for deciding", err)
	}
	if v.Programme() {
		return v, awards.NotForProgramme("ranking or decision")
	}
	v.Admin = actor.AdministersCycle(v.ID)
	if !policy.CanDecide(actor, v.seat()) {
		return v, refusal(v)
	}
	return v, nil
}

// loadNomination reads the cycle of the nomination with publicID (within
// the cycle with cyclePublicID, unless that is "") for the actor, as load
// does, and the nomination's row ID. A nomination the
// reader may not see, or that is not in the running, is ENotFound; so is
// any nomination for readers who are neither its cycle's chair nor
// admins, unless they hold a seat in its cycle (EForbidden).
func loadNomination(ctx context.Context, db bun.IDB, actor *awards.Actor, cyclePublicID, publicID string, lock bool) (Viewer, int64, error) {
	if actor.Anonymous() {
		return Viewer{}, 0, awards.Errorf(awards.EUnauthenticated, "log in to continue")
	}
	var ref struct {
		Cycle string `bun:"cycle"`
		ID    int64  `bun:"id"`
	}
	err := db.NewRaw(`SELECT c.public_id AS cycle, n.id FROM nominations n JOIN cycles c ON c.id = n.cycle_id
		WHERE n.public_id = ? AND (? = '' OR c.public_id = ?) AND in_the_running(n.status)`, publicID, cyclePublicID, cyclePublicID).Scan(ctx, &ref)
	if err != nil {
		return Viewer{}, 0, postgres.Map("load nomination for deciding", err)
	}
	v, err := load(ctx, db, actor, ref.Cycle, lock)
	if err != nil {
		return v, 0, err
	}
	var ok bool
	if err := db.NewRaw(`SELECT `+v.visible("n")+` FROM nominations n WHERE n.id = ?`, ref.ID).Scan(ctx, &ok); err != nil {
		return v, 0, postgres.Map("check nomination for deciding", err)
	}
	if !ok {
		return v, 0, notFound()
	}
	return v, ref.ID, nil
}

func notFound() error { return awards.Errorf(awards.ENotFound, "not found") }

// refusal explains why the actor may not decide about v's cycle. Those
// without a seat learn nothing of the jury's pages (ENotFound), as on the
// jurors' own pages; a seated juror is told why (EForbidden).
func refusal(v Viewer) error {
	switch {
	case v.JurorID == 0:
		return notFound()
	case !v.Declared:
		return &awards.Error{Code: awards.EForbidden, Err: ErrNotDeclared,
			Message: "declare your conflicts of interest in this cycle first: you see no nomination before you have"}
	}
	return &awards.Error{Code: awards.EForbidden, Err: ErrNotChair,
		Message: "only the jury's chair and administrators see the ranking and record the decision and feedback"}
}

// ErrAnnounced: the winners are out, so a change would be public at once.
var ErrAnnounced = errors.New("the winners have been announced")

// checkNotAnnounced refuses changes once the winners' announcement has
// passed (by the database clock): the decision and the feedback are public
// then, and changing them means unpublishing first, with a reason.
func checkNotAnnounced(ctx context.Context, db bun.IDB, cycleID int64) error {
	var out bool
	err := db.NewRaw(`SELECT EXISTS (SELECT 1 FROM announcements WHERE cycle_id = ? AND kind = 'winners'
		AND unpublished_at IS NULL AND publish_at <= now())`, cycleID).Scan(ctx, &out)
	if err != nil {
		return fmt.Errorf("check announcements of cycle %d: %w", cycleID, err)
	}
	if out {
		return &awards.Error{Code: awards.EConflict, Err: ErrAnnounced,
			Message: "the winners have been announced, so the decision and the feedback are public: unpublish the announcement first (with a reason) to change them"}
	}
	return nil
}

// closed explains why the cycle takes no changes to its decision now.
func closed(v Viewer) error {
	return &awards.Error{Code: awards.EConflict, Reason: awards.ReasonNotOpen, Err: ErrClosed,
		Message: fmt.Sprintf("the cycle is in phase %s: the decision and the feedback can change while the jury is judging or has decided, before publication", v.Phase)}
}
