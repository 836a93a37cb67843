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
	"time"

	"github.com/heder-awards/heder/internal/pgtest"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/heder-awards/heder/internal/scoring"
)

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
		if err := pgtest.BigCycle(ctx, db, y); err != nil {
			t.Fatal(err)
		}
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
	var round, factsVersion int64
	if err := db.QueryRowContext(ctx, `SELECT current_round(?), (SELECT facts_version FROM jury_screen_versions WHERE cycle_id = ?)`,
		p.Cycle, p.Cycle).Scan(&round, &factsVersion); err != nil {
		t.Fatal(err)
	}
	zeros := make([]int64, len(p.Criteria))
	values, comments, projects := make([]string, len(p.Criteria)), make([]string, len(p.Criteria)), make([]string, len(p.Criteria))
	for i := range values {
		values[i], comments[i] = "4", "Godt"
	}
	save := []any{p.Criteria, zeros, values, comments, projects, p.Cycle, p.Juror, p.Nomination, round, factsVersion, p.User, time.Now().Add(time.Hour)}
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
		if err := pgtest.BigCycle(ctx, db, y); err != nil {
			t.Fatal(err)
		}
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
