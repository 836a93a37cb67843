package scoring

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// Score is a stored cell.
type Score struct {
	Cell
	UpdatedAt time.Time
}

// ProjectRef names a project linked to a nomination.
type ProjectRef struct {
	ID    string
	Title string
}

// JurorScores are one other juror's submitted scores of a nomination.
type JurorScores struct {
	JurorID     int64
	Name        string
	Chair       bool
	SubmittedAt time.Time
	Scores      []Score
}

// Spread is how the submitted scores of one cell spread out.
type Spread struct {
	Key
	N                   int
	Min, Max, Mean, Std float64
}

// Sheet is one juror's scores of one nomination, with what they may see
// beside them.
type Sheet struct {
	Cycle        Cycle
	NominationID string
	Title        string
	// Level is what this juror scores for this nomination: projects when
	// the cycle scores projects and the nomination has any, else the
	// nomination.
	Level    Level
	Criteria []awards.Criterion
	// Projects are the nomination's projects, in order; at project level
	// each is scored on every criterion.
	Projects []ProjectRef
	// JurorID is the reader's seat; 0 for readers who do not score.
	JurorID     int64
	Status      Status
	SubmittedAt *time.Time
	// SavedAt is when the reader last saved a score here.
	SavedAt *time.Time
	// Scores are the reader's own, in the order of Keys.
	Scores []Score
	// Missing are the cells that still need a score before submitting.
	Missing []Key
	// Others are the other jurors' submitted scores and Spread the spread
	// of every submitted score per cell (the reader's own included), both
	// only once the reader may see the jury's work (after submitting).
	Others []JurorScores
	Spread []Spread
	// Now is the database's clock.
	Now time.Time

	// projectRows maps the projects' public IDs to their row IDs.
	projectRows map[string]int64
}

// Keys lists the cells to score, criterion by criterion (and project by
// project within each criterion at project level).
func (s Sheet) Keys() []Key {
	var out []Key
	for _, cr := range s.Criteria {
		if s.Level == LevelProject {
			for _, p := range s.Projects {
				out = append(out, Key{CriterionID: cr.ID, ProjectID: p.ID})
			}
			continue
		}
		out = append(out, Key{CriterionID: cr.ID})
	}
	return out
}

// Score returns the reader's own score of cell k, if any.
func (s Sheet) Score(k Key) (Score, bool) {
	for _, sc := range s.Scores {
		if sc.Key == k {
			return sc, true
		}
	}
	return Score{}, false
}

// doc is everything about a nomination the jury pages show, read as one
// JSON document in one round trip; the flags of docQuery decide which
// parts are filled.
type doc struct {
	Summary   string `json:"summary"`
	Challenge string `json:"challenge"`
	Nominees  []struct {
		ID   int64  `json:"id"`
		Kind string `json:"kind"`
		Name string `json:"name"`
	} `json:"nominees"`
	Projects []struct {
		ID           int64    `json:"id"`
		PublicID     string   `json:"public_id"`
		OrgID        int64    `json:"organisation_id"`
		Organisation string   `json:"organisation"`
		Title        string   `json:"title"`
		Description  string   `json:"description"`
		Results      string   `json:"results"`
		Partners     string   `json:"partners"`
		PeriodStart  *string  `json:"period_start"`
		PeriodEnd    *string  `json:"period_end"`
		Links        []string `json:"links"`
		Measures     []struct {
			Label string  `json:"label"`
			Value float64 `json:"value"`
			Unit  string  `json:"unit"`
		} `json:"measures"`
		Attachments []struct {
			PublicID    string    `json:"public_id"`
			Filename    string    `json:"filename"`
			ContentType string    `json:"content_type"`
			Size        int64     `json:"size"`
			AltText     string    `json:"alt_text"`
			CreatedAt   time.Time `json:"created_at"`
		} `json:"attachments"`
	} `json:"projects"`
	Criteria []struct {
		ID        int64   `json:"id"`
		NameNB    string  `json:"name_nb"`
		NameNN    string  `json:"name_nn"`
		NameEN    string  `json:"name_en"`
		HelpNB    string  `json:"help_nb"`
		HelpNN    string  `json:"help_nn"`
		HelpEN    string  `json:"help_en"`
		Weight    float64 `json:"weight"`
		ScaleMin  float64 `json:"scale_min"`
		ScaleMax  float64 `json:"scale_max"`
		ScaleStep float64 `json:"scale_step"`
		Position  int     `json:"position"`
	} `json:"criteria"`
	Scores []struct {
		JurorID     int64     `json:"juror_id"`
		CriterionID int64     `json:"criterion_id"`
		ProjectID   *int64    `json:"project_id"`
		Value       *float64  `json:"value"`
		Comment     string    `json:"comment"`
		UpdatedAt   time.Time `json:"updated_at"`
	} `json:"scores"`
	Jurors []struct {
		ID          int64     `json:"id"`
		Name        string    `json:"name"`
		Chair       bool      `json:"chair"`
		SubmittedAt time.Time `json:"submitted_at"`
	} `json:"jurors"`
	Comments []struct {
		ID        int64     `json:"id"`
		JurorID   int64     `json:"juror_id"`
		Author    string    `json:"author"`
		Chair     bool      `json:"chair"`
		Body      string    `json:"body"`
		CreatedAt time.Time `json:"created_at"`
	} `json:"comments"`
	Prev    string `json:"prev"`
	Next    string `json:"next"`
	ToScore *struct {
		PublicID string `json:"public_id"`
		Title    string `json:"title"`
	} `json:"to_score"`
}

// Parts of the JSON documents, about the nomination n.
const (
	// criteriaJSON is the criteria of the current round of n's cycle, in
	// order.
	criteriaJSON = `(SELECT coalesce(json_agg(json_build_object('id', cr.id, 'name_nb', cr.name_nb, 'name_nn', cr.name_nn,
			'name_en', cr.name_en, 'help_nb', cr.help_nb, 'help_nn', cr.help_nn, 'help_en', cr.help_en, 'weight', cr.weight,
			'scale_min', cr.scale_min, 'scale_max', cr.scale_max, 'scale_step', cr.scale_step, 'position', cr.position)
			ORDER BY cr.position, cr.id), '[]')
		FROM criteria cr WHERE cr.round_id = current_round(n.cycle_id))`
	// projectRefsJSON is n's projects, by row ID, public ID and title.
	projectRefsJSON = `(SELECT coalesce(json_agg(json_build_object('id', p.id, 'public_id', p.public_id, 'title', p.title)
			ORDER BY np.position, p.id), '[]')
		FROM nomination_projects np JOIN projects p ON p.id = np.project_id WHERE np.nomination_id = n.id)`
	// scoreJSON is one score s.
	scoreJSON = `json_build_object('juror_id', s.juror_id, 'criterion_id', s.criterion_id, 'project_id', s.project_id,
		'value', s.value, 'comment', s.comment, 'updated_at', s.updated_at)`
)

// docQuery reads a nomination's doc. Its arguments, in order: content
// (summary, nominees, project details), the reader's juror ID (their own
// scores, their prev/next and the next nomination they have left to
// submit), others (the submitted scores of the other
// jurors, not excluded, not removed), comments, and the nomination ID.
// Only what the flags ask for is read, so the reader's rights decide what
// leaves the database.
const docQuery = `
	SELECT json_build_object(
		'summary', CASE WHEN $1 THEN n.summary ELSE '' END,
		'challenge', n.challenge,
		'nominees', CASE WHEN $1 THEN (SELECT coalesce(json_agg(json_build_object('id', o.id, 'kind', o.kind, 'name', o.name) ORDER BY o.name, o.id), '[]')
			FROM nomination_organisations x JOIN organisations o ON o.id = x.organisation_id WHERE x.nomination_id = n.id) END,
		'projects', CASE WHEN $1 THEN (SELECT coalesce(json_agg(json_build_object('id', p.id, 'public_id', p.public_id,
				'organisation_id', p.organisation_id, 'organisation', o.name, 'title', p.title, 'description', p.description,
				'results', p.results, 'partners', p.partners, 'period_start', p.period_start, 'period_end', p.period_end, 'links', p.links,
				'measures', (SELECT coalesce(json_agg(json_build_object('label', r.label, 'value', r.value, 'unit', r.unit) ORDER BY r.position, r.id), '[]')
					FROM project_results r WHERE r.project_id = p.id),
				'attachments', (SELECT coalesce(json_agg(json_build_object('public_id', a.public_id, 'filename', a.filename,
						'content_type', a.content_type, 'size', a.size, 'alt_text', a.alt_text, 'created_at', a.created_at) ORDER BY a.created_at, a.id), '[]')
					FROM attachments a WHERE a.project_id = p.id)) ORDER BY np.position, p.id), '[]')
			FROM nomination_projects np JOIN projects p ON p.id = np.project_id JOIN organisations o ON o.id = p.organisation_id
			WHERE np.nomination_id = n.id) ELSE ` + projectRefsJSON + ` END,
		'criteria', ` + criteriaJSON + `,
		'scores', (SELECT coalesce(json_agg(` + scoreJSON + `), '[]')
			FROM scores s JOIN criteria cr ON cr.id = s.criterion_id AND cr.round_id = cur.round_id
			WHERE s.nomination_id = n.id AND (s.juror_id = $2 OR $3 AND s.juror_id IN (
				SELECT ss.juror_id FROM score_submissions ss JOIN jurors j ON j.id = ss.juror_id
				WHERE ss.nomination_id = n.id AND ss.round_id = cur.round_id AND ss.excluded_reason IS NULL AND j.removed_at IS NULL))),
		'jurors', CASE WHEN $3 THEN (SELECT coalesce(json_agg(json_build_object('id', j.id, 'name', u.name, 'chair', j.chair,
				'submitted_at', ss.submitted_at) ORDER BY u.name, j.id), '[]')
			FROM score_submissions ss JOIN jurors j ON j.id = ss.juror_id JOIN users u ON u.id = j.user_id
			WHERE ss.nomination_id = n.id AND ss.round_id = cur.round_id AND ss.excluded_reason IS NULL AND j.removed_at IS NULL
				AND j.id <> $2) END,
		'comments', CASE WHEN $4 THEN (SELECT coalesce(json_agg(json_build_object('id', jc.id, 'juror_id', jc.juror_id, 'author', u.name,
				'chair', j.chair, 'body', jc.body, 'created_at', jc.created_at) ORDER BY jc.created_at, jc.id), '[]')
			FROM jury_comments jc JOIN jurors j ON j.id = jc.juror_id JOIN users u ON u.id = j.user_id
			WHERE jc.nomination_id = n.id
				-- An earlier round's discussion is for the chair and the
				-- admins, and for jurors of a round that shows earlier
				-- results.
				AND (jc.round_id = cur.round_id OR cur.shows_earlier
					OR NOT EXISTS (SELECT 1 FROM jurors rj WHERE rj.id = $2 AND NOT rj.chair))) END,
		'prev', nav.prev, 'next', nav.next, 'to_score', nav.to_score)
	FROM nominations n
	CROSS JOIN LATERAL (SELECT r.id AS round_id, r.shows_earlier_results AS shows_earlier
		FROM rounds r WHERE r.id = current_round(n.cycle_id)) cur
	LEFT JOIN LATERAL (
		-- The reader's list, read once for n's neighbours and for the next
		-- one left to submit.
		WITH list AS (SELECT m.id, m.public_id, m.title, lag(m.public_id) OVER w AS prev, lead(m.public_id) OVER w AS next,
				EXISTS (SELECT 1 FROM score_submissions ss WHERE ss.juror_id = $2 AND ss.nomination_id = m.id AND ss.round_id = cur.round_id) AS submitted
			FROM juror_visible_nominations_of($2) jn JOIN nominations m ON m.id = jn.nomination_id
			WHERE $1 WINDOW w AS (ORDER BY m.title, m.id))
		SELECT here.prev, here.next,
			(SELECT json_build_object('public_id', l.public_id, 'title', l.title) FROM list l
				WHERE NOT l.submitted AND l.id <> n.id
				-- The ones after n in the list first, then round from the top.
				ORDER BY (l.title, l.id) < (n.title, n.id), l.title, l.id LIMIT 1) AS to_score
		FROM list here WHERE here.id = n.id) nav ON true
	WHERE n.id = $5`

// readDoc reads the doc of nomination id with the parts the flags ask for.
func readDoc(ctx context.Context, db bun.IDB, id, jurorID int64, content, others, comments bool) (doc, error) {
	var raw []byte
	if err := postgres.Driver(db).QueryRowContext(ctx, docQuery, content, jurorID, others, comments, id).Scan(&raw); err != nil {
		return doc{}, postgres.Map("read nomination for the jury", err)
	}
	return decodeDoc(raw)
}

func decodeDoc(raw []byte) (doc, error) {
	var d doc
	if err := json.Unmarshal(raw, &d); err != nil {
		return d, fmt.Errorf("decode nomination for the jury: %w", err)
	}
	return d, nil
}

// sheet builds the reader's sheet from what was read.
func sheet(t target, d doc, seeWork bool) Sheet {
	s := Sheet{Cycle: t.cycle(), NominationID: t.PublicID, Title: t.Title, Now: t.Now, projectRows: map[string]int64{}}
	if t.Assigned {
		// Only a juror who scores the nomination has a sheet of their own.
		s.JurorID, s.SubmittedAt = t.JurorID, t.SubmittedAt
	}
	for _, c := range d.Criteria {
		s.Criteria = append(s.Criteria, awards.Criterion{ID: c.ID, CycleID: t.State.ID, CyclePublicID: t.State.PublicID,
			NameNB: c.NameNB, NameNN: c.NameNN, NameEN: c.NameEN, HelpNB: c.HelpNB, HelpNN: c.HelpNN, HelpEN: c.HelpEN,
			Weight: c.Weight, ScaleMin: c.ScaleMin, ScaleMax: c.ScaleMax, ScaleStep: c.ScaleStep, Position: c.Position})
	}
	publicOf := map[int64]string{}
	for _, p := range d.Projects {
		s.Projects = append(s.Projects, ProjectRef{ID: p.PublicID, Title: p.Title})
		publicOf[p.ID] = p.PublicID
		s.projectRows[p.PublicID] = p.ID
	}
	s.Level = LevelNomination
	if Level(t.Level) == LevelProject && len(s.Projects) > 0 {
		s.Level = LevelProject
	}
	byJuror := map[int64][]Score{}
	for _, sc := range d.Scores {
		k := Key{CriterionID: sc.CriterionID}
		if sc.ProjectID != nil {
			k.ProjectID = publicOf[*sc.ProjectID]
		}
		byJuror[sc.JurorID] = append(byJuror[sc.JurorID], Score{Cell: Cell{Key: k, Value: sc.Value, Comment: sc.Comment}, UpdatedAt: sc.UpdatedAt})
	}
	own := map[Key]Score{}
	if s.JurorID != 0 {
		for _, sc := range byJuror[s.JurorID] {
			own[sc.Key] = sc
		}
	}
	s.setOwn(own)
	if seeWork {
		s.Others = []JurorScores{}
		for _, j := range d.Jurors {
			scores := byJuror[j.ID]
			s.sortScores(scores)
			s.Others = append(s.Others, JurorScores{JurorID: j.ID, Name: j.Name, Chair: j.Chair, SubmittedAt: j.SubmittedAt, Scores: scores})
		}
		s.Spread = s.spread()
	}
	return s
}

// own returns the reader's scores by cell.
func (s Sheet) own() map[Key]Score {
	own := make(map[Key]Score, len(s.Scores))
	for _, sc := range s.Scores {
		own[sc.Key] = sc
	}
	return own
}

// setOwn sets the reader's scores, in the order of Keys, and what follows
// from them: when they last saved, what is missing, and the status.
func (s *Sheet) setOwn(own map[Key]Score) {
	s.Scores, s.Missing, s.SavedAt = nil, nil, nil
	for _, k := range s.Keys() {
		sc, ok := own[k]
		if ok {
			s.Scores = append(s.Scores, sc)
			if s.SavedAt == nil || sc.UpdatedAt.After(*s.SavedAt) {
				at := sc.UpdatedAt
				s.SavedAt = &at
			}
		}
		if !ok || sc.Value == nil {
			s.Missing = append(s.Missing, k)
		}
	}
	switch {
	case s.SubmittedAt != nil:
		s.Status = Submitted
	case len(s.Scores) > 0:
		s.Status = Draft
	default:
		s.Status = NotStarted
	}
}

// sortScores orders scores as Keys lists the cells.
func (s Sheet) sortScores(scores []Score) {
	order := map[Key]int{}
	for i, k := range s.Keys() {
		order[k] = i
	}
	sort.SliceStable(scores, func(i, j int) bool { return order[scores[i].Key] < order[scores[j].Key] })
}

// spread computes, per cell, the spread of the submitted scores: the
// other jurors' and, once submitted, the reader's own.
func (s Sheet) spread() []Spread {
	values := map[Key][]float64{}
	collect := func(scores []Score) {
		for _, sc := range scores {
			if sc.Value != nil {
				values[sc.Key] = append(values[sc.Key], *sc.Value)
			}
		}
	}
	for _, o := range s.Others {
		collect(o.Scores)
	}
	if s.SubmittedAt != nil {
		collect(s.Scores)
	}
	var out []Spread
	for _, k := range s.Keys() {
		vs := values[k]
		if len(vs) == 0 {
			continue
		}
		sp := Spread{Key: k, N: len(vs), Min: vs[0], Max: vs[0]}
		var sum float64
		for _, v := range vs {
			sum += v
			sp.Min, sp.Max = math.Min(sp.Min, v), math.Max(sp.Max, v)
		}
		sp.Mean = sum / float64(len(vs))
		var ss float64
		for _, v := range vs {
			ss += (v - sp.Mean) * (v - sp.Mean)
		}
		// The population standard deviation: the jury is the whole
		// population of its scores, not a sample of some larger one.
		sp.Std = math.Sqrt(ss / float64(len(vs)))
		out = append(out, sp)
	}
	return out
}

// Scores returns the reader's sheet for the nomination with publicID: the
// juror's own scores, what is missing, and, once they have submitted, the
// other jurors' submitted scores with the spread per cell. Jurors who
// score the nomination only: ENotFound for everyone else (conflicted,
// unassigned, not seated), EForbidden (ErrNotDeclared) for a seated juror
// who has not declared their conflicts.
func (s *Service) Scores(ctx context.Context, actor *awards.Actor, publicID string) (Sheet, error) {
	t, err := loadTarget(ctx, s.db, actor, "", publicID)
	if err != nil {
		return Sheet{}, err
	}
	f := t.facts()
	if !policy.CanScore(f) {
		if err := mayRead(actor, t); err != nil {
			return Sheet{}, err
		}
		// The chair or an admin who does not score it has no sheet here.
		return Sheet{}, notFound()
	}
	seeWork := policy.CanSeeJuryWork(actor, f)
	d, err := readDoc(ctx, s.db, t.NominationID, t.JurorID, false, seeWork, false)
	if err != nil {
		return Sheet{}, err
	}
	return sheet(t, d, seeWork), nil
}
