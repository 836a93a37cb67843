package pgtest

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/heder-awards/heder/internal/users"
)

// Seed makes the rows a test starts from: organisations, awards, cycles
// with criteria, people, jury seats, nominations with projects, scores.
// The raw INSERTs live here, once, so that a schema change is made in one
// place and the tests keep saying only what matters to them. Every
// factory fails the test on an error.
type Seed struct {
	T   testing.TB
	Ctx context.Context
	DB  *postgres.DB
}

// NewSeed returns a Seed over a fresh database.
func NewSeed(t testing.TB) *Seed {
	t.Helper()
	return &Seed{T: t, Ctx: context.Background(), DB: New(t)}
}

// ID runs query and returns the single integer it selects.
func (s *Seed) ID(query string, args ...any) int64 {
	s.T.Helper()
	var id int64
	if err := s.DB.NewRaw(query, args...).Scan(s.Ctx, &id); err != nil {
		s.T.Fatalf("%s: %v", query, err)
	}
	return id
}

// Exec runs a statement.
func (s *Seed) Exec(query string, args ...any) {
	s.T.Helper()
	if _, err := s.DB.ExecContext(s.Ctx, query, args...); err != nil {
		s.T.Fatalf("%s: %v", query, err)
	}
}

// Organisation makes an organisation of kind named name, writing in
// language (nb, nn; "" for the default).
func (s *Seed) Organisation(kind, name, language string) int64 {
	s.T.Helper()
	if language == "" {
		return s.ID(`INSERT INTO organisations (kind, name) VALUES (?, ?) RETURNING id`, kind, name)
	}
	return s.ID(`INSERT INTO organisations (kind, name, language) VALUES (?, ?, ?) RETURNING id`, kind, name, language)
}

// Municipalities makes a municipality per name (Træna writes nynorsk, as
// it does) and returns them by name.
func (s *Seed) Municipalities(names ...string) map[string]int64 {
	s.T.Helper()
	out := make(map[string]int64, len(names))
	for _, name := range names {
		lang := ""
		if name == "Træna" {
			lang = "nn"
		}
		out[name] = s.Organisation("municipality", name, lang)
	}
	return out
}

// Award makes an award without owner.
func (s *Seed) Award(slug, name string) int64 {
	s.T.Helper()
	return s.ID(`INSERT INTO awards (slug, name_nb) VALUES (?, ?) RETURNING id`, slug, name)
}

// Criterion is a criterion of a CycleSpec; Weight and Step 0 are 1. With
// NN its nynorsk name is its name with " (nn)".
type Criterion struct {
	Name, Help     string
	Weight         float64
	Min, Max, Step float64
	NN             bool
}

// CycleSpec is a cycle to make. Deadlines are SQL expressions (e.g.
// "now() + interval '4 days'"), "" for none; Level "" is the default
// scoring level.
type CycleSpec struct {
	Award                               int64
	Year                                int
	Phase                               string
	NominationDeadline, ScoringDeadline string
	Level                               string
	Criteria                            []Criterion
}

// Cycle is a cycle made by Seed.Cycle, with its criteria's IDs in order.
type Cycle struct {
	ID       int64
	PublicID string
	Criteria []int64
}

// Cycle makes a cycle titled "Innovasjonsprisen <year>" with its
// criteria, at positions from 1.
func (s *Seed) Cycle(c CycleSpec) Cycle {
	s.T.Helper()
	sqlOr := func(expr string) string {
		if expr == "" {
			return "NULL"
		}
		return expr
	}
	level := c.Level
	if level == "" {
		level = "nomination"
	}
	var out Cycle
	err := s.DB.NewRaw(fmt.Sprintf(`INSERT INTO cycles (award_id, year, title, phase, nomination_deadline, scoring_deadline, scoring_level)
		VALUES (?, ?, ?, ?, %s, %s, ?) RETURNING id, public_id`, sqlOr(c.NominationDeadline), sqlOr(c.ScoringDeadline)),
		c.Award, c.Year, fmt.Sprintf("Innovasjonsprisen %d", c.Year), c.Phase, level).Scan(s.Ctx, &out.ID, &out.PublicID)
	if err != nil {
		s.T.Fatalf("cycle %d: %v", c.Year, err)
	}
	for i, cr := range c.Criteria {
		weight, step := cr.Weight, cr.Step
		if weight == 0 {
			weight = 1
		}
		if step == 0 {
			step = 1
		}
		nn := ""
		if cr.NN {
			nn = cr.Name + " (nn)"
		}
		out.Criteria = append(out.Criteria, s.ID(`INSERT INTO criteria (cycle_id, name_nb, name_nn, help_nb, weight, scale_min, scale_max, scale_step, position)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, out.ID, cr.Name, nn, cr.Help, weight, cr.Min, cr.Max, step, i+1))
	}
	return out
}

// Person provisions a user named name (e-mail name@example.org), a
// submitting member of orgs, and returns them as an actor.
func (s *Seed) Person(name string, admin bool, orgs ...int64) *awards.Actor {
	s.T.Helper()
	id, err := users.NewService(s.DB).Provision(s.Ctx, users.Login{Issuer: "https://idp.test", Subject: name, Name: name,
		Email: name + "@example.org", EmailVerified: true, Admin: admin})
	if err != nil {
		s.T.Fatalf("person %s: %v", name, err)
	}
	for _, o := range orgs {
		s.Exec(`INSERT INTO memberships (user_id, organisation_id, role, source) VALUES (?, ?, 'submitter', 'admin')`, id, o)
	}
	return s.Actor(id)
}

// Actor loads user id as the app does for a request.
func (s *Seed) Actor(id int64) *awards.Actor {
	s.T.Helper()
	a, err := users.NewService(s.DB).Actor(s.Ctx, id)
	if err != nil {
		s.T.Fatalf("actor %d: %v", id, err)
	}
	return a
}

// Seat makes user a juror (or the chair) of cycle and returns the seat's
// ID. Declared jurors have declared about every organisation there is;
// conflicts are the tests' to add (Conflict).
func (s *Seed) Seat(cycle, user int64, chair, declared bool) int64 {
	s.T.Helper()
	id := s.ID(`INSERT INTO jurors (cycle_id, user_id, chair, declared_at) VALUES (?, ?, ?, CASE WHEN ? THEN now() END) RETURNING id`,
		cycle, user, chair, declared)
	if declared {
		s.Exec(`INSERT INTO conflict_reviews (juror_id, organisation_id) SELECT ?, id FROM organisations`, id)
	}
	return id
}

// Conflict declares that juror must step aside from org.
func (s *Seed) Conflict(juror, org int64, kind, reason string) {
	s.T.Helper()
	s.Exec(`INSERT INTO conflicts (juror_id, organisation_id, kind, reason) VALUES (?, ?, ?, ?)`, juror, org, kind, reason)
}

// NominationSpec is a nomination to make, of one nominee organisation,
// submitted now (submitted_at is set whatever Status says). Projects are
// titled "<OrgName> prosjekt <n>", with ProjectDescription and, when
// Measured, one measured result (783 deltakere).
type NominationSpec struct {
	Cycle                             int64
	Org                               int64
	OrgName                           string
	Title, Summary, Challenge, Status string
	Projects                          int
	ProjectDescription                string
	Measured                          bool
}

// Nomination is a nomination made by Seed.Nomination.
type Nomination struct {
	ID       int64
	PublicID string
	Projects []int64
}

// Nomination makes the nomination and its projects.
func (s *Seed) Nomination(n NominationSpec) Nomination {
	s.T.Helper()
	var out Nomination
	if err := s.DB.NewRaw(`INSERT INTO nominations (cycle_id, title, summary, challenge, status, submitted_at)
		VALUES (?, ?, ?, ?, ?, now()) RETURNING id, public_id`, n.Cycle, n.Title, n.Summary, n.Challenge, n.Status).
		Scan(s.Ctx, &out.ID, &out.PublicID); err != nil {
		s.T.Fatalf("nomination %s: %v", n.Title, err)
	}
	s.Exec(`INSERT INTO nomination_organisations (nomination_id, organisation_id) VALUES (?, ?)`, out.ID, n.Org)
	for i := range n.Projects {
		p := s.ID(`INSERT INTO projects (organisation_id, title, description) VALUES (?, ?, ?) RETURNING id`,
			n.Org, fmt.Sprintf("%s prosjekt %d", n.OrgName, i+1), n.ProjectDescription)
		s.Exec(`INSERT INTO nomination_projects (nomination_id, project_id, position) VALUES (?, ?, ?)`, out.ID, p, i)
		if n.Measured {
			s.Exec(`INSERT INTO project_results (project_id, label, value, unit) VALUES (?, 'deltakere', 783, '')`, p)
		}
		out.Projects = append(out.Projects, p)
	}
	return out
}

// Score stores juror's score of criterion on nomination (on project when
// not 0; NaN for no value) with comment.
func (s *Seed) Score(juror, nomination, criterion, project int64, value float64, comment string) {
	s.T.Helper()
	var v *float64
	if !math.IsNaN(value) {
		v = &value
	}
	var p *int64
	if project != 0 {
		p = &project
	}
	s.Exec(`INSERT INTO scores (juror_id, nomination_id, project_id, criterion_id, value, comment) VALUES (?, ?, ?, ?, ?, ?)`,
		juror, nomination, p, criterion, v, comment)
}

// SubmitScores marks juror's scores of nomination submitted.
func (s *Seed) SubmitScores(juror, nomination int64) {
	s.T.Helper()
	s.Exec(`INSERT INTO score_submissions (juror_id, nomination_id) VALUES (?, ?)`, juror, nomination)
}
