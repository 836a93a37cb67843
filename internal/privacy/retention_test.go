package privacy_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/jobs"
	"github.com/heder-awards/heder/internal/pgtest"
	"github.com/heder-awards/heder/internal/privacy"
	"github.com/riverqueue/river"
)

// personal counts the rows of a cycle that retention erases.
type personal struct {
	Contacts, Scores, Submissions, Comments, Messages, Invitations, Bids, Ballots, BallotSubmissions int
	// What stays: the public facts.
	Nominations, Decisions int
}

// retentionWorld is an owner keeping personal data 36 months after
// publication, and cycles on both sides of that line.
type retentionWorld struct {
	*seed
	owner, otherOwner int64
}

// cycle makes a cycle of award in phase whose winners' announcement is out
// (or due) at publishAt, with one nomination carrying every kind of
// personal data retention erases.
func (w *retentionWorld) cycle(award int64, year int, phase string, publishAt time.Time) int64 {
	c := w.id(`INSERT INTO cycles (award_id, year, title, phase) VALUES (?, ?, ?, ?) RETURNING id`, award, year, "Prisen", phase)
	crit := w.id(`INSERT INTO criteria (cycle_id, name_nb) VALUES (?, 'Nytt') RETURNING id`, c)
	w.exec(`INSERT INTO announcements (cycle_id, kind, publish_at) VALUES (?, 'winners', ?)`, c, publishAt)
	juryUser := w.id(`INSERT INTO users (issuer, subject, name, email) VALUES ('test', ?, 'Jurymedlem', 'jury@example.org') RETURNING id`,
		"jury-"+time.Now().Format("150405.000000000"))
	juror := w.id(`INSERT INTO jurors (cycle_id, user_id) VALUES (?, ?) RETURNING id`, c, juryUser)
	n := w.id(`INSERT INTO nominations (cycle_id, title, status, contact_name, contact_email, contact_phone, submitted_at)
		VALUES (?, 'Velferdslab', 'submitted', 'Kari Kontakt', 'kari@example.org', '99999999', now()) RETURNING id`, c)
	w.exec(`INSERT INTO nomination_organisations (nomination_id, organisation_id, lead) VALUES (?, ?, true)`, n, w.orgs[0])
	w.exec(`INSERT INTO decisions (nomination_id, cycle_id, outcome, statement_nb) VALUES (?, ?, 'winner', 'Juryen mener')`, n, c)
	w.exec(`INSERT INTO scores (juror_id, nomination_id, criterion_id, value, comment) VALUES (?, ?, ?, 4, 'God')`, juror, n, crit)
	w.exec(`INSERT INTO score_submissions (juror_id, nomination_id) VALUES (?, ?)`, juror, n)
	w.exec(`INSERT INTO juror_bids (juror_id, nomination_id, bid) VALUES (?, ?, 'not_wanted')`, juror, n)
	round := w.id(`INSERT INTO rounds (cycle_id, position, kind, name_nb) VALUES (?, 2, 'ranked_vote', 'Finale') RETURNING id`, c)
	w.exec(`INSERT INTO ballots (round_id, juror_id, nomination_id, rank) VALUES (?, ?, ?, 1)`, round, juror, n)
	w.exec(`INSERT INTO ballot_submissions (round_id, juror_id) VALUES (?, ?)`, round, juror)
	comment := w.id(`INSERT INTO jury_comments (nomination_id, juror_id, body) VALUES (?, ?, 'Sterk') RETURNING id`, n, juror)
	w.exec(`INSERT INTO outbox_messages (cycle_id, kind, user_id, email, organisation_id, nomination_id, language, data, dedupe_key)
		VALUES (?, 'result', ?, 'kari@example.org', ?, ?, 'nb', '{"name": "Kari Kontakt"}', ?)`, c, juryUser, w.orgs[0], n, "retention-"+time.Now().String())
	invitation := w.id(`INSERT INTO jury_invitations (cycle_id, email, name, token_hash, expires_at) VALUES (?, 'jury@example.org', 'Jurymedlem', ?, now()) RETURNING id`,
		c, []byte(time.Now().String()))
	// The audit entries the app writes about each, in their shapes.
	for _, e := range []struct {
		action, entity string
		id             int64
		before, after  any
	}{
		{"update", "nomination", n, map[string]any{"title": "Velferdslab", "contact_name": "", "status": "draft"},
			map[string]any{"title": "Velferdslab", "contact_name": "Kari Kontakt", "contact_email": "kari@example.org", "contact_phone": "99999999", "status": "submitted"}},
		{"save", "scores", n, nil, []map[string]any{{"criterion_id": crit, "value": 4, "comment": "God"}}},
		{"assign_bids", "juror", juror, map[string]any{"x": "willing"}, map[string]any{"x": "not_wanted"}},
		{"ballot_submit", "juror", juror, nil, map[string]any{"round_id": round, "ranks": map[string]int{"x": 1}}},
		{"create", "jury_comment", comment, nil, map[string]any{"nomination_id": n, "juror_id": juror, "body": "Sterk"}},
		{"invite", "jury_invitation", invitation, nil, map[string]any{"cycle_id": c, "name": "Jurymedlem", "email": "jury@example.org", "chair": false}},
		{"accept", "jury_invitation", invitation, nil, map[string]any{"accepted_by": juryUser, "email": "jury@example.org", "login_email": "jury@example.org"}},
	} {
		if err := audit.Record(w.ctx, w.db, juryUser, e.action, e.entity, e.id, e.before, e.after); err != nil {
			w.t.Fatal(err)
		}
	}
	return c
}

// personalInAudit counts the audit entries cycle's juror wrote (about its
// nomination, scores, bids, ballot, comment and invitation) that still hold a personal
// value, and all of them (what stays: who did what when).
func (w *retentionWorld) personalInAudit(cycle int64) (personal, all int) {
	w.t.Helper()
	if err := w.db.NewRaw(`SELECT
			count(*) FILTER (WHERE concat(before::text, after::text) ~ '(Kari Kontakt|kari@example.org|99999999|God|Sterk|Jurymedlem|jury@example.org|not_wanted|"ranks")'),
			count(*)
		FROM audit_log WHERE actor_id = (SELECT user_id FROM jurors WHERE cycle_id = ?)`, cycle).Scan(w.ctx, &personal, &all); err != nil {
		w.t.Fatal(err)
	}
	return personal, all
}

func (w *retentionWorld) personal(cycle int64) personal {
	w.t.Helper()
	var p personal
	if err := w.db.NewRaw(`SELECT
		(SELECT count(*) FROM nominations WHERE cycle_id = ?0 AND (contact_name <> '' OR contact_email <> '' OR contact_phone <> '')) AS contacts,
		(SELECT count(*) FROM scores s JOIN nominations n ON n.id = s.nomination_id WHERE n.cycle_id = ?0) AS scores,
		(SELECT count(*) FROM score_submissions s JOIN nominations n ON n.id = s.nomination_id WHERE n.cycle_id = ?0) AS submissions,
		(SELECT count(*) FROM jury_comments s JOIN nominations n ON n.id = s.nomination_id WHERE n.cycle_id = ?0) AS comments,
		(SELECT count(*) FROM outbox_messages WHERE cycle_id = ?0 AND (email <> 'anonymisert' OR user_id IS NOT NULL OR data <> '{}')) AS messages,
		(SELECT count(*) FROM jury_invitations WHERE cycle_id = ?0) AS invitations,
		(SELECT count(*) FROM juror_bids s JOIN nominations n ON n.id = s.nomination_id WHERE n.cycle_id = ?0) AS bids,
		(SELECT count(*) FROM ballots b JOIN rounds r ON r.id = b.round_id WHERE r.cycle_id = ?0) AS ballots,
		(SELECT count(*) FROM ballot_submissions b JOIN rounds r ON r.id = b.round_id WHERE r.cycle_id = ?0) AS ballot_submissions,
		(SELECT count(*) FROM nominations WHERE cycle_id = ?0 AND title = 'Velferdslab') AS nominations,
		(SELECT count(*) FROM decisions WHERE cycle_id = ?0 AND statement_nb = 'Juryen mener') AS decisions`, cycle).
		Scan(w.ctx, &p.Contacts, &p.Scores, &p.Submissions, &p.Comments, &p.Messages, &p.Invitations, &p.Bids, &p.Ballots, &p.BallotSubmissions, &p.Nominations, &p.Decisions); err != nil {
		w.t.Fatal(err)
	}
	return p
}

func newRetentionWorld(t *testing.T) *retentionWorld {
	w := &retentionWorld{seed: &seed{t: t, ctx: context.Background(), db: pgtest.New(t)}}
	w.orgs[0] = w.id(`INSERT INTO organisations (kind, name) VALUES ('municipality', 'Asker') RETURNING id`)
	w.owner = w.id(`INSERT INTO organisations (kind, name) VALUES ('ministry', 'Departementet') RETURNING id`)
	w.otherOwner = w.id(`INSERT INTO organisations (kind, name) VALUES ('other', 'Stiftelsen') RETURNING id`)
	w.exec(`INSERT INTO award_owners (organisation_id, retention_months) VALUES (?, 36), (?, NULL)`, w.owner, w.otherOwner)
	return w
}

// TestRetention erases a published cycle's personal data once its owner's
// retention period has passed since publication, and nothing of a cycle
// still inside it, not yet published, or whose owner keeps data.
func TestRetention(t *testing.T) {
	t.Parallel()
	w := newRetentionWorld(t)
	award := w.id(`INSERT INTO awards (slug, name_nb, owner_id) VALUES ('pris', 'Pris', ?) RETURNING id`, w.owner)
	kept := w.id(`INSERT INTO awards (slug, name_nb, owner_id) VALUES ('stiftelsen', 'Stiftelsens pris', ?) RETURNING id`, w.otherOwner)
	years := func(n int) time.Time { return time.Now().AddDate(-n, 0, 0) }
	old := w.cycle(award, 2019, "published", years(5))
	recent := w.cycle(award, 2024, "published", years(2))
	// Decided ten years ago, but its winners were never announced: not
	// published, so no retention period has started.
	unpublished := w.cycle(award, 2016, "decided", time.Now().AddDate(0, 0, 7))
	w.exec(`UPDATE cycles SET nomination_deadline = ? WHERE id = ?`, years(10), unpublished)
	noPeriod := w.cycle(kept, 2015, "published", years(10))
	// Sessions and caught mails, on each side of their limits.
	w.exec(`INSERT INTO sessions (token, data, expiry) VALUES ('gone', '', now() - interval '1 minute'), ('live', '', now() + interval '1 hour')`)
	w.exec(`INSERT INTO caught_mails (sender, recipient, subject, text_body, created_at) VALUES
		('heder@localhost', 'kari@example.org', 'Gammel', 'x', now() - interval '31 days'),
		('heder@localhost', 'kari@example.org', 'Ny', 'x', now() - interval '29 days')`)

	full := personal{Contacts: 1, Scores: 1, Submissions: 1, Comments: 1, Messages: 1, Invitations: 1, Bids: 1, Ballots: 1, BallotSubmissions: 1, Nominations: 1, Decisions: 1}
	sweep, err := privacy.Retain(w.ctx, w.db)
	if err != nil {
		t.Fatal(err)
	}
	want := []privacy.Erasure{{CycleID: old, Contacts: 1, Scores: 1, Submissions: 1, Comments: 1, Messages: 1, Invitations: 1, Bids: 1, Ballots: 1, BallotSubmissions: 1, AuditEntries: 7}}
	if diff := cmp.Diff(want, sweep.Cycles); diff != "" {
		t.Errorf("erased (-want +got):\n%s", diff)
	}
	if sweep.Sessions != 1 || sweep.CaughtMails != 1 {
		t.Errorf("deleted %d sessions and %d caught mails, want 1 and 1", sweep.Sessions, sweep.CaughtMails)
	}
	if got := w.personal(old); got != (personal{Nominations: 1, Decisions: 1}) {
		t.Errorf("the cycle past retention keeps %+v; want only its public facts", got)
	}
	if n, all := w.personalInAudit(old); n != 0 || all != 7 {
		t.Errorf("the cycle past retention: %d of %d audit entries about it still hold personal data; want 0 of 7", n, all)
	}
	for name, c := range map[string]int64{"inside retention": recent, "not published": unpublished, "owner keeps data": noPeriod} {
		if got := w.personal(c); got != full {
			t.Errorf("the cycle %s: %+v, want all of it kept", name, got)
		}
		if n, all := w.personalInAudit(c); n != 7 || all != 7 {
			t.Errorf("the cycle %s: %d of %d audit entries hold personal data; want all 7 kept", name, n, all)
		}
	}
	var left []string
	if err := w.db.NewRaw(`SELECT token FROM sessions UNION ALL SELECT subject FROM caught_mails ORDER BY 1`).Scan(w.ctx, &left); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"Ny", "live"}, left); diff != "" {
		t.Errorf("sessions and caught mails left (-want +got):\n%s", diff)
	}

	// The audit log has the counts, and a second run changes nothing.
	var after string
	if err := w.db.NewRaw(`SELECT after FROM audit_log WHERE action = 'erase_personal_data' AND entity = 'cycle' AND entity_id = ? AND actor_id IS NULL`, old).
		Scan(w.ctx, &after); err != nil {
		t.Fatalf("the erasure's audit entry: %v", err)
	}
	var counts map[string]int
	if err := json.Unmarshal([]byte(after), &counts); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int{"contacts": 1, "scores": 1, "score_submissions": 1, "jury_comments": 1, "outbox_messages": 1, "jury_invitations": 1,
		"juror_bids": 1, "ballots": 1, "ballot_submissions": 1, "audit_entries": 7}, counts); diff != "" {
		t.Errorf("audit counts (-want +got):\n%s", diff)
	}
	again, err := privacy.Retain(w.ctx, w.db)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Cycles) != 0 || again.Sessions != 0 || again.CaughtMails != 0 {
		t.Errorf("a second run erased %+v", again)
	}
	var entries int
	if err := w.db.NewRaw(`SELECT count(*) FROM audit_log WHERE action IN ('erase_personal_data', 'erase_expired')`).Scan(w.ctx, &entries); err != nil || entries != 2 {
		t.Errorf("%d erasure entries (%v), want 2", entries, err)
	}
}

// TestRetentionJob runs the daily job as the app does: River inserts it when
// the client starts, and it erases what is due.
func TestRetentionJob(t *testing.T) {
	t.Parallel()
	w := newRetentionWorld(t)
	award := w.id(`INSERT INTO awards (slug, name_nb, owner_id) VALUES ('pris', 'Pris', ?) RETURNING id`, w.owner)
	old := w.cycle(award, 2019, "published", time.Now().AddDate(-5, 0, 0))
	logger := slog.New(slog.DiscardHandler)
	workers := river.NewWorkers()
	river.AddWorker(workers, &privacy.RetentionWorker{DB: w.db, Logger: logger})
	client, err := jobs.New(w.db, workers, logger, privacy.RetentionJob())
	if err != nil {
		t.Fatal(err)
	}
	events, cancel := client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	defer cancel()
	if err := client.Start(w.ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, stop := context.WithTimeout(context.Background(), 10*time.Second)
		defer stop()
		if err := client.Stop(ctx); err != nil {
			t.Errorf("stop river: %v", err)
		}
	})
	select {
	case e := <-events:
		if e.Kind != river.EventKindJobCompleted || e.Job.Kind != "retention" {
			t.Fatalf("job %s: %s (%v)", e.Job.Kind, e.Kind, e.Job.Errors)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the retention job did not run when River started")
	}
	if got := w.personal(old); got != (personal{Nominations: 1, Decisions: 1}) {
		t.Errorf("after the job the cycle keeps %+v", got)
	}
}
