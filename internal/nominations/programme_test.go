package nominations_test

import (
	"testing"

	"github.com/heder-awards/heder/internal/nominations"
	"github.com/heder-awards/heder/internal/pgtest"
)

// TestLinkProgrammeProject: a project from a programme's cohort (Asker's
// «kraftpakke» of Kommuneinkubatoren 2021) is an earlier project like any
// other: listed for Asker's next nomination to a prize, with the
// programme's cycle it was used in, and linked.
func TestLinkProgrammeProject(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	kari := e.actor("kari", false, "Asker")
	programme := e.AwardOf(pgtest.AwardSpec{Slug: "kommuneinkubatoren", Name: "Kommuneinkubatoren", Kind: "programme"})
	cohort := e.Cycle(pgtest.CycleSpec{Award: programme, Year: 2021, Title: "Kommuneinkubatoren 2021", Phase: "published", PublishedAt: "now()"})
	participation := e.Nomination(pgtest.NominationSpec{Cycle: cohort.ID, Org: e.orgs["Asker"], Lead: true,
		Title: "«Kraftpakke» for innbyggerinvolvering", Status: "submitted"})
	e.Project(pgtest.ProjectSpec{Org: e.orgs["Asker"], Nomination: participation.ID, Title: "«Kraftpakke» for innbyggerinvolvering",
		Description: "Asker kommune er god i gang med utvikling og testing av en «kraftpakke» for innbyggerinvolvering."})

	next, err := e.s.Create(e.ctx, kari, e.open(), 0, nominations.Fields{})
	if err != nil {
		t.Fatal(err)
	}
	earlier, err := e.s.EarlierProjects(e.ctx, kari, next.PublicID)
	if err != nil || len(earlier) != 1 || earlier[0].Title != "«Kraftpakke» for innbyggerinvolvering" || earlier[0].UsedIn != "Kommuneinkubatoren 2021" {
		t.Fatalf("earlier projects %+v %v", earlier, err)
	}
	if _, err := e.s.LinkProject(e.ctx, kari, next.PublicID, earlier[0].PublicID); err != nil {
		t.Fatalf("link the programme's project: %v", err)
	}
	v, err := e.s.Get(e.ctx, kari, next.PublicID)
	if err != nil || len(v.Projects) != 1 || v.Projects[0].Title != "«Kraftpakke» for innbyggerinvolvering" {
		t.Errorf("the nomination's projects %+v %v", v.Projects, err)
	}
}
