package cycles

import (
	"context"
	"fmt"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
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

// Owners lists the organisations that can own an award: ministries,
// counties and other bodies, current ones only, by name. Anyone may call
// it; the admins' award form offers them.
func (s *Service) Owners(ctx context.Context) ([]awards.Organisation, error) {
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
	out := make([]awards.Organisation, len(rows))
	for i, r := range rows {
		out[i] = awards.Organisation{ID: r.ID, Kind: awards.OrgKind(r.Kind), Name: r.Name}
	}
	return out, nil
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

// checkOwner reports whether the owner exists (0: no owner).
func checkOwner(ctx context.Context, db bun.IDB, id int64) error {
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
	return nil
}

func slugTaken(err error) error {
	if awards.ErrorCode(err) == awards.EConflict {
		return &awards.Error{Code: awards.EConflict, Message: "another award has this slug",
			Fields: map[string]string{"slug": "cycles.error.slug_taken"}, Err: err}
	}
	return err
}

// CreateAward creates an award. Site admins only. Returns EForbidden,
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
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := checkOwner(ctx, tx, a.OwnerID); err != nil {
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

// UpdateAward changes the award with slug. Site admins only. Returns
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
		a := before
		if err := applyAward(&a, f, false).err(); err != nil {
			return err
		}
		if err := checkOwner(ctx, tx, a.OwnerID); err != nil {
			return err
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
