// Package owners owns the award owners of an instance and their owner
// admins: the organisations that run awards here (a ministry, a
// directorate, KS, a county, a foundation), who may run them, and how
// long their cycles' personal data is kept. Site admins make an
// organisation an owner; an owner's admins then grant and revoke each
// other and set its retention period.
package owners

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

// MaxRetentionMonths is the longest retention period an owner can set
// (50 years); the table's check says the same.
const MaxRetentionMonths = 600

// Owner is an award owner with its admins and awards.
type Owner struct {
	ID   int64 // the organisation's ID
	Name string
	Kind awards.OrgKind
	// StateBody: a ministry or a state agency, bound by språklova to
	// offer its calls in nynorsk as well as bokmål.
	StateBody bool
	// RetentionMonths after a cycle's publication its personal data is
	// deleted or anonymised; nil keeps it.
	RetentionMonths *int
	Admins          []Admin
	Awards          []Award
	// Published are the owner's published cycles, newest first, with when
	// the retention job erases (or erased) their personal data.
	Published []Published
}

// Published is one of an owner's published cycles.
type Published struct {
	CycleID     string     `json:"cycle_id"`
	Title       string     `json:"title"`
	PublishedAt time.Time  `json:"published_at"`
	EraseAt     *time.Time `json:"erase_at"`
	// Due: the retention period has passed; the next daily run erases it.
	Due      bool       `json:"due"`
	ErasedAt *time.Time `json:"erased_at"`
}

// Admin is an owner admin.
type Admin struct {
	UserID int64     `json:"user_id"`
	Name   string    `json:"name"`
	Email  string    `json:"email"`
	Since  time.Time `json:"since"`
}

// Award is one of an owner's awards.
type Award struct {
	Slug   string `json:"slug"`
	NameNB string `json:"name_nb"`
}

// Service manages award owners.
type Service struct {
	db bun.IDB
}

// NewService returns a Service over db.
func NewService(db bun.IDB) *Service { return &Service{db: db} }

const ownerSelect = `
	SELECT o.id, o.name, o.kind, ao.retention_months,
		(SELECT coalesce(json_agg(json_build_object('user_id', u.id, 'name', u.name, 'email', u.email, 'since', oa.created_at)
			ORDER BY u.name, u.id), '[]') FROM owner_admins oa JOIN users u ON u.id = oa.user_id
			WHERE oa.owner_id = ao.organisation_id) AS admins,
		(SELECT coalesce(json_agg(json_build_object('slug', a.slug, 'name_nb', a.name_nb) ORDER BY a.name_nb), '[]')
			FROM awards a WHERE a.owner_id = ao.organisation_id) AS awards,
		(SELECT coalesce(json_agg(json_build_object('cycle_id', c.public_id, 'title', c.title, 'published_at', p.published_at,
			'erase_at', p.published_at + make_interval(months => ao.retention_months),
			'due', p.published_at + make_interval(months => ao.retention_months) <= now(), 'erased_at', p.personal_data_erased_at)
			ORDER BY p.published_at DESC, c.id), '[]')
			FROM cycle_publications p JOIN cycles c ON c.id = p.cycle_id JOIN awards a ON a.id = p.award_id
			WHERE a.owner_id = ao.organisation_id AND p.published_at IS NOT NULL) AS published
	FROM award_owners ao JOIN organisations o ON o.id = ao.organisation_id`

type ownerRow struct {
	ID              int64       `bun:"id"`
	Name            string      `bun:"name"`
	Kind            string      `bun:"kind"`
	RetentionMonths *int        `bun:"retention_months"`
	Admins          []Admin     `bun:"admins,type:jsonb"`
	Awards          []Award     `bun:"awards,type:jsonb"`
	Published       []Published `bun:"published,type:jsonb"`
}

func (r ownerRow) owner() Owner {
	k := awards.OrgKind(r.Kind)
	return Owner{ID: r.ID, Name: r.Name, Kind: k, StateBody: k.StateBody(), RetentionMonths: r.RetentionMonths,
		Admins: r.Admins, Awards: r.Awards, Published: r.Published}
}

func forbidden() error {
	return awards.Errorf(awards.EForbidden, "only site admins and the owner's own admins manage an award owner")
}

// List returns the owners the actor administers, by name: all of them
// for site admins. Returns EForbidden for whoever administers none.
func (s *Service) List(ctx context.Context, actor *awards.Actor) ([]Owner, error) {
	if !actor.AnyAdmin() {
		return nil, forbidden()
	}
	var rows []ownerRow
	if err := s.db.NewRaw(ownerSelect+` ORDER BY o.name, o.id`).Scan(ctx, &rows); err != nil {
		return nil, postgres.Map("list award owners", err)
	}
	out := []Owner{}
	for _, r := range rows {
		if policy.CanManageOwner(actor, r.ID) {
			out = append(out, r.owner())
		}
	}
	return out, nil
}

// Get returns owner id to its admins and site admins. Returns ENotFound
// and EForbidden.
func (s *Service) Get(ctx context.Context, actor *awards.Actor, id int64) (Owner, error) {
	if !actor.AnyAdmin() {
		return Owner{}, forbidden()
	}
	o, err := get(ctx, s.db, id)
	if err != nil {
		return o, err
	}
	if !policy.CanManageOwner(actor, id) {
		return Owner{}, forbidden()
	}
	return o, nil
}

func get(ctx context.Context, db bun.IDB, id int64) (Owner, error) {
	var r ownerRow
	if err := db.NewRaw(ownerSelect+` WHERE ao.organisation_id = ?`, id).Scan(ctx, &r); err != nil {
		return Owner{}, postgres.Map(fmt.Sprintf("award owner %d", id), err)
	}
	return r.owner(), nil
}

// Create makes organisation orgID an award owner, with the user whose
// e-mail address is adminEmail (if any) as its first owner admin. Site
// admins only. Returns EForbidden, EInvalid (field organisation_id: no
// such current organisation; field email: nobody with that address has
// logged in) and EConflict (field organisation_id: already an owner).
func (s *Service) Create(ctx context.Context, actor *awards.Actor, orgID int64, adminEmail string) (Owner, error) {
	if !policy.CanCreateOwner(actor) {
		return Owner{}, awards.Errorf(awards.EForbidden, "only site admins make an organisation an award owner")
	}
	var out Owner
	err := postgres.InTx(ctx, s.db, func(ctx context.Context, tx bun.Tx) error {
		var current bool
		err := tx.NewRaw(`SELECT valid_to IS NULL FROM organisations WHERE id = ?`, orgID).Scan(ctx, &current)
		if awards.ErrorCode(postgres.Map("", err)) == awards.ENotFound || err == nil && !current {
			return awards.Invalid(map[string]string{"organisation_id": "owners.error.organisation"})
		} else if err != nil {
			return postgres.Map("check organisation", err)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO award_owners (organisation_id) VALUES (?) ON CONFLICT DO NOTHING`, orgID)
		if err != nil {
			return postgres.Map("create award owner", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return &awards.Error{Code: awards.EConflict, Fields: map[string]string{"organisation_id": "owners.error.already_owner"},
				Message: "the organisation is an award owner already"}
		}
		if strings.TrimSpace(adminEmail) != "" {
			if err := grant(ctx, tx, orgID, adminEmail); err != nil {
				return err
			}
		}
		if out, err = get(ctx, tx, orgID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor.User.ID, "create", "award_owner", orgID, nil, out)
	})
	return out, err
}

// AddAdmin makes the user whose e-mail address is email an admin of
// owner id. The owner's admins and site admins only. Returns EForbidden,
// ENotFound, EInvalid (field email: nobody with that address has logged
// in yet) and EConflict (field email: an admin already).
func (s *Service) AddAdmin(ctx context.Context, actor *awards.Actor, id int64, email string) (Owner, error) {
	return s.change(ctx, actor, id, "add_owner_admin", func(ctx context.Context, tx bun.Tx) error {
		return grant(ctx, tx, id, email)
	})
}

// RemoveAdmin revokes user userID's admin grant for owner id. The
// owner's admins and site admins only; the last admin cannot be removed
// by an owner admin (the owner would be left without one), only by a site
// admin. Returns EForbidden, ENotFound and EConflict.
func (s *Service) RemoveAdmin(ctx context.Context, actor *awards.Actor, id, userID int64) (Owner, error) {
	return s.change(ctx, actor, id, "remove_owner_admin", func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM owner_admins WHERE owner_id = ? AND user_id = ?`, id, userID)
		if err != nil {
			return postgres.Map("remove owner admin", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return awards.Errorf(awards.ENotFound, "the user is not an admin of this owner")
		}
		if actor.User.IsAdmin {
			return nil
		}
		var left int
		if err := tx.NewRaw(`SELECT count(*) FROM owner_admins WHERE owner_id = ?`, id).Scan(ctx, &left); err != nil {
			return postgres.Map("count owner admins", err)
		}
		if left == 0 {
			return awards.Errorf(awards.EConflict, "the owner's last admin can only be removed by a site admin")
		}
		return nil
	})
}

// SetRetention sets owner id's retention period in months (nil: keep
// personal data until someone decides). The owner's admins and site
// admins only. Returns EForbidden, ENotFound and EInvalid (field
// retention_months).
func (s *Service) SetRetention(ctx context.Context, actor *awards.Actor, id int64, months *int) (Owner, error) {
	if months != nil && (*months < 1 || *months > MaxRetentionMonths) {
		return Owner{}, awards.Invalid(map[string]string{"retention_months": "owners.error.retention_range"})
	}
	return s.change(ctx, actor, id, "set_retention", func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE award_owners SET retention_months = ?, updated_at = now() WHERE organisation_id = ?`,
			months, id)
		return postgres.Map("set retention", err)
	})
}

// change runs one audited change of owner id for its admins.
func (s *Service) change(ctx context.Context, actor *awards.Actor, id int64, action string, fn func(context.Context, bun.Tx) error) (Owner, error) {
	if !actor.AnyAdmin() {
		return Owner{}, forbidden()
	}
	var out Owner
	err := postgres.InTx(ctx, s.db, func(ctx context.Context, tx bun.Tx) error {
		before, err := get(ctx, tx, id)
		if err != nil {
			return err
		}
		if !policy.CanManageOwner(actor, id) {
			return forbidden()
		}
		if _, err := tx.ExecContext(ctx, `SELECT 1 FROM award_owners WHERE organisation_id = ? FOR UPDATE`, id); err != nil {
			return postgres.Map("lock award owner", err)
		}
		if err := fn(ctx, tx); err != nil {
			return err
		}
		if out, err = get(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor.User.ID, action, "award_owner", id, before, out)
	})
	if err != nil {
		return Owner{}, fmt.Errorf("%s of owner %d: %w", action, id, err)
	}
	return out, nil
}

// grant makes the user with e-mail address email an admin of owner id.
func grant(ctx context.Context, tx bun.Tx, id int64, email string) error {
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" {
		return awards.Invalid(map[string]string{"email": "form.required"})
	}
	var users []int64
	if err := tx.NewRaw(`SELECT id FROM users WHERE lower(email) = ? ORDER BY id`, email).Scan(ctx, &users); err != nil {
		return postgres.Map("find user", err)
	}
	if len(users) == 0 {
		return &awards.Error{Code: awards.EInvalid, Fields: map[string]string{"email": "owners.error.no_user"},
			Message: "nobody with this e-mail address has logged in to Heder yet: ask them to log in once, then try again"}
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO owner_admins (owner_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, id, users[0])
	if err != nil {
		return postgres.Map("add owner admin", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return &awards.Error{Code: awards.EConflict, Fields: map[string]string{"email": "owners.error.already_admin"},
			Message: "this person is an admin of the owner already"}
	}
	return nil
}
