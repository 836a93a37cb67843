package scoring_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/pgtest"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/heder-awards/heder/internal/scoring"
	"github.com/heder-awards/heder/internal/users"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// env is a fresh database with a cycle in judging, its criteria, a jury
// and nominations, and the service under test.
type env struct {
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
	e := &env{t: t, ctx: context.Background(), db: pgtest.New(t), orgs: map[string]int64{}, year: 2030}
	e.s = scoring.NewService(e.db)
	for _, name := range []string{"Asker", "Træna", "Bærum", "Sandnes"} {
		e.orgs[name] = e.id(`INSERT INTO organisations (kind, name) VALUES ('municipality', ?) RETURNING id`, name)
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

func (e *env) str(query string, args ...any) string {
	e.t.Helper()
	var s string
	if err := e.db.NewRaw(query, args...).Scan(e.ctx, &s); err != nil {
		e.t.Fatalf("%s: %v", query, err)
	}
	return s
}

func (e *env) exec(query string, args ...any) {
	e.t.Helper()
	if _, err := e.db.ExecContext(e.ctx, query, args...); err != nil {
		e.t.Fatalf("%s: %v", query, err)
	}
}

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
	var c cycle
	err := e.db.NewRaw(fmt.Sprintf(`INSERT INTO cycles (award_id, year, title, phase, nomination_deadline, scoring_deadline, scoring_level)
		VALUES (?, ?, ?, ?, now() - interval '30 days', %s, ?) RETURNING id, public_id`, deadline),
		e.award, e.year, fmt.Sprintf("Innovasjonsprisen %d", e.year), phase, level).Scan(e.ctx, &c.id, &c.publicID)
	if err != nil {
		e.t.Fatal(err)
	}
	c.crit = append(c.crit,
		e.id(`INSERT INTO criteria (cycle_id, name_nb, help_nb, scale_min, scale_max, scale_step, position)
			VALUES (?, 'Nytt', 'Er det nytt?', 1, 5, 1, 1) RETURNING id`, c.id),
		e.id(`INSERT INTO criteria (cycle_id, name_nb, help_nb, scale_min, scale_max, scale_step, position)
			VALUES (?, 'Nyttig', 'Har det skapt verdi?', 0, 10, 0.5, 2) RETURNING id`, c.id))
	return c
}

// judging is a cycle in judging with four days to go, scoring nominations.
func (e *env) judging() cycle { return e.cycle("judging", "now() + interval '4 days'", "nomination") }

// person provisions a user, a member of the named organisations, and
// returns them as an actor with their seats.
func (e *env) person(name string, admin bool, orgs ...string) *awards.Actor {
	e.t.Helper()
	u := users.NewService(e.db)
	id, err := u.Provision(e.ctx, users.Login{Issuer: "https://idp.test", Subject: name, Name: name,
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

// seat makes a a juror (or the chair) of c, declared unless declared is
// false, and returns the juror's ID.
func (e *env) seat(a *awards.Actor, c cycle, chair, declared bool) int64 {
	e.t.Helper()
	id := e.id(`INSERT INTO jurors (cycle_id, user_id, chair, declared_at) VALUES (?, ?, ?, CASE WHEN ? THEN now() END) RETURNING id`,
		c.id, a.User.ID, chair, declared)
	if declared {
		// Declared about every organisation there is (conflicts are added
		// by the tests that need them).
		e.exec(`INSERT INTO conflict_reviews (juror_id, organisation_id) SELECT ?, id FROM organisations`, id)
	}
	*a = *e.reload(a)
	return id
}

// nomination makes a nomination of org in c with status and n projects,
// each with a measured result, and returns its public ID.
func (e *env) nomination(c cycle, org, status string, n int) string {
	e.t.Helper()
	var id int64
	var pub string
	if err := e.db.NewRaw(`INSERT INTO nominations (cycle_id, title, summary, challenge, status, submitted_at)
		VALUES (?, ?, 'Helhetlig innovasjon.', 'renewal', ?, now()) RETURNING id, public_id`,
		c.id, "Innovasjon i "+org, status).Scan(e.ctx, &id, &pub); err != nil {
		e.t.Fatal(err)
	}
	e.exec(`INSERT INTO nomination_organisations (nomination_id, organisation_id) VALUES (?, ?)`, id, e.orgs[org])
	for i := range n {
		p := e.id(`INSERT INTO projects (organisation_id, title, description) VALUES (?, ?, 'Beskrivelse') RETURNING id`,
			e.orgs[org], fmt.Sprintf("%s prosjekt %d", org, i+1))
		e.exec(`INSERT INTO nomination_projects (nomination_id, project_id, position) VALUES (?, ?, ?)`, id, p, i)
		e.exec(`INSERT INTO project_results (project_id, label, value, unit) VALUES (?, 'deltakere', 783, '')`, p)
	}
	return pub
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
