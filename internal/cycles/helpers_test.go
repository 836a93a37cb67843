package cycles_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/pgtest"
	"github.com/heder-awards/heder/internal/postgres"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// env is a fresh database with an admin, a municipality with a
// submitter, a county with a submitter, and somebody in no organisation.
type env struct {
	db                           *postgres.DB
	s                            *cycles.Service
	admin, asker, county, nobody *awards.Actor
	anon                         *awards.Actor
	ministry                     int64
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db := pgtest.New(t)
	e := &env{db: db, s: cycles.NewService(db), anon: &awards.Actor{}}
	seed := e.seed(t)
	user := func(subject string, admin bool, orgID int64) *awards.Actor {
		id := seed.User(subject, subject, "", admin, false)
		a := &awards.Actor{User: awards.User{ID: id, Name: subject, IsAdmin: admin}}
		if orgID != 0 {
			seed.Member(id, orgID)
			a.Memberships = []awards.Membership{{UserID: id, OrganisationID: orgID, Role: awards.RoleSubmitter}}
		}
		return a
	}
	e.ministry = seed.Organisation("ministry", "Kommunal- og distriktsdepartementet", "")
	e.admin = user("admin", true, e.ministry)
	e.asker = user("asker", false, seed.Organisation("municipality", "Asker", ""))
	e.county = user("viken", false, seed.Organisation("county", "Akershus", ""))
	e.nobody = user("nobody", false, 0)
	return e
}

// seed makes rows in e's database for t (the test or a subtest).
func (e *env) seed(t *testing.T) *pgtest.Seed {
	return &pgtest.Seed{T: t, Ctx: context.Background(), DB: e.db}
}

func ptr[T any](v T) *T { return &v }

func oslo(s string) *time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, i18n.Oslo())
	if err != nil {
		panic(err)
	}
	return &t
}

func at(t *time.Time) cycles.TimeChange { return cycles.TimeChange{Set: true, At: t} }

func (e *env) award(t *testing.T, slug string) awards.Award {
	t.Helper()
	a, err := e.s.CreateAward(context.Background(), e.admin, cycles.AwardFields{Slug: ptr(slug), NameNB: ptr("Kommunal innovasjonspris"),
		NameNN: ptr("Kommunal innovasjonspris"), NameEN: ptr("Municipal innovation award"), OwnerID: ptr(e.ministry)})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func (e *env) cycle(t *testing.T, slug string, year int, f cycles.CycleFields) awards.Cycle {
	t.Helper()
	f.Year = &year
	if f.Title == nil {
		f.Title = ptr("Innovasjonsprisen " + time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006"))
	}
	c, err := e.s.CreateCycle(context.Background(), e.admin, slug, f)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (e *env) move(t *testing.T, c awards.Cycle, phases ...awards.Phase) awards.Cycle {
	t.Helper()
	for _, p := range phases {
		if p == awards.PhasePublished {
			// As an admin must: the winners announced first.
			e.announceWinners(t, c, "now() - interval '1 minute'")
		}
		var err error
		if c, err = e.s.Transition(context.Background(), e.admin, c.PublicID, p); err != nil {
			t.Fatalf("move to %s: %v", p, err)
		}
	}
	return c
}

// announceWinners schedules c's winners' announcement at the SQL instant at.
func (e *env) announceWinners(t *testing.T, c awards.Cycle, at string) {
	t.Helper()
	e.seed(t).Announce(c.ID, "winners", at)
}

func (e *env) count(t *testing.T, table string) int {
	t.Helper()
	var n int
	if err := e.db.QueryRowContext(context.Background(), `SELECT count(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// wantFields checks that err is code with exactly the given field keys.
func wantFields(t *testing.T, err error, code string, fields map[string]string) {
	t.Helper()
	if got := awards.ErrorCode(err); got != code {
		t.Fatalf("code %q (%v), want %q", got, err, code)
	}
	if diff := cmp.Diff(fields, awards.ErrorFields(err)); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
}
