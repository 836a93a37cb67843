package publication_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/pgtest"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/heder-awards/heder/internal/publication"
	"github.com/heder-awards/heder/internal/users"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// world is a decided cycle of the municipal innovation award: Asker won
// (with a statement in bokmål and nynorsk), Træna (nynorsk) and Horten
// are finalists, Oppegård has an honourable mention, Bærum was assessed
// without an outcome, and Sola never submitted. The jury wrote feedback
// to everyone assessed.
type world struct {
	t     *testing.T
	ctx   context.Context
	db    *postgres.DB
	s     *publication.Service
	cycle publication.Cycle
	orgs  map[string]int64
	users map[string]int64
	// noms are the nominations by nominee name; pub their public IDs.
	noms map[string]int64
	pub  map[string]string
}

// members of each nominee organisation: name, address, organisation.
var members = []struct{ name, email, org string }{
	{"kari", "kari@asker.kommune.no", "Asker"},
	{"ola", "ola@asker.kommune.no", "Asker"},
	{"tore", "tore@traena.kommune.no", "Træna"},
	{"hanne", "hanne@horten.kommune.no", "Horten"},
	{"per", "per@oppegard.kommune.no", "Oppegård"},
	{"bo", "bo@baerum.kommune.no", "Bærum"},
	{"siv", "siv@sola.kommune.no", "Sola"},
}

const (
	askerStatementNB  = "Asker kommune vinner fordi kommunen jobber helhetlig og systematisk med innovasjon, fra Holmen svømmehall til velferdslaben."
	askerStatementNN  = "Asker kommune vinn fordi kommunen arbeider heilskapleg og systematisk med innovasjon, frå Holmen symjehall til velferdslaben."
	oppegardStatement = "Oppegård får hederlig omtale for modig tjenesteinnovasjon."
	askerFeedback     = "Juryen merket seg særlig resultatene i tall."
)

func newWorld(t *testing.T, publishAll bool) *world {
	t.Helper()
	w := &world{t: t, ctx: context.Background(), db: pgtest.New(t), orgs: map[string]int64{}, users: map[string]int64{},
		noms: map[string]int64{}, pub: map[string]string{}}
	w.s = publication.NewService(w.db)
	for _, o := range []struct{ name, lang string }{{"Asker", "nb"}, {"Træna", "nn"}, {"Horten", "nb"}, {"Oppegård", "nb"}, {"Bærum", "nb"}, {"Sola", "nb"}} {
		w.orgs[o.name] = w.id(`INSERT INTO organisations (kind, name, language) VALUES ('municipality', ?, ?) RETURNING id`, o.name+" kommune", o.lang)
	}
	w.users["admin"] = w.id(`INSERT INTO users (issuer, subject, name, email, is_admin) VALUES ('https://idp.example', 'admin', 'Astrid Admin', 'astrid@kdd.dep.no', true) RETURNING id`)
	for _, m := range members {
		id := w.id(`INSERT INTO users (issuer, subject, name, email) VALUES ('https://idp.example', ?, ?, ?) RETURNING id`, m.name, strings.ToUpper(m.name[:1])+m.name[1:], m.email)
		w.users[m.name] = id
		w.exec(`INSERT INTO memberships (user_id, organisation_id, role, source) VALUES (?, ?, 'submitter', 'admin')`, id, w.orgs[m.org])
	}
	award := w.id(`INSERT INTO awards (slug, name_nb) VALUES ('kommunal-innovasjonspris', 'Kommunal innovasjonspris') RETURNING id`)
	cycle := w.id(`INSERT INTO cycles (award_id, year, title, phase, publish_all) VALUES (?, 2027, 'Innovasjonsprisen 2027', 'decided', ?) RETURNING id`, award, publishAll)
	if err := w.db.NewRaw(`SELECT public_id FROM cycles WHERE id = ?`, cycle).Scan(w.ctx, &w.cycle.PublicID); err != nil {
		t.Fatal(err)
	}
	w.cycle.ID = cycle
	for _, n := range []struct{ org, title, status string }{
		{"Asker", "Innovasjon i hele Asker", "submitted"},
		{"Træna", "Træna 2030", "submitted"},
		{"Horten", "Horten viser vei", "submitted"},
		{"Oppegård", "Oppegård fornyer", "submitted"},
		{"Bærum", "Bærum prøver", "submitted"},
		{"Sola", "Sola i utkast", "draft"},
	} {
		id := w.id(`INSERT INTO nominations (cycle_id, title, status, submitted_at) VALUES (?, ?, ?, CASE WHEN ? = 'draft' THEN NULL ELSE now() END) RETURNING id`,
			cycle, n.title, n.status, n.status)
		w.noms[n.org] = id
		w.exec(`INSERT INTO nomination_organisations (nomination_id, organisation_id) VALUES (?, ?)`, id, w.orgs[n.org])
		var public string
		if err := w.db.NewRaw(`SELECT public_id FROM nominations WHERE id = ?`, id).Scan(w.ctx, &public); err != nil {
			t.Fatal(err)
		}
		w.pub[n.org] = public
	}
	project := w.id(`INSERT INTO projects (organisation_id, title) VALUES (?, 'Holmen svømmehall') RETURNING id`, w.orgs["Asker"])
	w.exec(`INSERT INTO nomination_projects (nomination_id, project_id) VALUES (?, ?)`, w.noms["Asker"], project)
	w.decide("Asker", "winner", askerStatementNB, askerStatementNN)
	w.decide("Træna", "finalist", "", "")
	w.decide("Horten", "finalist", "", "")
	w.decide("Oppegård", "honourable_mention", oppegardStatement, "")
	for org, body := range map[string]string{"Asker": askerFeedback, "Træna": "Tilbakemelding til Træna.", "Horten": "Tilbakemelding til Horten.", "Bærum": "Tilbakemelding til Bærum."} {
		w.exec(`INSERT INTO feedback (nomination_id, body) VALUES (?, ?)`, w.noms[org], body)
	}
	return w
}

// decide records the jury's decision on org's nomination, as the jury's
// decision page will.
func (w *world) decide(org, outcome, nb, nn string) {
	w.t.Helper()
	w.exec(`INSERT INTO decisions (nomination_id, cycle_id, outcome, statement_nb, statement_nn) VALUES (?, ?, ?, ?, ?)`,
		w.noms[org], w.cycle.ID, outcome, nb, nn)
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

// now is the database's clock.
func (w *world) now() time.Time {
	w.t.Helper()
	var now time.Time
	if err := w.db.NewRaw(`SELECT now()`).Scan(w.ctx, &now); err != nil {
		w.t.Fatal(err)
	}
	return now
}

func (w *world) actor(name string) *awards.Actor {
	w.t.Helper()
	if name == "anonymous" {
		return &awards.Actor{}
	}
	a, err := users.NewService(w.db).Actor(w.ctx, w.users[name])
	if err != nil {
		w.t.Fatal(err)
	}
	return a
}

// schedule schedules kind at at as the admin, failing on refusal.
func (w *world) schedule(kind publication.Kind, at time.Time) publication.Announcement {
	w.t.Helper()
	a, _, err := w.s.Schedule(w.ctx, w.actor("admin"), w.cycle.PublicID, publication.Input{Kind: kind, PublishAt: &at})
	if err != nil {
		w.t.Fatalf("schedule %s at %s: %v", kind, at, err)
	}
	return a
}

// publishNow publishes kind now, confirmed, failing on refusal.
func (w *world) publishNow(kind publication.Kind) publication.Announcement {
	w.t.Helper()
	a, _, err := w.s.Schedule(w.ctx, w.actor("admin"), w.cycle.PublicID, publication.Input{Kind: kind, Now: true, Confirm: true})
	if err != nil {
		w.t.Fatalf("publish %s now: %v", kind, err)
	}
	return a
}

// public lists the cycle's public nominations as the views say, "org:outcome".
func (w *world) public() []string {
	w.t.Helper()
	var out []string
	err := w.db.NewRaw(`
		SELECT o.name || ':' || coalesce(pn.outcome, '') FROM public_nominations pn
		JOIN nomination_organisations no ON no.nomination_id = pn.nomination_id
		JOIN organisations o ON o.id = no.organisation_id
		WHERE pn.cycle_id = ? ORDER BY 1`, w.cycle.ID).Scan(w.ctx, &out)
	if err != nil {
		w.t.Fatal(err)
	}
	return out
}

// wantErr checks err's code and cause.
func wantErr(t *testing.T, what string, err error, code string, cause error) {
	t.Helper()
	if awards.ErrorCode(err) != code {
		t.Errorf("%s: error %v (code %q), want code %q", what, err, awards.ErrorCode(err), code)
		return
	}
	if cause != nil && !errors.Is(err, cause) {
		t.Errorf("%s: error %v, want cause %v", what, err, cause)
	}
}
