package app_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/heder-awards/heder/internal/postgres"
)

func init() {
	authzAreas = append(authzAreas, authzArea{name: "scoring", setup: scoringSetup, rows: scoringRows})
}

// scoringAuthz is what the scoring rows act on: a cycle of its own being
// judged (two criteria, 1–5), jury-1 and jury-2 on its jury and
// jury-chair chairing it, all declared, and nominations by Bærum kommune
// (nobody's own), one per changing row, so that no row depends on another.
var scoringAuthz struct {
	cycle      string
	criterion  int64
	juror2     int64
	read       string // nobody has scored it
	save, form string // for the API's and the form's saves
	submit     string // jury-1 and jury-chair have complete drafts
	comments   string // jury-1 and jury-chair have submitted
	reopen     string // jury-2 has submitted (API)
	reopenForm string // jury-2 has submitted (form)
}

func scoringSetup(t *testing.T, f *fixture) {
	x := &scoringAuthz
	db := scoringDB(t, f)
	x.cycle, x.criterion = scoringCycle(t, db, "scoring-authz")
	jurors := map[string]int64{}
	for _, u := range []string{"jury-1", "jury-2", "jury-chair"} {
		jurors[u] = scoringSeat(t, db, x.cycle, f.ids[u], u == "jury-chair")
	}
	x.juror2 = jurors["jury-2"]
	for _, p := range []*string{&x.read, &x.save, &x.form, &x.submit, &x.comments, &x.reopen, &x.reopenForm} {
		*p = scoringNomination(t, db, x.cycle, "Bærum")
	}
	for _, u := range []string{"jury-1", "jury-chair"} {
		scoringScore(t, db, jurors[u], x.submit, false)
		scoringScore(t, db, jurors[u], x.comments, true)
	}
	scoringScore(t, db, x.juror2, x.reopen, true)
	scoringScore(t, db, x.juror2, x.reopenForm, true)
}

func scoringRows(*fixture) map[string]authzCase {
	x := scoringAuthz
	jury := func(parts ...string) string {
		p := "/jury/" + x.cycle
		for _, s := range parts {
			p += "/" + s
		}
		return p
	}
	api := func(id, part string) string { return "/api/v1/nominations/" + id + part }
	score := fmt.Sprintf(`{"scores":[{"criterion_id":"%d","value":3,"comment":"Nytt"}]}`, x.criterion)
	form := fmt.Sprintf("score-%d=4&comment-%d=Godt+dokumentert&action=save", x.criterion, x.criterion)
	// Only the jurors of the cycle (jury-1, jury-chair) work on its
	// nominations; submitters learn nothing; an admin who is not seated
	// reads the jury's pages as an observer but scores nothing.
	return map[string]authzCase{
		"GET /jury/{cycle}":           {jury(), "", [8]int{see, notFound, notFound, ok, ok, notFound, notFound, notFound}},
		"GET /jury/{cycle}/fremdrift": {jury("fremdrift"), "", [8]int{see, notFound, notFound, notFound, ok, notFound, ok, ok}},
		// A reminder to every juror with work left, through the outbox.
		"POST /jury/{cycle}/fremdrift/paminnelser": {jury("fremdrift", "paminnelser"), "", [8]int{see, notFound, notFound, notFound, see, notFound, see, see}},
		"GET /jury/{cycle}/nominasjoner/{id}":      {jury("nominasjoner", x.read), "", [8]int{see, notFound, notFound, ok, ok, notFound, ok, ok}},
		"POST /jury/{cycle}/nominasjoner/{id}": {jury("nominasjoner", x.form), form,
			[8]int{see, notFound, notFound, see, see, notFound, notFound, notFound}},
		"POST /jury/{cycle}/nominasjoner/{id}/kommentarer": {jury("nominasjoner", x.comments, "kommentarer"), "body=Sterke+tall",
			[8]int{see, notFound, notFound, see, see, notFound, forbid, forbid}},
		// jury-1 scores the nomination but is not the chair; the chair
		// reopens jury-2's scores first, so the admin finds nothing left
		// to reopen.
		"POST /jury/{cycle}/nominasjoner/{id}/gjenapne": {jury("nominasjoner", x.reopenForm, "gjenapne"),
			fmt.Sprintf("juror_id=%d&reason=Feil+i+kriterium+1", x.juror2), [8]int{see, notFound, notFound, forbid, see, notFound, conflict, conflict}},

		"GET /api/v1/nominations/{id}/scores": {api(x.read, "/scores"), "", [8]int{unauth, notFound, notFound, ok, ok, notFound, notFound, notFound}},
		"PUT /api/v1/nominations/{id}/scores": {api(x.save, "/scores"), score, [8]int{unauth, notFound, notFound, ok, ok, notFound, notFound, notFound}},
		"POST /api/v1/nominations/{id}/scores/submission": {api(x.submit, "/scores/submission"), "",
			[8]int{unauth, notFound, notFound, created, created, notFound, notFound, notFound}},
		"DELETE /api/v1/nominations/{id}/scores/submissions/{juror}": {api(x.reopen, fmt.Sprintf("/scores/submissions/%d", x.juror2)),
			`{"reason":"Feil i kriterium 1"}`, [8]int{unauth, notFound, notFound, forbid, none, notFound, conflict, conflict}},
		"POST /api/v1/cycles/{cycle}/jury-reminders": {"/api/v1/cycles/" + x.cycle + "/jury-reminders", "",
			[8]int{unauth, notFound, notFound, notFound, accepted, notFound, accepted, accepted}},
		"GET /api/v1/nominations/{id}/comments": {api(x.comments, "/comments"), "", [8]int{unauth, notFound, notFound, ok, ok, notFound, ok, ok}},
		"POST /api/v1/nominations/{id}/comments": {api(x.comments, "/comments"), `{"body":"Sterke tall"}`,
			[8]int{unauth, notFound, notFound, created, created, notFound, forbid, forbid}},
	}
}

func scoringDB(t *testing.T, f *fixture) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), f.a.DBURL, 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	return db
}

// scoringCycle makes an award of its own with a cycle being judged, with
// four days to the scoring deadline and two criteria on a 1–5 scale; it
// returns the cycle's public ID and the first criterion's ID.
func scoringCycle(t *testing.T, db *postgres.DB, slug string) (string, int64) {
	t.Helper()
	ctx := context.Background()
	var cycle int64
	var public string
	err := db.NewRaw(`
		WITH a AS (INSERT INTO awards (slug, name_nb, owner_id) VALUES (?, ?, `+demoOwner+`) RETURNING id)
		INSERT INTO cycles (award_id, year, title, phase, nomination_deadline, scoring_deadline)
		SELECT id, 2027, ?, 'judging', now() - interval '30 days', now() + interval '4 days' FROM a RETURNING id, public_id`,
		slug, "Pris "+slug, "Innovasjonsprisen "+slug).Scan(ctx, &cycle, &public)
	if err != nil {
		t.Fatalf("scoring cycle: %v", err)
	}
	var criteria []int64
	err = db.NewRaw(`INSERT INTO criteria (cycle_id, name_nb, help_nb, position)
		VALUES (?0, 'Nytt', 'Er det nytt for kommunen', 1), (?0, 'Nyttig', 'Har det skapt verdi', 2) RETURNING id`, cycle).Scan(ctx, &criteria)
	if err != nil || len(criteria) != 2 {
		t.Fatalf("criteria: %v", err)
	}
	return public, criteria[0]
}

// scoringSeat seats user on the cycle's jury, declared about every
// organisation there is (so no conflict), and returns the juror's ID.
func scoringSeat(t *testing.T, db *postgres.DB, cycle string, user int64, chair bool) int64 {
	t.Helper()
	ctx := context.Background()
	var id int64
	err := db.NewRaw(`INSERT INTO jurors (cycle_id, user_id, chair, declared_at) SELECT id, ?, ?, now() FROM cycles WHERE public_id = ? RETURNING id`,
		user, chair, cycle).Scan(ctx, &id)
	if err != nil {
		t.Fatalf("seat juror: %v", err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO conflict_reviews (juror_id, organisation_id) SELECT ?, id FROM organisations`, id); err != nil {
		t.Fatalf("declare: %v", err)
	}
	return id
}

// scoringNomination makes a submitted nomination by the municipality
// named with one project, and returns its public ID.
func scoringNomination(t *testing.T, db *postgres.DB, cycle, org string) string {
	t.Helper()
	var id string
	err := db.NewRaw(`
		WITH n AS (INSERT INTO nominations (cycle_id, title, summary, status, submitted_at)
				SELECT id, ?, 'Helhetlig og systematisk.', 'submitted', now() FROM cycles WHERE public_id = ? RETURNING id, public_id),
			o AS (SELECT id FROM organisations WHERE kind = 'municipality' AND name = ? AND valid_to IS NULL),
			x AS (INSERT INTO nomination_organisations (nomination_id, organisation_id) SELECT n.id, o.id FROM n, o),
			p AS (INSERT INTO projects (organisation_id, title, description) SELECT o.id, 'Velferdslab', 'Samskaping' FROM o RETURNING id),
			np AS (INSERT INTO nomination_projects (nomination_id, project_id) SELECT n.id, p.id FROM n, p)
		SELECT public_id FROM n`, "Innovasjon i "+org, cycle, org).Scan(context.Background(), &id)
	if err != nil {
		t.Fatalf("nomination: %v", err)
	}
	return id
}

// scoringScore gives the juror's scores of every criterion of the
// nomination, submitted or as a draft.
func scoringScore(t *testing.T, db *postgres.DB, juror int64, nomination string, submitted bool) {
	t.Helper()
	ctx := context.Background()
	_, err := db.ExecContext(ctx, `INSERT INTO scores (juror_id, nomination_id, criterion_id, value)
		SELECT ?, n.id, cr.id, 4 FROM nominations n JOIN criteria cr ON cr.round_id = current_round(n.cycle_id) WHERE n.public_id = ?`, juror, nomination)
	if err == nil && submitted {
		_, err = db.ExecContext(ctx, `INSERT INTO score_submissions (juror_id, nomination_id) SELECT ?, id FROM nominations WHERE public_id = ?`,
			juror, nomination)
	}
	if err != nil {
		t.Fatalf("scores: %v", err)
	}
}
