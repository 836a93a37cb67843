package scoring_test

import (
	"context"
	"testing"

	"github.com/heder-awards/heder/internal/pgtest"
)

// TestScreenVersionsCoverEveryTable: every table whose rows lead to a
// cycle, a nomination, a juror or a project raises the cycle's
// jury_screen_versions (a row trigger jury_screen on insert, update and
// delete), unless it is listed
// here as never read by the scoring screen or its reader's facts. The
// screen and the facts are kept in memory by that version, so a table
// added without the triggers (jury_screen_changed_by_cycle, _by_nomination,
// _by_juror or _by_project) would leave them stale.
func TestScreenVersionsCoverEveryTable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	notShown := map[string]bool{
		// A ranked vote's ballots are on its own pages, never on the screen.
		"ballots": true, "ballot_submissions": true,
		"announcement_mails": true, "announcements": true, "decisions": true, "diploma_signatures": true, "feedback": true,
		"history_facts": true, "juror_bids": true, "jury_invitations": true, "noark_exports": true, "nominee_invitations": true,
		"outbox_messages": true, "receipt_mails": true,
	}
	var tables []string
	if err := db.NewRaw(`SELECT DISTINCT c.table_name FROM information_schema.columns c
		JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
		WHERE c.table_schema = 'public' AND c.column_name IN ('cycle_id', 'nomination_id', 'juror_id', 'project_id')
			AND c.table_name <> 'jury_screen_versions'
		ORDER BY 1`).Scan(ctx, &tables); err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"cycles": {"jury_screen_insert", "jury_screen_update"}, "awards": {"jury_screen_update"}, "users": {"jury_screen_update"},
		"organisations": {"jury_screen_update"}, "projects": {"jury_screen_update"},
		"memberships": {"jury_screen"},
	}
	for _, tab := range tables {
		if !notShown[tab] {
			want[tab] = []string{"jury_screen"}
		}
	}
	for tab, triggers := range want {
		for _, trg := range triggers {
			var n int
			if err := db.NewRaw(`SELECT count(*) FROM pg_trigger WHERE tgrelid = ?::regclass AND tgname = ?`, tab, trg).Scan(ctx, &n); err != nil {
				t.Fatal(err)
			}
			if n != 1 {
				t.Errorf("%s has no trigger %s: the scoring screens kept in memory would not see its changes", tab, trg)
			}
		}
	}
}

// TestDraftsRaiseNoVersion: a draft is on no screen, so writes to it and
// to its nominees, projects and files raise nothing, and two submitters'
// drafts in one cycle are saved side by side, not one after the other on
// the cycle's version; a submitted nomination's changes and a draft's
// submission raise it.
func TestDraftsRaiseNoVersion(t *testing.T) {
	t.Parallel()
	s := pgtest.NewSeed(t)
	orgs := s.Municipalities("Asker", "Træna", "Bærum")
	cycle := s.Cycle(pgtest.CycleSpec{Award: s.Award("pris", "Prisen"), Year: 2030, Phase: "open",
		NominationDeadline: "now() + interval '30 days'"})
	submitted := s.Nomination(pgtest.NominationSpec{Cycle: cycle.ID, Org: orgs["Asker"], Title: "Velferdslab", Projects: 1})
	drafts := []pgtest.Nomination{
		s.Nomination(pgtest.NominationSpec{Cycle: cycle.ID, Org: orgs["Træna"], Title: "Løsningsjakten", Draft: true, Projects: 1}),
		s.Nomination(pgtest.NominationSpec{Cycle: cycle.ID, Org: orgs["Bærum"], Title: "Holmen", Draft: true, Projects: 1}),
	}
	version := func() int64 {
		t.Helper()
		return s.ID(`SELECT version FROM jury_screen_versions WHERE cycle_id = ?`, cycle.ID)
	}
	before := version()
	d := drafts[0]
	s.Exec(`UPDATE nominations SET title = 'Løsningsjakten 2' WHERE id = ?`, d.ID)
	s.Exec(`INSERT INTO nomination_organisations (nomination_id, organisation_id) VALUES (?, ?)`, d.ID, orgs["Asker"])
	s.Exec(`UPDATE projects SET title = 'Ny tittel' WHERE id = ?`, d.Projects[0])
	s.Exec(`INSERT INTO project_results (project_id, label, value, position) VALUES (?, 'deltakere', 12, 0)`, d.Projects[0])
	s.Attachment(pgtest.AttachmentSpec{Project: d.Projects[0], Filename: "plan.pdf", ContentType: "application/pdf", Size: 1,
		SHA256: "00", Key: "k"})
	s.Exec(`DELETE FROM nomination_organisations WHERE nomination_id = ? AND organisation_id = ?`, d.ID, orgs["Asker"])
	if got := version(); got != before {
		t.Fatalf("writes to a draft raised the version from %d to %d", before, got)
	}

	// Two drafts' saves, each in a transaction still open: the second
	// does not wait for the first.
	tx, err := s.DB.BeginTx(s.Ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(s.Ctx, `UPDATE nominations SET summary = 'Første' WHERE id = ?`, drafts[0].ID); err != nil {
		t.Fatal(err)
	}
	other, err := s.DB.BeginTx(s.Ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Rollback()
	if _, err := other.ExecContext(s.Ctx, `SET LOCAL lock_timeout = '2s'`); err != nil {
		t.Fatal(err)
	}
	if _, err := other.ExecContext(s.Ctx, `UPDATE nominations SET summary = 'Andre' WHERE id = ?`, drafts[1].ID); err != nil {
		t.Fatalf("a draft's save waited for another draft's: %v", err)
	}
	if err := other.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}

	s.Exec(`UPDATE nominations SET title = 'Velferdslab 2' WHERE id = ?`, submitted.ID)
	if got := version(); got != before+1 {
		t.Errorf("a submitted nomination's change left the version at %d, want %d", got, before+1)
	}
	s.Exec(`UPDATE nominations SET status = 'submitted', submitted_at = now() WHERE id = ?`, d.ID)
	if got := version(); got != before+2 {
		t.Errorf("a draft's submission left the version at %d, want %d", got, before+2)
	}
	s.Exec(`UPDATE projects SET title = 'Nyere tittel' WHERE id = ?`, d.Projects[0])
	if got := version(); got != before+3 {
		t.Errorf("a submitted nomination's project's change left the version at %d, want %d", got, before+3)
	}
}

// TestFactsVersion: the jury's working papers (scores, submissions, the
// discussion) raise a cycle's screen version but not its facts_version,
// which a juror's kept facts are checked against; every other write
// raises both, once per transaction whatever came first.
func TestFactsVersion(t *testing.T) {
	t.Parallel()
	s := pgtest.NewSeed(t)
	orgs := s.Municipalities("Asker", "Træna")
	cycle := s.Cycle(pgtest.CycleSpec{Award: s.Award("pris", "Prisen"), Year: 2030, Phase: "judging",
		NominationDeadline: "now() - interval '30 days'", ScoringDeadline: "now() + interval '4 days'",
		Criteria: []pgtest.Criterion{{Name: "Nytt", Help: "Er det nytt?", Min: 1, Max: 5, Step: 1}}})
	nom := s.Nomination(pgtest.NominationSpec{Cycle: cycle.ID, Org: orgs["Asker"], Title: "Velferdslab"})
	juror := s.Seat(cycle.ID, s.Person("jon", false).User.ID, false, true)
	versions := func() (screen, facts int64) {
		t.Helper()
		screen = s.ID(`SELECT version FROM jury_screen_versions WHERE cycle_id = ?`, cycle.ID)
		facts = s.ID(`SELECT facts_version FROM jury_screen_versions WHERE cycle_id = ?`, cycle.ID)
		return screen, facts
	}
	want := func(what string, screen, facts int64) {
		t.Helper()
		if gotScreen, gotFacts := versions(); gotScreen != screen || gotFacts != facts {
			t.Errorf("%s: versions %d and %d, want %d and %d", what, gotScreen, gotFacts, screen, facts)
		}
	}
	screen, facts := versions()
	s.Score(juror, nom.ID, cycle.Criteria[0], 0, 3, "")
	want("a score", screen+1, facts)
	s.SubmitScores(juror, nom.ID)
	want("a submission", screen+2, facts)
	s.Exec(`INSERT INTO jury_comments (nomination_id, juror_id, body) VALUES (?, ?, 'Godt')`, nom.ID, juror)
	want("a post in the discussion", screen+3, facts)
	s.Conflict(juror, orgs["Træna"], "employed", "")
	want("a conflict", screen+4, facts+1)
	s.Exec(`UPDATE criteria SET scale_max = 6 WHERE id = ?`, cycle.Criteria[0])
	want("a criterion", screen+5, facts+2)
	s.Exec(`UPDATE scores SET value = 4 WHERE juror_id = ?;
		UPDATE nominations SET title = 'Velferdslaben' WHERE id = ?`, juror, nom.ID)
	want("a score, then the nomination, in one transaction", screen+6, facts+3)
	s.Exec(`UPDATE nominations SET title = 'Velferdslab' WHERE id = ?;
		UPDATE scores SET value = 3 WHERE juror_id = ?`, nom.ID, juror)
	want("the nomination, then a score, in one transaction", screen+7, facts+4)
}
