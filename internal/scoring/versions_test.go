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
