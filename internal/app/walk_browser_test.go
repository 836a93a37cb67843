package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/heder-awards/heder/internal/browsertest"
	"github.com/heder-awards/heder/internal/i18n"
)

// walkPage is one page of the walk: who opens it (a demo user's login
// hint, or "" for a visitor), a name for messages, and its path.
type walkPage struct{ who, name, path string }

// walkWorld is the data the walk's pages show: a cycle being judged with
// the chair's ranking (newDecidingRun), an open cycle with Asker's draft,
// a decided cycle with announcements and diplomas, and the demo archive.
type walkWorld struct {
	judging, open, decided string // cycles' public IDs
	baerum, horten, asker  string // nominations in the judging cycle
	draft, project         string // Asker's draft in the open cycle and its project
	won                    string // Asker's winning nomination in the decided cycle
	criterion, owner, org  int64
	juror                  int64 // jury-1's seat in the judging cycle
	round                  int64 // a final by ranked vote after the judging cycle's round 1
	archive                demoArchive
}

// walkPages lists every page the rules of TestPagesInBrowser hold for, in
// bokmål: adding a page is one line.
func walkPages(w walkWorld) []walkPage {
	j, o, d := w.judging, w.open, w.decided
	return []walkPage{
		// Public pages.
		{"", "home", "/"},
		{"", "about", "/om"},
		{"", "privacy-statement", "/personvern"},
		{"", "awards", "/priser"},
		{"", "award", "/priser/kommunal-innovasjonspris"},
		{"", "award-year", "/priser/kommunal-innovasjonspris/2017"},
		{"", "award-year-jury", "/priser/kommunal-innovasjonspris/2018"},
		{"", "award-year-postponed", "/priser/kommunal-innovasjonspris/2020"},
		{"", "programme-year", "/priser/kommuneinkubatoren/2021"},
		{"", "project", "/prosjekter/" + w.archive.borgen},
		{"", "municipality", "/kommuner/" + itoa(w.archive.nordreFollo)},
		{"", "former-municipality", "/kommuner/" + itoa(w.archive.oppegard)},
		{"", "search", "/sok?q=velferd"},
		{"", "not-found", "/priser/kommunal-innovasjonspris/1999"},
		// The submitter's pages.
		{"asker", "home-submitter", "/"},
		{"asker", "profile", "/meg"},
		{"asker", "organisations-submitter", "/organisasjoner"},
		{"asker", "call", "/sykluser/" + o},
		{"asker", "nomination-new", "/sykluser/" + o + "/nominasjoner/ny"},
		{"asker", "nomination", "/nominasjoner/" + w.draft},
		{"asker", "nomination-facts", "/nominasjoner/" + w.draft + "/fakta"},
		{"asker", "nomination-orgs", "/nominasjoner/" + w.draft + "/organisasjoner"},
		{"asker", "nomination-contact", "/nominasjoner/" + w.draft + "/kontakt"},
		{"asker", "project-new", "/nominasjoner/" + w.draft + "/prosjekter/ny"},
		{"asker", "project-edit", "/nominasjoner/" + w.draft + "/prosjekter/" + w.project},
		{"asker", "attachments", "/prosjekter/" + w.project + "/vedlegg?nominasjon=" + w.draft},
		{"asker", "check-answers", "/nominasjoner/" + w.draft + "/send-inn"},
		{"asker", "nomination-sent", "/nominasjoner/" + w.asker + "/sendt"},
		{"asker", "nomination-submitted", "/nominasjoner/" + w.asker},
		{"asker", "receipt", "/nominasjoner/" + w.asker + "/kvittering"},
		{"asker", "nomination-decided", "/nominasjoner/" + w.won},
		// A juror's pages.
		{"jury-1", "jury-list", "/jury/" + j},
		{"jury-1", "scoring", "/jury/" + j + "/nominasjoner/" + w.horten},
		{"jury-1", "conflicts", "/jury/" + j + "/habilitet"},
		{"jury-2", "jury-list-draft", "/jury/" + j},
		{"jury-2", "scoring-draft", "/jury/" + j + "/nominasjoner/" + w.baerum},
		// The chair's.
		{"jury-chair", "progress", "/jury/" + j + "/fremdrift"},
		{"jury-chair", "scoring-chair", "/jury/" + j + "/nominasjoner/" + w.baerum},
		{"jury-chair", "conflicts-overview", "/jury/" + j + "/habilitet/oversikt"},
		{"jury-chair", "ranking", "/jury/" + j + "/rangering"},
		{"jury-chair", "ranking-row", "/jury/" + j + "/rangering/" + w.horten},
		{"jury-chair", "decision", "/jury/" + j + "/beslutning"},
		{"jury-chair", "feedback-list", "/jury/" + j + "/tilbakemeldinger"},
		{"jury-chair", "feedback", "/jury/" + j + "/tilbakemeldinger/" + w.horten},
		{"jury-chair", "report", "/jury/" + j + "/rapport"},
		// Admin pages.
		{"admin", "admin", "/admin"},
		{"admin", "admin-awards", "/admin/priser"},
		{"admin", "admin-award", "/admin/priser/walk-open"},
		{"admin", "cycle-admin-open", "/admin/sykluser/" + o},
		{"admin", "cycle-admin", "/admin/sykluser/" + j},
		{"admin", "phase", "/admin/sykluser/" + j + "/fase?til=decided"},
		{"admin", "phase-open", "/admin/sykluser/" + o + "/fase?til=closed"},
		{"admin", "criterion", "/admin/kriterier/" + itoa(w.criterion)},
		{"admin", "round", "/admin/runder/" + itoa(w.round)},
		{"admin", "jurors", "/admin/sykluser/" + j + "/jury"},
		{"admin", "juror-remove", "/admin/sykluser/" + j + "/jury/medlemmer/" + itoa(w.juror) + "/fjern"},
		{"admin", "review", "/admin/sykluser/" + o + "/nominasjoner"},
		{"admin", "review-judging", "/admin/sykluser/" + j + "/nominasjoner"},
		{"admin", "assignment", "/admin/sykluser/" + j + "/fordeling"},
		{"admin", "outbox", "/admin/sykluser/" + j + "/utboks"},
		{"admin", "audit", "/admin/logg"},
		{"admin", "owners", "/admin/eiere"},
		{"admin", "owner", "/admin/eiere/" + itoa(w.owner)},
		{"admin", "organisations", "/organisasjoner"},
		{"admin", "organisation", "/organisasjoner/" + itoa(w.org)},
		{"admin", "publication", "/admin/sykluser/" + d + "/publisering"},
		{"admin", "publication-preview", "/admin/sykluser/" + d + "/publisering/forhandsvisning"},
		{"admin", "publication-preview-later", "/admin/sykluser/" + d + "/publisering/forhandsvisning?tid=" + url.QueryEscape(time.Now().Add(48*time.Hour).Format(time.RFC3339))},
		{"admin", "publication-confirm", "/admin/sykluser/" + d + "/publisering/publiser-na?type=winners"},
		{"admin", "diplomas", "/admin/sykluser/" + d + "/diplomer"},
		// The owner admin's.
		{"eier-kdd", "home-owner", "/"},
		{"eier-kdd", "owner-awards", "/admin/priser"},
		{"eier-kdd", "owner-diplomas", "/admin/sykluser/" + d + "/diplomer"},
	}
}

// newWalkWorld seeds the worlds of the other browser tests into one app.
func newWalkWorld(t *testing.T) (decidingRun, walkWorld) {
	t.Helper()
	x := newDecidingRun(t)
	ctx := context.Background()
	w := walkWorld{judging: x.cycle, baerum: x.baerum, horten: x.horten, asker: x.asker, archive: loadDemoArchive(t, x.db)}
	// A juror's draft, which the ranking and the progress board warn of.
	scoringScore(t, x.db, scoringSeat(t, x.db, x.cycle, userID(t, x.a, x.a.Login(t, "jury-2")), false), x.baerum, false)
	failedMessage(t, x.db, x.cycle, "walk:failed")
	w.open = nomCycle(t, x.db, "walk-open", "now() + interval '10 days'", 2, 3)
	kari := nomClient{t: t, a: x.a, c: x.a.Login(t, "asker")}
	w.draft = kari.complete(w.open)
	w.project = kari.get(w.draft).Projects[0].ID
	// What people type is longer than test data: an address and a link
	// with no room to break.
	if _, err := x.db.ExecContext(ctx, `UPDATE projects SET links = ARRAY['https://www.asker.kommune.no/helse-og-omsorg/velferdsteknologi/asker-velferdslab-samskaping-med-innbyggerne-2017-2019/sluttrapport-og-gevinstrealisering.pdf']
		WHERE public_id = ?`, w.project); err != nil {
		t.Fatal(err)
	}
	if _, err := x.db.ExecContext(ctx, `UPDATE nominations SET contact_email = 'kari.nordmann-hansen.innovasjonsradgiver@asker.kommune.no'
		WHERE public_id IN (?, ?)`, w.draft, x.asker); err != nil {
		t.Fatal(err)
	}
	pub := pubCycle(t, x.db, "walk-decided", true)
	w.decided, w.won = pub.cycle, pub.asker
	if status, body := x.a.Do(t, x.a.Login(t, "admin"), http.MethodPost, "/api/v1/cycles/"+w.decided+"/announcements",
		fmt.Sprintf(`{"kind":"winners","publish_at":%q}`, time.Now().Add(30*time.Hour).Format(time.RFC3339))); status != http.StatusCreated {
		t.Fatalf("schedule: %d %s", status, body)
	}
	for _, q := range []struct {
		sql  string
		args []any
		v    *int64
	}{
		{`SELECT cr.id FROM criteria cr JOIN cycles c ON c.id = cr.cycle_id WHERE c.public_id = ? ORDER BY cr.position LIMIT 1`, []any{x.cycle}, &w.criterion},
		{`SELECT j.id FROM jurors j JOIN cycles c ON c.id = j.cycle_id WHERE c.public_id = ? AND NOT j.chair ORDER BY j.id LIMIT 1`, []any{x.cycle}, &w.juror},
		{`SELECT id FROM organisations WHERE orgnr = '972417858'`, nil, &w.owner},
		{`INSERT INTO rounds (cycle_id, position, kind, name_nb, name_nn, name_en)
			SELECT id, 2, 'ranked_vote', 'Finale', 'Finale', 'Final' FROM cycles WHERE public_id = ? RETURNING id`, []any{x.cycle}, &w.round},
		{`SELECT id FROM organisations WHERE kind = 'municipality' AND name = 'Asker' AND valid_to IS NULL`, nil, &w.org},
	} {
		if err := x.db.NewRaw(q.sql, q.args...).Scan(ctx, q.v); err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}
	return x, w
}

// overflowJS returns "" when the page is no wider than the window (%d
// CSS pixels; a phone's browser may widen its layout viewport to fit a
// page that is too wide, so against that width too), else the page's
// width and the element sticking out the furthest.
const overflowJS = `((w) => {
  const d = document.documentElement, cw = Math.min(d.clientWidth, w);
  if (d.scrollWidth <= cw) return "";
  // What a scrolling (or clipping) box holds cannot widen the page.
  const clipped = new Set();
  let worst = null, right = cw;
  for (const el of document.body.querySelectorAll("*")) {
    if (clipped.has(el.parentElement)) { clipped.add(el); continue; }
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right + scrollX > right + 0.5) { worst = el; right = r.right + scrollX; }
    if (getComputedStyle(el).overflowX !== "visible") clipped.add(el);
  }
  // The first to reach that far, then down through the first child that
  // does too: the innermost, as the likely cause.
  for (let c; worst && (c = [...worst.children].find(c => c.getBoundingClientRect().right + scrollX > right - 0.5));) worst = c;
  const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + [...el.classList].map(c => "." + c).join("");
  let path = worst ? name(worst) : "?";
  for (let p = worst && worst.parentElement, i = 0; p && p !== document.body && i < 3; p = p.parentElement, i++) path = name(p) + " > " + path;
  const text = worst ? (worst.innerText || worst.textContent || "").replace(/\s+/g, " ").trim().slice(0, 60) : "";
  return "page " + d.scrollWidth + " px wide in " + cw + "; widest: " + path + " (" +
    (worst ? Math.round(worst.getBoundingClientRect().width) : 0) + " px wide, to " + Math.round(right) + ") " + JSON.stringify(text);
})(%d)`

// visibleTextJS is the page's text as shown (innerText), less what the
// page marks as code not to be translated (translate="no"): the audit
// log's field names, which name stored data as its CSV export does.
const visibleTextJS = `(() => {
  const code = [...document.querySelectorAll('[translate="no"]')].map(el => [el, el.hidden]);
  for (const [el] of code) el.hidden = true;
  const text = document.body.innerText;
  for (const [el, was] of code) el.hidden = was;
  return text;
})()`

// rawWords are the codes of the domain's enumerations: on a page in
// bokmål each is a value shown untranslated. The audit log's actions are
// added from their messages (audit.action.<code>); codes that are words
// of bokmål too (notBokmal) are left out.
var (
	notBokmal = []string{"admin", "finalist", "import"}
	rawWords  = []string{
		// Phases, nomination statuses, outcomes and challenges.
		"draft", "open", "closed", "judging", "decided", "published",
		"submitted", "withdrawn", "ineligible",
		"winner", "winners", "finalists", "honourable_mention", "none",
		"burning_platform", "known_tangle", "renewal", "other",
		// Roles, organisation and award kinds.
		"submitter", "org_admin", "juror", "chair", "owner_admin",
		"municipality", "county", "ministry", "city_district", "state_agency", "company", "foundation", "association",
		"prize", "programme",
		// Invitations, progress, assignment and announcements.
		"pending", "accepted", "declined", "lapsed", "not_started", "in_progress", "complete",
		"assigned", "excluded", "unassigned", "conflict", "scheduled", "unpublished",
	}
)

// rawValues finds, in a page's visible text, whole words that are enum
// codes or any other snake_case name, and message IDs: anything shaped
// like an ID in a namespace of the messages, known or not (T shows an ID
// it does not know as itself).
type rawValues struct{ word, id *regexp.Regexp }

func newRawValues(t *testing.T) rawValues {
	t.Helper()
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	var rv rawValues
	var spaces []string
	words := slices.Clone(rawWords)
	for _, id := range b.IDs(i18n.Default) {
		if ns, _, _ := strings.Cut(id, "."); !slices.Contains(spaces, ns) {
			spaces = append(spaces, ns)
		}
		if action, ok := strings.CutPrefix(id, "audit.action."); ok && !slices.Contains(notBokmal, action) && !slices.Contains(words, action) {
			words = append(words, action)
		}
	}
	// Letters, digits, '_' and '-' make words; a code inside one ("open"
	// in "openapi", "draft" in "draft-2") is not a word of its own, nor
	// is one in an address or a path, or after a dot, in a message ID
	// found as such.
	const edge = `(?:^|[^\p{L}\p{N}_\-./@])`
	rv.word = regexp.MustCompile(edge + `(` + strings.Join(words, "|") + `|[a-z]+(?:_[a-z]+)+)(?:$|[^\p{L}\p{N}_\-/@])`)
	rv.id = regexp.MustCompile(edge + `((?:` + strings.Join(spaces, "|") + `)(?:\.[a-z0-9_]+)+)`)
	return rv
}

// find returns the raw values in text, each with a little of its context.
func (rv rawValues) find(text string) []string {
	var found []string
	quote := func(i, j int) string {
		from, to := max(0, i-30), min(len(text), j+30)
		for from > 0 && !isRuneStart(text[from]) {
			from--
		}
		for to < len(text) && !isRuneStart(text[to]) {
			to++
		}
		return strings.Join(strings.Fields(text[from:to]), " ")
	}
	for _, m := range rv.word.FindAllStringSubmatchIndex(text, -1) {
		// A file's name, "sluttrapport_asker.pdf", is no code.
		if m[3]+1 < len(text) && text[m[3]] == '.' && unicode.IsLetter(rune(text[m[3]+1])) {
			continue
		}
		found = append(found, fmt.Sprintf("%q in %q", text[m[2]:m[3]], quote(m[2], m[3])))
	}
	for _, m := range rv.id.FindAllStringSubmatchIndex(text, -1) {
		found = append(found, fmt.Sprintf("message ID %q in %q", text[m[2]:m[3]], quote(m[2], m[3])))
	}
	return found
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// TestPagesInBrowser loads every page of walkPages, as its user, at a
// phone's width (390 px) and a laptop's (1280 px) in bokmål, and at the
// phone's in nynorsk and English, and holds two rules on each: no
// sideways scrolling (the document is no wider than the window, WCAG
// 1.4.10), naming the element that sticks out; and, in bokmål, no raw
// values in the visible text (innerText): no code of an enumeration and
// no message ID where words should be. One browser, one tab and one
// login per user.
func TestPagesInBrowser(t *testing.T) {
	t.Parallel()
	x, w := newWalkWorld(t)
	rv := newRawValues(t)
	pages := walkPages(w)
	b := browsertest.New(t)
	start := time.Now()
	tabs := map[string]nomTab{}
	for _, p := range pages {
		if _, ok := tabs[p.who]; ok {
			continue
		}
		tab := nomTab{t: t, a: x.a, tab: b.Tab(t)}
		// A Norwegian's browser (headless Chromium would ask for English).
		tab.tab.Run(t, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{
				Headers: network.Headers{"Accept-Language": journeyAcceptLanguage},
			})
			return err
		}))
		if p.who != "" {
			tab.visit("/auth/login?login_hint="+p.who, http.StatusOK)
		}
		tabs[p.who] = tab
	}
	// Bokmål at both widths; nynorsk's and English's longer words where
	// they could widen a page, on a phone. Codes are looked for in bokmål,
	// where no code is also a word.
	passes := []struct {
		lang  string
		width int64
	}{{"nb", 390}, {"nb", 1280}, {"nn", 390}, {"en", 390}}
	for _, pass := range passes {
		for who, tab := range tabs {
			size := chromedp.EmulateViewport(pass.width, 844, chromedp.EmulateMobile)
			if pass.width > 500 {
				size = chromedp.EmulateViewport(pass.width, browsertest.ViewportHeight)
			}
			tab.tab.Run(t, size)
			// The language by the switch, as a person picks it: a
			// logged-in user's choice is kept with them.
			if who != "" || pass.lang != "nb" {
				tab.visit("/lang/"+pass.lang, http.StatusOK)
			}
		}
		for _, p := range pages {
			tab := tabs[p.who]
			at := fmt.Sprintf("%s (%s, %s) in %s at %d px", p.name, p.path, who(p.who), pass.lang, pass.width)
			want := http.StatusOK
			if p.name == "not-found" {
				want = http.StatusNotFound
			}
			ctx, cancel := tab.timeoutCtx()
			resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(x.a.URL+p.path))
			cancel()
			if err != nil || resp == nil || int(resp.Status) != want {
				status := 0
				if resp != nil {
					status = int(resp.Status)
				}
				t.Errorf("%s: status %d (%v), want %d", at, status, err, want)
				continue
			}
			if lang := asgEval(t, tab.tab, `document.documentElement.lang`); lang != pass.lang {
				t.Errorf("%s: the page is in %q", at, lang)
			}
			if got := asgEval(t, tab.tab, fmt.Sprintf(overflowJS, pass.width)); got != "" {
				t.Errorf("%s: %s", at, got)
			}
			if pass.lang == "nb" {
				for _, raw := range rv.find(asgEval(t, tab.tab, visibleTextJS)) {
					t.Errorf("%s shows %s", at, raw)
				}
			}
			tab.tab.Screenshot(t, fmt.Sprintf("walk-%s-%d-%s", pass.lang, pass.width, p.name))
		}
	}
	t.Logf("%d pages in %d passes as %d users in %v", len(pages), len(passes), len(tabs), time.Since(start).Round(time.Millisecond))
	// The check itself works: a box too wide for the page is named, one
	// in a scrolling frame is not. (Styles through the CSSOM: the pages'
	// Content-Security-Policy refuses style attributes.)
	tab := tabs[""]
	tab.tab.Run(t, chromedp.Evaluate[chromedp.Void](`(() => {
		const frame = document.createElement("div"), p = document.createElement("p");
		frame.style.overflowX = "auto";
		p.textContent = "Framed";
		p.style.width = "3000px";
		frame.append(p);
		document.querySelector("main").append(frame);
	})()`))
	if got := asgEval(t, tab.tab, fmt.Sprintf(overflowJS, 1280)); got != "" {
		t.Errorf("a wide box in a scrolling frame: %s", got)
	}
	tab.tab.Run(t, chromedp.Evaluate[chromedp.Void](`(() => {
		const p = document.createElement("p");
		p.id = "too-wide";
		p.textContent = "Too wide";
		p.style.width = "2000px";
		document.querySelector("main h1").after(p);
	})()`))
	if got := asgEval(t, tab.tab, fmt.Sprintf(overflowJS, 1280)); !strings.Contains(got, "p#too-wide (2000 px wide") {
		t.Errorf("a box 2000 px wide: %q", got)
	}
}

// TestRawValues holds the finder of raw values to whole words of visible
// text: codes and message IDs are found, Norwegian words, addresses and
// longer words that hold a code are not.
func TestRawValues(t *testing.T) {
	rv := newRawValues(t)
	for text, want := range map[string]int{
		"status – draft":                                                       1,
		"Fase: judging.":                                                       1,
		"Utfordring: burning_platform":                                         1,
		"Rolle (org_admin)":                                                    1,
		"closed_early og period_start":                                         2,
		"Opprettet (create), Importerte (import)":                              1,
		"cycles.phase.judging":                                                 1,
		"nominations.status.nonexistent og open":                               2,
		"Åpen for nominasjoner, Utkast, Finalist, admin":                       0,
		"kari@asker.kommune.no, /api/openapi.json":                             0,
		"kari_nordmann@asker.no, /filer/open_data/ og sluttrapport_asker.pdf.": 0,
		"draft-2 drafts reopened Opened openness":                              0,
		"Vi tok om. Det var nytt.":                                             0,
	} {
		if got := rv.find(text); len(got) != want {
			t.Errorf("%q: found %q, want %d", text, got, want)
		}
	}
}

func who(login string) string {
	if login == "" {
		return "a visitor"
	}
	return login
}
