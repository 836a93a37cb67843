package jury

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// unreviewedSQL is true for a juror row j when an organisation nominated
// in its cycle (in a nomination the jury works on) is neither covered by
// the juror's declaration nor theirs by membership (which Heder counts as
// a conflict by itself): the juror must review their declaration.
const unreviewedSQL = `EXISTS (SELECT 1 FROM nominations un JOIN nomination_organisations uno ON uno.nomination_id = un.id
	WHERE un.cycle_id = j.cycle_id AND in_the_running(un.status)
	AND NOT EXISTS (SELECT 1 FROM conflict_reviews ur WHERE ur.juror_id = j.id AND ur.organisation_id = uno.organisation_id)
	AND NOT EXISTS (SELECT 1 FROM memberships um WHERE um.user_id = j.user_id AND um.organisation_id = uno.organisation_id))`

// Juror is a seat on a cycle's jury as administrators see it.
type Juror struct {
	ID         int64      `bun:"id"`
	UserID     int64      `bun:"user_id"`
	Name       string     `bun:"name"`
	Email      string     `bun:"email"`
	Chair      bool       `bun:"chair"`
	DeclaredAt *time.Time `bun:"declared_at"`
	// NeedsReview: organisations were nominated since the juror declared.
	NeedsReview bool       `bun:"needs_review"`
	RemovedAt   *time.Time `bun:"removed_at"`
	RemovedBy   string     `bun:"removed_by"`
	CreatedAt   time.Time  `bun:"created_at"`
	// SteppedAside counts the nominations the juror is conflicted with.
	SteppedAside int `bun:"stepped_aside"`
	// Submitted counts the nominations the juror has submitted scores for.
	Submitted int `bun:"submitted"`
}

// Declared reports whether the juror's declaration is complete and
// current.
func (j Juror) Declared() bool { return j.DeclaredAt != nil && !j.NeedsReview }

const jurorSelect = `
	SELECT j.id, j.user_id, u.name, u.email, j.chair, j.declared_at, ` + unreviewedSQL + ` AS needs_review,
		j.removed_at, coalesce(ur.name, '') AS removed_by, j.created_at,
		(SELECT count(DISTINCT jc.nomination_id) FROM juror_conflicts jc JOIN nominations n ON n.id = jc.nomination_id
			WHERE jc.juror_id = j.id AND in_the_running(n.status)) AS stepped_aside,
		(SELECT count(*) FROM score_submissions s WHERE s.juror_id = j.id) AS submitted
	FROM jurors j JOIN users u ON u.id = j.user_id LEFT JOIN users ur ON ur.id = j.removed_by`

// Jury is a cycle's jury and its invitations.
type Jury struct {
	Cycle Cycle
	// Jurors are the seated jurors first (the chair on top), then the
	// removed ones.
	Jurors []Juror
	// Invitations are newest first.
	Invitations []Invitation
}

// Chair returns the seated chair, if any.
func (j Jury) Chair() (Juror, bool) {
	for _, x := range j.Jurors {
		if x.Chair && x.RemovedAt == nil {
			return x, true
		}
	}
	return Juror{}, false
}

// Awaiting returns the invitations whose acceptance awaits confirmation.
func (j Jury) Awaiting() []Invitation {
	var out []Invitation
	for _, i := range j.Invitations {
		if i.Awaiting() {
			out = append(out, i)
		}
	}
	return out
}

// Jury returns the cycle's jurors and invitations. Site admins only:
// EForbidden for others, ENotFound for an unknown cycle.
func (s *Service) Jury(ctx context.Context, actor *awards.Actor, cyclePublicID string) (Jury, error) {
	c, err := adminCycle(ctx, s.db, actor, cyclePublicID, false)
	if err != nil {
		return Jury{}, err
	}
	out := Jury{Cycle: c, Jurors: []Juror{}, Invitations: []Invitation{}}
	if err := s.db.NewRaw(jurorSelect+` WHERE j.cycle_id = ? ORDER BY j.removed_at IS NOT NULL, j.chair DESC, u.name, j.id`,
		c.ID).Scan(ctx, &out.Jurors); err != nil {
		return out, postgres.Map("list jurors", err)
	}
	if err := s.db.NewRaw(invitationSelect+` WHERE i.cycle_id = ? ORDER BY i.created_at DESC, i.id DESC`,
		c.ID).Scan(ctx, &out.Invitations); err != nil {
		return out, postgres.Map("list invitations", err)
	}
	return out, nil
}

// loadJuror reads a juror of cycle c; ENotFound when there is none.
func loadJuror(ctx context.Context, db bun.IDB, c Cycle, jurorID int64) (Juror, error) {
	var j Juror
	err := db.NewRaw(jurorSelect+` WHERE j.id = ? AND j.cycle_id = ?`, jurorID, c.ID).Scan(ctx, &j)
	return j, postgres.Map("load juror", err)
}

// Juror returns one juror of the cycle, and the cycle. Site admins only:
// EForbidden, ENotFound.
func (s *Service) Juror(ctx context.Context, actor *awards.Actor, cyclePublicID string, jurorID int64) (Juror, Cycle, error) {
	c, err := adminCycle(ctx, s.db, actor, cyclePublicID, false)
	if err != nil {
		return Juror{}, c, err
	}
	j, err := loadJuror(ctx, s.db, c, jurorID)
	return j, c, err
}

// SetChair makes a seated juror the cycle's chair (the former chair
// becomes an ordinary juror in the same transaction: a cycle has one
// chair), or with chair false makes them an ordinary juror. Site admins
// only. Returns EForbidden, ENotFound, EConflict (ErrRemoved).
func (s *Service) SetChair(ctx context.Context, actor *awards.Actor, cyclePublicID string, jurorID int64, chair bool) (Juror, error) {
	var out Juror
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		c, err := adminCycle(ctx, tx, actor, cyclePublicID, true)
		if err != nil {
			return err
		}
		j, err := loadJuror(ctx, tx, c, jurorID)
		if err != nil {
			return err
		}
		if j.RemovedAt != nil {
			return &awards.Error{Code: awards.EConflict, Err: ErrRemoved, Message: "a removed juror cannot chair the jury"}
		}
		if j.Chair == chair {
			out = j
			return nil
		}
		var former []int64
		if chair {
			if err := tx.NewRaw(`UPDATE jurors SET chair = false WHERE cycle_id = ? AND chair AND removed_at IS NULL RETURNING id`,
				c.ID).Scan(ctx, &former); err != nil {
				return postgres.Map("unset chair", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE jurors SET chair = ? WHERE id = ?`, chair, j.ID); err != nil {
			return seatError(err)
		}
		if err := audit.Record(ctx, tx, actor.User.ID, "set_chair", "juror", j.ID,
			map[string]any{"chair": j.Chair, "former_chair": former}, map[string]any{"chair": chair}); err != nil {
			return err
		}
		out, err = loadJuror(ctx, tx, c, j.ID)
		return err
	})
	return out, err
}

// Removal is what removing a juror did.
type Removal struct {
	Juror Juror
	// ExcludedSubmissions and ExcludedScores count the juror's submitted
	// scores (per nomination, and per criterion) that are kept but no
	// longer count in the ranking.
	ExcludedSubmissions int
	ExcludedScores      int
}

// Remove takes a juror off the jury. Their scores are kept but no longer
// count (the ranking leaves out removed jurors), they see no nomination
// any more, and the audit log says how many scores that excluded. Site
// admins only. Returns EForbidden, ENotFound, EConflict (ErrRemoved: the
// juror was removed already).
func (s *Service) Remove(ctx context.Context, actor *awards.Actor, cyclePublicID string, jurorID int64) (Removal, error) {
	var out Removal
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		c, err := adminCycle(ctx, tx, actor, cyclePublicID, true)
		if err != nil {
			return err
		}
		var removedAt time.Time
		err = tx.NewRaw(`UPDATE jurors SET removed_at = now(), removed_by = ? WHERE id = ? AND cycle_id = ? AND removed_at IS NULL
			RETURNING removed_at`, actor.User.ID, jurorID, c.ID).Scan(ctx, &removedAt)
		if errors.Is(err, sql.ErrNoRows) {
			if _, err := loadJuror(ctx, tx, c, jurorID); err != nil {
				return err
			}
			return &awards.Error{Code: awards.EConflict, Err: ErrRemoved, Message: "this juror has already been removed"}
		}
		if err != nil {
			return postgres.Map("remove juror", err)
		}
		if err := tx.NewRaw(`SELECT count(DISTINCT s.nomination_id) AS submissions, count(sc.id) AS scores
			FROM score_submissions s LEFT JOIN (scores sc JOIN criteria cr ON cr.id = sc.criterion_id)
				ON sc.juror_id = s.juror_id AND sc.nomination_id = s.nomination_id AND cr.round_id = s.round_id
			WHERE s.juror_id = ? AND s.excluded_reason IS NULL`, jurorID).Scan(ctx, &out.ExcludedSubmissions, &out.ExcludedScores); err != nil {
			return postgres.Map("count scores", err)
		}
		if out.Juror, err = loadJuror(ctx, tx, c, jurorID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor.User.ID, "remove", "juror", jurorID,
			map[string]any{"removed": false, "chair": out.Juror.Chair},
			map[string]any{"removed": true, "removed_at": removedAt, "removed_by": actor.User.ID,
				"excluded_submissions": out.ExcludedSubmissions, "excluded_scores": out.ExcludedScores,
				"note": "the juror's scores are kept but excluded from the ranking"})
	})
	return out, err
}
