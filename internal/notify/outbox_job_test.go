package notify

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/nominations"
	"github.com/heder-awards/heder/internal/outbox"
	"github.com/heder-awards/heder/internal/smtptest"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/uptrace/bun"
)

const ineligibleReason = "Tiltaket er ikke i drift ennå, slik reglene krever."

// markIneligible submits w's nomination and marks it ineligible as a
// site admin would, through nominations.Service.
func markIneligible(t *testing.T, w *world) {
	t.Helper()
	ctx := context.Background()
	if _, err := w.db.ExecContext(ctx, `UPDATE nominations SET status = 'submitted', submitted_at = now() WHERE id = ?`, w.nomination); err != nil {
		t.Fatal(err)
	}
	var admin int64
	if err := w.db.QueryRowContext(ctx, `INSERT INTO users (issuer, subject, name, is_admin) VALUES ('https://idp.example', 'admin', 'Astrid Admin', true)
		ON CONFLICT (issuer, subject) DO UPDATE SET is_admin = true RETURNING id`).Scan(&admin); err != nil {
		t.Fatal(err)
	}
	_, err := nominations.NewService(w.db).SetIneligible(ctx, &awards.Actor{User: awards.User{ID: admin, IsAdmin: true}}, w.publicID, true, ineligibleReason)
	if err != nil {
		t.Fatal(err)
	}
}

// outboxRow is a message's delivery as the outbox records it.
type outboxRow struct {
	ID        int64  `bun:"id"`
	Email     string `bun:"email"`
	Language  string `bun:"language"`
	State     string `bun:"state"`
	Attempts  int    `bun:"attempts"`
	LastError string `bun:"last_error"`
	Subject   string `bun:"subject"`
}

func outboxRows(t *testing.T, db bun.IDB) []outboxRow {
	t.Helper()
	var rows []outboxRow
	if err := db.NewRaw(`SELECT id, email, language, state, attempts, last_error, subject FROM outbox_messages ORDER BY lower(email)`).
		Scan(context.Background(), &rows); err != nil {
		t.Fatal(err)
	}
	return rows
}

// waitOutbox waits until every message of the outbox satisfies done.
func waitOutbox(t *testing.T, db bun.IDB, done func(outboxRow) bool) []outboxRow {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		rows := outboxRows(t, db)
		all := len(rows) > 0
		for _, r := range rows {
			all = all && done(r)
		}
		if all {
			return rows
		}
		if time.Now().After(deadline) {
			t.Fatalf("outbox not done after 15s: %+v", rows)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

func sendJob(id int64, attempt int) *river.Job[outbox.SendArgs] {
	return &river.Job[outbox.SendArgs]{JobRow: &rivertype.JobRow{ID: id, Attempt: attempt, MaxAttempts: outbox.MaxAttempts},
		Args: outbox.SendArgs{MessageID: id}}
}

// TestIneligibleNotice: marking a nomination ineligible queues a notice
// with the reason to each member of its nominees, once per address, in
// each organisation's written form, and River sends each exactly once.
func TestIneligibleNotice(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	_, _ = startRiver(t, w, deps(t, w, nil, nil))
	// Ola chose English in Heder: he gets English, whatever Asker writes.
	if _, err := w.db.ExecContext(ctx, `UPDATE users SET locale = 'en' WHERE id = ?`, w.users["ola"]); err != nil {
		t.Fatal(err)
	}
	markIneligible(t, w)
	rows := waitOutbox(t, w.db, func(r outboxRow) bool { return r.State == outbox.StateSent })
	got := map[string]string{}
	for _, r := range rows {
		got[r.Email] = r.Language
		if r.Attempts != 1 || r.LastError != "" {
			t.Errorf("%s: %d attempts, error %q", r.Email, r.Attempts, r.LastError)
		}
	}
	want := map[string]string{"Ola@Asker.kommune.no": "en", "kari@asker.kommune.no": "nb", "siri@example.org": "nb", "tore@traena.kommune.no": "nn"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("queued (-want +got):\n%s", diff)
	}
	time.Sleep(300 * time.Millisecond) // a second send would show by now
	mails := w.caught(t)
	if diff := cmp.Diff(wantRecipients, recipientsOf(mails)); diff != "" {
		t.Errorf("sent (-want +got):\n%s", diff)
	}
	for _, m := range mails {
		wantSubject, wantText := "«Løsningsjakten» er vurdert som ikke kvalifisert", []string{"Begrunnelse:\n" + ineligibleReason,
			"til Innovasjonsprisen 2027 er vurdert som ikke kvalifisert", "Se nominasjonen\n" + testBaseURL + "/nominasjoner/" + w.publicID,
			"medlem av Asker kommune", "Vennlig hilsen"}
		switch m.To {
		case "Ola@Asker.kommune.no":
			wantSubject, wantText = "“Løsningsjakten” has been found ineligible", []string{"Reason:\n" + ineligibleReason,
				"See the nomination", "member of Asker kommune"}
		case "tore@traena.kommune.no":
			wantSubject, wantText = "«Løsningsjakten» er vurdert som ikkje kvalifisert", []string{"Grunngjeving:\n" + ineligibleReason,
				"er vurdert som ikkje kvalifisert", "Sjå nominasjonen", "medlem av Træna kommune", "Venleg helsing"}
		}
		if m.Subject != wantSubject {
			t.Errorf("to %s: subject %q, want %q", m.To, m.Subject, wantSubject)
		}
		for _, s := range wantText {
			if !strings.Contains(m.Text, s) {
				t.Errorf("to %s: body lacks %q:\n%s", m.To, s, m.Text)
			}
		}
	}
	// Queuing the same messages again queues nothing.
	err := w.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var keys []string
		if err := tx.NewRaw(`SELECT dedupe_key FROM outbox_messages`).Scan(ctx, &keys); err != nil {
			return err
		}
		msgs := make([]outbox.Message, len(keys))
		for i, k := range keys {
			msgs[i] = outbox.Message{CycleID: w.cycle, Kind: outbox.KindIneligible, Email: "kari@asker.kommune.no", Language: "nb", DedupeKey: k}
		}
		n, err := outbox.Queue(ctx, tx, msgs...)
		if err == nil && n != 0 {
			err = errors.New("queued a message twice")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestIneligibleNoticeRolledBack: a marking that fails leaves no message.
func TestIneligibleNoticeRolledBack(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	// A draft cannot be marked ineligible: the service refuses, and the
	// notices it would have queued are not there.
	_, err := nominations.NewService(w.db).SetIneligible(context.Background(), &awards.Actor{User: awards.User{ID: w.users["kari"], IsAdmin: true}},
		w.publicID, true, ineligibleReason)
	if awards.ErrorCode(err) != awards.EConflict {
		t.Fatalf("marking a draft: %v", err)
	}
	if rows := outboxRows(t, w.db); len(rows) != 0 {
		t.Errorf("messages queued by a refused marking: %+v", rows)
	}
}

// TestOutboxRacingWorkers: jobs for the same messages worked at once
// (two replicas, a rescued job) send each message once.
func TestOutboxRacingWorkers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	markIneligible(t, w)
	t0, err := parseMailTemplates()
	if err != nil {
		t.Fatal(err)
	}
	worker := &outboxWorker{WorkerDeps: deps(t, w, nil, nil), templates: t0}
	// One message at a time: three racing transactions and the catcher's
	// own connection stay within the test pool's ten connections.
	for _, r := range outboxRows(t, w.db) {
		var wg sync.WaitGroup
		errs := make([]error, 3)
		for i := range errs {
			wg.Go(func() { errs[i] = worker.Work(ctx, sendJob(r.ID, 1)) })
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff(wantRecipients, recipientsOf(w.caught(t))); diff != "" {
		t.Errorf("after racing workers (-want +got):\n%s", diff)
	}
	for _, r := range outboxRows(t, w.db) {
		if r.State != outbox.StateSent || r.Attempts != 1 {
			t.Errorf("%s: %s after %d attempts", r.Email, r.State, r.Attempts)
		}
	}
}

// TestOutboxSMTPFailures: a mail server's temporary refusal is recorded
// and retried with River's backoff until it is accepted; a permanent one
// (5xx) shows as failed at once, as does a temporary one at the last
// attempt; a site admin's retry then sends it.
func TestOutboxSMTPFailures(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	sink := smtptest.Start(t)
	smtp, err := NewSMTP(sink.URL(), "Heder <noreply@heder.example.no>")
	if err != nil {
		t.Fatal(err)
	}
	d := deps(t, w, smtp, nil)

	// Temporary: River tries again after its backoff (about a second).
	sink.Reject("450 4.2.1 mailbox busy, try later")
	_, _ = startRiver(t, w, d)
	markIneligible(t, w)
	rows := waitOutbox(t, w.db, func(r outboxRow) bool { return r.Attempts >= 1 })
	for _, r := range rows {
		if r.State != outbox.StateQueued || !strings.Contains(r.LastError, `450 "4.2.1 mailbox busy`) ||
			!strings.Contains(r.Subject, "kvalifisert") {
			t.Errorf("after a temporary refusal: %+v", r)
		}
	}
	sink.Reject("")
	rows = waitOutbox(t, w.db, func(r outboxRow) bool { return r.State == outbox.StateSent })
	for _, r := range rows {
		if r.Attempts != 2 || r.LastError != "" {
			t.Errorf("after the retry: %+v", r)
		}
	}
	if got := len(sink.Messages()); got != len(wantRecipients) {
		t.Errorf("%d messages on the wire, want %d", got, len(wantRecipients))
	}

	// Permanent, and temporary at the last attempt: failed, until retried.
	t0, err := parseMailTemplates()
	if err != nil {
		t.Fatal(err)
	}
	worker := &outboxWorker{WorkerDeps: d, templates: t0}
	var ids [2]int64
	for i, key := range []string{"test:permanent", "test:last"} {
		err := w.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			// Rows without a job: only this test works them, until the
			// retries below enqueue jobs for River.
			return tx.QueryRowContext(ctx, `INSERT INTO outbox_messages (cycle_id, kind, email, language, data, dedupe_key)
				VALUES (?, 'ineligible', 'bo@baerum.kommune.no', 'nb', '{"nomination_title":"X","cycle_title":"Y","reason":"Z","organisation":"Bærum kommune"}', ?)
				RETURNING id`, w.cycle, key).Scan(&ids[i])
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	sink.Reject("550 5.1.1 no such user")
	err = worker.Work(ctx, sendJob(ids[0], 1))
	var cancel *river.JobCancelError
	if !errors.As(err, &cancel) {
		t.Errorf("a permanent refusal did not cancel the job: %v", err)
	}
	sink.Reject("421 4.3.0 try again later")
	if err := worker.Work(ctx, sendJob(ids[1], outbox.MaxAttempts)); err == nil || errors.As(err, &cancel) {
		t.Errorf("the last attempt: %v", err)
	}
	svc := outbox.NewService(w.db)
	admin := &awards.Actor{User: awards.User{ID: w.users["kari"], IsAdmin: true}}
	box, err := svc.List(ctx, admin, cyclePublicID(t, w))
	if err != nil {
		t.Fatal(err)
	}
	failed := map[int64]string{}
	for _, e := range box.Messages {
		if e.State == outbox.StateFailed {
			failed[e.ID] = e.LastError
		}
	}
	if len(failed) != 2 || !strings.Contains(failed[ids[0]], `550 "5.1.1 no such user`) || !strings.Contains(failed[ids[1]], `421 "4.3.0`) {
		t.Errorf("failed on the outbox: %v", failed)
	}
	if _, err := svc.Retry(ctx, &awards.Actor{User: awards.User{ID: w.users["tore"]}}, ids[0]); awards.ErrorCode(err) != awards.EForbidden {
		t.Errorf("a member's retry: %v", err)
	}
	if _, err := svc.Retry(ctx, admin, rows[0].ID); awards.ErrorCode(err) != awards.EConflict {
		t.Errorf("retry of a sent message: %v", err)
	}
	sink.Reject("")
	for _, id := range ids {
		e, err := svc.Retry(ctx, admin, id)
		if err != nil || e.State != outbox.StateQueued {
			t.Fatalf("retry %d: %+v, %v", id, e, err)
		}
	}
	waitOutbox(t, w.db, func(r outboxRow) bool { return r.State == outbox.StateSent })
	if got := len(sink.Messages()); got != len(wantRecipients)+2 {
		t.Errorf("%d messages on the wire, want %d", got, len(wantRecipients)+2)
	}
}

func cyclePublicID(t *testing.T, w *world) string {
	t.Helper()
	var id string
	if err := w.db.QueryRowContext(context.Background(), `SELECT public_id FROM cycles WHERE id = ?`, w.cycle).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}
