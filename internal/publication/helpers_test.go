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
	*pgtest.Seed
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
	seed := pgtest.NewSeed(t)
	w := &world{Seed: seed, t: t, ctx: seed.Ctx, db: seed.DB, orgs: map[string]int64{}, users: map[string]int64{},
		noms: map[string]int64{}, pub: map[string]string{}}
	w.s = publication.NewService(w.db)
	for _, o := range []struct{ name, lang string }{{"Asker", "nb"}, {"Træna", "nn"}, {"Horten", "nb"}, {"Oppegård", "nb"}, {"Bærum", "nb"}, {"Sola", "nb"}} {
		w.orgs[o.name] = w.Organisation("municipality", o.name+" kommune", o.lang)
	}
	w.users["admin"] = w.User("admin", "Astrid Admin", "astrid@kdd.dep.no", true, false)
	for _, m := range members {
		w.users[m.name] = w.User(m.name, strings.ToUpper(m.name[:1])+m.name[1:], m.email, false, false)
		w.Member(w.users[m.name], w.orgs[m.org])
	}
	award := w.Award("kommunal-innovasjonspris", "Kommunal innovasjonspris")
	c := w.Cycle(pgtest.CycleSpec{Award: award, Year: 2027, Phase: "decided"})
	w.exec(`UPDATE cycles SET publish_all = ? WHERE id = ?`, publishAll, c.ID)
	w.cycle.ID, w.cycle.PublicID = c.ID, c.PublicID
	for _, n := range []struct{ org, title, status string }{
		{"Asker", "Innovasjon i hele Asker", "submitted"},
		{"Træna", "Træna 2030", "submitted"},
		{"Horten", "Horten viser vei", "submitted"},
		{"Oppegård", "Oppegård fornyer", "submitted"},
		{"Bærum", "Bærum prøver", "submitted"},
		{"Sola", "Sola i utkast", "draft"},
	} {
		x := w.Nomination(pgtest.NominationSpec{Cycle: c.ID, Org: w.orgs[n.org], Title: n.title, Status: n.status, Draft: n.status == "draft"})
		w.noms[n.org], w.pub[n.org] = x.ID, x.PublicID
	}
	w.Project(pgtest.ProjectSpec{Org: w.orgs["Asker"], Nomination: w.noms["Asker"], Title: "Holmen svømmehall"})
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
	w.Decide(w.cycle.ID, w.noms[org], outcome, nb, nn)
}

func (w *world) id(q string, args ...any) int64 { w.t.Helper(); return w.ID(q, args...) }

func (w *world) exec(q string, args ...any) { w.t.Helper(); w.Exec(q, args...) }

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
