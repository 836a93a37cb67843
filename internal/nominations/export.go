package nominations

import (
	"context"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/postgres"
)

// ExportRow is one line of an export: a nomination with one of its
// projects, or with none when it has no projects.
type ExportRow struct {
	NominationID string                  `bun:"public_id"`
	Title        string                  `bun:"title"`
	Status       awards.NominationStatus `bun:"status"`
	Challenge    awards.Challenge        `bun:"challenge"`
	// Nominees are the nominee organisations' names at the time, joined.
	Nominees     string     `bun:"nominees"`
	County       string     `bun:"county"`
	ContactName  string     `bun:"contact_name"`
	ContactEmail string     `bun:"contact_email"`
	SubmittedAt  *time.Time `bun:"submitted_at"`
	ProjectTitle string     `bun:"project_title"`
	PeriodStart  *time.Time `bun:"period_start"`
	PeriodEnd    *time.Time `bun:"period_end"`
	// Measures are the project's measured results, "deltakere: 783;
	// innspill: 458".
	Measures    string `bun:"measures"`
	Attachments int    `bun:"attachments"`
}

// Export is what the admin exports of a cycle: one row per nomination
// and project, in the list's order.
type Export struct {
	Cycle awards.Cycle
	Rows  []ExportRow
}

// Export returns the cycle's nominations that match f (every page) with
// their projects, for a spreadsheet. Site admins only: others get
// EForbidden. Returns ENotFound for an unknown cycle and EInvalid for a
// bad filter, as AdminList.
func (s *Service) Export(ctx context.Context, actor *awards.Actor, cyclePublicID string, f Filter) (Export, error) {
	c, err := reviewCycle(ctx, s.db, actor, cyclePublicID)
	if err != nil {
		return Export{}, err
	}
	f.Page = 0
	if err := f.validate(); err != nil {
		return Export{}, err
	}
	q := f.sql(c.ID)
	with := q.with
	if with == "" {
		with = "WITH"
	} else {
		with += ","
	}
	out := Export{Cycle: c.Cycle(), Rows: []ExportRow{}}
	// The nominees, counties and order are worked out once per
	// nomination (MATERIALIZED), not once per project row.
	err = s.db.NewRaw(with+` sel AS MATERIALIZED (
			SELECT n.id, `+q.rank()+` AS rank, `+sortName+` AS sort_name, `+nomineeNames+` AS nominees, `+countiesSQL+` AS county
			FROM `+q.from+` WHERE `+q.where+`)
		SELECT n.public_id, n.title, n.status, n.challenge, n.contact_name, n.contact_email, n.submitted_at,
			sel.nominees, sel.county,
			coalesce(p.title, '') AS project_title, p.period_start, p.period_end,
			coalesce((SELECT string_agg(r.label || ': ' || trim_scale(r.value)::text
					|| CASE WHEN r.unit = '' THEN '' ELSE ' ' || r.unit END, '; ' ORDER BY r.position, r.id)
				FROM project_results r WHERE r.project_id = p.id), '') AS measures,
			(SELECT count(*) FROM attachments a WHERE a.project_id = p.id) AS attachments
		FROM sel JOIN nominations n ON n.id = sel.id
		LEFT JOIN nomination_projects np ON np.nomination_id = n.id
		LEFT JOIN projects p ON p.id = np.project_id
		ORDER BY sel.rank DESC, sel.sort_name NULLS LAST, n.title, n.id, np.position, p.id`, q.args...).Scan(ctx, &out.Rows)
	if err != nil {
		return Export{}, postgres.Map("export nominations", err)
	}
	return out, nil
}
