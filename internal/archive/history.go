package archive

import (
	"context"
	"slices"
	"time"

	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// Source is a public document that states facts of an award's history.
// N is its number on the page that cites it.
type Source struct {
	Key       string `bun:"key"`
	Publisher string `bun:"publisher"`
	Title     string `bun:"title"`
	URL       string `bun:"url"`
	Published string `bun:"published"`
	N         int    `bun:"-"`
}

// Fact is a fact of a year of an award's history (history_facts), with
// the sources that state it.
type Fact struct {
	Kind string
	// Date is the day, or for call_announced the month, of the fact.
	Date *time.Time
	// A and B are counts: municipalities and projects (B alone:
	// applications), or A the prize in kroner.
	A, B        *int
	Person      string
	Affiliation string
	// Organisation is a juror's municipality, under its name of the year.
	Organisation *Nominee
	Chair        bool
	Text         Texts
	Sources      []string
	Refs         []Source
}

type factRow struct {
	Kind        string     `bun:"kind"`
	OnDate      *time.Time `bun:"on_date"`
	CountA      *int       `bun:"count_a"`
	CountB      *int       `bun:"count_b"`
	Person      string     `bun:"person"`
	Affiliation string     `bun:"affiliation"`
	OrgID       *int64     `bun:"organisation_id"`
	Chair       bool       `bun:"chair"`
	TextNB      string     `bun:"text_nb"`
	TextNN      string     `bun:"text_nn"`
	TextEN      string     `bun:"text_en"`
	Sources     []string   `bun:"sources,array"`
}

// loadFacts reads the history facts of a cycle in their order.
func loadFacts(ctx context.Context, tx bun.Tx, cycleID int64) ([]Fact, error) {
	var rows []factRow
	err := query(ctx, tx, &rows, `SELECT kind, on_date, count_a, count_b, person, affiliation, organisation_id, chair,
			text_nb, text_nn, text_en, sources
		FROM history_facts WHERE cycle_id = $1 ORDER BY position, id`, cycleID)
	if err != nil {
		return nil, postgres.Map("load history facts", err)
	}
	out := make([]Fact, len(rows))
	for i, r := range rows {
		out[i] = Fact{Kind: r.Kind, Date: r.OnDate, A: r.CountA, B: r.CountB, Person: r.Person, Affiliation: r.Affiliation,
			Chair: r.Chair, Text: Texts{r.TextNB, r.TextNN, r.TextEN}, Sources: r.Sources}
		if r.OrgID != nil {
			o, err := loadOrg(ctx, tx, *r.OrgID)
			if err != nil {
				return nil, err
			}
			out[i].Organisation = &o
		}
	}
	return out, nil
}

// citedSources numbers the sources the page cites, in the order it first
// cites them: the facts, then each entry and its projects.
func citedSources(ctx context.Context, tx bun.Tx, facts []Fact, entries []Entry) ([]Source, error) {
	var keys []string
	cite := func(ks []string) {
		for _, k := range ks {
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	for _, f := range facts {
		cite(f.Sources)
	}
	for _, e := range entries {
		cite(e.Sources)
		for _, p := range e.Projects {
			cite(p.Sources)
		}
	}
	if len(keys) == 0 {
		return nil, nil
	}
	var rows []Source
	if err := query(ctx, tx, &rows, `SELECT key, publisher, title, url, published FROM sources WHERE key = ANY($1::text[])`, keys); err != nil {
		return nil, postgres.Map("load sources", err)
	}
	out := make([]Source, 0, len(keys))
	for _, k := range keys {
		for _, r := range rows {
			if r.Key == k {
				r.N = len(out) + 1
				out = append(out, r)
			}
		}
	}
	return out, nil
}

// refs are the sources of keys, as numbered in sources.
func refs(sources []Source, keys []string) []Source {
	var out []Source
	for _, k := range keys {
		for _, s := range sources {
			if s.Key == k {
				out = append(out, s)
			}
		}
	}
	return out
}

// cite numbers the sources that facts and entries cite and gives each
// fact, entry and project its references.
func cite(ctx context.Context, tx bun.Tx, facts []Fact, entries []Entry) ([]Source, error) {
	sources, err := citedSources(ctx, tx, facts, entries)
	if err != nil || len(sources) == 0 {
		return nil, err
	}
	for i := range facts {
		facts[i].Refs = refs(sources, facts[i].Sources)
	}
	for i := range entries {
		e := &entries[i]
		e.Refs = refs(sources, e.Sources)
		for j := range e.Projects {
			e.Projects[j].Refs = refs(sources, e.Projects[j].Sources)
		}
	}
	return sources, nil
}
