package api

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/archive"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/history"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/policy"
)

// publicRoutes are the read-only public API over the archive: no login,
// the same answer for everyone (Stateless, so cached, with ETags and CORS
// for any origin). Lists are paginated with page and per_page, with the
// next and previous pages in the Link header and the body.
func (h *Handler) publicRoutes() []httpx.Route {
	pub := func(pattern string, fn http.HandlerFunc) httpx.Route {
		return httpx.Route{Method: http.MethodGet, Pattern: pattern, Gate: policy.Public, Handler: fn, Stateless: true}
	}
	return []httpx.Route{
		pub("/api/v1/public/awards", h.handlePublicAwards),
		pub("/api/v1/public/awards/{slug}", h.handlePublicAward),
		pub("/api/v1/public/awards/{slug}/{year}", h.handlePublicCycle),
		pub("/api/v1/public/projects/{id}", h.handlePublicProject),
		pub("/api/v1/public/organisations/{id}", h.handlePublicOrganisation),
		pub("/api/v1/public/search", h.handlePublicSearch),
	}
}

// PublicTexts is a text in bokmål, nynorsk and English; nn and en are ""
// where there is no translation.
type PublicTexts struct {
	NB string `json:"nb"`
	NN string `json:"nn"`
	EN string `json:"en"`
}

func publicTexts(t archive.Texts) PublicTexts { return PublicTexts{NB: t.NB, NN: t.NN, EN: t.EN} }

// PublicOrgRef points to an organisation in the archive.
type PublicOrgRef struct {
	ID     ID     `json:"id"`
	Name   string `json:"name"`
	URL    string `json:"url"`
	APIURL string `json:"api_url"`
}

// PublicNominee is a nominee as it was when nominated: a former
// municipality under its name of the time, with what it is part of now.
type PublicNominee struct {
	PublicOrgRef
	Kind    string        `json:"kind"`
	Number  string        `json:"number,omitempty"`
	County  string        `json:"county,omitempty"`
	Former  bool          `json:"former"`
	ValidTo *string       `json:"valid_to,omitempty"`
	Now     *PublicOrgRef `json:"now,omitempty"`
}

// PublicFile is a public attachment: a picture (with its alternative
// text) or a PDF.
type PublicFile struct {
	ID          string `json:"id"`
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	AltText     string `json:"alt_text,omitempty"`
	URL         string `json:"url"`
}

// PublicMeasure is a measured result.
type PublicMeasure struct {
	Label string  `json:"label"`
	Value float64 `json:"value"`
	Unit  string  `json:"unit,omitempty"`
}

// PublicProject is a public project.
type PublicProject struct {
	ID          string          `json:"id"`
	Title       string          `json:"title"`
	Description string          `json:"description"`
	Results     string          `json:"results"`
	Partners    string          `json:"partners"`
	PeriodStart *string         `json:"period_start"`
	PeriodEnd   *string         `json:"period_end"`
	Links       []string        `json:"links"`
	Owner       PublicOrgRef    `json:"owner"`
	Measures    []PublicMeasure `json:"measures"`
	Files       []PublicFile    `json:"files"`
	// Sources state what the project is, for one from the award's history.
	Sources []PublicSource `json:"sources,omitempty"`
	URL     string         `json:"url"`
	APIURL  string         `json:"api_url"`
}

// PublicSource is a public document that states facts of an award's
// history.
type PublicSource struct {
	Publisher string `json:"publisher"`
	Title     string `json:"title"`
	URL       string `json:"url"`
	Published string `json:"published,omitempty"`
}

// PublicFact is a fact of a year of an award's history with its sources.
// Kind says which fields it has: a date (deadline, jury_meeting,
// nominees_announced, winner_announced; call_announced gives the month's
// first day), counts (applicants), the prize in kroner, a person
// (juror, secretariat, announced_by) or a text (note).
type PublicFact struct {
	Kind           string         `json:"kind"`
	Date           *string        `json:"date,omitempty"`
	Municipalities *int           `json:"municipalities,omitempty"`
	Projects       *int           `json:"projects,omitempty"`
	Applications   *int           `json:"applications,omitempty"`
	AmountNOK      *int           `json:"amount_nok,omitempty"`
	Person         string         `json:"person,omitempty"`
	Affiliation    string         `json:"affiliation,omitempty"`
	Organisation   *PublicOrgRef  `json:"organisation,omitempty"`
	Chair          bool           `json:"chair,omitempty"`
	Text           *PublicTexts   `json:"text,omitempty"`
	Sources        []PublicSource `json:"sources"`
}

// PublicNomination is a public nomination. Outcome is winner, finalist or
// honourable_mention, or null for an application published because its
// year publishes all of them; statement is the jury's, once public.
type PublicNomination struct {
	ID        string  `json:"id"`
	Award     string  `json:"award"`
	Year      int     `json:"year"`
	Cycle     string  `json:"cycle"`
	Title     string  `json:"title"`
	Summary   string  `json:"summary"`
	Challenge string  `json:"challenge,omitempty"`
	Outcome   *string `json:"outcome"`
	// Programme: a participation in a programme's cohort, never with an
	// outcome.
	Programme   bool            `json:"programme,omitempty"`
	Statement   *PublicTexts    `json:"statement,omitempty"`
	PublishedAt time.Time       `json:"published_at"`
	Nominees    []PublicNominee `json:"nominees"`
	Projects    []PublicProject `json:"projects,omitempty"`
	// Sources state the nomination and its outcome, for one from the
	// award's history.
	Sources []PublicSource `json:"sources,omitempty"`
	URL     string         `json:"url"`
}

// PublicCriterion is one of a year's criteria.
type PublicCriterion struct {
	Name     PublicTexts `json:"name"`
	Help     PublicTexts `json:"help"`
	Weight   float64     `json:"weight"`
	ScaleMin float64     `json:"scale_min"`
	ScaleMax float64     `json:"scale_max"`
}

// PublicYear is one published year of an award, in brief.
type PublicYear struct {
	Year               int                `json:"year"`
	Title              string             `json:"title"`
	PublishedAt        time.Time          `json:"published_at"`
	Applications       int                `json:"applications"`
	Winners            []PublicNomination `json:"winners"`
	Finalists          []PublicNomination `json:"finalists"`
	HonourableMentions []PublicNomination `json:"honourable_mentions"`
	// Participants are a programme's cohort, in brief.
	Participants []PublicNomination `json:"participants,omitempty"`
	Image        *PublicFile        `json:"image,omitempty"`
	URL          string             `json:"url"`
	APIURL       string             `json:"api_url"`
}

// PublicAward is an award with its published years, newest first.
type PublicAward struct {
	Slug         string            `json:"slug"`
	Name         PublicTexts       `json:"name"`
	Description  PublicTexts       `json:"description"`
	Owner        string            `json:"owner,omitempty"`
	Kind         string            `json:"kind"`
	Years        []PublicYear      `json:"years"`
	CriteriaYear int               `json:"criteria_year,omitempty"`
	Criteria     []PublicCriterion `json:"criteria,omitempty"`
	URL          string            `json:"url"`
	APIURL       string            `json:"api_url"`
	FeedURL      string            `json:"feed_url"`
}

// PublicCycle is a published year of an award.
type PublicCycle struct {
	Award       string      `json:"award"`
	AwardName   PublicTexts `json:"award_name"`
	AwardKind   string      `json:"award_kind"`
	Year        int         `json:"year"`
	Title       string      `json:"title"`
	Description PublicTexts `json:"description"`
	CallText    PublicTexts `json:"call_text"`
	// PublishedAt is null for a year of the award's history with no
	// outcome (2020).
	PublishedAt *time.Time        `json:"published_at"`
	Criteria    []PublicCriterion `json:"criteria"`
	// Facts are the year's facts from the award's history.
	Facts  []PublicFact `json:"facts,omitempty"`
	URL    string       `json:"url"`
	APIURL string       `json:"api_url"`
}

// PublicPage says where a list's page stands; Next and Prev are the
// neighbouring pages' URLs (also in the Link header).
type PublicPage struct {
	Page    int    `json:"page"`
	PerPage int    `json:"per_page"`
	Total   int    `json:"total"`
	Next    string `json:"next,omitempty"`
	Prev    string `json:"prev,omitempty"`
}

// PublicAwardList is a page of awards.
type PublicAwardList struct {
	Items []PublicAward `json:"items"`
	PublicPage
}

// PublicCycleAnswer is a published year and a page of its public
// nominations: winners first, then finalists, honourable mentions and the
// other applications.
type PublicCycleAnswer struct {
	Cycle PublicCycle        `json:"cycle"`
	Items []PublicNomination `json:"items"`
	PublicPage
}

// PublicProjectAnswer is a public project, its owner and the public
// nominations it was part of.
type PublicProjectAnswer struct {
	Project     PublicProject      `json:"project"`
	Owner       PublicNominee      `json:"owner"`
	Nominations []PublicNomination `json:"nominations"`
}

// PublicOrganisationAnswer is an organisation, what a former one became
// (step by step to today's organisation), the former organisations that
// are part of it today, and a page of its (and their) public
// nominations, newest first.
type PublicOrganisationAnswer struct {
	Organisation PublicNominee            `json:"organisation"`
	Successors   []PublicSuccessor        `json:"successors"`
	Predecessors []PublicNominee          `json:"predecessors"`
	Items        []PublicOrganisationItem `json:"items"`
	PublicPage
}

// PublicSuccessor is one step of what a former organisation became.
type PublicSuccessor struct {
	PublicNominee
	Since *string `json:"since,omitempty"`
}

// PublicOrganisationItem is one of an organisation's public nominations;
// Predecessor names the former organisation that made it, when that was
// not the organisation itself (Asker 0220's win of 2017 on today's
// Asker's page).
type PublicOrganisationItem struct {
	PublicNomination
	Predecessor *PublicNominee `json:"predecessor,omitempty"`
}

// PublicHighlight is a text with the search's words marked: as plain
// text, and as HTML where everything is escaped but the <mark> elements.
type PublicHighlight struct {
	Text string `json:"text"`
	HTML string `json:"html"`
}

func highlight(f archive.Fragments) PublicHighlight {
	return PublicHighlight{Text: f.String(), HTML: f.HTML()}
}

// PublicProjectHit is a project of a search hit; matched says whether it
// matches the search on its own.
type PublicProjectHit struct {
	ID      string          `json:"id"`
	Title   PublicHighlight `json:"title"`
	Matched bool            `json:"matched"`
	URL     string          `json:"url"`
	APIURL  string          `json:"api_url"`
}

// PublicHit is a public nomination matching a search.
type PublicHit struct {
	Nomination PublicNomination   `json:"nomination"`
	Title      PublicHighlight    `json:"title"`
	Snippet    PublicHighlight    `json:"snippet"`
	Projects   []PublicProjectHit `json:"projects"`
}

// PublicSearchAnswer is a page of search hits, best first.
type PublicSearchAnswer struct {
	Items []PublicHit `json:"items"`
	PublicPage
}

// publicURLs makes the absolute URLs the answers carry.
type publicURLs struct{ base string }

func (h *Handler) urls() publicURLs { return publicURLs{base: strings.TrimSuffix(h.BaseURL, "/")} }

func (u publicURLs) award(slug string) (page, api string) {
	return u.base + "/priser/" + url.PathEscape(slug), u.base + "/api/v1/public/awards/" + url.PathEscape(slug)
}

func (u publicURLs) cycle(slug string, year int) (page, api string) {
	p, a := u.award(slug)
	y := "/" + strconv.Itoa(year)
	return p + y, a + y
}

func (u publicURLs) org(id int64) PublicOrgRef {
	s := strconv.FormatInt(id, 10)
	return PublicOrgRef{ID: ID(id), URL: u.base + "/kommuner/" + s, APIURL: u.base + "/api/v1/public/organisations/" + s}
}

func (u publicURLs) project(id string) (page, api string) {
	return u.base + "/prosjekter/" + url.PathEscape(id), u.base + "/api/v1/public/projects/" + url.PathEscape(id)
}

func (u publicURLs) nominee(n archive.Nominee) PublicNominee {
	ref := u.org(n.ID)
	ref.Name = n.Name
	out := PublicNominee{PublicOrgRef: ref, Kind: string(n.Kind), Number: n.Number, County: n.County, Former: n.Former, ValidTo: date(n.ValidTo)}
	if n.Now != nil {
		now := u.org(n.Now.ID)
		now.Name = n.Now.Name
		out.Now = &now
	}
	return out
}

func date(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.Format(time.DateOnly)
	return &s
}

func (u publicURLs) file(f archive.File) PublicFile {
	page, _ := u.project(f.ProjectID)
	return PublicFile{ID: f.PublicID, Filename: f.Filename, ContentType: f.ContentType, Size: f.Size, AltText: f.AltText,
		URL: page + "/filer/" + url.PathEscape(f.PublicID)}
}

func (u publicURLs) projectOf(p archive.Project) PublicProject {
	page, api := u.project(p.PublicID)
	owner := u.org(p.Owner.ID)
	owner.Name = p.Owner.Name
	out := PublicProject{ID: p.PublicID, Title: p.Title, Description: p.Description, Results: p.Results, Partners: p.Partners,
		PeriodStart: date(p.PeriodStart), PeriodEnd: date(p.PeriodEnd), Links: p.Links, Owner: owner,
		Measures: []PublicMeasure{}, Files: []PublicFile{}, URL: page, APIURL: api}
	if out.Links == nil {
		out.Links = []string{}
	}
	for _, m := range p.Measures {
		out.Measures = append(out.Measures, PublicMeasure{Label: m.Label, Value: m.Value, Unit: m.Unit})
	}
	for _, f := range p.Files {
		out.Files = append(out.Files, u.file(f))
	}
	out.Sources = sourcesOf(p.Refs)
	return out
}

func sourcesOf(refs []archive.Source) []PublicSource {
	var out []PublicSource
	for _, s := range refs {
		out = append(out, PublicSource{Publisher: s.Publisher, Title: s.Title, URL: s.URL, Published: s.Published})
	}
	return out
}

func (u publicURLs) factsOf(facts []archive.Fact) []PublicFact {
	var out []PublicFact
	for _, f := range facts {
		p := PublicFact{Kind: f.Kind, Date: date(f.Date), Person: f.Person, Affiliation: f.Affiliation, Chair: f.Chair,
			Sources: sourcesOf(f.Refs)}
		switch f.Kind {
		case history.FactApplicants:
			if f.A != nil {
				p.Municipalities, p.Projects = f.A, f.B
			} else {
				p.Applications = f.B
			}
		case history.FactPrize:
			p.AmountNOK = f.A
		case history.FactNote:
			t := publicTexts(f.Text)
			p.Text = &t
		}
		if f.Organisation != nil {
			o := u.nominee(*f.Organisation).PublicOrgRef
			p.Organisation = &o
		}
		out = append(out, p)
	}
	return out
}

func (u publicURLs) nomination(e archive.Entry) PublicNomination {
	page, _ := u.cycle(e.Cycle.AwardSlug, e.Cycle.Year)
	out := PublicNomination{ID: e.PublicID, Award: e.Cycle.AwardSlug, Year: e.Cycle.Year, Cycle: e.Cycle.Title, Title: e.Title,
		Summary: e.Summary, Challenge: string(e.Challenge), PublishedAt: e.PublishedAt, Programme: e.Cycle.Programme, Nominees: []PublicNominee{}, URL: page + "#n-" + e.PublicID}
	if e.Outcome != archive.Applicant {
		o := string(e.Outcome)
		out.Outcome = &o
	}
	if e.Statement != (archive.Texts{}) {
		s := publicTexts(e.Statement)
		out.Statement = &s
	}
	for _, n := range e.Nominees {
		out.Nominees = append(out.Nominees, u.nominee(n))
	}
	for _, p := range e.Projects {
		out.Projects = append(out.Projects, u.projectOf(p))
	}
	out.Sources = sourcesOf(e.Refs)
	return out
}

func (u publicURLs) nominations(es []archive.Entry) []PublicNomination {
	out := make([]PublicNomination, 0, len(es))
	for _, e := range es {
		out = append(out, u.nomination(e))
	}
	return out
}

func criteriaOf(cs []awards.Criterion) []PublicCriterion {
	out := make([]PublicCriterion, 0, len(cs))
	for _, c := range cs {
		out = append(out, PublicCriterion{Name: PublicTexts{c.NameNB, c.NameNN, c.NameEN}, Help: PublicTexts{c.HelpNB, c.HelpNN, c.HelpEN},
			Weight: c.Weight, ScaleMin: c.ScaleMin, ScaleMax: c.ScaleMax})
	}
	return out
}

// awardKind is an archive award's kind as the API names it.
func awardKind(programme bool) string {
	if programme {
		return string(awards.KindProgramme)
	}
	return string(awards.KindPrize)
}

func (u publicURLs) awardOf(p archive.AwardPage) PublicAward {
	page, api := u.award(p.Award.Slug)
	out := PublicAward{Slug: p.Award.Slug, Name: publicTexts(p.Award.Name), Description: publicTexts(p.Award.Description),
		Owner: p.Award.Owner, Kind: awardKind(p.Award.Programme), Years: []PublicYear{}, URL: page, APIURL: api, FeedURL: page + "/feed.atom"}
	for _, c := range p.Cycles {
		cp, ca := u.cycle(p.Award.Slug, c.Year)
		y := PublicYear{Year: c.Year, Title: c.Title, PublishedAt: c.PublishedAt, Applications: c.Applications,
			Winners: u.nominations(c.Winners), Finalists: u.nominations(c.Finalists), HonourableMentions: u.nominations(c.Honourable),
			URL: cp, APIURL: ca}
		if len(c.Participants) > 0 {
			y.Participants = u.nominations(c.Participants)
		}
		// Years in brief: who, not their projects.
		for _, l := range [][]PublicNomination{y.Winners, y.Finalists, y.HonourableMentions, y.Participants} {
			for i := range l {
				l[i].Projects = nil
			}
		}
		if img := c.Image(); img != nil {
			f := u.file(*img)
			y.Image = &f
		}
		out.Years = append(out.Years, y)
	}
	if len(p.Criteria) > 0 {
		out.CriteriaYear, out.Criteria = p.CriteriaYear, criteriaOf(p.Criteria)
	}
	return out
}

// pageParams reads page and per_page (defaults 1 and 20, per_page at most
// 100). Returns EInvalid.
func pageParams(r *http.Request) (page, perPage int, err error) {
	fields := map[string]string{}
	read := func(name string, def, max int) int {
		v := r.URL.Query().Get(name)
		if v == "" {
			return def
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > max {
			fields[name] = "archive.error." + name
		}
		return n
	}
	page, perPage = read("page", 1, 1000), read("per_page", archive.DefaultPerPage, archive.MaxPerPage)
	if len(fields) > 0 {
		return 0, 0, awards.Invalid(fields)
	}
	return page, perPage, nil
}

// paginate sets the page's neighbours (keeping the request's other query
// parameters) in p and the Link header.
func (h *Handler) paginate(w http.ResponseWriter, r *http.Request, p *PublicPage) {
	link := func(n int) string {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(n))
		q.Set("per_page", strconv.Itoa(p.PerPage))
		return h.urls().base + r.URL.Path + "?" + q.Encode()
	}
	var links []string
	if p.Page*p.PerPage < p.Total {
		p.Next = link(p.Page + 1)
		links = append(links, fmt.Sprintf(`<%s>; rel="next"`, p.Next))
	}
	if p.Page > 1 {
		p.Prev = link(min(p.Page-1, max(1, (p.Total+p.PerPage-1)/p.PerPage)))
		links = append(links, fmt.Sprintf(`<%s>; rel="prev"`, p.Prev))
	}
	if len(links) > 0 {
		w.Header().Set("Link", strings.Join(links, ", "))
	}
}

// pageOf cuts page p out of a list of n items.
func pageOf(n, page, perPage int) (from, to int) {
	from = min(n, (page-1)*perPage)
	return from, min(n, from+perPage)
}

func (h *Handler) handlePublicAwards(w http.ResponseWriter, r *http.Request) {
	page, perPage, err := pageParams(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	list, err := h.Archive.Awards(r.Context())
	if err != nil {
		h.Error(w, r, err)
		return
	}
	u := h.urls()
	out := PublicAwardList{Items: []PublicAward{}, PublicPage: PublicPage{Page: page, PerPage: perPage, Total: len(list)}}
	from, to := pageOf(len(list), page, perPage)
	for _, a := range list[from:to] {
		out.Items = append(out.Items, u.awardOf(a))
	}
	h.paginate(w, r, &out.PublicPage)
	httpx.WriteJSON(w, http.StatusOK, out)
}

func (h *Handler) handlePublicAward(w http.ResponseWriter, r *http.Request) {
	p, err := h.Archive.Award(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, h.urls().awardOf(p))
}

func (h *Handler) handlePublicCycle(w http.ResponseWriter, r *http.Request) {
	year, err := strconv.Atoi(chi.URLParam(r, "year"))
	if err != nil {
		h.Error(w, r, awards.Errorf(awards.ENotFound, "no such year in the archive"))
		return
	}
	page, perPage, err := pageParams(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	c, err := h.Archive.Cycle(r.Context(), chi.URLParam(r, "slug"), year)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	u := h.urls()
	pageURL, apiURL := u.cycle(c.Award.Slug, c.Year)
	entries := c.Entries()
	from, to := pageOf(len(entries), page, perPage)
	out := PublicCycleAnswer{
		Cycle: PublicCycle{Award: c.Award.Slug, AwardName: publicTexts(c.Award.Name), AwardKind: awardKind(c.Award.Programme), Year: c.Year, Title: c.Title,
			Description: publicTexts(c.Description), CallText: publicTexts(c.CallText), Criteria: criteriaOf(c.Criteria),
			Facts: u.factsOf(c.Facts), URL: pageURL, APIURL: apiURL},
		Items:      u.nominations(entries[from:to]),
		PublicPage: PublicPage{Page: page, PerPage: perPage, Total: len(entries)},
	}
	if !c.PublishedAt.IsZero() {
		out.Cycle.PublishedAt = &c.PublishedAt
	}
	h.paginate(w, r, &out.PublicPage)
	httpx.WriteJSON(w, http.StatusOK, out)
}

func (h *Handler) handlePublicProject(w http.ResponseWriter, r *http.Request) {
	p, err := h.Archive.Project(r.Context(), chi.URLParam(r, "id"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	u := h.urls()
	httpx.WriteJSON(w, http.StatusOK, PublicProjectAnswer{Project: u.projectOf(p.Project), Owner: u.nominee(p.Owner),
		Nominations: u.nominations(p.Entries)})
}

func (h *Handler) handlePublicOrganisation(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	page, perPage, err := pageParams(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p, err := h.Archive.Organisation(r.Context(), id)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	u := h.urls()
	from, to := pageOf(len(p.Entries), page, perPage)
	out := PublicOrganisationAnswer{Organisation: u.nominee(p.Org), Successors: []PublicSuccessor{}, Predecessors: []PublicNominee{},
		Items: []PublicOrganisationItem{}, PublicPage: PublicPage{Page: page, PerPage: perPage, Total: len(p.Entries)}}
	for _, s := range p.Successors {
		ref := u.org(s.ID)
		ref.Name = s.Name
		out.Successors = append(out.Successors, PublicSuccessor{PublicNominee: PublicNominee{PublicOrgRef: ref, Kind: string(p.Org.Kind),
			Number: s.Number, Former: s.ValidTo != nil, ValidTo: date(s.ValidTo)}, Since: date(s.Since)})
	}
	predecessor := func(pr archive.Predecessor) PublicNominee {
		ref := u.org(pr.ID)
		ref.Name = pr.Name
		return PublicNominee{PublicOrgRef: ref, Kind: string(p.Org.Kind), Number: pr.Number, Former: true, ValidTo: date(pr.ValidTo)}
	}
	for _, pr := range p.Predecessors {
		out.Predecessors = append(out.Predecessors, predecessor(pr))
	}
	for _, e := range p.Entries[from:to] {
		item := PublicOrganisationItem{PublicNomination: u.nomination(e)}
		if as := p.As(e); as != nil {
			pr := predecessor(*as)
			item.Predecessor = &pr
		}
		out.Items = append(out.Items, item)
	}
	h.paginate(w, r, &out.PublicPage)
	httpx.WriteJSON(w, http.StatusOK, out)
}

func (h *Handler) handlePublicSearch(w http.ResponseWriter, r *http.Request) {
	qs := r.URL.Query()
	page, perPage, err := pageParams(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	q := archive.Query{Text: qs.Get("q"), County: qs.Get("county"), Challenge: awards.Challenge(qs.Get("challenge")), Page: page, PerPage: perPage}
	if v := qs.Get("year"); v != "" {
		if q.Year, err = strconv.Atoi(v); err != nil {
			h.Error(w, r, awards.Invalid(map[string]string{"year": "archive.error.year"}))
			return
		}
	}
	res, err := h.Archive.Search(r.Context(), q)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	u := h.urls()
	out := PublicSearchAnswer{Items: []PublicHit{}, PublicPage: PublicPage{Page: res.Page, PerPage: res.PerPage, Total: res.Total}}
	for _, hit := range res.Hits {
		ph := PublicHit{Nomination: u.nomination(hit.Entry), Title: highlight(hit.Title), Snippet: highlight(hit.Snippet), Projects: []PublicProjectHit{}}
		for _, p := range hit.Projects {
			page, api := u.project(p.PublicID)
			ph.Projects = append(ph.Projects, PublicProjectHit{ID: p.PublicID, Title: highlight(p.Title), Matched: p.Matched, URL: page, APIURL: api})
		}
		out.Items = append(out.Items, ph)
	}
	h.paginate(w, r, &out.PublicPage)
	httpx.WriteJSON(w, http.StatusOK, out)
}
