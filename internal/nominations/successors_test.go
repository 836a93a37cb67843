package nominations_test

import (
	"io/fs"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/nominations"
	"github.com/heder-awards/heder/internal/orgs"
	"github.com/heder-awards/heder/internal/pgtest"
)

// successorEnv is a database with SSB's real municipalities and their
// history: Asker 0220 became Asker 3025 in 2020 (with Røyken and
// Hurum), which became today's Asker 3203 in 2024. Organisations are
// named by number in e.orgs.
func successorEnv(t *testing.T) *env {
	t.Helper()
	e := newSeedEnv(t)
	data, _ := fs.Sub(orgs.Data, "data")
	if _, err := orgs.ImportKommuner(e.ctx, e.db, data); err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		ID     int64  `bun:"id"`
		Number string `bun:"number"`
	}
	if err := e.db.NewRaw(`SELECT id, number FROM organisations WHERE kind = 'municipality'
		AND number IN ('0220', '3025', '3203', '0627', '0217', '1835')`).Scan(e.ctx, &rows); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		e.orgs[r.Number] = r.ID
	}
	if len(e.orgs) != 6 {
		t.Fatalf("organisations %v", e.orgs)
	}
	e.award = e.Award("kommunal-innovasjonspris", "Kommunal innovasjonspris")
	return e
}

// project makes a project of organisation number, linked to nomination
// (when not 0), and returns its public ID.
func (e *env) project(number, title string, nomination int64) string {
	e.t.Helper()
	return e.Project(pgtest.ProjectSpec{Org: e.orgs[number], Nomination: nomination, Title: title, Description: "Beskrivelse"}).PublicID
}

func projectTitles(list []nominations.ProjectView) []string {
	out := []string{}
	for _, p := range list {
		out = append(out, p.Title)
	}
	slices.Sort(out)
	return out
}

// TestSuccessorsLinkPredecessorsProjects: today's Asker links the
// projects Asker 0220 won with in 2017, and those of every municipality
// that became part of it; nobody else can, and nobody edits them.
func TestSuccessorsLinkPredecessorsProjects(t *testing.T) {
	t.Parallel()
	e := successorEnv(t)
	// 2017, judged and closed: Asker 0220 and Oppegård were nominated.
	y2017 := e.cycle("published", "now() - interval '9 years'", 1, 3)
	nomination := func(number, title, status string) int64 {
		return e.Nomination(pgtest.NominationSpec{Cycle: e.cycleID(y2017), Org: e.orgs[number], Title: title, Status: status,
			Submitted: "now() - interval '9 years'"}).ID
	}
	asker2017 := nomination("0220", "Mulighetenes kommune", "submitted")
	holmen := e.project("0220", "Holmen svømmehall", asker2017)
	e.project("0220", "Asker velferdslab", asker2017)
	e.project("0627", "Røyken-prosjekt", 0)
	e.project("3025", "Asker 3025-prosjekt", 0)
	oppegard := e.project("0217", "Oppegård-prosjekt", nomination("0217", "Fra idé til drift", "submitted"))
	traenaOwn := e.project("1835", "Træna-prosjekt", 0)

	kari := e.actor("kari", false, "3203")
	tore := e.actor("tore", false, "1835")
	open := e.open()
	next, err := e.s.Create(e.ctx, kari, open, 0, nominations.Fields{})
	if err != nil {
		t.Fatal(err)
	}

	earlier, err := e.s.EarlierProjects(e.ctx, kari, next.PublicID)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Asker 3025-prosjekt", "Asker velferdslab", "Holmen svømmehall", "Røyken-prosjekt"}
	if diff := cmp.Diff(want, projectTitles(earlier)); diff != "" {
		t.Errorf("today's Asker's earlier projects (-want +got):\n%s", diff)
	}
	for _, p := range earlier {
		if p.CanEdit {
			t.Errorf("%s: a predecessor's project is offered as editable", p.Title)
		}
		if p.Title == "Holmen svømmehall" && p.UsedIn != "Innovasjonsprisen 2031" {
			t.Errorf("Holmen used in %q", p.UsedIn)
		}
	}
	// Seeing counts; editing does not (policy.CanEditProject).
	if p, err := e.s.Project(e.ctx, kari, holmen); err != nil || p.CanEdit || !p.Frozen {
		t.Errorf("Holmen for today's Asker: %+v %v", p, err)
	}
	royken := ""
	for _, p := range earlier {
		if p.Title == "Røyken-prosjekt" {
			royken = p.PublicID
		}
	}
	_, err = e.s.UpdateProject(e.ctx, kari, "", royken, 1, nominations.ProjectInput{Title: ptr("Endret")})
	wantCode(t, "edit Røyken's project", err, awards.EForbidden, "")

	linked, err := e.s.LinkProject(e.ctx, kari, next.PublicID, holmen)
	if err != nil || linked.PublicID != holmen || linked.OrganisationID != e.orgs["0220"] {
		t.Fatalf("link Asker 0220's project: %+v %v", linked, err)
	}
	v, err := e.s.Get(e.ctx, kari, next.PublicID)
	if err != nil || len(v.Items) != 1 || v.Items[0].Title != "Holmen svømmehall" || v.Items[0].CanEdit {
		t.Errorf("new nomination's projects %+v %v", v.Items, err)
	}
	if rest, _ := e.s.EarlierProjects(e.ctx, kari, next.PublicID); len(rest) != 3 {
		t.Errorf("earlier projects after linking one: %d", len(rest))
	}
	_, err = e.s.LinkProject(e.ctx, kari, next.PublicID, holmen)
	wantCode(t, "link twice", err, awards.EConflict, "project_id")
	// Oppegård became part of Nordre Follo, not Asker; Træna is Træna's.
	for what, id := range map[string]string{"Oppegård's project": oppegard, "Træna's project": traenaOwn} {
		_, err = e.s.LinkProject(e.ctx, kari, next.PublicID, id)
		wantCode(t, what, err, awards.ENotFound, "project_id")
	}

	// Træna neither sees nor links Asker's history.
	traenaNom, err := e.s.Create(e.ctx, tore, open, 0, nominations.Fields{})
	if err != nil {
		t.Fatal(err)
	}
	if list, err := e.s.EarlierProjects(e.ctx, tore, traenaNom.PublicID); err != nil || !slices.Equal(projectTitles(list), []string{"Træna-prosjekt"}) {
		t.Errorf("Træna's earlier projects %v %v", projectTitles(list), err)
	}
	_, err = e.s.LinkProject(e.ctx, tore, traenaNom.PublicID, holmen)
	wantCode(t, "Træna links Asker 0220's project", err, awards.ENotFound, "project_id")
	if _, err := e.s.Project(e.ctx, tore, holmen); awards.ErrorCode(err) != awards.ENotFound {
		t.Errorf("Træna reads Holmen: %v", err)
	}

	// After the deadline nothing more is linked.
	e.exec(`UPDATE cycles SET nomination_deadline = now() - interval '1 second' WHERE public_id = ?`, open)
	_, err = e.s.LinkProject(e.ctx, kari, next.PublicID, royken)
	wantCode(t, "link after the deadline", err, awards.EConflict, "")
	if !isClosed(err) {
		t.Errorf("link after the deadline: %v, want ErrClosed", err)
	}
}

// TestSuccessorsInJointEntry: in a joint entry a predecessor's project is
// the successor's to take out, and it leaves the entry with the successor.
func TestSuccessorsInJointEntry(t *testing.T) {
	t.Parallel()
	e := successorEnv(t)
	holmen := e.project("0220", "Holmen svømmehall", 0)
	kari := e.actor("kari", false, "3203")
	tore := e.actor("tore", false, "1835")
	v, err := e.s.Create(e.ctx, kari, e.open(), 0, nominations.Fields{})
	if err != nil {
		t.Fatal(err)
	}
	e.join(kari, v.PublicID, tore, "1835")
	if _, err := e.s.LinkProject(e.ctx, kari, v.PublicID, holmen); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "Træna takes Asker 0220's project out", e.s.UnlinkProject(e.ctx, tore, v.PublicID, holmen), awards.EForbidden, "project_id")
	if err := e.s.UnlinkProject(e.ctx, kari, v.PublicID, holmen); err != nil {
		t.Fatalf("today's Asker takes its predecessor's project out: %v", err)
	}
	if _, err := e.s.LinkProject(e.ctx, kari, v.PublicID, holmen); err != nil {
		t.Fatal(err)
	}
	if err := e.s.HandOverLead(e.ctx, kari, v.PublicID, e.orgs["1835"]); err != nil {
		t.Fatal(err)
	}
	if err := e.s.RemoveNominee(e.ctx, kari, v.PublicID, e.orgs["3203"]); err != nil {
		t.Fatalf("today's Asker leaves: %v", err)
	}
	if got, err := e.s.Get(e.ctx, tore, v.PublicID); err != nil || len(got.Projects) != 0 {
		t.Errorf("Asker 0220's project stayed behind with Træna: %+v %v", got.Projects, err)
	}
}
