package nominations

import (
	"context"
	"time"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

const (
	keyExtensionReason   = "nominations.error.extension_reason"
	keyExtensionPast     = "nominations.error.extension_past"
	keyExtensionDeadline = "nominations.error.extension_deadline"
)

// SetExtension gives the nomination its own later deadline, until, with
// the reason (shown to its nominees); until nil takes an extension back.
// The cycle's admins may, while its call is open (the phase, not the
// deadline: an extension is what lets a nomination in after it). until
// must be ahead by the database's clock and after the cycle's deadline.
// Audited. ENotFound, EForbidden, EConflict (the call is not open) or
// EInvalid with the fields extended_until and extension_reason.
func (s *Service) SetExtension(ctx context.Context, actor *awards.Actor, publicID string, until *time.Time, reason string) (View, error) {
	var out View
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		t, err := loadTarget(ctx, tx, actor, publicID, true)
		if err != nil {
			return err
		}
		if !policy.CanJudgeEligibility(actor, t.c.ID) {
			return awards.Errorf(awards.EForbidden, "only the cycle's administrators give a nomination a later deadline")
		}
		if t.c.Phase != awards.PhaseOpen {
			return &awards.Error{Code: awards.EConflict, Reason: awards.ReasonNotOpen, Err: ErrNotOpen,
				Message: "the call is not open (phase " + string(t.c.Phase) + "): a later deadline can only be given while it is"}
		}
		if until == nil {
			reason = ""
		} else {
			bad := map[string]string{}
			var key string
			if reason, key = cleanText(reason, true, maxReason); key == "" && reason == "" {
				key = keyExtensionReason
			}
			if key != "" {
				bad["extension_reason"] = key
			}
			switch {
			case !until.After(t.c.Now):
				bad["extended_until"] = keyExtensionPast
			case t.c.NominationDeadline != nil && !until.After(*t.c.NominationDeadline):
				bad["extended_until"] = keyExtensionDeadline
			}
			if len(bad) > 0 {
				return awards.Invalid(bad)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE nominations SET extended_until = ?, extension_reason = ?, updated_at = now() WHERE id = ?`,
			until, reason, t.n.ID); err != nil {
			return postgres.Map("set the nomination's deadline", err)
		}
		action, before, after := "extend_deadline", map[string]any(nil), map[string]any{"extended_until": until, "extension_reason": reason}
		if t.ext != nil {
			before = map[string]any{"extended_until": t.ext.Until, "extension_reason": t.ext.Reason}
		}
		if until == nil {
			action = "remove_extension"
		}
		if err := audit.Record(ctx, tx, actor.User.ID, action, entityNomination, t.n.ID, before, after); err != nil {
			return err
		}
		if t, err = loadTarget(ctx, tx, actor, publicID, false); err != nil {
			return err
		}
		out, err = view(ctx, tx, actor, t)
		return err
	})
	return out, err
}
