package nominations_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/nominations"
	"github.com/heder-awards/heder/internal/pgtest"
)

// review is a cycle as an admin reviews it: Asker's submitted nomination
// with three projects (one with a PDF), Træna's submitted one with one
// project, Bærum's draft without projects, and a withdrawn one from Oppegård,
// a municipality that no longer exists. Asker, Bærum and Oppegård lie in
// Akershus, Træna in Nordland.
type review struct {
	*env
	cycle                          string
	admin, kari                    *awards.Actor
	asker, traena, baerum, oppegrd string // nomination public IDs
	nordland, oppegard             int64  // organisation IDs
}

func newReview(t *testing.T) *review {
	t.Helper()
	e := newEnv(t)
	r := &review{env: e, cycle: e.open()}
	r.nordland = e.OrganisationOf(pgtest.OrganisationSpec{Kind: "county", Name: "Nordland", Number: "18"})
	e.exec(`UPDATE organisations SET parent_id = ? WHERE id IN (?, ?)`, e.orgs["Akershus"], e.orgs["Asker"], e.orgs["Bærum"])
	e.exec(`UPDATE organisations SET parent_id = ? WHERE id = ?`, r.nordland, e.orgs["Træna"])
	follo := e.OrganisationOf(pgtest.OrganisationSpec{Kind: "municipality", Name: "Nordre Follo", Number: "3207", Parent: e.orgs["Akershus"]})
	r.oppegard = e.OrganisationOf(pgtest.OrganisationSpec{Kind: "municipality", Name: "Oppegård", Number: "0217", Parent: e.orgs["Akershus"],
		ValidTo: "2020-01-01", Successor: follo})

	r.admin = e.actor("admin", true)
	r.kari = e.actor("kari", false, "Asker")
	tore := e.actor("tore", false, "Træna")
	berit := e.actor("berit", false, "Bærum")

	r.asker = r.nominate(r.kari, nominations.Fields{Title: ptr("Mulighetenes kommune"),
		Summary:   ptr("Asker jobber systematisk med innovasjon i hele organisasjonen, sammen med innbyggerne."),
		Challenge: ptr("renewal"), ContactName: ptr("Kari Nordmann"), ContactEmail: ptr("kari@asker.kommune.no")},
		nominations.ProjectInput{Title: ptr("Holmen svømmehall"), PeriodStart: ptr("2015-08-01"), PeriodEnd: ptr("2017-06-25"),
			Description: ptr("Norges mest energieffektive svømmehall, med solceller, solfangere og energibrønner.")},
		nominations.ProjectInput{Title: ptr("Løsningsjakten på Borgen"), PeriodStart: ptr("2016-01-01"),
			Description: ptr("Medvirkning og samskaping i et nærmiljø."),
			Measures: &[]nominations.MeasureInput{{Label: "møtepunkter", Value: "50"}, {Label: "deltakere", Value: "783"},
				{Label: "innspill", Value: "458"}}},
		nominations.ProjectInput{Title: ptr("Asker velferdslab"), Description: ptr("Innbyggeren i sentrum."),
			Measures: &[]nominations.MeasureInput{{Label: "familier i piloten", Value: "15"}, {Label: "andel", Value: "2,5", Unit: "%"}}})
	r.submit(r.kari, r.asker)
	e.Attachment(pgtest.AttachmentSpec{Project: e.ID(`SELECT id FROM projects WHERE title = 'Holmen svømmehall'`),
		Filename: "holmen.pdf", ContentType: "application/pdf", Size: 1000, SHA256: "x", Key: "test/holmen"})

	r.traena = r.nominate(tore, nominations.Fields{Title: ptr("Tenk Træna"),
		Summary:   ptr("Fra «Redd Træna» til «Tenk Træna»: kommunen, lokalsamfunnet og næringslivet snudde en krise."),
		Challenge: ptr("burning_platform"), ContactName: ptr("Tore Træna"), ContactEmail: ptr("tore@traena.kommune.no")},
		nominations.ProjectInput{Title: ptr("Tenk Træna"), Description: ptr("Nye arbeidsplasser og tilflytting.")})
	r.submit(tore, r.traena)

	// A draft whose texts would start formulas in a spreadsheet.
	r.baerum = r.nominate(berit, nominations.Fields{Title: ptr("-20 % sykefravær"), ContactName: ptr("@berit"),
		Summary: ptr("=HYPERLINK(\"http://example.com\")")})

	r.oppegrd = e.Nomination(pgtest.NominationSpec{Cycle: e.cycleID(r.cycle), Org: r.oppegard, Title: "Oppegård tar grep",
		Summary: "Tjenester på nye måter.", Challenge: "known_tangle", Status: "withdrawn", Submitted: "'2017-02-28 14:03:00+01'"}).PublicID
	return r
}

func (r *review) nominate(a *awards.Actor, f nominations.Fields, projects ...nominations.ProjectInput) string {
	r.t.Helper()
	v, err := r.s.Create(r.ctx, a, r.cycle, 0, f)
	if err != nil {
		r.t.Fatal(err)
	}
	if _, err := r.s.Update(r.ctx, a, v.PublicID, v.Version, f); err != nil {
		r.t.Fatal(err)
	}
	for _, p := range projects {
		if _, err := r.s.CreateProject(r.ctx, a, v.PublicID, p); err != nil {
			r.t.Fatal(err)
		}
	}
	return v.PublicID
}

func (r *review) submit(a *awards.Actor, id string) {
	r.t.Helper()
	if _, err := r.s.Submit(r.ctx, a, id); err != nil {
		r.t.Fatal(err)
	}
}

func titles(items []nominations.ListItem) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, it.Title)
	}
	return out
}

func TestAdminListRights(t *testing.T) {
	t.Parallel()
	r := newReview(t)
	for _, tt := range []struct {
		name  string
		actor *awards.Actor
		cycle string
		code  string
	}{
		{"anonymous", &awards.Actor{}, r.cycle, awards.EForbidden},
		{"submitter of a nominee", r.kari, r.cycle, awards.EForbidden},
		{"admin, unknown cycle", r.admin, "nosuchcycle", awards.ENotFound},
	} {
		_, _, err := r.s.AdminList(r.ctx, tt.actor, tt.cycle, nominations.Filter{})
		wantCode(t, tt.name+": list", err, tt.code, "")
		_, err = r.s.AdminOverview(r.ctx, tt.actor, tt.cycle)
		wantCode(t, tt.name+": overview", err, tt.code, "")
		_, err = r.s.Export(r.ctx, tt.actor, tt.cycle, nominations.Filter{})
		wantCode(t, tt.name+": export", err, tt.code, "")
	}
}

func TestAdminListFilters(t *testing.T) {
	t.Parallel()
	r := newReview(t)
	akershus := r.orgs["Akershus"]
	for _, tt := range []struct {
		name string
		f    nominations.Filter
		want []string
	}{
		// Without a search: by first nominee's name.
		{"all", nominations.Filter{}, []string{"Mulighetenes kommune", "-20 % sykefravær", "Oppegård tar grep", "Tenk Træna"}},
		{"status", nominations.Filter{Status: awards.StatusSubmitted}, []string{"Mulighetenes kommune", "Tenk Træna"}},
		{"draft", nominations.Filter{Status: awards.StatusDraft}, []string{"-20 % sykefravær"}},
		{"county", nominations.Filter{CountyID: akershus}, []string{"Mulighetenes kommune", "-20 % sykefravær", "Oppegård tar grep"}},
		{"county Nordland", nominations.Filter{CountyID: r.nordland}, []string{"Tenk Træna"}},
		{"former municipality", nominations.Filter{OrganisationID: r.oppegard}, []string{"Oppegård tar grep"}},
		{"challenge", nominations.Filter{Challenge: awards.ChallengeBurningPlatform}, []string{"Tenk Træna"}},
		{"county and status", nominations.Filter{CountyID: akershus, Status: awards.StatusSubmitted}, []string{"Mulighetenes kommune"}},
		{"nothing", nominations.Filter{CountyID: r.nordland, Challenge: awards.ChallengeRenewal}, []string{}},
		{"unknown organisation", nominations.Filter{OrganisationID: 999999}, []string{}},
		// Searches: Norwegian stems, projects' texts, web-search syntax.
		{"inflected word in a project title", nominations.Filter{Query: "svømmehallen"}, []string{"Mulighetenes kommune"}},
		{"word in a project description", nominations.Filter{Query: "energibrønnene"}, []string{"Mulighetenes kommune"}},
		{"start of a compound", nominations.Filter{Query: "energi"}, []string{"Mulighetenes kommune"}},
		{"apostrophes", nominations.Filter{Query: "O'Brien's ''"}, []string{}},
		{"word in a summary", nominations.Filter{Query: "krisen"}, []string{"Tenk Træna"}},
		{"words from the nomination and a project", nominations.Filter{Query: "innbyggerne solfangere"}, []string{"Mulighetenes kommune"}},
		{"phrase", nominations.Filter{Query: `"Tenk Træna"`}, []string{"Tenk Træna"}},
		{"or", nominations.Filter{Query: "svømmehall or Træna"}, nil},
		{"exclusion", nominations.Filter{Query: "kommunen -svømmehall"}, []string{"Tenk Træna"}},
		{"search and filter", nominations.Filter{Query: "svømmehall", Status: awards.StatusDraft}, []string{}},
		{"stop words only", nominations.Filter{Query: "og i på"}, []string{}},
		{"punctuation only", nominations.Filter{Query: `"&|!:*()'`}, []string{}},
		{"no match", nominations.Filter{Query: "hjemmetjeneste"}, []string{}},
	} {
		items, total, err := r.s.AdminList(r.ctx, r.admin, r.cycle, tt.f)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		got := titles(items)
		if tt.want == nil { // any order
			if len(got) != 2 {
				t.Errorf("%s: %v, want two", tt.name, got)
			}
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" || total != len(tt.want) {
			t.Errorf("%s: total %d, titles (-want +got):\n%s", tt.name, total, diff)
		}
	}
}

func TestAdminListRows(t *testing.T) {
	t.Parallel()
	r := newReview(t)
	items, _, err := r.s.AdminList(r.ctx, r.admin, r.cycle, nominations.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	byTitle := map[string]nominations.ListItem{}
	for _, it := range items {
		byTitle[it.Title] = it
	}
	asker := byTitle["Mulighetenes kommune"]
	if asker.Projects != 3 || asker.County != "Akershus" || asker.Status != awards.StatusSubmitted ||
		asker.Challenge != awards.ChallengeRenewal || asker.SubmittedAt == nil || asker.PublicID != r.asker {
		t.Errorf("Asker's row %+v", asker)
	}
	if diff := cmp.Diff([]nominations.Nominee{{ID: r.orgs["Asker"], Name: "Asker"}}, asker.Nominees); diff != "" {
		t.Errorf("Asker's nominees (-want +got):\n%s", diff)
	}
	opp := byTitle["Oppegård tar grep"]
	if len(opp.Nominees) != 1 || opp.Nominees[0].Name != "Oppegård" || !opp.Nominees[0].Former || opp.Nominees[0].Successor != "Nordre Follo" {
		t.Errorf("Oppegård's nominees %+v: want Oppegård, former, now Nordre Follo", opp.Nominees)
	}
	if draft := byTitle["-20 % sykefravær"]; draft.SubmittedAt != nil || draft.Projects != 0 || draft.Snippet != nil {
		t.Errorf("draft row %+v", draft)
	}

	// Eligibility shows in the list with its reason.
	if _, err := r.s.SetIneligible(r.ctx, r.admin, r.traena, true, "Søknaden kom for sent."); err != nil {
		t.Fatal(err)
	}
	items, _, err = r.s.AdminList(r.ctx, r.admin, r.cycle, nominations.Filter{Status: awards.StatusIneligible})
	if err != nil || len(items) != 1 || items[0].IneligibleReason != "Søknaden kom for sent." {
		t.Errorf("ineligible: %+v %v", items, err)
	}
}

func TestAdminListSnippets(t *testing.T) {
	t.Parallel()
	r := newReview(t)
	items, _, err := r.s.AdminList(r.ctx, r.admin, r.cycle, nominations.Filter{Query: "svømmehallen"})
	if err != nil || len(items) != 1 {
		t.Fatalf("%+v %v", items, err)
	}
	var hits []string
	var text strings.Builder
	for _, f := range items[0].Snippet {
		if f.Hit {
			hits = append(hits, f.Text)
		}
		text.WriteString(f.Text)
		if strings.ContainsAny(f.Text, "\x01\x02\x03") {
			t.Errorf("marker left in %q", f.Text)
		}
	}
	if len(hits) == 0 || !strings.EqualFold(hits[0], "svømmehall") {
		t.Errorf("hits %q in %q, want svømmehall", hits, text.String())
	}
	// A search in one part ranks that nomination first, others follow.
	items, _, err = r.s.AdminList(r.ctx, r.admin, r.cycle, nominations.Filter{Query: "Træna or svømmehall"})
	if err != nil || len(items) != 2 {
		t.Fatalf("%+v %v", items, err)
	}
	for _, it := range items {
		if len(it.Snippet) == 0 {
			t.Errorf("%s: no snippet", it.Title)
		}
	}
}

func TestAdminListBadFilter(t *testing.T) {
	t.Parallel()
	r := newReview(t)
	for _, tt := range []struct {
		name  string
		f     nominations.Filter
		field string
	}{
		{"status", nominations.Filter{Status: "decided"}, "status"},
		{"an outcome is not a status", nominations.Filter{Status: "winner"}, "status"},
		{"challenge", nominations.Filter{Challenge: "hard"}, "challenge"},
		{"county", nominations.Filter{CountyID: -1}, "county"},
		{"organisation", nominations.Filter{OrganisationID: -5}, "organisation"},
		{"page", nominations.Filter{Page: -1}, "page"},
		{"page too far", nominations.Filter{Page: 10001}, "page"},
		{"query too long", nominations.Filter{Query: strings.Repeat("svømmehall ", 20)}, "q"},
		{"query with a control character", nominations.Filter{Query: "svømme\x01hall"}, "q"},
		{"query on two lines", nominations.Filter{Query: "svømme\nhall"}, "q"},
		{"query not UTF-8", nominations.Filter{Query: "sv\xf8mmehall"}, "q"},
	} {
		_, _, err := r.s.AdminList(r.ctx, r.admin, r.cycle, tt.f)
		wantCode(t, tt.name, err, awards.EInvalid, tt.field)
		_, err = r.s.Export(r.ctx, r.admin, r.cycle, tt.f)
		if tt.field == "page" { // exports have no pages
			if err != nil {
				t.Errorf("%s: export: %v", tt.name, err)
			}
			continue
		}
		wantCode(t, tt.name+" (export)", err, awards.EInvalid, tt.field)
	}
}

func TestAdminListPages(t *testing.T) {
	t.Parallel()
	r := newReview(t)
	// 120 more drafts by Træna, titled so that they sort after the rest.
	cycle := r.cycleID(r.cycle)
	for i := 1; i <= 120; i++ {
		r.Nomination(pgtest.NominationSpec{Cycle: cycle, Org: r.orgs["Træna"], Title: fmt.Sprintf("Utkast %03d", i), Draft: true})
	}
	seen := map[string]bool{}
	for page, want := range []int{50, 50, 24, 0} {
		items, total, err := r.s.AdminList(r.ctx, r.admin, r.cycle, nominations.Filter{Page: page + 1})
		if err != nil || total != 124 || len(items) != want {
			t.Fatalf("page %d: %d items of %d, %v; want %d of 124", page+1, len(items), total, err, want)
		}
		for _, it := range items {
			if seen[it.PublicID] {
				t.Errorf("page %d repeats %s", page+1, it.Title)
			}
			seen[it.PublicID] = true
		}
	}
	if len(seen) != 124 {
		t.Errorf("pages showed %d nominations, want 124", len(seen))
	}
	ov, err := r.s.AdminOverview(r.ctx, r.admin, r.cycle)
	if err != nil {
		t.Fatal(err)
	}
	want := map[awards.NominationStatus]int{awards.StatusDraft: 121, awards.StatusSubmitted: 2, awards.StatusWithdrawn: 1}
	if diff := cmp.Diff(want, ov.Counts); diff != "" || ov.Total != 124 {
		t.Errorf("total %d, counts (-want +got):\n%s", ov.Total, diff)
	}
}

func TestAdminOverview(t *testing.T) {
	t.Parallel()
	r := newReview(t)
	ov, err := r.s.AdminOverview(r.ctx, r.admin, r.cycle)
	if err != nil {
		t.Fatal(err)
	}
	if ov.Cycle.PublicID != r.cycle || ov.Cycle.Title == "" || ov.Total != 4 {
		t.Errorf("cycle %+v, total %d", ov.Cycle, ov.Total)
	}
	var counties, orgs []string
	for _, c := range ov.Counties {
		counties = append(counties, c.Name)
	}
	for _, o := range ov.Organisations {
		name := o.Name
		if o.ValidTo != nil {
			name += " → " + o.SuccessorName
		}
		orgs = append(orgs, name)
	}
	if diff := cmp.Diff([]string{"Akershus", "Nordland"}, counties); diff != "" {
		t.Errorf("counties (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Asker", "Bærum", "Oppegård → Nordre Follo", "Træna"}, orgs); diff != "" {
		t.Errorf("organisations (-want +got):\n%s", diff)
	}
}
