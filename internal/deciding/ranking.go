package deciding

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/heder-awards/heder/internal/ranking"
	"github.com/uptrace/bun"
)

// Criterion is one of the cycle's criteria, with its names.
type Criterion struct {
	ID       int64   `bun:"id"`
	NameNB   string  `bun:"name_nb"`
	NameNN   string  `bun:"name_nn"`
	NameEN   string  `bun:"name_en"`
	Weight   float64 `bun:"weight"`
	Min      float64 `bun:"scale_min"`
	Max      float64 `bun:"scale_max"`
	Position int     `bun:"position"`
}

// Name returns the criterion's name in lang, falling back to bokmål.
func (c Criterion) Name(lang string) string {
	return awards.Criterion{NameNB: c.NameNB, NameNN: c.NameNN, NameEN: c.NameEN}.Name(lang)
}

// Nomination is a nomination in the running, as the ranking names it.
type Nomination struct {
	ID       int64  `bun:"id"`
	PublicID string `bun:"public_id"`
	Title    string `bun:"title"`
	// Nominees are the nominee organisations' names, joined with ", ".
	Nominees string `bun:"nominees"`
	// Outcome is the decision about it so far: "", "finalist", "winner"
	// or "honourable_mention".
	Outcome string `bun:"outcome"`
}

// Juror is a seat on the cycle's jury.
type Juror struct {
	ID      int64  `bun:"id"`
	Name    string `bun:"name"`
	Chair   bool   `bun:"chair"`
	Removed bool   `bun:"removed"`
}

// Initials are the first letters of the juror's names, "JJ" for Jorunn
// Juryleder, to label their scores and comments briefly.
func (j Juror) Initials() string { return initials(j.Name) }

func initials(name string) string {
	var b strings.Builder
	for f := range strings.FieldsFuncSeq(name, func(r rune) bool { return unicode.IsSpace(r) || r == '-' }) {
		r, _ := utf8.DecodeRuneInString(f)
		if unicode.IsLetter(r) {
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	return b.String()
}

// Project is a project of a nomination scored per project.
type Project struct {
	ID           int64  `bun:"id"`
	PublicID     string `bun:"public_id"`
	Title        string `bun:"title"`
	NominationID int64  `bun:"nomination_id"`
}

// Ranking is a cycle's ranking as one reader may see it. It may be shared
// between readers and requests: treat it as read-only.
type Ranking struct {
	Cycle    Cycle
	Criteria []Criterion
	// Result is the ranking of the nominations: rows keyed by nomination
	// row ID, cells by juror and criterion row IDs.
	Result ranking.Result
	// ProjectLevel, when the cycle scores projects, is the same
	// computation with each project as a unit: its Alpha is the jury's
	// agreement about projects. Nil otherwise.
	ProjectLevel *ranking.Result
	// Nominations, Jurors and Projects name the IDs in Result.
	Nominations map[int64]Nomination
	Jurors      map[int64]Juror
	Projects    map[int64]Project
	// Hidden is the number of nominations in the running left out because
	// the reader steps aside from them (or has yet to declare about one of
	// their nominee organisations).
	Hidden int
	// Version identifies the data the ranking was computed from.
	Version string
	// Computed is when it was.
	Computed time.Time
}

// Inputs are the criteria as ranking takes them.
func (r *Ranking) Inputs() []ranking.Criterion {
	out := make([]ranking.Criterion, len(r.Criteria))
	for i, c := range r.Criteria {
		out[i] = ranking.Criterion{ID: c.ID, Weight: c.Weight, Min: c.Min, Max: c.Max}
	}
	return out
}

// CriterionNames maps the criteria's IDs to their names in lang.
func (r *Ranking) CriterionNames(lang string) map[int64]string {
	out := make(map[int64]string, len(r.Criteria))
	for _, c := range r.Criteria {
		out[c.ID] = c.Name(lang)
	}
	return out
}

// JurorNames maps the jurors' IDs to their names.
func (r *Ranking) JurorNames() map[int64]string {
	out := make(map[int64]string, len(r.Jurors))
	for id, j := range r.Jurors {
		out[id] = j.Name
	}
	return out
}

// Row finds the row of the nomination with publicID.
func (r *Ranking) Row(publicID string) (ranking.Row, Nomination, bool) {
	for _, row := range r.Result.Rows {
		if n := r.Nominations[row.Nomination]; n.PublicID == publicID {
			return row, n, true
		}
	}
	return ranking.Row{}, Nomination{}, false
}

// RankingFor computes the ranking of the cycle with cyclePublicID from
// the scores that count (see the package doc), as the actor may see it.
// The chair of the cycle (declared, not removed) and site admins only:
// the cycle's other jurors get EForbidden (ErrNotChair; ErrNotDeclared
// for a seated reader who has not declared), everyone else ENotFound. For a seated
// reader, nominations they step aside from are left out entirely, before
// computing. Cycles scored per project are rolled up as the cycle says.
//
// Computed rankings are kept in memory, keyed by the cycle and the
// nominations left out, and reused while the data they came from is
// unchanged: a call reads a version of it (the submissions, jurors,
// nominations, criteria and decisions of the cycle) in one query over the
// cycle's small tables, unless the same seat read it less than a second
// ago (stateTTL). Changes through this service are seen at once.
func (s *Service) RankingFor(ctx context.Context, actor *awards.Actor, cyclePublicID string) (*Ranking, error) {
	v, err := load(ctx, s.db, actor, cyclePublicID, false)
	if err != nil {
		return nil, err
	}
	return s.ranking(ctx, v)
}

func (s *Service) ranking(ctx context.Context, v Viewer) (*Ranking, error) {
	now := time.Now()
	st, ok := s.cache.state(v.ID, v.JurorID, now)
	if !ok {
		var err error
		if st, err = state(ctx, s.db, v); err != nil {
			return nil, err
		}
		s.cache.keepState(v.ID, v.JurorID, st, now)
	}
	r, err := s.cache.get(fmt.Sprintf("%d/%s", v.ID, st.Hidden), st.Version, func() (*Ranking, error) {
		// The computation outlives a cancelled request: others may wait
		// for it.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
		defer cancel()
		return computeRanking(ctx, s.db, v)
	})
	if err != nil {
		return nil, err
	}
	if r.Cycle != v.Cycle {
		// The cycle's own fields (title, phase) changed meanwhile: they
		// are not part of the ranking, so show the current ones.
		c := *r
		c.Cycle = v.Cycle
		r = &c
	}
	return r, nil
}

// rankingState is what decides whether a kept ranking is still good.
type rankingState struct {
	Version string `bun:"version"`
	// Hidden lists the IDs of the nominations the reader may not see.
	Hidden string `bun:"hidden"`
}

// state reads the version of the data the viewer's ranking comes from and
// the nominations left out for them, in one query over the cycle's small
// tables (submissions, not scores: submitted scores are locked).
func state(ctx context.Context, db bun.IDB, v Viewer) (rankingState, error) {
	var st rankingState
	err := db.NewRaw(`
		SELECT concat_ws('|', c.scoring_level, c.project_rollup,
			(SELECT count(*) || ':' || count(*) FILTER (WHERE ss.excluded_reason IS NULL) || ':' || coalesce(max(ss.submitted_at)::text, '')
				|| ':' || coalesce(sum(hashtext(ss.juror_id || '/' || ss.nomination_id)) FILTER (WHERE ss.excluded_reason IS NOT NULL), 0)
				FROM score_submissions ss JOIN jurors j ON j.id = ss.juror_id WHERE j.cycle_id = c.id),
			(SELECT count(*) || ':' || count(*) FILTER (WHERE j.removed_at IS NULL) || ':' || coalesce(max(greatest(j.created_at, j.removed_at))::text, '')
				FROM jurors j WHERE j.cycle_id = c.id),
			(SELECT count(*) || ':' || coalesce(max(n.updated_at)::text, '') FROM nominations n WHERE n.cycle_id = c.id AND n.status IN `+inRunning+`),
			(SELECT count(*) || ':' || coalesce(max(cr.updated_at)::text, '') FROM criteria cr WHERE cr.cycle_id = c.id),
			(SELECT count(*) || ':' || coalesce(max(d.decided_at)::text, '') FROM decisions d WHERE d.cycle_id = c.id)) AS version,
			coalesce((SELECT string_agg(n.id::text, ',' ORDER BY n.id) FROM nominations n
				WHERE n.cycle_id = c.id AND n.status IN `+inRunning+` AND NOT `+v.visible("n")+`), '') AS hidden
		FROM cycles c WHERE c.id = ?`, v.ID).Scan(ctx, &st)
	return st, postgres.Map("read ranking version", err)
}

// computeRanking loads the criteria, nominations, jurors and counting
// scores in one read-only snapshot and ranks them.
func computeRanking(ctx context.Context, db bun.IDB, v Viewer) (*Ranking, error) {
	r := &Ranking{Cycle: v.Cycle, Nominations: map[int64]Nomination{}, Jurors: map[int64]Juror{}, Projects: map[int64]Project{}}
	var scores []ranking.Score
	err := db.RunInTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}, func(ctx context.Context, tx bun.Tx) error {
		st, err := state(ctx, tx, v)
		if err != nil {
			return err
		}
		r.Version = st.Version
		if r.Criteria, err = loadCriteria(ctx, tx, v.ID); err != nil {
			return err
		}
		var noms []Nomination
		err = tx.NewRaw(`SELECT n.id, n.public_id, n.title, coalesce(d.outcome, '') AS outcome,
				coalesce((SELECT string_agg(o.name, ', ' ORDER BY o.name) FROM nomination_organisations x
					JOIN organisations o ON o.id = x.organisation_id WHERE x.nomination_id = n.id), '') AS nominees
			FROM nominations n LEFT JOIN decisions d ON d.nomination_id = n.id
			WHERE n.cycle_id = ? AND n.status IN `+inRunning+` AND `+v.visible("n")+` ORDER BY n.id`, v.ID).Scan(ctx, &noms)
		if err != nil {
			return postgres.Map("load nominations for the ranking", err)
		}
		for _, n := range noms {
			r.Nominations[n.ID] = n
		}
		if st.Hidden != "" {
			r.Hidden = strings.Count(st.Hidden, ",") + 1
		}
		var jurors []Juror
		if err := tx.NewRaw(`SELECT j.id, u.name, j.chair, j.removed_at IS NOT NULL AS removed
			FROM jurors j JOIN users u ON u.id = j.user_id WHERE j.cycle_id = ?`, v.ID).Scan(ctx, &jurors); err != nil {
			return postgres.Map("load jurors for the ranking", err)
		}
		for _, j := range jurors {
			r.Jurors[j.ID] = j
		}
		if v.ByProject() {
			var projects []Project
			err := tx.NewRaw(`SELECT p.id, p.public_id, p.title, np.nomination_id FROM nomination_projects np
				JOIN projects p ON p.id = np.project_id JOIN nominations n ON n.id = np.nomination_id
				WHERE n.cycle_id = ? AND n.status IN `+inRunning+` AND `+v.visible("n"), v.ID).Scan(ctx, &projects)
			if err != nil {
				return postgres.Map("load projects for the ranking", err)
			}
			for _, p := range projects {
				r.Projects[p.ID] = p
			}
		}
		scores, err = countingScores(ctx, tx, v, len(noms))
		return err
	})
	if err != nil {
		return nil, err
	}
	in := ranking.Input{Criteria: r.Inputs(), Scores: scores, Rollup: ranking.Rollup(v.Rollup)}
	in.Nominations = make([]int64, 0, len(r.Nominations))
	for id := range r.Nominations {
		in.Nominations = append(in.Nominations, id)
	}
	slices.Sort(in.Nominations)
	r.Result = ranking.Compute(in)
	if v.ByProject() {
		// The project level: each project a unit of its own.
		var ps []ranking.Score
		for _, s := range scores {
			if s.Project != 0 {
				s.Nomination, s.Project = s.Project, 0
				ps = append(ps, s)
			}
		}
		pr := ranking.Compute(ranking.Input{Criteria: in.Criteria, Scores: ps})
		r.ProjectLevel = &pr
	}
	r.Computed = time.Now()
	return r, nil
}

func loadCriteria(ctx context.Context, db bun.IDB, cycleID int64) ([]Criterion, error) {
	var out []Criterion
	err := db.NewRaw(`SELECT id, name_nb, name_nn, name_en, weight::float8 AS weight, scale_min::float8 AS scale_min,
			scale_max::float8 AS scale_max, position
		FROM criteria WHERE cycle_id = ? ORDER BY position, id`, cycleID).Scan(ctx, &out)
	return out, postgres.Map("load criteria", err)
}

// countingScores reads the scores that count in the ranking, in one query
// scanned into plain numbers: hundreds of thousands of rows are read in
// well under a second this way.
func countingScores(ctx context.Context, db bun.IDB, v Viewer, nominations int) ([]ranking.Score, error) {
	// The nominations and jurors that count are found once, before the
	// scores are joined to them (not per score).
	rows, err := db.QueryContext(ctx, `
		WITH n AS MATERIALIZED (SELECT n.id FROM nominations n WHERE n.cycle_id = ?0 AND n.status IN `+inRunning+` AND `+v.visible("n")+`),
			j AS MATERIALIZED (SELECT id FROM jurors WHERE cycle_id = ?0 AND removed_at IS NULL)
		SELECT s.juror_id, s.nomination_id, coalesce(s.project_id, 0), s.criterion_id, s.value::float8
		FROM scores s
		JOIN j ON j.id = s.juror_id
		JOIN n ON n.id = s.nomination_id
		JOIN score_submissions ss ON ss.juror_id = s.juror_id AND ss.nomination_id = s.nomination_id
		WHERE ss.excluded_reason IS NULL AND s.value IS NOT NULL`, v.ID)
	if err != nil {
		return nil, postgres.Map("load scores for the ranking", err)
	}
	defer rows.Close()
	out := make([]ranking.Score, 0, max(nominations, 1)*16)
	for rows.Next() {
		var s ranking.Score
		if err := rows.Scan(&s.Juror, &s.Nomination, &s.Project, &s.Criterion, &s.Value); err != nil {
			return nil, postgres.Map("read scores for the ranking", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, postgres.Map("read scores for the ranking", err)
	}
	return out, nil
}

// JurorValues are one juror's values of a nomination after the project
// rollup, one per criterion in the cycle's order (nil where the juror gave
// none).
type JurorValues struct {
	Juror  Juror
	Values []*float64
}

// ScoreTable lists the jurors' values of a row, jurors by name: the data
// table beside a strip plot.
func (r *Ranking) ScoreTable(row ranking.Row) []JurorValues {
	pos := make(map[int64]int, len(r.Criteria))
	for i, c := range r.Criteria {
		pos[c.ID] = i
	}
	at := map[int64]int{}
	var out []JurorValues
	for _, c := range row.Cells {
		i, ok := at[c.Juror]
		if !ok {
			i = len(out)
			at[c.Juror] = i
			j := r.Jurors[c.Juror]
			j.ID = c.Juror
			out = append(out, JurorValues{Juror: j, Values: make([]*float64, len(r.Criteria))})
		}
		if p, ok := pos[c.Criterion]; ok {
			v := c.Value
			out[i].Values[p] = &v
		}
	}
	slices.SortFunc(out, func(a, b JurorValues) int {
		return cmp.Or(strings.Compare(a.Juror.Name, b.Juror.Name), cmp.Compare(a.Juror.ID, b.Juror.ID))
	})
	return out
}
