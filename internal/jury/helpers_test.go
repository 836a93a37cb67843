package jury_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/jury"
	"github.com/heder-awards/heder/internal/pgtest"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/heder-awards/heder/internal/users"
	"github.com/uptrace/bun"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// world is a cycle being judged with two submitted nominations (Asker's,
// with a project and a file, and Træna's), a draft by Bærum that the jury
// never sees, a site admin and some people to seat.
type world struct {
	t     *testing.T
	ctx   context.Context
	db    *postgres.DB
	s     *jury.Service
	cycle jury.Cycle
	orgs  map[string]int64
	users map[string]int64
	// Nominations by nominee, and Asker's project.
	asker, traena, baerum int64
	project               int64
	criterion             int64
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{t: t, ctx: context.Background(), db: pgtest.New(t), orgs: map[string]int64{}, users: map[string]int64{}}
	w.s = jury.NewService(w.db)
	for _, name := range []string{"Asker", "Træna", "Bærum"} {
		w.orgs[name] = w.id(`INSERT INTO organisations (kind, name) VALUES ('municipality', ?) RETURNING id`, name)
	}
	// Their identity provider verified their addresses, as the
	// development provider does, except Ola's.
	for _, u := range []struct {
		name     string
		admin    bool
		verified bool
	}{{"admin", true, true}, {"jon", false, true}, {"jenny", false, true}, {"jorunn", false, true}, {"kari", false, true},
		{"tore", false, true}, {"ola", false, false}} {
		w.users[u.name] = w.id(`INSERT INTO users (issuer, subject, name, email, email_verified, is_admin) VALUES ('https://idp.example', ?, ?, ?, ?, ?) RETURNING id`,
			u.name, strings.ToUpper(u.name[:1])+u.name[1:], u.name+"@example.org", u.verified, u.admin)
	}
	w.exec(`INSERT INTO memberships (user_id, organisation_id, role, source) VALUES (?, ?, 'submitter', 'admin')`, w.users["kari"], w.orgs["Asker"])
	award := w.id(`INSERT INTO awards (slug, name_nb, name_nn) VALUES ('kommunal-innovasjonspris', 'Kommunal innovasjonspris', 'Kommunal innovasjonspris') RETURNING id`)
	w.id(`INSERT INTO cycles (award_id, year, title, phase, scoring_deadline) VALUES (?, 2027, 'Innovasjonsprisen 2027', 'judging', now() + interval '20 days') RETURNING id`, award)
	var err error
	if w.cycle, err = w.loadCycle(); err != nil {
		t.Fatal(err)
	}
	w.criterion = w.id(`INSERT INTO criteria (cycle_id, name_nb) VALUES (?, 'Nytt') RETURNING id`, w.cycle.ID)
	w.asker = w.nomination("Asker velferdslab", "submitted", "Asker")
	w.traena = w.nomination("Træna", "submitted", "Træna")
	w.baerum = w.nomination("Bærum", "draft", "Bærum")
	w.project = w.id(`INSERT INTO projects (organisation_id, title) VALUES (?, 'Holmen svømmehall') RETURNING id`, w.orgs["Asker"])
	w.exec(`INSERT INTO nomination_projects (nomination_id, project_id) VALUES (?, ?)`, w.asker, w.project)
	w.exec(`INSERT INTO attachments (project_id, filename, content_type, size, sha256, storage_key) VALUES (?, 'plan.pdf', 'application/pdf', 1, '00', 'k1')`, w.project)
	return w
}

func (w *world) loadCycle() (jury.Cycle, error) {
	j, err := w.s.Jury(w.ctx, w.actor("admin"), w.cyclePublicID())
	return j.Cycle, err
}

func (w *world) cyclePublicID() string {
	var id string
	if err := w.db.NewRaw(`SELECT public_id FROM cycles WHERE year = 2027`).Scan(w.ctx, &id); err != nil {
		w.t.Fatal(err)
	}
	return id
}

func (w *world) nomination(title, status string, nominees ...string) int64 {
	w.t.Helper()
	id := w.id(`INSERT INTO nominations (cycle_id, title, status, submitted_at) VALUES (?, ?, ?, CASE WHEN ? = 'draft' THEN NULL ELSE now() END) RETURNING id`,
		w.cycle.ID, title, status, status)
	for _, o := range nominees {
		w.exec(`INSERT INTO nomination_organisations (nomination_id, organisation_id) VALUES (?, ?)`, id, w.orgs[o])
	}
	return id
}

func (w *world) id(q string, args ...any) int64 {
	w.t.Helper()
	var id int64
	if err := w.db.NewRaw(q, args...).Scan(w.ctx, &id); err != nil {
		w.t.Fatalf("%s: %v", q, err)
	}
	return id
}

func (w *world) exec(q string, args ...any) {
	w.t.Helper()
	if _, err := w.db.ExecContext(w.ctx, q, args...); err != nil {
		w.t.Fatalf("%s: %v", q, err)
	}
}

func (w *world) count(q string, args ...any) int {
	w.t.Helper()
	var n int
	if err := w.db.NewRaw(q, args...).Scan(w.ctx, &n); err != nil {
		w.t.Fatalf("%s: %v", q, err)
	}
	return n
}

// actor loads a person as a request would: memberships and seats.
func (w *world) actor(name string) *awards.Actor {
	w.t.Helper()
	a, err := users.NewService(w.db).Actor(w.ctx, w.users[name])
	if err != nil {
		w.t.Fatal(err)
	}
	return a
}

// seat seats a person directly, as the demo data does.
func (w *world) seat(name string, chair bool) int64 {
	w.t.Helper()
	return w.id(`INSERT INTO jurors (cycle_id, user_id, chair) VALUES (?, ?, ?) RETURNING id`, w.cycle.ID, w.users[name], chair)
}

// invite invites email and sends the invitation as the job would; it
// returns the invitation and the token from its link.
func (w *world) invite(name, email string, chair bool) (jury.Invitation, string) {
	w.t.Helper()
	inv, err := w.s.Invite(w.ctx, w.actor("admin"), w.cycle.PublicID, jury.InvitationInput{Name: name, Email: email, Chair: chair})
	if err != nil {
		w.t.Fatalf("invite %s: %v", email, err)
	}
	return inv, w.mail(inv.ID)
}

// mail prepares the invitation's e-mail as the notify worker does and
// returns the token.
func (w *world) mail(id int64) string {
	w.t.Helper()
	var m jury.InvitationMail
	err := w.db.RunInTx(w.ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var ok bool
		var err error
		m, ok, err = jury.PrepareInvitationMail(ctx, tx, id)
		if err == nil && !ok {
			err = errors.New("nothing to send")
		}
		return err
	})
	if err != nil {
		w.t.Fatalf("mail invitation %d: %v", id, err)
	}
	token, ok := strings.CutPrefix(m.Path, "/jury/invitasjon/")
	if !ok {
		w.t.Fatalf("path %q", m.Path)
	}
	return token
}

// declareNone declares no conflicts for the juror.
func (w *world) declareNone(name string) {
	w.t.Helper()
	if _, err := w.s.Declare(w.ctx, w.actor(name), w.cycle.PublicID, jury.DeclarationInput{NoneAtAll: true}); err != nil {
		w.t.Fatalf("declare %s: %v", name, err)
	}
}

// canRead says whether the juror reads the nomination: the view
// juror_visible_nominations, which the services read as policy's fact.
func (w *world) canRead(name string, nomination int64) bool {
	w.t.Helper()
	return w.exists(`SELECT EXISTS (SELECT 1 FROM juror_visible_nominations WHERE user_id = ? AND nomination_id = ?)`,
		w.users[name], nomination)
}

// canReadProject: the juror reads a nomination the project is linked to.
func (w *world) canReadProject(name string) bool {
	w.t.Helper()
	return w.exists(`SELECT EXISTS (SELECT 1 FROM juror_visible_nominations v
		JOIN nomination_projects np ON np.nomination_id = v.nomination_id WHERE v.user_id = ? AND np.project_id = ?)`,
		w.users[name], w.project)
}

func (w *world) exists(q string, args ...any) bool {
	w.t.Helper()
	var ok bool
	if err := w.db.NewRaw(q, args...).Scan(w.ctx, &ok); err != nil {
		w.t.Fatal(err)
	}
	return ok
}

// submitScores records a submitted score for the juror and nomination,
// as the scoring service will.
func (w *world) submitScores(juror, nomination int64) {
	w.t.Helper()
	w.exec(`INSERT INTO scores (juror_id, nomination_id, criterion_id, value, comment) VALUES (?, ?, ?, 4, 'Godt')`, juror, nomination, w.criterion)
	w.exec(`INSERT INTO score_submissions (juror_id, nomination_id) VALUES (?, ?)`, juror, nomination)
}

// wantErr fails unless err has code and (when cause is not nil) wraps cause.
func wantErr(t *testing.T, what string, err error, code string, cause error) {
	t.Helper()
	if got := awards.ErrorCode(err); got != code {
		t.Fatalf("%s: code %q (%v), want %q", what, got, err, code)
	}
	if cause != nil && !errors.Is(err, cause) {
		t.Fatalf("%s: %v does not wrap %v", what, err, cause)
	}
}
