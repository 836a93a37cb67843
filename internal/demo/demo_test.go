package demo_test

import (
	"context"
	"io/fs"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/demo"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/nominations"
	"github.com/heder-awards/heder/internal/orgs"
	"github.com/heder-awards/heder/internal/pgtest"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/heder-awards/heder/internal/users"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

const issuer = "http://127.0.0.1:8081"

// counts are the sizes of the tables the demo writes, to see that loading
// it again adds nothing.
func counts(t *testing.T, db *postgres.DB) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"awards", "cycles", "criteria", "nominations", "nomination_organisations", "projects",
		"nomination_projects", "project_results", "users", "memberships", "jurors", "organisations"} {
		var n int
		if err := db.NewRaw(`SELECT count(*) FROM `+table).Scan(context.Background(), &n); err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

// demoActor is a demo user as the services see them.
func demoActor(t *testing.T, db *postgres.DB, username string) *awards.Actor {
	t.Helper()
	var id int64
	if err := db.NewRaw(`SELECT id FROM users WHERE issuer = ? AND subject = ?`, issuer, username).Scan(context.Background(), &id); err != nil {
		t.Fatalf("demo user %s: %v", username, err)
	}
	a, err := users.NewService(db).Actor(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestLoad(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	data, _ := fs.Sub(orgs.Data, "data")
	if _, err := orgs.ImportKommuner(ctx, db, data); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if err := demo.Load(ctx, db, issuer, now); err != nil {
		t.Fatal(err)
	}
	first := counts(t, db)
	// `make dev` again on the same database, a week later.
	if err := demo.Load(ctx, db, issuer, now.Add(7*24*time.Hour)); err != nil {
		t.Fatalf("second load: %v", err)
	}
	if diff := cmp.Diff(first, counts(t, db)); diff != "" {
		t.Errorf("the second load changed the counts (-first +second):\n%s", diff)
	}
	// And with the identity provider on another port: other users, who
	// take over the demo roles.
	if err := demo.Load(ctx, db, "http://127.0.0.1:18081", now); err != nil {
		t.Fatalf("load for another issuer: %v", err)
	}
	var chairs int
	// One chair in each of the two cycles with a jury, from the new issuer.
	if err := db.NewRaw(`SELECT count(*) FROM jurors j JOIN users u ON u.id = j.user_id WHERE j.chair AND u.issuer = 'http://127.0.0.1:18081'`).Scan(ctx, &chairs); err != nil || chairs != 2 {
		t.Errorf("%d chairs from the new issuer, %v", chairs, err)
	}
	// The real history's 17 winners and finalists, Kommuneinkubatoren's
	// four participations, Asker's draft in the open cycle and the demo
	// prize's four in judging and three decided; six criteria in each of
	// the three cycles that are not history, and one more in the judging
	// cycle's second round; three jurors in two cycles.
	if first["nominations"] != 29 || first["criteria"] != 19 || first["project_results"] != 0 || first["jurors"] != 6 {
		t.Errorf("counts %v: want the history's nominees, the programme's cohort, Asker's draft and the demo prize's", first)
	}

	admin := demoActor(t, db, "admin")
	s := nominations.NewService(db)
	var cycles []struct {
		Year        int        `bun:"year"`
		PublicID    string     `bun:"public_id"`
		Phase       string     `bun:"phase"`
		PublishAll  bool       `bun:"publish_all"`
		Opens       *time.Time `bun:"call_opens_at"`
		Deadline    *time.Time `bun:"nomination_deadline"`
		Announce    *time.Time `bun:"announcement_at"`
		AwardSlug   string     `bun:"slug"`
		Description string     `bun:"description_nn"`
		Scoring     *time.Time `bun:"scoring_deadline"`
	}
	if err := db.NewRaw(`SELECT c.year, c.public_id, c.phase, c.publish_all, c.call_opens_at, c.nomination_deadline, c.scoring_deadline,
			c.announcement_at, a.slug, a.description_nn
		FROM cycles c JOIN awards a ON a.id = c.award_id WHERE a.slug = 'kommunal-innovasjonspris' ORDER BY c.year`).Scan(ctx, &cycles); err != nil {
		t.Fatal(err)
	}
	var years []int
	for _, c := range cycles {
		years = append(years, c.Year)
		if c.AwardSlug != "kommunal-innovasjonspris" {
			t.Errorf("%d: award %q", c.Year, c.AwardSlug)
		}
	}
	if diff := cmp.Diff([]int{2014, 2015, 2016, 2017, 2018, 2019, 2020, now.Year()}, years); diff != "" {
		t.Fatalf("years (-want +got):\n%s", diff)
	}
	// Nothing made up under a real name: every nomination and project of
	// a past year is the history's, with its sources.
	var invented []string
	if err := db.NewRaw(`SELECT n.title || ' (' || c.year || ')' FROM nominations n JOIN cycles c ON c.id = n.cycle_id
		JOIN awards a ON a.id = c.award_id
		WHERE a.slug = 'kommunal-innovasjonspris' AND c.year < ? AND (cardinality(n.sources) = 0
			OR EXISTS (SELECT 1 FROM nomination_projects np JOIN projects p ON p.id = np.project_id
				WHERE np.nomination_id = n.id AND cardinality(p.sources) = 0))`, now.Year()).Scan(ctx, &invented); err != nil {
		t.Fatal(err)
	}
	if len(invented) > 0 {
		t.Errorf("past nominations without sources: %v", invented)
	}
	cur := cycles[len(cycles)-1]
	// The call text says every submitted nomination is published: the
	// rules the nomination pages show ("Dette blir offentlig") must say the same.
	if !cur.PublishAll || cur.Description == "" {
		t.Errorf("this year's call: publish_all %v, nynorsk description %q", cur.PublishAll, cur.Description)
	}
	// The demo's own texts (not the history's quotes) call each thing by
	// the glossary's word.
	var texts []struct {
		Where string `bun:"w"`
		NB    string `bun:"nb"`
		NN    string `bun:"nn"`
		EN    string `bun:"en"`
	}
	if err := db.NewRaw(`
		SELECT a.slug || ' ' || c.year AS w, c.call_text || ' ' || c.description AS nb,
			c.call_text_nn || ' ' || c.description_nn AS nn, c.call_text_en || ' ' || c.description_en AS en
		FROM cycles c JOIN awards a ON a.id = c.award_id
		WHERE a.slug = ? OR (a.slug = 'kommunal-innovasjonspris' AND c.year = ?)
		UNION ALL SELECT slug, description, description_nn, description_en FROM awards WHERE slug IN (?, 'kommunal-innovasjonspris')`,
		demo.DemoPrizeSlug, now.Year(), demo.DemoPrizeSlug).Scan(ctx, &texts); err != nil || len(texts) != 5 {
		t.Fatalf("the demo's texts: %d, %v", len(texts), err)
	}
	for _, x := range texts {
		for lang, text := range map[string]string{"nb": x.NB, "nn": x.NN, "en": x.EN} {
			if words := i18n.RuledOut(lang, text); len(words) > 0 {
				t.Errorf("%s (%s): %v", x.Where, lang, words)
			}
		}
	}

	// The criteria: the five questions and the overall lens, scored 1–5.
	var crit []struct {
		Name string  `bun:"name_nb"`
		NN   string  `bun:"name_nn"`
		Min  float64 `bun:"scale_min"`
		Max  float64 `bun:"scale_max"`
	}
	if err := db.NewRaw(`SELECT name_nb, name_nn, scale_min::float8, scale_max::float8 FROM criteria
		WHERE cycle_id = (SELECT id FROM cycles WHERE public_id = ?) ORDER BY position`, cur.PublicID).Scan(ctx, &crit); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range crit {
		names = append(names, c.Name)
		if c.Min != 1 || c.Max != 5 || c.NN == "" {
			t.Errorf("criterion %+v: want scale 1–5 and a nynorsk name", c)
		}
	}
	if diff := cmp.Diff([]string{"Helhetlig og systematisk innovasjonsarbeid", "Nytt", "Tatt i bruk", "Skapt verdi",
		"Endret arbeidsmåter", "Overføringsverdi"}, names); diff != "" {
		t.Errorf("criteria (-want +got):\n%s", diff)
	}

	// 2017 in the admin's list: Asker, as it was then, won with three
	// projects; the decision says so, the nomination stays submitted.
	items, _, err := s.AdminList(ctx, admin, cycles[3].PublicID, nominations.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, it := range items {
		listed = append(listed, it.Nominees[0].Name+" "+strconv.Itoa(it.Projects)+" "+string(it.Status))
	}
	if diff := cmp.Diff([]string{"Asker 3 submitted", "Horten 0 submitted", "Oppegård 0 submitted"}, listed); diff != "" {
		t.Errorf("2017 in the admin's list (-want +got):\n%s", diff)
	}
	asker, err := orgs.NewService(db).Get(ctx, items[0].Nominees[0].ID)
	if err != nil || asker.Number != "0220" || asker.ValidTo == nil || asker.SuccessorName != "Asker" {
		t.Errorf("Asker of 2017: %+v %v", asker, err)
	}

	// This year's call is open, with criteria and a deadline a few weeks
	// ahead of the second load, for both demo submitters.
	if cur.Phase != "open" || !cur.Opens.Before(now) || cur.Deadline.Before(now.Add(21*24*time.Hour)) || cur.Scoring == nil ||
		!cur.Announce.After(*cur.Scoring) {
		t.Errorf("current cycle %+v", cur)
	}
	for _, u := range []struct{ user, org string }{{"asker", "Asker"}, {"traena", "Træna"}} {
		st, err := s.StartOptions(ctx, demoActor(t, db, u.user), cur.PublicID)
		if err != nil || !st.Open || len(st.Orgs) != 1 || st.Orgs[0].Name != u.org {
			t.Errorf("%s may nominate %+v (open %v): %v", u.user, st.Orgs, st.Open, err)
			continue
		}
		if u.user == "asker" {
			// Asker has its draft already (TestLoadProgramme), and one
			// nomination per municipality.
			continue
		}
		if _, err := s.Create(ctx, demoActor(t, db, u.user), cur.PublicID, 0, nominations.Fields{}); err != nil {
			t.Errorf("%s cannot start a nomination: %v", u.user, err)
		}
	}
}
