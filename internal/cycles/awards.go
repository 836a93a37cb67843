package cycles

import (
	"context"
	"fmt"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// AwardFields are the settings of an award. A nil field is left as it is
// (on create: empty). Slug and NameNB are required on create; the slug
// cannot change afterwards, since public addresses are built from it.
type AwardFields struct {
	Slug          *string
	NameNB        *string
	NameNN        *string
	NameEN        *string
	DescriptionNB *string
	DescriptionNN *string
	DescriptionEN *string
	// OwnerID is the owning organisation; 0 means none.
	OwnerID *int64
	// Kind is a prize (the default) or a programme; it is set on create
	// and cannot change afterwards, since a programme's cycles have no jury.
	Kind *awards.AwardKind
}

type awardRow struct {
	ID            int64  `bun:"id"`
	Slug          string `bun:"slug"`
	NameNB        string `bun:"name_nb"`
	NameNN        string `bun:"name_nn"`
	NameEN        string `bun:"name_en"`
	DescriptionNB string `bun:"description_nb"`
	DescriptionNN string `bun:"description_nn"`
	DescriptionEN string `bun:"description_en"`
	OwnerID       int64  `bun:"owner_id"`
	OwnerName     string `bun:"owner_name"`
	Kind          string `bun:"kind"`
}

func (r awardRow) award() awards.Award {
	return awards.Award{ID: r.ID, Slug: r.Slug, NameNB: r.NameNB, NameNN: r.NameNN, NameEN: r.NameEN,
		DescriptionNB: r.DescriptionNB, DescriptionNN: r.DescriptionNN, DescriptionEN: r.DescriptionEN,
		OwnerID: r.OwnerID, OwnerName: r.OwnerName, Kind: awards.AwardKind(r.Kind)}
}

const awardSelect = `
	SELECT a.id, a.slug, a.name_nb, a.name_nn, a.name_en, a.description AS description_nb, a.description_nn,
		a.description_en, coalesce(a.owner_id, 0) AS owner_id, coalesce(o.name, '') AS owner_name, a.kind
	FROM awards a LEFT JOIN organisations o ON o.id = a.owner_id`

// Awards lists every award by name. Awards are public; anyone may call it.
func (s *Service) Awards(ctx context.Context) ([]awards.Award, error) {
	var rows []awardRow
	if err := s.db.NewRaw(awardSelect+` ORDER BY a.name_nb, a.id`).Scan(ctx, &rows); err != nil {
		return nil, postgres.Map("list awards", err)
	}
	out := make([]awards.Award, len(rows))
	for i, r := range rows {
		out[i] = r.award()
	}
	return out, nil
}

// Award returns the award with slug. Anyone may call it. Returns ENotFound.
func (s *Service) Award(ctx context.Context, slug string) (awards.Award, error) {
	return getAward(ctx, s.db, slug)
}

func getAward(ctx context.Context, db bun.IDB, slug string) (awards.Award, error) {
	var r awardRow
	if err := db.NewRaw(awardSelect+` WHERE a.slug = ?`, slug).Scan(ctx, &r); err != nil {
		return awards.Award{}, postgres.Map(fmt.Sprintf("get award %q", slug), err)
	}
	return r.award(), nil
}

// Owners lists the organisations the actor may give an award to, by name:
// for site admins every current organisation but municipalities
// (ministries, counties and other bodies), for owner admins the owners
// they administer. The admins' award form offers them.
func (s *Service) Owners(ctx context.Context, actor *awards.Actor) ([]awards.Organisation, error) {
	var rows []struct {
		ID   int64  `bun:"id"`
		Kind string `bun:"kind"`
		Name string `bun:"name"`
	}
	err := s.db.NewRaw(`SELECT id, kind, name FROM organisations WHERE kind <> 'municipality' AND valid_to IS NULL
		ORDER BY kind, name`).Scan(ctx, &rows)
	if err != nil {
		return nil, postgres.Map("list award owners", err)
	}
	var out []awards.Organisation
	for _, r := range rows {
		if policy.CanCreateAward(actor, r.ID) {
			out = append(out, awards.Organisation{ID: r.ID, Kind: awards.OrgKind(r.Kind), Name: r.Name})
		}
	}
	return out, nil
}

// ManagedCycle returns the cycle with publicID for its admins' pages:
// EForbidden for anyone else, ENotFound for an unknown cycle or one in
// draft that the actor may not know of.
func (s *Service) ManagedCycle(ctx context.Context, actor *awards.Actor, publicID string) (awards.Cycle, error) {
	c, err := getCycle(ctx, s.db, publicID)
	if err != nil {
		return c, err
	}
	return c, requireCycle(actor, c)
}

// ManagedAward returns the award with slug for its admins' pages:
// EForbidden for anyone else, ENotFound for an unknown award.
func (s *Service) ManagedAward(ctx context.Context, actor *awards.Actor, slug string) (awards.Award, error) {
	a, err := getAward(ctx, s.db, slug)
	if err != nil {
		return a, err
	}
	return a, requireAward(actor, a)
}

// applyAward applies f to a, cleaning and checking every field given.
func applyAward(a *awards.Award, f AwardFields, create bool) fieldErrors {
	fe := fieldErrors{}
	if create {
		slug := ""
		if f.Slug != nil {
			slug = *f.Slug
		}
		a.Slug = fe.text("slug", slug, false, true, maxSlug)
		if _, bad := fe["slug"]; !bad && !slugPattern.MatchString(a.Slug) {
			fe.add("slug", "cycles.error.slug")
		}
		a.Kind = awards.KindPrize
		if f.Kind != nil {
			a.Kind = *f.Kind
		}
		if !a.Kind.Valid() {
			fe.add("kind", "cycles.error.award_kind")
		}
	} else {
		if f.Slug != nil && *f.Slug != a.Slug {
			fe.add("slug", "cycles.error.slug_fixed")
		}
		if f.Kind != nil && *f.Kind != a.Kind {
			fe.add("kind", "cycles.error.award_kind_fixed")
		}
	}
	set := func(dst *string, src *string, field string, multiline, required bool, max int) {
		if src != nil {
			*dst = fe.text(field, *src, multiline, required, max)
		} else if required && *dst == "" {
			fe.add(field, "form.required")
		}
	}
	set(&a.NameNB, f.NameNB, "name_nb", false, true, maxName)
	set(&a.NameNN, f.NameNN, "name_nn", false, false, maxName)
	set(&a.NameEN, f.NameEN, "name_en", false, false, maxName)
	set(&a.DescriptionNB, f.DescriptionNB, "description_nb", true, false, maxText)
	set(&a.DescriptionNN, f.DescriptionNN, "description_nn", true, false, maxText)
	set(&a.DescriptionEN, f.DescriptionEN, "description_en", true, false, maxText)
	if f.OwnerID != nil {
		if *f.OwnerID < 0 {
			fe.add("owner_id", "cycles.error.owner")
		}
		a.OwnerID = *f.OwnerID
	}
	return fe
}

// checkOwner checks that the actor may give an award to owner id (0: no
// owner, which only site admins may leave an award with) and that it
// exists, and makes the organisation an award owner if it is not one yet.
func checkOwner(ctx context.Context, db bun.IDB, actor *awards.Actor, id int64) error {
	if !policy.CanCreateAward(actor, id) {
		return &awards.Error{Code: awards.EForbidden, Fields: map[string]string{"owner_id": "cycles.error.owner_not_yours"},
			Message: "you can only give an award to an owner you administer"}
	}
	if id == 0 {
		return nil
	}
	var ok bool
	if err := db.NewRaw(`SELECT EXISTS (SELECT 1 FROM organisations WHERE id = ?)`, id).Scan(ctx, &ok); err != nil {
		return postgres.Map("check award owner", err)
	}
	if !ok {
		return awards.Invalid(map[string]string{"owner_id": "cycles.error.owner"})
	}
	_, err := db.ExecContext(ctx, `INSERT INTO award_owners (organisation_id) VALUES (?) ON CONFLICT DO NOTHING`, id)
	return postgres.Map("make award owner", err)
}

func slugTaken(err error) error {
	if awards.ErrorCode(err) == awards.EConflict {
		return &awards.Error{Code: awards.EConflict, Message: "another award has this slug",
			Fields: map[string]string{"slug": "cycles.error.slug_taken"}, Err: err}
	}
	return err
}

// CreateAward creates an award: site admins for any owner, owner admins
// for theirs (the one they administer when they name none). Returns EForbidden,
// EInvalid (field errors) and EConflict (field "slug") when the slug is
// taken.
func (s *Service) CreateAward(ctx context.Context, actor *awards.Actor, f AwardFields) (awards.Award, error) {
	if err := requireAdmin(actor); err != nil {
		return awards.Award{}, err
	}
	var a awards.Award
	if err := applyAward(&a, f, true).err(); err != nil {
		return awards.Award{}, err
	}
	if f.OwnerID == nil && len(actor.Owners) == 1 && !actor.User.IsAdmin {
		a.OwnerID = actor.Owners[0].OwnerID
	}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := checkOwner(ctx, tx, actor, a.OwnerID); err != nil {
			return err
		}
		var id int64
		err := tx.NewRaw(`
			INSERT INTO awards (slug, name_nb, name_nn, name_en, description, description_nn, description_en, owner_id, kind)
			VALUES (?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), ?) RETURNING id`,
			a.Slug, a.NameNB, a.NameNN, a.NameEN, a.DescriptionNB, a.DescriptionNN, a.DescriptionEN, a.OwnerID, string(a.Kind)).Scan(ctx, &id)
		if err != nil {
			return slugTaken(postgres.Map("create award", err))
		}
		if a, err = getAward(ctx, tx, a.Slug); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor.User.ID, "create", "award", a.ID, nil, a)
	})
	if err != nil {
		return awards.Award{}, err
	}
	return a, nil
}

// UpdateAward changes the award with slug. The award's admins only;
// giving it to another owner needs the right to create awards for that
// owner. Returns
// EForbidden, ENotFound and EInvalid (field errors).
func (s *Service) UpdateAward(ctx context.Context, actor *awards.Actor, slug string, f AwardFields) (awards.Award, error) {
	if err := requireAdmin(actor); err != nil {
		return awards.Award{}, err
	}
	var out awards.Award
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		before, err := getAward(ctx, tx, slug)
		if err != nil {
			return err
		}
		if err := requireAward(actor, before); err != nil {
			return err
		}
		a := before
		if err := applyAward(&a, f, false).err(); err != nil {
			return err
		}
		if a.OwnerID != before.OwnerID {
			if err := checkOwner(ctx, tx, actor, a.OwnerID); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `
			UPDATE awards SET name_nb = ?, name_nn = ?, name_en = ?, description = ?, description_nn = ?,
				description_en = ?, owner_id = NULLIF(?, 0), updated_at = now()
			WHERE id = ?`,
			a.NameNB, a.NameNN, a.NameEN, a.DescriptionNB, a.DescriptionNN, a.DescriptionEN, a.OwnerID, a.ID)
		if err != nil {
			return postgres.Map("update award", err)
		}
		if out, err = getAward(ctx, tx, slug); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor.User.ID, "update", "award", a.ID, before, out)
	})
	return out, err
}
