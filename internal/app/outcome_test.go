package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/postgres"
)

// outcomeView is what the API says of a nomination's outcome, as
// "outcome|statement languages and texts|feedback".
type outcomeView struct {
	Status    string            `json:"status"`
	Outcome   *string           `json:"outcome"`
	Statement map[string]string `json:"statement"`
	Feedback  *string           `json:"feedback"`
}

func (v outcomeView) String() string {
	var s []string
	for _, l := range []string{"nb", "nn", "en"} {
		if t, ok := v.Statement[l]; ok {
			s = append(s, l+":"+t)
		}
	}
	deref := func(p *string) string {
		if p == nil {
			return "-"
		}
		return *p
	}
	return deref(v.Outcome) + "|" + strings.Join(s, ",") + "|" + deref(v.Feedback)
}

// TestPublicationOutcomeAPI: the API tells a nominee's members, and site
// admins, the nomination's outcome, the jury's statement and its feedback
// by the same rule as the nomination's page, and nothing before the
// instants: Asker has four nominations in a decided cycle (a winner, a
// finalist, an honourable mention, and one without an outcome), Træna one
// finalist. Before any announcement no answer names an outcome field at
// all, so a winner's answer is shaped like anyone's; once the finalists
// are out the winner-to-be is a finalist like the finalists; once the
// winners are out every nomination has its outcome ("none" without one),
// the statements in the languages written, and the feedback. Another
// municipality gets 404 throughout, and nobody sees a status that no code
// sets.
func TestPublicationOutcomeAPI(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	db := pubDB(t, a)
	ctx := context.Background()
	var cycleID int64
	var cycle string
	if err := db.NewRaw(`
		WITH a AS (INSERT INTO awards (slug, name_nb) VALUES ('utfallsprisen', 'Utfallsprisen') RETURNING id)
		INSERT INTO cycles (award_id, year, title, phase) SELECT id, 2027, 'Utfallsprisen 2027', 'decided' FROM a RETURNING id, public_id`,
	).Scan(ctx, &cycleID, &cycle); err != nil {
		t.Fatal(err)
	}
	noms := map[string]string{} // public IDs by name
	for _, n := range []struct {
		name, org, outcome, nb, nn, en, feedback string
	}{
		{"winner", "Asker", "winner", "Vinneren er helhetlig.", "Vinnaren er heilskapleg.", "The winner is holistic.", "Til vinneren."},
		{"finalist", "Asker", "finalist", "Finalisten er lovende.", "", "", "Til finalisten."},
		{"honour", "Asker", "honourable_mention", "Hederlig omtale for mot.", "", "", ""},
		{"none", "Asker", "", "", "", "", "Til den uten utfall."},
		{"traena", "Træna", "finalist", "", "", "", "Til Træna."},
	} {
		var id int64
		var public string
		if err := db.NewRaw(`
			WITH n AS (INSERT INTO nominations (cycle_id, title, status, submitted_at) VALUES (?, ?, 'submitted', now()) RETURNING id, public_id),
			o AS (INSERT INTO nomination_organisations (nomination_id, organisation_id)
				SELECT n.id, org.id FROM n, organisations org WHERE org.kind = 'municipality' AND org.name = ? AND org.valid_to IS NULL)
			SELECT id, public_id FROM n`, cycleID, "Utfall "+n.name, n.org).Scan(ctx, &id, &public); err != nil {
			t.Fatal(err)
		}
		noms[n.name] = public
		if n.outcome != "" {
			outcomeExec(t, db, `INSERT INTO decisions (nomination_id, cycle_id, outcome, statement_nb, statement_nn, statement_en) VALUES (?, ?, ?, ?, ?, ?)`,
				id, cycleID, n.outcome, n.nb, n.nn, n.en)
		}
		if n.feedback != "" {
			outcomeExec(t, db, `INSERT INTO feedback (nomination_id, body) VALUES (?, ?)`, id, n.feedback)
		}
	}
	// Both announcements are scheduled an hour ahead; each stage moves one
	// to now, as its instant passing would.
	outcomeExec(t, db, `INSERT INTO announcements (cycle_id, kind, publish_at) VALUES (?, 'finalists', now() + '1 hour'), (?, 'winners', now() + '2 hours')`,
		cycleID, cycleID)
	clients := map[string]*http.Client{"asker": a.Login(t, "asker"), "admin": a.Login(t, "admin"), "traena": a.Login(t, "traena")}
	asker := []string{"winner", "finalist", "honour", "none"}

	nothing := "-||-"
	stages := []struct {
		name    string
		publish string // the announcement whose instant has passed
		want    map[string]string
	}{
		{"before the finalists", "", map[string]string{"winner": nothing, "finalist": nothing, "honour": nothing, "none": nothing, "traena": nothing}},
		{"after the finalists", "finalists", map[string]string{"winner": "finalist||-", "finalist": "finalist||-", "honour": nothing, "none": nothing,
			"traena": "finalist||-"}},
		{"after the winners", "winners", map[string]string{
			"winner":   "winner|nb:Vinneren er helhetlig.,nn:Vinnaren er heilskapleg.,en:The winner is holistic.|Til vinneren.",
			"finalist": "finalist|nb:Finalisten er lovende.|Til finalisten.",
			"honour":   "honourable_mention|nb:Hederlig omtale for mot.|-",
			"none":     "none||Til den uten utfall.",
			"traena":   "finalist||Til Træna."}},
	}
	for _, st := range stages {
		if st.publish != "" {
			outcomeExec(t, db, `UPDATE announcements SET publish_at = now() WHERE cycle_id = ? AND kind = ?`, cycleID, st.publish)
		}
		for _, who := range []string{"asker", "admin"} {
			raw := map[string]string{}
			for _, name := range asker {
				status, body := a.Do(t, clients[who], http.MethodGet, "/api/v1/nominations/"+noms[name], "")
				if status != http.StatusOK {
					t.Fatalf("%s: %s reading %s: %d %s", st.name, who, name, status, body)
				}
				var v outcomeView
				if err := json.Unmarshal([]byte(body), &v); err != nil {
					t.Fatal(err)
				}
				if v.Status != "submitted" || v.String() != st.want[name] {
					t.Errorf("%s: %s reads %s as %s %q, want submitted %q", st.name, who, name, v.Status, v, st.want[name])
				}
				raw[name] = body
				// The nomination's page says as much, by the same rule.
				status, page := a.Do(t, clients[who], http.MethodGet, "/nominasjoner/"+noms[name], "")
				shown := v.Outcome != nil && *v.Outcome != "none"
				if status != http.StatusOK || strings.Contains(page, `id="result-h"`) != shown || strings.Contains(page, `id="feedback-h"`) != (v.Feedback != nil) {
					t.Errorf("%s: %s's page of %s (%d) shows the outcome %v and the feedback %v; the API says %q",
						st.name, who, name, status, strings.Contains(page, `id="result-h"`), strings.Contains(page, `id="feedback-h"`), v)
				}
			}
			// Nothing known, nothing written: not even an empty field that
			// a winner's answer would have and another's not.
			for name, body := range raw {
				if st.want[name] == nothing && (strings.Contains(body, `"outcome"`) || strings.Contains(body, `"statement"`) || strings.Contains(body, `"feedback"`)) {
					t.Errorf("%s: %s's answer about %s names an outcome field: %s", st.name, who, name, body)
				}
			}
			if st.publish == "" && !sameKeys(t, raw["winner"], raw["none"]) {
				t.Errorf("%s: the winner's answer and the other's differ in shape:\n%s\n%s", st.name, raw["winner"], raw["none"])
			}

			// The cycle's list says the same of each.
			status, body := a.Do(t, clients[who], http.MethodGet, "/api/v1/cycles/"+cycle+"/nominations", "")
			if status != http.StatusOK {
				t.Fatalf("%s: %s's list: %d %s", st.name, who, status, body)
			}
			var list struct {
				Items []struct {
					ID string `json:"id"`
					outcomeView
				} `json:"items"`
			}
			if err := json.Unmarshal([]byte(body), &list); err != nil {
				t.Fatal(err)
			}
			got, want := map[string]string{}, map[string]string{}
			for _, it := range list.Items {
				for name, id := range noms {
					if id == it.ID {
						got[name] = it.Status + " " + it.outcomeView.String()
					}
				}
			}
			for name, w := range st.want {
				if name != "traena" || who == "admin" {
					want[name] = "submitted " + w
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s: %s's list (-want +got):\n%s", st.name, who, diff)
			}
		}
		// Another municipality does not learn that Asker's nominations exist.
		for _, name := range asker {
			if status, body := a.Do(t, clients["traena"], http.MethodGet, "/api/v1/nominations/"+noms[name], ""); status != http.StatusNotFound ||
				strings.Contains(body, "Utfall") {
				t.Errorf("%s: Træna reading Asker's %s: %d %s", st.name, name, status, body)
			}
		}
	}
}

func outcomeExec(t *testing.T, db *postgres.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.ExecContext(context.Background(), q, args...); err != nil {
		t.Fatalf("%v: %s", err, q)
	}
}

// sameKeys reports whether two JSON objects have the same keys.
func sameKeys(t *testing.T, a, b string) bool {
	t.Helper()
	keys := func(s string) []string {
		var m map[string]json.RawMessage
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			t.Fatal(err)
		}
		var out []string
		for k := range m {
			out = append(out, k)
		}
		slices.Sort(out)
		return out
	}
	return slices.Equal(keys(a), keys(b))
}
