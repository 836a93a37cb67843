package orgs

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// Service manages organisations and memberships.
type Service struct {
	db bun.IDB
}

// NewService returns a Service over db.
func NewService(db bun.IDB) *Service { return &Service{db: db} }

type orgRow struct {
	ID            int64      `bun:"id"`
	Kind          string     `bun:"kind"`
	Name          string     `bun:"name"`
	Number        string     `bun:"number"`
	Orgnr         string     `bun:"orgnr"`
	ParentID      int64      `bun:"parent_id"`
	CountyName    string     `bun:"county_name"`
	ParentName    string     `bun:"parent_name"`
	Language      string     `bun:"language"`
	EmailDomain   string     `bun:"email_domain"`
	ValidTo       *time.Time `bun:"valid_to"`
	SuccessorID   int64      `bun:"successor_id"`
	SuccessorName string     `bun:"successor_name"`
}

func (r orgRow) org() awards.Organisation {
	return awards.Organisation{ID: r.ID, Kind: awards.OrgKind(r.Kind), Name: r.Name, Number: r.Number, Orgnr: r.Orgnr,
		ParentID: r.ParentID, CountyName: r.CountyName, ParentName: r.ParentName, Language: r.Language, EmailDomain: r.EmailDomain, ValidTo: r.ValidTo,
		SuccessorID: r.SuccessorID, SuccessorName: r.SuccessorName}
}

const orgSelect = `
	SELECT o.id, o.kind, o.name, coalesce(o.number, '') AS number, coalesce(o.orgnr, '') AS orgnr,
		coalesce(o.parent_id, 0) AS parent_id, CASE WHEN p.kind = 'county' THEN p.name ELSE '' END AS county_name,
		coalesce(p.name, '') AS parent_name, o.language,
		coalesce(o.email_domain, '') AS email_domain, o.valid_to,
		coalesce(o.successor_id, 0) AS successor_id, coalesce(s.name, '') AS successor_name
	FROM organisations o
	LEFT JOIN organisations p ON p.id = o.parent_id
	LEFT JOIN organisations s ON s.id = o.successor_id`

// Get returns one organisation. Organisations are public facts; anyone may
// call it. Returns ENotFound.
func (s *Service) Get(ctx context.Context, id int64) (awards.Organisation, error) {
	var r orgRow
	if err := s.db.NewRaw(orgSelect+` WHERE o.id = ?`, id).Scan(ctx, &r); err != nil {
		return awards.Organisation{}, postgres.Map(fmt.Sprintf("get organisation %d", id), err)
	}
	return r.org(), nil
}

// Search finds organisations by name, number or orgnr; current ones first.
// An empty query lists the first ones alphabetically.
func (s *Service) Search(ctx context.Context, q string, limit int) ([]awards.Organisation, error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	q = strings.TrimSpace(q)
	var rows []orgRow
	err := s.db.NewRaw(orgSelect+`
		WHERE (? = '' OR lower(o.name) LIKE '%' || lower(?) || '%' OR o.number = ? OR o.orgnr = ?)
		ORDER BY o.valid_to IS NOT NULL, (lower(o.name) LIKE lower(?) || '%') DESC, o.name, o.valid_to DESC
		LIMIT ?`, q, likeEscape(q), q, q, likeEscape(q), limit).Scan(ctx, &rows)
	if err != nil {
		return nil, postgres.Map("search organisations", err)
	}
	out := make([]awards.Organisation, len(rows))
	for i, r := range rows {
		out[i] = r.org()
	}
	return out, nil
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// ByOrgnr returns the current organisation with organisation number orgnr.
func (s *Service) ByOrgnr(ctx context.Context, orgnr string) (awards.Organisation, error) {
	var r orgRow
	err := s.db.NewRaw(orgSelect+` WHERE o.orgnr = ? AND o.valid_to IS NULL`, orgnr).Scan(ctx, &r)
	if err != nil {
		return awards.Organisation{}, postgres.Map("organisation by orgnr", err)
	}
	return r.org(), nil
}

// Update is a change to an organisation's settings by an admin.
type Update struct {
	Orgnr       *string
	EmailDomain *string
	Language    *string
}

var domainPattern = regexp.MustCompile(`^([a-z0-9-]+\.)+[a-z]{2,}$`)

// Update changes an organisation's orgnr, e-mail domain or language.
// Site admins only. Returns EForbidden, ENotFound, EInvalid, EConflict.
func (s *Service) Update(ctx context.Context, actor *awards.Actor, id int64, u Update) (awards.Organisation, error) {
	if !policy.CanEditOrganisation(actor) {
		return awards.Organisation{}, awards.Errorf(awards.EForbidden, "only administrators can change organisations")
	}
	fields := map[string]string{}
	if u.Orgnr != nil && *u.Orgnr != "" {
		if key := orgnrProblem(*u.Orgnr); key != "" {
			fields["orgnr"] = key
		}
	}
	if u.EmailDomain != nil {
		d := strings.ToLower(strings.TrimSpace(*u.EmailDomain))
		u.EmailDomain = &d
		if d != "" && !domainPattern.MatchString(d) {
			fields["email_domain"] = "orgs.error.email_domain"
		}
	}
	if u.Language != nil && *u.Language != "nb" && *u.Language != "nn" {
		fields["language"] = "orgs.error.language"
	}
	if len(fields) > 0 {
		return awards.Organisation{}, awards.Invalid(fields)
	}
	var out awards.Organisation
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		before, err := NewService(tx).Get(ctx, id)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `
			UPDATE organisations SET
				orgnr = CASE WHEN ?::text IS NULL THEN orgnr ELSE NULLIF(?, '') END,
				email_domain = CASE WHEN ?::text IS NULL THEN email_domain ELSE NULLIF(?, '') END,
				language = coalesce(?, language), updated_at = now()
			WHERE id = ?`, u.Orgnr, u.Orgnr, u.EmailDomain, u.EmailDomain, u.Language, id)
		if err != nil {
			return orgnrConflict(postgres.Map("update organisation", err))
		}
		out, err = NewService(tx).Get(ctx, id)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor.User.ID, "update", "organisation", id, before, out)
	})
	return out, err
}

// EmailDomainOrg returns the organisation owning an e-mail domain.
func (s *Service) EmailDomainOrg(ctx context.Context, domain string) (awards.Organisation, error) {
	var r orgRow
	err := s.db.NewRaw(orgSelect+` WHERE lower(o.email_domain) = lower(?) AND o.valid_to IS NULL`, domain).Scan(ctx, &r)
	if err != nil {
		return awards.Organisation{}, postgres.Map("organisation by e-mail domain", err)
	}
	return r.org(), nil
}
