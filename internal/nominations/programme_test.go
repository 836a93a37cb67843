package nominations_test

import (
	"testing"

	"github.com/heder-awards/heder/internal/nominations"
)

// TestLinkProgrammeProject: a project from a programme's cohort (Asker's
// «kraftpakke» of Kommuneinkubatoren 2021) is an earlier project like any
// other: listed for Asker's next nomination to a prize, with the
// programme's cycle it was used in, and linked.
func TestLinkProgrammeProject(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	kari := e.actor("kari", false, "Asker")
	var programme int64
	if err := e.db.NewRaw(`INSERT INTO awards (slug, name_nb, kind) VALUES ('kommuneinkubatoren', 'Kommuneinkubatoren', 'programme') RETURNING id`).Scan(e.ctx, &programme); err != nil {
		t.Fatal(err)
	}
	var participation, project int64
	if err := e.db.NewRaw(`WITH c AS (INSERT INTO cycles (award_id, year, title, phase, published_at)
			VALUES (?, 2021, 'Kommuneinkubatoren 2021', 'published', now()) RETURNING id)
		INSERT INTO nominations (cycle_id, title, status) SELECT id, '«Kraftpakke» for innbyggerinvolvering', 'submitted' FROM c RETURNING id`,
		programme).Scan(e.ctx, &participation); err != nil {
		t.Fatal(err)
	}
	e.exec(`INSERT INTO nomination_organisations (nomination_id, organisation_id, lead) VALUES (?, ?, true)`, participation, e.orgs["Asker"])
	if err := e.db.NewRaw(`INSERT INTO projects (organisation_id, title, description) VALUES (?, '«Kraftpakke» for innbyggerinvolvering',
		'Asker kommune er god i gang med utvikling og testing av en «kraftpakke» for innbyggerinvolvering.') RETURNING id`,
		e.orgs["Asker"]).Scan(e.ctx, &project); err != nil {
		t.Fatal(err)
	}
	e.exec(`INSERT INTO nomination_projects (nomination_id, project_id) VALUES (?, ?)`, participation, project)

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
