package cycles_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/jackc/pgx/v5"
	"github.com/uptrace/bun"
)

// TestState: a cycle's state says what is open by the database's clock,
// the same by ID, by public ID and through StateColumns in a query of
// one's own; an unknown cycle is not found.
func TestState(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	e.award(t, "innovasjonsprisen")
	deadline := time.Now().Add(48 * time.Hour).Truncate(time.Second)
	c := e.cycle(t, "innovasjonsprisen", 2027, cycles.CycleFields{MaxProjects: ptr(2), NominationDeadline: at(&deadline),
		EligibleKinds: []awards.OrgKind{awards.KindMunicipality, awards.KindCounty}})

	s, err := cycles.StateByPublicID(ctx, e.db, c.PublicID, cycles.NoLock)
	if err != nil {
		t.Fatal(err)
	}
	if s.ID != c.ID || s.Phase != awards.PhaseDraft || s.NominationsOpen || s.DeadlinePassed || s.ScoringOpen ||
		s.AwardSlug != "innovasjonsprisen" || s.AwardName("en") != "Municipal innovation award" || s.OwnerID != e.ministry ||
		s.MaxProjects != 2 || !s.NominationDeadline.Equal(deadline) || s.Now.IsZero() || s.Programme() {
		t.Errorf("draft: %+v", s)
	}
	if diff := cmp.Diff([]awards.OrgKind{awards.KindMunicipality, awards.KindCounty}, s.EligibleKinds); diff != "" {
		t.Errorf("eligible kinds (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(c, s.Cycle(), cmp.FilterPath(func(p cmp.Path) bool {
		switch p.Last().String() {
		case ".Description", ".DescriptionNN", ".DescriptionEN", ".CallText", ".CallTextNN", ".CallTextEN":
			return true
		}
		return false
	}, cmp.Ignore())); diff != "" {
		t.Errorf("Cycle() (-service +state):\n%s", diff)
	}

	e.move(t, c, awards.PhaseOpen)
	if s, err = cycles.StateByID(ctx, e.db, c.ID, cycles.NoLock); err != nil || !s.NominationsOpen || s.DeadlinePassed {
		t.Errorf("open before the deadline: %+v, %v", s, err)
	}
	if _, err := e.db.ExecContext(ctx, `UPDATE cycles SET nomination_deadline = now() - interval '1 hour', scoring_deadline = now() + interval '1 hour' WHERE id = ?`, c.ID); err != nil {
		t.Fatal(err)
	}
	if s, err = cycles.StateByID(ctx, e.db, c.ID, cycles.NoLock); err != nil || s.NominationsOpen || !s.DeadlinePassed || s.ScoringOpen {
		t.Errorf("open past the deadline: %+v, %v", s, err)
	}
	e.move(t, c, awards.PhaseClosed, awards.PhaseJudging)

	// Under a lock, in a transaction, and scanned by a query of one's own
	// into a struct that embeds State.
	err = e.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		locked, err := cycles.StateByPublicID(ctx, tx, c.PublicID, cycles.ForUpdate)
		if err != nil {
			return err
		}
		if !locked.ScoringOpen || locked.Phase != awards.PhaseJudging {
			t.Errorf("judging before the scoring deadline: %+v", locked)
		}
		var own struct {
			cycles.State
			Mode string `bun:"assignment_mode"`
		}
		if err := tx.NewRaw(`SELECT `+cycles.StateColumns+`, c.assignment_mode FROM `+cycles.StateFrom+` WHERE c.id = ?`, c.ID).Scan(ctx, &own); err != nil {
			return err
		}
		if diff := cmp.Diff(locked, own.State); diff != "" || own.Mode == "" {
			t.Errorf("StateColumns scanned by name (-Dest +bun), mode %q:\n%s", own.Mode, diff)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// Straight through pgx, as scores are saved, rows come in the binary
	// format.
	err = e.db.Pipeline(ctx, func(ctx context.Context, conn *pgx.Conn) error {
		var raw cycles.State
		if err := conn.QueryRow(ctx, `SELECT `+cycles.StateColumns+` FROM `+cycles.StateFrom+` WHERE c.id = $1`, c.ID).Scan(raw.Dest()...); err != nil {
			return err
		}
		if !slices.Equal(raw.EligibleKinds, s.EligibleKinds) || !slices.Equal(raw.ReminderDays, s.ReminderDays) || raw.ID != c.ID {
			t.Errorf("StateColumns through pgx: %+v, want the arrays %v and %v", raw, s.EligibleKinds, s.ReminderDays)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	if _, err := cycles.StateByPublicID(ctx, e.db, "no-such-cycle", cycles.ForShare); awards.ErrorCode(err) != awards.ENotFound {
		t.Errorf("unknown cycle: %v, want ENotFound", err)
	}
}
