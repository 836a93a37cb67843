package deciding

import (
	"context"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/postgres"
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
	if rep.Ranking, err = s.ranking(ctx, v); err != nil {
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
		WHERE j.cycle_id = ? AND n.cycle_id = j.cycle_id AND n.status IN `+inRunning+` AND `+v.visible("n")+`
		ORDER BY u.name, j.id, lower(n.title), n.id, jc.kind`, v.ID).Scan(ctx, &rep.Conflicts)
	if err != nil {
		return rep, postgres.Map("list conflicts for the report", err)
	}
	if v.JurorID != 0 {
		if err := s.db.NewRaw(`SELECT count(DISTINCT jc.nomination_id) FROM juror_conflicts jc JOIN nominations n ON n.id = jc.nomination_id
			WHERE jc.juror_id = ? AND n.status IN `+inRunning, v.JurorID).Scan(ctx, &rep.OwnConflicts); err != nil {
			return rep, postgres.Map("count own conflicts", err)
		}
	}
	if err := s.db.NewRaw(`SELECT now()`).Scan(ctx, &rep.Generated); err != nil {
		return rep, postgres.Map("read the clock", err)
	}
	return rep, nil
}
