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
// service under test; the rows come from pgtest.Seed. Organisations are
// named by number in orgs.
type env struct {
	*pgtest.Seed
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
	seed := pgtest.NewSeed(t)
	e := &env{Seed: seed, t: t, ctx: seed.Ctx, db: seed.DB, orgs: map[string]int64{}}
	store, err := files.Open(e.ctx, "mem://")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	e.store = store
	e.s = archive.NewService(e.db, store)
	akershus := e.OrganisationOf(pgtest.OrganisationSpec{Kind: "county", Name: "Akershus", Number: "32"})
	vestfold := e.OrganisationOf(pgtest.OrganisationSpec{Kind: "county", Name: "Vestfold", Number: "39"})
	for _, m := range []pgtest.OrganisationSpec{
		{Name: "Asker", Number: "3203", Parent: akershus},
		{Name: "Nordre Follo", Number: "3207", Parent: akershus},
		{Name: "Horten", Number: "3901", Parent: vestfold},
		{Name: "Træna", Number: "1835"},
	} {
		m.Kind = "municipality"
		e.orgs[m.Number] = e.OrganisationOf(m)
	}
	e.former("Nordre Follo", "3020", "2024-01-01", "3207")
	e.former("Oppegård", "0217", "2020-01-01", "3020")
	e.former("Horten", "0701", "2020-01-01", "3901")
	e.award = e.AwardOf(pgtest.AwardSpec{Slug: "kommunal-innovasjonspris",
		Name: "Kommunal innovasjonspris", NameNN: "Kommunal innovasjonspris", NameEN: "Municipal innovation award",
		Description: "Prisen går til en kommune.", DescriptionNN: "Prisen går til ein kommune.", DescriptionEN: "The award goes to a municipality."})
	return e
}

// former makes the municipality name with number, valid until the date
// validTo, when it became the one numbered successor (in its county).
func (e *env) former(name, number, validTo, successor string) {
	e.t.Helper()
	e.orgs[number] = e.OrganisationOf(pgtest.OrganisationSpec{Kind: "municipality", Name: name, Number: number,
		Parent:  e.ID(`SELECT coalesce(parent_id, 0) FROM organisations WHERE id = ?`, e.orgs[successor]),
		ValidTo: validTo, Successor: e.orgs[successor]})
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
	m.id = e.Cycle(pgtest.CycleSpec{Award: e.award, Year: c.year, Phase: "published", PublishAll: c.publishAll,
		Description: fmt.Sprintf("Året %d.", c.year), CallText: "Søk innen 1. mars.", Criteria: []pgtest.Criterion{
			{Name: "Nytt", NameNN: "Nytt", NameEN: "New", Min: 1, Max: 5},
			{Name: "Nyttig", NameNN: "Nyttig", NameEN: "Useful", Min: 1, Max: 5}}}).ID
	for _, n := range c.noms {
		id := e.Nomination(pgtest.NominationSpec{Cycle: m.id, Org: e.orgs[n.org], Title: n.title, Summary: n.summary,
			Challenge: n.challenge, Status: n.status, Draft: n.status == "draft"}).ID
		m.nominations[n.title] = id
		for _, p := range n.projects {
			var measures []pgtest.Measure
			for _, ms := range p.measures {
				label, value, _ := strings.Cut(ms, "=")
				v, err := strconv.ParseFloat(value, 64)
				if err != nil {
					e.t.Fatal(err)
				}
				measures = append(measures, pgtest.Measure{Label: label, Value: v})
			}
			pr := e.Project(pgtest.ProjectSpec{Org: e.orgs[n.org], Nomination: id, Title: p.title, Description: p.description,
				Results: p.results, Measures: measures})
			m.projects[p.title] = pr.PublicID
			for _, f := range p.files {
				key, body := "attachments/"+f.name, "bytes of "+f.name
				if err := e.store.Put(e.ctx, key, strings.NewReader(body)); err != nil {
					e.t.Fatal(err)
				}
				m.files[f.name] = e.Attachment(pgtest.AttachmentSpec{Project: pr.ID, Filename: f.name, ContentType: f.contentType,
					Alt: f.alt, Size: int64(len(body)), SHA256: "abc123", Key: key, Hidden: !f.public})
			}
		}
		if n.outcome != "" {
			e.Decide(m.id, id, n.outcome, n.statement, nn(n.statement), en(n.statement))
		}
	}
	if c.finalistsAt != "" {
		e.Announce(m.id, "finalists", c.finalistsAt)
	}
	if c.winnersAt != "" {
		e.Announce(m.id, "winners", c.winnersAt)
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
