package pgtest

import (
	"context"
	"fmt"
	"strings"

	"github.com/heder-awards/heder/internal/postgres"
)

// BigCycle adds a cycle in judging of year with 500 nominations (one per
// organisation of 500 made-up municipalities, each with a project) and 12
// jurors of its own who have declared, each assigned 125 nominations
// (3 per nomination) with all six criteria scored and submitted, and a
// conflict on two nominations: the size issue 15 measured, which a real
// installation gathers year after year. Scale tests and benchmarks seed
// other cycles with it.
func BigCycle(ctx context.Context, db *postgres.DB, year int) error {
	// Several statements in one: the year goes into the text (an int).
	if _, err := db.ExecContext(ctx, strings.ReplaceAll(`
	INSERT INTO organisations (kind, name) SELECT 'municipality', 'Kommune ' || g FROM generate_series(1, 500) g
		WHERE NOT EXISTS (SELECT 1 FROM organisations WHERE name = 'Kommune 1');
	INSERT INTO awards (slug, name_nb) VALUES ('stor', 'Stor pris') ON CONFLICT DO NOTHING;
	INSERT INTO users (issuer, subject, name, email)
		SELECT 'https://idp.test', 'juror-' || $1 || '-' || g, 'Jurymedlem ' || g, 'j' || g || '@example.org' FROM generate_series(1, 12) g;
	INSERT INTO cycles (award_id, year, title, phase, nomination_deadline, scoring_deadline, assignment_mode, jurors_per_nomination)
		SELECT id, $1, 'Stor pris ' || $1, 'judging', now() - interval '30 days', now() + interval '30 days', 'auto', 3 FROM awards WHERE slug = 'stor';
	CREATE TEMP TABLE big AS SELECT c.id AS cycle_id FROM awards a JOIN cycles c ON c.award_id = a.id WHERE a.slug = 'stor' AND c.year = $1;
	INSERT INTO criteria (cycle_id, name_nb, scale_min, scale_max, scale_step, position)
		SELECT big.cycle_id, 'Kriterium ' || g, 1, 5, 1, g FROM big, generate_series(1, 6) g;
	INSERT INTO nominations (cycle_id, title, summary, status, submitted_at)
		SELECT big.cycle_id, 'Nominasjon ' || g, 'Sammendrag', 'submitted', now() - interval '31 days' FROM big, generate_series(1, 500) g;
	INSERT INTO nomination_organisations (nomination_id, organisation_id, lead)
		SELECT n.id, o.id, true FROM (SELECT id, row_number() OVER (ORDER BY id) r FROM nominations WHERE cycle_id = (SELECT cycle_id FROM big)) n
		JOIN (SELECT id, row_number() OVER (ORDER BY id) r FROM organisations WHERE name LIKE 'Kommune %') o ON o.r = n.r;
	INSERT INTO projects (organisation_id, title, description)
		SELECT no.organisation_id, 'Prosjekt ' || n.id, 'Beskrivelse' FROM nominations n JOIN nomination_organisations no ON no.nomination_id = n.id
		WHERE n.cycle_id = (SELECT cycle_id FROM big);
	INSERT INTO nomination_projects (nomination_id, project_id, position)
		SELECT n.id, p.id, 0 FROM nominations n JOIN projects p ON p.title = 'Prosjekt ' || n.id WHERE n.cycle_id = (SELECT cycle_id FROM big);
	INSERT INTO jurors (cycle_id, user_id, chair, declared_at)
		SELECT big.cycle_id, u.id, u.subject = 'juror-' || $1 || '-1', now() FROM big, users u WHERE u.subject LIKE 'juror-' || $1 || '-%';
	INSERT INTO conflict_reviews (juror_id, organisation_id)
		SELECT j.id, o.id FROM jurors j, organisations o WHERE j.cycle_id = (SELECT cycle_id FROM big) AND o.name LIKE 'Kommune %';
	INSERT INTO assignments (juror_id, nomination_id, manual, assigned)
		SELECT j.id, n.id, false, true
		FROM (SELECT id, row_number() OVER (ORDER BY id) r FROM jurors WHERE cycle_id = (SELECT cycle_id FROM big)) j
		JOIN (SELECT id, row_number() OVER (ORDER BY id) r FROM nominations WHERE cycle_id = (SELECT cycle_id FROM big)) n ON n.r % 4 = j.r % 4;
	INSERT INTO scores (juror_id, nomination_id, criterion_id, value, comment)
		SELECT a.juror_id, a.nomination_id, cr.id, 3, 'Grei' FROM assignments a JOIN jurors j ON j.id = a.juror_id
		JOIN criteria cr ON cr.cycle_id = j.cycle_id WHERE j.cycle_id = (SELECT cycle_id FROM big);
	INSERT INTO score_submissions (juror_id, nomination_id, submitted_at)
		SELECT a.juror_id, a.nomination_id, now() FROM assignments a JOIN jurors j ON j.id = a.juror_id WHERE j.cycle_id = (SELECT cycle_id FROM big);
	INSERT INTO conflicts (juror_id, organisation_id, kind, reason, declared_at)
		SELECT j.id, no.organisation_id, 'other', 'Nabo', now() FROM jurors j JOIN nominations n ON n.cycle_id = j.cycle_id
		JOIN nomination_organisations no ON no.nomination_id = n.id
		WHERE j.cycle_id = (SELECT cycle_id FROM big) AND n.title IN ('Nominasjon 7', 'Nominasjon 8');
	DROP TABLE big;
	ANALYZE`, "$1", fmt.Sprint(year))); err != nil {
		return fmt.Errorf("seed cycle %d: %w", year, err)
	}
	return nil
}
