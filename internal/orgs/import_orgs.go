package orgs

import (
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// OrganisationsHeader is the header row of an organisations file: the
// SSB files' format (UTF-8, comma-separated, a header row) with a kind
// and a parent. The parent is an orgnr, or SSB's kommunenummer (4 digits)
// or fylkesnummer (2 digits); language is nb, nn or empty (nb).
var OrganisationsHeader = []string{"orgnr", "name", "kind", "parent", "language"}

// OrgImportResult counts what ImportOrganisations did.
type OrgImportResult struct {
	Created, Updated int
}

// RowError is one problem of one row of an organisations file. Key is a
// message key of the catalog; Line is the file's line, the header being 1.
type RowError struct {
	Line  int
	Field string
	Value string
	Key   string
}

// ImportError lists every bad row of a file; nothing was written.
type ImportError struct {
	Rows []RowError
}

func (e *ImportError) Error() string {
	return fmt.Sprintf("%d problems in the file; nothing was imported", len(e.Rows))
}

// ImportOrganisations creates or updates (by orgnr) the organisations of
// an organisations file (see OrganisationsHeader) in one transaction. A
// row may name a parent created by an earlier row. When any row is bad it
// writes nothing and returns an *ImportError listing every bad row. An
// existing organisation keeps its kind: a row that would change it is bad.
func ImportOrganisations(ctx context.Context, db bun.IDB, r io.Reader) (OrgImportResult, error) {
	var res OrgImportResult
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // a short row is the row's problem, reported with the others
	head, err := cr.Read()
	if err != nil {
		return res, fmt.Errorf("read header: %w", err)
	}
	if strings.Join(head, ",") != strings.Join(OrganisationsHeader, ",") {
		return res, fmt.Errorf("the header is %q, want %q", strings.Join(head, ","), strings.Join(OrganisationsHeader, ","))
	}
	bad := &ImportError{}
	err = db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		seen := map[string]bool{}
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				return fmt.Errorf("read organisations file: %w", err)
			}
			line, _ := cr.FieldPos(0)
			if len(rec) != len(OrganisationsHeader) {
				bad.Rows = append(bad.Rows, RowError{Line: line, Key: "orgs.import.columns"})
				continue
			}
			in := normalise(NewOrganisation{Orgnr: rec[0], Name: rec[1], Kind: awards.OrgKind(strings.TrimSpace(rec[2])), Language: strings.TrimSpace(rec[4])})
			if seen[in.Orgnr] && in.Orgnr != "" {
				bad.Rows = append(bad.Rows, RowError{Line: line, Field: "orgnr", Value: in.Orgnr, Key: "orgs.import.repeated"})
				continue
			}
			seen[in.Orgnr] = true
			created, problems, err := importRow(ctx, tx, in, strings.TrimSpace(rec[3]))
			if err != nil {
				return fmt.Errorf("line %d: %w", line, err)
			}
			for _, field := range []string{"orgnr", "name", "kind", "parent_id", "language"} {
				if key, ok := problems[field]; ok {
					value := map[string]string{"orgnr": in.Orgnr, "name": in.Name, "kind": string(in.Kind), "parent_id": rec[3], "language": in.Language}[field]
					bad.Rows = append(bad.Rows, RowError{Line: line, Field: strings.TrimSuffix(field, "_id"), Value: value, Key: key})
				}
			}
			switch {
			case len(problems) > 0:
			case created:
				res.Created++
			default:
				res.Updated++
			}
		}
		if len(bad.Rows) > 0 {
			return bad
		}
		return audit.Record(ctx, tx, 0, "import", "organisations", 0, nil, res)
	})
	if err != nil {
		if errors.As(err, &bad) {
			return OrgImportResult{}, bad
		}
		return OrgImportResult{}, fmt.Errorf("import organisations: %w", err)
	}
	return res, nil
}

// importRow checks one row and, when it is good, writes it. It reports
// whether it created the organisation, and the row's problems by field.
func importRow(ctx context.Context, tx bun.Tx, in NewOrganisation, parent string) (bool, map[string]string, error) {
	var err error
	if parent != "" {
		if in.ParentID, err = parentByRef(ctx, tx, parent); err != nil {
			return false, nil, err
		}
	}
	problems, err := check(ctx, tx, in)
	if err != nil {
		return false, nil, err
	}
	if parent != "" && in.ParentID == 0 {
		problems["parent_id"] = "orgs.error.parent_unknown"
	}
	var existing struct {
		ID   int64  `bun:"id"`
		Kind string `bun:"kind"`
	}
	if problems["orgnr"] == orgnrTaken {
		if err := tx.NewRaw(`SELECT id, kind FROM organisations WHERE orgnr = ?`, in.Orgnr).Scan(ctx, &existing); err != nil {
			return false, nil, postgres.Map("load organisation by orgnr", err)
		}
		delete(problems, "orgnr")
		if existing.Kind != string(in.Kind) {
			problems["kind"] = "orgs.import.kind_changed"
		}
	}
	if len(problems) > 0 {
		return false, problems, nil
	}
	if existing.ID == 0 {
		_, err := insert(ctx, tx, in)
		return true, nil, err
	}
	_, err = tx.ExecContext(ctx, `
		UPDATE organisations SET name = ?, parent_id = NULLIF(?, 0)::bigint, language = ?, updated_at = now()
		WHERE id = ?`, in.Name, in.ParentID, in.Language, existing.ID)
	return false, nil, postgres.Map("update organisation", err)
}

// parentByRef finds a current organisation by orgnr, kommunenummer or
// fylkesnummer; 0 when there is none.
func parentByRef(ctx context.Context, tx bun.Tx, ref string) (int64, error) {
	var id int64
	err := tx.NewRaw(`
		SELECT id FROM organisations WHERE valid_to IS NULL AND (
			(length(?) = 9 AND orgnr = ?) OR
			(length(?) = 4 AND kind = 'municipality' AND number = ?) OR
			(length(?) = 2 AND kind = 'county' AND number = ?))`, ref, ref, ref, ref, ref, ref).Scan(ctx, &id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, postgres.Map("find parent "+ref, err)
	}
	return id, nil
}
