package demo_test

import (
	"context"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/archive"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/demo"
	"github.com/heder-awards/heder/internal/nominations"
	"github.com/heder-awards/heder/internal/orgs"
	"github.com/heder-awards/heder/internal/pgtest"
)

// TestLoadProgramme checks the demo's Kommuneinkubatoren 2021 against its
// seed text (shared/seeds/002): SoCentral with Lent, the four teams with
// their projects in the seed's words, published as a cohort; and Asker's
// «kraftpakke» linked into Asker's draft in the open prize cycle.
func TestLoadProgramme(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	data, _ := fs.Sub(orgs.Data, "data")
	if _, err := orgs.ImportKommuner(ctx, db, data); err != nil {
		t.Fatal(err)
	}
	if err := demo.Load(ctx, db, issuer, time.Now()); err != nil {
		t.Fatal(err)
	}

	var award struct {
		Kind        string  `bun:"kind"`
		Description string  `bun:"description"`
		Owner       string  `bun:"owner"`
		OwnerKind   string  `bun:"owner_kind"`
		OwnerOrgnr  *string `bun:"orgnr"`
	}
	if err := db.NewRaw(`SELECT a.kind, a.description, o.name AS owner, o.kind AS owner_kind, o.orgnr FROM awards a
		JOIN organisations o ON o.id = a.owner_id WHERE a.slug = 'kommuneinkubatoren'`).Scan(ctx, &award); err != nil {
		t.Fatal(err)
	}
	if award.Kind != "programme" || award.Owner != "SoCentral" || award.OwnerKind != "other" || award.OwnerOrgnr != nil ||
		!strings.Contains(award.Description, "Kommuneinkubatoren er utviklet og nå testet av SoCentral, i samarbeid med Lent.") {
		t.Errorf("the programme %+v", award)
	}
	var district struct {
		Kind   string `bun:"kind"`
		Parent string `bun:"parent"`
	}
	if err := db.NewRaw(`SELECT o.kind, p.number AS parent FROM organisations o JOIN organisations p ON p.id = o.parent_id
		WHERE o.name = 'Bydel Nordre Aker'`).Scan(ctx, &district); err != nil || district.Kind != "city_district" || district.Parent != "0301" {
		t.Errorf("Bydel Nordre Aker %+v %v: want a city district under Oslo", district, err)
	}
	var company string
	if err := db.NewRaw(`SELECT kind FROM organisations WHERE name = 'Bygda 2.0 AS'`).Scan(ctx, &company); err != nil || company != "company" {
		t.Errorf("Bygda 2.0 AS is %q, %v", company, err)
	}

	c, err := archive.NewService(db, nil).Cycle(ctx, "kommuneinkubatoren", 2021)
	if err != nil {
		t.Fatal(err)
	}
	if c.Title != "Kommuneinkubatoren 2021" || !c.Award.Programme || !strings.Contains(c.Description.NB, "10 måneders inkubatorprogram") ||
		!strings.Contains(c.Description.NB, "SoCentral og Lent starter opp neste inkubatorprogram i starten av 2022.") {
		t.Errorf("the cycle %q %+v", c.Title, c.Description)
	}
	if len(c.Winners)+len(c.Finalists)+len(c.Honourable)+len(c.Others)+len(c.Criteria) != 0 {
		t.Errorf("a programme with winners, finalists, others or criteria: %+v", c)
	}
	got := map[string][]string{}
	for _, e := range c.Participants {
		var names []string
		for _, n := range e.Nominees {
			names = append(names, n.Name)
		}
		slices.Sort(names)
		for _, p := range e.Projects {
			got[strings.Join(names, ", ")] = append(got[strings.Join(names, ", ")], p.Title+": "+p.Description)
		}
		if e.Outcome != archive.Applicant {
			t.Errorf("%s has outcome %q", e.Title, e.Outcome)
		}
	}
	want := map[string][]string{
		"Bydel Nordre Aker": {"Trehuset på Tåsen: Bydel Nordre Aker har utviklet «Trehuset på Tåsen» en ny tjeneste til mennesker med nedsatt funksjonsevne som skal flytte fra barndomshjem til eget hjem."},
		"Asker":             {"«Kraftpakke» for innbyggerinvolvering: Asker kommune er god i gang med utvikling og testing av en «kraftpakke» for innbyggerinvolvering."},
		"Meløy": {"Ny tilnærming til utformingen av oppvekstplanen: Meløy kommune har en ny tilnærming til utformingen av sin oppvekstplan. " +
			"De involverer nå næringsliv, sivilsamfunn og kommunen i hele sin bredde."},
		"Bygda 2.0 AS, Trondheim, Åfjord": {"Bylandet: Trondheim/Åfjord med Bygda 2.0 utvikler «Bylandet» som har en ambisjon om å utvikle en ny nasjonal politikk for økt samspill mellom by og land."},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the cohort (-want +got):\n%s", diff)
	}
	// Asker took part as it was in 2021: 3025.
	for _, e := range c.Participants {
		if e.Title == demo.KraftpakkeTitle && (len(e.Nominees) != 1 || e.Nominees[0].Number != "3025") {
			t.Errorf("Asker's participation %+v: want Asker 3025", e.Nominees)
		}
	}

	// Asker's draft in the open cycle has the kraftpakke linked.
	asker := demoActor(t, db, "asker")
	s := nominations.NewService(db)
	mine, err := s.Mine(ctx, asker)
	if err != nil {
		t.Fatal(err)
	}
	var draft string
	for _, m := range mine {
		if m.Status == awards.StatusDraft {
			draft = m.PublicID
		}
	}
	if draft == "" {
		t.Fatalf("Asker has no draft: %+v", mine)
	}
	v, err := s.Get(ctx, asker, draft)
	if err != nil {
		t.Fatal(err)
	}
	if v.Cycle.Phase != awards.PhaseOpen || len(v.Projects) != 1 || v.Projects[0].Title != demo.KraftpakkeTitle {
		t.Errorf("Asker's draft in %s with projects %+v", v.Cycle.Phase, v.Projects)
	}
}
