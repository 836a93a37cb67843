package app_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/heder-awards/heder/internal/postgres"
)

// voteAuthz is what the ranked vote's rows act on: a cycle of its own
// being judged whose current round is a ranked vote between two
// nominations by Bærum kommune (nobody's own); jury-1, jury-2 and
// jury-chair (chairing) sit on its jury, declared, and so does a juror
// who never logs in. jury-2 and that juror have submitted their ballots,
// for the page's and the API's reopening.
var voteAuthz struct {
	cycle          string
	round          int64
	a, b           string
	juror2, silent int64
}

func init() {
	authzAreas = append(authzAreas, authzArea{name: "vote",
		setup: func(t *testing.T, f *fixture) {
			x := &voteAuthz
			db := nomDB(t, f.a)
			x.cycle, x.round, x.a, x.b = voteCycle(t, db, "vote-authz")
			scoringSeat(t, db, x.cycle, f.ids["jury-1"], false)
			scoringSeat(t, db, x.cycle, f.ids["jury-chair"], true)
			x.juror2 = scoringSeat(t, db, x.cycle, f.ids["jury-2"], false)
			var silent int64
			if err := db.NewRaw(`INSERT INTO users (issuer, subject, name, email) VALUES ('https://idp.example', 'vote-authz', 'Stille Jurymedlem', 'stille@example.org')
				RETURNING id`).Scan(context.Background(), &silent); err != nil {
				t.Fatal(err)
			}
			x.silent = scoringSeat(t, db, x.cycle, silent, false)
			for _, juror := range []int64{x.juror2, x.silent} {
				voteBallot(t, db, x.round, juror, x.a, x.b)
			}
		},
		rows: func(*fixture) map[string]authzCase {
			x := voteAuthz
			page := "/jury/" + x.cycle + "/stemme"
			api := fmt.Sprintf("/api/v1/rounds/%d", x.round)
			ranks := fmt.Sprintf(`{"ranks":[{"nomination_id":%q,"rank":1},{"nomination_id":%q,"rank":1}]}`, x.a, x.b)
			// The round's jurors vote, each their own ballot; an admin
			// without a seat may not, and nobody else learns of it. The
			// chair and the cycle's admins see the result and reopen
			// ballots: the chair reopens first, so the admins find
			// nothing left to reopen.
			return map[string]authzCase{
				"GET /jury/{cycle}/stemme": {page, "", [8]int{see, notFound, notFound, ok, ok, notFound, forbid, forbid}},
				"POST /jury/{cycle}/stemme": {page, fmt.Sprintf("rank_%s=1&rank_%s=2&action=save", x.a, x.b),
					[8]int{see, notFound, notFound, see, see, notFound, forbid, forbid}},
				"GET /jury/{cycle}/stemme/resultat": {page + "/resultat", "", [8]int{see, notFound, notFound, forbid, ok, notFound, ok, ok}},
				"POST /jury/{cycle}/stemme/gjenapne": {page + "/gjenapne", fmt.Sprintf("juror_id=%d&reason=Feil+plass", x.juror2),
					[8]int{see, notFound, notFound, forbid, see, notFound, conflict, conflict}},

				"GET /api/v1/rounds/{round}/ballot": {api + "/ballot", "", [8]int{unauth, notFound, notFound, ok, ok, notFound, forbid, forbid}},
				"PUT /api/v1/rounds/{round}/ballot": {api + "/ballot", ranks, [8]int{unauth, notFound, notFound, ok, ok, notFound, forbid, forbid}},
				"POST /api/v1/rounds/{round}/ballot/submit": {api + "/ballot/submit", ranks,
					[8]int{unauth, notFound, notFound, ok, ok, notFound, forbid, forbid}},
				"POST /api/v1/rounds/{round}/ballots/{juror}/reopen": {fmt.Sprintf("%s/ballots/%d/reopen", api, x.silent), `{"reason":"Feil plass"}`,
					[8]int{unauth, notFound, notFound, forbid, none, notFound, conflict, conflict}},
				"GET /api/v1/rounds/{round}/vote-result": {api + "/vote-result", "", [8]int{unauth, notFound, notFound, forbid, ok, notFound, ok, ok}},
			}
		}})
}

// voteCycle makes an award of its own with a cycle being judged, four
// days to its deadline, whose round 2, a ranked vote, is current with two
// nominations by Bærum kommune; it returns the cycle's public ID, the
// round's ID and the nominations' public IDs.
func voteCycle(t *testing.T, db *postgres.DB, slug string) (cycle string, round int64, a, b string) {
	t.Helper()
	ctx := context.Background()
	var id int64
	err := db.NewRaw(`
		WITH a AS (INSERT INTO awards (slug, name_nb, owner_id) VALUES (?, ?, `+demoOwner+`) RETURNING id)
		INSERT INTO cycles (award_id, year, title, phase, nomination_deadline, scoring_deadline)
		SELECT id, 2027, ?, 'judging', now() - interval '30 days', now() + interval '4 days' FROM a RETURNING id, public_id`,
		slug, "Pris "+slug, "Innovasjonsprisen "+slug).Scan(ctx, &id, &cycle)
	if err != nil {
		t.Fatalf("vote cycle: %v", err)
	}
	a, b = scoringNomination(t, db, cycle, "Bærum"), scoringNomination(t, db, cycle, "Bærum")
	// Three rounds: the screening and the shortlist are closed, the
	// final is a ranked vote.
	err = db.NewRaw(`WITH closed AS (UPDATE rounds SET closed_at = now() WHERE cycle_id = ?0 RETURNING id),
			shortlist AS (INSERT INTO rounds (cycle_id, position, name_nb, closed_at) SELECT ?0, 2, 'Kortliste', now() FROM closed)
		INSERT INTO rounds (cycle_id, position, kind, name_nb) SELECT ?0, 3, 'ranked_vote', 'Finale' FROM closed RETURNING id`, id).Scan(ctx, &round)
	if err != nil {
		t.Fatalf("vote round: %v", err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO round_nominations (round_id, nomination_id, reason)
		SELECT ?, id, 'Finalist' FROM nominations WHERE cycle_id = ?`, round, id); err != nil {
		t.Fatalf("finalists: %v", err)
	}
	return cycle, round, a, b
}

// voteBallot stores juror's submitted ballot in round: a first, b second.
func voteBallot(t *testing.T, db *postgres.DB, round, juror int64, a, b string) {
	t.Helper()
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `INSERT INTO ballots (round_id, juror_id, nomination_id, rank)
		SELECT ?, ?, id, CASE WHEN public_id = ? THEN 1 ELSE 2 END FROM nominations WHERE public_id IN (?, ?)`, round, juror, a, a, b); err != nil {
		t.Fatalf("ballot: %v", err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO ballot_submissions (round_id, juror_id) VALUES (?, ?)`, round, juror); err != nil {
		t.Fatalf("submit ballot: %v", err)
	}
}
