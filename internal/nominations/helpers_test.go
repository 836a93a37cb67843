package nominations_test

import (
	"context"
	"errors"
	"testing"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/nominations"
	"github.com/heder-awards/heder/internal/pgtest"
	"github.com/heder-awards/heder/internal/postgres"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// env is a fresh database with a few organisations, an award and the
// service under test; the rows come from pgtest.Seed, people have
// addresses at example.kommune.no.
type env struct {
	*pgtest.Seed
	t     *testing.T
	ctx   context.Context
	db    *postgres.DB
	s     *nominations.Service
	orgs  map[string]int64
	award int64
	year  int
}

// newSeedEnv is an env over a fresh database without rows.
func newSeedEnv(t *testing.T) *env {
	t.Helper()
	seed := pgtest.NewSeed(t)
	seed.EmailDomain = "example.kommune.no"
	e := &env{Seed: seed, t: t, ctx: seed.Ctx, db: seed.DB, orgs: map[string]int64{}, year: 2030}
	e.s = nominations.NewService(e.db)
	return e
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := newSeedEnv(t)
	for _, o := range []struct{ name, kind string }{
		{"Asker", "municipality"}, {"Træna", "municipality"}, {"Bærum", "municipality"},
		{"Akershus", "county"}, {"Kommunal- og distriktsdepartementet", "ministry"},
	} {
		e.orgs[o.name] = e.Organisation(o.kind, o.name, "")
	}
	e.award = e.Award("kommunal-innovasjonspris", "Kommunal innovasjonspris")
	return e
}

// cycle makes a cycle in phase with the deadline set by the SQL expression
// deadline (e.g. "now() + interval '30 days'") and the given limits; it
// returns the cycle's public ID.
func (e *env) cycle(phase, deadline string, maxPerOrg, maxProjects int) string {
	e.t.Helper()
	e.year++
	return e.Cycle(pgtest.CycleSpec{Award: e.award, Year: e.year, Phase: phase, NominationDeadline: deadline,
		MaxPerOrg: &maxPerOrg, MaxProjects: &maxProjects}).PublicID
}

// cycleID returns the ID of the cycle with public ID publicID.
func (e *env) cycleID(publicID string) int64 {
	e.t.Helper()
	return e.ID(`SELECT id FROM cycles WHERE public_id = ?`, publicID)
}

// open is an open cycle with a month to go, one nomination per
// organisation and three projects.
func (e *env) open() string { return e.cycle("open", "now() + interval '30 days'", 1, 3) }

// actor provisions a person who is a member of the named organisations.
func (e *env) actor(name string, admin bool, orgs ...string) *awards.Actor {
	e.t.Helper()
	var ids []int64
	for _, o := range orgs {
		ids = append(ids, e.orgs[o])
	}
	return e.Person(name, admin, ids...)
}

func (e *env) exec(query string, args ...any) {
	e.t.Helper()
	if _, err := e.db.ExecContext(e.ctx, query, args...); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) count(query string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.db.NewRaw(query, args...).Scan(e.ctx, &n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// complete fills in everything a nomination needs and links one project.
func (e *env) complete(a *awards.Actor, id string) nominations.View {
	e.t.Helper()
	v, err := e.s.Get(e.ctx, a, id)
	if err != nil {
		e.t.Fatal(err)
	}
	v, err = e.s.Update(e.ctx, a, id, v.Version, nominations.Fields{Title: ptr("Asker velferdslab"),
		Summary: ptr("Nye løsninger for velferd."), Challenge: ptr("renewal"), ContactName: ptr("Kari Nordmann"),
		ContactEmail: ptr("kari@asker.kommune.no")})
	if err != nil {
		e.t.Fatal(err)
	}
	if len(v.Projects) == 0 {
		if _, err := e.s.CreateProject(e.ctx, a, id, nominations.ProjectInput{Title: ptr("Holmen svømmehall"),
			Description: ptr("Et nytt svømmeanlegg bygget i dialog med innbyggerne.")}); err != nil {
			e.t.Fatal(err)
		}
	}
	if v, err = e.s.Get(e.ctx, a, id); err != nil {
		e.t.Fatal(err)
	}
	return v
}

// join makes org a co-nominee of the entry by consent: lead invites it,
// member accepts.
func (e *env) join(lead *awards.Actor, nomination string, member *awards.Actor, org string) {
	e.t.Helper()
	inv, err := e.s.Invite(e.ctx, lead, nomination, e.orgs[org])
	if err != nil {
		e.t.Fatalf("invite %s: %v", org, err)
	}
	if _, err := e.s.AnswerInvitation(e.ctx, member, inv.PublicID, true); err != nil {
		e.t.Fatalf("%s accepts: %v", org, err)
	}
}

func ptr[T any](v T) *T { return &v }

// wantCode fails unless err carries code and, when field is set, a
// message for that field.
func wantCode(t *testing.T, what string, err error, code, field string) {
	t.Helper()
	if got := awards.ErrorCode(err); got != code {
		t.Errorf("%s: error %v (code %q), want code %q", what, err, got, code)
		return
	}
	if field != "" {
		if _, ok := awards.ErrorFields(err)[field]; !ok {
			t.Errorf("%s: error %v has fields %v, want one for %q", what, err, awards.ErrorFields(err), field)
		}
	}
}

func isClosed(err error) bool { return errors.Is(err, nominations.ErrClosed) }
