package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/postgres"
)

// demoArchive names the demo's published things the archive tests use.
type demoArchive struct {
	// Public IDs of Asker's three 2017 projects and of Træna's 2018
	// nomination's project.
	holmen, velferdslab, borgen string
	// traena2018 is the database ID of Træna's winning 2018 nomination.
	traena2018 int64
	// Organisation IDs: Oppegård as it was, today's Nordre Follo, and the
	// Asker that won in 2017 (0220).
	oppegard, nordreFollo, asker2017 int64
}

func loadDemoArchive(t *testing.T, db *postgres.DB) demoArchive {
	t.Helper()
	ctx := context.Background()
	var d demoArchive
	project := func(title string) string {
		var id string
		if err := db.NewRaw(`SELECT p.public_id FROM projects p JOIN nomination_projects np ON np.project_id = p.id
			JOIN nominations n ON n.id = np.nomination_id JOIN cycles c ON c.id = n.cycle_id
			WHERE p.title = ? AND c.year = 2017`, title).Scan(ctx, &id); err != nil {
			t.Fatalf("demo project %s: %v", title, err)
		}
		return id
	}
	d.holmen, d.velferdslab, d.borgen = project("Holmen svømmehall"), project("Asker velferdslab"), project("Løsningsjakten på Borgen")
	org := func(number string, former bool) int64 {
		var id int64
		if err := db.NewRaw(`SELECT id FROM organisations WHERE kind = 'municipality' AND number = ? AND (valid_to IS NOT NULL) = ?
			ORDER BY valid_to DESC NULLS FIRST LIMIT 1`, number, former).Scan(ctx, &id); err != nil {
			t.Fatalf("municipality %s: %v", number, err)
		}
		return id
	}
	d.oppegard, d.nordreFollo, d.asker2017 = org("0217", true), org("3207", false), org("0220", true)
	if err := db.NewRaw(`SELECT id FROM nominations WHERE history_key = 'kommunal-innovasjonspris:2018:1835'`).
		Scan(ctx, &d.traena2018); err != nil {
		t.Fatalf("Træna 2018: %v", err)
	}
	return d
}

// publicFile is a public picture in the archive.
type publicFile struct{ project, id string }

// publishPicture makes a project of Asker's, uploads a picture to it
// through the API as a submitter would, and links it to the public
// nomination, which makes project and picture public.
func publishPicture(t *testing.T, a *apptest.App, db *postgres.DB, asker *http.Client, nomination int64) publicFile {
	t.Helper()
	project := filesProject(t, db, "Tenk Træna-verkstedet")
	resp, body := postFile(t, a, asker, "/api/v1/projects/"+project+"/attachments", "verksted.png", "Folk rundt et bord i verkstedet",
		bytes.NewReader(tinyPNG(t)), nil)
	var file struct{ ID string }
	if err := json.Unmarshal([]byte(body), &file); resp.StatusCode != http.StatusCreated || err != nil {
		t.Fatalf("upload: %d %v %s", resp.StatusCode, err, body)
	}
	if _, err := db.ExecContext(context.Background(), `INSERT INTO nomination_projects (nomination_id, project_id, position)
		SELECT ?, id, 9 FROM projects WHERE public_id = ?`, nomination, project); err != nil {
		t.Fatal(err)
	}
	return publicFile{project: project, id: file.ID}
}

// fetch fetches path anonymously with headers (alternating names and
// values) and returns the answer with its body.
func fetch(t *testing.T, a *apptest.App, c *http.Client, path string, headers ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, a.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return sendRaw(t, c, req)
}

// TestDemoArchive checks what `make dev` shows the public: the real
// award's history 2014–2020 (heder import-archive), every fact with its
// sources, Asker's 2017 win with its three projects, the 2018 jury with
// the 2017 winner's man on it, the postponed 2020 call — and nothing no
// source states: no other applicants, no jury statements. In plain HTTP,
// without JavaScript, and through the API.
func TestDemoArchive(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	c := a.Client(t)
	d := loadDemoArchive(t, filesDB(t, a))

	_, award := fetch(t, a, c, "/priser/kommunal-innovasjonspris")
	for _, want := range []string{"Kommunal innovasjonspris", "Innovasjonsprisen 2014", "Innovasjonsprisen 2017", "Innovasjonsprisen 2020",
		"Arendal", "Sandnes", "Bærum", "Asker", "Horten", "Oppegård", "Træna", "Sola", "Sarpsborg", "Trondheim", "Fjell", "Ulstein",
		"Fra prisens historie, med kilder"} {
		if !strings.Contains(award, want) {
			t.Errorf("award page lacks %q", want)
		}
	}

	resp, page := fetch(t, a, c, "/priser/kommunal-innovasjonspris/2017")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("2017: %d", resp.StatusCode)
	}
	winners, finalists, facts := section(page, `id="winners-h"`), section(page, `id="finalists-h"`), section(page, `id="facts-h"`)
	for _, want := range []string{"Asker", "Holmen svømmehall", "Asker velferdslab", "Løsningsjakten på Borgen", "783 deltakere"} {
		if !strings.Contains(winners, want) {
			t.Errorf("2017 winners' section lacks %q", want)
		}
	}
	for _, want := range []string{"Horten", "Oppegård", "nå en del av Nordre Follo"} {
		if !strings.Contains(finalists, want) {
			t.Errorf("2017 finalists' section lacks %q", want)
		}
	}
	for _, want := range []string{"18 kommuner sendte inn nominasjoner, med 33 prosjekter.", "Frist for nominasjoner: 1. mars 2017.", "Vinneren ble kåret 15. juni 2017.",
		"Statssekretær Paul Chaffey delte ut prisen.", "Katinka Greve Leiner (leder)", "Fredrik Danker Monsen (Difi)"} {
		if !strings.Contains(facts, want) {
			t.Errorf("2017's facts lack %q", want)
		}
	}
	// Nothing the sources do not state: no statement, no other applicants.
	if strings.Contains(page, "Juryens begrunnelse") || strings.Contains(page, `id="others-h"`) {
		t.Error("2017 shows a jury statement or other applicants that no source gives")
	}
	checkCited(t, page, "2017")
	// Asker's texts are in bokmål: said so on the nynorsk and English pages
	// (WCAG 3.1.2), not on the bokmål one.
	holmenText := `<p class="ds-paragraph"%s>Holmen svømmehall er Norges mest energieffektive`
	if !strings.Contains(page, fmt.Sprintf(holmenText, "")) {
		t.Error("the bokmål page marks Asker's bokmål text with a language")
	}
	for _, lang := range []string{"nn", "en"} {
		if _, p := fetch(t, a, c, "/priser/kommunal-innovasjonspris/2017?lang="+lang); !strings.Contains(p, fmt.Sprintf(holmenText, ` lang="nb"`)) {
			t.Errorf("the %s page shows Asker's bokmål text without lang=\"nb\"", lang)
		}
	}

	_, y18 := fetch(t, a, c, "/priser/kommunal-innovasjonspris/2018")
	if w := section(y18, `id="winners-h"`); !strings.Contains(w, "Træna") || !strings.Contains(w, "Tenk Træna") {
		t.Errorf("2018 winner: %.300s", w)
	}
	if f := section(y18, `id="facts-h"`); !strings.Contains(f, "Ole Kristian Tangen") ||
		!strings.Contains(f, "etter Heders regler om inhabilitet ville jurymedlemmet ha stått over nominasjoner fra Asker") {
		t.Errorf("2018's jury lacks the Asker juror's conflict: %.2000s", f)
	}
	checkCited(t, y18, "2018")
	_, y20 := fetch(t, a, c, "/priser/kommunal-innovasjonspris/2020")
	if !strings.Contains(y20, "Frist for nominasjoner: 20. mars 2020.") || !strings.Contains(y20, "utsatt på ubestemt tid") || strings.Contains(y20, `id="winners-h"`) {
		t.Errorf("2020: %.2000s", section(y20, `id="facts-h"`))
	}
	checkCited(t, y20, "2020")

	// The project, with its source, the municipality of the time and today's.
	_, holmen := fetch(t, a, c, "/prosjekter/"+d.holmen)
	if !strings.Contains(holmen, "Norges mest energieffektive svømmehall") || !strings.Contains(holmen, "Innovasjonsprisen 2017") ||
		!strings.Contains(holmen, "Asker vant innovasjonsprisen 2017") {
		t.Errorf("Holmen's page: %.300s", holmen)
	}
	checkCited(t, holmen, "Holmen svømmehall")
	_, nf := fetch(t, a, c, "/kommuner/"+itoa(d.nordreFollo))
	if !strings.Contains(nf, "Innovasjonsprisen 2017") || !strings.Contains(nf, "Oppegård") || !strings.Contains(nf, "Akershus") {
		t.Errorf("Nordre Follo's page: %.500s", section(nf, `id="noms-h"`))
	}

	// The API says the same, with the sources.
	type source struct{ Publisher, Title, URL string }
	var y struct {
		Cycle struct {
			Facts []struct {
				Kind           string
				Municipalities *int
				Projects       *int
				Person         string
				Organisation   *struct{ Name string }
				Sources        []source
			}
		}
		Items []struct {
			Outcome  *string
			Nominees []struct{ Name string }
			Projects []struct {
				Title   string
				Sources []source
			}
			Sources []source
		}
	}
	_, body := fetch(t, a, c, "/api/v1/public/awards/kommunal-innovasjonspris/2018")
	if err := json.Unmarshal([]byte(body), &y); err != nil || len(y.Items) != 3 {
		t.Fatalf("API 2018: %v %.300s", err, body)
	}
	if w := y.Items[0]; *w.Outcome != "winner" || w.Nominees[0].Name != "Træna" || len(w.Projects) != 1 || len(w.Sources) != 3 ||
		len(w.Projects[0].Sources) == 0 {
		t.Errorf("API winner = %+v", w)
	}
	if *y.Items[1].Outcome != "finalist" || *y.Items[2].Outcome != "finalist" || len(y.Items[1].Sources) == 0 {
		t.Errorf("API finalists = %+v", y.Items[1:3])
	}
	var tangen bool
	for _, f := range y.Cycle.Facts {
		if len(f.Sources) == 0 || f.Sources[0].URL == "" {
			t.Errorf("API fact without a source: %+v", f)
		}
		if f.Kind == "applicants" && (*f.Municipalities != 20 || *f.Projects != 48) {
			t.Errorf("API 2018 applicants: %+v", f)
		}
		tangen = tangen || (f.Person == "Ole Kristian Tangen" && f.Organisation != nil && f.Organisation.Name == "Asker")
	}
	if !tangen {
		t.Errorf("API 2018 jury lacks Ole Kristian Tangen of Asker: %+v", y.Cycle.Facts)
	}
}

// checkCited fails unless every reference on a history page points to a
// source listed on it, every listed source is cited, and every fact and
// nomination of the history carries a reference.
func checkCited(t *testing.T, page, what string) {
	t.Helper()
	refs := regexp.MustCompile(`href="#kilde-(\d+)"`).FindAllStringSubmatch(page, -1)
	listed := regexp.MustCompile(`<li id="kilde-(\d+)">`).FindAllStringSubmatch(page, -1)
	if len(refs) == 0 || len(listed) == 0 {
		t.Errorf("%s cites no sources", what)
		return
	}
	have := map[string]bool{}
	for _, l := range listed {
		have[l[1]] = true
	}
	cited := map[string]bool{}
	for _, r := range refs {
		if !have[r[1]] {
			t.Errorf("%s cites source %s, which it does not list", what, r[1])
		}
		cited[r[1]] = true
	}
	if len(cited) != len(have) {
		t.Errorf("%s lists %d sources and cites %d", what, len(have), len(cited))
	}
	// Every fact line, juror and nomination ends in a reference.
	for _, block := range []string{section(page, `id="facts-h"`), section(page, `id="winners-h"`), section(page, `id="finalists-h"`)} {
		for _, item := range regexp.MustCompile(`(?s)<li>(.*?)</li>|<p class="ds-paragraph archive-entry__title">(.*?)</p>`).FindAllStringSubmatch(block, -1) {
			if !strings.Contains(item[0], `href="#kilde-`) {
				t.Errorf("%s: a fact without its source: %s", what, item[0])
			}
		}
	}
}

// section returns the part of page from the heading marked by attr to the
// next heading of level 2.
func section(page, attr string) string {
	i := strings.Index(page, attr)
	if i < 0 {
		return ""
	}
	rest := page[i:]
	if j := strings.Index(rest, "<h2 "); j >= 0 {
		return rest[:j]
	}
	return rest
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// TestArchiveHTTP checks the archive's answers as HTTP: caching headers
// and conditional requests, no cookies even for people logged in,
// languages and their URLs, Open Graph and JSON-LD, the public API's
// pages, CORS and errors, public files, and that a write shows at once
// although answers are cached.
func TestArchiveHTTP(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	db := filesDB(t, a)
	d := loadDemoArchive(t, db)
	anon, asker := a.Client(t), a.Login(t, "asker")
	pic := publishPicture(t, a, db, asker, d.traena2018)
	ctx := context.Background()

	t.Run("caching", func(t *testing.T) {
		path := "/priser/kommunal-innovasjonspris/2017"
		resp, body := fetch(t, a, asker, path)
		etag := resp.Header.Get("ETag")
		if resp.StatusCode != http.StatusOK || etag == "" || resp.Header.Get("Cache-Control") != "public, no-cache" {
			t.Fatalf("%d, ETag %q, Cache-Control %q", resp.StatusCode, etag, resp.Header.Get("Cache-Control"))
		}
		if len(resp.Header.Values("Set-Cookie")) > 0 {
			t.Errorf("a public page set cookies for a logged-in person: %v", resp.Header.Values("Set-Cookie"))
		}
		// Logged in or not, the page is the same (and says nothing of who asks).
		if _, anonBody := fetch(t, a, anon, path); anonBody != body || strings.Contains(body, "Kari Asker") {
			t.Error("the page differs for a logged-in person")
		}
		if resp, _ := fetch(t, a, anon, path, "If-None-Match", etag); resp.StatusCode != http.StatusNotModified {
			t.Errorf("If-None-Match: %d", resp.StatusCode)
		}
		// Go's client asks for gzip, and gets it with its own ETag; HEAD
		// (which it sends without) describes the plain page.
		if !strings.HasSuffix(etag, `-gzip"`) {
			t.Errorf("ETag %s: not the gzipped page's", etag)
		}
		plainResp, plainBody := fetch(t, a, anon, path, "Accept-Encoding", "identity")
		req, _ := http.NewRequest(http.MethodHead, a.URL+path, nil)
		if resp, b := sendRaw(t, anon, req); resp.StatusCode != http.StatusOK || b != "" || resp.Header.Get("ETag") != plainResp.Header.Get("ETag") ||
			resp.Header.Get("Content-Length") != strconv.Itoa(len(plainBody)) || plainBody != body {
			t.Errorf("HEAD: %d, %d bytes, ETag %q, length %s", resp.StatusCode, len(b), resp.Header.Get("ETag"), resp.Header.Get("Content-Length"))
		}
		// A write shows at once, and changes the ETag.
		if _, err := db.ExecContext(ctx, `UPDATE projects SET title = 'Holmen svømmehall og badeland' WHERE public_id = ?`, d.holmen); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(2 * time.Second)
		for {
			resp, body = fetch(t, a, anon, path, "If-None-Match", etag)
			if resp.StatusCode == http.StatusOK && strings.Contains(body, "badeland") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the change did not show: %d", resp.StatusCode)
			}
			time.Sleep(20 * time.Millisecond)
		}
		if resp.Header.Get("ETag") == etag {
			t.Error("the ETag did not change")
		}
	})

	t.Run("languages", func(t *testing.T) {
		path := "/priser/kommunal-innovasjonspris/2017"
		// Each URL is one language's page, as its canonical and hreflang
		// links say: a reader who asks for another on the plain (bokmål)
		// URL is sent to their language's URL, which answers the same to
		// everyone (no Vary on the cookie).
		tests := []struct {
			path, cookie, accept string
			lang, canonical      string
			vary                 bool
			stays                bool // answered at its own URL, which is not the canonical one
		}{
			{path, "", "", "nb", path, true, false},
			{path + "?lang=nn", "", "", "nn", path + "?lang=nn", false, false},
			{path + "?lang=en", "heder_lang=nn", "", "en", path + "?lang=en", false, false},
			{path, "heder_lang=nn", "", "nn", path + "?lang=nn", false, false},
			{path, "", "en-GB,en;q=0.8", "en", path + "?lang=en", false, false},
			{path + "?lang=xx", "", "", "nb", path, true, true},
			{path + "?lang=xx", "heder_lang=nn", "", "nn", path + "?lang=nn", false, false},
		}
		for _, tc := range tests {
			headers := []string{"Accept-Language", tc.accept}
			if tc.cookie != "" {
				headers = append(headers, "Cookie", tc.cookie)
			}
			resp, body := fetch(t, a, anon, tc.path, headers...)
			at := tc.path
			if resp.StatusCode == http.StatusFound {
				if !strings.Contains(strings.Join(resp.Header.Values("Vary"), ","), "Cookie") {
					t.Errorf("%s (%s %s): a redirect without Vary: Cookie", tc.path, tc.cookie, tc.accept)
				}
				at = resp.Header.Get("Location")
				resp, body = fetch(t, a, anon, at, headers...)
			}
			if at != tc.canonical && !tc.stays {
				t.Errorf("%s (%s %s): ended at %s, want %s", tc.path, tc.cookie, tc.accept, at, tc.canonical)
			}
			if !strings.Contains(body, `<html lang="`+tc.lang+`">`) {
				t.Errorf("%s (%s %s): not in %s", tc.path, tc.cookie, tc.accept, tc.lang)
			}
			if want := `<link rel="canonical" href="` + a.URL + strings.ReplaceAll(tc.canonical, "&", "&amp;") + `">`; !strings.Contains(body, want) {
				t.Errorf("%s: no %s", tc.path, want)
			}
			if got := strings.Contains(strings.Join(resp.Header.Values("Vary"), ","), "Cookie"); got != tc.vary {
				t.Errorf("%s (%s %s): Vary %q", tc.path, tc.cookie, tc.accept, resp.Header.Get("Vary"))
			}
			for _, alt := range []string{`hreflang="nb" href="` + a.URL + path + `"`, `hreflang="nn" href="` + a.URL + path + `?lang=nn"`,
				`hreflang="en" href="` + a.URL + path + `?lang=en"`, `hreflang="x-default" href="` + a.URL + path + `"`} {
				if !strings.Contains(body, alt) {
					t.Errorf("%s: no alternate %s", tc.path, alt)
				}
			}
		}
		// Links within the archive keep the language.
		if _, body := fetch(t, a, anon, path+"?lang=nn"); !strings.Contains(body, `href="/prosjekter/`+d.holmen+`?lang=nn"`) || !strings.Contains(body, "Året i korte trekk") {
			t.Error("nynorsk page: links lose the language or texts are not nynorsk")
		}
	})

	t.Run("metadata", func(t *testing.T) {
		_, body := fetch(t, a, anon, "/priser/kommunal-innovasjonspris/2018")
		for _, want := range []string{`<meta property="og:title" content="Innovasjonsprisen 2018">`, `<meta property="og:type" content="article">`,
			`<meta property="og:url" content="` + a.URL + `/priser/kommunal-innovasjonspris/2018">`, `<meta property="og:locale" content="nb_NO">`,
			`<meta property="og:image" content="` + a.URL + `/prosjekter/` + pic.project + `/filer/` + pic.id + `">`,
			`<meta property="og:image:alt" content="Folk rundt et bord i verkstedet">`, `<script type="application/ld+json">`,
			`<title>Innovasjonsprisen 2018 – Kommunal innovasjonspris – Heder</title>`} {
			if !strings.Contains(body, want) {
				t.Errorf("2018 lacks %s", want)
			}
		}
		ld := body[strings.Index(body, `<script type="application/ld+json">`)+len(`<script type="application/ld+json">`):]
		ld = ld[:strings.Index(ld, "</script>")]
		var data struct {
			Type  string `json:"@type"`
			Items []struct {
				Item struct{ Name, Award string }
			} `json:"itemListElement"`
		}
		if err := json.Unmarshal([]byte(ld), &data); err != nil || data.Type != "ItemList" || len(data.Items) != 3 || data.Items[0].Item.Award != "Innovasjonsprisen 2018 – Vinner" {
			t.Errorf("JSON-LD %v: %s", err, ld)
		}
		_, project := fetch(t, a, anon, "/prosjekter/"+d.borgen+"?lang=en")
		if !strings.Contains(project, `"@type":"Project"`) || !strings.Contains(project, `<meta property="og:locale" content="en_GB">`) {
			t.Errorf("project page metadata: %.400s", project)
		}
	})

	t.Run("files", func(t *testing.T) {
		resp, body := fetch(t, a, anon, "/prosjekter/"+pic.project+"/filer/"+pic.id)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/png" || body != string(tinyPNG(t)) ||
			resp.Header.Get("Cache-Control") != "public, no-cache" || resp.Header.Get("Cross-Origin-Resource-Policy") != "cross-origin" ||
			!strings.Contains(resp.Header.Get("Content-Security-Policy"), "sandbox") {
			t.Errorf("picture: %d %v", resp.StatusCode, resp.Header)
		}
		if resp, _ := fetch(t, a, anon, "/prosjekter/"+pic.project+"/filer/"+pic.id, "If-None-Match", resp.Header.Get("ETag")); resp.StatusCode != http.StatusNotModified {
			t.Errorf("If-None-Match: %d", resp.StatusCode)
		}
		// Made private, the file is gone at once, cached or not.
		if _, err := db.ExecContext(ctx, `UPDATE attachments SET public = false WHERE public_id = ?`, pic.id); err != nil {
			t.Fatal(err)
		}
		waitStatus(t, a, anon, "/prosjekter/"+pic.project+"/filer/"+pic.id, http.StatusNotFound)
		if _, err := db.ExecContext(ctx, `UPDATE attachments SET public = true WHERE public_id = ?`, pic.id); err != nil {
			t.Fatal(err)
		}
		waitStatus(t, a, anon, "/prosjekter/"+pic.project+"/filer/"+pic.id, http.StatusOK)
		// A file of a project that is not public is not found.
		if resp, _ := fetch(t, a, anon, "/prosjekter/"+d.holmen+"/filer/"+pic.id); resp.StatusCode != http.StatusNotFound {
			t.Errorf("file under another project: %d", resp.StatusCode)
		}
	})

	t.Run("api", func(t *testing.T) {
		resp, body := fetch(t, a, anon, "/api/v1/public/awards/kommunal-innovasjonspris/2017?per_page=2", "Origin", "https://example.org")
		var page struct {
			Items                []struct{ ID string }
			Page, PerPage, Total int
			Next                 string
		}
		if err := json.Unmarshal([]byte(body), &page); err != nil || resp.StatusCode != http.StatusOK || len(page.Items) != 2 || page.Total != 3 {
			t.Fatalf("page 1: %d %v %.300s", resp.StatusCode, err, body)
		}
		if resp.Header.Get("Access-Control-Allow-Origin") != "*" || resp.Header.Get("Access-Control-Allow-Credentials") != "" {
			t.Errorf("CORS: %v", resp.Header)
		}
		wantNext := a.URL + "/api/v1/public/awards/kommunal-innovasjonspris/2017?page=2&per_page=2"
		if page.Next != wantNext || resp.Header.Get("Link") != `<`+wantNext+`>; rel="next"` {
			t.Errorf("next = %q, Link = %q", page.Next, resp.Header.Get("Link"))
		}
		seen := map[string]bool{}
		for next := wantNext; next != ""; {
			u, _ := url.Parse(next)
			_, body := fetch(t, a, anon, u.RequestURI())
			page.Next = ""
			page.Items = nil
			if err := json.Unmarshal([]byte(body), &page); err != nil {
				t.Fatal(err)
			}
			for _, it := range page.Items {
				seen[it.ID] = true
			}
			next = page.Next
		}
		if len(seen) != 1 {
			t.Errorf("page 2 held %d nominations, want 1", len(seen))
		}
		req, _ := http.NewRequest(http.MethodOptions, a.URL+"/api/v1/public/search", nil)
		req.Header.Set("Origin", "https://example.org")
		req.Header.Set("Access-Control-Request-Method", "GET")
		req.Header.Set("Access-Control-Request-Headers", "if-none-match")
		if resp, _ := sendRaw(t, anon, req); resp.StatusCode != http.StatusNoContent || resp.Header.Get("Access-Control-Allow-Methods") != "GET, HEAD, OPTIONS" {
			t.Errorf("preflight: %d %v", resp.StatusCode, resp.Header)
		}
		for _, tc := range []struct {
			path   string
			status int
			field  string
		}{
			{"/api/v1/public/awards?per_page=101", http.StatusUnprocessableEntity, "per_page"},
			{"/api/v1/public/awards?page=0", http.StatusUnprocessableEntity, "page"},
			{"/api/v1/public/search?q=" + strings.Repeat("a", 201), http.StatusUnprocessableEntity, "q"},
			{"/api/v1/public/search?year=i+fjor", http.StatusUnprocessableEntity, "year"},
			{"/api/v1/public/search?county=Akershus", http.StatusUnprocessableEntity, "county"},
			{"/api/v1/public/search?challenge=krise", http.StatusUnprocessableEntity, "challenge"},
			{"/api/v1/public/awards/ingen", http.StatusNotFound, ""},
			{"/api/v1/public/awards/kommunal-innovasjonspris/1999", http.StatusNotFound, ""},
			{"/api/v1/public/awards/kommunal-innovasjonspris/i-fjor", http.StatusNotFound, ""},
			{"/api/v1/public/projects/ukjent", http.StatusNotFound, ""},
			{"/api/v1/public/organisations/0", http.StatusNotFound, ""},
			{"/api/v1/public/organisations/-1", http.StatusNotFound, ""},
		} {
			resp, body := fetch(t, a, anon, tc.path)
			if resp.StatusCode != tc.status || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/problem+json") ||
				tc.field != "" && !strings.Contains(body, `"`+tc.field+`"`) || resp.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("%s: %d %s %q", tc.path, resp.StatusCode, body, resp.Header.Get("Cache-Control"))
			}
		}
	})

	t.Run("search", func(t *testing.T) {
		// Stored markup comes back escaped, with only the hits marked.
		if _, err := db.ExecContext(ctx, `UPDATE nominations SET summary = summary || ' <script>alert(1)</script> <b>svømmehall</b>' WHERE id = ?`, d.traena2018); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the search to see the change", func() bool {
			_, body := fetch(t, a, anon, "/sok?q=sv%C3%B8mmehall&ar=2018")
			return strings.Contains(body, "Tenk Træna")
		})
		_, body := fetch(t, a, anon, "/sok?q=sv%C3%B8mmehall&ar=2018")
		if strings.Contains(body, "<script>alert") || strings.Contains(body, "<b>") || !strings.Contains(body, "<mark>svømmehall</mark>") {
			t.Errorf("search page: %s", section(body, `id="results-h"`))
		}
		var res struct {
			Items []struct {
				Snippet struct{ Text, HTML string }
			}
		}
		_, api := fetch(t, a, anon, "/api/v1/public/search?q=sv%C3%B8mmehall&year=2018")
		if err := json.Unmarshal([]byte(api), &res); err != nil || len(res.Items) != 1 || strings.Contains(res.Items[0].Snippet.HTML, "<script") ||
			!strings.Contains(res.Items[0].Snippet.HTML, "<mark>svømmehall</mark>") {
			t.Errorf("search API: %v %s", err, api)
		}
		// The results' count is a live region inside the heading, not a
		// heading that is a status (invalid), and a snippet does not
		// repeat a project's title that its description opens with.
		if !strings.Contains(body, `id="results-h"><span role="status">`) {
			t.Errorf("results heading: %.200s", section(body, `id="results-h"`))
		}
		_, api = fetch(t, a, anon, "/api/v1/public/search?q=velferdslab")
		if err := json.Unmarshal([]byte(api), &res); err != nil || len(res.Items) == 0 {
			t.Fatalf("search API for velferdslab: %v %s", err, api)
		}
		for _, it := range res.Items {
			if s := strings.Join(strings.Fields(it.Snippet.Text), " "); strings.Contains(s, "Asker velferdslab Asker velferdslab") {
				t.Errorf("snippet repeats the project's title: %q", s)
			}
		}
		resp, page := fetch(t, a, anon, "/sok?q=a&ar=i+fjor&fylke=Oslo")
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "ds-error-summary") || !strings.Contains(page, `href="#ar"`) ||
			!strings.Contains(page, `id="ar" name="ar" aria-invalid="true"`) {
			t.Errorf("bad filters: %d %s", resp.StatusCode, section(page, "ds-error-summary"))
		}
	})

	t.Run("feed and sitemap", func(t *testing.T) {
		resp, feed := fetch(t, a, anon, "/priser/feed.atom")
		if resp.Header.Get("Content-Type") != "application/atom+xml; charset=utf-8" || !strings.Contains(feed, "<title>Innovasjonsprisen 2018: Træna vant</title>") ||
			!strings.Contains(feed, "<title>Innovasjonsprisen 2014: Arendal vant</title>") {
			t.Errorf("feed: %s", feed)
		}
		if _, en := fetch(t, a, anon, "/priser/kommunal-innovasjonspris/feed.atom?lang=en"); !strings.Contains(en, `xml:lang="en"`) || !strings.Contains(en, "Træna won") {
			t.Errorf("English feed: %.600s", en)
		}
		_, index := fetch(t, a, anon, "/sitemap.xml")
		_, urls := fetch(t, a, anon, "/sitemap-1.xml")
		for _, want := range []string{"/priser/kommunal-innovasjonspris/2017</loc>", "/priser/kommunal-innovasjonspris/2020</loc>", "/prosjekter/" + d.holmen + "</loc>", "/kommuner/" + itoa(d.oppegard) + "</loc>",
			`hreflang="nn" href="` + a.URL + `/prosjekter/` + d.holmen + `?lang=nn"`} {
			if !strings.Contains(urls, want) {
				t.Errorf("sitemap lacks %s", want)
			}
		}
		if !strings.Contains(index, "<loc>"+a.URL+"/sitemap-1.xml</loc>") {
			t.Errorf("sitemap index: %s", index)
		}
		if resp, _ := fetch(t, a, anon, "/sitemap-2.xml"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("sitemap part 2: %d", resp.StatusCode)
		}
	})
}

// TestArchiveUnpublish: withdrawing a published announcement takes what it
// made public out of every answer at once, cached or not. Here the 2016
// winners' announcement of the award's history: Bærum's win goes, the
// finalists announced in April stay.
func TestArchiveUnpublish(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	db := filesDB(t, a)
	c := a.Client(t)
	paths := []string{"/priser/kommunal-innovasjonspris/2016", "/priser/kommunal-innovasjonspris", "/priser/feed.atom",
		"/sok?q=skolehverdag", "/api/v1/public/awards/kommunal-innovasjonspris/2016", "/api/v1/public/search?q=skolehverdag"}
	won := regexp.MustCompile(`id="winners-h"|Vinner</dt><dd><a[^>]*>Bærum|Innovasjonsprisen 2016: Bærum vant|"outcome":"winner"|data-color="success">Vinner`)
	etags := map[string]string{}
	for _, p := range paths {
		resp, body := fetch(t, a, c, p)
		if !won.MatchString(body) {
			t.Fatalf("%s does not show Bærum's win before", p)
		}
		etags[p] = resp.Header.Get("ETag")
	}
	if _, err := db.ExecContext(context.Background(), `UPDATE announcements SET unpublished_at = now(), unpublish_reason = 'Feil vinner'
		WHERE kind = 'winners' AND cycle_id = (SELECT c.id FROM cycles c JOIN awards a ON a.id = c.award_id
			WHERE a.slug = 'kommunal-innovasjonspris' AND c.year = 2016)`); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the withdrawal to show", func() bool {
		_, body := fetch(t, a, c, paths[0])
		return !strings.Contains(body, `id="winners-h"`)
	})
	// (The year's facts keep their sources, whose titles may name the
	// winner: it is the decision and what it made public that must go.)
	// Bærum was announced as a nominee in April: it stays, as a finalist.
	for _, p := range paths {
		resp, body := fetch(t, a, c, p, "If-None-Match", etags[p])
		if resp.StatusCode == http.StatusNotModified || won.MatchString(body) {
			t.Errorf("%s still shows the withdrawn winner (%d): %q", p, resp.StatusCode, won.FindString(body))
		}
	}
	// The finalists' announcement stands: the finalists are still public.
	if _, body := fetch(t, a, c, paths[0]); !strings.Contains(section(body, `id="finalists-h"`), "Sarpsborg") || strings.Contains(body, `id="winners-h"`) {
		t.Errorf("2016 after the withdrawal: %.400s", section(body, `id="finalists-h"`))
	}
}

func waitStatus(t *testing.T, a *apptest.App, c *http.Client, path string, status int) {
	t.Helper()
	waitFor(t, path+" to answer "+strconv.Itoa(status), func() bool {
		resp, _ := fetch(t, a, c, path)
		return resp.StatusCode == status
	})
}

// waitFor polls cond for up to three seconds: writes reach the cache's
// watcher through the database a moment after they commit.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
