package scoring_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/pgtest"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/heder-awards/heder/internal/scoring"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// env is a fresh database with a cycle in judging, its criteria, a jury
// and nominations, and the service under test; the rows come from
// pgtest.Seed.
type env struct {
	*pgtest.Seed
	t     *testing.T
	ctx   context.Context
	db    *postgres.DB
	s     *scoring.Service
	orgs  map[string]int64
	award int64
	year  int
}

func newEnv(t *testing.T) *env {
	t.Helper()
	seed := pgtest.NewSeed(t)
	e := &env{Seed: seed, t: t, ctx: seed.Ctx, db: seed.DB, year: 2030}
	e.s = scoring.NewService(e.db)
	e.orgs = seed.Municipalities("Asker", "Træna", "Bærum", "Sandnes")
	e.award = seed.Award("kommunal-innovasjonspris", "Kommunal innovasjonspris")
	return e
}

func (e *env) id(query string, args ...any) int64 { e.t.Helper(); return e.ID(query, args...) }

func (e *env) str(query string, args ...any) string {
	e.t.Helper()
	var s string
	if err := e.db.NewRaw(query, args...).Scan(e.ctx, &s); err != nil {
		e.t.Fatalf("%s: %v", query, err)
	}
	return s
}

func (e *env) exec(query string, args ...any) { e.t.Helper(); e.Exec(query, args...) }

func (e *env) count(query string, args ...any) int {
	e.t.Helper()
	return int(e.id(query, args...))
}

// cycle is a cycle of the test, with its criteria.
type cycle struct {
	id       int64
	publicID string
	// crit are the criteria: "nytt" 1–5 step 1, "nyttig" 0–10 step 0.5.
	crit []int64
}

// cycle makes a cycle in phase with the scoring deadline given as SQL
// (e.g. "now() + interval '4 days'"), scoring at level, in assignment
// mode 'all', with two criteria.
func (e *env) cycle(phase, deadline, level string) cycle {
	e.t.Helper()
	e.year++
	c := e.Cycle(pgtest.CycleSpec{Award: e.award, Year: e.year, Phase: phase, NominationDeadline: "now() - interval '30 days'",
		ScoringDeadline: deadline, Level: level, Criteria: []pgtest.Criterion{
			{Name: "Nytt", Help: "Er det nytt?", Min: 1, Max: 5, Step: 1},
			{Name: "Nyttig", Help: "Har det skapt verdi?", Min: 0, Max: 10, Step: 0.5}}})
	return cycle{id: c.ID, publicID: c.PublicID, crit: c.Criteria}
}

// judging is a cycle in judging with four days to go, scoring nominations.
func (e *env) judging() cycle { return e.cycle("judging", "now() + interval '4 days'", "nomination") }

// person provisions a user, a member of the named organisations, and
// returns them as an actor with their seats.
func (e *env) person(name string, admin bool, orgs ...string) *awards.Actor {
	e.t.Helper()
	var ids []int64
	for _, o := range orgs {
		ids = append(ids, e.orgs[o])
	}
	return e.Person(name, admin, ids...)
}

func (e *env) reload(a *awards.Actor) *awards.Actor { e.t.Helper(); return e.Actor(a.User.ID) }

// seat makes a a juror (or the chair) of c, declared unless declared is
// false, and returns the juror's ID.
func (e *env) seat(a *awards.Actor, c cycle, chair, declared bool) int64 {
	e.t.Helper()
	id := e.Seat(c.id, a.User.ID, chair, declared)
	*a = *e.reload(a)
	return id
}

// nomination makes a nomination of org in c with status and n projects,
// each with a measured result, and returns its public ID.
func (e *env) nomination(c cycle, org, status string, n int) string {
	e.t.Helper()
	return e.Nomination(pgtest.NominationSpec{Cycle: c.id, Org: e.orgs[org], OrgName: org, Title: "Innovasjon i " + org,
		Summary: "Helhetlig innovasjon.", Challenge: "renewal", Status: status, Projects: n,
		ProjectDescription: "Beskrivelse", Measured: true}).PublicID
}

// projects lists a nomination's projects' public IDs in order.
func (e *env) projects(nomination string) []string {
	e.t.Helper()
	var out []string
	if err := e.db.NewRaw(`SELECT p.public_id FROM nomination_projects np JOIN projects p ON p.id = np.project_id
		JOIN nominations n ON n.id = np.nomination_id WHERE n.public_id = ? ORDER BY np.position`, nomination).Scan(e.ctx, &out); err != nil {
		e.t.Fatal(err)
	}
	return out
}

func (e *env) nominationID(publicID string) int64 {
	return e.id(`SELECT id FROM nominations WHERE public_id = ?`, publicID)
}

func (e *env) auditOf(nomination string) []audit.Entry {
	e.t.Helper()
	entries, err := audit.List(e.ctx, e.db, "scores", e.nominationID(nomination))
	if err != nil {
		e.t.Fatal(err)
	}
	return entries
}

func v(x float64) *float64 { return &x }

func cell(criterion int64, value *float64, comment string) scoring.Cell {
	return scoring.Cell{Key: scoring.Key{CriterionID: criterion}, Value: value, Comment: comment}
}

// full scores every criterion of c.
func full(c cycle, a, b float64) []scoring.Cell {
	return []scoring.Cell{cell(c.crit[0], v(a), "Nytt for kommunen."), cell(c.crit[1], v(b), "")}
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := awards.ErrorCode(err); got != code || (code == "" && err != nil) {
		t.Fatalf("%s: error %v (code %q), want code %q", what, err, got, code)
	}
}

func wantIs(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("%s: error %v, want %v", what, err, target)
	}
}

func asJSON(t *testing.T, raw json.RawMessage) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func errorsIs(err, target error) bool { return errors.Is(err, target) }
