package deciding

import (
	"context"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// ConflictLine is one juror stepping aside from one nomination: declared
// (kind employed, family, involvement or other, with a reason) or
// automatic (member: they belong to a nominee organisation in Heder).
type ConflictLine struct {
	Juror        string    `bun:"juror"`
	JurorRemoved bool      `bun:"juror_removed"`
	Nomination   string    `bun:"title"`
	Nominees     string    `bun:"nominees"`
	Kind         string    `bun:"kind"`
	Reason       string    `bun:"reason"`
	DeclaredAt   time.Time `bun:"declared_at"`
}

// Report is the jury's report of a cycle: the ranking, who stepped aside
// and why, and the decision. An internal working paper.
type Report struct {
	Ranking   *Ranking
	Decisions []Decision
	Conflicts []ConflictLine
	// OwnConflicts counts the nominations the reader (a seated chair or
	// admin) stepped aside from: they are not in the report.
	OwnConflicts int
	// Generated is the database's clock when the report was made.
	Generated time.Time
}

// Report returns the cycle's jury report. The chair (declared) and site
// admins; see RankingFor for the errors. Conflicts about nominations the
// reader may not see are left out, like the nominations.
func (s *Service) Report(ctx context.Context, actor *awards.Actor, cyclePublicID string) (Report, error) {
	v, err := load(ctx, s.db, actor, cyclePublicID, false)
	if err != nil {
		return Report{}, err
	}
	var rep Report
	if rep.Ranking, err = s.ranking(ctx, v, 0); err != nil {
		return rep, err
	}
	if rep.Decisions, err = loadDecisions(ctx, s.db, v, true); err != nil {
		return rep, err
	}
	err = s.db.NewRaw(`SELECT u.name AS juror, j.removed_at IS NOT NULL AS juror_removed, n.title,
			coalesce((SELECT string_agg(o.name, ', ' ORDER BY o.name) FROM nomination_organisations x
				JOIN organisations o ON o.id = x.organisation_id WHERE x.nomination_id = n.id), '') AS nominees,
			jc.kind, jc.reason, jc.declared_at
		FROM juror_conflicts jc JOIN jurors j ON j.id = jc.juror_id JOIN users u ON u.id = j.user_id
		JOIN nominations n ON n.id = jc.nomination_id
		WHERE j.cycle_id = ? AND n.cycle_id = j.cycle_id AND in_the_running(n.status) AND `+v.visible("n")+`
		ORDER BY u.name, j.id, lower(n.title), n.id, jc.kind`, v.ID).Scan(ctx, &rep.Conflicts)
	if err != nil {
		return rep, postgres.Map("list conflicts for the report", err)
	}
	if v.JurorID != 0 {
		if err := s.db.NewRaw(`SELECT count(DISTINCT jc.nomination_id) FROM juror_conflicts jc JOIN nominations n ON n.id = jc.nomination_id
			WHERE jc.juror_id = ? AND in_the_running(n.status)`, v.JurorID).Scan(ctx, &rep.OwnConflicts); err != nil {
			return rep, postgres.Map("count own conflicts", err)
		}
	}
	if err := s.db.NewRaw(`SELECT now()`).Scan(ctx, &rep.Generated); err != nil {
		return rep, postgres.Map("read the clock", err)
	}
	return rep, nil
}

// BookProject is a project of a nomination, as the jury book lists it.
type BookProject struct {
	NominationID int64      `bun:"nomination_id"`
	Title        string     `bun:"title"`
	Description  string     `bun:"description"`
	Results      string     `bun:"results"`
	PeriodStart  *time.Time `bun:"period_start"`
	PeriodEnd    *time.Time `bun:"period_end"`
}

// Book is the jury book of a cycle: the report, with each nomination's
// summary and projects. An internal working paper (offl. § 14).
type Book struct {
	Report
	// Summaries and Projects are by nomination row ID, for the
	// nominations in the ranking only.
	Summaries map[int64]string
	Projects  map[int64][]BookProject
}

// Book returns the cycle's jury book for the actor: what Report gives
// them, and no more, so that a chair who steps aside from a nomination
// finds neither it nor its projects in the book. The chair (declared)
// and the cycle's admins; see RankingFor for the errors.
func (s *Service) Book(ctx context.Context, actor *awards.Actor, cyclePublicID string) (Book, error) {
	rep, err := s.Report(ctx, actor, cyclePublicID)
	if err != nil {
		return Book{}, err
	}
	b := Book{Report: rep, Summaries: map[int64]string{}, Projects: map[int64][]BookProject{}}
	ids := make([]int64, 0, len(rep.Ranking.Nominations))
	for id := range rep.Ranking.Nominations {
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return b, nil
	}
	var sums []struct {
		ID      int64  `bun:"id"`
		Summary string `bun:"summary"`
	}
	if err := s.db.NewRaw(`SELECT id, summary FROM nominations WHERE id IN (?)`, bun.In(ids)).Scan(ctx, &sums); err != nil {
		return b, postgres.Map("load summaries for the jury book", err)
	}
	for _, x := range sums {
		b.Summaries[x.ID] = x.Summary
	}
	var ps []BookProject
	if err := s.db.NewRaw(`SELECT np.nomination_id, p.title, p.description, p.results, p.period_start, p.period_end
		FROM nomination_projects np JOIN projects p ON p.id = np.project_id
		WHERE np.nomination_id IN (?) ORDER BY np.nomination_id, np.position, p.id`, bun.In(ids)).Scan(ctx, &ps); err != nil {
		return b, postgres.Map("load projects for the jury book", err)
	}
	for _, p := range ps {
		b.Projects[p.NominationID] = append(b.Projects[p.NominationID], p)
	}
	return b, nil
}
