package deciding

import (
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/heder-awards/heder/internal/scorestats"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
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
	ID    int64  `bun:"id"`
	Name  string `bun:"name"`
	Chair bool   `bun:"chair"`
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

// Ranking is the ranking of one round of a cycle as one reader may see
// it. It may be shared between readers and requests: treat it as
// read-only.
type Ranking struct {
	Cycle Cycle
	// Round is the round ranked; Rounds are all of the cycle's, in order.
	Round  awards.Round
	Rounds []awards.Round
	// Criteria are the round's.
	Criteria []Criterion
	// Result is the ranking of the nominations: rows keyed by nomination
	// row ID, cells by juror and criterion row IDs.
	Result scorestats.Result
	// ProjectLevel, when the cycle scores projects, is the same
	// computation with each project as a unit: its Alpha is the jury's
	// agreement about projects. Nil otherwise.
	ProjectLevel *scorestats.Result
	// Nominations, Jurors and Projects name the IDs in Result.
	Nominations map[int64]Nomination
	Jurors      map[int64]Juror
	Projects    map[int64]Project
	// Hidden is the number of nominations in the round left out because
	// the reader steps aside from them (or has yet to declare about one of
	// their nominee organisations).
	Hidden int
	// Version identifies the data the ranking was computed from (the
	// cycle's own fields included).
	Version string
	// Serial is unique to this computation: views derived from a ranking
	// may be kept by it.
	Serial uint64
	// scores is how many scores it was computed from, its weight in the
	// service's cache.
	scores int
}

// Vote reports whether the round is judged by a ranked vote rather than
// scores: its ranking has no criteria and no scores, and lists the round's
// nominations unranked. The vote's own result (the Schulze method) is
// not part of it.
func (r *Ranking) Vote() bool { return r.Round.Kind == awards.RoundRankedVote }

// Next returns the round after the one ranked, false for the last.
func (r *Ranking) Next() (awards.Round, bool) {
	return nextRound(r.Rounds, r.Round.ID)
}

// Shortlisting reports whether advancing out of the round makes the
// shortlist: the next round is the cycle's last, so the nominations
// advanced into it are recorded as finalists (see Advance).
func (r *Ranking) Shortlisting() bool {
	i := roundIndex(r.Rounds, r.Round.ID)
	return i >= 0 && i+2 == len(r.Rounds)
}

// Inputs are the criteria as ranking takes them.
func (r *Ranking) Inputs() []scorestats.Criterion {
	out := make([]scorestats.Criterion, len(r.Criteria))
	for i, c := range r.Criteria {
		out[i] = scorestats.Criterion{ID: c.ID, Weight: c.Weight, Min: c.Min, Max: c.Max}
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
func (r *Ranking) Row(publicID string) (scorestats.Row, Nomination, bool) {
	for _, row := range r.Result.Rows {
		if n := r.Nominations[row.Nomination]; n.PublicID == publicID {
			return row, n, true
		}
	}
	return scorestats.Row{}, Nomination{}, false
}

// RankingFor computes the ranking of round (a round ID of the cycle with
// cyclePublicID; 0 for the cycle's current round) from the scores that
// count (see the package doc), as the actor may see it: the round's
// criteria, its submissions and the nominations taking part in it. The
// chair of the cycle (declared, not removed) and site admins only: the
// cycle's other jurors get EForbidden (ErrNotChair; ErrNotDeclared for a
// seated reader who has not declared), everyone else ENotFound, as does a
// round that is not the cycle's. For a seated reader, nominations they
// step aside from are left out entirely, before computing. Cycles scored
// per project are rolled up as the cycle says. A round judged by a ranked
// vote has no scores (Ranking.Vote).
//
// Computed rankings are kept in memory, keyed by the cycle, the round and
// the nominations left out, and reused while the data they came from is
// unchanged: a call reads a version of it (the round's submissions and
// criteria, the cycle's rounds, jurors, nominations and decisions) in one
// query over the cycle's small tables, unless the same seat read it less
// than StateTTL ago. Changes through this service are seen at once.
func (s *Service) RankingFor(ctx context.Context, actor *awards.Actor, cyclePublicID string, round int64) (*Ranking, error) {
	v, err := load(ctx, s.db, actor, cyclePublicID, false)
	if err != nil {
		return nil, err
	}
	return s.ranking(ctx, v, round)
}

// ranking returns v's ranking of round, 0 for the current one.
func (s *Service) ranking(ctx context.Context, v Viewer, round int64) (*Ranking, error) {
	if round == 0 {
		round = v.RoundID
	}
	now := time.Now()
	st, ok := s.cache.state(v.ID, round, v.JurorID, now, s.StateTTL)
	if !ok {
		var err error
		if st, err = state(ctx, s.db, v, round); err != nil {
			return nil, err
		}
		s.cache.keepState(v.ID, round, v.JurorID, st, now, s.StateTTL)
	}
	r, err := s.cache.get(fmt.Sprintf("%d/%d/%s", v.ID, round, st.Hidden), st.Version, func() (*Ranking, error) {
		// The computation outlives a cancelled request: others may wait
		// for it.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
		defer cancel()
		return computeRanking(ctx, s.db, v, round, st)
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// serials numbers the computed rankings.
var serials atomic.Uint64

// rankingState is what decides whether a kept ranking is still good.
type rankingState struct {
	Version string `bun:"version"`
	// Hidden lists the IDs of the nominations the reader may not see.
	Hidden string `bun:"hidden"`
	// Submissions counts the submissions that count (for any reader), to
	// size the scores' slice.
	Submissions int `bun:"submissions"`
}

// state reads the version of the data the viewer's ranking of round
// comes from and the nominations left out for them, in one query over the
// cycle's small tables (submissions, not scores: submitted scores are
// locked). The phase is the viewer's, read from the cycle's state in this
// request. A round that is not the cycle's is ENotFound.
func state(ctx context.Context, db bun.IDB, v Viewer, round int64) (rankingState, error) {
	var st rankingState
	err := db.NewRaw(`
		SELECT concat_ws('|', c.title, ?::text, c.scoring_level, c.project_rollup, c.updated_at,
			(SELECT a.updated_at FROM awards a WHERE a.id = c.award_id),
			(SELECT string_agg(x::text, ';' ORDER BY x.position) FROM rounds x WHERE x.cycle_id = c.id),
			(SELECT count(*) || ':' || coalesce(max(rn.decided_at)::text, '') FROM round_nominations rn
				JOIN rounds x ON x.id = rn.round_id WHERE x.cycle_id = c.id),
			(SELECT count(*) || ':' || count(*) FILTER (WHERE ss.excluded_reason IS NULL) || ':' || coalesce(max(ss.submitted_at)::text, '')
				|| ':' || coalesce(sum(hashtext(ss.juror_id || '/' || ss.nomination_id)) FILTER (WHERE ss.excluded_reason IS NOT NULL), 0)
				FROM score_submissions ss JOIN jurors j ON j.id = ss.juror_id WHERE j.cycle_id = c.id AND ss.round_id = r.id),
			(SELECT count(*) || ':' || count(*) FILTER (WHERE j.removed_at IS NULL) || ':' || coalesce(max(greatest(j.created_at, j.removed_at))::text, '')
				FROM jurors j WHERE j.cycle_id = c.id),
			(SELECT count(*) || ':' || coalesce(max(n.updated_at)::text, '') FROM nominations n WHERE n.cycle_id = c.id AND in_the_running(n.status)),
			(SELECT count(*) || ':' || coalesce(max(cr.updated_at)::text, '') FROM criteria cr WHERE cr.round_id = r.id),
			(SELECT count(*) || ':' || coalesce(max(d.decided_at)::text, '') FROM decisions d WHERE d.cycle_id = c.id)) AS version,
			coalesce((SELECT string_agg(n.id::text, ',' ORDER BY n.id) FROM nominations n
				WHERE n.cycle_id = c.id AND in_the_running(n.status) AND in_round(r.id, n.id) AND NOT `+v.visible("n")+`), '') AS hidden,
			(SELECT count(*) FROM score_submissions ss JOIN jurors j ON j.id = ss.juror_id
				WHERE j.cycle_id = c.id AND ss.round_id = r.id AND j.removed_at IS NULL AND ss.excluded_reason IS NULL) AS submissions
		FROM cycles c JOIN rounds r ON r.cycle_id = c.id AND r.id = ? WHERE c.id = ?`, string(v.Phase), round, v.ID).Scan(ctx, &st)
	return st, postgres.Map("read ranking version", err)
}

// computeRanking loads the criteria, nominations, jurors and counting
// scores and ranks them, labelled with st, the version read before: the
// data is read after it, without a snapshot, so should it change in
// between, the ranking carries the older version and is computed again on
// the next call.
func computeRanking(ctx context.Context, db bun.IDB, v Viewer, round int64, st rankingState) (*Ranking, error) {
	r := &Ranking{Cycle: v.Cycle, Nominations: map[int64]Nomination{}, Jurors: map[int64]Juror{}, Projects: map[int64]Project{}}
	r.Version = st.Version
	if st.Hidden != "" {
		r.Hidden = strings.Count(st.Hidden, ",") + 1
	}
	var err error
	if r.Rounds, err = cycles.RoundsOf(ctx, db, v.ID); err != nil {
		return nil, err
	}
	for _, x := range r.Rounds {
		if x.ID == round {
			r.Round = x
		}
	}
	if !r.Vote() {
		if r.Criteria, err = loadCriteria(ctx, db, round); err != nil {
			return nil, err
		}
	}
	var noms []Nomination
	err = db.NewRaw(`SELECT n.id, n.public_id, n.title, coalesce(d.outcome, '') AS outcome,
			coalesce((SELECT string_agg(o.name, ', ' ORDER BY o.name) FROM nomination_organisations x
				JOIN organisations o ON o.id = x.organisation_id WHERE x.nomination_id = n.id), '') AS nominees
		FROM nominations n LEFT JOIN decisions d ON d.nomination_id = n.id
		WHERE n.cycle_id = ? AND in_the_running(n.status) AND in_round(?, n.id) AND `+v.visible("n")+` ORDER BY n.id`, v.ID, round).Scan(ctx, &noms)
	if err != nil {
		return nil, postgres.Map("load nominations for the ranking", err)
	}
	for _, n := range noms {
		r.Nominations[n.ID] = n
	}
	var jurors []Juror
	if err := db.NewRaw(`SELECT j.id, u.name, j.chair
		FROM jurors j JOIN users u ON u.id = j.user_id WHERE j.cycle_id = ?`, v.ID).Scan(ctx, &jurors); err != nil {
		return nil, postgres.Map("load jurors for the ranking", err)
	}
	for _, j := range jurors {
		r.Jurors[j.ID] = j
	}
	if v.ByProject() {
		var projects []Project
		err := db.NewRaw(`SELECT p.id, p.public_id, p.title, np.nomination_id FROM nomination_projects np
			JOIN projects p ON p.id = np.project_id JOIN nominations n ON n.id = np.nomination_id
			WHERE n.cycle_id = ? AND in_the_running(n.status) AND in_round(?, n.id) AND `+v.visible("n"), v.ID, round).Scan(ctx, &projects)
		if err != nil {
			return nil, postgres.Map("load projects for the ranking", err)
		}
		for _, p := range projects {
			r.Projects[p.ID] = p
		}
	}
	size := st.Submissions * len(r.Criteria)
	if v.ByProject() && len(noms) > 0 {
		size *= max(1, (len(r.Projects)+len(noms)-1)/len(noms))
	}
	var scores []scorestats.Score
	if !r.Vote() {
		if scores, err = countingScores(ctx, db, v, round, size); err != nil {
			return nil, err
		}
	}
	in := scorestats.Input{Criteria: r.Inputs(), Scores: scores, Rollup: scorestats.Rollup(v.Rollup)}
	in.Nominations = make([]int64, 0, len(r.Nominations))
	for id := range r.Nominations {
		in.Nominations = append(in.Nominations, id)
	}
	slices.Sort(in.Nominations)
	r.Result = scorestats.Compute(in)
	r.scores = len(scores)
	if v.ByProject() {
		// The project level: each project a unit of its own.
		var ps []scorestats.Score
		for _, s := range scores {
			if s.Project != 0 {
				s.Nomination, s.Project = s.Project, 0
				ps = append(ps, s)
			}
		}
		pr := scorestats.Compute(scorestats.Input{Criteria: in.Criteria, Scores: ps})
		r.ProjectLevel = &pr
	}
	r.Serial = serials.Add(1)
	return r, nil
}

// loadCriteria reads a round's criteria in order.
func loadCriteria(ctx context.Context, db bun.IDB, round int64) ([]Criterion, error) {
	var out []Criterion
	err := db.NewRaw(`SELECT id, name_nb, name_nn, name_en, weight::float8 AS weight, scale_min::float8 AS scale_min,
			scale_max::float8 AS scale_max, position
		FROM criteria WHERE round_id = ? ORDER BY position, id`, round).Scan(ctx, &out)
	return out, postgres.Map("load criteria", err)
}

// countingScoresSQL selects the scores that count for viewer v in round:
// the nominations that count (in the running, in the round and visible
// to v) are found first, each once, then the round's counting
// submissions of them (juror not removed, not excluded), then their
// scores on the round's criteria are joined to those once. The IDs in it
// are numbers, written in.
func countingScoresSQL(v Viewer, round int64) string {
	return fmt.Sprintf(`
		WITH noms AS MATERIALIZED (
			SELECT n.id FROM nominations n
			WHERE n.cycle_id = %[1]d AND in_the_running(n.status) AND in_round(%[3]d, n.id) AND %[2]s),
		ok AS MATERIALIZED (
			SELECT ss.juror_id, ss.nomination_id FROM score_submissions ss
			JOIN jurors j ON j.id = ss.juror_id JOIN noms ON noms.id = ss.nomination_id
			WHERE j.cycle_id = %[1]d AND ss.round_id = %[3]d AND j.removed_at IS NULL AND ss.excluded_reason IS NULL)
		SELECT s.juror_id, s.nomination_id, coalesce(s.project_id, 0), s.criterion_id, s.value::float8
		FROM scores s JOIN ok ON ok.juror_id = s.juror_id AND ok.nomination_id = s.nomination_id
		JOIN criteria cr ON cr.id = s.criterion_id AND cr.round_id = %[3]d
		WHERE s.value IS NOT NULL`, v.ID, v.visible("n"), round)
}

// rawConner is a database handle that can lend out a connection of its
// driver's own: *bun.DB (and postgres.DB) over pgx.
type rawConner interface {
	Conn(ctx context.Context) (bun.Conn, error)
}

// countingScores reads the scores that count in the ranking in one
// query. Over pgx it reads the rows' binary values directly (8-byte
// integers and floats), which takes a fraction of the time and none of
// the allocations of scanning 600,000 rows through database/sql; inside a
// transaction, or over another driver, it scans them as usual. size is
// the number of scores expected.
func countingScores(ctx context.Context, db bun.IDB, v Viewer, round int64, size int) ([]scorestats.Score, error) {
	q := countingScoresSQL(v, round)
	out := make([]scorestats.Score, 0, size)
	if rc, ok := db.(rawConner); ok {
		conn, err := rc.Conn(ctx)
		if err != nil {
			return nil, postgres.Map("connect for the ranking", err)
		}
		defer conn.Close()
		done := false
		err = conn.Raw(func(dc any) error {
			c, ok := dc.(*stdlib.Conn)
			if !ok {
				return nil
			}
			done = true
			out, err = readBinaryScores(ctx, c.Conn(), q, out)
			return err
		})
		if err != nil {
			return nil, postgres.Map("load scores for the ranking", err)
		}
		if done {
			return out, nil
		}
	}
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, postgres.Map("load scores for the ranking", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s scorestats.Score
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

// readBinaryScores runs q, whose five columns are int8 × 4 and float8,
// asking for binary results, and decodes them without pgx's scanning.
func readBinaryScores(ctx context.Context, c *pgx.Conn, q string, out []scorestats.Score) ([]scorestats.Score, error) {
	rows, err := c.Query(ctx, q, pgx.QueryResultFormats{pgx.BinaryFormatCode})
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		vals := rows.RawValues()
		if len(vals) != 5 {
			return out, fmt.Errorf("scores: %d columns, want 5", len(vals))
		}
		for _, x := range vals {
			if len(x) != 8 {
				return out, fmt.Errorf("scores: a value of %d bytes, want 8", len(x))
			}
		}
		out = append(out, scorestats.Score{
			Juror:      int64(binary.BigEndian.Uint64(vals[0])),
			Nomination: int64(binary.BigEndian.Uint64(vals[1])),
			Project:    int64(binary.BigEndian.Uint64(vals[2])),
			Criterion:  int64(binary.BigEndian.Uint64(vals[3])),
			Value:      math.Float64frombits(binary.BigEndian.Uint64(vals[4])),
		})
	}
	return out, rows.Err()
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
func (r *Ranking) ScoreTable(row scorestats.Row) []JurorValues {
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
