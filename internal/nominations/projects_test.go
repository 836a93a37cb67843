package nominations_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/nominations"
)

func TestProjects(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	kari := e.actor("kari", false, "Asker")
	tore := e.actor("tore", false, "Træna")
	admin := e.actor("admin", true)
	v, err := e.s.Create(e.ctx, kari, e.open(), 0, nominations.Fields{})
	if err != nil {
		t.Fatal(err)
	}
	in := nominations.ProjectInput{
		Title:       ptr("Løsningsjakten på Borgen"),
		Description: ptr("Innbyggerne jaktet på løsninger for Borgen."),
		Results:     ptr("Mange innspill."),
		Partners:    ptr("Innbyggere, lag og foreninger"),
		PeriodStart: ptr("2016-01-15"),
		PeriodEnd:   ptr("2016-06-30"),
		Links:       &[]string{"https://www.asker.kommune.no/borgen", "", "http://example.org/a?b=c"},
		Measures: &[]nominations.MeasureInput{{Label: "deltakere", Value: "783"}, {}, {Label: "innspill", Value: "458", Unit: "stk"},
			{Label: "andel fornøyde", Value: "87,5", Unit: "%"}, {Label: "kroner spart", Value: "1 250 000"}},
	}
	p, err := e.s.CreateProject(e.ctx, kari, v.PublicID, in)
	if err != nil {
		t.Fatal(err)
	}
	wantMeasures := []awards.Measure{{Label: "deltakere", Value: 783}, {Label: "innspill", Value: 458, Unit: "stk"},
		{Label: "andel fornøyde", Value: 87.5, Unit: "%"}, {Label: "kroner spart", Value: 1250000}}
	if diff := cmp.Diff(wantMeasures, p.Measures); diff != "" {
		t.Errorf("measures (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"https://www.asker.kommune.no/borgen", "http://example.org/a?b=c"}, p.Links); diff != "" {
		t.Errorf("links (-want +got):\n%s", diff)
	}
	if p.PeriodStart.Format("2006-01-02") != "2016-01-15" || p.PeriodEnd.Format("2006-01-02") != "2016-06-30" ||
		p.OrganisationID != e.orgs["Asker"] || p.Version != 1 || !p.CanEdit {
		t.Errorf("project %+v", p)
	}
	// Who may read it.
	if _, err := e.s.Project(e.ctx, admin, p.PublicID); err != nil {
		t.Errorf("admin reads: %v", err)
	}
	_, err = e.s.Project(e.ctx, tore, p.PublicID)
	wantCode(t, "other municipality reads", err, awards.ENotFound, "")
	_, err = e.s.UpdateProject(e.ctx, tore, "", p.PublicID, 1, nominations.ProjectInput{Title: ptr("Kapret")})
	wantCode(t, "other municipality edits", err, awards.ENotFound, "")
	_, err = e.s.UpdateProject(e.ctx, admin, "", p.PublicID, 1, nominations.ProjectInput{Title: ptr("Admin")})
	wantCode(t, "admin edits", err, awards.EForbidden, "")

	// Partial update: only the measures; an empty list clears them.
	got, err := e.s.UpdateProject(e.ctx, kari, v.PublicID, p.PublicID, 1, nominations.ProjectInput{Measures: &[]nominations.MeasureInput{}})
	if err != nil || len(got.Measures) != 0 || got.Title != *in.Title || got.Version != 2 || len(got.Links) != 2 {
		t.Errorf("clear measures: %v %+v", err, got)
	}
	// Only the end of the period: checked against the stored start.
	_, err = e.s.UpdateProject(e.ctx, kari, "", p.PublicID, 2, nominations.ProjectInput{PeriodEnd: ptr("2015-12-31")})
	wantCode(t, "end before stored start", err, awards.EInvalid, "period_end")
	// A stale version.
	_, err = e.s.UpdateProject(e.ctx, kari, "", p.PublicID, 1, nominations.ProjectInput{Title: ptr("Gammel")})
	var stale *nominations.StaleError
	if !errors.As(err, &stale) || stale.Current != 2 || stale.Entity != "project" {
		t.Errorf("stale project save: %v", err)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE entity = 'project'`); n != 2 {
		t.Errorf("%d project audit entries, want create and update", n)
	}
}

func TestProjectBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	kari := e.actor("kari", false, "Asker")
	v, err := e.s.Create(e.ctx, kari, e.open(), 0, nominations.Fields{})
	if err != nil {
		t.Fatal(err)
	}
	base := func(change func(in *nominations.ProjectInput)) nominations.ProjectInput {
		in := nominations.ProjectInput{Title: ptr("Prosjekt"), Measures: &[]nominations.MeasureInput{{Label: "deltakere", Value: "783"}}}
		change(&in)
		return in
	}
	tests := []struct {
		name  string
		in    nominations.ProjectInput
		field string
	}{
		{"no title", base(func(in *nominations.ProjectInput) { in.Title = nil }), "title"},
		{"blank title", base(func(in *nominations.ProjectInput) { in.Title = ptr(" \t ") }), "title"},
		{"10 MB title", base(func(in *nominations.ProjectInput) { in.Title = ptr(strings.Repeat("å", 5<<20)) }), "title"},
		{"invalid UTF-8 description", base(func(in *nominations.ProjectInput) { in.Description = ptr("\xed\xa0\x80") }), "description"},
		{"negative result", base(func(in *nominations.ProjectInput) {
			in.Measures = &[]nominations.MeasureInput{{Label: "deltakere", Value: "-5"}}
		}), "measures[0].value"},
		{"non-numeric result", base(func(in *nominations.ProjectInput) {
			in.Measures = &[]nominations.MeasureInput{{Label: "a", Value: "1"}, {Label: "deltakere", Value: "mange"}}
		}), "measures[1].value"},
		{"not a number", base(func(in *nominations.ProjectInput) {
			in.Measures = &[]nominations.MeasureInput{{Label: "x", Value: "NaN"}}
		}), "measures[0].value"},
		{"infinite", base(func(in *nominations.ProjectInput) {
			in.Measures = &[]nominations.MeasureInput{{Label: "x", Value: "1e999"}}
		}), "measures[0].value"},
		{"value without label", base(func(in *nominations.ProjectInput) {
			in.Measures = &[]nominations.MeasureInput{{Value: "12"}}
		}), "measures[0].label"},
		{"label without value", base(func(in *nominations.ProjectInput) {
			in.Measures = &[]nominations.MeasureInput{{Label: "deltakere"}}
		}), "measures[0].value"},
		{"end before start", base(func(in *nominations.ProjectInput) {
			in.PeriodStart, in.PeriodEnd = ptr("2017-05-01"), ptr("2017-04-30")
		}), "period_end"},
		{"year 1", base(func(in *nominations.ProjectInput) { in.PeriodStart = ptr("0001-01-01") }), "period_start"},
		{"year 9999", base(func(in *nominations.ProjectInput) { in.PeriodEnd = ptr("9999-12-31") }), "period_end"},
		{"31 February", base(func(in *nominations.ProjectInput) { in.PeriodStart = ptr("2017-02-31") }), "period_start"},
		{"not a date", base(func(in *nominations.ProjectInput) { in.PeriodStart = ptr("i fjor") }), "period_start"},
		{"javascript link", base(func(in *nominations.ProjectInput) { in.Links = &[]string{"https://ok.no", "javascript:alert(1)"} }), "links[1]"},
		{"link without host", base(func(in *nominations.ProjectInput) { in.Links = &[]string{"https://"} }), "links[0]"},
		{"relative link", base(func(in *nominations.ProjectInput) { in.Links = &[]string{"/prosjekter/1"} }), "links[0]"},
		{"owner not nominee", base(func(in *nominations.ProjectInput) { in.OrganisationID = e.orgs["Træna"] }), "organisation_id"},
	}
	for _, tt := range tests {
		_, err := e.s.CreateProject(e.ctx, kari, v.PublicID, tt.in)
		wantCode(t, tt.name, err, awards.EInvalid, tt.field)
	}
	if n := e.count(`SELECT count(*) FROM projects`) + e.count(`SELECT count(*) FROM project_results`) +
		e.count(`SELECT count(*) FROM nomination_projects`); n != 0 {
		t.Errorf("refused creates stored %d rows", n)
	}
	// The same rules on update leave the stored project as it was.
	p, err := e.s.CreateProject(e.ctx, kari, v.PublicID, base(func(*nominations.ProjectInput) {}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.s.UpdateProject(e.ctx, kari, v.PublicID, p.PublicID, p.Version, nominations.ProjectInput{Title: ptr("Ny"),
		Measures: &[]nominations.MeasureInput{{Label: "deltakere", Value: "-1"}}})
	wantCode(t, "negative on update", err, awards.EInvalid, "measures[0].value")
	got, _ := e.s.Project(e.ctx, kari, p.PublicID)
	if got.Title != "Prosjekt" || len(got.Measures) != 1 || got.Measures[0].Value != 783 || got.Version != 1 {
		t.Errorf("after refused update: %+v", got)
	}
	// HTML is text.
	script := `<script>alert(1)</script>`
	got, err = e.s.UpdateProject(e.ctx, kari, v.PublicID, p.PublicID, 1, nominations.ProjectInput{Description: ptr(script),
		Measures: &[]nominations.MeasureInput{{Label: script, Value: "1", Unit: "<b>"}}})
	if err != nil || got.Description != script || got.Measures[0].Label != script {
		t.Errorf("HTML as text: %v %+v", err, got)
	}
}

func TestLinking(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	kari := e.actor("kari", false, "Asker")
	tore := e.actor("tore", false, "Træna")
	y2017, y2018 := e.open(), e.open()
	old, err := e.s.Create(e.ctx, kari, y2017, 0, nominations.Fields{})
	if err != nil {
		t.Fatal(err)
	}
	for _, title := range []string{"Holmen svømmehall", "Asker velferdslab", "Løsningsjakten på Borgen"} {
		if _, err := e.s.CreateProject(e.ctx, kari, old.PublicID, nominations.ProjectInput{Title: ptr(title)}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = e.s.CreateProject(e.ctx, kari, old.PublicID, nominations.ProjectInput{Title: ptr("Et fjerde")})
	wantCode(t, "fourth project", err, awards.EConflict, "projects")
	if n := e.count(`SELECT count(*) FROM projects`); n != 3 {
		t.Errorf("%d projects after a refused fourth, want 3", n)
	}
	traenaNom, err := e.s.Create(e.ctx, tore, y2017, 0, nominations.Fields{})
	if err != nil {
		t.Fatal(err)
	}
	traenaProject, err := e.s.CreateProject(e.ctx, tore, traenaNom.PublicID, nominations.ProjectInput{Title: ptr("Træna-prosjekt")})
	if err != nil {
		t.Fatal(err)
	}

	// A year later: the same projects can be linked again.
	next, err := e.s.Create(e.ctx, kari, y2018, 0, nominations.Fields{})
	if err != nil {
		t.Fatal(err)
	}
	earlier, err := e.s.EarlierProjects(e.ctx, kari, next.PublicID)
	if err != nil || len(earlier) != 3 {
		t.Fatalf("earlier projects %d %v", len(earlier), err)
	}
	if !strings.HasPrefix(earlier[0].UsedIn, "Innovasjonsprisen") {
		t.Errorf("used in %q", earlier[0].UsedIn)
	}
	linked, err := e.s.LinkProject(e.ctx, kari, next.PublicID, earlier[0].PublicID)
	if err != nil || linked.PublicID != earlier[0].PublicID {
		t.Fatalf("link earlier: %v", err)
	}
	_, err = e.s.LinkProject(e.ctx, kari, next.PublicID, earlier[0].PublicID)
	wantCode(t, "link twice", err, awards.EConflict, "project_id")
	if rest, _ := e.s.EarlierProjects(e.ctx, kari, next.PublicID); len(rest) != 2 {
		t.Errorf("earlier projects after linking one: %d", len(rest))
	}
	// Another municipality's project cannot be linked, and the answer does
	// not tell whether it exists.
	_, err = e.s.LinkProject(e.ctx, kari, next.PublicID, traenaProject.PublicID)
	wantCode(t, "Træna's project", err, awards.ENotFound, "project_id")
	_, err = e.s.LinkProject(e.ctx, kari, next.PublicID, "doesnotexist")
	wantCode(t, "no such project", err, awards.ENotFound, "project_id")
	if awards.ErrorMessage(err) != "no such project among the projects of your nominee organisations and of the former municipalities they succeeded" {
		t.Errorf("message %q", awards.ErrorMessage(err))
	}
	// Linked in both cycles, edited once: both nominations see the change.
	if _, err := e.s.UpdateProject(e.ctx, kari, "", linked.PublicID, linked.Version, nominations.ProjectInput{Results: ptr("Hjemløsheten ned fra 186 til null.")}); err != nil {
		t.Fatal(err)
	}
	a, _ := e.s.Get(e.ctx, kari, old.PublicID)
	b, _ := e.s.Get(e.ctx, kari, next.PublicID)
	if len(b.Projects) != 1 || b.Projects[0].Results != "Hjemløsheten ned fra 186 til null." {
		t.Errorf("new nomination's project %+v", b.Projects)
	}
	found := false
	for _, p := range a.Projects {
		found = found || p.Results == "Hjemløsheten ned fra 186 til null."
	}
	if !found {
		t.Error("old nomination does not see the shared project's change")
	}
	// Unlinking keeps the project for later.
	if err := e.s.UnlinkProject(e.ctx, kari, next.PublicID, linked.PublicID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "unlink again", e.s.UnlinkProject(e.ctx, kari, next.PublicID, linked.PublicID), awards.ENotFound, "")
	if n := e.count(`SELECT count(*) FROM projects WHERE public_id = ?`, linked.PublicID); n != 1 {
		t.Error("unlinking deleted the project")
	}
	wantCode(t, "unlink as Træna", e.s.UnlinkProject(e.ctx, tore, old.PublicID, linked.PublicID), awards.ENotFound, "")
}
