package auditlog

import (
	"context"
	"fmt"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/uptrace/bun"
)

// Choices are what the audit page's filter offers: every cycle, the
// people who have entries, and the actions that occur.
type Choices struct {
	Cycles []CycleChoice
	Actors []ActorChoice
	// Actions are the distinct actions in the log, sorted.
	Actions []string
}

// CycleChoice is a cycle by its public ID and title.
type CycleChoice struct {
	PublicID, Title string
}

// ActorChoice is a person who has entries in the log.
type ActorChoice struct {
	ID   int64
	Name string
}

// Choices returns the filter's choices: for owner admins those of their
// cycles. Admins only (EForbidden).
func (s *Service) Choices(ctx context.Context, actor *awards.Actor) (Choices, error) {
	var c Choices
	if !policy.CanReadAuditLog(actor) {
		return c, awards.Errorf(awards.EForbidden, "only admins read the audit log")
	}
	// An owner admin chooses among their own cycles and the people who
	// acted on them or their nominations.
	site, cycles := actor.User.IsAdmin, administeredCycles(actor)
	if err := s.db.NewRaw(`SELECT c.public_id, c.title FROM cycles c JOIN awards a ON a.id = c.award_id
		WHERE ? OR c.id IN (?) ORDER BY c.year DESC, a.name_nb, c.title`, site, bun.In(cycles)).Scan(ctx, &c.Cycles); err != nil {
		return c, fmt.Errorf("list cycles: %w", err)
	}
	if err := s.db.NewRaw(`SELECT u.id, u.name FROM users u
		WHERE EXISTS (SELECT 1 FROM audit_log l WHERE l.actor_id = u.id AND (?
			OR l.entity = 'cycle' AND l.entity_id IN (?)
			OR l.entity = 'nomination' AND l.entity_id IN (SELECT id FROM nominations WHERE cycle_id IN (?))))
		ORDER BY u.name, u.id`, site, bun.In(cycles), bun.In(cycles)).Scan(ctx, &c.Actors); err != nil {
		return c, fmt.Errorf("list actors: %w", err)
	}
	// A loose index scan over audit_log_action: one step per distinct
	// action rather than a read of the whole log.
	if err := s.db.NewRaw(`WITH RECURSIVE a (action) AS (
			(SELECT action FROM audit_log ORDER BY action LIMIT 1)
			UNION ALL
			SELECT (SELECT l.action FROM audit_log l WHERE l.action > a.action ORDER BY l.action LIMIT 1) FROM a WHERE a.action IS NOT NULL
		) SELECT action FROM a WHERE action IS NOT NULL`).Scan(ctx, &c.Actions); err != nil {
		return c, fmt.Errorf("list actions: %w", err)
	}
	return c, nil
}

// administeredCycles lists the cycles of the actor's owner grants; {-1}
// for none, so that the IN list is never empty.
func administeredCycles(actor *awards.Actor) []int64 {
	out := []int64{-1}
	for _, g := range actor.Owners {
		out = append(out, g.Cycles...)
	}
	return out
}
