package archive

import (
	"context"
	"fmt"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// entrySelect reads public nominations: public_nominations decides which
// and with what outcome and statement; nothing else here says anything
// about a decision.
const entrySelect = `
	SELECT n.id, n.public_id, n.title, n.summary, n.challenge, coalesce(pn.outcome, '') AS outcome,
		coalesce(pn.statement_nb, '') AS statement_nb, coalesce(pn.statement_nn, '') AS statement_nn,
		coalesce(pn.statement_en, '') AS statement_en, pn.published_at,
		a.slug AS award_slug, a.name_nb AS award_name_nb, a.name_nn AS award_name_nn, a.name_en AS award_name_en,
		c.year, c.title AS cycle_title, a.kind AS award_kind, n.sources,
		(SELECT lo.language FROM nomination_organisations lx JOIN organisations lo ON lo.id = lx.organisation_id
			WHERE lx.nomination_id = n.id ORDER BY lx.lead DESC, lo.id LIMIT 1) AS lang
	FROM public_nominations pn
	JOIN nominations n ON n.id = pn.nomination_id
	JOIN cycles c ON c.id = pn.cycle_id
	JOIN awards a ON a.id = c.award_id`

// sortName is a public nomination's first nominee's name, by which lists
// are ordered within an outcome.
const sortName = `(SELECT min(so.name) FROM nomination_organisations sx JOIN organisations so ON so.id = sx.organisation_id
	WHERE sx.nomination_id = n.id)`

// entryOrder lists newest years first, then winners, finalists,
// honourable mentions and the others, by nominee.
const entryOrder = ` ORDER BY c.year DESC, a.slug, ` + outcomeOrder + `, ` + sortName + ` NULLS LAST, n.title, n.id`

type entryRow struct {
	ID          int64     `bun:"id"`
	PublicID    string    `bun:"public_id"`
	Title       string    `bun:"title"`
	Summary     string    `bun:"summary"`
	Challenge   string    `bun:"challenge"`
	Outcome     string    `bun:"outcome"`
	StatementNB string    `bun:"statement_nb"`
	StatementNN string    `bun:"statement_nn"`
	StatementEN string    `bun:"statement_en"`
	PublishedAt time.Time `bun:"published_at"`
	AwardSlug   string    `bun:"award_slug"`
	AwardNameNB string    `bun:"award_name_nb"`
	AwardNameNN string    `bun:"award_name_nn"`
	AwardNameEN string    `bun:"award_name_en"`
	Year        int       `bun:"year"`
	CycleTitle  string    `bun:"cycle_title"`
	AwardKind   string    `bun:"award_kind"`
	Sources     []string  `bun:"sources,array"`
	Lang        string    `bun:"lang"`
}

func (r entryRow) entry() Entry {
	return Entry{ID: r.ID, PublicID: r.PublicID, Title: r.Title, Summary: r.Summary, Challenge: awards.Challenge(r.Challenge),
		Outcome: Outcome(r.Outcome), Statement: Texts{r.StatementNB, r.StatementNN, r.StatementEN}, PublishedAt: r.PublishedAt,
		Cycle: CycleRef{AwardSlug: r.AwardSlug, AwardName: Texts{r.AwardNameNB, r.AwardNameNN, r.AwardNameEN}, Year: r.Year, Title: r.CycleTitle,
			Programme: awards.AwardKind(r.AwardKind) == awards.KindProgramme}, Sources: r.Sources, Lang: r.Lang}
}

// detail says how much of each entry to load.
type detail int

const (
	// withNominees loads the entries and their nominees.
	withNominees detail = iota
	// withProjects adds the projects with their measured results and
	// public files.
	withProjects
)

// loadEntries reads the public nominations matching where (a condition on
// pn, n, c and a, with args as $1…), in entryOrder, with d's detail.
func loadEntries(ctx context.Context, tx bun.Tx, d detail, where string, args ...any) ([]Entry, error) {
	var rows []entryRow
	if err := query(ctx, tx, &rows, entrySelect+` WHERE `+where+entryOrder, args...); err != nil {
		return nil, postgres.Map("load public nominations", err)
	}
	entries := make([]Entry, len(rows))
	for i, r := range rows {
		entries[i] = r.entry()
	}
	return entries, complete(ctx, tx, entries, d)
}

// complete adds nominees (and, with withProjects, projects) to entries.
func complete(ctx context.Context, tx bun.Tx, entries []Entry, d detail) error {
	if len(entries) == 0 {
		return nil
	}
	ids := make([]int64, len(entries))
	for i, e := range entries {
		ids[i] = e.ID
	}
	nominees, err := loadNominees(ctx, tx, ids)
	if err != nil {
		return err
	}
	var projects map[int64][]Project
	if d >= withProjects {
		if projects, err = loadProjects(ctx, tx, ids); err != nil {
			return err
		}
	}
	for i := range entries {
		entries[i].Nominees = nominees[entries[i].ID]
		entries[i].Projects = projects[entries[i].ID]
	}
	return nil
}

// currentOf returns a WITH clause naming, for each organisation whose ID
// the subquery ids selects, the organisation it is part of today: the end
// of its chain of successors (current_of: start, id, name). Organisations
// that still exist have no row.
func currentOf(ids string) string {
	return `WITH RECURSIVE chain(start, id, depth) AS (
		SELECT o.id, o.successor_id, 1 FROM organisations o WHERE o.id IN (` + ids + `) AND o.successor_id IS NOT NULL
		UNION ALL
		SELECT ch.start, s.successor_id, ch.depth + 1 FROM chain ch JOIN organisations s ON s.id = ch.id
		WHERE s.successor_id IS NOT NULL AND ch.depth < 32),
	current_of AS (SELECT DISTINCT ON (ch.start) ch.start, cur.id, cur.name FROM chain ch
		JOIN organisations cur ON cur.id = ch.id ORDER BY ch.start, ch.depth DESC)`
}

type nomineeRow struct {
	NominationID int64      `bun:"nomination_id"`
	ID           int64      `bun:"id"`
	Kind         string     `bun:"kind"`
	Name         string     `bun:"name"`
	Number       string     `bun:"number"`
	County       string     `bun:"county"`
	ValidTo      *time.Time `bun:"valid_to"`
	NowID        int64      `bun:"now_id"`
	NowName      string     `bun:"now_name"`
}

func (r nomineeRow) nominee() Nominee {
	n := Nominee{ID: r.ID, Kind: awards.OrgKind(r.Kind), Name: r.Name, Number: r.Number, County: r.County,
		Former: r.ValidTo != nil, ValidTo: r.ValidTo}
	if n.Former && r.NowID != 0 {
		n.Now = &OrgRef{ID: r.NowID, Name: r.NowName}
	}
	return n
}

// nomineeColumns describe organisation o with its county and, from
// current_of, what it is part of today.
const nomineeColumns = `o.id, o.kind, o.name, coalesce(o.number, '') AS number, o.valid_to,
	CASE WHEN co.kind = 'county' THEN co.name ELSE '' END AS county, coalesce(cur.id, 0) AS now_id, coalesce(cur.name, '') AS now_name`

func loadNominees(ctx context.Context, tx bun.Tx, nominations []int64) (map[int64][]Nominee, error) {
	var rows []nomineeRow
	err := query(ctx, tx, &rows, currentOf(`SELECT organisation_id FROM nomination_organisations WHERE nomination_id = ANY($1::bigint[])`)+`
		SELECT x.nomination_id, `+nomineeColumns+`
		FROM nomination_organisations x
		JOIN organisations o ON o.id = x.organisation_id
		LEFT JOIN organisations co ON co.id = o.parent_id
		LEFT JOIN current_of cur ON cur.start = o.id
		WHERE x.nomination_id = ANY($1::bigint[])
		ORDER BY x.nomination_id, o.name, o.id`, nominations)
	if err != nil {
		return nil, postgres.Map("load nominees", err)
	}
	out := map[int64][]Nominee{}
	for _, r := range rows {
		out[r.NominationID] = append(out[r.NominationID], r.nominee())
	}
	return out, nil
}

type projectRow struct {
	NominationID int64      `bun:"nomination_id"`
	ID           int64      `bun:"id"`
	PublicID     string     `bun:"public_id"`
	Title        string     `bun:"title"`
	Description  string     `bun:"description"`
	Results      string     `bun:"results"`
	Partners     string     `bun:"partners"`
	PeriodStart  *time.Time `bun:"period_start"`
	PeriodEnd    *time.Time `bun:"period_end"`
	Links        []string   `bun:"links,array"`
	OwnerID      int64      `bun:"owner_id"`
	OwnerName    string     `bun:"owner_name"`
	Sources      []string   `bun:"sources,array"`
	Lang         string     `bun:"lang"`
}

func (r projectRow) project() Project {
	return Project{PublicID: r.PublicID, Title: r.Title, Description: r.Description, Results: r.Results, Partners: r.Partners,
		PeriodStart: r.PeriodStart, PeriodEnd: r.PeriodEnd, Links: r.Links, Owner: OrgRef{ID: r.OwnerID, Name: r.OwnerName},
		Sources: r.Sources, Lang: r.Lang}
}

const projectColumns = `p.id, p.public_id, p.title, p.description, p.results, p.partners, p.period_start, p.period_end, p.links,
	p.organisation_id AS owner_id, ow.name AS owner_name, p.sources, ow.language AS lang`

// loadProjects reads the projects of public nominations, which are public
// because those nominations are.
func loadProjects(ctx context.Context, tx bun.Tx, nominations []int64) (map[int64][]Project, error) {
	var rows []projectRow
	err := query(ctx, tx, &rows, `SELECT np.nomination_id, `+projectColumns+`
		FROM nomination_projects np
		JOIN projects p ON p.id = np.project_id
		JOIN organisations ow ON ow.id = p.organisation_id
		WHERE np.nomination_id = ANY($1::bigint[])
		ORDER BY np.nomination_id, np.position, p.id`, nominations)
	if err != nil {
		return nil, postgres.Map("load projects", err)
	}
	ids := make([]int64, 0, len(rows))
	for _, r := range rows {
		ids = append(ids, r.ID)
	}
	measures, files, err := loadProjectParts(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	out := map[int64][]Project{}
	for _, r := range rows {
		p := r.project()
		p.Measures, p.Files = measures[r.ID], files[r.ID]
		out[r.NominationID] = append(out[r.NominationID], p)
	}
	return out, nil
}

type measureRow struct {
	ProjectID int64   `bun:"project_id"`
	Label     string  `bun:"label"`
	Value     float64 `bun:"value"`
	Unit      string  `bun:"unit"`
}

type fileRow struct {
	ProjectID       int64  `bun:"project_id"`
	ProjectPublicID string `bun:"project_public_id"`
	PublicID        string `bun:"public_id"`
	Filename        string `bun:"filename"`
	ContentType     string `bun:"content_type"`
	Size            int64  `bun:"size"`
	AltText         string `bun:"alt_text"`
	SHA256          string `bun:"sha256"`
	// StorageKey is read only to open a file's bytes.
	StorageKey string `bun:"storage_key"`
}

func (r fileRow) file() File {
	return File{PublicID: r.PublicID, ProjectID: r.ProjectPublicID, Filename: r.Filename, ContentType: r.ContentType,
		Size: r.Size, AltText: r.AltText, SHA256: r.SHA256}
}

// loadProjectParts reads the measured results and the public files of
// projects the caller knows to be public.
func loadProjectParts(ctx context.Context, tx bun.Tx, projects []int64) (map[int64][]awards.Measure, map[int64][]File, error) {
	if len(projects) == 0 {
		return nil, nil, nil
	}
	var ms []measureRow
	if err := query(ctx, tx, &ms, `SELECT project_id, label, value, unit FROM project_results
		WHERE project_id = ANY($1::bigint[]) ORDER BY project_id, position, id`, projects); err != nil {
		return nil, nil, postgres.Map("load measured results", err)
	}
	var fs []fileRow
	if err := query(ctx, tx, &fs, `SELECT f.project_id, p.public_id AS project_public_id, f.public_id, f.filename, f.content_type, f.size,
			f.alt_text, f.sha256
		FROM attachments f JOIN projects p ON p.id = f.project_id
		WHERE f.public AND f.project_id = ANY($1::bigint[]) ORDER BY f.project_id, f.created_at, f.id`, projects); err != nil {
		return nil, nil, postgres.Map("load public files", err)
	}
	measures := map[int64][]awards.Measure{}
	for _, m := range ms {
		measures[m.ProjectID] = append(measures[m.ProjectID], awards.Measure{Label: m.Label, Value: m.Value, Unit: m.Unit})
	}
	files := map[int64][]File{}
	for _, f := range fs {
		files[f.ProjectID] = append(files[f.ProjectID], f.file())
	}
	return measures, files, nil
}

// errNotFound is what every missing or not (yet) public thing gets: the
// archive never says whether something exists but is not public.
func errNotFound(what string) error {
	return awards.Errorf(awards.ENotFound, "no such %s in the archive", what)
}

// wrap adds the operation to an error that is not already an *awards.Error.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	if awards.ErrorCode(err) != awards.EInternal {
		return err
	}
	return fmt.Errorf("%s: %w", op, err)
}
