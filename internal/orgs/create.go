package orgs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"
)

// NewOrganisation is an organisation a site admin creates by hand or
// imports from a file.
type NewOrganisation struct {
	Orgnr    string
	Kind     awards.OrgKind
	Name     string
	ParentID int64  // 0: none
	Language string // nb or nn; empty means nb
}

// Create adds an organisation that SSB's lists do not hold, from its
// organisation number. Site admins only. Returns EForbidden, EInvalid (a
// malformed number, a bad check digit, a kind that is not created by hand,
// a parent of the wrong kind) and EConflict (the number is taken), each
// with the field it is about.
func (s *Service) Create(ctx context.Context, actor *awards.Actor, in NewOrganisation) (awards.Organisation, error) {
	if !policy.CanEditOrganisation(actor) {
		return awards.Organisation{}, awards.Errorf(awards.EForbidden, "only administrators can create organisations")
	}
	var out awards.Organisation
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		in = normalise(in)
		fields, err := check(ctx, tx, in)
		if err != nil {
			return err
		}
		if len(fields) > 0 {
			return fieldError(fields)
		}
		id, err := insert(ctx, tx, in)
		if err != nil {
			return err
		}
		if out, err = NewService(tx).Get(ctx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor.User.ID, "create", "organisation", id, nil, out)
	})
	if err != nil {
		return awards.Organisation{}, fmt.Errorf("create organisation %s: %w", in.Orgnr, err)
	}
	return out, nil
}

func normalise(in NewOrganisation) NewOrganisation {
	in.Orgnr = strings.Join(strings.Fields(in.Orgnr), "") // "958 935 420" as printed on letters
	in.Name = strings.TrimSpace(in.Name)
	if in.Language == "" {
		in.Language = "nb"
	}
	return in
}

// orgnrProblem returns the message key for a malformed orgnr, or "".
func orgnrProblem(orgnr string) string {
	switch awards.CheckOrgnr(orgnr) {
	case awards.OrgnrFormat:
		return "orgs.error.orgnr"
	case awards.OrgnrCheckDigit:
		return "orgs.error.orgnr_check_digit"
	}
	return ""
}

const orgnrTaken = "orgs.error.orgnr_taken"

// fieldError is EConflict when the only problem is a taken number (the
// request was fine, the state is not), else EInvalid.
func fieldError(fields map[string]string) error {
	if len(fields) == 1 && fields["orgnr"] == orgnrTaken {
		return &awards.Error{Code: awards.EConflict, Message: "the organisation number is taken", Fields: fields}
	}
	return awards.Invalid(fields)
}

// check returns the field problems of a new organisation, reading the
// parent and whether the number is taken in db.
func check(ctx context.Context, db bun.IDB, in NewOrganisation) (map[string]string, error) {
	fields := map[string]string{}
	if key := orgnrProblem(in.Orgnr); key != "" {
		fields["orgnr"] = key
	} else {
		var taken bool
		if err := db.NewRaw(`SELECT EXISTS (SELECT 1 FROM organisations WHERE orgnr = ?)`, in.Orgnr).Scan(ctx, &taken); err != nil {
			return nil, postgres.Map("check orgnr", err)
		}
		if taken {
			fields["orgnr"] = orgnrTaken
		}
	}
	switch {
	case in.Name == "":
		fields["name"] = "form.required"
	case len([]rune(in.Name)) > 300:
		fields["name"] = "form.error.too_long"
	}
	if in.Language != "nb" && in.Language != "nn" {
		fields["language"] = "orgs.error.language"
	}
	if !in.Kind.Creatable() {
		fields["kind"] = "orgs.error.kind"
		return fields, nil
	}
	key, err := parentProblem(ctx, db, in.Kind, in.ParentID)
	if err != nil {
		return nil, err
	}
	if key != "" {
		fields["parent_id"] = key
	}
	return fields, nil
}

// parentProblem checks a parent against the kind's rule: a city district
// belongs to a current municipality, a state agency may sit under a
// current ministry, and other kinds stand alone.
func parentProblem(ctx context.Context, db bun.IDB, kind awards.OrgKind, parentID int64) (string, error) {
	want, required := kind.ParentKind()
	switch {
	case parentID == 0 && required:
		return "orgs.error.parent_required", nil
	case parentID == 0:
		return "", nil
	case want == "":
		return "orgs.error.parent_none", nil
	}
	var p struct {
		Kind    string `bun:"kind"`
		Current bool   `bun:"current"`
	}
	err := db.NewRaw(`SELECT kind, valid_to IS NULL AS current FROM organisations WHERE id = ?`, parentID).Scan(ctx, &p)
	if errors.Is(err, sql.ErrNoRows) {
		return "orgs.error.parent_unknown", nil
	}
	if err != nil {
		return "", postgres.Map("load parent", err)
	}
	if awards.OrgKind(p.Kind) != want || !p.Current {
		return "orgs.error.parent_" + string(want), nil
	}
	return "", nil
}

// orgnrConflict gives a write that broke the orgnr's uniqueness (another
// transaction took the number since the check) the field's message.
func orgnrConflict(err error) error {
	var pgErr *pgconn.PgError
	var e *awards.Error
	if errors.As(err, &pgErr) && pgErr.ConstraintName == "organisations_orgnr" && errors.As(err, &e) {
		e.Fields = map[string]string{"orgnr": orgnrTaken}
	}
	return err
}

// insert writes a checked organisation; a number taken since the check
// is still refused with the field's message.
func insert(ctx context.Context, tx bun.IDB, in NewOrganisation) (int64, error) {
	var id int64
	err := tx.NewRaw(`
		INSERT INTO organisations (kind, name, orgnr, parent_id, language)
		VALUES (?, ?, ?, NULLIF(?, 0)::bigint, ?) RETURNING id`,
		string(in.Kind), in.Name, in.Orgnr, in.ParentID, in.Language).Scan(ctx, &id)
	if err != nil {
		return 0, orgnrConflict(postgres.Map("insert organisation", err))
	}
	return id, nil
}

// ParentCandidates lists the current organisations another may be a part
// of (municipalities and ministries), by kind and name, for the form
// that creates one. Organisations are public facts; anyone may call it.
func (s *Service) ParentCandidates(ctx context.Context) ([]awards.Organisation, error) {
	var kinds []string
	for _, k := range awards.OrgKinds {
		if p, _ := k.ParentKind(); p != "" && !slices.Contains(kinds, string(p)) {
			kinds = append(kinds, string(p))
		}
	}
	var rows []orgRow
	err := s.db.NewRaw(orgSelect+` WHERE o.valid_to IS NULL AND o.kind IN (?) ORDER BY o.kind, o.name`, bun.In(kinds)).Scan(ctx, &rows)
	if err != nil {
		return nil, postgres.Map("list parent candidates", err)
	}
	out := make([]awards.Organisation, len(rows))
	for i, r := range rows {
		out[i] = r.org()
	}
	return out, nil
}
