package users

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/orgs"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/jackc/pgx/v5"
	"github.com/uptrace/bun"
)

// Service manages users.
type Service struct {
	db bun.IDB
}

// NewService returns a Service over db.
func NewService(db bun.IDB) *Service { return &Service{db: db} }

// Login is what a verified login tells about a person.
type Login struct {
	Issuer        string
	Subject       string
	Name          string
	Email         string
	EmailVerified bool
	Locale        string
	// Orgnrs are organisation numbers found in the login's claims.
	Orgnrs []string
	// EmailDomains lets a verified e-mail's domain place the user.
	EmailDomains bool
	// Admin is set when configuration bootstraps this person as site admin.
	Admin bool
}

// Provision creates or updates the user behind a login and adds the
// memberships its claims prove, in one transaction. It returns the user ID.
func (s *Service) Provision(ctx context.Context, l Login) (int64, error) {
	if l.Issuer == "" || l.Subject == "" {
		return 0, awards.Errorf(awards.EInvalid, "login without issuer or subject")
	}
	locale := l.Locale
	if locale != "nn" && locale != "en" {
		locale = "nb"
	}
	var userID int64
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var created bool
		err := tx.NewRaw(`
			INSERT INTO users (issuer, subject, name, email, email_verified, locale, is_admin, last_login_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, now())
			ON CONFLICT (issuer, subject) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email,
				email_verified = EXCLUDED.email_verified, is_admin = users.is_admin OR EXCLUDED.is_admin,
				last_login_at = now(), updated_at = now()
			RETURNING id, (xmax = 0) AS created`,
			l.Issuer, l.Subject, l.Name, strings.ToLower(l.Email), l.EmailVerified, locale, l.Admin).Scan(ctx, &userID, &created)
		if err != nil {
			return postgres.Map("provision user", err)
		}
		if created {
			if err := audit.Record(ctx, tx, userID, "create", "user", userID, nil,
				map[string]any{"issuer": l.Issuer, "subject": l.Subject, "admin": l.Admin}); err != nil {
				return err
			}
		}
		o := orgs.NewService(tx)
		var orgIDs []int64
		for _, nr := range l.Orgnrs {
			org, err := o.ByOrgnr(ctx, nr)
			if awards.ErrorCode(err) == awards.ENotFound {
				continue // an organisation Heder does not know
			}
			if err != nil {
				return err
			}
			orgIDs = append(orgIDs, org.ID)
		}
		if l.EmailDomains && l.EmailVerified {
			if _, domain, ok := strings.Cut(strings.ToLower(l.Email), "@"); ok {
				org, err := o.EmailDomainOrg(ctx, domain)
				switch {
				case err == nil:
					orgIDs = append(orgIDs, org.ID)
				case awards.ErrorCode(err) != awards.ENotFound:
					return err
				}
			}
		}
		for _, id := range orgIDs {
			if err := orgs.AddClaimMembership(ctx, tx, id, userID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("provision %s: %w", l.Issuer, err)
	}
	return userID, nil
}

type userRow struct {
	ID            int64      `bun:"id"`
	Issuer        string     `bun:"issuer"`
	Subject       string     `bun:"subject"`
	Name          string     `bun:"name"`
	Email         string     `bun:"email"`
	EmailVerified bool       `bun:"email_verified"`
	Locale        string     `bun:"locale"`
	IsAdmin       bool       `bun:"is_admin"`
	CreatedAt     time.Time  `bun:"created_at"`
	LastLoginAt   *time.Time `bun:"last_login_at"`
}

func (r userRow) user() awards.User {
	u := awards.User{ID: r.ID, Issuer: r.Issuer, Subject: r.Subject, Name: r.Name, Email: r.Email,
		EmailVerified: r.EmailVerified, Locale: r.Locale, IsAdmin: r.IsAdmin, CreatedAt: r.CreatedAt}
	if r.LastLoginAt != nil {
		u.LastLoginAt = *r.LastLoginAt
	}
	return u
}

const userSelect = `SELECT id, issuer, subject, name, email, email_verified, locale, is_admin, created_at, last_login_at FROM users`

// actorSelect reads the user whose ID the SQL expression userID gives,
// with their memberships, jury seats and owner grants.
func actorSelect(userID string) string {
	return `SELECT u.id, u.issuer, u.subject, u.name, u.email, u.email_verified, u.locale, u.is_admin, u.created_at,
		u.last_login_at,
		(SELECT coalesce(json_agg(json_build_object('organisation_id', m.organisation_id, 'name', o.name, 'role', m.role,
			'source', m.source) ORDER BY o.name), '[]') FROM memberships m JOIN organisations o ON o.id = m.organisation_id
			WHERE m.user_id = u.id) AS memberships,
		(SELECT coalesce(json_agg(json_build_object('cycle_id', j.cycle_id, 'title', c.title, 'chair', j.chair)
			ORDER BY c.year DESC, c.id), '[]') FROM jurors j JOIN cycles c ON c.id = j.cycle_id
			WHERE j.user_id = u.id AND j.removed_at IS NULL) AS seats,
		(SELECT coalesce(json_agg(json_build_object('owner_id', oa.owner_id, 'name', o.name,
			'awards', (SELECT coalesce(array_agg(a.id), '{}') FROM awards a WHERE a.owner_id = oa.owner_id),
			'cycles', (SELECT coalesce(array_agg(c.id), '{}') FROM cycles c JOIN awards a ON a.id = c.award_id
				WHERE a.owner_id = oa.owner_id)) ORDER BY o.name), '[]')
			FROM owner_admins oa JOIN organisations o ON o.id = oa.owner_id WHERE oa.user_id = u.id) AS owners
	FROM users u WHERE u.id = ` + userID
}

// actorQuery reads user $1 as actorSelect does.
var actorQuery = actorSelect("$1")

// Actor loads a user with their memberships, jury seats and owner grants, in one round
// trip of a prepared statement since every request needs it. ENotFound
// when the user no longer exists.
func (s *Service) Actor(ctx context.Context, userID int64) (*awards.Actor, error) {
	a, err := scanActor(postgres.Driver(s.db).QueryRowContext(ctx, actorQuery, userID))
	return a, postgres.Map(fmt.Sprintf("load user %d", userID), err)
}

// ActorRead is the read of an actor by a statement of another package's
// round trip (the session's): the user whose ID the SQL expression it was
// made for gives. Its text is built once, as it is sent on every request.
type ActorRead struct{ query string }

// NewActorRead returns the read of the actor whose user ID the SQL
// expression userID gives, over the parameters it is queued with.
func NewActorRead(userID string) ActorRead { return ActorRead{query: actorSelect(userID)} }

// Queue queues the read in b, and returns the function that reads the
// actor from the batch's results, after those of the statements queued
// before it; ENotFound when there is no such user.
func (r ActorRead) Queue(b *pgx.Batch, args ...any) func(pgx.BatchResults) (*awards.Actor, error) {
	b.Queue(r.query, args...)
	return func(br pgx.BatchResults) (*awards.Actor, error) {
		a, err := scanActor(br.QueryRow())
		return a, postgres.Map("load the session's user", err)
	}
}

// scanActor reads an actor from a row of actorSelect.
func scanActor(row interface{ Scan(...any) error }) (*awards.Actor, error) {
	var r userRow
	var memberships, seats, owners []byte
	err := row.Scan(&r.ID, &r.Issuer, &r.Subject, &r.Name, &r.Email,
		&r.EmailVerified, &r.Locale, &r.IsAdmin, &r.CreatedAt, &r.LastLoginAt, &memberships, &seats, &owners)
	if err != nil {
		return nil, err
	}
	userID := r.ID
	a := &awards.Actor{User: r.user()}
	var ms []struct {
		OrgID   int64  `json:"organisation_id"`
		OrgName string `json:"name"`
		Role    string `json:"role"`
		Source  string `json:"source"`
	}
	if err := json.Unmarshal(memberships, &ms); err != nil {
		return nil, fmt.Errorf("load memberships of user %d: %w", userID, err)
	}
	for _, m := range ms {
		a.Memberships = append(a.Memberships, awards.Membership{UserID: userID, OrganisationID: m.OrgID,
			OrganisationName: m.OrgName, Role: awards.Role(m.Role), Source: m.Source})
	}
	var ss []struct {
		CycleID int64  `json:"cycle_id"`
		Title   string `json:"title"`
		Chair   bool   `json:"chair"`
	}
	if err := json.Unmarshal(seats, &ss); err != nil {
		return nil, fmt.Errorf("load jury seats of user %d: %w", userID, err)
	}
	for _, st := range ss {
		a.Seats = append(a.Seats, awards.JurySeat{CycleID: st.CycleID, CycleTitle: st.Title, Chair: st.Chair})
	}
	var os []struct {
		OwnerID int64   `json:"owner_id"`
		Name    string  `json:"name"`
		Awards  []int64 `json:"awards"`
		Cycles  []int64 `json:"cycles"`
	}
	if err := json.Unmarshal(owners, &os); err != nil {
		return nil, fmt.Errorf("load owner grants of user %d: %w", userID, err)
	}
	for _, o := range os {
		a.Owners = append(a.Owners, awards.OwnerGrant{OwnerID: o.OwnerID, OwnerName: o.Name, Awards: o.Awards, Cycles: o.Cycles})
	}
	return a, nil
}

// SetLocale stores the user's language.
func (s *Service) SetLocale(ctx context.Context, userID int64, locale string) error {
	if locale != "nb" && locale != "nn" && locale != "en" {
		return awards.Invalid(map[string]string{"lang": "form.error.choice"})
	}
	_, err := s.db.ExecContext(ctx, `UPDATE users SET locale = ?, updated_at = now() WHERE id = ?`, locale, userID)
	return postgres.Map("set locale", err)
}

// List finds users by name or e-mail. Site admins only.
func (s *Service) List(ctx context.Context, actor *awards.Actor, q string) ([]awards.User, error) {
	if !policy.CanManageUsers(actor) {
		return nil, awards.Errorf(awards.EForbidden, "only administrators can list users")
	}
	var rows []userRow
	q = strings.TrimSpace(q)
	err := s.db.NewRaw(userSelect+` WHERE ? = '' OR name ILIKE '%' || ? || '%' OR email ILIKE '%' || ? || '%'
		ORDER BY name, id LIMIT 200`, q, q, q).Scan(ctx, &rows)
	if err != nil {
		return nil, postgres.Map("list users", err)
	}
	out := make([]awards.User, len(rows))
	for i, r := range rows {
		out[i] = r.user()
	}
	return out, nil
}

// SetAdmin grants or revokes site admin. Site admins only; nobody can
// revoke their own grant, so a site is never left without an admin by
// accident. Returns EForbidden, ENotFound, EInvalid.
func (s *Service) SetAdmin(ctx context.Context, actor *awards.Actor, userID int64, admin bool) error {
	if !policy.CanManageUsers(actor) {
		return awards.Errorf(awards.EForbidden, "only administrators can grant admin")
	}
	if userID == actor.User.ID && !admin {
		return awards.Errorf(awards.EInvalid, "you cannot revoke your own admin rights")
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var was bool
		err := tx.NewRaw(`SELECT is_admin FROM users WHERE id = ? FOR UPDATE`, userID).Scan(ctx, &was)
		if err != nil {
			return postgres.Map("set admin", err)
		}
		if was == admin {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET is_admin = ?, updated_at = now() WHERE id = ?`, admin, userID); err != nil {
			return postgres.Map("set admin", err)
		}
		return audit.Record(ctx, tx, actor.User.ID, "set_admin", "user", userID,
			map[string]bool{"admin": was}, map[string]bool{"admin": admin})
	})
}
