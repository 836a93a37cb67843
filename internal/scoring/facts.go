package scoring

import (
	"context"
	"database/sql"
	"sync"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/postgres"
)

// kept is a map of what requests read, each under the version of its
// cycle's jury data it was read with, so that a later request that reads
// the same version can skip the read; it holds at most max entries.
type kept[K comparable, V any] struct {
	mu  sync.Mutex
	m   map[K]V
	max int
}

func newKept[K comparable, V any](max int) *kept[K, V] { return &kept[K, V]{m: map[K]V{}, max: max} }

func (k *kept[K, V]) get(key K) (V, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.m[key]
	return v, ok
}

func (k *kept[K, V]) put(key K, v V) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if len(k.m) >= k.max {
		clear(k.m) // most are of older versions, never read again
	}
	k.m[key] = v
}

// The readers' facts about nominations (screenSelect's row) are kept
// under jury_screen_versions.version. Every fact is made of rows whose
// writes raise that version in the writer's transaction (jurors,
// assignments, conflicts, conflict_reviews, memberships, nominations and
// their nominees, score_submissions, cycles), so while the version read
// on a request is the same, so are the facts; only the clock moves, and
// the cycle's state is read on every request.
type factsKey struct{ user, nomination, version int64 }

// screenStateSelect is what a screen's request reads when the facts are
// kept: the cycle's state now (by the database's clock) and the version
// of its jury data, for the nomination with public ID $1 in the cycle
// with public ID $2.
const screenStateSelect = `SELECT ` + cycleCols + `, n.id,
		(SELECT sv.version FROM jury_screen_versions sv WHERE sv.cycle_id = c.id)
	FROM nominations n JOIN ` + cycles.StateFrom + ` ON c.id = n.cycle_id
	WHERE n.public_id = $1 AND c.public_id = $2`

// keptTarget returns the actor's target as kept for the version read now,
// with the cycle's state read now; ok is false when it must be read.
func (s *Service) keptTarget(ctx context.Context, actor *awards.Actor, cyclePublicID, publicID string) (target, bool, error) {
	if actor.Anonymous() || cyclePublicID == "" {
		return target{}, false, nil
	}
	var now cycleFields
	var nomination int64
	var version sql.NullInt64
	err := postgres.Driver(s.db).QueryRowContext(ctx, screenStateSelect, publicID, cyclePublicID).
		Scan(append(now.State.Dest(), &now.Level, &now.Rollup, &nomination, &version)...)
	if err != nil || !version.Valid {
		// A missing nomination is told apart by the full read.
		return target{}, false, postgres.Map("load cycle for the jury", ignoreNoRows(err))
	}
	t, ok := s.facts.get(factsKey{actor.User.ID, nomination, version.Int64})
	if !ok {
		return target{}, false, nil
	}
	t.cycleFields = now
	return t, true, nil
}

// keepTarget keeps a target read whole, under the version it was read with.
func (s *Service) keepTarget(actor *awards.Actor, t target) {
	if t.ScreenVersion.Valid && !actor.Anonymous() {
		s.facts.put(factsKey{actor.User.ID, t.NominationID, t.ScreenVersion.Int64}, t)
	}
}

func ignoreNoRows(err error) error {
	if err == sql.ErrNoRows {
		return nil
	}
	return err
}
