package archive_test

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/archive"
	"github.com/heder-awards/heder/internal/awards"
)

const (
	past   = "now() - interval '1 day'"
	past2  = "now() - interval '2 days'"
	future = "now() + interval '1 hour'"
)

func titles(es []archive.Entry) []string {
	out := []string{}
	for _, e := range es {
		out = append(out, e.Title)
	}
	return out
}

// TestEmbargoStages walks a cycle through its announcements: nothing
// before the finalists', the finalists only after it, and everything the
// winners' announcement makes public after that.
func TestEmbargoStages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                   string
		finalistsAt, winnersAt string
		publishAll             bool
		// want is the cycle's public nominations by outcome; nil when the
		// year must not exist publicly.
		want map[string][]string
	}{
		{name: "nothing announced"},
		{name: "both in the future", finalistsAt: future, winnersAt: future},
		{name: "finalists out", finalistsAt: past, winnersAt: future,
			want: map[string][]string{"finalists": ifWinnerAmongFinalists(
				[]string{"Mulighetenes kommune", "Horten på tvers", "Fra idé til drift"}, []string{"Horten på tvers", "Fra idé til drift"})}},
		{name: "winners out", finalistsAt: past2, winnersAt: past, want: map[string][]string{
			"winners": {"Mulighetenes kommune"}, "finalists": {"Horten på tvers", "Fra idé til drift"},
			"honourable": {"Tenk Træna"}, "others": {"Samskaping i Follo"}}},
		{name: "winners without a finalists' announcement", winnersAt: past, want: map[string][]string{
			"winners": {"Mulighetenes kommune"}, "finalists": {"Horten på tvers", "Fra idé til drift"},
			"honourable": {"Tenk Træna"}, "others": {"Samskaping i Follo"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			e.cycle(year2017(tc.finalistsAt, tc.winnersAt))
			c, err := e.s.Cycle(e.ctx, "kommunal-innovasjonspris", 2017)
			if tc.want == nil {
				if awards.ErrorCode(err) != awards.ENotFound {
					t.Fatalf("Cycle = %v, %v; want not found", titles(c.Entries()), err)
				}
				page, err := e.s.Award(e.ctx, "kommunal-innovasjonspris")
				if err != nil || len(page.Cycles) != 0 || len(page.Criteria) != 0 {
					t.Errorf("Award = %+v, %v; want no years", page.Cycles, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := map[string][]string{}
			for k, es := range map[string][]archive.Entry{"winners": c.Winners, "finalists": c.Finalists, "honourable": c.Honourable, "others": c.Others} {
				if len(es) > 0 {
					got[k] = titles(es)
				}
			}
			// Finalists are listed by nominee: Asker, Horten, Oppegård.
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("public nominations (-want +got):\n%s", diff)
			}
			// The jury's statements, the finalists' too, come with the winners.
			winnersOut := len(c.Winners) > 0
			for _, f := range c.Finalists {
				if hasStatement := f.Statement != (archive.Texts{}); hasStatement != (winnersOut && f.Title == "Horten på tvers") {
					t.Errorf("finalist %s has statement %v", f.Title, f.Statement)
				}
			}
		})
	}
}

func TestCyclePage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	m := e.cycle(year2017(past2, past))
	c, err := e.s.Cycle(e.ctx, "kommunal-innovasjonspris", 2017)
	if err != nil {
		t.Fatal(err)
	}
	if c.Title != "Innovasjonsprisen 2017" || c.CallText.NB != "Søk innen 1. mars." || len(c.Criteria) != 2 || c.Award.Name.In("en") != "Municipal innovation award" {
		t.Errorf("cycle = %+v", c)
	}
	w := c.Winners[0]
	if w.Statement.In("nb") != "Juryen trekker fram Askers systematiske arbeid." || w.Statement.In("nn") != "NN: Juryen trekker fram Askers systematiske arbeid." {
		t.Errorf("statement = %+v", w.Statement)
	}
	if w.Names() != "Asker" || len(w.Projects) != 3 || w.Projects[0].Title != "Holmen svømmehall" {
		t.Fatalf("winner = %s with %+v", w.Names(), w.Projects)
	}
	borgen := w.Projects[2]
	if diff := cmp.Diff([]awards.Measure{{Label: "deltakere", Value: 783}, {Label: "innspill", Value: 458}}, borgen.Measures); diff != "" {
		t.Errorf("measures (-want +got):\n%s", diff)
	}
	// Only public files; the picture comes first and carries its alt text.
	if img := w.Image(); img == nil || img.AltText != "Svømmehallen sett fra vannet" || img.PublicID != m.files["holmen.png"] {
		t.Errorf("image = %+v", img)
	}
	if got := len(w.Projects[0].Files); got != 1 {
		t.Errorf("Holmen has %d public files, want 1 (the hidden one is not public)", got)
	}
	if docs := borgen.Documents(); len(docs) != 1 || docs[0].Filename != "rapport.pdf" {
		t.Errorf("documents = %+v", docs)
	}
	// Oppegård shows under its name of the time, now part of Nordre Follo
	// (the end of the chain 0217 → 3020 → 3207); Horten only changed number.
	opp := c.Finalists[1].Nominees[0]
	if opp.Name != "Oppegård" || !opp.Former || opp.Now == nil || opp.Now.ID != e.orgs["3207"] || !opp.Renamed() || opp.County != "Akershus" {
		t.Errorf("Oppegård = %+v (now %+v)", opp, opp.Now)
	}
	if h := c.Finalists[0].Nominees[0]; h.Name != "Horten" || !h.Former || h.Renamed() {
		t.Errorf("Horten = %+v", h)
	}
	if _, err := e.s.Cycle(e.ctx, "kommunal-innovasjonspris", 2018); awards.ErrorCode(err) != awards.ENotFound {
		t.Errorf("unknown year: %v", err)
	}
	if _, err := e.s.Cycle(e.ctx, "ingen-pris", 2017); awards.ErrorCode(err) != awards.ENotFound {
		t.Errorf("unknown award: %v", err)
	}
}

func TestAwardPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.cycle(year2017(past2, past))
	e.cycle(cycle{year: 2018, finalistsAt: past, winnersAt: future, noms: []nom{
		{org: "1835", title: "Tenk Træna 2018", outcome: "winner", statement: "Hemmelig begrunnelse"},
		{org: "3901", title: "Horten igjen", outcome: "finalist"},
	}})
	e.cycle(cycle{year: 2019, finalistsAt: future, noms: []nom{{org: "3203", title: "Framtidig finalist", outcome: "finalist"}}})
	p, err := e.s.Award(e.ctx, "kommunal-innovasjonspris")
	if err != nil {
		t.Fatal(err)
	}
	if p.Award.Description.In("nn") != "Prisen går til ein kommune." || p.CriteriaYear != 2018 || len(p.Criteria) != 2 {
		t.Errorf("award = %+v, criteria of %d", p.Award, p.CriteriaYear)
	}
	var years []int
	for _, c := range p.Cycles {
		years = append(years, c.Year)
	}
	if diff := cmp.Diff([]int{2018, 2017}, years); diff != "" {
		t.Fatalf("years (-want +got):\n%s", diff)
	}
	if len(p.Cycles[0].Winners) != 0 || strings.Join(titles(p.Cycles[0].Finalists), ", ") != ifWinnerAmongFinalists("Horten igjen, Tenk Træna 2018", "Horten igjen") {
		t.Errorf("2018 = %+v", p.Cycles[0])
	}
	y17 := p.Cycles[1]
	if y17.Winners[0].Names() != "Asker" || len(y17.Finalists) != 2 || len(y17.Honourable) != 1 || y17.Applications != 5 {
		t.Errorf("2017 = %+v", y17)
	}
	if img := y17.Image(); img == nil || img.AltText != "Svømmehallen sett fra vannet" {
		t.Errorf("2017 image = %+v", img)
	}
	all, err := e.s.Awards(e.ctx)
	if err != nil || len(all) != 1 || len(all[0].Cycles) != 2 {
		t.Errorf("Awards = %+v, %v", all, err)
	}
	if _, err := e.s.Award(e.ctx, "ingen"); awards.ErrorCode(err) != awards.ENotFound {
		t.Errorf("unknown award: %v", err)
	}
}

func TestProjectPage(t *testing.T) {
	t.Parallel()
	before := newEnv(t)
	mb := before.cycle(year2017(future, future))
	for _, title := range []string{"Holmen svømmehall", "Velferdsteknologi i hjemmet"} {
		if _, err := before.s.Project(before.ctx, mb.projects[title]); awards.ErrorCode(err) != awards.ENotFound {
			t.Errorf("embargoed project %s: %v", title, err)
		}
	}
	e := newEnv(t)
	m := e.cycle(year2017(past, future))
	// With the finalists out, the winner's project is public as a
	// finalist's, or waits for the winners.
	h, err := e.s.Project(e.ctx, m.projects["Holmen svømmehall"])
	if winnerAmongFinalists && (err != nil || len(h.Entries) != 1 || h.Entries[0].Outcome != archive.Finalist || h.Entries[0].Statement != (archive.Texts{})) ||
		!winnerAmongFinalists && awards.ErrorCode(err) != awards.ENotFound {
		t.Errorf("Holmen with the finalists out: %+v, %v", h.Entries, err)
	}
	p, err := e.s.Project(e.ctx, m.projects["Velferdsteknologi i hjemmet"])
	if err != nil {
		t.Fatal(err)
	}
	if p.Owner.Name != "Oppegård" || p.Owner.Now == nil || p.Owner.Now.Name != "Nordre Follo" || len(p.Entries) != 1 || p.Entries[0].Outcome != archive.Finalist {
		t.Errorf("project = %+v", p)
	}
	if _, err := e.s.Project(e.ctx, "ukjent"); awards.ErrorCode(err) != awards.ENotFound {
		t.Errorf("unknown project: %v", err)
	}
	// The draft's and the withdrawn nomination's projects never show.
	e2 := newEnv(t)
	m2 := e2.cycle(cycle{year: 2020, publishAll: true, winnersAt: past, noms: []nom{
		{org: "3203", title: "Kladd", status: "draft", projects: []proj{{title: "Kladdprosjekt"}}},
		{org: "3901", title: "Trukket", status: "withdrawn", projects: []proj{{title: "Trukket prosjekt"}}},
	}})
	for _, title := range []string{"Kladdprosjekt", "Trukket prosjekt"} {
		if _, err := e2.s.Project(e2.ctx, m2.projects[title]); awards.ErrorCode(err) != awards.ENotFound {
			t.Errorf("%s: %v", title, err)
		}
	}
}

func TestFiles(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	m := e.cycle(year2017(past2, past))
	holmen := m.projects["Holmen svømmehall"]
	f, body, err := e.s.File(e.ctx, holmen, m.files["holmen.png"])
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(body)
	body.Close()
	if string(b) != "bytes of holmen.png" || f.ContentType != "image/png" {
		t.Errorf("file = %+v %q", f, b)
	}
	for name, tc := range map[string][2]string{
		"not public":        {holmen, m.files["skjult.png"]},
		"wrong project":     {m.projects["Asker velferdslab"], m.files["holmen.png"]},
		"unknown":           {holmen, "ukjent"},
		"project not found": {"ukjent", m.files["holmen.png"]},
	} {
		if _, _, err := e.s.File(e.ctx, tc[0], tc[1]); awards.ErrorCode(err) != awards.ENotFound {
			t.Errorf("%s: %v", name, err)
		}
	}
	// Before anything is announced, the files are not public either.
	e2 := newEnv(t)
	m2 := e2.cycle(year2017(future, future))
	if _, _, err := e2.s.File(e2.ctx, m2.projects["Holmen svømmehall"], m2.files["holmen.png"]); awards.ErrorCode(err) != awards.ENotFound {
		t.Errorf("embargoed file: %v", err)
	}
}

func TestOrganisationPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.cycle(year2017(past2, past))
	// Today's Nordre Follo shows its own application and Oppegård's.
	p, err := e.s.Organisation(e.ctx, e.orgs["3207"])
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"Fra idé til drift", "Samskaping i Follo"}, titles(p.Entries)); diff != "" {
		t.Errorf("Nordre Follo's entries (-want +got):\n%s", diff)
	}
	var preds []string
	for _, pr := range p.Predecessors {
		preds = append(preds, pr.Name+" "+pr.Number)
	}
	if diff := cmp.Diff([]string{"Nordre Follo 3020", "Oppegård 0217"}, preds); diff != "" {
		t.Errorf("predecessors (-want +got):\n%s", diff)
	}
	if p.Org.County != "Akershus" || p.Org.Former {
		t.Errorf("org = %+v", p.Org)
	}
	// Oppegård's own page, with what it is part of now.
	o, err := e.s.Organisation(e.ctx, e.orgs["0217"])
	if err != nil {
		t.Fatal(err)
	}
	if !o.Org.Former || o.Org.Now == nil || o.Org.Now.ID != e.orgs["3207"] || len(o.Entries) != 1 {
		t.Errorf("Oppegård = %+v, %d entries", o.Org, len(o.Entries))
	}
	// Asker's draft never shows.
	a, err := e.s.Organisation(e.ctx, e.orgs["3203"])
	if err != nil || len(a.Entries) != 1 || a.Entries[0].Title != "Mulighetenes kommune" || len(a.Entries[0].Projects) != 3 {
		t.Errorf("Asker = %v, %v", titles(a.Entries), err)
	}
	if _, err := e.s.Organisation(e.ctx, 999999); awards.ErrorCode(err) != awards.ENotFound {
		t.Errorf("unknown organisation: %v", err)
	}
}

func TestFeed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.cycle(year2017("now() - interval '60 days'", past))
	e.cycle(cycle{year: 2018, finalistsAt: past2, winnersAt: future, noms: []nom{
		{org: "1835", title: "Tenk Træna 2018", outcome: "winner", statement: "Hemmelig"},
		{org: "3901", title: "Horten 2018", outcome: "finalist"},
	}})
	award, as, err := e.s.Feed(e.ctx, "kommunal-innovasjonspris")
	if err != nil {
		t.Fatal(err)
	}
	if award == nil || award.Slug != "kommunal-innovasjonspris" {
		t.Errorf("award = %+v", award)
	}
	var got []string
	for _, a := range as {
		got = append(got, a.Cycle.Title+" "+a.Kind+" "+strings.Join(append(titles(a.Winners), titles(a.Finalists)...), ", "))
	}
	// The winners' announcement names the winner (and the finalists).
	want := []string{
		"Innovasjonsprisen 2017 winners Mulighetenes kommune, Horten på tvers, Fra idé til drift",
		ifWinnerAmongFinalists("Innovasjonsprisen 2018 finalists Horten 2018, Tenk Træna 2018", "Innovasjonsprisen 2018 finalists Horten 2018"),
		ifWinnerAmongFinalists("Innovasjonsprisen 2017 finalists Mulighetenes kommune, Horten på tvers, Fra idé til drift",
			"Innovasjonsprisen 2017 finalists Horten på tvers, Fra idé til drift"),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("feed (-want +got):\n%s", diff)
	}
	if as[0].Applications != 1 || len(as[0].Honourable) != 1 {
		t.Errorf("winners' announcement = %+v", as[0])
	}
	for _, f := range as[1].Finalists {
		if f.Outcome != archive.Finalist || f.Statement != (archive.Texts{}) {
			t.Errorf("2018's finalists' announcement shows %s as %s with %v", f.Title, f.Outcome, f.Statement)
		}
	}
	if _, all, err := e.s.Feed(e.ctx, ""); err != nil || len(all) != 3 {
		t.Errorf("all awards' feed: %d, %v", len(all), err)
	}
	if _, _, err := e.s.Feed(e.ctx, "ingen"); awards.ErrorCode(err) != awards.ENotFound {
		t.Errorf("unknown award: %v", err)
	}
}

func TestSitemap(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	m := e.cycle(year2017(past, future))
	urls, err := e.s.Sitemap(e.ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, u := range urls {
		paths = append(paths, u.Path)
	}
	// The finalists with their organisations (and what those are part of
	// today) and projects; not Træna's honourable mention nor Nordre
	// Follo's application, which wait for the winners.
	want := []string{"/priser", "/priser/kommunal-innovasjonspris", "/priser/kommunal-innovasjonspris/2017",
		"/kommuner/" + itoa(e.orgs["0217"]), "/kommuner/" + itoa(e.orgs["0701"]), "/kommuner/" + itoa(e.orgs["3207"]), "/kommuner/" + itoa(e.orgs["3901"]),
		"/prosjekter/" + m.projects["Tjenestedesign i hjemmetjenesten"], "/prosjekter/" + m.projects["Velferdsteknologi i hjemmet"]}
	if winnerAmongFinalists {
		want = append(want, "/kommuner/"+itoa(e.orgs["3203"]), "/prosjekter/"+m.projects["Holmen svømmehall"],
			"/prosjekter/"+m.projects["Asker velferdslab"], "/prosjekter/"+m.projects["Løsningsjakten på Borgen"])
	}
	if diff := cmp.Diff(sorted(want), sorted(paths)); diff != "" {
		t.Errorf("sitemap (-want +got):\n%s", diff)
	}
	if n, err := e.s.SitemapParts(e.ctx); n != 1 || err != nil {
		t.Errorf("parts = %d, %v", n, err)
	}
	if _, err := e.s.Sitemap(e.ctx, 2); awards.ErrorCode(err) != awards.ENotFound {
		t.Errorf("part 2: %v", err)
	}
}

func TestHorizon(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	now, next, err := e.s.Horizon(e.ctx)
	if err != nil || next != nil || now.IsZero() {
		t.Fatalf("empty horizon = %v, %v, %v", now, next, err)
	}
	e.cycle(year2017("now() + interval '10 minutes'", "now() + interval '1 hour'"))
	now, next, err = e.s.Horizon(e.ctx)
	if err != nil || next == nil {
		t.Fatalf("horizon = %v, %v, %v", now, next, err)
	}
	if d := next.Sub(now); d < 9*time.Minute || d > 11*time.Minute {
		t.Errorf("next change in %v, want about 10 minutes", d)
	}
	// An unpublished announcement is no longer ahead.
	e.exec(`UPDATE announcements SET unpublished_at = now() WHERE kind = 'finalists'`)
	now, next, _ = e.s.Horizon(e.ctx)
	if d := next.Sub(now); d < 59*time.Minute {
		t.Errorf("next change in %v, want about an hour", d)
	}
}
