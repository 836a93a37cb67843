package ui

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/archive"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/files"
	"github.com/heder-awards/heder/internal/history"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/policy"
)

// archiveRoutes are the public archive: pages, files, feeds and the
// sitemap. Nobody needs to log in, and every answer is the same for
// everyone who asks in the same language (Stateless), so it can be cached.
//
// A project's page is /prosjekter/{id}, not under a year: a project can
// be part of nominations in several years (or awards), and one canonical
// page that lists them all beats several copies that each tell part of
// its story. Organisations are /kommuner/{id} by Heder's ID, because
// municipality numbers are reused and change (Asker was 0220, 3025 and is
// 3203), and a former municipality is an organisation of its own.
func (h *Handler) archiveRoutes() []httpx.Route {
	pub := func(pattern string, fn http.HandlerFunc) httpx.Route {
		return httpx.Route{Method: http.MethodGet, Pattern: pattern, Gate: policy.Public, Handler: fn, Stateless: true}
	}
	return []httpx.Route{
		pub("/priser", h.handleArchiveAwards),
		pub("/priser/feed.atom", h.handleArchiveFeed),
		pub("/priser/{slug}", h.handleArchiveAward),
		pub("/priser/{slug}/feed.atom", h.handleArchiveFeed),
		pub("/priser/{slug}/{year}", h.handleArchiveCycle),
		pub("/prosjekter/{id}", h.handleArchiveProject),
		pub("/prosjekter/{id}/filer/{file}", h.handleArchiveFile),
		pub("/kommuner/{id}", h.handleArchiveOrg),
		pub("/sok", h.handleArchiveSearch),
		pub("/sitemap.xml", h.handleSitemapIndex),
		pub("/sitemap-{part}.xml", h.handleSitemap),
		pub("/robots.txt", h.handleRobots),
	}
}

// Archive paths.
func awardPath(slug string) string { return "/priser/" + url.PathEscape(slug) }

func cyclePath(slug string, year int) string { return awardPath(slug) + "/" + strconv.Itoa(year) }

func projectPublicPath(id string) string { return "/prosjekter/" + url.PathEscape(id) }

func orgPublicPath(id int64) string { return "/kommuner/" + strconv.FormatInt(id, 10) }

func filePath(f archive.File) string {
	return projectPublicPath(f.ProjectID) + "/filer/" + url.PathEscape(f.PublicID)
}

// withLang adds ?lang= for languages other than bokmål, the default that
// plain URLs are in.
func withLang(path, lang string) string {
	if lang == i18n.Default || lang == "" {
		return path
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + "lang=" + lang
}

// archiveMeta is what every archive page adds to Base: its canonical URL,
// the same page in the other languages (hreflang), Open Graph and
// schema.org data, and helpers the templates use.
//
// Each language has its own URL: the plain path is bokmål, ?lang=nn and
// ?lang=en the others. A page's canonical URL is its own language's
// (Search engines then show each language to its readers), whatever else
// the query says; the plain path is also x-default.
type archiveMeta struct {
	Canonical  string
	Alternates []archiveAlt
	// Feed is the Atom feed to announce in the head.
	Feed    string
	NoIndex bool
	OG      *openGraph
	// JSONLD is schema.org data; html/template writes it as JSON inside
	// <script type="application/ld+json">, a data block that browsers do
	// not run (so the strict script-src does not apply to it).
	JSONLD  any
	l       *i18n.Localizer
	baseURL string
}

type archiveAlt struct{ Lang, URL string }

type openGraph struct {
	Type, Title, Description, URL, Image, ImageAlt, Locale string
	LocaleAlternates                                       []string
}

var ogLocales = map[string]string{"nb": "nb_NO", "nn": "nn_NO", "en": "en_GB"}

// archiveBase starts an archive page at path (without query) titled
// title. Base.Path, where the language switch returns to, drops ?lang=,
// which would otherwise win over the choice just made.
func (h *Handler) archiveBase(r *http.Request, title, path string) (Base, archiveMeta) {
	b := h.bareBase(r, "")
	b.Title = title
	q := r.URL.Query()
	q.Del("lang")
	next := path
	if enc := q.Encode(); enc != "" {
		next += "?" + enc
	}
	b.Path = url.QueryEscape(next)
	lang := b.L.Lang()
	m := archiveMeta{l: b.L, baseURL: strings.TrimSuffix(h.BaseURL, "/"), Canonical: strings.TrimSuffix(h.BaseURL, "/") + withLang(path, lang)}
	for _, code := range i18n.Langs {
		m.Alternates = append(m.Alternates, archiveAlt{Lang: code, URL: m.baseURL + withLang(path, code)})
	}
	m.Alternates = append(m.Alternates, archiveAlt{Lang: "x-default", URL: m.baseURL + path})
	m.Feed = m.Abs(withLang("/priser/feed.atom", lang))
	return b, m
}

// og fills in the Open Graph data every archive page has.
func (m *archiveMeta) og(title, description string, image *archive.File) {
	lang := m.l.Lang()
	m.OG = &openGraph{Type: "website", Title: title, Description: clip(description, 300), URL: m.Canonical, Locale: ogLocales[lang]}
	for _, code := range i18n.Langs {
		if code != lang {
			m.OG.LocaleAlternates = append(m.OG.LocaleAlternates, ogLocales[code])
		}
	}
	if image != nil {
		m.OG.Image, m.OG.ImageAlt = m.Abs(filePath(*image)), image.AltText
	}
}

// clip shortens s to at most n characters, at a word.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := string([]rune(s)[:n])
	if i := strings.LastIndex(r, " "); i > 0 {
		r = r[:i]
	}
	return r + " …"
}

// Abs makes path absolute with the app's base URL.
func (m archiveMeta) Abs(path string) string { return m.baseURL + path }

// Link keeps the page's language on a link within the archive.
func (m archiveMeta) Link(path string) string { return withLang(path, m.l.Lang()) }

// AwardLink, CycleLink, ProjectLink, OrgLink and FileLink are the
// archive's links in the page's language (files need none).
func (m archiveMeta) AwardLink(slug string) string { return m.Link(awardPath(slug)) }

// CycleLink links to a year of an award.
func (m archiveMeta) CycleLink(slug string, year int) string { return m.Link(cyclePath(slug, year)) }

// EntryLink links to a nomination on its year's page.
func (m archiveMeta) EntryLink(e archive.Entry) string {
	return m.CycleLink(e.Cycle.AwardSlug, e.Cycle.Year) + "#n-" + e.PublicID
}

// ProjectLink links to a project's page.
func (m archiveMeta) ProjectLink(id string) string { return m.Link(projectPublicPath(id)) }

// OrgLink links to an organisation's page.
func (m archiveMeta) OrgLink(id int64) string { return m.Link(orgPublicPath(id)) }

// FileLink links to a public file.
func (m archiveMeta) FileLink(f archive.File) string { return filePath(f) }

// Text picks a text in the page's language.
func (m archiveMeta) Text(t archive.Texts) string { return t.In(m.l.Lang()) }

// Local picks a text in the page's language with the language it is in,
// for LangAttr to mark a fallback to bokmål.
func (m archiveMeta) Local(t archive.Texts) awards.Text { return t.Pick(m.l.Lang()) }

// LangAttr is the lang attribute of an element showing t: none when t is
// in the page's language.
func (m archiveMeta) LangAttr(t awards.Text) template.HTMLAttr { return langAttr(t.Lang, m.l.Lang()) }

// Outcome names an outcome; "" for an ordinary applicant.
func (m archiveMeta) Outcome(o archive.Outcome) string {
	if o == archive.Applicant {
		return ""
	}
	return m.l.T("archive.outcome." + string(o))
}

// OutcomeColor is the tag colour of an outcome.
func (m archiveMeta) OutcomeColor(o archive.Outcome) string {
	if o == archive.Winner {
		return "success"
	}
	return "info"
}

// Challenge names a kind of challenge; "" for none.
func (m archiveMeta) Challenge(c awards.Challenge) string {
	if c == "" {
		return ""
	}
	return m.l.T("nominations.challenge." + string(c))
}

// Criterion returns a criterion's name and help text in the page's
// language, each with the language it is in.
func (m archiveMeta) Criterion(c awards.Criterion) [2]awards.Text {
	lang := m.l.Lang()
	return [2]awards.Text{awards.PickText(lang, c.NameNB, c.NameNN, c.NameEN), awards.PickText(lang, c.HelpNB, c.HelpNN, c.HelpEN)}
}

// Num formats a measured value.
func (m archiveMeta) Num(v float64) string { return formatNumber(m.l.Lang(), v) }

// Size formats a file size.
func (m archiveMeta) Size(n int64) string { return formatSize(n, m.l.Lang()) }

// Date formats a day.
func (m archiveMeta) Date(t time.Time) string { return m.l.FormatDate(t) }

// DatePtr formats a day that may be missing.
func (m archiveMeta) DatePtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return m.l.FormatDate(*t)
}

// Paragraphs splits a stored text into its paragraphs.
func (m archiveMeta) Paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// renderArchive renders an archive page. Errors go through h.Error, which
// needs no session.
func (h *Handler) renderArchive(w http.ResponseWriter, page string, data any) {
	h.Renderer.Render(w, http.StatusOK, page, data)
}

type archiveAwardsPage struct {
	Base
	archiveMeta
	Awards []archive.AwardPage
}

func (h *Handler) handleArchiveAwards(w http.ResponseWriter, r *http.Request) {
	list, err := h.Archive.Awards(r.Context())
	if err != nil {
		h.Error(w, r, err)
		return
	}
	b, m := h.archiveBase(r, "", "/priser")
	b.Title = b.L.T("archive.awards.title")
	m.og(b.Title, b.L.T("archive.awards.intro"), nil)
	h.renderArchive(w, "archive_awards", archiveAwardsPage{Base: b, archiveMeta: m, Awards: list})
}

type archiveAwardPage struct {
	Base
	archiveMeta
	Page archive.AwardPage
}

func (h *Handler) handleArchiveAward(w http.ResponseWriter, r *http.Request) {
	slug := chi.URLParam(r, "slug")
	p, err := h.Archive.Award(r.Context(), slug)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	b, m := h.archiveBase(r, "", awardPath(slug))
	b.Title = p.Award.Name.In(b.L.Lang())
	m.Feed = m.Abs(withLang(awardPath(slug)+"/feed.atom", b.L.Lang()))
	var image *archive.File
	for _, c := range p.Cycles {
		if image = c.Image(); image != nil {
			break
		}
	}
	m.og(b.Title, p.Award.Description.In(b.L.Lang()), image)
	h.renderArchive(w, "archive_award", archiveAwardPage{Base: b, archiveMeta: m, Page: p})
}

type archiveCyclePage struct {
	Base
	archiveMeta
	Cycle archive.Cycle
}

func (h *Handler) handleArchiveCycle(w http.ResponseWriter, r *http.Request) {
	slug := chi.URLParam(r, "slug")
	year, err := strconv.Atoi(chi.URLParam(r, "year"))
	if err != nil || year < 1 {
		h.NotFound(w, r)
		return
	}
	c, err := h.Archive.Cycle(r.Context(), slug, year)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	b, m := h.archiveBase(r, "", cyclePath(slug, year))
	lang := b.L.Lang()
	b.Title = c.Title + " – " + c.Award.Name.In(lang)
	m.Feed = m.Abs(withLang(awardPath(slug)+"/feed.atom", lang))
	description := c.Description.In(lang)
	if description == "" {
		description = c.Award.Description.In(lang)
	}
	var image *archive.File
	for _, e := range c.Winners {
		if image = e.Image(); image != nil {
			break
		}
	}
	m.og(c.Title, description, image)
	m.OG.Type = "article"
	m.JSONLD = cycleJSONLD(m, c)
	h.renderArchive(w, "archive_cycle", archiveCyclePage{Base: b, archiveMeta: m, Cycle: c})
}

// cycleJSONLD describes a year's results for search engines: a list of
// the winners, finalists and honourable mentions, each an organisation
// with its award, or a programme's participating organisations.
func cycleJSONLD(m archiveMeta, c archive.Cycle) any {
	var items []any
	for _, e := range append(append(append([]archive.Entry{}, c.Winners...), c.Finalists...), c.Honourable...) {
		for _, n := range e.Nominees {
			items = append(items, map[string]any{"@type": "ListItem", "position": len(items) + 1, "item": map[string]any{
				"@type": "GovernmentOrganization", "name": n.Name, "url": m.Abs(orgPublicPath(n.ID)),
				"award": c.Title + " – " + m.Outcome(e.Outcome)}})
		}
	}
	// A programme's participants, who won nothing.
	for _, e := range c.Participants {
		for _, n := range e.Nominees {
			items = append(items, map[string]any{"@type": "ListItem", "position": len(items) + 1, "item": map[string]any{
				"@type": "Organization", "name": n.Name, "url": m.Abs(orgPublicPath(n.ID))}})
		}
	}
	return map[string]any{"@context": "https://schema.org", "@type": "ItemList", "name": c.Title, "url": m.Canonical,
		"inLanguage": m.l.Lang(), "description": clip(c.Description.In(m.l.Lang()), 300), "itemListElement": items}
}

type archiveProjectPage struct {
	Base
	archiveMeta
	Page archive.ProjectPage
}

func (h *Handler) handleArchiveProject(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	p, err := h.Archive.Project(r.Context(), id)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	b, m := h.archiveBase(r, p.Project.Title, projectPublicPath(id))
	var image *archive.File
	if imgs := p.Project.Images(); len(imgs) > 0 {
		image = &imgs[0]
	}
	m.og(p.Project.Title, p.Project.Description, image)
	m.OG.Type = "article"
	var prizes []string
	for _, e := range p.Entries {
		if e.Outcome != archive.Applicant {
			prizes = append(prizes, e.Cycle.Title+" – "+m.Outcome(e.Outcome))
		}
	}
	ld := map[string]any{"@context": "https://schema.org", "@type": "Project", "name": p.Project.Title, "url": m.Canonical,
		"description":        clip(p.Project.Description, 500),
		"parentOrganization": map[string]any{"@type": "GovernmentOrganization", "name": p.Owner.Name, "url": m.Abs(orgPublicPath(p.Owner.ID))}}
	if len(prizes) > 0 {
		ld["award"] = prizes
	}
	if image != nil {
		ld["image"] = m.OG.Image
	}
	m.JSONLD = ld
	h.renderArchive(w, "archive_project", archiveProjectPage{Base: b, archiveMeta: m, Page: p})
}

// handleArchiveFile serves a public project's public file.
func (h *Handler) handleArchiveFile(w http.ResponseWriter, r *http.Request) {
	f, body, err := h.Archive.File(r.Context(), chi.URLParam(r, "id"), chi.URLParam(r, "file"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	defer body.Close()
	files.ServePublic(w, r, files.Meta{Filename: f.Filename, ContentType: f.ContentType, Size: f.Size, SHA256: f.SHA256}, body)
}

type archiveOrgPage struct {
	Base
	archiveMeta
	Page archive.OrganisationPage
}

func (h *Handler) handleArchiveOrg(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p, err := h.Archive.Organisation(r.Context(), id)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	b, m := h.archiveBase(r, p.Org.Name, orgPublicPath(id))
	m.og(p.Org.Name, b.L.T("archive.org.description", "Name", p.Org.Name, "Count", len(p.Entries)), nil)
	h.renderArchive(w, "archive_org", archiveOrgPage{Base: b, archiveMeta: m, Page: p})
}

type archiveSearchPage struct {
	Base
	archiveMeta
	Form       map[string]string
	Errors     map[string]string
	Facets     archive.Facets
	Challenges []awards.Challenge
	Results    archive.Results
	Searched   bool
	Prev, Next string
}

// searchFields maps the service's field names to the form's.
var searchFields = map[string]string{"q": "q", "year": "ar", "county": "fylke", "challenge": "utfordring", "page": "side", "per_page": "side"}

func (h *Handler) handleArchiveSearch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	b, m := h.archiveBase(r, "", "/sok")
	b.Title = b.L.T("archive.search.title")
	p := archiveSearchPage{Base: b, Form: map[string]string{}, Errors: map[string]string{}, Challenges: awards.Challenges}
	for _, k := range []string{"q", "ar", "fylke", "utfordring", "side"} {
		p.Form[k] = q.Get(k)
	}
	query := archive.Query{Text: p.Form["q"], County: p.Form["fylke"], Challenge: awards.Challenge(p.Form["utfordring"])}
	var convErr error
	if v := p.Form["ar"]; v != "" {
		if query.Year, convErr = strconv.Atoi(v); convErr != nil {
			p.Errors["ar"] = b.L.T("archive.error.year")
		}
	}
	if v := p.Form["side"]; v != "" {
		if query.Page, convErr = strconv.Atoi(v); convErr != nil {
			p.Errors["side"] = b.L.T("archive.error.page")
		}
	}
	p.Searched = p.Form["q"] != "" || p.Form["ar"] != "" || p.Form["fylke"] != "" || p.Form["utfordring"] != ""
	m.NoIndex = p.Searched
	facets, err := h.Archive.SearchFacets(r.Context())
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p.Facets = facets
	status := http.StatusOK
	if p.Searched && len(p.Errors) == 0 {
		res, err := h.Archive.Search(r.Context(), query)
		switch {
		case awards.ErrorCode(err) == awards.EInvalid:
			for k, v := range awards.ErrorFields(err) {
				p.Errors[searchFields[k]] = b.L.T(v)
			}
		case err != nil:
			h.Error(w, r, err)
			return
		default:
			p.Results = res
		}
	}
	if len(p.Errors) > 0 {
		status = http.StatusUnprocessableEntity
		p.Title = b.L.T("archive.search.title_error")
	} else if p.Searched {
		p.Title = b.L.T("archive.search.title_results", "Count", p.Results.Total)
		page := func(n int) string {
			v := url.Values{}
			for _, k := range []string{"q", "ar", "fylke", "utfordring"} {
				if p.Form[k] != "" {
					v.Set(k, p.Form[k])
				}
			}
			if n > 1 {
				v.Set("side", strconv.Itoa(n))
			}
			return m.Link("/sok?" + v.Encode())
		}
		if p.Results.Page > 1 {
			p.Prev = page(p.Results.Page - 1)
		}
		if p.Results.Page < p.Results.Pages() {
			p.Next = page(p.Results.Page + 1)
		}
	}
	m.og(b.L.T("archive.search.title"), b.L.T("archive.search.intro"), nil)
	p.archiveMeta = m
	h.Renderer.Render(w, status, "archive_search", p)
}

// archiveItem is what the archive's partials get: the page's helpers and
// the item to show as X.
type archiveItem struct {
	archiveMeta
	X any
}

// With pairs x with the page's helpers for a partial.
func (m archiveMeta) With(x any) archiveItem { return archiveItem{archiveMeta: m, X: x} }

// T translates in the page's language.
func (m archiveMeta) T(id string, kv ...any) string { return m.l.T(id, kv...) }

// LangOf is the lang attribute of content written in lang (a nominee's
// written form): none when it is the page's.
func (m archiveMeta) LangOf(lang string) template.HTMLAttr { return langAttr(lang, m.l.Lang()) }

// Fact says a fact of an award's history in the page's language (a note
// in the language it was written in).
func (m archiveMeta) Fact(f archive.Fact) awards.Text {
	lang := m.l.Lang()
	say := func(id string, kv ...any) awards.Text {
		return awards.Text{Text: m.l.T("archive.fact."+id, kv...), Lang: lang}
	}
	date := func() string {
		if f.Date == nil {
			return ""
		}
		return m.l.FormatDate(*f.Date)
	}
	switch f.Kind {
	case history.FactOwner:
		return say("owner")
	case history.FactSecretariat:
		who := f.Affiliation
		if f.Person != "" {
			who = f.Person + " (" + f.Affiliation + ")"
		}
		return say("secretariat", "Who", who)
	case history.FactCallAnnounced:
		return say("call_announced", "Month", m.l.FormatMonth(*f.Date))
	case history.FactDeadline, history.FactJuryMeeting, history.FactNomineesAnnounced, history.FactWinnerAnnounced:
		return say(f.Kind, "Date", date())
	case history.FactAnnouncedBy:
		return say("announced_by", "Name", f.Person)
	case history.FactPrize:
		return say("prize", "Amount", formatNumber(lang, float64(*f.A)))
	case history.FactApplicants:
		if f.A == nil {
			return say("applications", "Count", *f.B)
		}
		return say("applicants", "Municipalities", *f.A, "Projects", *f.B)
	}
	return f.Text.Pick(lang)
}

// Jurors are the jury members among facts.
func (m archiveMeta) Jurors(facts []archive.Fact) []archive.Fact {
	var out []archive.Fact
	for _, f := range facts {
		if f.Kind == history.FactJuror {
			out = append(out, f)
		}
	}
	return out
}

// One makes a list of one nominee, for the nominees partial.
func (m archiveMeta) One(n archive.Nominee) []archive.Nominee { return []archive.Nominee{n} }
