package nominations

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// PageSize is how many nominations one page of the admin's list shows.
const PageSize = 50

// Bounds on what a filter may ask for.
const (
	maxQuery = 200
	maxPage  = 10000
)

// Message keys of the filter's field errors.
const (
	keyFilterStatus = "exports.error.status"
	keyFilterID     = "exports.error.id"
	keyFilterPage   = "exports.error.page"
)

// Statuses lists every nomination status, in the order filters show them;
// the schema's CHECK and the API's enums hold the same (tests keep them so).
var Statuses = []awards.NominationStatus{awards.StatusDraft, awards.StatusSubmitted, awards.StatusWithdrawn, awards.StatusIneligible}

func validStatus(s awards.NominationStatus) bool {
	for _, k := range Statuses {
		if k == s {
			return true
		}
	}
	return false
}

// Filter narrows the admin's list (and the exports) of a cycle's
// nominations. Zero values mean "any".
type Filter struct {
	Status awards.NominationStatus
	// CountyID is a county: it matches nominations with a nominee in it
	// (the organisation's parent).
	CountyID int64
	// OrganisationID matches nominations with this nominee.
	OrganisationID int64
	Challenge      awards.Challenge
	// Query is a full-text search in web-search syntax ("svømmehall
	// -Asker", "\"ny tjeneste\"", "Træna or Sola") over the nominations'
	// texts and their projects', taken together. Words are stemmed
	// (Norwegian) and also match the start of longer words.
	Query string
	// Page counts from 1; 0 means 1. Exports ignore it.
	Page int
}

// validate cleans f in place and reports bad values per field (status,
// county, organisation, challenge, q, page).
func (f *Filter) validate() error {
	fe := fieldErrors{}
	if f.Status != "" && !validStatus(f.Status) {
		fe.add("status", keyFilterStatus)
	}
	if f.Challenge != "" && !f.Challenge.Valid() {
		fe.add("challenge", keyChallenge)
	}
	if f.CountyID < 0 {
		fe.add("county", keyFilterID)
	}
	if f.OrganisationID < 0 {
		fe.add("organisation", keyFilterID)
	}
	var key string
	if f.Query, key = cleanText(f.Query, false, maxQuery); key != "" {
		fe.add("q", key)
	}
	if f.Page == 0 {
		f.Page = 1
	}
	if f.Page < 1 || f.Page > maxPage {
		fe.add("page", keyFilterPage)
	}
	return fe.err()
}

// filterSQL is a filter as SQL: a WITH clause (the search query, when
// there is one), the FROM list and the WHERE conditions, with their
// arguments in order.
type filterSQL struct {
	with, from, where string
	args              []any
	search            bool
}

func (f Filter) sql(cycleID int64) filterSQL {
	var s filterSQL
	conds := []string{"n.cycle_id = ?"}
	s.from = "nominations n"
	if f.Query != "" {
		s.search = true
		// Every word of the query also matches as the start of a longer
		// word ('energi' becomes 'energi':*), so that a search finds
		// Norwegian compounds: "energi" finds "energieffektive".
		s.with = `WITH q AS (SELECT regexp_replace(websearch_to_tsquery('norwegian', ?)::text,
			'''([^'']|'''')*''', '\&:*', 'g')::tsquery AS q)`
		s.args = append(s.args, f.Query)
		// The nomination and its projects are searched as one text, so
		// that every word must occur somewhere in them and "-word" leaves
		// out a nomination if any of them has it.
		s.from = `nominations n CROSS JOIN q CROSS JOIN LATERAL (SELECT n.search || coalesce((SELECT tsvector_agg(dp.search ORDER BY dnp.position, dp.id)
			FROM nomination_projects dnp JOIN projects dp ON dp.id = dnp.project_id WHERE dnp.nomination_id = n.id), ''::tsvector) AS doc) d`
	}
	s.args = append(s.args, cycleID)
	if f.Status != "" {
		conds = append(conds, "n.status = ?")
		s.args = append(s.args, string(f.Status))
	}
	if f.Challenge != "" {
		conds = append(conds, "n.challenge = ?")
		s.args = append(s.args, string(f.Challenge))
	}
	if f.OrganisationID != 0 {
		conds = append(conds, `EXISTS (SELECT 1 FROM nomination_organisations fx
			WHERE fx.nomination_id = n.id AND fx.organisation_id = ?)`)
		s.args = append(s.args, f.OrganisationID)
	}
	if f.CountyID != 0 {
		conds = append(conds, `EXISTS (SELECT 1 FROM nomination_organisations fx JOIN organisations fo ON fo.id = fx.organisation_id
			WHERE fx.nomination_id = n.id AND fo.parent_id = ?)`)
		s.args = append(s.args, f.CountyID)
	}
	if s.search {
		conds = append(conds, "d.doc @@ q.q")
	}
	s.where = strings.Join(conds, " AND ")
	return s
}

// rank orders search hits, titles (weight A) before other texts; 0
// without a search.
func (s filterSQL) rank() string {
	if !s.search {
		return "0::real"
	}
	return "ts_rank(d.doc, q.q)"
}

// sortName is the first nominee's name, by which lists are ordered when
// there is no search to rank by.
const sortName = `(SELECT min(so.name) FROM nomination_organisations sx JOIN organisations so ON so.id = sx.organisation_id
	WHERE sx.nomination_id = n.id)`

// Nominee is a nominee organisation as lists show it: under its name at
// the time, with the organisation that took over if it no longer exists.
type Nominee struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Former    bool   `json:"former"`
	Successor string `json:"successor"`
}

// Fragment is a piece of a search snippet; Hit marks the words that
// matched.
type Fragment struct {
	Text string
	Hit  bool
}

// ListItem is one line of the admin's list of a cycle's nominations.
type ListItem struct {
	PublicID         string
	Title            string
	Status           awards.NominationStatus
	Challenge        awards.Challenge
	Nominees         []Nominee
	County           string
	SubmittedAt      *time.Time
	Projects         int
	IneligibleReason string
	// Snippet shows where a search matched; empty without a search.
	Snippet []Fragment
}

// Markers ts_headline puts around hits and between fragments. Control
// characters cannot occur in stored texts (cleanText refuses them), so
// they cannot be forged and never need escaping.
const (
	hitStart  = "\x01"
	hitStop   = "\x02"
	fragBreak = "\x03"
)

var headlineOptions = fmt.Sprintf("StartSel=%s, StopSel=%s, MaxWords=24, MinWords=8, MaxFragments=2, FragmentDelimiter=%s",
	hitStart, hitStop, fragBreak)

// snippet splits a ts_headline result into fragments.
func snippet(s string) []Fragment {
	var out []Fragment
	parts := strings.Split(s, fragBreak)
	for i, part := range parts {
		if i > 0 {
			out = append(out, Fragment{Text: " … "})
		}
		for part != "" {
			start := strings.Index(part, hitStart)
			if start < 0 {
				out = append(out, Fragment{Text: strings.ReplaceAll(part, hitStop, "")})
				break
			}
			if start > 0 {
				out = append(out, Fragment{Text: strings.ReplaceAll(part[:start], hitStop, "")})
			}
			part = part[start+len(hitStart):]
			stop := strings.Index(part, hitStop)
			if stop < 0 {
				stop = len(part)
			}
			if hit := strings.ReplaceAll(part[:stop], hitStart, ""); hit != "" {
				out = append(out, Fragment{Text: hit, Hit: true})
			}
			part = strings.TrimPrefix(part[stop:], hitStop)
		}
	}
	return out
}

type listRow struct {
	PublicID         string     `bun:"public_id"`
	Title            string     `bun:"title"`
	Status           string     `bun:"status"`
	Challenge        string     `bun:"challenge"`
	SubmittedAt      *time.Time `bun:"submitted_at"`
	IneligibleReason string     `bun:"ineligible_reason"`
	Nominees         string     `bun:"nominees"`
	County           string     `bun:"county"`
	Projects         int        `bun:"projects"`
	Snippet          string     `bun:"snippet"`
}

// nomineesJSON and countiesSQL describe a nomination n's nominees.
const (
	nomineesJSON = `coalesce((SELECT json_agg(json_build_object('id', o.id, 'name', o.name, 'former', o.valid_to IS NOT NULL,
			'successor', coalesce(so.name, '')) ORDER BY o.name, o.id)
		FROM nomination_organisations x JOIN organisations o ON o.id = x.organisation_id
		LEFT JOIN organisations so ON so.id = o.successor_id
		WHERE x.nomination_id = n.id), '[]')::text`
	nomineeNames = `coalesce((SELECT string_agg(o.name, ', ' ORDER BY o.name, o.id)
		FROM nomination_organisations x JOIN organisations o ON o.id = x.organisation_id
		WHERE x.nomination_id = n.id), '')`
	countiesSQL = `coalesce((SELECT string_agg(DISTINCT co.name, ', ')
		FROM nomination_organisations x JOIN organisations o ON o.id = x.organisation_id
		JOIN organisations co ON co.id = o.parent_id
		WHERE x.nomination_id = n.id), '')`
)

// reviewCycle loads a cycle for the admin's list and exports: EForbidden
// for anyone but the cycle's admins, ENotFound for an unknown cycle (or
// one in draft that the actor may not know of).
func reviewCycle(ctx context.Context, db bun.IDB, actor *awards.Actor, publicID string) (cycleRow, error) {
	forbidden := awards.Errorf(awards.EForbidden, "only the award's administrators see all of a cycle's nominations")
	if !actor.AnyAdmin() {
		return cycleRow{}, forbidden
	}
	c, err := cycleByPublicID(ctx, db, actor, publicID, false)
	if err != nil {
		return c, err
	}
	if !policy.CanReviewNominations(actor, c.ID) {
		return cycleRow{}, forbidden
	}
	return c, nil
}

// AdminList returns one page of the cycle's nominations that match f, in
// every status, and how many match in all. With a search, the best
// matches come first, each with a snippet; otherwise they are ordered by
// nominee. Site admins only: others get EForbidden. Returns ENotFound for
// an unknown cycle and EInvalid (fields status, county, organisation,
// challenge, q, page) for a bad filter.
func (s *Service) AdminList(ctx context.Context, actor *awards.Actor, cyclePublicID string, f Filter) ([]ListItem, int, error) {
	c, err := reviewCycle(ctx, s.db, actor, cyclePublicID)
	if err != nil {
		return nil, 0, err
	}
	if err := f.validate(); err != nil {
		return nil, 0, err
	}
	q := f.sql(c.ID)
	var total int
	if err := s.db.NewRaw(q.with+` SELECT count(*) FROM `+q.from+` WHERE `+q.where, q.args...).Scan(ctx, &total); err != nil {
		return nil, 0, postgres.Map("count nominations", err)
	}
	offset := (f.Page - 1) * PageSize
	items := []ListItem{}
	if offset >= total {
		return items, total, nil
	}
	with := q.with
	if with == "" {
		with = "WITH"
	} else {
		with += ","
	}
	headline := "''"
	args := append([]any{}, q.args...)
	args = append(args, PageSize, offset)
	if q.search {
		// Only the page's rows get a headline: ts_headline re-parses the
		// texts and is the costly part of a search.
		// The title is shown anyway, so the snippet is taken from the
		// rest: the summary and the projects' texts.
		headline = `ts_headline('norwegian', n.summary || ' ' || coalesce((SELECT string_agg(
				hp.title || '. ' || hp.description || ' ' || hp.results, ' ' ORDER BY hnp.position, hp.id)
			FROM nomination_projects hnp JOIN projects hp ON hp.id = hnp.project_id WHERE hnp.nomination_id = n.id), ''),
			q.q, ?)`
		args = append(args, headlineOptions)
	}
	from := "page JOIN nominations n ON n.id = page.id"
	if q.search {
		from += " CROSS JOIN q"
	}
	var rows []listRow
	err = s.db.NewRaw(with+` page AS (
			SELECT n.id, `+q.rank()+` AS rank, `+sortName+` AS sort_name
			FROM `+q.from+` WHERE `+q.where+`
			ORDER BY rank DESC, sort_name NULLS LAST, n.title, n.id
			LIMIT ? OFFSET ?)
		SELECT n.public_id, n.title, n.status, n.challenge, n.submitted_at, n.ineligible_reason,
			`+nomineesJSON+` AS nominees, `+countiesSQL+` AS county,
			(SELECT count(*) FROM nomination_projects np WHERE np.nomination_id = n.id) AS projects,
			`+headline+` AS snippet
		FROM `+from+`
		ORDER BY page.rank DESC, page.sort_name NULLS LAST, n.title, n.id`, args...).Scan(ctx, &rows)
	if err != nil {
		return nil, 0, postgres.Map("list nominations", err)
	}
	for _, r := range rows {
		it := ListItem{PublicID: r.PublicID, Title: r.Title, Status: awards.NominationStatus(r.Status),
			Challenge: awards.Challenge(r.Challenge), County: r.County, SubmittedAt: r.SubmittedAt, Projects: r.Projects,
			IneligibleReason: r.IneligibleReason}
		// A snippet without a hit (the title matched) would only repeat
		// the summary.
		if frags := snippet(r.Snippet); slices.ContainsFunc(frags, func(f Fragment) bool { return f.Hit }) {
			it.Snippet = frags
		}
		if err := json.Unmarshal([]byte(r.Nominees), &it.Nominees); err != nil {
			return nil, 0, fmt.Errorf("decode nominees of %s: %w", r.PublicID, err)
		}
		items = append(items, it)
	}
	return items, total, nil
}

// Overview is what the admin's list of a cycle's nominations offers to
// filter by: the cycle, its nominations counted by status, and the
// counties and organisations nominated in it.
type Overview struct {
	Cycle  awards.Cycle
	Total  int
	Counts map[awards.NominationStatus]int
	// Counties are the counties of the cycle's nominees, by name.
	Counties []awards.Organisation
	// Organisations are the cycle's nominees under their names at the
	// time, by name (SuccessorName set for those that no longer exist).
	Organisations []awards.Organisation
}

// AdminOverview returns the cycle with its counts and filter choices.
// Site admins only: others get EForbidden; ENotFound for an unknown
// cycle.
func (s *Service) AdminOverview(ctx context.Context, actor *awards.Actor, cyclePublicID string) (Overview, error) {
	c, err := reviewCycle(ctx, s.db, actor, cyclePublicID)
	if err != nil {
		return Overview{}, err
	}
	out := Overview{Cycle: c.Cycle(), Counts: map[awards.NominationStatus]int{}}
	var counts []struct {
		Status string `bun:"status"`
		N      int    `bun:"n"`
	}
	if err := s.db.NewRaw(`SELECT status, count(*) AS n FROM nominations WHERE cycle_id = ? GROUP BY status`, c.ID).Scan(ctx, &counts); err != nil {
		return out, postgres.Map("count nominations by status", err)
	}
	for _, r := range counts {
		out.Counts[awards.NominationStatus(r.Status)] = r.N
		out.Total += r.N
	}
	var orgs []struct {
		ID        int64      `bun:"id"`
		Kind      string     `bun:"kind"`
		Name      string     `bun:"name"`
		ParentID  int64      `bun:"parent_id"`
		County    string     `bun:"county"`
		ValidTo   *time.Time `bun:"valid_to"`
		Successor string     `bun:"successor"`
	}
	err = s.db.NewRaw(`
		SELECT DISTINCT o.id, o.kind, o.name, coalesce(o.parent_id, 0) AS parent_id, coalesce(co.name, '') AS county,
			o.valid_to, coalesce(so.name, '') AS successor
		FROM nominations n JOIN nomination_organisations x ON x.nomination_id = n.id
		JOIN organisations o ON o.id = x.organisation_id
		LEFT JOIN organisations co ON co.id = o.parent_id
		LEFT JOIN organisations so ON so.id = o.successor_id
		WHERE n.cycle_id = ?
		ORDER BY o.name, o.id`, c.ID).Scan(ctx, &orgs)
	if err != nil {
		return out, postgres.Map("list nominees", err)
	}
	seen := map[int64]bool{}
	for _, o := range orgs {
		out.Organisations = append(out.Organisations, awards.Organisation{ID: o.ID, Kind: awards.OrgKind(o.Kind), Name: o.Name,
			ParentID: o.ParentID, CountyName: o.County, ValidTo: o.ValidTo, SuccessorName: o.Successor})
		if o.ParentID != 0 && !seen[o.ParentID] {
			seen[o.ParentID] = true
			out.Counties = append(out.Counties, awards.Organisation{ID: o.ParentID, Kind: awards.KindCounty, Name: o.County})
		}
	}
	slices.SortFunc(out.Counties, func(a, b awards.Organisation) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}
