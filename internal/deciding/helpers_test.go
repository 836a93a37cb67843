package deciding_test

import (
	"context"
	"errors"
	"testing"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/deciding"
	"github.com/heder-awards/heder/internal/pgtest"
	"github.com/heder-awards/heder/internal/postgres"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// env is a fresh database with an award and six municipalities, and the
// service under test; the rows come from pgtest.Seed.
type env struct {
	*pgtest.Seed
	t     testing.TB
	ctx   context.Context
	db    *postgres.DB
	s     *deciding.Service
	orgs  map[string]int64
	award int64
	year  int
}

func newEnv(t testing.TB) *env {
	t.Helper()
	seed := pgtest.NewSeed(t)
	e := &env{Seed: seed, t: t, ctx: seed.Ctx, db: seed.DB, year: 2030}
	e.s = deciding.NewService(e.db)
	// The tests change data behind the service's back and look at once.
	e.s.StateTTL = 0
	e.orgs = seed.Municipalities("Asker", "Træna", "Bærum", "Sandnes", "Horten", "Oppegård")
	e.award = seed.Award("kommunal-innovasjonspris", "Kommunal innovasjonspris")
	return e
}

func (e *env) id(query string, args ...any) int64 { e.t.Helper(); return e.ID(query, args...) }

func (e *env) exec(query string, args ...any) { e.t.Helper(); e.Exec(query, args...) }

// cycle is a cycle of the test with its criteria.
type cycle struct {
	id       int64
	publicID string
	crit     []int64
}

// criterion is a criterion to make: name, weight, scale.
type criterion struct {
	name     string
	weight   float64
	min, max float64
}

// newCycle makes a cycle in phase, scoring at level, with the criteria
// (with nynorsk names).
func (e *env) newCycle(phase, level string, crits ...criterion) cycle {
	e.t.Helper()
	e.year++
	spec := pgtest.CycleSpec{Award: e.award, Year: e.year, Phase: phase, Level: level}
	for _, cr := range crits {
		spec.Criteria = append(spec.Criteria, pgtest.Criterion{Name: cr.name, NameNN: cr.name + " (nn)", Weight: cr.weight, Min: cr.min, Max: cr.max})
	}
	c := e.Cycle(spec)
	return cycle{id: c.ID, publicID: c.PublicID, crit: c.Criteria}
}

// judging is a cycle in judging scoring nominations on "Nytt" (1–5,
// weight 2) and "Nyttig" (1–5, weight 1).
func (e *env) judging() cycle {
	return e.newCycle("judging", "nomination", criterion{name: "Nytt", weight: 2, min: 1, max: 5},
		criterion{name: "Nyttig", weight: 1, min: 1, max: 5})
}

// person provisions a user, a member of the named organisations, and
// returns them as an actor.
func (e *env) person(name string, admin bool, orgs ...string) *awards.Actor {
	e.t.Helper()
	var ids []int64
	for _, o := range orgs {
		ids = append(ids, e.orgs[o])
	}
	return e.Person(name, admin, ids...)
}

func (e *env) reload(a *awards.Actor) *awards.Actor { e.t.Helper(); return e.Actor(a.User.ID) }

// seat makes a a juror (or the chair) of c, declared (about every
// organisation) unless declared is false, and returns the juror's ID.
func (e *env) seat(a *awards.Actor, c cycle, chair, declared bool) int64 {
	e.t.Helper()
	id := e.Seat(c.id, a.User.ID, chair, declared)
	*a = *e.reload(a)
	return id
}

// conflict declares that juror must step aside from org.
func (e *env) conflict(juror int64, org, kind, reason string) {
	e.t.Helper()
	e.Conflict(juror, e.orgs[org], kind, reason)
}

// nom is a nomination of the test.
type nom struct {
	id       int64
	publicID string
	projects []int64
}

// nomination makes a nomination of org in c with status and n projects.
func (e *env) nomination(c cycle, org, title, status string, n int) nom {
	e.t.Helper()
	x := e.Nomination(pgtest.NominationSpec{Cycle: c.id, Org: e.orgs[org], OrgName: org, Title: title,
		Summary: "Helhetlig innovasjon.", Status: status, Projects: n})
	return nom{id: x.ID, publicID: x.PublicID, projects: x.Projects}
}

// score stores juror's score (NaN for none) with a comment, at the
// nomination level, or for project when it is not 0.
func (e *env) score(juror int64, n nom, criterion, project int64, value float64, comment string) {
	e.t.Helper()
	e.Score(juror, n.id, criterion, project, value, comment)
}

// submit marks juror's scores of n submitted.
func (e *env) submit(juror int64, n nom) {
	e.t.Helper()
	e.SubmitScores(juror, n.id)
}

// scored stores and submits juror's scores of n, one per criterion of c.
func (e *env) scored(juror int64, c cycle, n nom, values ...float64) {
	e.t.Helper()
	for i, v := range values {
		e.score(juror, n, c.crit[i], 0, v, "")
	}
	e.submit(juror, n)
}

func wantCode(t testing.TB, what string, err error, code string) {
	t.Helper()
	if got := awards.ErrorCode(err); got != code || (code == "" && err != nil) {
		t.Fatalf("%s: error %v (code %q), want code %q", what, err, got, code)
	}
}

func wantIs(t testing.TB, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("%s: error %v, want %v", what, err, target)
	}
}

// wantFields checks that err is EInvalid with exactly these field keys.
func wantFields(t testing.TB, what string, err error, want map[string]string) {
	t.Helper()
	wantCode(t, what, err, awards.EInvalid)
	got := awards.ErrorFields(err)
	if len(got) != len(want) {
		t.Fatalf("%s: fields %v, want %v", what, got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("%s: fields %v, want %v", what, got, want)
		}
	}
}
