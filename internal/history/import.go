package history

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/heder-awards/heder/internal/i18n"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// Import writes the history r into the archive in tx and says how many
// rows it added or changed: 0 when it ran before on the same data. It
// adds the owner and the award where they are missing and leaves them
// as they are otherwise; a year that exists already (made in Heder) gets
// the history's facts and nominees beside what it has.
//
// Municipalities are found under their number of the year, as they were
// then, so imported municipalities' files (import-kommuner) come first.
func Import(ctx context.Context, tx bun.Tx, r Record) (int, error) {
	im := importer{tx: tx, prefix: r.Award.Slug + ":"}
	award, err := im.award(ctx, r.Award)
	if err != nil {
		return 0, err
	}
	for key, s := range r.Sources {
		if err := im.exec(ctx, `INSERT INTO sources (key, publisher, title, url, published) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET publisher = EXCLUDED.publisher, title = EXCLUDED.title, url = EXCLUDED.url, published = EXCLUDED.published
			WHERE (sources.publisher, sources.title, sources.url, sources.published) IS DISTINCT FROM
				(EXCLUDED.publisher, EXCLUDED.title, EXCLUDED.url, EXCLUDED.published)`,
			im.prefix+key, s.Publisher, s.Title, s.URL, s.Published); err != nil {
			return 0, fmt.Errorf("history source %s: %w", key, err)
		}
	}
	for _, y := range r.Years {
		if err := im.year(ctx, award, r.Award.Slug, y); err != nil {
			return 0, fmt.Errorf("history %d: %w", y.Year, err)
		}
	}
	return im.changed, nil
}

type importer struct {
	tx      bun.Tx
	prefix  string
	changed int
}

// exec runs an insert or update and counts the rows it touched.
func (im *importer) exec(ctx context.Context, query string, args ...any) error {
	res, err := im.tx.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	im.changed += int(n)
	return err
}

// sources are keys as the database keeps them.
func (im *importer) sources(keys []string) any {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = im.prefix + k
	}
	return pgdialect.Array(out)
}

func (im *importer) award(ctx context.Context, a AwardSpec) (int64, error) {
	if err := im.exec(ctx, `INSERT INTO organisations (kind, name, orgnr) VALUES ('ministry', ?, ?)
		ON CONFLICT (orgnr) WHERE orgnr IS NOT NULL DO NOTHING`, a.OwnerName, a.OwnerOrgnr); err != nil {
		return 0, fmt.Errorf("history owner: %w", err)
	}
	if err := im.exec(ctx, `INSERT INTO award_owners (organisation_id) SELECT id FROM organisations WHERE orgnr = ?
		ON CONFLICT DO NOTHING`, a.OwnerOrgnr); err != nil {
		return 0, fmt.Errorf("history award owner: %w", err)
	}
	if err := im.exec(ctx, `INSERT INTO awards (slug, name_nb, name_nn, name_en, owner_id)
		SELECT ?, ?, ?, ?, id FROM organisations WHERE orgnr = ? ON CONFLICT (slug) DO NOTHING`,
		a.Slug, a.NameNB, a.NameNN, a.NameEN, a.OwnerOrgnr); err != nil {
		return 0, fmt.Errorf("history award: %w", err)
	}
	var id int64
	if err := im.tx.NewRaw(`SELECT id FROM awards WHERE slug = ?`, a.Slug).Scan(ctx, &id); err != nil {
		return 0, fmt.Errorf("history award: %w", err)
	}
	return id, nil
}

// noon is day at noon in Oslo: the sources give the day of an
// announcement, not its hour.
func noon(day *time.Time) any {
	if day == nil {
		return nil
	}
	return time.Date(day.Year(), day.Month(), day.Day(), 12, 0, 0, 0, i18n.Oslo())
}

func (im *importer) year(ctx context.Context, award int64, slug string, y Year) error {
	winners := y.date(FactWinnerAnnounced)
	phase := "closed"
	if winners != nil {
		phase = "published"
	}
	if err := im.exec(ctx, `INSERT INTO cycles (award_id, year, title, phase) VALUES (?, ?, ?, ?)
		ON CONFLICT (award_id, year) DO NOTHING`, award, y.Year, fmt.Sprintf("Innovasjonsprisen %d", y.Year), phase); err != nil {
		return fmt.Errorf("cycle: %w", err)
	}
	var cycle int64
	if err := im.tx.NewRaw(`SELECT id FROM cycles WHERE award_id = ? AND year = ?`, award, y.Year).Scan(ctx, &cycle); err != nil {
		return fmt.Errorf("cycle: %w", err)
	}
	asOf := time.Date(y.Year, 6, 1, 0, 0, 0, 0, time.UTC)
	for i, f := range y.Facts {
		day, _ := f.day()
		var org any
		if f.Number != "" {
			id, err := im.municipality(ctx, f.Number, asOf)
			if err != nil {
				return fmt.Errorf("fact %s: %w", f.Key, err)
			}
			org = id
		}
		var a, b any
		switch {
		case f.Municipalities > 0:
			a, b = f.Municipalities, f.Projects
		case f.Applications > 0:
			b = f.Applications
		case f.Amount > 0:
			a = f.Amount
		}
		if err := im.exec(ctx, `INSERT INTO history_facts (cycle_id, key, kind, position, on_date, count_a, count_b, person, affiliation,
				organisation_id, chair, text_nb, text_nn, text_en, sources)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (cycle_id, key) DO UPDATE SET kind = EXCLUDED.kind, position = EXCLUDED.position, on_date = EXCLUDED.on_date,
				count_a = EXCLUDED.count_a, count_b = EXCLUDED.count_b, person = EXCLUDED.person, affiliation = EXCLUDED.affiliation,
				organisation_id = EXCLUDED.organisation_id, chair = EXCLUDED.chair, text_nb = EXCLUDED.text_nb, text_nn = EXCLUDED.text_nn,
				text_en = EXCLUDED.text_en, sources = EXCLUDED.sources
			WHERE (history_facts.kind, history_facts.position, history_facts.on_date, history_facts.count_a, history_facts.count_b,
				history_facts.person, history_facts.affiliation, history_facts.organisation_id, history_facts.chair,
				history_facts.text_nb, history_facts.text_nn, history_facts.text_en, history_facts.sources)
				IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.position, EXCLUDED.on_date, EXCLUDED.count_a, EXCLUDED.count_b,
				EXCLUDED.person, EXCLUDED.affiliation, EXCLUDED.organisation_id, EXCLUDED.chair,
				EXCLUDED.text_nb, EXCLUDED.text_nn, EXCLUDED.text_en, EXCLUDED.sources)`,
			cycle, f.Key, f.Kind, i+1, day, a, b, f.Person, f.Affiliation, org, f.Chair, f.NB, f.NN, f.EN, im.sources(f.Sources)); err != nil {
			return fmt.Errorf("fact %s: %w", f.Key, err)
		}
	}
	for _, n := range y.Nominees {
		if err := im.nominee(ctx, cycle, fmt.Sprintf("%s:%d:%s", slug, y.Year, n.Number), asOf, winners, n); err != nil {
			return fmt.Errorf("nominee %s: %w", n.Number, err)
		}
	}
	for kind, day := range map[string]*time.Time{"winners": winners, "finalists": y.date(FactNomineesAnnounced)} {
		if day == nil {
			continue
		}
		if err := im.exec(ctx, `INSERT INTO announcements (cycle_id, kind, publish_at) VALUES (?, ?, ?)
			ON CONFLICT (cycle_id, kind) WHERE unpublished_at IS NULL DO NOTHING`, cycle, kind, noon(day)); err != nil {
			return fmt.Errorf("announcement %s: %w", kind, err)
		}
	}
	return nil
}

// municipality is the municipality with number as it was on day.
func (im *importer) municipality(ctx context.Context, number string, day time.Time) (int64, error) {
	var id int64
	err := im.tx.NewRaw(`
		SELECT id FROM organisations
		WHERE kind = 'municipality' AND number = ?
			AND coalesce(valid_from, '-infinity') <= ?::date AND coalesce(valid_to, 'infinity') > ?::date
		ORDER BY valid_to NULLS LAST LIMIT 1`, number, day, day).Scan(ctx, &id)
	if err == sql.ErrNoRows {
		return 0, fmt.Errorf("no municipality %s on %s: import the municipalities first (heder import-kommuner)", number, day.Format(time.DateOnly))
	}
	return id, err
}

func (im *importer) nominee(ctx context.Context, cycle int64, key string, asOf time.Time, decided *time.Time, n Nominee) error {
	org, err := im.municipality(ctx, n.Number, asOf)
	if err != nil {
		return err
	}
	if err := im.exec(ctx, `INSERT INTO nominations (cycle_id, status, history_key, sources) VALUES (?, 'submitted', ?, ?)
		ON CONFLICT (history_key) DO UPDATE SET sources = EXCLUDED.sources WHERE nominations.sources IS DISTINCT FROM EXCLUDED.sources`,
		cycle, key, im.sources(n.Sources)); err != nil {
		return err
	}
	var nomination int64
	if err := im.tx.NewRaw(`SELECT id FROM nominations WHERE history_key = ?`, key).Scan(ctx, &nomination); err != nil {
		return err
	}
	if err := im.exec(ctx, `INSERT INTO nomination_organisations (nomination_id, organisation_id) VALUES (?, ?) ON CONFLICT DO NOTHING`,
		nomination, org); err != nil {
		return err
	}
	for i, p := range n.Projects {
		pkey := fmt.Sprintf("%s:%d", key, i+1)
		if err := im.exec(ctx, `INSERT INTO projects (organisation_id, title, description, history_key, sources, links)
			VALUES (?, ?, ?, ?, ?, '{}')
			ON CONFLICT (history_key) DO UPDATE SET title = EXCLUDED.title, description = EXCLUDED.description, sources = EXCLUDED.sources
			WHERE (projects.title, projects.description, projects.sources) IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.description, EXCLUDED.sources)`,
			org, p.Title, p.Description, pkey, im.sources(p.Sources)); err != nil {
			return fmt.Errorf("project %s: %w", p.Title, err)
		}
		if err := im.exec(ctx, `INSERT INTO nomination_projects (nomination_id, project_id, position)
			SELECT ?, id, ? FROM projects WHERE history_key = ? ON CONFLICT DO NOTHING`, nomination, i, pkey); err != nil {
			return fmt.Errorf("project %s: %w", p.Title, err)
		}
	}
	return im.exec(ctx, `INSERT INTO decisions (nomination_id, cycle_id, outcome, sources, decided_at) VALUES (?, ?, ?, ?, coalesce(?, now()))
		ON CONFLICT (nomination_id) DO UPDATE SET outcome = EXCLUDED.outcome, sources = EXCLUDED.sources
		WHERE (decisions.outcome, decisions.sources) IS DISTINCT FROM (EXCLUDED.outcome, EXCLUDED.sources)`,
		nomination, cycle, n.Outcome, im.sources(n.Sources), noon(decided))
}
