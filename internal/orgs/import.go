package orgs

import (
	"context"
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"io/fs"
	"time"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/uptrace/bun"
)

// Data holds SSB's municipality list, Enhetsregisteret's organisation
// numbers and SSB's change history (NLOD; credited on the about page).
//
//go:embed data/*.csv
var Data embed.FS

// ImportResult counts what an import did.
type ImportResult struct {
	Counties, Municipalities, Historical int
}

type kommune struct {
	number, name, countyNumber, countyName, validFrom, orgnr string
}

type change struct {
	date                                   time.Time
	oldNumber, oldName, newNumber, newName string
}

// ImportKommuner brings the organisations table in line with the CSV files
// in fsys (kommuner.csv, kommuner-orgnr.csv, kommuner-history.csv): current
// counties and municipalities are inserted or updated; every former
// municipality in the history is kept under its name of the time with a
// link to its successor. It runs in one transaction and can be repeated.
func ImportKommuner(ctx context.Context, db bun.IDB, fsys fs.FS) (ImportResult, error) {
	var res ImportResult
	kommuner, err := readKommuner(fsys)
	if err != nil {
		return res, err
	}
	history, err := readHistory(fsys)
	if err != nil {
		return res, err
	}
	err = db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		counties := map[string]int64{}
		for _, k := range kommuner {
			if _, ok := counties[k.countyNumber]; ok {
				continue
			}
			id, err := upsertCurrent(ctx, tx, "county", k.countyNumber, k.countyName, "", 0, "")
			if err != nil {
				return err
			}
			counties[k.countyNumber] = id
			res.Counties++
		}
		current := map[string]int64{}
		currentName := map[string]string{}
		for _, k := range kommuner {
			id, err := upsertCurrent(ctx, tx, "municipality", k.number, k.name, k.orgnr, counties[k.countyNumber], k.validFrom)
			if err != nil {
				return err
			}
			current[k.number] = id
			currentName[k.number] = k.name
			res.Municipalities++
		}
		// Walk the history newest first so that each former municipality's
		// successor already exists when it is written.
		type key struct{ number, name string }
		historical := map[key]int64{}
		for i := len(history) - 1; i >= 0; i-- {
			c := history[i]
			old := key{c.oldNumber, c.oldName}
			if currentName[c.oldNumber] == c.oldName {
				continue // a row about the municipality as it is today
			}
			if _, done := historical[old]; done {
				continue // a split: the first successor is kept
			}
			successor := historical[key{c.newNumber, c.newName}]
			if successor == 0 && currentName[c.newNumber] == c.newName {
				successor = current[c.newNumber]
			}
			var id int64
			err := tx.NewRaw(`
				INSERT INTO organisations (kind, number, name, valid_to, successor_id, parent_id)
				VALUES ('municipality', ?, ?, ?, NULLIF(?, 0)::bigint, (SELECT parent_id FROM organisations WHERE id = NULLIF(?, 0)::bigint))
				ON CONFLICT (kind, number, valid_to) WHERE valid_to IS NOT NULL
				DO UPDATE SET name = EXCLUDED.name, successor_id = EXCLUDED.successor_id, parent_id = EXCLUDED.parent_id, updated_at = now()
				RETURNING id`, c.oldNumber, c.oldName, c.date, successor, successor).Scan(ctx, &id)
			if err != nil {
				return fmt.Errorf("import former municipality %s %s: %w", c.oldNumber, c.oldName, err)
			}
			historical[old] = id
			res.Historical++
		}
		return audit.Record(ctx, tx, 0, "import", "organisations", 0, nil, res)
	})
	if err != nil {
		return ImportResult{}, fmt.Errorf("import kommuner: %w", err)
	}
	return res, nil
}

func upsertCurrent(ctx context.Context, tx bun.Tx, kind, number, name, orgnr string, parent int64, validFrom string) (int64, error) {
	var id int64
	err := tx.NewRaw(`
		INSERT INTO organisations (kind, number, name, orgnr, parent_id, valid_from)
		VALUES (?, ?, ?, NULLIF(?, ''), NULLIF(?, 0)::bigint, NULLIF(?, '')::date)
		ON CONFLICT (kind, number) WHERE valid_to IS NULL AND number IS NOT NULL
		DO UPDATE SET name = EXCLUDED.name, orgnr = coalesce(EXCLUDED.orgnr, organisations.orgnr),
			parent_id = EXCLUDED.parent_id, valid_from = EXCLUDED.valid_from, updated_at = now()
		RETURNING id`, kind, number, name, orgnr, parent, validFrom).Scan(ctx, &id)
	if err != nil {
		return 0, fmt.Errorf("import %s %s %s: %w", kind, number, name, err)
	}
	return id, nil
}

func readCSV(fsys fs.FS, name string, header []string) ([][]string, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = len(header)
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	for i, h := range header {
		if head[i] != h {
			return nil, fmt.Errorf("%s: column %d is %q, want %q", name, i+1, head[i], h)
		}
	}
	var rows [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		rows = append(rows, rec)
	}
}

func readKommuner(fsys fs.FS) ([]kommune, error) {
	rows, err := readCSV(fsys, "kommuner.csv", []string{"number", "name", "county_number", "county_name", "valid_from"})
	if err != nil {
		return nil, err
	}
	orgnrRows, err := readCSV(fsys, "kommuner-orgnr.csv", []string{"number", "orgnr", "registered_name"})
	if err != nil {
		return nil, err
	}
	orgnr := map[string]string{}
	for _, r := range orgnrRows {
		orgnr[r[0]] = r[1]
	}
	out := make([]kommune, 0, len(rows))
	for _, r := range rows {
		out = append(out, kommune{number: r[0], name: r[1], countyNumber: r[2], countyName: r[3], validFrom: r[4], orgnr: orgnr[r[0]]})
	}
	return out, nil
}

func readHistory(fsys fs.FS) ([]change, error) {
	rows, err := readCSV(fsys, "kommuner-history.csv", []string{"change_date", "old_number", "old_name", "new_number", "new_name"})
	if err != nil {
		return nil, err
	}
	out := make([]change, 0, len(rows))
	for _, r := range rows {
		d, err := time.Parse("2006-01-02", r[0])
		if err != nil {
			return nil, fmt.Errorf("kommuner-history.csv: bad date %q", r[0])
		}
		out = append(out, change{date: d, oldNumber: r[1], oldName: r[2], newNumber: r[3], newName: r[4]})
	}
	return out, nil
}
