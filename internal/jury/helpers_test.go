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
	*pgtest.Seed
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
	seed := pgtest.NewSeed(t)
	w := &world{Seed: seed, t: t, ctx: seed.Ctx, db: seed.DB, users: map[string]int64{}}
	w.s = jury.NewService(w.db)
	w.orgs = map[string]int64{}
	for _, name := range []string{"Asker", "Træna", "Bærum"} {
		w.orgs[name] = w.Organisation("municipality", name, "")
	}
	// Their identity provider verified their addresses, as the
	// development provider does, except Ola's.
	for _, u := range []struct {
		name     string
		admin    bool
		verified bool
	}{{"admin", true, true}, {"jon", false, true}, {"jenny", false, true}, {"jorunn", false, true}, {"kari", false, true},
		{"tore", false, true}, {"ola", false, false}} {
		w.users[u.name] = w.User(u.name, strings.ToUpper(u.name[:1])+u.name[1:], u.name+"@example.org", u.admin, u.verified)
	}
	w.Member(w.users["kari"], w.orgs["Asker"])
	award := w.AwardOf(pgtest.AwardSpec{Slug: "kommunal-innovasjonspris", Name: "Kommunal innovasjonspris", NameNN: "Kommunal innovasjonspris"})
	w.Cycle(pgtest.CycleSpec{Award: award, Year: 2027, Phase: "judging", ScoringDeadline: "now() + interval '20 days'",
		Criteria: []pgtest.Criterion{{Name: "Nytt", Min: 1, Max: 5}}})
	var err error
	if w.cycle, err = w.loadCycle(); err != nil {
		t.Fatal(err)
	}
	w.criterion = w.id(`SELECT id FROM criteria WHERE cycle_id = ?`, w.cycle.ID)
	w.asker = w.nomination("Asker velferdslab", "submitted", "Asker")
	w.traena = w.nomination("Træna", "submitted", "Træna")
	w.baerum = w.nomination("Bærum", "draft", "Bærum")
	w.project = w.Project(pgtest.ProjectSpec{Org: w.orgs["Asker"], Nomination: w.asker, Title: "Holmen svømmehall"}).ID
	w.Attachment(pgtest.AttachmentSpec{Project: w.project, Filename: "plan.pdf", ContentType: "application/pdf", Size: 1, SHA256: "00", Key: "k1"})
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
	var orgs []int64
	for _, o := range nominees {
		orgs = append(orgs, w.orgs[o])
	}
	return w.Nomination(pgtest.NominationSpec{Cycle: w.cycle.ID, Org: orgs[0], CoNominees: orgs[1:], Title: title, Status: status,
		Draft: status == "draft"}).ID
}

func (w *world) id(q string, args ...any) int64 { w.t.Helper(); return w.ID(q, args...) }

func (w *world) exec(q string, args ...any) { w.t.Helper(); w.Exec(q, args...) }

func (w *world) count(q string, args ...any) int { w.t.Helper(); return int(w.ID(q, args...)) }

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
	return w.Seat(w.cycle.ID, w.users[name], chair, false)
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
	w.Score(juror, nomination, w.criterion, 0, 4, "Godt")
	w.SubmitScores(juror, nomination)
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
