package archive_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/archive"
	"github.com/heder-awards/heder/internal/files"
	"github.com/heder-awards/heder/internal/pgtest"
	"github.com/heder-awards/heder/internal/postgres"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// winnerAmongFinalists is the embargo views' rule for a decided winner at
// the finalists' announcement: false while published_outcomes keeps the
// winner out of sight until the winners' instant; true if it shows the
// winner-to-be as one of the finalists (its outcome "finalist", no
// statement). The tests' expectations follow it.
const winnerAmongFinalists = true

// ifWinnerAmongFinalists returns with when the winner shows among the
// finalists at the finalists' announcement, else without.
func ifWinnerAmongFinalists[T any](with, without T) T {
	if winnerAmongFinalists {
		return with
	}
	return without
}

// env is a fresh database with a county, municipalities (Oppegård merged
// into Nordre Follo, which got a new number later), an award and the
// service under test.
type env struct {
	t     *testing.T
	ctx   context.Context
	db    *postgres.DB
	s     *archive.Service
	store *files.Bucket
	orgs  map[string]int64
	award int64
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{t: t, ctx: context.Background(), db: pgtest.New(t), orgs: map[string]int64{}}
	store, err := files.Open(e.ctx, "mem://")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	e.store = store
	e.s = archive.NewService(e.db, store)
	e.exec(`INSERT INTO organisations (kind, name, number) VALUES ('county', 'Akershus', '32'), ('county', 'Vestfold', '39')`)
	county := func(number string) string {
		return fmt.Sprintf("(SELECT id FROM organisations WHERE kind = 'county' AND number = '%s')", number)
	}
	e.exec(`INSERT INTO organisations (kind, name, number, parent_id) VALUES
		('municipality', 'Asker', '3203', ` + county("32") + `),
		('municipality', 'Nordre Follo', '3207', ` + county("32") + `),
		('municipality', 'Horten', '3901', ` + county("39") + `),
		('municipality', 'Træna', '1835', NULL)`)
	e.exec(`INSERT INTO organisations (kind, name, number, valid_to, successor_id, parent_id)
		SELECT 'municipality', 'Nordre Follo', '3020', '2024-01-01', id, parent_id FROM organisations WHERE number = '3207'`)
	e.exec(`INSERT INTO organisations (kind, name, number, valid_to, successor_id, parent_id)
		SELECT 'municipality', 'Oppegård', '0217', '2020-01-01', id, parent_id FROM organisations WHERE number = '3020'`)
	e.exec(`INSERT INTO organisations (kind, name, number, valid_to, successor_id, parent_id)
		SELECT 'municipality', 'Horten', '0701', '2020-01-01', id, parent_id FROM organisations WHERE number = '3901'`)
	var rows []struct {
		ID   int64  `bun:"id"`
		Name string `bun:"name"`
		Num  string `bun:"number"`
	}
	if err := e.db.NewRaw(`SELECT id, name, number FROM organisations WHERE kind = 'municipality'`).Scan(e.ctx, &rows); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		e.orgs[r.Num] = r.ID
	}
	if err := e.db.NewRaw(`INSERT INTO awards (slug, name_nb, name_nn, name_en, description, description_nn, description_en)
		VALUES ('kommunal-innovasjonspris', 'Kommunal innovasjonspris', 'Kommunal innovasjonspris', 'Municipal innovation award',
			'Prisen går til en kommune.', 'Prisen går til ein kommune.', 'The award goes to a municipality.') RETURNING id`).Scan(e.ctx, &e.award); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) exec(query string, args ...any) {
	e.t.Helper()
	if _, err := e.db.ExecContext(e.ctx, query, args...); err != nil {
		e.t.Fatalf("%v\n%s", err, query)
	}
}

// nom is a nomination to make: by the organisation with number org, with
// a decision when outcome is set.
type nom struct {
	org, title, summary, challenge, status string
	outcome, statement                     string
	projects                               []proj
}

type proj struct {
	title, description, results string
	measures                    []string // "label=value"
	files                       []file
}

type file struct {
	name, contentType, alt string
	public                 bool
}

// cycle is a cycle to make, with its nominations and announcements. The
// announcement times are SQL expressions, "" for none.
type cycle struct {
	year                   int
	publishAll             bool
	finalistsAt, winnersAt string
	noms                   []nom
}

// made is what cycle made: nomination and project public IDs by title,
// file public IDs by name.
type made struct {
	id          int64
	nominations map[string]int64
	projects    map[string]string
	files       map[string]string
}

func (e *env) cycle(c cycle) made {
	e.t.Helper()
	m := made{nominations: map[string]int64{}, projects: map[string]string{}, files: map[string]string{}}
	if err := e.db.NewRaw(`INSERT INTO cycles (award_id, year, title, phase, publish_all, description, call_text)
		VALUES (?, ?, ?, 'published', ?, ?, ?) RETURNING id`, e.award, c.year, fmt.Sprintf("Innovasjonsprisen %d", c.year), c.publishAll,
		fmt.Sprintf("Året %d.", c.year), "Søk innen 1. mars.").Scan(e.ctx, &m.id); err != nil {
		e.t.Fatal(err)
	}
	e.exec(`INSERT INTO criteria (cycle_id, name_nb, name_nn, name_en, position) VALUES (?, 'Nytt', 'Nytt', 'New', 1), (?, 'Nyttig', 'Nyttig', 'Useful', 2)`, m.id, m.id)
	for _, n := range c.noms {
		status := n.status
		if status == "" {
			status = "submitted"
		}
		var id int64
		if err := e.db.NewRaw(`INSERT INTO nominations (cycle_id, title, summary, challenge, status) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			m.id, n.title, n.summary, n.challenge, status).Scan(e.ctx, &id); err != nil {
			e.t.Fatal(err)
		}
		m.nominations[n.title] = id
		e.exec(`INSERT INTO nomination_organisations (nomination_id, organisation_id) VALUES (?, ?)`, id, e.orgs[n.org])
		for i, p := range n.projects {
			var pid int64
			var pub string
			if err := e.db.NewRaw(`INSERT INTO projects (organisation_id, title, description, results) VALUES (?, ?, ?, ?) RETURNING id, public_id`,
				e.orgs[n.org], p.title, p.description, p.results).Scan(e.ctx, &pid, &pub); err != nil {
				e.t.Fatal(err)
			}
			m.projects[p.title] = pub
			e.exec(`INSERT INTO nomination_projects (nomination_id, project_id, position) VALUES (?, ?, ?)`, id, pid, i)
			for j, ms := range p.measures {
				label, value, _ := strings.Cut(ms, "=")
				e.exec(`INSERT INTO project_results (project_id, label, value, position) VALUES (?, ?, ?::numeric, ?)`, pid, label, value, j)
			}
			for _, f := range p.files {
				key := "attachments/" + f.name
				if err := e.store.Put(e.ctx, key, strings.NewReader("bytes of "+f.name)); err != nil {
					e.t.Fatal(err)
				}
				var fid string
				if err := e.db.NewRaw(`INSERT INTO attachments (project_id, filename, content_type, size, sha256, alt_text, storage_key, public)
					VALUES (?, ?, ?, ?, 'abc123', ?, ?, ?) RETURNING public_id`, pid, f.name, f.contentType, len("bytes of "+f.name), f.alt, key, f.public).Scan(e.ctx, &fid); err != nil {
					e.t.Fatal(err)
				}
				m.files[f.name] = fid
			}
		}
		if n.outcome != "" {
			e.exec(`INSERT INTO decisions (nomination_id, cycle_id, outcome, statement_nb, statement_nn, statement_en) VALUES (?, ?, ?, ?, ?, ?)`,
				id, m.id, n.outcome, n.statement, nn(n.statement), en(n.statement))
		}
	}
	if c.finalistsAt != "" {
		e.exec(`INSERT INTO announcements (cycle_id, kind, publish_at) VALUES (?, 'finalists', `+c.finalistsAt+`)`, m.id)
	}
	if c.winnersAt != "" {
		e.exec(`INSERT INTO announcements (cycle_id, kind, publish_at) VALUES (?, 'winners', `+c.winnersAt+`)`, m.id)
	}
	return m
}

func nn(s string) string {
	if s == "" {
		return ""
	}
	return "NN: " + s
}

func en(s string) string {
	if s == "" {
		return ""
	}
	return "EN: " + s
}

// year2017 is a cycle like Innovasjonsprisen 2017: Asker won with three
// projects, Horten (then 0701) and Oppegård were finalists, Træna got an
// honourable mention, Nordre Follo's application is one of the others,
// and a draft and a withdrawn nomination are never public.
func year2017(finalistsAt, winnersAt string) cycle {
	return cycle{year: 2017, publishAll: true, finalistsAt: finalistsAt, winnersAt: winnersAt, noms: []nom{
		{org: "3203", title: "Mulighetenes kommune", summary: "Asker jobber systematisk med innovasjon.", challenge: "renewal",
			outcome: "winner", statement: "Juryen trekker fram Askers systematiske arbeid.",
			projects: []proj{
				{title: "Holmen svømmehall", description: "Norges mest energieffektive svømmehall.",
					files: []file{{"holmen.png", "image/png", "Svømmehallen sett fra vannet", true}, {"skjult.png", "image/png", "Skjult bilde", false}}},
				{title: "Asker velferdslab", description: "Innbyggeren i sentrum.", measures: []string{"familier=15"}},
				{title: "Løsningsjakten på Borgen", description: "Medvirkning og samskaping.", results: "783 deltakere kom med 458 innspill.",
					measures: []string{"deltakere=783", "innspill=458"}, files: []file{{"rapport.pdf", "application/pdf", "", true}}},
			}},
		{org: "0701", title: "Horten på tvers", summary: "Horten prøver nye løsninger.", challenge: "renewal", outcome: "finalist",
			statement: "Horten imponerer juryen.",
			projects:  []proj{{title: "Tjenestedesign i hjemmetjenesten", description: "Nye besøk."}}},
		{org: "0217", title: "Fra idé til drift", summary: "Oppegård tester ideer.", challenge: "known_tangle", outcome: "finalist",
			projects: []proj{{title: "Velferdsteknologi i hjemmet", description: "Trygghetsalarmer."}}},
		{org: "1835", title: "Tenk Træna", summary: "Fra «Redd Træna» til «Tenk Træna».", challenge: "burning_platform",
			outcome: "honourable_mention", statement: "Et modig lokalsamfunn."},
		{org: "3207", title: "Samskaping i Follo", summary: "Frivillige og kommunen <b>sammen</b> & mer.", challenge: "renewal",
			projects: []proj{{title: "Aktive eldre", description: "Nye aktiviteter for eldre."}}},
		{org: "3203", title: "Utkast som aldri ble sendt", summary: "Hemmelig utkast.", status: "draft"},
		{org: "3901", title: "Trukket søknad", summary: "Trukket igjen.", status: "withdrawn"},
	}}
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

func sorted(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}
