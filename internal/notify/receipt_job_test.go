package notify

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/jobs"
	"github.com/heder-awards/heder/internal/nominations"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/uptrace/bun"
)

func deps(t *testing.T, w *world, mailer Mailer, logs *syncBuffer) WorkerDeps {
	t.Helper()
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	if mailer == nil {
		mailer = NewCatcher(w.db, "Heder <heder@localhost>")
	}
	logger := slog.New(slog.DiscardHandler)
	if logs != nil {
		logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return WorkerDeps{DB: w.db, Mailer: mailer, Bundle: bundle, BaseURL: testBaseURL, Logger: logger}
}

// startRiver runs a River client with the notify workers on w's database,
// as the app does, and returns it with a channel of its finished jobs.
func startRiver(t *testing.T, w *world, d WorkerDeps) (*jobs.Client, <-chan *river.Event) {
	t.Helper()
	workers := river.NewWorkers()
	if err := AddWorkers(workers, d); err != nil {
		t.Fatal(err)
	}
	client, err := jobs.New(w.db, workers, d.Logger)
	if err != nil {
		t.Fatal(err)
	}
	events, cancel := client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	if err := client.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, stop := context.WithTimeout(context.Background(), 10*time.Second)
		defer stop()
		if err := client.Stop(ctx); err != nil {
			t.Errorf("stop river: %v", err)
		}
		cancel()
	})
	return client, events
}

func recipientsOf(mails []CaughtMail) []string {
	var to []string
	for _, m := range mails {
		to = append(to, m.To)
	}
	slices.Sort(to)
	return to
}

// waitJob waits until River has finished the job with the given ID.
func waitJob(t *testing.T, events <-chan *river.Event, id int64) *river.Event {
	t.Helper()
	timeout := time.After(15 * time.Second)
	for {
		select {
		case ev := <-events:
			if ev.Job.ID == id {
				return ev
			}
		case <-timeout:
			t.Fatalf("job %d not finished after 15s", id)
			return nil
		}
	}
}

// jobIDs lists the receipt jobs of a nomination.
func jobIDs(t *testing.T, w *world, nomination int64) []int64 {
	t.Helper()
	var ids []int64
	err := w.db.NewRaw(`SELECT id FROM river_job WHERE kind = 'nomination_receipt' AND (args->>'nomination_id')::bigint = ? ORDER BY id`, nomination).
		Scan(context.Background(), &ids)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// TestReceiptThroughRiver submits nominations as nominations.Service will
// and lets River deliver the receipts to the catcher.
func TestReceiptThroughRiver(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	logs := &syncBuffer{}
	client, events := startRiver(t, w, deps(t, w, nil, logs))

	// A submission that rolls back leaves no job, so no mail, ever.
	other, _ := w.draft(t, "Angret", w.traena)
	w.submit(t, other, true)
	if ids := jobIDs(t, w, other); len(ids) != 0 {
		t.Fatalf("rolled-back submission left jobs %v", ids)
	}

	w.submit(t, w.nomination, false)
	ids := jobIDs(t, w, w.nomination)
	if len(ids) != 1 {
		t.Fatalf("jobs after one submission: %v", ids)
	}
	if ev := waitJob(t, events, ids[0]); ev.Kind != river.EventKindJobCompleted {
		t.Fatalf("receipt job ended %s: %v", ev.Kind, ev.Job.Errors)
	}
	mails := w.caught(t)
	if diff := cmp.Diff(wantRecipients, recipientsOf(mails)); diff != "" {
		t.Fatalf("one receipt per member with an address (-want +got):\n%s", diff)
	}
	byTo := map[string]CaughtMail{}
	for _, m := range mails {
		byTo[m.To] = m
	}
	link := testBaseURL + "/nominasjoner/" + w.publicID + "/kvittering"
	common := []string{link, w.publicID, "Asker kommune, Træna kommune", "Holmen svømmehall", "Asker velferdslab", "1. mars 2027 kl. 23.59"}
	tests := []struct {
		to, subject string
		has, hasNot []string
	}{
		{"kari@asker.kommune.no", "Kvittering: «Løsningsjakten» er sendt inn",
			[]string{"Nominasjonen «Løsningsjakten» til Innovasjonsprisen 2027 ble sendt inn", "Nominerte organisasjoner", "Dere kan endre nominasjonen fram til fristen",
				"medlem av Asker kommune", "Vennlig hilsen"}, []string{"vart send inn", "Venleg"}},
		// Træna has chosen nynorsk.
		{"tore@traena.kommune.no", "Kvittering: «Løsningsjakten» er send inn",
			[]string{"Nominasjonen «Løsningsjakten» til Innovasjonsprisen 2027 vart send inn", "Nominerte organisasjonar", "De kan endre nominasjonen fram til fristen",
				"Sjå og skriv ut kvitteringa", "medlem av Træna kommune", "Venleg helsing"}, []string{"ble sendt inn", "Vennlig"}},
		// Siri is in both; she gets one mail, for the first by name.
		{"siri@example.org", "Kvittering: «Løsningsjakten» er sendt inn", []string{"medlem av Asker kommune"}, nil},
	}
	for _, tt := range tests {
		m, ok := byTo[tt.to]
		if !ok {
			t.Errorf("no mail to %s", tt.to)
			continue
		}
		if m.Subject != tt.subject {
			t.Errorf("subject to %s = %q, want %q", tt.to, m.Subject, tt.subject)
		}
		for _, s := range append(tt.has, common...) {
			if !strings.Contains(m.Text, s) {
				t.Errorf("mail to %s lacks %q:\n%s", tt.to, s, m.Text)
			}
		}
		for _, s := range tt.hasNot {
			if strings.Contains(m.Text, s) {
				t.Errorf("mail to %s has %q:\n%s", tt.to, s, m.Text)
			}
		}
		if strings.Contains(m.Text, "<no value>") || strings.Contains(m.Text, "notify.") {
			t.Errorf("mail to %s has untranslated parts:\n%s", tt.to, m.Text)
		}
	}

	// The same submission enqueued again (a retried request) is the same job.
	if err := w.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error { return nominations.EnqueueReceipt(ctx, tx, w.nomination) }); err != nil {
		t.Fatal(err)
	}
	if again := jobIDs(t, w, w.nomination); !slices.Equal(again, ids) {
		t.Errorf("enqueueing the same submission again made jobs %v, want %v", again, ids)
	}
	// The job run once more (as after a crash) sends nothing new.
	if _, err := client.JobRetry(ctx, ids[0]); err != nil {
		t.Fatal(err)
	}
	if ev := waitJob(t, events, ids[0]); ev.Kind != river.EventKindJobCompleted {
		t.Fatalf("second run ended %s", ev.Kind)
	}
	if n := len(w.caught(t)); n != len(wantRecipients) {
		t.Errorf("after the job ran twice: %d mails, want %d", n, len(wantRecipients))
	}

	// Bodies never reach the logs.
	for _, secret := range []string{link, "Løsningsjakten", "Vennlig hilsen", "kari@asker.kommune.no"} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("logs contain %q:\n%s", secret, logs.String())
		}
	}
}

// failingMailer fails for one address and catches the rest.
type failingMailer struct {
	Mailer
	fail string
}

func (f failingMailer) Send(ctx context.Context, m Message) error {
	if m.To == f.fail {
		return errors.New("550 mailbox unavailable")
	}
	return f.Mailer.Send(ctx, m)
}

func job(w *world, t *testing.T) *river.Job[nominations.ReceiptArgs] {
	t.Helper()
	var at time.Time
	if err := w.db.QueryRowContext(context.Background(), `SELECT submitted_at FROM nominations WHERE id = ?`, w.nomination).Scan(&at); err != nil {
		t.Fatal(err)
	}
	return &river.Job[nominations.ReceiptArgs]{JobRow: &rivertype.JobRow{ID: 1, Attempt: 1}, Args: nominations.ReceiptArgs{NominationID: w.nomination, SubmittedAt: at}}
}

// TestReceiptRetrySendsOnlyWhatFailed: a failed mail fails the job, River
// retries it, and the retry sends that one mail and no other.
func TestReceiptRetrySendsOnlyWhatFailed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	if _, err := w.db.ExecContext(ctx, `UPDATE nominations SET status = 'submitted', submitted_at = now() WHERE id = ?`, w.nomination); err != nil {
		t.Fatal(err)
	}
	d := deps(t, w, nil, nil)
	broken := d
	broken.Mailer = failingMailer{Mailer: d.Mailer, fail: "tore@traena.kommune.no"}
	flaky, err := newReceiptWorker(broken)
	if err != nil {
		t.Fatal(err)
	}
	if err := flaky.Work(ctx, job(w, t)); err == nil || !strings.Contains(err.Error(), "550") {
		t.Fatalf("a failed mail did not fail the job: %v", err)
	}
	if got := recipientsOf(w.caught(t)); len(got) != len(wantRecipients)-1 || slices.Contains(got, "tore@traena.kommune.no") {
		t.Fatalf("after one failure: %v", got)
	}
	good, err := newReceiptWorker(d)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := good.Work(ctx, job(w, t)); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff(wantRecipients, recipientsOf(w.caught(t))); diff != "" {
		t.Errorf("after the retries (-want +got):\n%s", diff)
	}
}

// TestReceiptConcurrentRuns: two runs of the same job at once (a job
// rescued while still running) send each receipt once.
func TestReceiptConcurrentRuns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	if _, err := w.db.ExecContext(ctx, `UPDATE nominations SET status = 'submitted', submitted_at = now() WHERE id = ?`, w.nomination); err != nil {
		t.Fatal(err)
	}
	worker, err := newReceiptWorker(deps(t, w, nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() { errs[i] = worker.Work(ctx, job(w, t)) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantRecipients, recipientsOf(w.caught(t))); diff != "" {
		t.Errorf("after concurrent runs (-want +got):\n%s", diff)
	}
}

// TestReceiptSkipped: nothing is sent for a submission that has been
// replaced by a later one, nor for a nomination no longer submitted or gone.
func TestReceiptSkipped(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	worker, err := newReceiptWorker(deps(t, w, nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	first := time.Date(2027, 2, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		setup string
		args  nominations.ReceiptArgs
	}{
		{"never submitted", `UPDATE nominations SET submitted_at = NULL WHERE id = ?`, nominations.ReceiptArgs{NominationID: w.nomination, SubmittedAt: first}},
		{"submitted again since", `UPDATE nominations SET status = 'submitted', submitted_at = now() WHERE id = ?`, nominations.ReceiptArgs{NominationID: w.nomination, SubmittedAt: first}},
		{"gone", `SELECT ?`, nominations.ReceiptArgs{NominationID: w.nomination + 1000, SubmittedAt: first}},
	}
	for _, tt := range tests {
		if _, err := w.db.ExecContext(ctx, tt.setup, w.nomination); err != nil {
			t.Fatal(err)
		}
		if err := worker.Work(ctx, &river.Job[nominations.ReceiptArgs]{JobRow: &rivertype.JobRow{ID: 1}, Args: tt.args}); err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
		if n := len(w.caught(t)); n != 0 {
			t.Errorf("%s: %d mails sent", tt.name, n)
		}
	}
}

// TestEnqueueReceiptNeedsSubmission: the hook refuses a nomination that is
// not submitted, or unknown, so a bug in the caller fails its transaction.
func TestEnqueueReceiptNeedsSubmission(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	for _, id := range []int64{w.nomination, w.nomination + 1000} {
		err := w.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error { return nominations.EnqueueReceipt(ctx, tx, id) })
		if err == nil {
			t.Errorf("nominations.EnqueueReceipt(%d) of a draft or unknown nomination succeeded", id)
		}
	}
	if ids := jobIDs(t, w, w.nomination); len(ids) != 0 {
		t.Errorf("jobs %v", ids)
	}
}

// TestReceiptMailMinimal: a nomination without projects or deadline gets
// a receipt without those lines, and a title cannot break the subject.
func TestReceiptMailMinimal(t *testing.T) {
	t.Parallel()
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	w, err := newReceiptWorker(WorkerDeps{Bundle: bundle, BaseURL: testBaseURL})
	if err != nil {
		t.Fatal(err)
	}
	r := Receipt{Number: "abc", Title: "Ny\r\nBcc: eve@example.org", CycleTitle: "Prisen 2027", SubmittedAt: deadline,
		Nominees: []awards.Organisation{{Name: "Træna kommune"}}}
	for _, lang := range []string{"nn", "en", ""} {
		m, err := w.receiptMail(r, recipient{Email: "tore@traena.kommune.no", OrgName: "Træna kommune", Language: lang})
		if err != nil {
			t.Fatal(err)
		}
		if strings.ContainsAny(m.Subject, "\r\n") {
			t.Errorf("subject has a line break: %q", m.Subject)
		}
		for _, bad := range []string{"fristen", "Prosjekt", "<no value>", "notify."} {
			if strings.Contains(m.Text, bad) {
				t.Errorf("%s: receipt has %q:\n%s", lang, bad, m.Text)
			}
		}
		// Organisations get bokmål or nynorsk, never English.
		if want := map[string]string{"nn": "vart send inn", "en": "ble sendt inn", "": "ble sendt inn"}[lang]; !strings.Contains(m.Text, want) {
			t.Errorf("language %q: receipt lacks %q:\n%s", lang, want, m.Text)
		}
	}
}

// TestReceiptOnSubmit submits, withdraws and submits again through
// nominations.Service: each submission gets its receipt, once.
func TestReceiptOnSubmit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	_, events := startRiver(t, w, deps(t, w, nil, nil))
	// A complete nomination in a cycle open for another month.
	for _, q := range []string{
		`UPDATE cycles SET nomination_deadline = now() + interval '30 days' WHERE id = ?`,
		`UPDATE nominations SET summary = 'Samskaping', challenge = 'renewal', contact_name = 'Kari', contact_email = 'kari@asker.kommune.no' WHERE cycle_id = ?`,
		`UPDATE projects SET description = 'Slik gjorde vi det' WHERE organisation_id IN (SELECT organisation_id FROM nomination_organisations no JOIN nominations n ON n.id = no.nomination_id WHERE n.cycle_id = ?)`,
	} {
		if _, err := w.db.ExecContext(ctx, q, w.cycle); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	svc := nominations.NewService(w.db)
	kari := &awards.Actor{User: awards.User{ID: w.users["kari"]}, Memberships: []awards.Membership{{UserID: w.users["kari"], OrganisationID: w.asker, Role: awards.RoleSubmitter}}}

	for round := 1; round <= 2; round++ {
		if _, err := svc.Submit(ctx, kari, w.publicID); err != nil {
			t.Fatalf("submit %d: %v", round, err)
		}
		// Submitting a submitted nomination again changes nothing.
		if _, err := svc.Submit(ctx, kari, w.publicID); err != nil {
			t.Fatalf("submit %d again: %v", round, err)
		}
		ids := jobIDs(t, w, w.nomination)
		if len(ids) != round {
			t.Fatalf("after submission %d: jobs %v", round, ids)
		}
		if ev := waitJob(t, events, ids[round-1]); ev.Kind != river.EventKindJobCompleted {
			t.Fatalf("receipt job %d ended %s", round, ev.Kind)
		}
		if n := len(w.caught(t)); n != round*len(wantRecipients) {
			t.Errorf("after submission %d: %d mails, want %d", round, n, round*len(wantRecipients))
		}
		if round == 1 {
			if _, err := svc.Withdraw(ctx, kari, w.publicID); err != nil {
				t.Fatal(err)
			}
		}
	}
}
