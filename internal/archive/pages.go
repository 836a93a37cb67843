package archive

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/orgs"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// Award is what an award is, in three languages. Awards are public from
// the moment they exist; their years are not (see CycleCard).
type Award struct {
	Slug        string
	Name        Texts
	Description Texts
	Owner       string
	// Programme: the award is a programme, whose years are cohorts of
	// participants with their projects, with no jury and no prize.
	Programme bool
}

type awardRow struct {
	ID            int64  `bun:"id"`
	Slug          string `bun:"slug"`
	NameNB        string `bun:"name_nb"`
	NameNN        string `bun:"name_nn"`
	NameEN        string `bun:"name_en"`
	DescriptionNB string `bun:"description"`
	DescriptionNN string `bun:"description_nn"`
	DescriptionEN string `bun:"description_en"`
	Owner         string `bun:"owner"`
	Kind          string `bun:"kind"`
}

func (r awardRow) award() Award {
	return Award{Slug: r.Slug, Name: Texts{r.NameNB, r.NameNN, r.NameEN},
		Description: Texts{r.DescriptionNB, r.DescriptionNN, r.DescriptionEN}, Owner: r.Owner,
		Programme: awards.AwardKind(r.Kind) == awards.KindProgramme}
}

const awardSelect = `SELECT a.id, a.slug, a.name_nb, a.name_nn, a.name_en, a.description, a.description_nn, a.description_en,
	coalesce(ow.name, '') AS owner, a.kind
	FROM awards a LEFT JOIN organisations ow ON ow.id = a.owner_id`

// CycleCard is one published year of an award as the award's page shows
// it: the winners (with a picture, when their projects have one), the
// finalists and honourable mentions. A year has a card once anything of
// it is public.
type CycleCard struct {
	Year  int
	Title string
	// PublishedAt is the latest announcement made public.
	PublishedAt time.Time
	// Applications counts the year's public nominations.
	Applications int
	// History: the year comes from the award's history, with sources;
	// its public nominations are only those the sources name.
	History    bool
	Winners    []Entry
	Finalists  []Entry
	Honourable []Entry
	// Participants are a programme's cohort.
	Participants []Entry
}

// Image returns the first public picture of the winners' projects.
func (c CycleCard) Image() *File {
	for _, w := range c.Winners {
		if f := w.Image(); f != nil {
			return f
		}
	}
	return nil
}

// AwardPage is an award with its published years, newest first, and the
// criteria of the newest.
type AwardPage struct {
	Award    Award
	Criteria []awards.Criterion
	// CriteriaYear is the year whose criteria Criteria are; 0 when no
	// year is public yet.
	CriteriaYear int
	Cycles       []CycleCard
}

type publicCycleRow struct {
	ID           int64      `bun:"id"`
	AwardID      int64      `bun:"award_id"`
	Year         int        `bun:"year"`
	Title        string     `bun:"title"`
	PublishedAt  *time.Time `bun:"published_at"`
	Applications int        `bun:"applications"`
	History      bool       `bun:"history"`
}

// publicCycles are the cycles that have anything public, newest first.
const publicCycles = `SELECT c.id, c.award_id, c.year, c.title, max(pn.published_at) AS published_at, count(pn.nomination_id) AS applications,
		EXISTS (SELECT 1 FROM history_facts f WHERE f.cycle_id = c.id) AS history
	FROM cycles c LEFT JOIN public_nominations pn ON pn.cycle_id = c.id
	WHERE (pn.nomination_id IS NOT NULL OR EXISTS (SELECT 1 FROM history_facts f WHERE f.cycle_id = c.id))`

// Awards returns every award with its published years (winners and
// finalists by name), by name.
func (s *Service) Awards(ctx context.Context) ([]AwardPage, error) {
	var out []AwardPage
	err := s.read(ctx, func(ctx context.Context, tx bun.Tx) error {
		var rows []awardRow
		if err := query(ctx, tx, &rows, awardSelect+` ORDER BY a.name_nb, a.slug`); err != nil {
			return postgres.Map("list awards", err)
		}
		var cycles []publicCycleRow
		if err := query(ctx, tx, &cycles, publicCycles+` GROUP BY c.id ORDER BY c.year DESC`); err != nil {
			return postgres.Map("list public cycles", err)
		}
		entries, err := loadEntries(ctx, tx, withNominees, `(pn.outcome IS NOT NULL OR a.kind = 'programme')`)
		if err != nil {
			return err
		}
		out = make([]AwardPage, len(rows))
		for i, r := range rows {
			out[i] = AwardPage{Award: r.award(), Cycles: cards(r, cycles, entries)}
		}
		return nil
	})
	return out, wrap("list awards", err)
}

// cards builds award a's cycle cards from the public cycles and entries
// of all awards.
func cards(a awardRow, cycles []publicCycleRow, entries []Entry) []CycleCard {
	var out []CycleCard
	for _, c := range cycles {
		if c.AwardID != a.ID {
			continue
		}
		card := CycleCard{Year: c.Year, Title: c.Title, Applications: c.Applications, History: c.History}
		if c.PublishedAt != nil {
			card.PublishedAt = *c.PublishedAt
		}
		for _, e := range entries {
			if e.Cycle.AwardSlug != a.Slug || e.Cycle.Year != c.Year {
				continue
			}
			switch {
			case e.Cycle.Programme:
				card.Participants = append(card.Participants, e)
			case e.Outcome == Winner:
				card.Winners = append(card.Winners, e)
			case e.Outcome == Finalist:
				card.Finalists = append(card.Finalists, e)
			case e.Outcome == HonourableMention:
				card.Honourable = append(card.Honourable, e)
			}
		}
		out = append(out, card)
	}
	return out
}

func getAward(ctx context.Context, tx bun.Tx, slug string) (awardRow, error) {
	var r awardRow
	if err := queryRow(ctx, tx, &r, awardSelect+` WHERE a.slug = $1`, slug); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return r, errNotFound("award")
		}
		return r, postgres.Map("get award", err)
	}
	return r, nil
}

// Award returns the award with slug, its published years and the newest
// one's criteria. Returns ENotFound.
func (s *Service) Award(ctx context.Context, slug string) (AwardPage, error) {
	var p AwardPage
	err := s.read(ctx, func(ctx context.Context, tx bun.Tx) error {
		a, err := getAward(ctx, tx, slug)
		if err != nil {
			return err
		}
		var cycles []publicCycleRow
		if err := query(ctx, tx, &cycles, publicCycles+` AND c.award_id = $1 GROUP BY c.id ORDER BY c.year DESC`, a.ID); err != nil {
			return postgres.Map("list public cycles", err)
		}
		entries, err := loadEntries(ctx, tx, withProjects, `c.award_id = $1 AND (pn.outcome IS NOT NULL OR a.kind = 'programme')`, a.ID)
		if err != nil {
			return err
		}
		p = AwardPage{Award: a.award(), Cycles: cards(a, cycles, entries)}
		if len(cycles) > 0 {
			p.CriteriaYear = cycles[0].Year
			p.Criteria, err = loadCriteria(ctx, tx, cycles[0].ID)
		}
		return err
	})
	return p, wrap("get award "+slug, err)
}

type criterionRow struct {
	NameNB    string  `bun:"name_nb"`
	NameNN    string  `bun:"name_nn"`
	NameEN    string  `bun:"name_en"`
	HelpNB    string  `bun:"help_nb"`
	HelpNN    string  `bun:"help_nn"`
	HelpEN    string  `bun:"help_en"`
	Weight    float64 `bun:"weight"`
	ScaleMin  float64 `bun:"scale_min"`
	ScaleMax  float64 `bun:"scale_max"`
	ScaleStep float64 `bun:"scale_step"`
	Position  int     `bun:"position"`
}

// loadCriteria reads the criteria of a cycle the caller knows is public.
func loadCriteria(ctx context.Context, tx bun.Tx, cycleID int64) ([]awards.Criterion, error) {
	var rows []criterionRow
	if err := query(ctx, tx, &rows, `SELECT name_nb, name_nn, name_en, help_nb, help_nn, help_en, weight, scale_min, scale_max, scale_step, position
		FROM criteria WHERE cycle_id = $1 ORDER BY position, id`, cycleID); err != nil {
		return nil, postgres.Map("load criteria", err)
	}
	out := make([]awards.Criterion, len(rows))
	for i, r := range rows {
		out[i] = awards.Criterion{NameNB: r.NameNB, NameNN: r.NameNN, NameEN: r.NameEN, HelpNB: r.HelpNB, HelpNN: r.HelpNN,
			HelpEN: r.HelpEN, Weight: r.Weight, ScaleMin: r.ScaleMin, ScaleMax: r.ScaleMax, ScaleStep: r.ScaleStep, Position: r.Position}
	}
	return out, nil
}

// Cycle is one published year of an award: the call, the criteria, and
// its public nominations by outcome.
type Cycle struct {
	Award       Award
	Year        int
	Title       string
	Description Texts
	CallText    Texts
	// PublishedAt is the latest announcement made public.
	PublishedAt time.Time
	Criteria    []awards.Criterion
	Winners     []Entry
	Finalists   []Entry
	Honourable  []Entry
	// Others are the other applications, public when the cycle publishes
	// every application and its winners are out.
	Others []Entry
	// Participants are a programme's cohort: each participation with its
	// organisations and projects, no outcome.
	Participants []Entry
	// Facts are the year's facts from the award's history, and Sources
	// the sources the page cites, numbered.
	Facts   []Fact
	Sources []Source
}

// Entries returns all of the cycle's public nominations in page order.
func (c Cycle) Entries() []Entry {
	out := make([]Entry, 0, len(c.Winners)+len(c.Finalists)+len(c.Honourable)+len(c.Others)+len(c.Participants))
	out = append(out, c.Participants...)
	out = append(out, c.Winners...)
	out = append(out, c.Finalists...)
	out = append(out, c.Honourable...)
	return append(out, c.Others...)
}

type cycleRow struct {
	ID            int64      `bun:"id"`
	Year          int        `bun:"year"`
	Title         string     `bun:"title"`
	Description   string     `bun:"description"`
	DescriptionNN string     `bun:"description_nn"`
	DescriptionEN string     `bun:"description_en"`
	CallText      string     `bun:"call_text"`
	CallTextNN    string     `bun:"call_text_nn"`
	CallTextEN    string     `bun:"call_text_en"`
	PublishedAt   *time.Time `bun:"published_at"`
}

// Cycle returns the year of the award with slug, once anything of it is
// public. Returns ENotFound, also for a year that exists but has nothing
// public yet.
func (s *Service) Cycle(ctx context.Context, slug string, year int) (Cycle, error) {
	var c Cycle
	err := s.read(ctx, func(ctx context.Context, tx bun.Tx) error {
		a, err := getAward(ctx, tx, slug)
		if err != nil {
			return err
		}
		var r cycleRow
		err = queryRow(ctx, tx, &r, `SELECT c.id, c.year, c.title, c.description, c.description_nn, c.description_en,
				c.call_text, c.call_text_nn, c.call_text_en, max(pn.published_at) AS published_at
			FROM cycles c LEFT JOIN public_nominations pn ON pn.cycle_id = c.id
			WHERE c.award_id = $1 AND c.year = $2 GROUP BY c.id
			HAVING count(pn.nomination_id) > 0 OR EXISTS (SELECT 1 FROM history_facts f WHERE f.cycle_id = c.id)`, a.ID, year)
		if errors.Is(err, sql.ErrNoRows) {
			return errNotFound("year")
		}
		if err != nil {
			return postgres.Map("get cycle", err)
		}
		c = Cycle{Award: a.award(), Year: r.Year, Title: r.Title,
			Description: Texts{r.Description, r.DescriptionNN, r.DescriptionEN}, CallText: Texts{r.CallText, r.CallTextNN, r.CallTextEN}}
		if r.PublishedAt != nil {
			c.PublishedAt = *r.PublishedAt
		}
		if c.Criteria, err = loadCriteria(ctx, tx, r.ID); err != nil {
			return err
		}
		entries, err := loadEntries(ctx, tx, withProjects, `pn.cycle_id = $1`, r.ID)
		if err != nil {
			return err
		}
		if c.Facts, err = loadFacts(ctx, tx, r.ID); err != nil {
			return err
		}
		if c.Sources, err = cite(ctx, tx, c.Facts, entries); err != nil {
			return err
		}
		for _, e := range entries {
			switch {
			case e.Cycle.Programme:
				c.Participants = append(c.Participants, e)
			case e.Outcome == Winner:
				c.Winners = append(c.Winners, e)
			case e.Outcome == Finalist:
				c.Finalists = append(c.Finalists, e)
			case e.Outcome == HonourableMention:
				c.Honourable = append(c.Honourable, e)
			default:
				c.Others = append(c.Others, e)
			}
		}
		return nil
	})
	return c, wrap("get cycle", err)
}

// ProjectPage is a public project with its owner and the public
// nominations it was part of, newest first.
type ProjectPage struct {
	Project Project
	Owner   Nominee
	Entries []Entry
	// Sources are those the page cites, numbered.
	Sources []Source
}

// Project returns the project with public ID id once a public nomination
// links it. Returns ENotFound.
func (s *Service) Project(ctx context.Context, id string) (ProjectPage, error) {
	var p ProjectPage
	err := s.read(ctx, func(ctx context.Context, tx bun.Tx) error {
		var r projectRow
		err := queryRow(ctx, tx, &r, `SELECT `+projectColumns+` FROM projects p JOIN organisations ow ON ow.id = p.organisation_id
			WHERE p.public_id = $1 AND `+projectIsPublic, id)
		if errors.Is(err, sql.ErrNoRows) {
			return errNotFound("project")
		}
		if err != nil {
			return postgres.Map("get project", err)
		}
		p.Project = r.project()
		measures, files, err := loadProjectParts(ctx, tx, []int64{r.ID})
		if err != nil {
			return err
		}
		p.Project.Measures, p.Project.Files = measures[r.ID], files[r.ID]
		if p.Owner, err = loadOrg(ctx, tx, r.OwnerID); err != nil {
			return err
		}
		p.Entries, err = loadEntries(ctx, tx, withNominees,
			`n.id IN (SELECT np.nomination_id FROM nomination_projects np WHERE np.project_id = $1)`, r.ID)
		if err != nil {
			return err
		}
		// The page numbers the project's sources, then its nominations'.
		cited := append([]Entry{{Projects: []Project{p.Project}}}, p.Entries...)
		if p.Sources, err = cite(ctx, tx, nil, cited); err != nil {
			return err
		}
		p.Project.Refs = cited[0].Projects[0].Refs
		copy(p.Entries, cited[1:])
		return nil
	})
	return p, wrap("get project "+id, err)
}

// projectIsPublic holds for project p when a public nomination links it.
const projectIsPublic = `EXISTS (SELECT 1 FROM nomination_projects pnp JOIN public_nominations ppn ON ppn.nomination_id = pnp.nomination_id
	WHERE pnp.project_id = p.id)`

// loadOrg reads one organisation as a Nominee. Returns ENotFound.
func loadOrg(ctx context.Context, tx bun.Tx, id int64) (Nominee, error) {
	var r nomineeRow
	err := queryRow(ctx, tx, &r, currentOf(`SELECT $1::bigint`)+`
		SELECT `+nomineeColumns+` FROM organisations o
		LEFT JOIN organisations co ON co.id = o.parent_id
		LEFT JOIN current_of cur ON cur.start = o.id
		WHERE o.id = $1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return Nominee{}, errNotFound("organisation")
	}
	if err != nil {
		return Nominee{}, postgres.Map("get organisation", err)
	}
	return r.nominee(), nil
}

// Predecessor is a former organisation that became (part of) another.
type Predecessor struct {
	OrgRef
	Number  string
	ValidTo *time.Time
}

// Successor is one step of what a former organisation became: the
// organisation it became part of on Since, which may itself have ceased
// to exist since (ValidTo).
type Successor struct {
	OrgRef
	Number  string
	Since   *time.Time
	ValidTo *time.Time
}

// OrganisationPage is an organisation with its county, what became of it
// (or what it came from), and the public nominations of it and of the
// organisations it came from, newest first.
type OrganisationPage struct {
	Org Nominee
	// Successors are what a former organisation became, step by step to
	// the organisation it is part of today (Asker 0220: Asker 3025 in
	// 2020, Asker 3203 in 2024); empty while it exists.
	Successors []Successor
	// Predecessors are the former organisations that are part of it
	// today, at any distance (Asker 0220, Røyken and Hurum in today's
	// Asker), by name.
	Predecessors []Predecessor
	Entries      []Entry
}

// As returns the predecessor that made entry e, when the organisation
// itself is not among its nominees: Asker 0220's win of 2017 on today's
// Asker's page. Nil for the organisation's own entries.
func (p OrganisationPage) As(e Entry) *Predecessor {
	var as *Predecessor
	for _, n := range e.Nominees {
		if n.ID == p.Org.ID {
			return nil
		}
		for i := range p.Predecessors {
			if as == nil && p.Predecessors[i].ID == n.ID {
				as = &p.Predecessors[i]
			}
		}
	}
	return as
}

// Organisation returns organisation id's page. Organisations are public
// register facts, so every one has a page; its nominations come through
// the embargo views. Returns ENotFound.
func (s *Service) Organisation(ctx context.Context, id int64) (OrganisationPage, error) {
	var p OrganisationPage
	err := s.read(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if p.Org, err = loadOrg(ctx, tx, id); err != nil {
			return err
		}
		if p.Successors, err = loadSuccessors(ctx, tx, p.Org); err != nil {
			return err
		}
		var preds []struct {
			ID      int64      `bun:"id"`
			Name    string     `bun:"name"`
			Number  string     `bun:"number"`
			ValidTo *time.Time `bun:"valid_to"`
		}
		err = query(ctx, tx, &preds, `WITH RECURSIVE pred(id, depth) AS (
				SELECT o.id, 1 FROM organisations o WHERE o.successor_id = $1
				UNION ALL
				SELECT o.id, p.depth + 1 FROM organisations o JOIN pred p ON o.successor_id = p.id WHERE p.depth < 32)
			SELECT DISTINCT o.id, o.name, coalesce(o.number, '') AS number, o.valid_to FROM pred JOIN organisations o ON o.id = pred.id
			ORDER BY o.valid_to DESC NULLS LAST, o.name, o.id`, id)
		if err != nil {
			return postgres.Map("list predecessors", err)
		}
		lineage := []int64{id}
		for _, r := range preds {
			p.Predecessors = append(p.Predecessors, Predecessor{OrgRef: OrgRef{ID: r.ID, Name: r.Name}, Number: r.Number, ValidTo: r.ValidTo})
			lineage = append(lineage, r.ID)
		}
		p.Entries, err = loadEntries(ctx, tx, withProjects, `EXISTS (SELECT 1 FROM nomination_organisations x
			WHERE x.nomination_id = n.id AND x.organisation_id = ANY($1::bigint[]))`, lineage)
		return err
	})
	return p, wrap("get organisation", err)
}

// loadSuccessors reads the chain of organisations that former
// organisation o became, nearest first.
func loadSuccessors(ctx context.Context, tx bun.Tx, o Nominee) ([]Successor, error) {
	if !o.Former {
		return nil, nil
	}
	var rows []struct {
		ID      int64      `bun:"id"`
		Name    string     `bun:"name"`
		Number  string     `bun:"number"`
		ValidTo *time.Time `bun:"valid_to"`
	}
	if err := query(ctx, tx, &rows, `SELECT o.id, o.name, coalesce(o.number, '') AS number, o.valid_to
		FROM unnest(`+orgs.SuccessorIDs("$1")+`) WITH ORDINALITY AS s(id, step) JOIN organisations o ON o.id = s.id
		ORDER BY s.step`, o.ID); err != nil {
		return nil, postgres.Map("list successors", err)
	}
	out := make([]Successor, len(rows))
	since := o.ValidTo
	for i, r := range rows {
		out[i] = Successor{OrgRef: OrgRef{ID: r.ID, Name: r.Name}, Number: r.Number, Since: since, ValidTo: r.ValidTo}
		since = r.ValidTo
	}
	return out, nil
}
