package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/orgs"
)

const importOrganisationsUsage = `Usage: heder import-organisations FILE

FILE is a CSV file like SSB's (UTF-8, comma-separated, a header row) with the columns
  orgnr,name,kind,parent,language
kind is one of county, city_district, ministry, state_agency, company, foundation,
association, other; parent is an orgnr, a kommunenummer (4 digits) or a fylkesnummer
(2 digits), required for a city district (its municipality); language is nb, nn or empty.
Organisations are created or updated by orgnr, in one transaction: when any row is bad,
every bad row is listed and nothing is written.
`

func runImportOrganisations(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		fmt.Fprint(stderr, importOrganisationsUsage)
		return errors.New("import-organisations takes one file")
	}
	db, err := openCommandDB(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	f, err := os.Open(args[0])
	if err != nil {
		return err
	}
	defer f.Close()
	bundle, err := i18n.Load()
	if err != nil {
		return err
	}
	res, err := orgs.ImportOrganisations(ctx, db, f)
	var bad *orgs.ImportError
	if errors.As(err, &bad) {
		l := bundle.Localizer("en")
		for _, row := range bad.Rows {
			if row.Field == "" {
				fmt.Fprintf(stderr, "%s:%d: %s\n", args[0], row.Line, l.T(row.Key))
				continue
			}
			fmt.Fprintf(stderr, "%s:%d: %s %q: %s\n", args[0], row.Line, row.Field, row.Value, l.T(row.Key))
		}
	}
	if err != nil {
		return fmt.Errorf("%s: %w", args[0], err)
	}
	fmt.Fprintf(stdout, "imported %d new and %d updated organisations\n", res.Created, res.Updated)
	return nil
}
