package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/postgres"
)

func init() {
	var x struct {
		ui, api            string // cycle public IDs
		uiWinners, apiWins int64  // announcement IDs
	}
	authzAreas = append(authzAreas, authzArea{name: "publication",
		// Two decided cycles of their own, one for the pages and one for
		// the API, each with the winners scheduled by the admin.
		setup: func(t *testing.T, f *fixture) {
			db := pubDB(t, f.a)
			x.ui = pubCycle(t, db, "authz-pub-ui", false).cycle
			x.api = pubCycle(t, db, "authz-pub-api", false).cycle
			x.uiWinners = pubSchedule(t, f, x.ui, `{"kind":"winners","publish_at":"2031-06-15T12:00:00+02:00"}`)
			x.apiWins = pubSchedule(t, f, x.api, `{"kind":"winners","publish_at":"2031-06-15T12:00:00+02:00"}`)
		},
		rows: func(*fixture) map[string]authzCase {
			admin := func(okStatus int) [8]int {
				return [8]int{see, forbid, forbid, forbid, forbid, forbid, okStatus, okStatus}
			}
			apiAdmin := func(okStatus int) [8]int {
				return [8]int{unauth, forbid, forbid, forbid, forbid, forbid, okStatus, okStatus}
			}
			page := "/admin/sykluser/" + x.ui + "/publisering"
			ann := fmt.Sprintf("/admin/kunngjoringer/%d", x.uiWinners)
			api := fmt.Sprintf("/api/v1/announcements/%d", x.apiWins)
			// Only site admins learn anything about an announcement before
			// it is out, so everyone else gets 403 and nothing changes.
			return map[string]authzCase{
				"GET /admin/sykluser/{cycle}/publisering":  {page, "", admin(ok)},
				"POST /admin/sykluser/{cycle}/publisering": {page, "kind=finalists&publish_at=2031-04-20T12%3A00", [8]int{see, forbid, forbid, forbid, forbid, forbid, see, conflict}},
				// The finalists scheduled just above are brought forward.
				"GET /admin/sykluser/{cycle}/publisering/publiser-na":     {page + "/publiser-na?type=finalists", "", admin(ok)},
				"POST /admin/sykluser/{cycle}/publisering/publiser-na":    {page + "/publiser-na", "kind=finalists&confirm=true", [8]int{see, forbid, forbid, forbid, forbid, forbid, see, conflict}},
				"GET /admin/sykluser/{cycle}/publisering/forhandsvisning": {page + "/forhandsvisning?tid=2031-06-15T12%3A00", "", admin(ok)},
				"POST /admin/kunngjoringer/{id}":                          {ann, "publish_at=2031-06-16T12%3A00", admin(see)},
				"POST /admin/kunngjoringer/{id}/avpubliser":               {ann + "/avpubliser", "reason=Feil+dato", [8]int{see, forbid, forbid, forbid, forbid, forbid, see, conflict}},

				"GET /api/v1/cycles/{cycle}/announcements": {"/api/v1/cycles/" + x.api + "/announcements", "", apiAdmin(ok)},
				"POST /api/v1/cycles/{cycle}/announcements": {"/api/v1/cycles/" + x.api + "/announcements",
					`{"kind":"finalists","publish_at":"2031-04-20T12:00:00+02:00"}`, [8]int{unauth, forbid, forbid, forbid, forbid, forbid, created, conflict}},
				"PATCH /api/v1/announcements/{id}":          {api, `{"publish_at":"2031-06-16T12:00:00+02:00"}`, apiAdmin(ok)},
				"POST /api/v1/announcements/{id}/unpublish": {api + "/unpublish", `{"reason":"Feil dato"}`, [8]int{unauth, forbid, forbid, forbid, forbid, forbid, ok, conflict}},
			}
		}})
}

// pubDB opens the running app's database, to record what no route of
// this area makes: cycles with the jury's decision.
func pubDB(t *testing.T, a *apptest.App) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), a.DBURL, 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	return db
}

// pubFixture is a decided cycle: Asker won, Træna is a finalist, Horten
// was assessed without an outcome; the jury wrote feedback to all three.
type pubFixture struct {
	cycle                 string
	asker, traena, horten string // nominations' public IDs
}

const (
	pubStatement = "Asker kommune vinner for et helhetlig og systematisk innovasjonsarbeid."
	pubFeedback  = "Juryen ville gjerne sett flere resultater i tall."
)

func pubCycle(t *testing.T, db *postgres.DB, slug string, publishAll bool) pubFixture {
	t.Helper()
	ctx := context.Background()
	var f pubFixture
	var cycle int64
	err := db.NewRaw(`
		WITH a AS (INSERT INTO awards (slug, name_nb, owner_id) VALUES (?, ?, `+demoOwner+`) RETURNING id)
		INSERT INTO cycles (award_id, year, title, phase, publish_all) SELECT id, 2027, ?, 'decided', ? FROM a RETURNING id, public_id`,
		slug, "Pris "+slug, "Innovasjonsprisen "+slug, publishAll).Scan(ctx, &cycle, &f.cycle)
	if err != nil {
		t.Fatalf("cycle: %v", err)
	}
	nomination := func(org, title, outcome, statement, feedback string) string {
		var id int64
		var public string
		err := db.NewRaw(`
			WITH n AS (INSERT INTO nominations (cycle_id, title, summary, status, submitted_at) VALUES (?, ?, 'Kort sammendrag.', 'submitted', now()) RETURNING id, public_id),
			o AS (INSERT INTO nomination_organisations (nomination_id, organisation_id)
				SELECT n.id, org.id FROM n, organisations org WHERE org.kind = 'municipality' AND org.name = ? AND org.valid_to IS NULL)
			SELECT id, public_id FROM n`, cycle, title, org).Scan(ctx, &id, &public)
		if err != nil {
			t.Fatalf("nomination of %s: %v", org, err)
		}
		if outcome != "" {
			if _, err := db.ExecContext(ctx, `INSERT INTO decisions (nomination_id, cycle_id, outcome, statement_nb) VALUES (?, ?, ?, ?)`,
				id, cycle, outcome, statement); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO feedback (nomination_id, body) VALUES (?, ?)`, id, feedback); err != nil {
			t.Fatal(err)
		}
		return public
	}
	f.asker = nomination("Asker", "Asker "+slug, "winner", pubStatement, pubFeedback)
	f.traena = nomination("Træna", "Træna "+slug, "finalist", "", "Tilbakemelding til Træna.")
	f.horten = nomination("Horten", "Horten "+slug, "", "", "Tilbakemelding til Horten.")
	return f
}

// pubSchedule schedules an announcement through the API as the admin and
// returns its ID.
func pubSchedule(t *testing.T, f *fixture, cycle, body string) int64 {
	t.Helper()
	status, resp := f.a.Do(t, f.clients["admin"], http.MethodPost, "/api/v1/cycles/"+cycle+"/announcements", body)
	if status != http.StatusCreated {
		t.Fatalf("schedule: %d %s", status, resp)
	}
	var a struct{ ID apiID }
	if err := json.Unmarshal([]byte(resp), &a); err != nil || a.ID == 0 {
		t.Fatalf("schedule: %v %s", err, resp)
	}
	return int64(a.ID)
}
