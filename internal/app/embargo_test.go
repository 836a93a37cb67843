package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/api"
	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/notify"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/heder-awards/heder/internal/server"
	"github.com/heder-awards/heder/internal/ui"
)

// What the embargo test's cycle makes public, and when: the finalists'
// announcement (T1) shows the finalists (with the winner-to-be among them
// as a finalist, if the views say so: winnerAmongFinalists); the winners'
// (T2) the winner as winner, the honourable mention, the jury's statements
// (the finalists' too) and, since the cycle publishes every application,
// the other applicant. Drafts and withdrawn nominations never show.
const (
	classFinalists  = "finalists"
	classWinner     = "winner"
	classHonour     = "honourable mention"
	classOther      = "other applicant"
	classStatements = "statements"
	classNever      = "never public"
)

// winnerAmongFinalists is the embargo views' rule for a decided winner at
// the finalists' announcement: false while published_outcomes keeps it out
// of sight until the winners' instant; true if it shows the winner-to-be
// as one of the finalists. The sweep's expectations follow it.
const winnerAmongFinalists = true

// atT1 is what T1 makes public of the winner's side: nothing, or the
// winner as a finalist.
func atT1(classes ...string) []string {
	if winnerAmongFinalists {
		classes = append(classes, classWinner)
		sort.Strings(classes)
	}
	if len(classes) == 0 {
		return nil
	}
	return classes
}

// embargoNom is a nomination of the embargo cycle. Every text carries
// tokens that occur nowhere else, so that a page shows the nomination
// exactly when it holds one of them.
type embargoNom struct {
	class, number, name, status, outcome string
	title, summary, statement, project   string
}

var embargoNoms = []embargoNom{
	{class: classWinner, number: "1151", name: "Utsira", outcome: "winner", title: "zqwinnertitle Øya som fornyer seg",
		summary: "zqwinnersummary Et lite øysamfunn.", statement: "zqwinnerstatement Juryen er imponert.", project: "zqwinnerproject Ny ferge"},
	{class: classFinalists, number: "1856", name: "Røst", outcome: "finalist", title: "zqfinalistone Røst på tvers",
		summary: "zqfinalistonesummary Samarbeid.", statement: "zqfinaliststatement Lovende arbeid.", project: "zqfinalistoneproject Tørrfisk"},
	{class: classFinalists, number: "1144", name: "Kvitsøy", outcome: "finalist", title: "zqfinalisttwo Kvitsøy digital",
		summary: "zqfinalisttwosummary Digitale tjenester.", project: "zqfinalisttwoproject Fiber"},
	{class: classHonour, number: "4633", name: "Fedje", outcome: "honourable_mention", title: "zqhonourtitle Fedje for alle",
		summary: "zqhonoursummary Inkludering.", statement: "zqhonourstatement Et godt eksempel."},
	{class: classOther, number: "1145", name: "Bokn", title: "zqothertitle Bokn bygger", summary: "zqothersummary Nye boliger.",
		project: "zqotherproject Boligløftet"},
	{class: classNever, number: "4629", name: "Modalen", status: "draft", title: "zqdrafttitle Utkast", summary: "zqdraftsummary Ikke sendt.",
		project: "zqdraftproject Skisse"},
	{class: classNever, number: "5616", name: "Hasvik", status: "withdrawn", title: "zqwithdrawntitle Trukket", summary: "zqwithdrawnsummary Trukket.",
		project: "zqwithdrawnproject Avlyst"},
}

// embargoFixture is the embargo cycle as made: IDs for paths, markers by
// class.
type embargoFixture struct {
	cyclePublicID string
	t1, t2        time.Time
	orgs          map[string]int64  // by name
	projects      map[string]string // public ID by class of its nomination (one each)
	allProjects   []string
	picture       publicFile
	markers       map[string][]string
}

func makeEmbargo(t *testing.T, a *apptest.App, db *postgres.DB, asker *http.Client, t1, t2 time.Duration) embargoFixture {
	t.Helper()
	ctx := context.Background()
	f := embargoFixture{orgs: map[string]int64{}, projects: map[string]string{}, markers: map[string][]string{}}
	var award, cycle int64
	if err := db.NewRaw(`INSERT INTO awards (slug, name_nb, name_nn, name_en, description, description_nn, description_en)
		VALUES ('embargo-pris', 'Embargoprisen', 'Embargoprisen', 'The Embargo Award', 'En pris for å prøve embargoen.',
			'Ein pris for å prøve embargoen.', 'An award to try the embargo.') RETURNING id`).Scan(ctx, &award); err != nil {
		t.Fatal(err)
	}
	if err := db.NewRaw(`INSERT INTO cycles (award_id, year, title, phase, publish_all, description, call_text)
		VALUES (?, 2031, 'Embargoprisen 2031', 'decided', true, 'Året da alt skjer på et klokkeslett.', 'Søk innen fristen.')
		RETURNING id, public_id`, award).Scan(ctx, &cycle, &f.cyclePublicID); err != nil {
		t.Fatal(err)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%v: %s", err, q)
		}
	}
	exec(`INSERT INTO criteria (cycle_id, name_nb, name_nn, name_en) VALUES (?, 'Nytt', 'Nytt', 'New')`, cycle)
	var winner int64
	for _, n := range embargoNoms {
		var org, id int64
		if err := db.NewRaw(`SELECT id FROM organisations WHERE kind = 'municipality' AND number = ? AND valid_to IS NULL`, n.number).Scan(ctx, &org); err != nil {
			t.Fatalf("municipality %s: %v", n.number, err)
		}
		f.orgs[n.name] = org
		status := n.status
		if status == "" {
			status = "submitted"
		}
		if err := db.NewRaw(`INSERT INTO nominations (cycle_id, title, summary, challenge, status, submitted_at)
			VALUES (?, ?, ?, 'renewal', ?, now()) RETURNING id`, cycle, n.title, n.summary, status).Scan(ctx, &id); err != nil {
			t.Fatal(err)
		}
		if n.class == classWinner {
			winner = id
		}
		exec(`INSERT INTO nomination_organisations (nomination_id, organisation_id) VALUES (?, ?)`, id, org)
		if n.project != "" {
			var pid string
			if err := db.NewRaw(`WITH p AS (INSERT INTO projects (organisation_id, title, description, results) VALUES (?, ?, ?, ?) RETURNING id, public_id),
				np AS (INSERT INTO nomination_projects (nomination_id, project_id) SELECT ?, id FROM p) SELECT public_id FROM p`,
				org, n.project, "Beskrivelse av "+strings.Fields(n.project)[0], strings.Fields(n.project)[0]+"results: 12 deltakere", id).Scan(ctx, &pid); err != nil {
				t.Fatal(err)
			}
			f.projects[n.class] = pid
			f.allProjects = append(f.allProjects, pid)
			exec(`INSERT INTO project_results (project_id, label, value) SELECT id, 'deltakere', 12 FROM projects WHERE public_id = ?`, pid)
			f.markers[n.class] = append(f.markers[n.class], "/prosjekter/"+pid)
		}
		if n.outcome != "" {
			exec(`INSERT INTO decisions (nomination_id, cycle_id, outcome, statement_nb, statement_nn, statement_en) VALUES (?, ?, ?, ?, ?, ?)`,
				id, cycle, n.outcome, n.statement, n.statement, n.statement)
		}
		for _, text := range []string{n.title, n.summary, n.project} {
			if text != "" {
				f.markers[n.class] = append(f.markers[n.class], strings.Fields(text)[0])
			}
		}
		if n.statement != "" {
			f.markers[classStatements] = append(f.markers[classStatements], strings.Fields(n.statement)[0])
		}
		f.markers[n.class] = append(f.markers[n.class], n.name, fmt.Sprintf("/kommuner/%d", org))
	}
	// A picture on the winner's side, uploaded as a submitter would before
	// the project joined the nomination.
	f.picture = publishPicture(t, a, db, asker, winner)
	if _, err := db.ExecContext(ctx, `UPDATE projects SET title = 'zqwinnerpicture Verkstedet' WHERE public_id = ?`, f.picture.project); err != nil {
		t.Fatal(err)
	}
	f.allProjects = append(f.allProjects, f.picture.project)
	f.markers[classWinner] = append(f.markers[classWinner], "zqwinnerpicture", f.picture.id)
	// The announcements, at instants by the database clock.
	if err := db.NewRaw(`WITH a AS (INSERT INTO announcements (cycle_id, kind, publish_at) VALUES
			(?, 'finalists', now() + ?::interval), (?, 'winners', now() + ?::interval) RETURNING kind, publish_at)
		SELECT (SELECT publish_at FROM a WHERE kind = 'finalists'), (SELECT publish_at FROM a WHERE kind = 'winners')`,
		cycle, t1.String(), cycle, t2.String()).Scan(ctx, &f.t1, &f.t2); err != nil {
		t.Fatal(err)
	}
	return f
}

// Outcome words: what shows that a nomination has an outcome, in pages,
// feeds and the API. Only checked on the embargo award's own routes, as
// the demo's published years have them everywhere else.
var (
	finalistWords = []string{">Finalist</span>", `id="finalists-h"`, `"outcome":"finalist"`, `#finalists</id>`,
		"<dt>Finalister</dt>", "<dt>Finalistar</dt>", "<dt>Finalists</dt>", "– Finalist"}
	winnerWords = []string{">Vinner</span>", ">Vinnar</span>", ">Winner</span>", ">Hederlig omtale</span>", ">Heiderleg omtale</span>",
		">Honourable mention</span>", `id="winners-h"`, `id="honourable-h"`, `"outcome":"winner"`, `"outcome":"honourable_mention"`,
		`#winners</id>`, "<dt>Vinner</dt>", "<dt>Vinnar</dt>", "<dt>Winner</dt>", "Juryens begrunnelse", "Grunngjevinga til juryen",
		"The jury&#39;s statement", "– Vinner", "– Vinnar", "– Winner"}
)

// sweepReq is one request of the sweep.
type sweepReq struct {
	pattern, path string
	// names: the nominees' names and pages are markers here (not on an
	// organisation's own page or in the register of organisations).
	names bool
	// outcomes: outcome words are checked (the embargo award's own routes).
	outcomes bool
	// stateless: an archive route, answered the same to everyone and
	// cached, with an ETag.
	stateless bool
	// part picks what to look at (search results, not the echoed query).
	part func(string) string
}

// seen is what one request showed at one stage.
type seen struct {
	status  int
	etag    string
	body    string
	classes []string
	words   []string
}

// sweepRoutes turns every public GET route into requests against the
// embargo fixture. A public route it does not know fails the test, so that
// no new public route escapes the sweep.
func sweepRoutes(t *testing.T, f embargoFixture) ([]sweepReq, []string) {
	t.Helper()
	results := func(body string) string { return section(body, `id="results-h"`) }
	items := func(body string) string {
		if i := strings.Index(body, `"items":`); i >= 0 {
			return body[i:]
		}
		return body
	}
	langs := func(path string, r sweepReq) []sweepReq {
		var out []sweepReq
		for _, l := range []string{"", "nn", "en"} {
			r.path = path
			if l != "" {
				r.path = path + map[bool]string{true: "&", false: "?"}[strings.Contains(path, "?")] + "lang=" + l
			}
			out = append(out, r)
		}
		return out
	}
	var searches []string
	for _, class := range []string{classWinner, classFinalists, classHonour, classOther, classNever} {
		for _, n := range embargoNoms {
			if n.class == class {
				searches = append(searches, strings.Fields(n.title)[0], n.name)
			}
		}
	}
	var reqs []sweepReq
	var patterns []string
	for _, rt := range server.Routes(&ui.Handler{DevMail: &notify.Catcher{}}, &api.Handler{}) {
		if rt.Gate != policy.Public || rt.Method != http.MethodGet {
			continue
		}
		patterns = append(patterns, rt.Pattern)
		r := sweepReq{pattern: rt.Pattern, names: true, stateless: rt.Stateless}
		add := func(rs ...sweepReq) { reqs = append(reqs, rs...) }
		switch rt.Pattern {
		case "/", "/om", "/personvern", "/priser", "/priser/feed.atom", "/sitemap.xml", "/robots.txt":
			add(langs(rt.Pattern, r)...)
		case "/lang/{code}":
			r.path = "/lang/nn?next=/priser"
			add(r)
		case "/auth/login", "/auth/callback":
			r.path = rt.Pattern + "?state=sveip&code=sveip"
			add(r)
		case "/jury/invitasjon/{token}", "/api/v1/invitations/{token}", "/avmelding/{token}":
			r.path = strings.Replace(rt.Pattern, "{token}", "sveip", 1)
			add(r)
		case "/priser/{slug}", "/priser/{slug}/feed.atom", "/priser/{slug}/{year}":
			r.outcomes = true
			path := strings.NewReplacer("{slug}", "embargo-pris", "{year}", "2031").Replace(rt.Pattern)
			add(langs(path, r)...)
		case "/prosjekter/{id}":
			r.outcomes = true
			for _, p := range f.allProjects {
				add(langs("/prosjekter/"+p, r)...)
			}
		case "/prosjekter/{id}/filer/{file}":
			r.path = "/prosjekter/" + f.picture.project + "/filer/" + f.picture.id
			add(r)
		case "/kommuner/{id}":
			r.names, r.outcomes = false, true
			for _, id := range f.orgs {
				r.path = fmt.Sprintf("/kommuner/%d", id)
				add(r)
			}
		case "/sok":
			r.part = results
			for _, q := range searches {
				add(langs("/sok?q="+url.QueryEscape(q), r)...)
			}
			r.path = "/sok?ar=2031"
			add(r)
			r.path = "/sok?fylke=11&ar=2031"
			add(r)
		case "/sitemap-{part}.xml":
			r.path = "/sitemap-1.xml"
			add(r)
		case "/api/v1/public/awards":
			r.path = "/api/v1/public/awards?per_page=100"
			add(r)
		case "/api/v1/public/awards/{slug}", "/api/v1/awards/{slug}", "/api/v1/awards/{slug}/cycles":
			r.outcomes = true
			r.path = strings.Replace(rt.Pattern, "{slug}", "embargo-pris", 1)
			add(r)
		case "/api/v1/public/awards/{slug}/{year}":
			r.outcomes = true
			r.path = "/api/v1/public/awards/embargo-pris/2031?per_page=100"
			add(r)
		case "/api/v1/public/projects/{id}":
			r.outcomes = true
			for _, p := range f.allProjects {
				r.path = "/api/v1/public/projects/" + p
				add(r)
			}
		case "/api/v1/public/organisations/{id}", "/api/v1/organisations/{id}":
			r.names, r.outcomes = false, true
			for _, id := range f.orgs {
				r.path = strings.Replace(rt.Pattern, "{id}", fmt.Sprint(id), 1)
				add(r)
			}
		case "/api/v1/public/search":
			r.part = items
			for _, q := range searches {
				r.path = "/api/v1/public/search?q=" + url.QueryEscape(q)
				add(r)
			}
			r.path = "/api/v1/public/search?year=2031&per_page=100"
			add(r)
		case "/api/v1/awards":
			add(langs(rt.Pattern, r)[0])
		case "/api/v1/organisations":
			// The register of organisations: names are facts, not results.
			r.names = false
			r.path = "/api/v1/organisations?q=Utsira"
			add(r)
		case "/api/v1/cycles/{cycle}", "/api/v1/cycles/{cycle}/criteria":
			r.outcomes = true
			r.path = strings.Replace(rt.Pattern, "{cycle}", f.cyclePublicID, 1)
			add(r)
		default:
			t.Errorf("public route %s is not in the embargo sweep: add what it should be called with", rt.Pattern)
		}
	}
	return reqs, patterns
}

// sweep calls every request twice (the second answer may come from the
// cache and must be the same) and records what each showed.
func sweep(t *testing.T, a *apptest.App, c *http.Client, f embargoFixture, reqs []sweepReq) []seen {
	t.Helper()
	out := make([]seen, len(reqs))
	for i, r := range reqs {
		resp, body := fetch(t, a, c, r.path)
		again, body2 := fetch(t, a, c, r.path)
		if r.stateless && (again.StatusCode != resp.StatusCode || body2 != body || again.Header.Get("ETag") != resp.Header.Get("ETag")) {
			t.Errorf("%s: asked twice, answered differently (%d, %d)", r.path, resp.StatusCode, again.StatusCode)
		}
		s := seen{status: resp.StatusCode, etag: resp.Header.Get("ETag"), body: body}
		look := body
		if r.part != nil {
			look = r.part(body)
		}
		// Pages name their own URL (canonical, the language switch): that
		// is what was asked for, not something shown.
		look = strings.NewReplacer(r.path, "", url.QueryEscape(r.path), "").Replace(look)
		for class, ms := range f.markers {
			for _, m := range ms {
				isName := !strings.HasPrefix(m, "zq") && !strings.HasPrefix(m, "/prosjekter/") && m != f.picture.id
				if isName && !r.names {
					continue
				}
				if strings.Contains(look, m) {
					s.classes = append(s.classes, class)
					break
				}
			}
		}
		sort.Strings(s.classes)
		if r.outcomes {
			for _, w := range append(slices.Clone(finalistWords), winnerWords...) {
				if strings.Contains(look, w) {
					s.words = append(s.words, w)
				}
			}
		}
		out[i] = s
	}
	return out
}

// dbNow reads the database's clock.
func dbNow(t *testing.T, db *postgres.DB) time.Time {
	t.Helper()
	var now time.Time
	if err := db.NewRaw(`SELECT now()`).Scan(context.Background(), &now); err != nil {
		t.Fatal(err)
	}
	return now
}

// waitUntil waits until the database's clock has passed at.
func waitUntil(t *testing.T, db *postgres.DB, at time.Time) {
	t.Helper()
	for {
		now := dbNow(t, db)
		if now.After(at) {
			return
		}
		time.Sleep(min(at.Sub(now)+time.Millisecond, 50*time.Millisecond))
	}
}

// TestEmbargoSweep is the embargo, end to end: a cycle whose finalists are
// announced at T1 and winners at T2, a few seconds ahead by the database
// clock. Before T1 every public route (every GET route with the public
// gate, enumerated from the router) and every public API endpoint is
// called — pages in three languages, feeds, sitemap, search for each
// nominee's name and each nomination's words, project, file and
// organisation pages — and nothing of the decision shows: no nomination,
// project, file, name in a result, statement or outcome. Then again just
// after T1 and just after T2: what changed is exactly what was scheduled,
// every changed answer has a new ETag, and no cached answer outlives its
// instant.
func TestEmbargoSweep(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	db := filesDB(t, a)
	asker := a.Login(t, "asker")
	// No cookie jar: the language switch's cookie must not follow the
	// sweep around.
	anon := &http.Client{Timeout: 20 * time.Second}
	// A sweep takes a second on two quiet cores and took 11 under a load
	// of 11: each stage has time for that, and more.
	f := makeEmbargo(t, a, db, asker, 20*time.Second, 36*time.Second)
	reqs, patterns := sweepRoutes(t, f)
	if t.Failed() {
		t.FailNow()
	}

	stages := []struct {
		name   string
		at     time.Time // the stage starts once the database clock passes this
		shown  []string  // the classes that must show, somewhere
		words  bool      // finalists' outcome words allowed
		winner bool      // winners' outcome words allowed
	}{
		{name: "before T1"},
		{name: "after T1 (finalists)", at: f.t1, shown: atT1(classFinalists), words: true},
		{name: "after T2 (winners)", at: f.t2, shown: []string{classFinalists, classHonour, classOther, classStatements, classWinner}, words: true, winner: true},
	}
	results := make([][]seen, len(stages))
	for i, st := range stages {
		if !st.at.IsZero() {
			waitUntil(t, db, st.at)
		}
		began := time.Now()
		results[i] = sweep(t, a, anon, f, reqs)
		took := time.Since(began)
		if i+1 < len(stages) && !dbNow(t, db).Before(stages[i+1].at) {
			t.Fatalf("%s: the sweep took %v and ran past the next instant; the test needs more time between them", st.name, took)
		}
		t.Logf("%s: %d requests (each twice) in %v", st.name, len(reqs), took.Round(time.Millisecond))

		union := map[string]bool{}
		for j, s := range results[i] {
			r := reqs[j]
			for _, c := range s.classes {
				union[c] = true
				if !slices.Contains(st.shown, c) {
					t.Errorf("%s: %s shows the %s (%d)", st.name, r.path, c, s.status)
				}
			}
			for _, w := range s.words {
				if slices.Contains(winnerWords, w) && !st.winner || slices.Contains(finalistWords, w) && !st.words {
					t.Errorf("%s: %s says %q", st.name, r.path, w)
				}
			}
			if s.status >= 500 {
				t.Errorf("%s: %s answered %d", st.name, r.path, s.status)
			}
			if i > 0 {
				prev := results[i-1][j]
				if r.stateless && s.status == http.StatusOK && prev.status == http.StatusOK && s.body != prev.body && s.etag == prev.etag {
					t.Errorf("%s: %s changed but kept its ETag %s", st.name, r.path, s.etag)
				}
			}
		}
		var got []string
		for c := range union {
			got = append(got, c)
		}
		sort.Strings(got)
		want := slices.Clone(st.shown)
		sort.Strings(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: the public can see %v, want exactly %v", st.name, got, want)
		}
	}

	// What each stage made public where, as a check of the main pages.
	find := func(path string) int { return slices.IndexFunc(reqs, func(r sweepReq) bool { return r.path == path }) }
	for _, tc := range []struct {
		path   string
		status [3]int
		shown  [3][]string
	}{
		{"/priser/embargo-pris/2031", [3]int{404, 200, 200}, [3][]string{nil, atT1(classFinalists), {classFinalists, classHonour, classOther, classStatements, classWinner}}},
		{"/priser/embargo-pris/2031?lang=en", [3]int{404, 200, 200}, [3][]string{nil, atT1(classFinalists), {classFinalists, classHonour, classOther, classStatements, classWinner}}},
		{"/prosjekter/" + f.projects[classWinner], [3]int{404, map[bool]int{true: 200, false: 404}[winnerAmongFinalists], 200}, [3][]string{nil, atT1(), {classWinner}}},
		{"/prosjekter/" + f.projects[classFinalists], [3]int{404, 200, 200}, [3][]string{nil, {classFinalists}, {classFinalists}}},
		{"/prosjekter/" + f.projects[classNever], [3]int{404, 404, 404}, [3][]string{nil, nil, nil}},
		{"/prosjekter/" + f.picture.project + "/filer/" + f.picture.id, [3]int{404, map[bool]int{true: 200, false: 404}[winnerAmongFinalists], 200}, [3][]string{nil, nil, nil}},
		{"/api/v1/public/awards/embargo-pris/2031?per_page=100", [3]int{404, 200, 200}, [3][]string{nil, atT1(classFinalists), {classFinalists, classHonour, classOther, classStatements, classWinner}}},
		{"/sok?q=Utsira", [3]int{200, 200, 200}, [3][]string{nil, atT1(), {classWinner}}},
		{"/sok?q=Fedje", [3]int{200, 200, 200}, [3][]string{nil, nil, {classHonour}}},
		{"/sitemap-1.xml", [3]int{200, 200, 200}, [3][]string{nil, atT1(classFinalists), {classFinalists, classHonour, classOther, classWinner}}},
		{"/priser/feed.atom", [3]int{200, 200, 200}, [3][]string{nil, atT1(classFinalists), {classFinalists, classHonour, classStatements, classWinner}}},
	} {
		i := find(tc.path)
		if i < 0 {
			t.Errorf("%s was not swept", tc.path)
			continue
		}
		for st := range stages {
			s := results[st][i]
			if s.status != tc.status[st] || !slices.Equal(s.classes, tc.shown[st]) {
				t.Errorf("%s %s: %d showing %v, want %d showing %v", stages[st].name, tc.path, s.status, s.classes, tc.status[st], tc.shown[st])
			}
		}
	}
	// The statements come with the winners, the finalists' too.
	if y := results[2][find("/priser/embargo-pris/2031?lang=en")].body; !strings.Contains(y, "zqwinnerstatement") ||
		!strings.Contains(y, "zqhonourstatement") || !strings.Contains(y, "zqfinaliststatement") {
		t.Error("after T2 the statements are missing")
	}
	// At T1 the winner-to-be stood among the finalists, called a
	// finalist, or was nowhere.
	if y := results[1][find("/priser/embargo-pris/2031")].body; strings.Contains(section(y, `id="finalists-h"`), "zqwinnertitle") != winnerAmongFinalists {
		t.Errorf("after T1 the winner-to-be is among the finalists: %v, want %v", !winnerAmongFinalists, winnerAmongFinalists)
	}

	// The routes checked, for the record.
	byPattern := map[string][]int{}
	for i, r := range reqs {
		byPattern[r.pattern] = append(byPattern[r.pattern], i)
	}
	var log bytes.Buffer
	fmt.Fprintf(&log, "embargo sweep: %d public GET routes, %d requests per stage:\n", len(patterns), len(reqs))
	for _, p := range patterns {
		fmt.Fprintf(&log, "  %-40s %3d requests; statuses", p, len(byPattern[p]))
		for st := range stages {
			counts := map[int]int{}
			for _, i := range byPattern[p] {
				counts[results[st][i].status]++
			}
			b, _ := json.Marshal(counts)
			fmt.Fprintf(&log, " %s", b)
		}
		log.WriteString("\n")
	}
	t.Log(log.String())
}
