package deciding_test

import (
	"context"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/uptrace/bun"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/deciding"
	"github.com/heder-awards/heder/internal/scorestats"
)

// rowOf finds a nomination's row in a ranking.
func rowOf(t testing.TB, r *deciding.Ranking, n nom) scorestats.Row {
	t.Helper()
	for _, row := range r.Result.Rows {
		if row.Nomination == n.id {
			return row
		}
	}
	t.Fatalf("nomination %d has no row", n.id)
	return scorestats.Row{}
}

func hasRow(r *deciding.Ranking, n nom) bool {
	return slices.ContainsFunc(r.Result.Rows, func(row scorestats.Row) bool { return row.Nomination == n.id })
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// TestOnlyCountingScores: drafts, excluded submissions, removed jurors'
// scores, scores without a value and nominations out of the running are
// left out; the rest count.
func TestOnlyCountingScores(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.judging()
	admin := e.person("admin", true)
	j1 := e.seat(e.person("Jon Jurymedlem", false), c, false, true)
	j2 := e.seat(e.person("Jenny Jurymedlem", false), c, false, true)
	gone := e.seat(e.person("Gunnar Gått", false), c, false, true)
	a := e.nomination(c, "Asker", "Mulighetenes kommune", "submitted", 0)
	b := e.nomination(c, "Bærum", "Bærum bygger", "submitted", 0)
	cc := e.nomination(c, "Horten", "Horten handler", "submitted", 0)
	w := e.nomination(c, "Sandnes", "Trukket", "withdrawn", 0)
	none := e.nomination(c, "Oppegård", "Ingen poeng", "submitted", 0)

	e.scored(j1, c, a, 5, 5)
	e.scored(j2, c, a, 4, 4)
	e.scored(j1, c, b, 3, 3)
	e.score(j2, b, c.crit[0], 0, 1, "utkast") // a draft: not submitted
	e.score(j2, b, c.crit[1], 0, 1, "")
	e.scored(gone, c, a, 1, 1) // then removed
	e.exec(`UPDATE jurors SET removed_at = now() WHERE id = ?`, gone)
	e.scored(j1, c, cc, 1, 1) // then excluded
	e.exec(`UPDATE score_submissions SET excluded_reason = 'conflict declared' WHERE juror_id = ? AND nomination_id = ?`, j1, cc.id)
	e.scored(j2, c, cc, 2, math.NaN()) // one value left empty
	e.scored(j1, c, w, 5, 5)           // withdrawn afterwards

	r, err := e.s.RankingFor(e.ctx, admin, c.publicID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if hasRow(r, w) {
		t.Error("a withdrawn nomination is ranked")
	}
	for _, tc := range []struct {
		n       nom
		scores  int
		jurors  int
		nytt    float64
		rawRank int
	}{
		{a, 4, 2, 4.5, 1},
		{b, 2, 1, 3, 2},
		{cc, 1, 1, 2, 3},
		{none, 0, 0, 0, 0},
	} {
		row := rowOf(t, r, tc.n)
		st, _ := row.Criterion(c.crit[0])
		if row.Scores != tc.scores || row.Jurors != tc.jurors || !near(st.Mean, tc.nytt) || row.RawRank != tc.rawRank {
			t.Errorf("%s: %d scores by %d jurors, Nytt mean %v, raw rank %d; want %d, %d, %v, %d",
				r.Nominations[tc.n.id].Title, row.Scores, row.Jurors, st.Mean, row.RawRank, tc.scores, tc.jurors, tc.nytt, tc.rawRank)
		}
	}
	var jurors []int64
	for _, js := range r.Result.Jurors {
		jurors = append(jurors, js.Juror)
	}
	if !slices.Equal(jurors, []int64{j1, j2}) {
		t.Errorf("jurors in the leniency %v, want %v (the removed juror left out)", jurors, []int64{j1, j2})
	}
	if r.Hidden != 0 || r.Jurors[j1].Name != "Jon Jurymedlem" || r.Jurors[j1].Initials() != "JJ" {
		t.Errorf("hidden %d, juror %+v", r.Hidden, r.Jurors[j1])
	}
	// Nor did the excluded and withdrawn ones anywhere else: j1's
	// leniency is over A and B only.
	if js := r.Result.Jurors[0]; js.N != 4 { // A and B, two criteria each
		t.Errorf("j1 has %d values in the leniency, want 4", js.N)
	}
}

// TestChairStepsAside: the chair's ranking leaves out, entirely, the
// nominations the chair must step aside from (declared, or by membership)
// or has not declared about; the admin sees them all.
func TestChairStepsAside(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.judging()
	admin := e.person("admin", true)
	chair := e.person("Jorunn Juryleder", false, "Træna") // a member of Træna
	chairID := e.seat(chair, c, true, true)
	j1 := e.seat(e.person("Jon Jurymedlem", false), c, false, true)
	asker := e.nomination(c, "Asker", "Mulighetenes kommune", "submitted", 0)
	traena := e.nomination(c, "Træna", "Tenk Træna", "submitted", 0)
	horten := e.nomination(c, "Horten", "Horten handler", "submitted", 0)
	baerum := e.nomination(c, "Bærum", "Bærum bygger", "submitted", 0)
	e.conflict(chairID, "Asker", "employed", "Jobbet i Asker til 2016")
	// Bærum was nominated after the chair declared: not yet reviewed.
	e.exec(`DELETE FROM conflict_reviews WHERE juror_id = ? AND organisation_id = ?`, chairID, e.orgs["Bærum"])
	e.scored(j1, c, asker, 5, 5)
	e.scored(j1, c, traena, 4, 4)
	e.scored(j1, c, horten, 2, 2)
	e.scored(j1, c, baerum, 3, 3)
	e.scored(chairID, c, horten, 3, 3)

	mine, err := e.s.RankingFor(e.ctx, chair, c.publicID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(mine.Result.Rows) != 1 || mine.Result.Rows[0].Nomination != horten.id || mine.Hidden != 3 {
		t.Fatalf("chair's rows %+v (hidden %d), want Horten's only, 3 hidden", mine.Result.Rows, mine.Hidden)
	}
	if row := mine.Result.Rows[0]; row.ZRank != 1 || row.RawRank != 1 || row.Scores != 4 {
		t.Errorf("Horten for the chair: ranks %d/%d, %d scores; want 1/1 and 4 (no gap where the others stand)", row.ZRank, row.RawRank, row.Scores)
	}
	for _, n := range []nom{asker, traena, baerum} {
		if _, ok := mine.Nominations[n.id]; ok {
			t.Errorf("chair's ranking names nomination %d", n.id)
		}
	}
	// j1's leniency, as the chair sees it, is over Horten's scores only.
	for _, js := range mine.Result.Jurors {
		if js.Juror == j1 && js.N != 2 {
			t.Errorf("j1's values for the chair: %d, want 2", js.N)
		}
	}

	all, err := e.s.RankingFor(e.ctx, admin, c.publicID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Result.Rows) != 4 || all.Hidden != 0 || rowOf(t, all, asker).RawRank != 1 || rowOf(t, all, horten).RawRank != 4 {
		t.Errorf("admin's ranking: %d rows, hidden %d", len(all.Result.Rows), all.Hidden)
	}

	// Declaring about Bærum (no conflict) brings it back for the chair.
	e.exec(`INSERT INTO conflict_reviews (juror_id, organisation_id) VALUES (?, ?)`, chairID, e.orgs["Bærum"])
	mine, err = e.s.RankingFor(e.ctx, chair, c.publicID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !hasRow(mine, baerum) || mine.Hidden != 2 {
		t.Errorf("after declaring about Bærum: rows %d, hidden %d", len(mine.Result.Rows), mine.Hidden)
	}
}

func TestRankingAccess(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.judging()
	draft := e.newCycle("draft", "nomination", criterion{name: "Nytt", weight: 1, min: 1, max: 5})
	chair := e.person("chair", false)
	e.seat(chair, c, true, true)
	undeclared := e.person("undeclared", false)
	e.seat(undeclared, draft, true, false)
	juror := e.person("juror", false)
	e.seat(juror, c, false, true)
	removed := e.person("removed", false)
	rid := e.seat(removed, draft, false, true)
	e.exec(`UPDATE jurors SET removed_at = now(), chair = false WHERE id = ?`, rid)
	stranger := e.person("stranger", false, "Asker")
	seatedAdmin := e.person("seated admin", true)
	e.seat(seatedAdmin, draft, false, false)
	for _, tc := range []struct {
		name  string
		actor *awards.Actor
		cycle cycle
		code  string
		cause error
	}{
		{"anonymous", &awards.Actor{}, c, awards.EUnauthenticated, nil},
		{"chair", chair, c, "", nil},
		{"chair of another cycle", chair, draft, awards.ENotFound, nil},
		{"undeclared chair", undeclared, draft, awards.EForbidden, deciding.ErrNotDeclared},
		{"juror", juror, c, awards.EForbidden, deciding.ErrNotChair},
		{"removed juror of a draft", removed, draft, awards.ENotFound, nil},
		{"submitter", stranger, c, awards.ENotFound, nil},
		{"submitter, draft", stranger, draft, awards.ENotFound, nil},
		{"admin seated, undeclared", seatedAdmin, draft, awards.EForbidden, deciding.ErrNotDeclared},
		{"admin seated elsewhere", seatedAdmin, c, "", nil},
	} {
		_, err := e.s.RankingFor(e.ctx, tc.actor, tc.cycle.publicID, 0)
		wantCode(t, tc.name, err, tc.code)
		if tc.cause != nil {
			wantIs(t, tc.name, err, tc.cause)
		}
	}
	_, err := e.s.RankingFor(e.ctx, chair, "no-such-cycle", 0)
	wantCode(t, "unknown cycle", err, awards.ENotFound)
}

// TestLenientAndStrictJurorsFromTheDatabase is ranking's worked example
// (TestLenientAndStrictJurors) end to end: four nominations whose true
// order is A > B > C > D, one criterion 1–10. Sara is strict (2–4) and
// read A, B and C; Leo is lenient (6–8) and read C and D. The raw means
// rank D, C, A, B; standardised, A, B, C, D.
func TestLenientAndStrictJurorsFromTheDatabase(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.newCycle("judging", "nomination", criterion{name: "Kvalitet", weight: 1, min: 1, max: 10})
	admin := e.person("admin", true)
	sara := e.seat(e.person("Sara Streng", false), c, false, true)
	leo := e.seat(e.person("Leo Løs", false), c, false, true)
	a := e.nomination(c, "Asker", "A", "submitted", 0)
	b := e.nomination(c, "Bærum", "B", "submitted", 0)
	cc := e.nomination(c, "Horten", "C", "submitted", 0)
	d := e.nomination(c, "Oppegård", "D", "submitted", 0)
	e.scored(sara, c, a, 4)
	e.scored(sara, c, b, 3)
	e.scored(sara, c, cc, 2)
	e.scored(leo, c, cc, 8)
	e.scored(leo, c, d, 6)

	r, err := e.s.RankingFor(e.ctx, admin, c.publicID, 0)
	if err != nil {
		t.Fatal(err)
	}
	zS := 1 / math.Sqrt(2.0/3)
	for _, w := range []struct {
		n              nom
		raw, z         float64
		rawRank, zRank int
	}{
		{a, 4, zS, 3, 1},
		{b, 3, 0, 4, 2},
		{cc, 5, (1 - zS) / 2, 2, 3},
		{d, 6, -1, 1, 4},
	} {
		row := rowOf(t, r, w.n)
		if !near(r.Result.Scaled(row.RawMean), w.raw) || !near(row.ZMean, w.z) || row.RawRank != w.rawRank || row.ZRank != w.zRank {
			t.Errorf("%s: raw %.3f (rank %d), z %+.4f (rank %d); want %.3f (%d), %+.4f (%d)", r.Nominations[w.n.id].Title,
				r.Result.Scaled(row.RawMean), row.RawRank, row.ZMean, row.ZRank, w.raw, w.rawRank, w.z, w.zRank)
		}
	}
	var order []string
	for _, row := range r.Result.Rows {
		order = append(order, r.Nominations[row.Nomination].Title)
	}
	if !slices.Equal(order, []string{"A", "B", "C", "D"}) {
		t.Errorf("rows in order %v, want A B C D", order)
	}
	if !rowOf(t, r, cc).Disagree {
		t.Error("C, scored 2 and 8, is not flagged")
	}
}

// TestProjectLevel: a cycle scoring projects rolls each juror's project
// scores up (here: the best), and reports the project level too.
func TestProjectLevel(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.newCycle("judging", "project", criterion{name: "Nytt", weight: 1, min: 1, max: 5})
	e.exec(`UPDATE cycles SET project_rollup = 'best' WHERE id = ?`, c.id)
	admin := e.person("admin", true)
	j1 := e.seat(e.person("Jon", false), c, false, true)
	j2 := e.seat(e.person("Jenny", false), c, false, true)
	asker := e.nomination(c, "Asker", "Mulighetenes kommune", "submitted", 3)
	for i, p := range asker.projects {
		e.score(j1, asker, c.crit[0], p, float64(3+i%2), "")
		e.score(j2, asker, c.crit[0], p, float64(2+i), "")
	}
	e.submit(j1, asker)
	e.submit(j2, asker)
	r, err := e.s.RankingFor(e.ctx, admin, c.publicID, 0)
	if err != nil {
		t.Fatal(err)
	}
	row := rowOf(t, r, asker)
	if st, _ := row.Criterion(c.crit[0]); st.Mean != 4 || row.Scores != 6 || len(row.Projects) != 3 {
		t.Errorf("Asker: mean %v of the best, %d scores, %d projects; want 4, 6, 3", st.Mean, row.Scores, len(row.Projects))
	}
	if r.ProjectLevel == nil || len(r.ProjectLevel.Rows) != 3 || len(r.Projects) != 3 {
		t.Fatalf("project level %+v, projects %v", r.ProjectLevel, r.Projects)
	}
	if r.Projects[row.Projects[0].Project].Title != "Asker prosjekt 1" {
		t.Errorf("project names %v", r.Projects)
	}
}

// TestRankingKept: a computed ranking is reused until the data it came
// from changes.
func TestRankingKept(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.judging()
	admin := e.person("admin", true)
	j1 := e.seat(e.person("Jon", false), c, false, true)
	j2 := e.seat(e.person("Jenny", false), c, false, true)
	a := e.nomination(c, "Asker", "A", "submitted", 0)
	b := e.nomination(c, "Bærum", "B", "submitted", 0)
	e.scored(j1, c, a, 5, 5)
	rank := func() *deciding.Ranking {
		t.Helper()
		r, err := e.s.RankingFor(e.ctx, admin, c.publicID, 0)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	first := rank()
	if again := rank(); again != first {
		t.Error("an unchanged ranking was computed again")
	}
	for _, change := range []struct {
		what string
		sql  string
		args []any
	}{
		{"a submission", `INSERT INTO score_submissions (juror_id, nomination_id) VALUES (?, ?)`, []any{j2, b.id}},
		{"an exclusion", `UPDATE score_submissions SET excluded_reason = 'konflikt' WHERE juror_id = ? AND nomination_id = ?`, []any{j1, a.id}},
		{"a removal", `UPDATE jurors SET removed_at = now() WHERE id = ?`, []any{j2}},
		{"a withdrawal", `UPDATE nominations SET status = 'withdrawn', updated_at = now() WHERE id = ?`, []any{b.id}},
		{"a decision", `INSERT INTO decisions (nomination_id, cycle_id, outcome) VALUES (?, ?, 'finalist')`, []any{a.id, c.id}},
		{"a weight", `UPDATE criteria SET weight = 3, updated_at = now() WHERE id = ?`, []any{c.crit[1]}},
	} {
		e.exec(change.sql, change.args...)
		if next := rank(); next == first {
			t.Errorf("after %s the kept ranking was reused", change.what)
		} else {
			first = next
		}
	}
	if first.Nominations[a.id].Outcome != deciding.Finalist {
		t.Errorf("the decision is not in the ranking: %+v", first.Nominations[a.id])
	}
}

// TestRankingVersionTrusted: within StateTTL the version is not read
// again, so changes made elsewhere show only after it; the service's own
// changes show at once.
func TestRankingVersionTrusted(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.s.StateTTL = time.Hour
	c := e.judging()
	admin := e.person("admin", true)
	j1 := e.seat(e.person("Jon", false), c, false, true)
	a := e.nomination(c, "Asker", "A", "submitted", 0)
	b := e.nomination(c, "Bærum", "B", "submitted", 0)
	e.scored(j1, c, a, 5, 5)
	first, err := e.s.RankingFor(e.ctx, admin, c.publicID, 0)
	if err != nil {
		t.Fatal(err)
	}
	e.scored(j1, c, b, 4, 4)
	if again, _ := e.s.RankingFor(e.ctx, admin, c.publicID, 0); again != first {
		t.Error("the version was read again within the TTL")
	}
	if _, err := e.s.SetDecision(e.ctx, admin, c.publicID, deciding.DecisionInput{Decisions: []deciding.DecisionItem{finalist(a)}}); err != nil {
		t.Fatal(err)
	}
	next, err := e.s.RankingFor(e.ctx, admin, c.publicID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if next == first || next.Nominations[a.id].Outcome != deciding.Finalist || rowOf(t, next, b).Scores != 2 {
		t.Error("the service's own change did not show at once")
	}
}

// TestRankingInTransaction: a service over a transaction scans the scores
// through database/sql, and gets the same ranking as one reading pgx's
// binary values.
func TestRankingInTransaction(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.newCycle("judging", "nomination", criterion{name: "Kvalitet", weight: 1, min: 0, max: 10})
	admin := e.person("admin", true)
	sara := e.seat(e.person("Sara", false), c, false, true)
	leo := e.seat(e.person("Leo", false), c, false, true)
	for i, org := range []string{"Asker", "Bærum", "Horten"} {
		n := e.nomination(c, org, org, "submitted", 0)
		e.scored(sara, c, n, float64(i)+0.25)
		e.scored(leo, c, n, 9.75-float64(i)*2)
	}
	direct, err := e.s.RankingFor(e.ctx, admin, c.publicID, 0)
	if err != nil {
		t.Fatal(err)
	}
	err = e.db.RunInTx(e.ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		inTx, err := deciding.NewService(tx).RankingFor(ctx, admin, c.publicID, 0)
		if err != nil {
			return err
		}
		if d := cmp.Diff(direct.Result, inTx.Result); d != "" {
			t.Errorf("rankings differ (-direct +in a transaction):\n%s", d)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
