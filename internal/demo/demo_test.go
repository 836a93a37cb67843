package demo_test

import (
	"context"
	"io/fs"
	"strconv"
	"strings"
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
	if err := db.NewRaw(`SELECT count(*) FROM jurors j JOIN users u ON u.id = j.user_id WHERE j.chair AND u.issuer = 'http://127.0.0.1:18081'`).Scan(ctx, &chairs); err != nil || chairs != 1 {
		t.Errorf("%d chairs from the new issuer, %v", chairs, err)
	}
	// 13 past nominations, Kommuneinkubatoren's four participations and
	// Asker's draft in the open cycle.
	if first["nominations"] != 18 || first["criteria"] != 18 || first["project_results"] != 6 {
		t.Errorf("counts %v: want the past years' nominations, the programme's cohort, Asker's draft and six criteria in each of three cycles", first)
	}

	admin := demoActor(t, db, "admin")
	s := nominations.NewService(db)
	var cycles []struct {
		Year        int        `bun:"year"`
		PublicID    string     `bun:"public_id"`
		Phase       string     `bun:"phase"`
		PublishAll  bool       `bun:"publish_all"`
		Opens       time.Time  `bun:"call_opens_at"`
		Deadline    time.Time  `bun:"nomination_deadline"`
		Announce    time.Time  `bun:"announcement_at"`
		AwardSlug   string     `bun:"slug"`
		Description string     `bun:"description_nn"`
		Scoring     *time.Time `bun:"scoring_deadline"`
	}
	if err := db.NewRaw(`SELECT c.year, c.public_id, c.phase, c.publish_all, c.call_opens_at, c.nomination_deadline, c.scoring_deadline,
			c.announcement_at, a.slug, a.description_nn
		FROM cycles c JOIN awards a ON a.id = c.award_id WHERE a.kind = 'prize' ORDER BY c.year`).Scan(ctx, &cycles); err != nil {
		t.Fatal(err)
	}
	if len(cycles) != 3 || cycles[0].Year != 2017 || cycles[1].Year != 2018 || cycles[2].Year != now.Year() {
		t.Fatalf("cycles %+v, want 2017, 2018 and this year's", cycles)
	}
	oslo := func(c time.Time) string { return c.In(i18n.Oslo()).Format("2006-01-02 15:04") }
	// The call text says every application is published: the rules the
	// nomination pages show ("Dette blir offentlig") must say the same.
	if !cycles[2].PublishAll {
		t.Error("this year's call publishes only winners and finalists, while its call text says all applications are published")
	}
	for _, c := range cycles {
		if c.AwardSlug != "kommunal-innovasjonspris" || c.Description == "" {
			t.Errorf("%d: award %q, nynorsk description %q", c.Year, c.AwardSlug, c.Description)
		}
	}
	for _, c := range cycles[:2] {
		if c.Phase != "published" || !c.PublishAll || oslo(c.Deadline) != time.Date(c.Year, 3, 1, 0, 0, 0, 0, time.UTC).Format("2006-01-02")+" 23:59" ||
			c.Opens.Month() != time.January || c.Announce.Month() != time.June {
			t.Errorf("%d: %s publish_all %v, call %s, deadline %s, announced %s", c.Year, c.Phase, c.PublishAll, oslo(c.Opens), oslo(c.Deadline), oslo(c.Announce))
		}
	}
	if got := oslo(cycles[0].Announce); got != "2017-06-15 12:00" {
		t.Errorf("2017 announced %s, want at Arendalskonferansen on 2017-06-15", got)
	}

	// The criteria: the five questions and the overall lens, scored 1–5.
	var crit []struct {
		Name string  `bun:"name_nb"`
		NN   string  `bun:"name_nn"`
		Min  float64 `bun:"scale_min"`
		Max  float64 `bun:"scale_max"`
	}
	if err := db.NewRaw(`SELECT name_nb, name_nn, scale_min::float8, scale_max::float8 FROM criteria
		WHERE cycle_id = (SELECT id FROM cycles WHERE public_id = ?) ORDER BY position`, cycles[0].PublicID).Scan(ctx, &crit); err != nil {
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

	// 2017: Asker won with three projects; Horten and Oppegård were the
	// other finalists, under their names of the time.
	// The decisions say who won: the nominations themselves stay submitted.
	winners := func(cycle, outcome string) []nominations.ListItem {
		t.Helper()
		items, _, err := s.AdminList(ctx, admin, cycle, nominations.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		var out []nominations.ListItem
		for _, it := range items {
			var decided string
			err := db.NewRaw(`SELECT coalesce((SELECT d.outcome FROM decisions d JOIN nominations n ON n.id = d.nomination_id
				WHERE n.public_id = ?), '')`, it.PublicID).Scan(ctx, &decided)
			if err != nil {
				t.Fatal(err)
			}
			if decided != "" && it.Status != awards.StatusSubmitted {
				t.Errorf("%s is %s with a decision (%s), want submitted", it.Title, it.Status, decided)
			}
			if decided == outcome {
				out = append(out, it)
			}
		}
		return out
	}
	w := winners(cycles[0].PublicID, "winner")
	if len(w) != 1 || len(w[0].Nominees) != 1 || w[0].Nominees[0].Name != "Asker" || !w[0].Nominees[0].Former || w[0].Projects != 3 {
		t.Fatalf("2017 winner %+v", w)
	}
	v, err := s.Get(ctx, admin, w[0].PublicID)
	if err != nil {
		t.Fatal(err)
	}
	measures := map[string]string{}
	for _, p := range v.Projects {
		var m []string
		for _, x := range p.Measures {
			m = append(m, x.Label+" "+strconv.FormatFloat(x.Value, 'f', -1, 64))
		}
		measures[p.Title] = strings.Join(m, ", ")
	}
	if diff := cmp.Diff(map[string]string{
		"Holmen svømmehall":        "",
		"Asker velferdslab":        "familier i piloten 15",
		"Løsningsjakten på Borgen": "møtepunkter 50, deltakere 783, innspill 458",
	}, measures); diff != "" {
		t.Errorf("Asker's projects and measures (-want +got):\n%s", diff)
	}
	if v.Nominees[0].ID != w[0].Nominees[0].ID {
		t.Errorf("nominee %+v", v.Nominees)
	}
	asker, err := orgs.NewService(db).Get(ctx, v.Nominees[0].ID)
	if err != nil || asker.Number != "0220" || asker.ValidTo == nil || asker.SuccessorName != "Asker" {
		t.Errorf("Asker of 2017: %+v %v", asker, err)
	}
	var finalists []string
	for _, f := range winners(cycles[0].PublicID, "finalist") {
		finalists = append(finalists, f.Nominees[0].Name)
		if f.Nominees[0].Name == "Oppegård" {
			o, err := orgs.NewService(db).Get(ctx, f.Nominees[0].ID)
			if err != nil || o.Number != "0217" || o.ValidTo == nil || o.ValidTo.Format(time.DateOnly) != "2020-01-01" || o.SuccessorName != "Nordre Follo" {
				t.Errorf("Oppegård: %+v %v, want the former municipality 0217 with Nordre Follo as successor", o, err)
			}
		}
	}
	if diff := cmp.Diff([]string{"Horten", "Oppegård"}, finalists); diff != "" {
		t.Errorf("2017 finalists (-want +got):\n%s", diff)
	}
	if hits, _, err := s.AdminList(ctx, admin, cycles[0].PublicID, nominations.Filter{Query: "svømmehallen"}); err != nil ||
		len(hits) != 1 || hits[0].PublicID != w[0].PublicID {
		t.Errorf("search for svømmehallen in 2017: %+v %v", hits, err)
	}

	// 2018: Træna won; Sola and Sarpsborg were finalists.
	w = winners(cycles[1].PublicID, "winner")
	if len(w) != 1 || w[0].Nominees[0].Name != "Træna" || w[0].Nominees[0].Former || w[0].Title != "Tenk Træna" {
		t.Errorf("2018 winner %+v", w)
	}
	finalists = nil
	for _, f := range winners(cycles[1].PublicID, "finalist") {
		finalists = append(finalists, f.Nominees[0].Name)
	}
	if diff := cmp.Diff([]string{"Sarpsborg", "Sola"}, finalists); diff != "" {
		t.Errorf("2018 finalists (-want +got):\n%s", diff)
	}
	e, err := s.Export(ctx, admin, cycles[1].PublicID, nominations.Filter{Query: "bostedsløse"})
	if err != nil || len(e.Rows) != 2 || e.Rows[1].Measures != "bostedsløse i 2013: 186; bostedsløse i 2018: 0" {
		t.Errorf("Sarpsborg's rows %+v %v", e.Rows, err)
	}
	// Other applicants in every status, for the list's filters.
	for _, c := range cycles[:2] {
		ov, err := s.AdminOverview(ctx, admin, c.PublicID)
		if err != nil || ov.Counts[awards.StatusSubmitted] < 2 || len(ov.Counties) < 3 {
			t.Errorf("%d: counts %v, counties %d, %v", c.Year, ov.Counts, len(ov.Counties), err)
		}
	}

	// This year's call is open, with criteria and a deadline a few weeks
	// ahead of the second load, for both demo submitters.
	cur := cycles[2]
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
