package nominations

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/orgs"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// A joint entry is led by the organisation that created it. Other
// organisations join only by consent: the lead invites, and a member of
// the invited organisation accepts or declines. Until then the invited
// organisation is no nominee, uses none of its quota and is never
// published, so an invitation lives in a table of its own and only an
// acceptance writes nomination_organisations.

const (
	keyLeadOnly        = "nominations.error.lead_only"
	keyLeadStays       = "nominations.error.lead_stays"
	keyAlreadyInvited  = "nominations.error.already_invited"
	keyTooManyOrgs     = "nominations.error.too_many_orgs"
	keyNotNominee      = "nominations.error.not_nominee"
	keyRemoveOwn       = "nominations.error.remove_own"
	keyInvitedOnly     = "nominations.error.invited_only"
	keyInvitationEnded = "nominations.error.invitation_ended"
	keyInvitationLate  = "nominations.error.invitation_lapsed"
)

// MaxOrganisations bounds the organisations of one entry, nominees and
// pending invitations together, so that nobody can send invitations to
// every municipality in the country from one draft.
const MaxOrganisations = 10

// InvitationStatus is where an invitation stands.
type InvitationStatus string

// Invitation statuses. An invitation still pending when the cycle stops
// accepting changes reads as lapsed at once, before the lapse job has
// recorded it.
const (
	InvitationPending   InvitationStatus = "pending"
	InvitationAccepted  InvitationStatus = "accepted"
	InvitationDeclined  InvitationStatus = "declined"
	InvitationWithdrawn InvitationStatus = "withdrawn"
	InvitationLapsed    InvitationStatus = "lapsed"
)

// Invitation asks an organisation to join a joint entry. The invited
// organisation's members see only what it holds: the entry's title, the
// cycle, who invited and for which organisation.
type Invitation struct {
	PublicID             string
	NominationPublicID   string
	NominationTitle      string
	CycleTitle           string
	Deadline             *time.Time
	Organisation         awards.Organisation
	InvitingOrganisation awards.Organisation
	InvitedBy            string
	Status               InvitationStatus
	CreatedAt            time.Time
	AnsweredAt           *time.Time
	// CanAnswer: the reader is a member of the invited organisation and
	// the invitation is pending. CanWithdraw: the reader is a member of
	// the lead organisation and the invitation is pending.
	CanAnswer, CanWithdraw bool

	id, nominationID, cycleID int64
}

// NomineeView is a nominee organisation of an entry with what the reader may
// do about it.
type NomineeView struct {
	awards.Organisation
	Lead bool
	// CanRemove: the reader may take it off the entry (its own members, or
	// a site admin; never the lead). CanMakeLead: the reader's
	// organisation leads and may hand the lead to it.
	CanRemove, CanMakeLead bool
}

type invitationRow struct {
	ID                 int64      `bun:"id"`
	PublicID           string     `bun:"public_id"`
	NominationID       int64      `bun:"nomination_id"`
	NominationPublicID string     `bun:"nomination_public_id"`
	NominationTitle    string     `bun:"nomination_title"`
	CycleID            int64      `bun:"cycle_id"`
	CycleTitle         string     `bun:"cycle_title"`
	Deadline           *time.Time `bun:"nomination_deadline"`
	OrgID              int64      `bun:"organisation_id"`
	OrgName            string     `bun:"organisation_name"`
	OrgKind            string     `bun:"organisation_kind"`
	InvitingID         int64      `bun:"inviting_organisation_id"`
	InvitingName       string     `bun:"inviting_organisation_name"`
	InvitedBy          string     `bun:"invited_by"`
	Status             string     `bun:"status"`
	CreatedAt          time.Time  `bun:"created_at"`
	AnsweredAt         *time.Time `bun:"answered_at"`
}

// invitationSelect reads invitations with their status as of now: a
// pending one whose cycle no longer accepts changes has lapsed.
const invitationSelect = `
	SELECT i.id, i.public_id, i.nomination_id, n.public_id AS nomination_public_id, n.title AS nomination_title,
		n.cycle_id, c.title AS cycle_title, c.nomination_deadline,
		i.organisation_id, o.name AS organisation_name, o.kind AS organisation_kind,
		i.inviting_organisation_id, io.name AS inviting_organisation_name, coalesce(u.name, '') AS invited_by,
		CASE WHEN i.status = 'pending' AND NOT ` + acceptsChanges + ` THEN 'lapsed' ELSE i.status END AS status,
		i.created_at, i.answered_at
	FROM nominee_invitations i
	JOIN nominations n ON n.id = i.nomination_id
	JOIN cycles c ON c.id = n.cycle_id
	JOIN organisations o ON o.id = i.organisation_id
	JOIN organisations io ON io.id = i.inviting_organisation_id
	LEFT JOIN users u ON u.id = i.invited_by`

// invitation is the row as the actor sees it, lead being the entry's lead
// organisation.
func (r invitationRow) invitation(actor *awards.Actor, lead int64) Invitation {
	inv := Invitation{PublicID: r.PublicID, NominationPublicID: r.NominationPublicID, NominationTitle: r.NominationTitle,
		CycleTitle: r.CycleTitle, Deadline: r.Deadline,
		Organisation:         awards.Organisation{ID: r.OrgID, Name: r.OrgName, Kind: awards.OrgKind(r.OrgKind)},
		InvitingOrganisation: awards.Organisation{ID: r.InvitingID, Name: r.InvitingName},
		InvitedBy:            r.InvitedBy, Status: InvitationStatus(r.Status), CreatedAt: r.CreatedAt, AnsweredAt: r.AnsweredAt,
		id: r.ID, nominationID: r.NominationID, cycleID: r.CycleID}
	pending := inv.Status == InvitationPending
	inv.CanAnswer = pending && policy.CanAnswerInvitation(actor, r.OrgID)
	inv.CanWithdraw = pending && policy.CanLeadNomination(actor, lead)
	return inv
}

// nomineesOf returns a nomination's nominee organisations, the lead first.
// Rows written without a lead are led by their lowest organisation ID.
func nomineesOf(ctx context.Context, db bun.IDB, nominationID int64) (ids []int64, lead int64, err error) {
	if err := db.NewRaw(`SELECT organisation_id FROM nomination_organisations WHERE nomination_id = ?
		ORDER BY lead DESC, organisation_id`, nominationID).Scan(ctx, &ids); err != nil {
		return nil, 0, postgres.Map("load nominees", err)
	}
	if len(ids) > 0 {
		lead = ids[0]
	}
	slices.Sort(ids)
	return ids, lead, nil
}

// loadInvitation reads one invitation the actor may see: a member of the
// invited organisation or of a nominee, or a site admin. For anyone else
// it does not exist. With lock, the invitation row is locked.
func loadInvitation(ctx context.Context, db bun.IDB, actor *awards.Actor, publicID string, lock bool) (invitationRow, []int64, int64, error) {
	q := invitationSelect + ` WHERE i.public_id = ?`
	if lock {
		q += ` FOR UPDATE OF i`
	}
	var r invitationRow
	if err := db.NewRaw(q, publicID).Scan(ctx, &r); err != nil {
		return r, nil, 0, postgres.Map("load invitation", err)
	}
	nominees, lead, err := nomineesOf(ctx, db, r.NominationID)
	if err != nil {
		return r, nil, 0, err
	}
	if !policy.CanSeeInvitation(actor, r.OrgID, nominees) {
		return r, nil, 0, awards.Errorf(awards.ENotFound, "not found")
	}
	return r, nominees, lead, nil
}

// invitationsOf lists the invitations of a nomination, newest first.
func invitationsOf(ctx context.Context, db bun.IDB, actor *awards.Actor, nominationID, lead int64) ([]Invitation, error) {
	var rows []invitationRow
	if err := db.NewRaw(invitationSelect+` WHERE i.nomination_id = ? ORDER BY i.created_at DESC, i.id DESC`,
		nominationID).Scan(ctx, &rows); err != nil {
		return nil, postgres.Map("list invitations", err)
	}
	out := make([]Invitation, len(rows))
	for i, r := range rows {
		out[i] = r.invitation(actor, lead)
	}
	return out, nil
}

// endedError says why an invitation can no longer be answered or
// withdrawn.
func endedError(r invitationRow) error {
	if InvitationStatus(r.Status) == InvitationLapsed {
		msg := "the invitation lapsed when the call for nominations closed"
		if r.Deadline != nil {
			msg = fmt.Sprintf("the invitation lapsed at the nomination deadline (%s)", awards.ErrorTime(*r.Deadline))
		}
		return &awards.Error{Code: awards.EConflict, Reason: awards.ReasonDeadlinePassed, Fields: map[string]string{"invitation": keyInvitationLate},
			Message: msg, Err: ErrClosed}
	}
	return &awards.Error{Code: awards.EConflict, Fields: map[string]string{"invitation": keyInvitationEnded},
		Message: fmt.Sprintf("the invitation is already %s and can no longer be answered or withdrawn", r.Status)}
}

// Invite asks organisation orgID to join the entry. Members of the lead
// organisation may, while the cycle accepts changes; the organisation
// must exist, be of a kind the cycle takes, and be neither a nominee nor
// invited already. Its members are e-mailed, and the invitation lapses
// at the deadline unless answered. Returns ENotFound, EForbidden,
// EInvalid, EConflict.
func (s *Service) Invite(ctx context.Context, actor *awards.Actor, publicID string, orgID int64) (Invitation, error) {
	var out Invitation
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		t, err := forEdit(ctx, tx, actor, publicID, true)
		if err != nil {
			return err
		}
		if !policy.CanLeadNomination(actor, t.lead) {
			return &awards.Error{Code: awards.EForbidden, Fields: map[string]string{"organisation_id": keyLeadOnly},
				Message: "only members of the organisation that leads the nomination can invite others to it"}
		}
		org, err := loadOrg(ctx, tx, orgID)
		if awards.ErrorCode(err) == awards.ENotFound || orgID <= 0 {
			return &awards.Error{Code: awards.EInvalid, Fields: map[string]string{"organisation_id": keyUnknownOrg},
				Message: "no such organisation: choose one from the search"}
		}
		if err != nil {
			return err
		}
		if slices.Contains(t.nominees, orgID) {
			return &awards.Error{Code: awards.EConflict, Fields: map[string]string{"organisation_id": keyAlready},
				Message: fmt.Sprintf("%s is already a nominee of this nomination", org.Name)}
		}
		if !eligible(t.c, org) {
			return &awards.Error{Code: awards.EInvalid, Fields: map[string]string{"organisation_id": keyNotEligible},
				Message: fmt.Sprintf("%s cannot be nominated in this cycle", org.Name)}
		}
		if !t.c.NominationsOpen {
			return closedError(t.c)
		}
		if !t.editable() {
			return statusError(t.n.Status)
		}
		var pending []int64
		if err := tx.NewRaw(`SELECT i.organisation_id FROM nominee_invitations i JOIN nominations n ON n.id = i.nomination_id
			JOIN cycles c ON c.id = n.cycle_id WHERE i.nomination_id = ? AND i.status = 'pending' AND `+acceptsChanges,
			t.n.ID).Scan(ctx, &pending); err != nil {
			return postgres.Map("list pending invitations", err)
		}
		if slices.Contains(pending, orgID) {
			return &awards.Error{Code: awards.EConflict, Fields: map[string]string{"organisation_id": keyAlreadyInvited},
				Message: fmt.Sprintf("%s is already invited and has not answered yet", org.Name)}
		}
		if len(t.nominees)+len(pending) >= MaxOrganisations {
			return &awards.Error{Code: awards.EConflict, Fields: map[string]string{"organisation_id": keyTooManyOrgs},
				Message: fmt.Sprintf("a nomination can have at most %d organisations, invitations included", MaxOrganisations)}
		}
		var id int64
		var invPublicID string
		err = tx.NewRaw(`
			INSERT INTO nominee_invitations (nomination_id, organisation_id, inviting_organisation_id, invited_by)
			SELECT n.id, ?, ?, ? FROM nominations n JOIN cycles c ON c.id = n.cycle_id
			WHERE n.id = ? AND n.status IN `+editableStatuses+` AND `+acceptsChanges+`
			RETURNING id, public_id`, orgID, t.lead, actor.User.ID, t.n.ID).Scan(ctx, &id, &invPublicID)
		if err != nil {
			if err = postgres.Map("invite organisation", err); awards.ErrorCode(err) == awards.ENotFound {
				return refusal(ctx, tx, t.n.ID, 0)
			}
			return err
		}
		if err := audit.Record(ctx, tx, actor.User.ID, "invite_nominee", entityNomination, t.n.ID, nil,
			map[string]any{"invitation_id": id, "organisation_id": orgID, "organisation": org.Name, "inviting_organisation_id": t.lead}); err != nil {
			return err
		}
		if err := enqueueInvitationJobs(ctx, tx, id, t.c.NominationDeadline); err != nil {
			return err
		}
		r, _, lead, err := loadInvitation(ctx, tx, actor, invPublicID, false)
		if err != nil {
			return err
		}
		out = r.invitation(actor, lead)
		return nil
	})
	return out, err
}

// AnswerInvitation accepts or declines an invitation for the invited
// organisation. Only its members may, while the invitation is pending and
// the cycle accepts changes. Accepting makes the organisation a nominee
// and counts towards its quota: it is refused when the organisation is at
// its limit, or no longer of a kind the cycle takes. Returns ENotFound,
// EForbidden, EInvalid, EConflict.
func (s *Service) AnswerInvitation(ctx context.Context, actor *awards.Actor, invitationID string, accept bool) (Invitation, error) {
	var out Invitation
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		r, _, _, err := loadInvitation(ctx, tx, actor, invitationID, false)
		if err != nil {
			return err
		}
		if !policy.CanAnswerInvitation(actor, r.OrgID) {
			return &awards.Error{Code: awards.EForbidden, Fields: map[string]string{"invitation": keyInvitedOnly},
				Message: fmt.Sprintf("only members of %s can accept or decline this invitation", r.OrgName)}
		}
		var c cycleRow
		if accept {
			// Lock the cycle, then the nomination, as Create and Submit do,
			// so that the quota is counted under one lock.
			var err error
			if c, err = cycles.StateByID(ctx, tx, r.CycleID, cycles.ForUpdate); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `SELECT 1 FROM nominations WHERE id = ? FOR UPDATE`, r.NominationID); err != nil {
				return postgres.Map("lock nomination", err)
			}
		}
		if r, _, _, err = loadInvitation(ctx, tx, actor, invitationID, true); err != nil {
			return err
		}
		if InvitationStatus(r.Status) != InvitationPending {
			return endedError(r)
		}
		status, action := InvitationDeclined, "decline_invitation"
		if accept {
			status, action = InvitationAccepted, "accept_invitation"
			if err := s.join(ctx, tx, c, r); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, `
			UPDATE nominee_invitations i SET status = ?, answered_by = ?, answered_at = now(), updated_at = now()
			FROM nominations n JOIN cycles c ON c.id = n.cycle_id
			WHERE i.id = ? AND i.status = 'pending' AND n.id = i.nomination_id AND `+acceptsChanges,
			string(status), actor.User.ID, r.ID)
		if err != nil {
			return postgres.Map("answer invitation", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			r.Status = string(InvitationLapsed)
			return endedError(r)
		}
		if err := audit.Record(ctx, tx, actor.User.ID, action, entityNomination, r.NominationID,
			map[string]any{"invitation_id": r.ID, "status": "pending"},
			map[string]any{"invitation_id": r.ID, "status": status, "organisation_id": r.OrgID, "organisation": r.OrgName}); err != nil {
			return err
		}
		r2, _, lead, err := loadInvitation(ctx, tx, actor, invitationID, false)
		if err != nil {
			return err
		}
		out = r2.invitation(actor, lead)
		return nil
	})
	return out, err
}

// join makes the invited organisation of r a nominee of its nomination,
// within its quota. The caller holds the cycle's and the nomination's row
// locks.
func (s *Service) join(ctx context.Context, tx bun.Tx, c cycleRow, r invitationRow) error {
	org, err := loadOrg(ctx, tx, r.OrgID)
	if err != nil {
		return err
	}
	if !eligible(c, org) {
		return &awards.Error{Code: awards.EInvalid, Fields: map[string]string{"organisation_id": keyNotEligible},
			Message: fmt.Sprintf("%s cannot be nominated in this cycle", org.Name)}
	}
	var status string
	if err := tx.NewRaw(`SELECT status FROM nominations WHERE id = ?`, r.NominationID).Scan(ctx, &status); err != nil {
		return postgres.Map("load nomination status", err)
	}
	if !(target{n: nominationRow{Status: status}}).editable() {
		return statusError(status)
	}
	if status != string(awards.StatusWithdrawn) {
		over, err := overLimit(ctx, tx, c, r.OrgID, r.NominationID)
		if err != nil {
			return err
		}
		if over {
			return limitError(c, org)
		}
	}
	res, err := tx.ExecContext(ctx, `
		INSERT INTO nomination_organisations (nomination_id, organisation_id)
		SELECT n.id, ? FROM nominations n JOIN cycles c ON c.id = n.cycle_id
		WHERE n.id = ? AND n.status IN `+editableStatuses+` AND `+acceptsChanges+`
		ON CONFLICT DO NOTHING`, r.OrgID, r.NominationID)
	if err != nil {
		return postgres.Map("add nominee", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return refusal(ctx, tx, r.NominationID, 0)
	}
	return touch(ctx, tx, r.NominationID)
}

// WithdrawInvitation takes back a pending invitation. Members of the lead
// organisation may, while the cycle accepts changes. Returns ENotFound,
// EForbidden, EConflict.
func (s *Service) WithdrawInvitation(ctx context.Context, actor *awards.Actor, invitationID string) (Invitation, error) {
	var out Invitation
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		r, _, lead, err := loadInvitation(ctx, tx, actor, invitationID, true)
		if err != nil {
			return err
		}
		if !policy.CanLeadNomination(actor, lead) {
			return &awards.Error{Code: awards.EForbidden, Fields: map[string]string{"invitation": keyLeadOnly},
				Message: "only members of the organisation that leads the nomination can withdraw its invitations"}
		}
		if InvitationStatus(r.Status) != InvitationPending {
			return endedError(r)
		}
		res, err := tx.ExecContext(ctx, `
			UPDATE nominee_invitations i SET status = 'withdrawn', answered_by = ?, answered_at = now(), updated_at = now()
			FROM nominations n JOIN cycles c ON c.id = n.cycle_id
			WHERE i.id = ? AND i.status = 'pending' AND n.id = i.nomination_id AND `+acceptsChanges, actor.User.ID, r.ID)
		if err != nil {
			return postgres.Map("withdraw invitation", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			r.Status = string(InvitationLapsed)
			return endedError(r)
		}
		if err := audit.Record(ctx, tx, actor.User.ID, "withdraw_invitation", entityNomination, r.NominationID,
			map[string]any{"invitation_id": r.ID, "status": "pending"},
			map[string]any{"invitation_id": r.ID, "status": InvitationWithdrawn, "organisation_id": r.OrgID}); err != nil {
			return err
		}
		r.Status = string(InvitationWithdrawn)
		out = r.invitation(actor, lead)
		return nil
	})
	return out, err
}

// GetInvitation returns one invitation to a member of the invited
// organisation or of a nominee, or to a site admin; ENotFound for anyone
// else.
func (s *Service) GetInvitation(ctx context.Context, actor *awards.Actor, invitationID string) (Invitation, error) {
	r, _, lead, err := loadInvitation(ctx, s.db, actor, invitationID, false)
	if err != nil {
		return Invitation{}, err
	}
	return r.invitation(actor, lead), nil
}

// MyInvitations lists the invitations to the actor's organisations in
// cycles not yet published, pending ones first, for the home page and the
// API.
func (s *Service) MyInvitations(ctx context.Context, actor *awards.Actor) ([]Invitation, error) {
	out := []Invitation{}
	if actor.Anonymous() || len(actor.Memberships) == 0 {
		return out, nil
	}
	var rows []invitationRow
	err := s.db.NewRaw(`SELECT * FROM (`+invitationSelect+`
		WHERE i.organisation_id IN (?) AND c.phase NOT IN ('draft', 'published')) x
		ORDER BY status <> 'pending', created_at DESC, id DESC`, bun.In(orgIDs(actor))).Scan(ctx, &rows)
	if err != nil {
		return nil, postgres.Map("my invitations", err)
	}
	for _, r := range rows {
		// The actor answers for the invited organisation and leads none of
		// these entries, or they would be a nominee already.
		out = append(out, r.invitation(actor, 0))
	}
	return out, nil
}

// RemoveNominee takes organisation orgID off a joint entry: its own
// members may (leaving the entry), and site admins. The lead stays until
// it has handed the lead to another nominee. The organisation's projects,
// and those of the former municipalities it succeeded, leave with it:
// they stay its own. Returns ENotFound, EForbidden,
// EConflict.
func (s *Service) RemoveNominee(ctx context.Context, actor *awards.Actor, publicID string, orgID int64) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		t, err := loadTarget(ctx, tx, actor, publicID, true)
		if err != nil {
			return err
		}
		if !slices.Contains(t.nominees, orgID) {
			return &awards.Error{Code: awards.ENotFound, Fields: map[string]string{"organisation_id": keyNotNominee},
				Message: "the organisation is not a nominee of this nomination"}
		}
		if !policy.CanRemoveNominee(actor, orgID) {
			return &awards.Error{Code: awards.EForbidden, Fields: map[string]string{"organisation_id": keyRemoveOwn},
				Message: "only the organisation's own members, or an administrator, can take it off the nomination"}
		}
		if orgID == t.lead {
			if len(t.nominees) == 1 {
				return &awards.Error{Code: awards.EConflict, Fields: map[string]string{"organisation_id": keyLastNominee},
					Message: "a nomination needs at least one nominee organisation: withdraw the nomination instead"}
			}
			return &awards.Error{Code: awards.EConflict, Fields: map[string]string{"organisation_id": keyLeadStays},
				Message: "the organisation leads the nomination: hand the lead to another nominee before it leaves"}
		}
		if !t.c.NominationsOpen {
			return closedError(t.c)
		}
		if !t.editable() {
			return statusError(t.n.Status)
		}
		res, err := tx.ExecContext(ctx, `
			DELETE FROM nomination_organisations x USING nominations n, cycles c
			WHERE x.nomination_id = ? AND x.organisation_id = ? AND n.id = x.nomination_id AND c.id = n.cycle_id
				AND n.status IN `+editableStatuses+` AND `+acceptsChanges, t.n.ID, orgID)
		if err != nil {
			return postgres.Map("remove nominee", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return refusal(ctx, tx, t.n.ID, 0)
		}
		var unlinked []struct {
			ID    int64  `bun:"id"`
			Title string `bun:"title"`
		}
		if err := tx.NewRaw(`
			WITH gone AS (DELETE FROM nomination_projects np USING projects p
				WHERE np.nomination_id = ? AND p.id = np.project_id
					AND p.organisation_id IN (`+orgs.WithPredecessors("ARRAY[?::bigint]")+`) RETURNING p.id, p.title)
			SELECT id, title FROM gone ORDER BY id`, t.n.ID, orgID).Scan(ctx, &unlinked); err != nil {
			return postgres.Map("unlink the organisation's projects", err)
		}
		if err := touch(ctx, tx, t.n.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor.User.ID, "remove_nominee", entityNomination, t.n.ID,
			map[string]any{"organisation_id": orgID, "projects": unlinked}, nil)
	})
}

// HandOverLead makes orgID, an accepted nominee, the entry's lead. Members
// of the lead organisation may, while the cycle accepts changes. Returns
// ENotFound, EForbidden, EInvalid, EConflict.
func (s *Service) HandOverLead(ctx context.Context, actor *awards.Actor, publicID string, orgID int64) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		t, err := forEdit(ctx, tx, actor, publicID, true)
		if err != nil {
			return err
		}
		if !policy.CanLeadNomination(actor, t.lead) {
			return &awards.Error{Code: awards.EForbidden, Fields: map[string]string{"organisation_id": keyLeadOnly},
				Message: "only members of the organisation that leads the nomination can hand the lead over"}
		}
		if !slices.Contains(t.nominees, orgID) {
			return &awards.Error{Code: awards.EInvalid, Fields: map[string]string{"organisation_id": keyNotNominee},
				Message: "the lead can only go to an organisation that has accepted to be a nominee of this nomination"}
		}
		if orgID == t.lead {
			return nil
		}
		if !t.c.NominationsOpen {
			return closedError(t.c)
		}
		if !t.editable() {
			return statusError(t.n.Status)
		}
		// Two statements: the one-lead index is checked row by row.
		if _, err := tx.ExecContext(ctx, `UPDATE nomination_organisations SET lead = false WHERE nomination_id = ? AND lead`, t.n.ID); err != nil {
			return postgres.Map("drop lead", err)
		}
		res, err := tx.ExecContext(ctx, `
			UPDATE nomination_organisations x SET lead = true FROM nominations n JOIN cycles c ON c.id = n.cycle_id
			WHERE x.nomination_id = ? AND x.organisation_id = ? AND n.id = x.nomination_id
				AND n.status IN `+editableStatuses+` AND `+acceptsChanges, t.n.ID, orgID)
		if err != nil {
			return postgres.Map("hand over lead", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return refusal(ctx, tx, t.n.ID, 0)
		}
		if err := touch(ctx, tx, t.n.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor.User.ID, "hand_over_lead", entityNomination, t.n.ID,
			map[string]any{"lead_organisation_id": t.lead}, map[string]any{"lead_organisation_id": orgID})
	})
}
