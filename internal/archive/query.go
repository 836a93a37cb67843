package archive

import (
	"context"
	"database/sql"
	"strconv"

	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// query runs a query written with $1… parameters and scans its rows into
// dest with bun. It goes through the driver, so that the text stays the
// same whatever the values: PostgreSQL parses and plans it once per
// connection instead of on every request (bun would write the values into
// the text), and the connection's cache of prepared statements holds one
// statement per query rather than one per page or search ever asked for.
func query(ctx context.Context, tx bun.Tx, dest any, text string, args ...any) error {
	rows, err := postgres.Driver(tx).QueryContext(ctx, text, args...)
	if err != nil {
		return err
	}
	return tx.NewRaw("").DB().ScanRows(ctx, rows, dest)
}

// params collects a query's values and names them $1, $2, … in order.
type params []any

// add appends v and returns its placeholder.
func (p *params) add(v any) string {
	*p = append(*p, v)
	return "$" + strconv.Itoa(len(*p))
}

// queryRow is query for one row into a struct: sql.ErrNoRows when there is
// none.
func queryRow(ctx context.Context, tx bun.Tx, dest any, text string, args ...any) error {
	rows, err := postgres.Driver(tx).QueryContext(ctx, text, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return err
		}
		return sql.ErrNoRows
	}
	if err := tx.NewRaw("").DB().ScanRow(ctx, rows, dest); err != nil {
		return err
	}
	return rows.Close()
}
