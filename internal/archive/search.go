package archive

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"html"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// Limits on a search.
const (
	// MaxQuery is the longest search text, in characters.
	MaxQuery = 200
	// MaxPerPage is the most hits one page may hold.
	MaxPerPage = 100
	// DefaultPerPage is a page's size when none is asked for.
	DefaultPerPage = 20
	// maxPage keeps deep pages (and their OFFSET) within reason.
	maxPage = 1000
)

// Query is a search of the archive: words in web-search syntax
// ("svømmehall -Bergen", "\"tenk træna\"", "velferd or omsorg") with
// Norwegian stemming, and filters. An empty Text lists every public
// nomination that passes the filters.
type Query struct {
	Text string
	// Year is the award year; 0 for any.
	Year int
	// County is a county's number ("32" for Akershus); "" for any.
	County    string
	Challenge awards.Challenge
	// Page counts from 1; PerPage is at most MaxPerPage.
	Page    int
	PerPage int
}

var countyNumber = regexp.MustCompile(`^[0-9]{2}$`)

// validate fills in the page defaults and reports every bad field, with
// message keys under archive.error.
func (q *Query) validate() error {
	fields := map[string]string{}
	q.Text = strings.TrimSpace(q.Text)
	if utf8.RuneCountInString(q.Text) > MaxQuery {
		fields["q"] = "archive.error.query_too_long"
	}
	if strings.ContainsFunc(q.Text, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		fields["q"] = "archive.error.query_invalid"
	}
	if q.Year != 0 && (q.Year < 2000 || q.Year > 2200) {
		fields["year"] = "archive.error.year"
	}
	if q.County != "" && !countyNumber.MatchString(q.County) {
		fields["county"] = "archive.error.county"
	}
	if q.Challenge != "" && !q.Challenge.Valid() {
		fields["challenge"] = "archive.error.challenge"
	}
	if q.Page == 0 {
		q.Page = 1
	}
	if q.PerPage == 0 {
		q.PerPage = DefaultPerPage
	}
	if q.Page < 1 || q.Page > maxPage {
		fields["page"] = "archive.error.page"
	}
	if q.PerPage < 1 || q.PerPage > MaxPerPage {
		fields["per_page"] = "archive.error.per_page"
	}
	if len(fields) > 0 {
		return awards.Invalid(fields)
	}
	return nil
}

// Fragment is a piece of highlighted text; Hit marks words that matched.
type Fragment struct {
	Text string
	Hit  bool
}

// Fragments is a highlighted text.
type Fragments []Fragment

// String returns the text without highlighting.
func (f Fragments) String() string {
	var b strings.Builder
	for _, p := range f {
		b.WriteString(p.Text)
	}
	return b.String()
}

// HTML returns the text as HTML: every piece escaped, the hits in
// <mark>. Stored texts can hold any markup; none of it survives.
func (f Fragments) HTML() string {
	var b strings.Builder
	for _, p := range f {
		if p.Hit {
			b.WriteString("<mark>" + html.EscapeString(p.Text) + "</mark>")
		} else {
			b.WriteString(html.EscapeString(p.Text))
		}
	}
	return b.String()
}

// ProjectHit is a project of a hit; Matched says whether it matches the
// search on its own (and so is where the words were found).
type ProjectHit struct {
	PublicID string
	Title    Fragments
	Matched  bool
}

// Hit is a public nomination that matches a search.
type Hit struct {
	Entry    Entry
	Title    Fragments
	Snippet  Fragments
	Projects []ProjectHit
}

// Results is one page of a search's hits, best first, and how many match
// in all.
type Results struct {
	Hits    []Hit
	Total   int
	Page    int
	PerPage int
}

// Pages returns the number of pages of hits.
func (r Results) Pages() int { return (r.Total + r.PerPage - 1) / r.PerPage }

// marks are the delimiters ts_headline puts around hits and between
// fragments. They are random for every search, so that no stored text can
// contain them: whatever a nomination says, only real hits become <mark>.
type marks struct{ start, stop, gap string }

func newMarks() marks {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	tok := hex.EncodeToString(b)
	return marks{start: "hdrs" + tok + "x", stop: "hdre" + tok + "x", gap: "hdrf" + tok + "x"}
}

func (m marks) options(all bool) string {
	if all {
		return fmt.Sprintf("StartSel=%s, StopSel=%s, HighlightAll=true", m.start, m.stop)
	}
	return fmt.Sprintf("StartSel=%s, StopSel=%s, FragmentDelimiter=%s, MaxWords=30, MinWords=12, MaxFragments=2", m.start, m.stop, m.gap)
}

// split turns a ts_headline result into fragments.
func (m marks) split(s string) Fragments {
	var out Fragments
	add := func(text string, hit bool) {
		if text == "" {
			return
		}
		if n := len(out); n > 0 && out[n-1].Hit == hit {
			out[n-1].Text += text
			return
		}
		out = append(out, Fragment{Text: text, Hit: hit})
	}
	for i, part := range strings.Split(s, m.gap) {
		if i > 0 {
			add(" … ", false)
		}
		for part != "" {
			start := strings.Index(part, m.start)
			if start < 0 {
				add(strings.ReplaceAll(part, m.stop, ""), false)
				break
			}
			add(strings.ReplaceAll(part[:start], m.stop, ""), false)
			part = part[start+len(m.start):]
			stop := strings.Index(part, m.stop)
			if stop < 0 {
				stop = len(part)
			}
			add(part[:stop], true)
			part = strings.TrimPrefix(part[stop:], m.stop)
		}
	}
	return out
}

// searchDoc is a public nomination's searchable text: its title and
// summary, its nominees' names and its projects' texts, as one document,
// so that every word must occur somewhere in them ("svømmehall Asker").
const searchDoc = `(n.search
	|| setweight(to_tsvector('norwegian', coalesce((SELECT string_agg(so.name, ' ') FROM nomination_organisations sx
		JOIN organisations so ON so.id = sx.organisation_id WHERE sx.nomination_id = n.id), '')), 'A')
	|| coalesce((SELECT tsvector_agg(sp.search) FROM nomination_projects snp JOIN projects sp ON sp.id = snp.project_id
		WHERE snp.nomination_id = n.id), ''::tsvector))`

// parts finds, through the GIN indexes, the nominations with a part (the
// nomination's own text, a project, a nominee's name) that matches tsquery
// q (a placeholder), each with a score: how well that part matches,
// projects counting half, names a fixed half.
func parts(q string) string {
	return `SELECT n.id AS nid, ts_rank(n.search, ` + q + `::tsquery) AS score FROM nominations n WHERE n.search @@ ` + q + `::tsquery
	UNION ALL SELECT np.nomination_id, ts_rank(p.search, ` + q + `::tsquery) / 2 FROM projects p JOIN nomination_projects np ON np.project_id = p.id
		WHERE p.search @@ ` + q + `::tsquery
	UNION ALL SELECT x.nomination_id, 0.5 FROM organisations o JOIN nomination_organisations x ON x.organisation_id = o.id
		WHERE to_tsvector('norwegian', o.name) @@ ` + q + `::tsquery`
}

// plainWords matches a tsquery that is only words that must all occur
// ('svømmehall' & 'asker'): then a nomination matches when each word
// matches one of its parts, which the indexes can answer word by word.
var plainWords = regexp.MustCompile(`^'[^'\\]+'( & '[^'\\]+')*$`)

// quoteLexeme writes a lexeme as tsquery input.
func quoteLexeme(l string) string {
	return "'" + strings.ReplaceAll(strings.ReplaceAll(l, `\`, `\\`), "'", "''") + "'"
}

// Search returns a page of the public nominations matching q, best first
// (newest first without words). Returns EInvalid (fields q, year, county,
// challenge, page, per_page).
func (s *Service) Search(ctx context.Context, q Query) (Results, error) {
	if err := q.validate(); err != nil {
		return Results{}, err
	}
	res := Results{Page: q.Page, PerPage: q.PerPage, Hits: []Hit{}}
	err := s.read(ctx, func(ctx context.Context, tx bun.Tx) error {
		ids, ranked, total, err := searchIDs(ctx, tx, q)
		res.Total = total
		if err != nil || len(ids) == 0 {
			return err
		}
		entries, err := loadEntries(ctx, tx, withNominees, `n.id = ANY($1::bigint[])`, ids)
		if err != nil {
			return err
		}
		byID := map[int64]Entry{}
		for _, e := range entries {
			byID[e.ID] = e
		}
		hits := make([]Hit, 0, len(ids))
		for _, id := range ids {
			if e, ok := byID[id]; ok {
				hits = append(hits, Hit{Entry: e, Title: Fragments{{Text: e.Title}}, Snippet: preview(e.Summary)})
			}
		}
		if err := highlight(ctx, tx, q.Text, ranked, hits); err != nil {
			return err
		}
		res.Hits = hits
		return nil
	})
	return res, wrap("search the archive", err)
}

// searchIDs returns the IDs of the page's hits in order, whether they
// were ranked by words, and how many match in all.
//
// With words, the nominations whose parts match are found through the
// GIN indexes (all the words for a plain query, each in some part; any of
// them otherwise, and then the whole document is checked) and scored by
// their matching parts; only those candidates are then asked of
// public_nominations, with the filters, and ordered. All of it is one
// statement: the candidates (thousands for a common word) never travel to
// the server and back.
func searchIDs(ctx context.Context, tx bun.Tx, q Query) ([]int64, bool, int, error) {
	var p params
	var filters []string
	if q.Year != 0 {
		filters = append(filters, `c.year = `+p.add(q.Year))
	}
	if q.County != "" {
		filters = append(filters, `EXISTS (SELECT 1 FROM nomination_organisations fx JOIN organisations fo ON fo.id = fx.organisation_id
			JOIN organisations fc ON fc.id = fo.parent_id WHERE fx.nomination_id = pn.nomination_id AND fc.kind = 'county' AND fc.number = `+
			p.add(q.County)+`)`)
	}
	if q.Challenge != "" {
		filters = append(filters, `EXISTS (SELECT 1 FROM nominations cn WHERE cn.id = pn.nomination_id AND cn.challenge = `+
			p.add(string(q.Challenge))+`)`)
	}
	where := ""
	if len(filters) > 0 {
		where = " WHERE " + strings.Join(filters, " AND ")
	}
	const cycle = ` JOIN cycles c ON c.id = pn.cycle_id`
	if q.Text == "" {
		// Browsing: newest first, winners first, by name (in byte
		// order), then ID.
		ids, total, err := pageOf(ctx, tx, q, p, ``, ` FROM public_nominations pn JOIN nominations n ON n.id = pn.nomination_id`+cycle+where,
			`c.year DESC, `+outcomeOrder+`, coalesce(`+sortName+`, '') COLLATE "C", pn.nomination_id`)
		if err != nil {
			return nil, false, 0, postgres.Map("list public nominations", err)
		}
		return ids, false, total, nil
	}

	var probe struct {
		Empty     bool     `bun:"empty"`
		Indexable bool     `bun:"indexable"`
		Text      string   `bun:"text"`
		Lexemes   []string `bun:"lexemes,array"`
	}
	if err := query(ctx, tx, &probe, `SELECT numnode(q) = 0 AS empty, querytree(q) <> 'T' AS indexable, q::text AS text,
			tsvector_to_array(to_tsvector('norwegian', $1)) AS lexemes
		FROM websearch_to_tsquery('norwegian', $1) q`, q.Text); err != nil {
		return nil, true, 0, postgres.Map("read search words", err)
	}
	if probe.Empty {
		return nil, true, 0, nil // only stop words: nothing to look for
	}
	if !probe.Indexable {
		// Only words to leave out: that would be the whole archive, read
		// text by text. Ask for a word to look for instead.
		return nil, true, 0, awards.Invalid(map[string]string{"q": "archive.error.query_negative_only"})
	}
	quoted := make([]string, len(probe.Lexemes))
	for i, l := range probe.Lexemes {
		quoted[i] = quoteLexeme(l)
	}
	anyWord := p.add(strings.Join(quoted, " | "))
	var cand string
	switch {
	case plainWords.MatchString(probe.Text):
		// Every word in some part: intersect, word by word, the
		// nominations that have it; score by the parts that match any.
		words := strings.Split(probe.Text, " & ")
		cand = `cand AS (SELECT p.nid, sum(p.score) AS score FROM (` + parts(anyWord) + `) p GROUP BY p.nid)`
		if len(words) > 1 {
			var sel []string
			for _, w := range words {
				sel = append(sel, `SELECT nid FROM (`+parts(p.add(w))+`) p`)
			}
			cand = `hits AS (` + strings.Join(sel, " INTERSECT ") + `),
				cand AS (SELECT p.nid, sum(p.score) AS score FROM (` + parts(anyWord) + `) p WHERE p.nid IN (SELECT nid FROM hits) GROUP BY p.nid)`
		}
	default:
		// Or, not, phrases: any word picks candidates, the whole
		// document decides.
		cand = `scored AS (SELECT p.nid, sum(p.score) AS score FROM (` + parts(anyWord) + `) p GROUP BY p.nid),
			cand AS (SELECT scored.nid, scored.score FROM scored JOIN nominations n ON n.id = scored.nid
				WHERE ` + searchDoc + ` @@ websearch_to_tsquery('norwegian', ` + p.add(q.Text) + `))`
	}
	// Matching a tsvector costs far more than the planner thinks, so that
	// it would rather read every project than use the GIN index for a
	// common word (160 ms instead of 15 with 60,000 projects): while the
	// search is planned, it may not. The transaction is this search's
	// alone.
	if _, err := postgres.Driver(tx).ExecContext(ctx, `SET LOCAL enable_seqscan = off`); err != nil {
		return nil, true, 0, postgres.Map("plan search", err)
	}
	ids, total, err := pageOf(ctx, tx, q, p, `WITH `+cand+` `, ` FROM cand JOIN public_nominations pn ON pn.nomination_id = cand.nid`+cycle+where,
		`cand.score DESC, c.year DESC, `+outcomeOrder+`, pn.nomination_id`)
	if err != nil {
		return nil, true, 0, postgres.Map("search", err)
	}
	if _, err := postgres.Driver(tx).ExecContext(ctx, `SET LOCAL enable_seqscan = on`); err != nil {
		return nil, true, 0, postgres.Map("plan search", err)
	}
	return ids, true, total, nil
}

// pageOf runs with + `SELECT pn.nomination_id` + from, numbers the rows
// by order, and returns the IDs of q's page and how many rows there are
// in all. The first row always comes back, to carry the count when the
// page is past the end.
func pageOf(ctx context.Context, tx bun.Tx, q Query, p params, with, from, order string) ([]int64, int, error) {
	first, last := (q.Page-1)*q.PerPage+1, q.Page*q.PerPage
	var rows []struct {
		ID    int64 `bun:"id"`
		Rank  int   `bun:"rank"`
		Total int   `bun:"total"`
	}
	err := query(ctx, tx, &rows, with+`SELECT id, rank, total FROM (
			SELECT pn.nomination_id AS id, row_number() OVER (ORDER BY `+order+`) AS rank, count(*) OVER () AS total`+from+`) ranked
		WHERE rank = 1 OR rank BETWEEN `+p.add(first)+` AND `+p.add(last)+` ORDER BY rank`, p...)
	if err != nil || len(rows) == 0 {
		return nil, 0, err
	}
	ids := make([]int64, 0, len(rows))
	for _, r := range rows {
		if r.Rank >= first {
			ids = append(ids, r.ID)
		}
	}
	return ids, rows[0].Total, nil
}

// highlight marks the search words in the hits' titles, snippets (from
// the summary and the projects' descriptions and results, not their
// titles, which the hit lists beside it and which a description often
// opens with) and projects' titles. Without
// words, hits keep their plain title and the summary's opening.
func highlight(ctx context.Context, tx bun.Tx, text string, ranked bool, hits []Hit) error {
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = h.Entry.ID
	}
	m := newMarks()
	var projects []struct {
		NominationID int64  `bun:"nomination_id"`
		PublicID     string `bun:"public_id"`
		Title        string `bun:"title"`
		Matched      bool   `bun:"matched"`
	}
	// Without words there is nothing to mark.
	var p params
	title, matched, from := `p.title`, `false`, ``
	if ranked {
		title, matched = `ts_headline('norwegian', p.title, q, `+p.add(m.options(true))+`)`, `p.search @@ q`
		from = `, websearch_to_tsquery('norwegian', ` + p.add(text) + `) q`
	}
	err := query(ctx, tx, &projects, `SELECT np.nomination_id, p.public_id, `+title+` AS title, `+matched+` AS matched
		FROM nomination_projects np JOIN projects p ON p.id = np.project_id`+from+`
		WHERE np.nomination_id = ANY(`+p.add(ids)+`::bigint[]) ORDER BY np.nomination_id, np.position, p.id`, p...)
	if err != nil {
		return postgres.Map("highlight projects", err)
	}
	for i := range hits {
		for _, p := range projects {
			if p.NominationID == hits[i].Entry.ID {
				hits[i].Projects = append(hits[i].Projects, ProjectHit{PublicID: p.PublicID, Title: m.split(p.Title), Matched: p.Matched})
			}
		}
	}
	if !ranked {
		return nil
	}
	var heads []struct {
		ID      int64  `bun:"id"`
		Title   string `bun:"title"`
		Snippet string `bun:"snippet"`
	}
	err = query(ctx, tx, &heads, `SELECT n.id, ts_headline('norwegian', n.title, q, $1) AS title,
			ts_headline('norwegian', n.summary || coalesce((SELECT string_agg(E'\n' || hp.description || E'\n' || hp.results, ''
				ORDER BY hnp.position, hp.id) FROM nomination_projects hnp JOIN projects hp ON hp.id = hnp.project_id
				WHERE hnp.nomination_id = n.id), ''), q, $2) AS snippet
		FROM nominations n, websearch_to_tsquery('norwegian', $3) q WHERE n.id = ANY($4::bigint[])`,
		m.options(true), m.options(false), text, ids)
	if err != nil {
		return postgres.Map("highlight hits", err)
	}
	for i := range hits {
		for _, h := range heads {
			if h.ID == hits[i].Entry.ID {
				hits[i].Title, hits[i].Snippet = m.split(h.Title), m.split(h.Snippet)
			}
		}
	}
	return nil
}

// preview is the opening of a summary, cut at a word.
func preview(s string) Fragments {
	const max = 240
	if utf8.RuneCountInString(s) <= max {
		return Fragments{{Text: s}}
	}
	r := []rune(s)[:max]
	cut := strings.LastIndexAny(string(r), " \n\t")
	if cut <= 0 {
		cut = len(string(r))
	}
	return Fragments{{Text: strings.TrimSpace(string(r)[:cut]) + " …"}}
}

// County is a county to filter by.
type County struct {
	Number string
	Name   string
}

// Facets are the choices the search form offers: the years with public
// results, newest first, and today's counties by name.
type Facets struct {
	Years    []int
	Counties []County
}

// SearchFacets returns the search form's choices.
func (s *Service) SearchFacets(ctx context.Context) (Facets, error) {
	var f Facets
	err := s.read(ctx, func(ctx context.Context, tx bun.Tx) error {
		// A year is public once any nomination of it is: asking for one
		// per cycle (LIMIT 1) spares reading the whole archive through
		// public_nominations (6 ms instead of 20 with 200 years).
		if err := query(ctx, tx, &f.Years, `SELECT DISTINCT c.year FROM cycles c
			CROSS JOIN LATERAL (SELECT 1 FROM public_nominations pn WHERE pn.cycle_id = c.id LIMIT 1) public
			ORDER BY c.year DESC`); err != nil {
			return postgres.Map("list years", err)
		}
		var rows []struct {
			Number string `bun:"number"`
			Name   string `bun:"name"`
		}
		if err := query(ctx, tx, &rows, `SELECT number, name FROM organisations WHERE kind = 'county' AND valid_to IS NULL AND number IS NOT NULL
			ORDER BY name`); err != nil {
			return postgres.Map("list counties", err)
		}
		for _, r := range rows {
			f.Counties = append(f.Counties, County{Number: r.Number, Name: r.Name})
		}
		return nil
	})
	return f, wrap("search facets", err)
}
