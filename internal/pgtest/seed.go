package pgtest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/heder-awards/heder/internal/users"
)

// Seed makes the rows a test starts from: organisations, awards, cycles
// with criteria and announcements, people, jury seats, nominations with
// projects and files, scores, decisions. The raw INSERTs live here, once,
// so that a schema change is made in one place and the tests keep saying
// only what matters to them. Every factory fails the test on an error.
type Seed struct {
	T   testing.TB
	Ctx context.Context
	DB  *postgres.DB
	// EmailDomain is the domain of Person's e-mail addresses, "" for
	// example.org.
	EmailDomain string
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

// row is an INSERT's columns, so that a factory names only the columns a
// spec sets and the rest keep the schema's defaults.
type row struct {
	cols, vals []string
	args       []any
}

// set adds col bound to v.
func (r *row) set(col string, v any) {
	r.cols, r.vals, r.args = append(r.cols, col), append(r.vals, "?"), append(r.args, v)
}

// sql adds col as the SQL expression expr, unless expr is "".
func (r *row) sql(col, expr string) {
	if expr != "" {
		r.cols, r.vals = append(r.cols, col), append(r.vals, expr)
	}
}

func (r *row) insert(table, returning string) string {
	return fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s) RETURNING %s", table, strings.Join(r.cols, ", "), strings.Join(r.vals, ", "), returning)
}

// OrganisationSpec is an organisation to make; "" and 0 leave a column
// to its default. A former organisation has ValidTo (a date) and the
// Successor it became that day.
type OrganisationSpec struct {
	Kind, Name, Language, Number string
	Parent                       int64
	ValidTo                      string
	Successor                    int64
}

// OrganisationOf makes the organisation o describes.
func (s *Seed) OrganisationOf(o OrganisationSpec) int64 {
	s.T.Helper()
	var r row
	r.set("kind", o.Kind)
	r.set("name", o.Name)
	for _, c := range []struct{ col, v string }{{"language", o.Language}, {"number", o.Number}, {"valid_to", o.ValidTo}} {
		if c.v != "" {
			r.set(c.col, c.v)
		}
	}
	for _, c := range []struct {
		col string
		v   int64
	}{{"parent_id", o.Parent}, {"successor_id", o.Successor}} {
		if c.v != 0 {
			r.set(c.col, c.v)
		}
	}
	return s.ID(r.insert("organisations", "id"), r.args...)
}

// Organisation makes an organisation of kind named name, writing in
// language (nb, nn; "" for the default).
func (s *Seed) Organisation(kind, name, language string) int64 {
	s.T.Helper()
	return s.OrganisationOf(OrganisationSpec{Kind: kind, Name: name, Language: language})
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

// AwardSpec is an award to make, without owner; "" leaves a column to its
// default (Kind: a prize).
type AwardSpec struct {
	Slug, Kind                                string
	Name, NameNN, NameEN                      string
	Description, DescriptionNN, DescriptionEN string
}

// AwardOf makes the award a describes.
func (s *Seed) AwardOf(a AwardSpec) int64 {
	s.T.Helper()
	var r row
	r.set("slug", a.Slug)
	r.set("name_nb", a.Name)
	for _, c := range []struct{ col, v string }{{"kind", a.Kind}, {"name_nn", a.NameNN}, {"name_en", a.NameEN},
		{"description", a.Description}, {"description_nn", a.DescriptionNN}, {"description_en", a.DescriptionEN}} {
		if c.v != "" {
			r.set(c.col, c.v)
		}
	}
	return s.ID(r.insert("awards", "id"), r.args...)
}

// Award makes a prize named name (bokmål) without owner.
func (s *Seed) Award(slug, name string) int64 {
	s.T.Helper()
	return s.AwardOf(AwardSpec{Slug: slug, Name: name})
}

// Criterion is a criterion of a CycleSpec; Weight and Step 0 are 1.
type Criterion struct {
	Name, NameNN, NameEN, Help string
	Weight                     float64
	Min, Max, Step             float64
}

// CycleSpec is a cycle to make; the zero value of a field leaves its
// column to the schema's default. Instants are SQL expressions (e.g.
// "now() + interval '4 days'"); Title "" is "Innovasjonsprisen <year>";
// Assignment is the assignment mode (all, auto).
type CycleSpec struct {
	Award                               int64
	Year                                int
	Title, Phase                        string
	NominationDeadline, ScoringDeadline string
	PublishedAt                         string
	Level                               string
	Assignment                          string
	JurorsPerNomination                 int
	// MaxPerOrg (0 for no limit) and MaxProjects, nil for the defaults.
	MaxPerOrg, MaxProjects *int
	PublishAll             bool
	Description, CallText  string
	Criteria               []Criterion
}

// Cycle is a cycle made by Seed.Cycle, with its criteria's IDs in order.
type Cycle struct {
	ID       int64
	PublicID string
	Criteria []int64
}

// Cycle makes a cycle with its criteria, at positions from 1.
func (s *Seed) Cycle(c CycleSpec) Cycle {
	s.T.Helper()
	title := c.Title
	if title == "" {
		title = fmt.Sprintf("Innovasjonsprisen %d", c.Year)
	}
	var r row
	r.set("award_id", c.Award)
	r.set("year", c.Year)
	r.set("title", title)
	r.set("phase", c.Phase)
	r.sql("nomination_deadline", c.NominationDeadline)
	r.sql("scoring_deadline", c.ScoringDeadline)
	r.sql("published_at", c.PublishedAt)
	for _, x := range []struct{ col, v string }{{"scoring_level", c.Level}, {"assignment_mode", c.Assignment},
		{"description", c.Description}, {"call_text", c.CallText}} {
		if x.v != "" {
			r.set(x.col, x.v)
		}
	}
	if c.JurorsPerNomination != 0 {
		r.set("jurors_per_nomination", c.JurorsPerNomination)
	}
	if c.MaxPerOrg != nil {
		r.set("max_nominations_per_org", *c.MaxPerOrg)
	}
	if c.MaxProjects != nil {
		r.set("max_projects", *c.MaxProjects)
	}
	if c.PublishAll {
		r.set("publish_all", true)
	}
	var out Cycle
	if err := s.DB.NewRaw(r.insert("cycles", "id, public_id"), r.args...).Scan(s.Ctx, &out.ID, &out.PublicID); err != nil {
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
		out.Criteria = append(out.Criteria, s.ID(`INSERT INTO criteria (cycle_id, name_nb, name_nn, name_en, help_nb, weight, scale_min, scale_max, scale_step, position)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, out.ID, cr.Name, cr.NameNN, cr.NameEN, cr.Help, weight, cr.Min, cr.Max, step, i+1))
	}
	return out
}

// Announce schedules cycle's announcement of kind (finalists, winners) at
// the SQL instant at (e.g. "now() - interval '1 day'") and returns its ID.
func (s *Seed) Announce(cycle int64, kind, at string) int64 {
	s.T.Helper()
	return s.ID(`INSERT INTO announcements (cycle_id, kind, publish_at) VALUES (?, ?, `+at+`) RETURNING id`, cycle, kind)
}

// Person provisions a user named name (e-mail name@EmailDomain), a
// submitting member of orgs, and returns them as an actor.
func (s *Seed) Person(name string, admin bool, orgs ...int64) *awards.Actor {
	s.T.Helper()
	domain := s.EmailDomain
	if domain == "" {
		domain = "example.org"
	}
	id, err := users.NewService(s.DB).Provision(s.Ctx, users.Login{Issuer: "https://idp.test", Subject: name, Name: name,
		Email: name + "@" + domain, EmailVerified: true, Admin: admin})
	if err != nil {
		s.T.Fatalf("person %s: %v", name, err)
	}
	for _, o := range orgs {
		s.Member(id, o)
	}
	return s.Actor(id)
}

// User makes a user as an identity provider's login would (issuer
// https://idp.example, subject), without memberships.
func (s *Seed) User(subject, name, email string, admin, verified bool) int64 {
	s.T.Helper()
	return s.ID(`INSERT INTO users (issuer, subject, name, email, email_verified, is_admin) VALUES ('https://idp.example', ?, ?, ?, ?, ?) RETURNING id`,
		subject, name, email, verified, admin)
}

// Member makes user a submitting member of org.
func (s *Seed) Member(user, org int64) {
	s.T.Helper()
	s.Exec(`INSERT INTO memberships (user_id, organisation_id, role, source) VALUES (?, ?, 'submitter', 'admin')`, user, org)
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

// NominationSpec is a nomination to make, of Org (and CoNominees, for a
// joint entry; Org leads it when Lead, as the app records, otherwise no
// one does, as in older rows). It is submitted at the SQL instant
// Submitted ("" for now) unless Draft, whatever Status says; Status ""
// is draft or submitted to match. Projects are titled "<OrgName>
// prosjekt <n>", with ProjectDescription and, when Measured, one measured
// result (783 deltakere).
type NominationSpec struct {
	Cycle                             int64
	Org                               int64
	CoNominees                        []int64
	Lead                              bool
	OrgName                           string
	Title, Summary, Challenge, Status string
	Draft                             bool
	Submitted                         string
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
	status, submitted := n.Status, n.Submitted
	if status == "" && n.Draft {
		status = "draft"
	} else if status == "" {
		status = "submitted"
	}
	if submitted == "" {
		submitted = "now()"
	}
	var out Nomination
	if err := s.DB.NewRaw(`INSERT INTO nominations (cycle_id, title, summary, challenge, status, submitted_at)
		VALUES (?, ?, ?, ?, ?, CASE WHEN NOT ? THEN (`+submitted+`)::timestamptz END) RETURNING id, public_id`, n.Cycle, n.Title, n.Summary, n.Challenge, status, n.Draft).
		Scan(s.Ctx, &out.ID, &out.PublicID); err != nil {
		s.T.Fatalf("nomination %s: %v", n.Title, err)
	}
	for i, o := range append([]int64{n.Org}, n.CoNominees...) {
		s.Exec(`INSERT INTO nomination_organisations (nomination_id, organisation_id, lead) VALUES (?, ?, ?)`, out.ID, o, n.Lead && i == 0)
	}
	for i := range n.Projects {
		p := ProjectSpec{Org: n.Org, Nomination: out.ID, Title: fmt.Sprintf("%s prosjekt %d", n.OrgName, i+1), Description: n.ProjectDescription}
		if n.Measured {
			p.Measures = []Measure{{Label: "deltakere", Value: 783}}
		}
		out.Projects = append(out.Projects, s.Project(p).ID)
	}
	return out
}

// Measure is a measured result of a project: "783 deltakere".
type Measure struct {
	Label string
	Value float64
	Unit  string
}

// ProjectSpec is a project of Org to make, linked to Nomination (after
// its other projects) unless that is 0, with its measured results in
// order.
type ProjectSpec struct {
	Org, Nomination             int64
	Title, Description, Results string
	Measures                    []Measure
}

// Project is a project made by Seed.Project.
type Project struct {
	ID       int64
	PublicID string
}

// Project makes the project, its link and its results.
func (s *Seed) Project(p ProjectSpec) Project {
	s.T.Helper()
	var out Project
	if err := s.DB.NewRaw(`INSERT INTO projects (organisation_id, title, description, results) VALUES (?, ?, ?, ?) RETURNING id, public_id`,
		p.Org, p.Title, p.Description, p.Results).Scan(s.Ctx, &out.ID, &out.PublicID); err != nil {
		s.T.Fatalf("project %s: %v", p.Title, err)
	}
	if p.Nomination != 0 {
		s.Exec(`INSERT INTO nomination_projects (nomination_id, project_id, position)
			VALUES (?, ?, (SELECT count(*) FROM nomination_projects WHERE nomination_id = ?))`, p.Nomination, out.ID, p.Nomination)
	}
	for i, m := range p.Measures {
		s.Exec(`INSERT INTO project_results (project_id, label, value, unit, position) VALUES (?, ?, ?, ?, ?)`, out.ID, m.Label, m.Value, m.Unit, i)
	}
	return out
}

// AttachmentSpec is a file of Project to make: its row only, the bytes
// under Key are the test's to store. Files are public unless Hidden.
type AttachmentSpec struct {
	Project                    int64
	Filename, ContentType, Alt string
	Size                       int64
	SHA256, Key                string
	Hidden                     bool
}

// Attachment makes the attachment and returns its public ID.
func (s *Seed) Attachment(a AttachmentSpec) string {
	s.T.Helper()
	var id string
	if err := s.DB.NewRaw(`INSERT INTO attachments (project_id, filename, content_type, size, sha256, alt_text, storage_key, public)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING public_id`, a.Project, a.Filename, a.ContentType, a.Size, a.SHA256, a.Alt, a.Key, !a.Hidden).
		Scan(s.Ctx, &id); err != nil {
		s.T.Fatalf("attachment %s: %v", a.Filename, err)
	}
	return id
}
