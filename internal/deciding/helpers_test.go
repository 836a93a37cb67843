package deciding_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/deciding"
	"github.com/heder-awards/heder/internal/pgtest"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/heder-awards/heder/internal/users"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// env is a fresh database with an award and four municipalities, and the
// service under test.
type env struct {
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
	e := &env{t: t, ctx: context.Background(), db: pgtest.New(t), orgs: map[string]int64{}, year: 2030}
	e.s = deciding.NewService(e.db)
	// The tests change data behind the service's back and look at once.
	e.s.StateTTL = 0
	for _, name := range []string{"Asker", "Træna", "Bærum", "Sandnes", "Horten", "Oppegård"} {
		lang := "nb"
		if name == "Træna" {
			lang = "nn"
		}
		e.orgs[name] = e.id(`INSERT INTO organisations (kind, name, language) VALUES ('municipality', ?, ?) RETURNING id`, name, lang)
	}
	e.award = e.id(`INSERT INTO awards (slug, name_nb) VALUES ('kommunal-innovasjonspris', 'Kommunal innovasjonspris') RETURNING id`)
	return e
}

func (e *env) id(query string, args ...any) int64 {
	e.t.Helper()
	var id int64
	if err := e.db.NewRaw(query, args...).Scan(e.ctx, &id); err != nil {
		e.t.Fatalf("%s: %v", query, err)
	}
	return id
}

func (e *env) exec(query string, args ...any) {
	e.t.Helper()
	if _, err := e.db.ExecContext(e.ctx, query, args...); err != nil {
		e.t.Fatalf("%s: %v", query, err)
	}
}

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

// newCycle makes a cycle in phase, scoring at level, with the criteria.
func (e *env) newCycle(phase, level string, crits ...criterion) cycle {
	e.t.Helper()
	e.year++
	var c cycle
	err := e.db.NewRaw(`INSERT INTO cycles (award_id, year, title, phase, scoring_level) VALUES (?, ?, ?, ?, ?) RETURNING id, public_id`,
		e.award, e.year, fmt.Sprintf("Innovasjonsprisen %d", e.year), phase, level).Scan(e.ctx, &c.id, &c.publicID)
	if err != nil {
		e.t.Fatal(err)
	}
	for i, cr := range crits {
		c.crit = append(c.crit, e.id(`INSERT INTO criteria (cycle_id, name_nb, name_nn, weight, scale_min, scale_max, position)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.id, cr.name, cr.name+" (nn)", cr.weight, cr.min, cr.max, i))
	}
	return c
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
	id, err := users.NewService(e.db).Provision(e.ctx, users.Login{Issuer: "https://idp.test", Subject: name, Name: name,
		Email: name + "@example.org", EmailVerified: true, Admin: admin})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, o := range orgs {
		e.exec(`INSERT INTO memberships (user_id, organisation_id, role, source) VALUES (?, ?, 'submitter', 'admin')`, id, e.orgs[o])
	}
	return e.reload(&awards.Actor{User: awards.User{ID: id}})
}

func (e *env) reload(a *awards.Actor) *awards.Actor {
	e.t.Helper()
	a, err := users.NewService(e.db).Actor(e.ctx, a.User.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

// seat makes a a juror (or the chair) of c, declared (about every
// organisation) unless declared is false, and returns the juror's ID.
func (e *env) seat(a *awards.Actor, c cycle, chair, declared bool) int64 {
	e.t.Helper()
	id := e.id(`INSERT INTO jurors (cycle_id, user_id, chair, declared_at) VALUES (?, ?, ?, CASE WHEN ? THEN now() END) RETURNING id`,
		c.id, a.User.ID, chair, declared)
	if declared {
		e.exec(`INSERT INTO conflict_reviews (juror_id, organisation_id) SELECT ?, id FROM organisations`, id)
	}
	*a = *e.reload(a)
	return id
}

// conflict declares that juror must step aside from org.
func (e *env) conflict(juror int64, org, kind, reason string) {
	e.t.Helper()
	e.exec(`INSERT INTO conflicts (juror_id, organisation_id, kind, reason) VALUES (?, ?, ?, ?)`, juror, e.orgs[org], kind, reason)
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
	var x nom
	if err := e.db.NewRaw(`INSERT INTO nominations (cycle_id, title, summary, status, submitted_at)
		VALUES (?, ?, 'Helhetlig innovasjon.', ?, now()) RETURNING id, public_id`, c.id, title, status).Scan(e.ctx, &x.id, &x.publicID); err != nil {
		e.t.Fatal(err)
	}
	e.exec(`INSERT INTO nomination_organisations (nomination_id, organisation_id) VALUES (?, ?)`, x.id, e.orgs[org])
	for i := range n {
		p := e.id(`INSERT INTO projects (organisation_id, title) VALUES (?, ?) RETURNING id`, e.orgs[org], fmt.Sprintf("%s prosjekt %d", org, i+1))
		e.exec(`INSERT INTO nomination_projects (nomination_id, project_id, position) VALUES (?, ?, ?)`, x.id, p, i)
		x.projects = append(x.projects, p)
	}
	return x
}

// score stores juror's score (NaN for none) with a comment, at the
// nomination level, or for project when it is not 0.
func (e *env) score(juror int64, n nom, criterion, project int64, value float64, comment string) {
	e.t.Helper()
	var v *float64
	if !math.IsNaN(value) {
		v = &value
	}
	var p *int64
	if project != 0 {
		p = &project
	}
	e.exec(`INSERT INTO scores (juror_id, nomination_id, project_id, criterion_id, value, comment) VALUES (?, ?, ?, ?, ?, ?)`,
		juror, n.id, p, criterion, v, comment)
}

// submit marks juror's scores of n submitted.
func (e *env) submit(juror int64, n nom) {
	e.t.Helper()
	e.exec(`INSERT INTO score_submissions (juror_id, nomination_id) VALUES (?, ?)`, juror, n.id)
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
