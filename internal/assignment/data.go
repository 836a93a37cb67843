package assignment

import (
	"context"
	"strings"

	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// countySQL is the county of organisation o: its own name for a county,
// else the name of its parent (a municipality's county).
const countySQL = `CASE WHEN o.kind = 'county' THEN o.name ELSE p.name END`

// jurorRow is a seated juror as the assignment sees them.
type jurorRow struct {
	ID       int64  `bun:"id"`
	Name     string `bun:"name"`
	County   string `bun:"county"`
	Chair    bool   `bun:"chair"`
	Declared bool   `bun:"declared"`
}

// loadJurors returns the jurors of the round (of the cycle) that are not
// removed, the chair first, then by name. A juror's county is the county of their
// organisation (the first by name when they belong to several); "" if
// they have none.
func loadJurors(ctx context.Context, db bun.IDB, cycleID, roundID int64) ([]jurorRow, error) {
	var out []jurorRow
	err := db.NewRaw(`SELECT j.id, coalesce(nullif(u.name, ''), u.email) AS name, j.chair, j.declared_at IS NOT NULL AS declared,
			coalesce((SELECT min(`+countySQL+`) FROM memberships m JOIN organisations o ON o.id = m.organisation_id
				LEFT JOIN organisations p ON p.id = o.parent_id WHERE m.user_id = j.user_id), '') AS county
		FROM jurors j JOIN users u ON u.id = j.user_id
		WHERE j.cycle_id = ? AND j.removed_at IS NULL
			AND EXISTS (SELECT 1 FROM round_jurors rj WHERE rj.round_id = ? AND rj.juror_id = j.id)
		ORDER BY j.chair DESC, name, j.id`, cycleID, roundID).Scan(ctx, &out)
	return out, postgres.Map("list jurors", err)
}

// nominationRow is a nomination the jury works on.
type nominationRow struct {
	ID       int64  `bun:"id"`
	PublicID string `bun:"public_id"`
	Title    string `bun:"title"`
	// Nominees are the nominee organisations' names, joined by "\n".
	Nominees string `bun:"nominees"`
	County   string `bun:"county"`
	Hidden   bool   `bun:"hidden"`
}

// nominees returns the nominee organisations' names.
func (n nominationRow) nominees() []string {
	if n.Nominees == "" {
		return []string{}
	}
	return strings.Split(n.Nominees, "\n")
}

// label names the nomination in messages: its title and nominees.
func (n nominationRow) label() string {
	who := strings.ReplaceAll(n.Nominees, "\n", ", ")
	switch {
	case n.Title == "":
		return who
	case who == "" || who == n.Title:
		return n.Title
	}
	return n.Title + " (" + who + ")"
}

// loadNominations returns the nominations the jury works on in the
// cycle's current round (the statuses and rounds of juror_nominations),
// by title. Hidden marks those the
// actor's seat may not see (hiddenSQL). A nomination's county is its
// nominees' (the first by name for a joint entry across counties).
func loadNominations(ctx context.Context, db bun.IDB, a access) ([]nominationRow, error) {
	var out []nominationRow
	args := append([]any{}, a.hiddenArgs()...)
	args = append(args, a.cycle.ID, a.cycle.RoundID)
	err := db.NewRaw(`SELECT n.id, n.public_id, n.title,
			coalesce((SELECT string_agg(o.name, E'\n' ORDER BY o.name) FROM nomination_organisations no
				JOIN organisations o ON o.id = no.organisation_id WHERE no.nomination_id = n.id), '') AS nominees,
			coalesce((SELECT min(`+countySQL+`) FROM nomination_organisations no JOIN organisations o ON o.id = no.organisation_id
				LEFT JOIN organisations p ON p.id = o.parent_id WHERE no.nomination_id = n.id), '') AS county,
			`+hiddenSQL+` AS hidden
		FROM nominations n
		WHERE n.cycle_id = ? AND in_the_running(n.status) AND in_round(?, n.id)
		ORDER BY n.title, n.id`, args...).Scan(ctx, &out)
	return out, postgres.Map("list nominations", err)
}

// pair is one (juror, nomination) cell.
type pair struct{ juror, nomination int64 }

// cellRow is a row of the assignments table.
type cellRow struct {
	JurorID      int64 `bun:"juror_id"`
	NominationID int64 `bun:"nomination_id"`
	Manual       bool  `bun:"manual"`
	Assigned     bool  `bun:"assigned"`
}

// loadCells returns the round's assignments rows of seated jurors.
func loadCells(ctx context.Context, db bun.IDB, roundID int64) (map[pair]cellRow, error) {
	var rows []cellRow
	err := db.NewRaw(`SELECT a.juror_id, a.nomination_id, a.manual, a.assigned
		FROM assignments a JOIN jurors j ON j.id = a.juror_id
		WHERE a.round_id = ? AND j.removed_at IS NULL`, roundID).Scan(ctx, &rows)
	if err != nil {
		return nil, postgres.Map("list assignments", err)
	}
	out := make(map[pair]cellRow, len(rows))
	for _, r := range rows {
		out[pair{r.JurorID, r.NominationID}] = r
	}
	return out, nil
}

// conflictRow is one reason a juror must step aside from a nomination.
type conflictRow struct {
	JurorID      int64  `bun:"juror_id"`
	NominationID int64  `bun:"nomination_id"`
	Kind         string `bun:"kind"`
	Reason       string `bun:"reason"`
}

// loadConflicts returns the conflicts of the cycle's seated jurors, from
// the view juror_conflicts: declared ones and membership of a nominee
// organisation. A pair may have several.
func loadConflicts(ctx context.Context, db bun.IDB, cycleID int64) (map[pair][]Conflict, error) {
	var rows []conflictRow
	err := db.NewRaw(`SELECT jc.juror_id, jc.nomination_id, jc.kind, jc.reason
		FROM juror_conflicts jc JOIN jurors j ON j.id = jc.juror_id
		WHERE j.cycle_id = ? AND j.removed_at IS NULL
		ORDER BY jc.juror_id, jc.nomination_id, jc.kind = 'member', jc.kind, jc.reason`, cycleID).Scan(ctx, &rows)
	if err != nil {
		return nil, postgres.Map("list conflicts", err)
	}
	out := make(map[pair][]Conflict, len(rows))
	for _, r := range rows {
		p := pair{r.JurorID, r.NominationID}
		out[p] = append(out[p], Conflict{Kind: r.Kind, Reason: r.Reason})
	}
	return out, nil
}

// loadStarted returns the cells where the juror has begun scoring in the
// round: saved scores on its criteria or a submission.
func loadStarted(ctx context.Context, db bun.IDB, roundID int64) (map[pair]bool, error) {
	var rows []cellRow
	err := db.NewRaw(`SELECT s.juror_id, s.nomination_id FROM scores s JOIN jurors j ON j.id = s.juror_id
			JOIN criteria cr ON cr.id = s.criterion_id
			WHERE cr.round_id = ? AND j.removed_at IS NULL
		UNION
		SELECT s.juror_id, s.nomination_id FROM score_submissions s JOIN jurors j ON j.id = s.juror_id
			WHERE s.round_id = ? AND j.removed_at IS NULL`, roundID, roundID).Scan(ctx, &rows)
	if err != nil {
		return nil, postgres.Map("list started scoring", err)
	}
	out := make(map[pair]bool, len(rows))
	for _, r := range rows {
		out[pair{r.JurorID, r.NominationID}] = true
	}
	return out, nil
}
