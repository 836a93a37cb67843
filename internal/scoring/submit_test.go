package scoring_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/scoring"
)

func TestSubmit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.judging()
	juror := e.person("jon", false)
	e.seat(juror, c, false, true)
	nom := e.nomination(c, "Asker", "submitted", 1)

	_, err := e.s.Save(e.ctx, juror, c.publicID, nom, []scoring.Cell{cell(c.crit[1], nil, "Vet ikke ennå")})
	wantCode(t, "save a comment", err, "")
	_, err = e.s.Submit(e.ctx, juror, c.publicID, nom, nil)
	wantIs(t, "submit with nothing scored", err, scoring.ErrIncomplete)
	fields := awards.ErrorFields(err)
	if awards.ErrorCode(err) != awards.EInvalid || len(fields) != 2 || fields["score-"+itoa(c.crit[0])] != "scoring.error.missing" ||
		!strings.Contains(awards.ErrorMessage(err), "Nytt, Nyttig") {
		t.Fatalf("incomplete: %v %v", err, fields)
	}
	// Cells sent with the submission are saved first, in the same
	// transaction: one missing refuses all, and nothing is stored.
	_, err = e.s.Submit(e.ctx, juror, c.publicID, nom, []scoring.Cell{cell(c.crit[0], v(4), "")})
	wantIs(t, "submit with one missing", err, scoring.ErrIncomplete)
	if n := e.count(`SELECT count(*) FROM scores WHERE value IS NOT NULL`); n != 0 {
		t.Fatalf("a refused submission stored %d values", n)
	}
	if len(awards.ErrorFields(err)) != 1 || !strings.Contains(awards.ErrorMessage(err), "without a score: Nyttig") {
		t.Fatalf("one missing: %v", err)
	}
	sub, err := e.s.Submit(e.ctx, juror, c.publicID, nom, full(c, 4, 8.5))
	wantCode(t, "submit complete", err, "")
	if sub.NominationID != nom || sub.SubmittedAt.IsZero() {
		t.Fatalf("submission %+v", sub)
	}
	_, err = e.s.Submit(e.ctx, juror, c.publicID, nom, nil)
	wantIs(t, "second submit", err, scoring.ErrSubmitted)
	wantCode(t, "second submit", err, awards.EConflict)
	_, err = e.s.Save(e.ctx, juror, c.publicID, nom, []scoring.Cell{cell(c.crit[0], v(1), "")})
	wantIs(t, "save after submit", err, scoring.ErrSubmitted)
	if !strings.Contains(awards.ErrorMessage(err), "already submitted — ask the chair to reopen") {
		t.Errorf("message %q", awards.ErrorMessage(err))
	}
	sh, err := e.s.Scores(e.ctx, juror, nom)
	wantCode(t, "read after submit", err, "")
	if sh.Status != scoring.Submitted || *sh.Scores[0].Value != 4 || sh.Others == nil || len(sh.Others) != 0 {
		t.Errorf("after submit: %+v", sh)
	}
	if len(sh.Spread) != 2 || sh.Spread[0].N != 1 {
		t.Errorf("spread of the juror's own scores alone: %+v", sh.Spread)
	}
}

// TestAudit checks one audit entry per save with the cells' values before
// and after, and one per submission and reopening.
func TestAudit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.judging()
	juror := e.person("jon", false)
	jid := e.seat(juror, c, false, true)
	chair := e.person("chair", false)
	e.seat(chair, c, true, true)
	nom := e.nomination(c, "Asker", "submitted", 1)

	_, err := e.s.Save(e.ctx, juror, c.publicID, nom, full(c, 3, 6))
	wantCode(t, "first save", err, "")
	_, err = e.s.Save(e.ctx, juror, c.publicID, nom, []scoring.Cell{cell(c.crit[0], v(4), "Bedre enn jeg trodde")})
	wantCode(t, "second save", err, "")
	// The same values again, as a form posts every cell: nothing changes,
	// nothing is logged.
	_, err = e.s.Save(e.ctx, juror, c.publicID, nom, []scoring.Cell{cell(c.crit[0], v(4), "Bedre enn jeg trodde"), cell(c.crit[1], v(6), "")})
	wantCode(t, "unchanged save", err, "")
	_, err = e.s.Submit(e.ctx, juror, c.publicID, nom, nil)
	wantCode(t, "submit", err, "")
	wantCode(t, "reopen", e.s.Reopen(e.ctx, chair, c.publicID, nom, jid, "  Juryen ba om ny vurdering av kriterium 1  "), "")

	entries := e.auditOf(nom)
	var actions []string
	for _, en := range entries {
		actions = append(actions, en.Action)
	}
	if diff := cmp.Diff([]string{"save", "save", "submit", "reopen"}, actions); diff != "" {
		t.Fatalf("audit actions (-want +got):\n%s", diff)
	}
	type cellJSON struct {
		CriterionID int64    `json:"criterion_id"`
		Value       *float64 `json:"value"`
		Comment     string   `json:"comment"`
	}
	type side struct {
		JurorID int64      `json:"juror_id"`
		Cells   []cellJSON `json:"cells"`
		Reason  string     `json:"reason"`
	}
	read := func(raw json.RawMessage) side {
		var s side
		if err := json.Unmarshal(raw, &s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	second := entries[1]
	if diff := cmp.Diff(side{JurorID: jid, Cells: []cellJSON{{CriterionID: c.crit[0], Value: v(3), Comment: "Nytt for kommunen."}}}, read(second.Before)); diff != "" {
		t.Errorf("second save, before (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(side{JurorID: jid, Cells: []cellJSON{{CriterionID: c.crit[0], Value: v(4), Comment: "Bedre enn jeg trodde"}}}, read(second.After)); diff != "" {
		t.Errorf("second save, after (-want +got):\n%s", diff)
	}
	if second.ActorID != juror.User.ID {
		t.Errorf("save audited as %d, want %d", second.ActorID, juror.User.ID)
	}
	reopen := entries[3]
	if r := read(reopen.After); r.Reason != "Juryen ba om ny vurdering av kriterium 1" || r.JurorID != jid || reopen.ActorID != chair.User.ID {
		t.Errorf("reopen audited as %+v by %d", r, reopen.ActorID)
	}
	if m := asJSON(t, reopen.Before); m["submitted_at"] == nil {
		t.Errorf("reopen's before lacks the submission: %v", m)
	}
}

// TestOthersScores checks that a juror sees the other jurors' scores of a
// nomination only after submitting their own, and then only submitted
// ones, never drafts, with the spread per criterion.
func TestOthersScores(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.judging()
	names := []string{"anne", "bjørn", "cecilie", "dag"}
	jurors := map[string]*awards.Actor{}
	for _, n := range names {
		jurors[n] = e.person(n, false)
		e.seat(jurors[n], c, n == "anne", true)
	}
	nom := e.nomination(c, "Asker", "submitted", 1)
	save := func(who string, a, b float64, comment string) {
		t.Helper()
		_, err := e.s.Save(e.ctx, jurors[who], c.publicID, nom, []scoring.Cell{cell(c.crit[0], v(a), comment), cell(c.crit[1], v(b), "")})
		wantCode(t, who+" saves", err, "")
	}
	submit := func(who string) {
		t.Helper()
		_, err := e.s.Submit(e.ctx, jurors[who], c.publicID, nom, nil)
		wantCode(t, who+" submits", err, "")
	}
	others := func(who string) []string {
		t.Helper()
		sh, err := e.s.Scores(e.ctx, jurors[who], nom)
		wantCode(t, who+" reads", err, "")
		scr, err := e.s.Screen(e.ctx, jurors[who], c.publicID, nom)
		wantCode(t, who+" opens the screen", err, "")
		if (sh.Others == nil) != !scr.SeeWork || (scr.Comments != nil) && !scr.SeeWork {
			t.Fatalf("%s: sheet and screen disagree", who)
		}
		if sh.Others == nil {
			return nil
		}
		out := []string{}
		for _, o := range sh.Others {
			out = append(out, o.Name)
			for _, s := range o.Scores {
				if s.Comment == "utkast" {
					t.Errorf("%s sees %s's draft comment", who, o.Name)
				}
			}
		}
		return out
	}

	save("anne", 4, 8, "Tydelig nytt")
	save("bjørn", 2, 6, "utkast")
	if got := others("anne"); got != nil {
		t.Fatalf("anne sees %v before submitting", got)
	}
	submit("anne")
	if got := others("anne"); len(got) != 0 {
		t.Fatalf("anne sees %v while nobody else has submitted", got)
	}
	if got := others("bjørn"); got != nil {
		t.Fatalf("bjørn sees %v before submitting", got)
	}
	save("cecilie", 5, 10, "")
	submit("cecilie")
	save("bjørn", 2, 6, "Lite nytt")
	submit("bjørn")
	if diff := cmp.Diff([]string{"anne", "cecilie"}, others("bjørn")); diff != "" {
		t.Errorf("bjørn sees (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"bjørn", "cecilie"}, others("anne")); diff != "" {
		t.Errorf("anne sees (-want +got):\n%s", diff)
	}
	if got := others("dag"); got != nil {
		t.Errorf("dag, who has not scored, sees %v", got)
	}
	sh, _ := e.s.Scores(e.ctx, jurors["anne"], nom)
	// Nytt: 4, 2, 5 → mean 11/3, population sd sqrt(14/9).
	sp := sh.Spread[0]
	if sp.N != 3 || sp.Min != 2 || sp.Max != 5 || math.Abs(sp.Mean-11.0/3) > 1e-9 || math.Abs(sp.Std-math.Sqrt(14.0/9)) > 1e-9 {
		t.Errorf("spread %+v", sp)
	}
	// An excluded submission and a removed juror no longer show.
	e.exec(`UPDATE score_submissions SET excluded_reason = 'Sen habilitetserklæring' WHERE juror_id =
		(SELECT j.id FROM jurors j JOIN users u ON u.id = j.user_id WHERE u.name = 'cecilie')`)
	e.exec(`UPDATE jurors SET removed_at = now() WHERE user_id = ?`, jurors["bjørn"].User.ID)
	if got := others("anne"); len(got) != 0 {
		t.Errorf("anne still sees %v", got)
	}
}

// TestReopen checks who may reopen a juror's scores, and that the juror
// can change and submit them again afterwards.
func TestReopen(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.judging()
	juror := e.person("jon", false)
	jid := e.seat(juror, c, false, true)
	peer := e.person("peer", false)
	e.seat(peer, c, false, true)
	chair := e.person("chair", false)
	e.seat(chair, c, true, true)
	admin := e.person("admin", true)
	conflictedChair := e.person("cchair", false)
	other := e.cycle("judging", "now() + interval '4 days'", "nomination")
	e.seat(conflictedChair, other, true, true)
	nom := e.nomination(c, "Asker", "submitted", 1)
	_, err := e.s.Submit(e.ctx, juror, c.publicID, nom, full(c, 3, 5))
	wantCode(t, "submit", err, "")

	for _, tt := range []struct {
		name   string
		actor  *awards.Actor
		juror  int64
		reason string
		code   string
		field  string
	}{
		{"the juror themselves", juror, jid, "Ombestemt meg", awards.EForbidden, ""},
		{"another juror", peer, jid, "Uenig", awards.EForbidden, ""},
		{"a chair of another cycle", conflictedChair, jid, "Feil", awards.ENotFound, ""},
		{"anonymous", &awards.Actor{}, jid, "Feil", awards.EUnauthenticated, ""},
		{"the chair without a reason", chair, jid, "   ", awards.EInvalid, "reason"},
		{"the chair, too long a reason", chair, jid, strings.Repeat("x", scoring.MaxReason+1), awards.EInvalid, "reason"},
		{"the chair, a juror of another cycle", chair, 999999, "Feil", awards.EInvalid, "juror_id"},
		{"the chair, a juror who has not submitted", chair, e.id(`SELECT id FROM jurors WHERE user_id = ?`, peer.User.ID), "Feil", awards.EConflict, ""},
	} {
		err := e.s.Reopen(e.ctx, tt.actor, c.publicID, nom, tt.juror, tt.reason)
		if awards.ErrorCode(err) != tt.code || tt.field != "" && awards.ErrorFields(err)[tt.field] == "" {
			t.Errorf("%s: %v (fields %v), want %s %s", tt.name, err, awards.ErrorFields(err), tt.code, tt.field)
		}
	}
	if n := e.count(`SELECT count(*) FROM score_submissions`); n != 1 {
		t.Fatalf("refused reopenings removed the submission")
	}
	wantCode(t, "chair reopens", e.s.Reopen(e.ctx, chair, c.publicID, nom, jid, "Feil i kriterium 2"), "")
	wantIs(t, "reopen again", e.s.Reopen(e.ctx, chair, c.publicID, nom, jid, "Igjen"), scoring.ErrNotSubmitted)
	sh, err := e.s.Save(e.ctx, juror, c.publicID, nom, []scoring.Cell{cell(c.crit[1], v(9), "Rettet")})
	wantCode(t, "save after reopening", err, "")
	if sh.Status != scoring.Draft || *sh.Scores[0].Value != 3 {
		t.Errorf("after reopening the scores are kept as a draft: %+v", sh)
	}
	_, err = e.s.Submit(e.ctx, juror, c.publicID, nom, nil)
	wantCode(t, "submit again", err, "")
	wantCode(t, "admin reopens", e.s.Reopen(e.ctx, admin, c.publicID, nom, jid, "Sekretariatet"), "")

	// A chair conflicted with the nomination may not, and learns nothing.
	cj := e.id(`SELECT id FROM jurors WHERE user_id = ?`, chair.User.ID)
	e.exec(`INSERT INTO conflicts (juror_id, organisation_id, kind) VALUES (?, ?, 'other')`, cj, e.orgs["Asker"])
	_, err = e.s.Submit(e.ctx, juror, c.publicID, nom, nil)
	wantCode(t, "submit a third time", err, "")
	wantCode(t, "conflicted chair reopens", e.s.Reopen(e.ctx, chair, c.publicID, nom, jid, "Feil"), awards.ENotFound)
}

// TestComments checks the jury's discussion: who reads it, who writes.
func TestComments(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.judging()
	juror := e.person("jon", false)
	e.seat(juror, c, false, true)
	peer := e.person("peer", false)
	e.seat(peer, c, false, true)
	conflicted := e.person("conflicted", false, "Asker")
	e.seat(conflicted, c, false, true)
	chair := e.person("chair", false)
	e.seat(chair, c, true, true)
	admin := e.person("admin", true)
	nom := e.nomination(c, "Asker", "submitted", 1)

	_, err := e.s.AddComment(e.ctx, juror, c.publicID, nom, "Hva mener dere om tallene?")
	wantCode(t, "comment before submitting", err, awards.EForbidden)
	_, err = e.s.Comments(e.ctx, juror, c.publicID, nom)
	wantCode(t, "read before submitting", err, awards.EForbidden)
	_, err = e.s.Submit(e.ctx, juror, c.publicID, nom, full(c, 4, 7))
	wantCode(t, "submit", err, "")
	first, err := e.s.AddComment(e.ctx, juror, c.publicID, nom, "  Hva mener dere om tallene?  ")
	wantCode(t, "comment after submitting", err, "")
	if first.Body != "Hva mener dere om tallene?" || first.ID == 0 {
		t.Errorf("comment %+v", first)
	}
	_, err = e.s.AddComment(e.ctx, juror, c.publicID, nom, " ")
	wantCode(t, "empty comment", err, awards.EInvalid)
	_, err = e.s.AddComment(e.ctx, juror, c.publicID, nom, strings.Repeat("x", scoring.MaxBody+1))
	wantCode(t, "long comment", err, awards.EInvalid)
	// The chair, scoring the nomination too in an 'all' cycle, follows the
	// jurors' rule.
	_, err = e.s.Comments(e.ctx, chair, c.publicID, nom)
	wantCode(t, "chair before submitting", err, awards.EForbidden)
	_, err = e.s.Submit(e.ctx, chair, c.publicID, nom, full(c, 3, 7))
	wantCode(t, "chair submits", err, "")
	_, err = e.s.AddComment(e.ctx, chair, c.publicID, nom, "Tallene er gode.")
	wantCode(t, "chair comments", err, "")

	for _, tt := range []struct {
		name  string
		actor *awards.Actor
		read  string
		write string
	}{
		{"juror", juror, "", ""},
		{"peer before submitting", peer, awards.EForbidden, awards.EForbidden},
		{"conflicted juror", conflicted, awards.ENotFound, awards.ENotFound},
		{"admin", admin, "", awards.EForbidden},
		{"anonymous", &awards.Actor{}, awards.EUnauthenticated, awards.EUnauthenticated},
	} {
		list, err := e.s.Comments(e.ctx, tt.actor, c.publicID, nom)
		if awards.ErrorCode(err) != tt.read {
			t.Errorf("%s reads: %v, want %q", tt.name, err, tt.read)
		}
		if err == nil && (len(list) < 2 || list[0].Author != "jon" || !list[1].Chair) {
			t.Errorf("%s reads %+v", tt.name, list)
		}
		_, err = e.s.AddComment(e.ctx, tt.actor, c.publicID, nom, "Hei")
		if awards.ErrorCode(err) != tt.write {
			t.Errorf("%s writes: %v, want %q", tt.name, err, tt.write)
		}
	}
	e.exec(`UPDATE cycles SET phase = 'published' WHERE id = ?`, c.id)
	_, err = e.s.AddComment(e.ctx, juror, c.publicID, nom, "For sent")
	wantCode(t, "comment after publication", err, awards.EConflict)
}

// TestProjectLevel checks that at project level each linked project is
// scored on every criterion, and submission needs them all.
func TestProjectLevel(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.cycle("judging", "now() + interval '4 days'", "project")
	juror := e.person("jon", false)
	e.seat(juror, c, false, true)
	nom := e.nomination(c, "Asker", "submitted", 3)
	bare := e.nomination(c, "Træna", "submitted", 0)
	ps := e.projects(nom)

	sh, err := e.s.Scores(e.ctx, juror, nom)
	wantCode(t, "read", err, "")
	if sh.Level != scoring.LevelProject || len(sh.Missing) != 6 || len(sh.Projects) != 3 {
		t.Fatalf("sheet: level %s, %d missing, %d projects", sh.Level, len(sh.Missing), len(sh.Projects))
	}
	var cells []scoring.Cell
	for _, p := range ps {
		for _, cr := range c.crit {
			cells = append(cells, scoring.Cell{Key: scoring.Key{CriterionID: cr, ProjectID: p}, Value: v(3)})
		}
	}
	_, err = e.s.Submit(e.ctx, juror, c.publicID, nom, cells[:5])
	wantIs(t, "five of six", err, scoring.ErrIncomplete)
	if f := awards.ErrorFields(err); len(f) != 1 || f["score-"+itoa(c.crit[1])+"-"+ps[2]] == "" {
		t.Errorf("missing fields %v", f)
	}
	_, err = e.s.Submit(e.ctx, juror, c.publicID, nom, cells)
	wantCode(t, "all six", err, "")
	if n := e.count(`SELECT count(DISTINCT project_id) FROM scores WHERE project_id IS NOT NULL`); n != 3 {
		t.Errorf("scores on %d projects, want 3", n)
	}
	// A nomination without projects is scored as a whole.
	sh, err = e.s.Scores(e.ctx, juror, bare)
	wantCode(t, "read a nomination without projects", err, "")
	if sh.Level != scoring.LevelNomination || len(sh.Missing) != 2 {
		t.Errorf("without projects: level %s, missing %v", sh.Level, sh.Missing)
	}
}

// TestWriteGate checks the write of a save on its own: when the cycle
// stopped taking scores, or the juror submitted, after the save read the
// sheet, the write changes no score and logs nothing; otherwise it
// changes the cells and logs them in the same statement.
func TestWriteGate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.judging()
	juror := e.person("jon", false)
	jid := e.seat(juror, c, false, true)
	nom := e.nomination(c, "Asker", "submitted", 0)
	nid := e.nominationID(nom)
	_, err := e.s.Save(e.ctx, juror, c.publicID, nom, []scoring.Cell{cell(c.crit[0], v(3), "")})
	wantCode(t, "save", err, "")

	round := e.id(`SELECT current_round(?)`, c.id)
	factsVersion := func() *int64 {
		v := e.id(`SELECT facts_version FROM jury_screen_versions WHERE cycle_id = ?`, c.id)
		return &v
	}
	// The facts_version the write is checked against, if any, and the
	// deadline it then goes by.
	var checked *int64
	var deadline *time.Time
	write := func(value string) int64 {
		t.Helper()
		res, err := e.db.DB.DB.ExecContext(e.ctx, scoring.SaveCellsSQL, []int64{c.crit[0]}, []int64{0}, []string{value}, []string{""},
			[]string{""}, c.id, jid, nid, round, checked, juror.User.ID, deadline)
		if err != nil {
			t.Fatal(err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	stored := func() (string, int) {
		return e.str(`SELECT value::text FROM scores WHERE juror_id = ? AND criterion_id = ?`, jid, c.crit[0]), len(e.auditOf(nom))
	}
	e.exec(`UPDATE cycles SET phase = 'closed' WHERE id = ?`, c.id)
	if n := write("5"); n != 0 {
		t.Errorf("closed cycle: %d rows, want 0", n)
	}
	if value, entries := stored(); value != "3.00" || entries != 1 {
		t.Errorf("closed cycle: value %s and %d audit entries, want 3.00 and 1", value, entries)
	}
	e.exec(`UPDATE cycles SET phase = 'judging' WHERE id = ?`, c.id)
	e.exec(`INSERT INTO score_submissions (juror_id, nomination_id) VALUES (?, ?)`, jid, nid)
	if n := write("5"); n != 0 {
		t.Errorf("submitted: %d rows, want 0", n)
	}
	if value, entries := stored(); value != "3.00" || entries != 1 {
		t.Errorf("submitted: value %s and %d audit entries, want 3.00 and 1", value, entries)
	}
	e.exec(`DELETE FROM score_submissions WHERE juror_id = ?`, jid)
	if n := write("5"); n != 1 {
		t.Errorf("open: %d rows, want 1", n)
	}
	if value, entries := stored(); value != "5.00" || entries != 2 {
		t.Errorf("open: value %s and %d audit entries, want 5.00 and 2", value, entries)
	}
	if n := write("5"); n != 1 {
		t.Errorf("unchanged: %d rows, want 1", n)
	}
	if value, entries := stored(); value != "5.00" || entries != 2 {
		t.Errorf("unchanged: value %s and %d audit entries, want 5.00 and 2: nothing changed, nothing logged", value, entries)
	}

	// A save that did not read the facts is checked against the version
	// they were kept under: a change to a fact raises it, a score does not.
	checked = factsVersion()
	e.exec(`UPDATE jurors SET removed_at = now() WHERE id = ?`, jid)
	e.exec(`UPDATE jurors SET removed_at = NULL WHERE id = ?`, jid)
	if n := write("2"); n != 0 {
		t.Errorf("facts changed since they were kept: %d rows, want 0", n)
	}
	checked = factsVersion()
	e.exec(`UPDATE jurors SET removed_at = now() WHERE id = ?`, jid)
	checked = factsVersion()
	if n := write("2"); n != 0 {
		t.Errorf("removed juror: %d rows, want 0", n)
	}
	e.exec(`UPDATE jurors SET removed_at = NULL WHERE id = ?`, jid)
	checked = factsVersion()
	if n := write("2"); n != 1 {
		t.Errorf("facts as kept: %d rows, want 1", n)
	}
	if n := write("1"); n != 1 {
		t.Errorf("facts as kept, after a score of the juror's own: %d rows, want 1", n)
	}
	if value, entries := stored(); value != "1.00" || entries != 4 {
		t.Errorf("facts as kept: value %s and %d audit entries, want 1.00 and 4", value, entries)
	}
	past := time.Now().Add(-time.Second)
	deadline = &past
	if n := write("2"); n != 0 {
		t.Errorf("facts as kept, past the deadline kept with them: %d rows, want 0", n)
	}
}
