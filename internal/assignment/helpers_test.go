package assignment_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/assignment"
	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/pgtest"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/heder-awards/heder/internal/users"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// world is a cycle being judged: organisations in two counties, a site
// admin, and people to seat and nominate; the rows come from pgtest.Seed.
type world struct {
	*pgtest.Seed
	t      *testing.T
	ctx    context.Context
	db     *postgres.DB
	s      *assignment.Service
	cycle  int64
	public string
	orgs   map[string]int64
	users  map[string]int64
	jurors map[string]int64
	noms   map[string]int64
	pub    map[string]string // nominations' public IDs by title
}

// municipalities and their counties.
var municipalities = map[string]string{
	"Asker": "Viken", "Bærum": "Viken", "Drammen": "Viken",
	"Bergen": "Vestland", "Voss": "Vestland", "Stord": "Vestland",
	"Træna": "Nordland", "Bodø": "Nordland",
}

func newWorld(t *testing.T) *world { return newWorldIn(t, "judging", "", 0) }

// newWorldIn is a world whose cycle is in phase, in assignment mode
// ("" for the default, all) with k jurors per nomination (0 for the
// default).
func newWorldIn(t *testing.T, phase, mode string, k int) *world {
	t.Helper()
	seed := pgtest.NewSeed(t)
	w := &world{Seed: seed, t: t, ctx: seed.Ctx, db: seed.DB, orgs: map[string]int64{}, users: map[string]int64{},
		jurors: map[string]int64{}, noms: map[string]int64{}, pub: map[string]string{}}
	w.s = assignment.NewService(w.db)
	for _, county := range []string{"Viken", "Vestland", "Nordland"} {
		w.orgs[county] = w.Organisation("county", county, "")
	}
	for m, county := range municipalities {
		w.orgs[m] = w.OrganisationOf(pgtest.OrganisationSpec{Kind: "municipality", Name: m, Parent: w.orgs[county]})
	}
	w.user("admin", true)
	award := w.Award("kommunal-innovasjonspris", "Kommunal innovasjonspris")
	c := w.Cycle(pgtest.CycleSpec{Award: award, Year: 2027, Phase: phase, Assignment: mode, JurorsPerNomination: k})
	w.cycle, w.public = c.ID, c.PublicID
	return w
}

func (w *world) user(name string, admin bool) int64 {
	w.t.Helper()
	id := w.User(name, name, strings.ToLower(name)+"@example.org", admin, false)
	w.users[name] = id
	return id
}

// juror seats a new person, declared but with no conflict reviews, a
// member of org when it is not "" (which gives the juror org's county,
// and a conflict with org's nominations).
func (w *world) juror(name, org string) int64 {
	w.t.Helper()
	u := w.user(name, false)
	if org != "" {
		w.Member(u, w.orgs[org])
	}
	id := w.Seat(w.cycle, u, false, true, pgtest.Unreviewed)
	w.jurors[name] = id
	return id
}

// nomination adds a submitted nomination of nominee, titled title.
func (w *world) nomination(title, nominee string) int64 {
	w.t.Helper()
	n := w.Nomination(pgtest.NominationSpec{Cycle: w.cycle, Org: w.orgs[nominee], Title: title, Status: "submitted"})
	w.noms[title], w.pub[title] = n.ID, n.PublicID
	return n.ID
}

// conflict declares that juror is employed by org.
func (w *world) conflict(juror, org, reason string) {
	w.t.Helper()
	w.Conflict(w.jurors[juror], w.orgs[org], "employed", reason)
}

// reviewAll records that juror has declared about every nominee.
func (w *world) reviewAll(juror string) {
	w.t.Helper()
	var nominees []int64
	if err := w.db.NewRaw(`SELECT DISTINCT no.organisation_id FROM nomination_organisations no JOIN nominations n ON n.id = no.nomination_id
		WHERE n.cycle_id = ?`, w.cycle).Scan(w.ctx, &nominees); err != nil {
		w.t.Fatal(err)
	}
	w.Review(w.jurors[juror], nominees...)
}

func (w *world) exec(q string, args ...any) { w.t.Helper(); w.Exec(q, args...) }

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

func (w *world) admin() *awards.Actor { return w.actor("admin") }

// works returns the cells of juror_nominations, the jurors' own view, as
// "juror/title" strings.
func (w *world) works() map[string]bool {
	w.t.Helper()
	var rows []struct {
		Juror string `bun:"juror"`
		Title string `bun:"title"`
	}
	if err := w.db.NewRaw(`SELECT u.name AS juror, n.title FROM juror_nominations jn JOIN jurors j ON j.id = jn.juror_id
		JOIN users u ON u.id = j.user_id JOIN nominations n ON n.id = jn.nomination_id WHERE jn.cycle_id = ?`, w.cycle).Scan(w.ctx, &rows); err != nil {
		w.t.Fatal(err)
	}
	out := map[string]bool{}
	for _, r := range rows {
		out[r.Juror+"/"+r.Title] = true
	}
	return out
}

// snapshot is the assignments table and the cycle's settings, to check
// that a refused change left them alone.
func (w *world) snapshot() string {
	w.t.Helper()
	var s string
	if err := w.db.NewRaw(`SELECT concat_ws('|', c.assignment_mode, c.jurors_per_nomination, c.spread_counties,
			(SELECT string_agg(concat_ws(':', a.juror_id, a.nomination_id, a.manual, a.assigned), ',' ORDER BY a.juror_id, a.nomination_id)
			 FROM assignments a JOIN jurors j ON j.id = a.juror_id WHERE j.cycle_id = c.id))
		FROM cycles c WHERE c.id = ?`, w.cycle).Scan(w.ctx, &s); err != nil {
		w.t.Fatal(err)
	}
	return s
}

// audits returns the cycle's audit entries with action.
func (w *world) audits(action string) []audit.Entry {
	w.t.Helper()
	all, err := audit.List(w.ctx, w.db, "cycle", w.cycle)
	if err != nil {
		w.t.Fatal(err)
	}
	var out []audit.Entry
	for _, e := range all {
		if e.Action == action {
			out = append(out, e)
		}
	}
	return out
}

// matrix reads the matrix as the admin.
func (w *world) matrix() assignment.Matrix {
	w.t.Helper()
	m, err := w.s.Matrix(w.ctx, w.admin(), w.public)
	if err != nil {
		w.t.Fatal(err)
	}
	return m
}

// cell returns the matrix's cell for juror and title.
func cell(t *testing.T, m assignment.Matrix, juror, title string) assignment.Cell {
	t.Helper()
	col := -1
	for j, u := range m.Jurors {
		if u.Name == juror {
			col = j
		}
	}
	for _, n := range m.Nominations {
		if n.Title == title && col >= 0 {
			return n.Cells[col]
		}
	}
	t.Fatalf("no cell %s/%s", juror, title)
	return assignment.Cell{}
}

func (w *world) auto(k int, spread bool) assignment.Run {
	w.t.Helper()
	run, err := w.s.AutoWith(w.ctx, w.admin(), w.public, &k, &spread)
	if err != nil {
		w.t.Fatalf("auto: %v", err)
	}
	return run
}

func (w *world) set(juror, title string, state assignment.Choice) {
	w.t.Helper()
	if _, err := w.s.SetCell(w.ctx, w.admin(), w.public, w.jurors[juror], w.pub[title], state); err != nil {
		w.t.Fatalf("set %s/%s %s: %v", juror, title, state, err)
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := awards.ErrorCode(err); got != code {
		t.Fatalf("error %v: code %q, want %q", err, got, code)
	}
}

func wantFields(t *testing.T, err error, want map[string]string) {
	t.Helper()
	wantCode(t, err, awards.EInvalid)
	if diff := cmp.Diff(want, awards.ErrorFields(err)); diff != "" {
		t.Fatalf("fields (-want +got):\n%s", diff)
	}
}

func localizer(t *testing.T, lang string) *i18n.Localizer {
	t.Helper()
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return b.Localizer(lang)
}

func asInfeasible(t *testing.T, err error) *assignment.InfeasibleError {
	t.Helper()
	wantCode(t, err, awards.EConflict)
	var inf *assignment.InfeasibleError
	if !errors.As(err, &inf) {
		t.Fatalf("error %v is not an InfeasibleError", err)
	}
	return inf
}
