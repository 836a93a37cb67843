package orgs

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// Member is a user's membership as seen by those who manage it.
type Member struct {
	UserID    int64     `bun:"user_id"`
	Name      string    `bun:"name"`
	Email     string    `bun:"email"`
	Role      string    `bun:"role"`
	Source    string    `bun:"source"`
	CreatedAt time.Time `bun:"created_at"`
}

// Request is a request for membership of an organisation.
type Request struct {
	ID               int64     `bun:"id"`
	UserID           int64     `bun:"user_id"`
	UserName         string    `bun:"user_name"`
	UserEmail        string    `bun:"user_email"`
	OrganisationID   int64     `bun:"organisation_id"`
	OrganisationName string    `bun:"organisation_name"`
	Message          string    `bun:"message"`
	Status           string    `bun:"status"`
	CreatedAt        time.Time `bun:"created_at"`
}

// Members lists an organisation's members. Site admins and the
// organisation's admins only; EForbidden otherwise.
func (s *Service) Members(ctx context.Context, actor *awards.Actor, orgID int64) ([]Member, error) {
	if !policy.CanManageMembers(actor, orgID) {
		return nil, awards.Errorf(awards.EForbidden, "only the organisation's administrators can see its members")
	}
	var out []Member
	err := s.db.NewRaw(`
		SELECT m.user_id, u.name, u.email, m.role, m.source, m.created_at
		FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.organisation_id = ? ORDER BY u.name, u.id`, orgID).Scan(ctx, &out)
	if err != nil {
		return nil, postgres.Map("list members", err)
	}
	return out, nil
}

func validRole(role string) bool {
	return role == string(awards.RoleSubmitter) || role == string(awards.RoleOrgAdmin)
}

// AddMember makes user a member of org with role (or changes the role).
// Site admins and the organisation's admins only. Returns EForbidden,
// EInvalid, ENotFound.
func (s *Service) AddMember(ctx context.Context, actor *awards.Actor, orgID, userID int64, role string) error {
	if !policy.CanManageMembers(actor, orgID) {
		return awards.Errorf(awards.EForbidden, "only the organisation's administrators can add members")
	}
	if !validRole(role) {
		return awards.Invalid(map[string]string{"role": "orgs.error.role"})
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return addMember(ctx, tx, actor.User.ID, orgID, userID, role, "admin")
	})
}

// AddMemberByEmail adds the user who logged in with e-mail address email,
// as AddMember does. People must have logged in once to be found.
func (s *Service) AddMemberByEmail(ctx context.Context, actor *awards.Actor, orgID int64, email, role string) error {
	if !policy.CanManageMembers(actor, orgID) {
		return awards.Errorf(awards.EForbidden, "only the organisation's administrators can add members")
	}
	email = strings.ToLower(strings.TrimSpace(email))
	if !strings.Contains(email, "@") {
		return awards.Invalid(map[string]string{"email": "orgs.error.email"})
	}
	var userID int64
	err := s.db.NewRaw(`SELECT id FROM users WHERE email = ? ORDER BY last_login_at DESC NULLS LAST LIMIT 1`, email).Scan(ctx, &userID)
	if err != nil {
		if awards.ErrorCode(postgres.Map("find user", err)) == awards.ENotFound {
			return awards.Invalid(map[string]string{"email": "orgs.error.no_such_user"})
		}
		return postgres.Map("find user by e-mail", err)
	}
	return s.AddMember(ctx, actor, orgID, userID, role)
}

func addMember(ctx context.Context, tx bun.IDB, actorID, orgID, userID int64, role, source string) error {
	res, err := tx.ExecContext(ctx, `
		INSERT INTO memberships (user_id, organisation_id, role, source)
		SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM users WHERE id = ?) AND EXISTS (SELECT 1 FROM organisations WHERE id = ?)
		ON CONFLICT (user_id, organisation_id) DO UPDATE SET role = EXCLUDED.role
		WHERE memberships.role IS DISTINCT FROM EXCLUDED.role`,
		userID, orgID, role, source, userID, orgID)
	if err != nil {
		return postgres.Map("add member", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		var exists bool
		if err := tx.NewRaw(`SELECT EXISTS (SELECT 1 FROM memberships WHERE user_id = ? AND organisation_id = ?)`, userID, orgID).Scan(ctx, &exists); err != nil {
			return postgres.Map("add member", err)
		}
		if !exists {
			return awards.Errorf(awards.ENotFound, "no such user or organisation")
		}
		return nil // already a member with that role
	}
	return audit.Record(ctx, tx, actorID, "add", "membership", orgID, nil,
		map[string]any{"user_id": userID, "organisation_id": orgID, "role": role, "source": source})
}

// AddClaimMembership records a membership found in a login's claims. It
// is called by login provisioning inside its transaction.
func AddClaimMembership(ctx context.Context, tx bun.IDB, orgID, userID int64) error {
	var exists bool
	if err := tx.NewRaw(`SELECT EXISTS (SELECT 1 FROM memberships WHERE user_id = ? AND organisation_id = ?)`, userID, orgID).Scan(ctx, &exists); err != nil {
		return postgres.Map("claim membership", err)
	}
	if exists {
		return nil
	}
	return addMember(ctx, tx, userID, orgID, userID, string(awards.RoleSubmitter), "claim")
}

// RemoveMember ends a membership. Site admins and the organisation's
// admins only.
func (s *Service) RemoveMember(ctx context.Context, actor *awards.Actor, orgID, userID int64) error {
	if !policy.CanManageMembers(actor, orgID) {
		return awards.Errorf(awards.EForbidden, "only the organisation's administrators can remove members")
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var role string
		err := tx.NewRaw(`DELETE FROM memberships WHERE user_id = ? AND organisation_id = ? RETURNING role`, userID, orgID).Scan(ctx, &role)
		if err != nil {
			return postgres.Map("remove member", err)
		}
		return audit.Record(ctx, tx, actor.User.ID, "remove", "membership", orgID,
			map[string]any{"user_id": userID, "organisation_id": orgID, "role": role}, nil)
	})
}

// RequestAccess asks to join org. Any logged-in user who is not already a
// member may ask, once at a time. Returns EUnauthenticated, EConflict,
// ENotFound, EInvalid.
func (s *Service) RequestAccess(ctx context.Context, actor *awards.Actor, orgID int64, message string) (Request, error) {
	if actor.Anonymous() {
		return Request{}, awards.Errorf(awards.EUnauthenticated, "log in to request access")
	}
	message = strings.TrimSpace(message)
	if len([]rune(message)) > 2000 {
		return Request{}, awards.Invalid(map[string]string{"message": "form.error.too_long"})
	}
	if actor.MemberOf(orgID) {
		return Request{}, awards.Errorf(awards.EConflict, "you are already a member of this organisation")
	}
	var req Request
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		org, err := NewService(tx).Get(ctx, orgID)
		if err != nil {
			return err
		}
		if org.ValidTo != nil {
			return awards.Invalid(map[string]string{"organisation": "orgs.error.former"})
		}
		var id int64
		err = tx.NewRaw(`INSERT INTO membership_requests (user_id, organisation_id, message) VALUES (?, ?, ?) RETURNING id`,
			actor.User.ID, orgID, message).Scan(ctx, &id)
		if err != nil {
			err = postgres.Map("request access", err)
			if awards.ErrorCode(err) == awards.EConflict {
				return awards.Errorf(awards.EConflict, "you have already asked to join this organisation")
			}
			return err
		}
		if err := audit.Record(ctx, tx, actor.User.ID, "request", "membership_request", id, nil,
			map[string]any{"organisation_id": orgID, "message": message}); err != nil {
			return err
		}
		req, err = getRequest(ctx, tx, id)
		return err
	})
	return req, err
}

const requestSelect = `
	SELECT r.id, r.user_id, u.name AS user_name, u.email AS user_email, r.organisation_id, o.name AS organisation_name,
		r.message, r.status, r.created_at
	FROM membership_requests r JOIN users u ON u.id = r.user_id JOIN organisations o ON o.id = r.organisation_id`

func getRequest(ctx context.Context, db bun.IDB, id int64) (Request, error) {
	var r Request
	if err := db.NewRaw(requestSelect+` WHERE r.id = ?`, id).Scan(ctx, &r); err != nil {
		return Request{}, postgres.Map(fmt.Sprintf("get request %d", id), err)
	}
	return r, nil
}

// PendingRequests lists the requests actor can decide: all for site
// admins, their organisations' for organisation admins, else none.
func (s *Service) PendingRequests(ctx context.Context, actor *awards.Actor) ([]Request, error) {
	if actor.Anonymous() {
		return nil, nil
	}
	var out []Request
	err := s.db.NewRaw(requestSelect+`
		WHERE r.status = 'pending' AND (? OR r.organisation_id IN (
			SELECT organisation_id FROM memberships WHERE user_id = ? AND role = 'org_admin'))
		ORDER BY r.created_at, r.id`, actor.User.IsAdmin, actor.User.ID).Scan(ctx, &out)
	if err != nil {
		return nil, postgres.Map("pending requests", err)
	}
	return out, nil
}

// MyRequests lists the actor's own pending requests.
func (s *Service) MyRequests(ctx context.Context, actor *awards.Actor) ([]Request, error) {
	if actor.Anonymous() {
		return nil, nil
	}
	var out []Request
	err := s.db.NewRaw(requestSelect+` WHERE r.user_id = ? AND r.status = 'pending' ORDER BY r.id`, actor.User.ID).Scan(ctx, &out)
	if err != nil {
		return nil, postgres.Map("my requests", err)
	}
	return out, nil
}

// DecideRequest approves (making the requester a submitter) or rejects a
// pending request. Site admins and the organisation's admins only; others
// get ENotFound, since requests are private, as does a request not of
// orgID (0 = any). Returns EConflict when the request was already decided.
func (s *Service) DecideRequest(ctx context.Context, actor *awards.Actor, orgID, requestID int64, approve bool) (Request, error) {
	var out Request
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		req, err := getRequest(ctx, tx, requestID)
		if err != nil {
			return err
		}
		if !policy.CanManageMembers(actor, req.OrganisationID) || (orgID != 0 && orgID != req.OrganisationID) {
			return awards.Errorf(awards.ENotFound, "not found")
		}
		status := "rejected"
		if approve {
			status = "approved"
		}
		res, err := tx.ExecContext(ctx, `UPDATE membership_requests SET status = ?, decided_by = ?, decided_at = now() WHERE id = ? AND status = 'pending'`,
			status, actor.User.ID, requestID)
		if err != nil {
			return postgres.Map("decide request", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return awards.Errorf(awards.EConflict, "this request has already been decided")
		}
		if err := audit.Record(ctx, tx, actor.User.ID, status, "membership_request", requestID,
			map[string]string{"status": req.Status}, map[string]string{"status": status}); err != nil {
			return err
		}
		if approve {
			if err := addMember(ctx, tx, actor.User.ID, req.OrganisationID, req.UserID, string(awards.RoleSubmitter), "request"); err != nil {
				return err
			}
		}
		out, err = getRequest(ctx, tx, requestID)
		return err
	})
	return out, err
}
