package scoring

import (
	"context"
	"fmt"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// seeWork loads the nomination and returns nil when the actor may see the
// jury's work on it; otherwise ENotFound (EForbidden, ErrNotDeclared, for
// an undeclared juror; EForbidden for a juror who has yet to submit).
func seeWork(ctx context.Context, db bun.IDB, actor *awards.Actor, cyclePublicID, publicID string) (target, error) {
	t, err := loadTarget(ctx, db, actor, cyclePublicID, publicID)
	if err != nil {
		return t, err
	}
	if policy.CanSeeJuryWork(actor, t.facts()) {
		return t, nil
	}
	if err := mayRead(actor, t); err != nil {
		return t, err
	}
	return t, awards.Errorf(awards.EForbidden, "submit your own scores of this nomination first: the jury's discussion opens to you then")
}

// Comments lists the jury's discussion of the nomination with publicID,
// oldest first. It is an internal working paper: the jurors who score the
// nomination once they have submitted their own scores, the chair when
// not conflicted, and site admins. Returns ENotFound, EForbidden.
func (s *Service) Comments(ctx context.Context, actor *awards.Actor, cyclePublicID, publicID string) ([]Comment, error) {
	t, err := seeWork(ctx, s.db, actor, cyclePublicID, publicID)
	if err != nil {
		return nil, err
	}
	d, err := readDoc(ctx, s.db, t.NominationID, t.JurorID, false, false, true)
	if err != nil {
		return nil, err
	}
	out := make([]Comment, 0, len(d.Comments))
	for _, c := range d.Comments {
		out = append(out, Comment{ID: c.ID, JurorID: c.JurorID, Author: c.Author, Chair: c.Chair, Body: c.Body,
			CreatedAt: c.CreatedAt, Mine: t.JurorID != 0 && c.JurorID == t.JurorID})
	}
	return out, nil
}

// AddComment adds body to the jury's discussion of the nomination with
// publicID, as the actor's seat. Those who see the discussion and hold a
// seat in the cycle (policy.CanPostJuryComment), while the jury is at
// work on the cycle (judging or decided). Returns ENotFound, EForbidden,
// EInvalid (field "body"), EConflict.
func (s *Service) AddComment(ctx context.Context, actor *awards.Actor, cyclePublicID, publicID, body string) (Comment, error) {
	body, key := cleanText(body, MaxBody, true)
	var out Comment
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		t, err := seeWork(ctx, tx, actor, cyclePublicID, publicID)
		if err != nil {
			return err
		}
		if !policy.CanPostJuryComment(actor, t.facts()) {
			return awards.Errorf(awards.EForbidden, "only jurors of the cycle write in the jury's discussion")
		}
		if key != "" {
			return awards.Invalid(map[string]string{"body": key})
		}
		if t.Phase != awards.PhaseJudging && t.Phase != awards.PhaseDecided {
			return awards.Errorf(awards.EConflict, "the jury's discussion is open while the cycle is judging or decided, not in phase %s", t.Phase)
		}
		out = Comment{JurorID: t.JurorID, Author: actor.User.Name, Chair: t.Chair, Body: body, Mine: true}
		err = tx.NewRaw(`INSERT INTO jury_comments (nomination_id, juror_id, body) VALUES (?, ?, ?) RETURNING id, created_at`,
			t.NominationID, t.JurorID, body).Scan(ctx, &out.ID, &out.CreatedAt)
		if err != nil {
			return postgres.Map(fmt.Sprintf("add comment to nomination %d", t.NominationID), err)
		}
		return audit.Record(ctx, tx, actor.User.ID, "create", "jury_comment", out.ID, nil,
			map[string]any{"nomination_id": t.NominationID, "juror_id": t.JurorID, "body": body})
	})
	return out, err
}
