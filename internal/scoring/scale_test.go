package scoring_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/pgtest"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/heder-awards/heder/internal/scoring"
)

// seedBigCycle adds a cycle in judging of year with 500 nominations (one
// per organisation of the 500 made-up municipalities, each with a project)
// and 12 jurors of its own who have declared, each assigned 125
// nominations (3 per nomination) with all six criteria scored and
// submitted, and a conflict on two nominations: the size the issue
// measured, which a real installation gathers year after year.
func seedBigCycle(t *testing.T, ctx context.Context, db *postgres.DB, year int) {
	t.Helper()
	// Several statements in one: the year goes into the text (an int).
	if _, err := db.ExecContext(ctx, strings.ReplaceAll(`
	INSERT INTO organisations (kind, name) SELECT 'municipality', 'Kommune ' || g FROM generate_series(1, 500) g
		WHERE NOT EXISTS (SELECT 1 FROM organisations WHERE name = 'Kommune 1');
	INSERT INTO awards (slug, name_nb) VALUES ('stor', 'Stor pris') ON CONFLICT DO NOTHING;
	INSERT INTO users (issuer, subject, name, email)
		SELECT 'https://idp.test', 'juror-' || $1 || '-' || g, 'Jurymedlem ' || g, 'j' || g || '@example.org' FROM generate_series(1, 12) g;
	INSERT INTO cycles (award_id, year, title, phase, nomination_deadline, scoring_deadline, assignment_mode, jurors_per_nomination)
		SELECT id, $1, 'Stor pris ' || $1, 'judging', now() - interval '30 days', now() + interval '30 days', 'auto', 3 FROM awards WHERE slug = 'stor';
	CREATE TEMP TABLE big AS SELECT id AS cycle_id FROM cycles WHERE year = $1;
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
		t.Fatalf("seed cycle %d: %v", year, err)
	}
}

// jurorStatement is one statement a juror's request runs, with its
// arguments.
type jurorStatement struct {
	name string
	sql  string
	args []any
}

// blocks runs EXPLAIN (ANALYZE, BUFFERS) of each statement (writes in a
// transaction that is rolled back) and returns the buffers each touched,
// with its plan for a failure's message.
func blocks(t *testing.T, ctx context.Context, db *postgres.DB, stmts []jurorStatement) (map[string]int, map[string]string) {
	t.Helper()
	got, plans := map[string]int{}, map[string]string{}
	for _, s := range stmts {
		tx, err := db.DB.DB.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		// With a few cycles the planner may still read a table whole, or
		// hash it, as cheaper than its index; told not to, it shows whether
		// each statement can be answered from the juror's and the cycle's
		// rows alone by their keys, which is the plan it comes to as the
		// years add up. A view that hashes a whole table in a subplan, or a
		// missing index, still shows.
		if _, err := tx.ExecContext(ctx, `SET LOCAL enable_seqscan = off; SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off`); err != nil {
			_ = tx.Rollback()
			t.Fatal(err)
		}
		// Twice: the first run may read the catalogue and plan anew.
		var raw string
		for range 2 {
			if err := tx.QueryRowContext(ctx, `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) `+s.sql, s.args...).Scan(&raw); err != nil {
				_ = tx.Rollback()
				t.Fatalf("explain %s: %v", s.name, err)
			}
		}
		_ = tx.Rollback()
		var plan []struct {
			Plan map[string]any `json:"Plan"`
		}
		if err := json.Unmarshal([]byte(raw), &plan); err != nil {
			t.Fatal(err)
		}
		top := plan[0].Plan
		got[s.name] = int(top["Shared Hit Blocks"].(float64) + top["Shared Read Blocks"].(float64))
		plans[s.name] = summarise(top, "")
	}
	return got, plans
}

// summarise is a plan as one line per node: its type, relation and index,
// and the buffers it touched.
func summarise(node map[string]any, indent string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s%v", indent, node["Node Type"])
	for _, k := range []string{"Relation Name", "Index Name", "Subplan Name"} {
		if v, ok := node[k]; ok {
			fmt.Fprintf(&b, " %v", v)
		}
	}
	fmt.Fprintf(&b, " rows=%v buffers=%v\n", node["Actual Rows"], node["Shared Hit Blocks"])
	if kids, ok := node["Plans"].([]any); ok {
		for _, k := range kids {
			b.WriteString(summarise(k.(map[string]any), indent+"  "))
		}
	}
	return b.String()
}

// TestJurorQueriesIgnoreOtherCycles: what a juror's requests cost in the
// database (buffers touched by each statement of the list, the scoring
// screen, a save and the home page) does not grow with the other cycles
// in it. The same juror's statements are measured with one cycle of 500
// nominations × 12 jurors and again after three more such cycles; a
// statement that scans a table, or anti-joins a whole one, touches about
// four times as much the second time.
func TestJurorQueriesIgnoreOtherCycles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	// Three cycles, then six: with less, the planner may read a small
	// table whole, which is cheaper than its index there.
	for y := 2020; y < 2023; y++ {
		seedBigCycle(t, ctx, db, y)
	}

	var p struct {
		User, Juror, Chair, Nomination, Cycle int64
		NominationPublic, CyclePublic         string
		Criteria                              []int64
	}
	if err := db.QueryRowContext(ctx, `SELECT j.user_id, j.id, (SELECT id FROM jurors WHERE cycle_id = c.id AND chair), n.id, c.id, n.public_id, c.public_id
		FROM cycles c JOIN jurors j ON j.cycle_id = c.id AND NOT j.chair JOIN assignments a ON a.juror_id = j.id JOIN nominations n ON n.id = a.nomination_id
		WHERE c.year = 2020 ORDER BY j.id, n.id LIMIT 1`).Scan(&p.User, &p.Juror, &p.Chair, &p.Nomination, &p.Cycle, &p.NominationPublic, &p.CyclePublic); err != nil {
		t.Fatal(err)
	}
	if err := db.NewSelect().Table("criteria").Column("id").Where("cycle_id = ?", p.Cycle).Order("position").Scan(ctx, &p.Criteria); err != nil {
		t.Fatal(err)
	}
	// The save's statement, for a juror who has not submitted yet.
	if _, err := db.ExecContext(ctx, `DELETE FROM score_submissions WHERE juror_id = ? AND nomination_id = ?`, p.Juror, p.Nomination); err != nil {
		t.Fatal(err)
	}
	entry, err := audit.Args(p.User, "save", "scores", p.Nomination, nil, map[string]any{"value": 4})
	if err != nil {
		t.Fatal(err)
	}
	zeros := make([]int64, len(p.Criteria))
	values, comments := make([]string, len(p.Criteria)), make([]string, len(p.Criteria))
	for i := range values {
		values[i], comments[i] = "4", "Godt"
	}
	save := append([]any{p.Criteria, zeros, values, comments, p.Cycle, p.Juror, p.Nomination}, entry...)
	stmts := []jurorStatement{
		{"the juror's home (seats)", scoring.SeatsSQL, []any{p.User}},
		{"the juror's list", scoring.MineSQL, []any{p.Juror}},
		{"the screen: the nomination and the seat", scoring.ScreenSQL, []any{p.User, p.NominationPublic, p.CyclePublic, false}},
		{"a save: the nomination, the seat and the sheet", scoring.TargetSQL, []any{p.User, p.NominationPublic, "", true}},
		{"the screen: the juror's doc", scoring.DocSQL, []any{true, p.Juror, false, false, p.Nomination}},
		{"the chair's doc with others' scores", scoring.DocSQL, []any{true, p.Chair, true, true, p.Nomination}},
		{"a save: the seat's lock", scoring.LockJurorSQL, []any{p.NominationPublic, p.CyclePublic, p.User}},
		{"a save: the write", scoring.SaveCellsSQL, save},
	}
	for i, s := range stmts {
		// bun's ? placeholders as PostgreSQL's own, as bun sends them.
		n := 0
		stmts[i].sql = replacePlaceholders(s.sql, &n)
	}
	three, _ := blocks(t, ctx, db, stmts)
	for y := 2023; y < 2026; y++ {
		seedBigCycle(t, ctx, db, y)
	}
	six, plans := blocks(t, ctx, db, stmts)
	for _, s := range stmts {
		t.Logf("%-45s %5d buffers with three cycles, %5d with six", s.name, three[s.name], six[s.name])
		// A few more for an index that grew a level.
		if six[s.name] > three[s.name]*6/5+8 || os.Getenv("HEDER_SHOW_PLANS") != "" {
			t.Errorf("%s touches %d buffers with six cycles, %d with three: its cost grows with the other cycles. Plan:\n%s",
				s.name, six[s.name], three[s.name], plans[s.name])
		}
	}
}

// replacePlaceholders turns bun's placeholders, ? (the next argument) and
// ?0 (the first), into $1, $2, …; statements with $n are left as they
// are.
func replacePlaceholders(sql string, n *int) string {
	if strings.Contains(sql, "$1") {
		return sql
	}
	return regexp.MustCompile(`\?(\d*)`).ReplaceAllStringFunc(sql, func(m string) string {
		if m == "?" {
			*n++
			return fmt.Sprintf("$%d", *n)
		}
		i, _ := strconv.Atoi(m[1:])
		return fmt.Sprintf("$%d", i+1)
	})
}
