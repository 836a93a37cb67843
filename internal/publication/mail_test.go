package publication_test

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/jobs"
	"github.com/heder-awards/heder/internal/notify"
	"github.com/heder-awards/heder/internal/publication"
	"github.com/riverqueue/river"
)

const baseURL = "https://heder.example.no"

// startRiver runs River with the app's workers on w's database, mail
// going to the catcher, and returns the client and its finished jobs.
func startRiver(t *testing.T, w *world) (*jobs.Client, <-chan *river.Event) {
	t.Helper()
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	workers := river.NewWorkers()
	logger := slog.New(slog.DiscardHandler)
	if err := notify.AddWorkers(workers, notify.WorkerDeps{DB: w.db, Mailer: notify.NewCatcher(w.db, "Heder <heder@localhost>"),
		Bundle: bundle, BaseURL: baseURL, Logger: logger}); err != nil {
		t.Fatal(err)
	}
	client, err := jobs.New(w.db, workers, logger)
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

// mailJobs lists the mail jobs of announcement id, oldest first.
func (w *world) mailJobs(id int64) []int64 {
	w.t.Helper()
	var ids []int64
	err := w.db.NewRaw(`SELECT id FROM river_job WHERE kind = 'announcement_mail' AND (args->>'announcement_id')::bigint = ? ORDER BY id`, id).
		Scan(w.ctx, &ids)
	if err != nil {
		w.t.Fatal(err)
	}
	return ids
}

// waitJobs waits until River has finished every job in ids, failing if
// one failed.
func waitJobs(t *testing.T, events <-chan *river.Event, ids ...int64) {
	t.Helper()
	left := map[int64]bool{}
	for _, id := range ids {
		left[id] = true
	}
	timeout := time.After(30 * time.Second)
	for len(left) > 0 {
		select {
		case ev := <-events:
			if !left[ev.Job.ID] {
				continue
			}
			if ev.Kind != river.EventKindJobCompleted {
				t.Fatalf("job %d ended %s: %v", ev.Job.ID, ev.Kind, ev.Job.Errors)
			}
			delete(left, ev.Job.ID)
		case <-timeout:
			t.Fatalf("jobs %v not finished after 30s", left)
		}
	}
}

// caught returns the caught mails by recipient.
func (w *world) caught() map[string][]notify.CaughtMail {
	w.t.Helper()
	mails, err := notify.NewCatcher(w.db, "").List(w.ctx, 500)
	if err != nil {
		w.t.Fatal(err)
	}
	out := map[string][]notify.CaughtMail{}
	for _, m := range mails {
		out[m.To] = append(out[m.To], m)
	}
	return out
}

func recipients(m map[string][]notify.CaughtMail) []string {
	var to []string
	for k, v := range m {
		for range v {
			to = append(to, k)
		}
	}
	slices.Sort(to)
	return to
}

// checkMail checks the one mail to to: its subject, lines it has and
// lines it must not have.
func checkMail(t *testing.T, mails map[string][]notify.CaughtMail, to, subject string, has, hasNot []string) {
	t.Helper()
	var found []notify.CaughtMail
	for _, m := range mails[to] {
		if m.Subject == subject {
			found = append(found, m)
		}
	}
	if len(found) != 1 {
		t.Errorf("%d mails to %s with subject %q, want 1 (of %d)", len(found), to, subject, len(mails[to]))
		return
	}
	m := found[0]
	for _, s := range has {
		if !strings.Contains(m.Text, s) {
			t.Errorf("mail to %s lacks %q:\n%s", to, s, m.Text)
		}
	}
	for _, s := range append(hasNot, "<no value>", "publication.", "notify.") {
		if strings.Contains(m.Text, s) {
			t.Errorf("mail to %s has %q:\n%s", to, s, m.Text)
		}
	}
}

// TestMailsAtTheInstant schedules the finalists two seconds ahead and
// lets River send their mails at the instant, each once, in each
// organisation's written form; then the winners, moved once before
// their instant, without telling the finalists again.
func TestMailsAtTheInstant(t *testing.T) {
	t.Parallel()
	w := newWorld(t, false)
	client, events := startRiver(t, w)

	a := w.schedule(publication.Finalists, w.now().Add(2*time.Second))
	ids := w.mailJobs(a.ID)
	if len(ids) != 1 {
		t.Fatalf("jobs after scheduling: %v", ids)
	}
	var state string
	var at time.Time
	if err := w.db.QueryRowContext(w.ctx, `SELECT state, scheduled_at FROM river_job WHERE id = ?`, ids[0]).Scan(&state, &at); err != nil {
		t.Fatal(err)
	}
	if state != "scheduled" || !at.Equal(a.PublishAt) {
		t.Errorf("job %s at %s, want scheduled at %s", state, at, a.PublishAt)
	}
	if n := len(w.caught()); n != 0 {
		t.Fatalf("%d mails before the instant", n)
	}
	waitJobs(t, events, ids[0])
	if n := w.count(`SELECT count(*) FROM announcement_mails WHERE sent_at < ?`, a.PublishAt); n != 0 {
		t.Errorf("%d mails recorded before the instant", n)
	}
	mails := w.caught()
	// Asker, the decided winner, is told it is a finalist, like the others.
	if diff := cmp.Diff([]string{"hanne@horten.kommune.no", "kari@asker.kommune.no", "ola@asker.kommune.no", "tore@traena.kommune.no"}, recipients(mails)); diff != "" {
		t.Fatalf("finalists' mails (-want +got):\n%s", diff)
	}
	// Træna writes nynorsk, Horten bokmål.
	checkMail(t, mails, "tore@traena.kommune.no", "«Træna 2030» er finalist i Innovasjonsprisen 2027",
		[]string{"Juryen har valt nominasjonen «Træna 2030» som ein av finalistane i Innovasjonsprisen 2027", "Sjå nominasjonen her:",
			baseURL + "/nominasjoner/" + w.pub["Træna"], "medlem av Træna kommune", "Venleg helsing"},
		[]string{"Vennlig", "valgt", "tilbakemelding"})
	checkMail(t, mails, "hanne@horten.kommune.no", "«Horten viser vei» er finalist i Innovasjonsprisen 2027",
		[]string{"Juryen har valgt nominasjonen «Horten viser vei» som en av finalistene", "Se nominasjonen her:", "Vennlig hilsen"},
		[]string{"Venleg", "Asker"})

	// The decided winner's finalist mail gives nothing more away.
	checkMail(t, mails, "kari@asker.kommune.no", "«Innovasjon i hele Asker» er finalist i Innovasjonsprisen 2027",
		[]string{"som en av finalistene"}, []string{askerStatementNB, "vunnet", "Gratulerer"})

	// The job run again (a retry after a crash) sends nothing new.
	if _, err := client.JobRetry(w.ctx, ids[0]); err != nil {
		t.Fatal(err)
	}
	waitJobs(t, events, ids[0])
	if n := len(recipients(w.caught())); n != 4 {
		t.Errorf("after the job ran twice: %d mails, want 4", n)
	}

	// The winners, scheduled and then moved: the first instant's job
	// finds the announcement moved and sends nothing, the second sends.
	win := w.schedule(publication.Winners, w.now().Add(2*time.Second))
	if _, err := w.s.Reschedule(w.ctx, w.actor("admin"), win.ID, w.now().Add(3*time.Second)); err != nil {
		t.Fatal(err)
	}
	ids = w.mailJobs(win.ID)
	if len(ids) != 2 {
		t.Fatalf("jobs after moving the winners: %v", ids)
	}
	waitJobs(t, events, ids...)
	w.waitOutbox(3) // the results of Horten, Træna and Bærum
	mails = w.caught()
	// Asker's members have the finalist mail and now the winner's; the
	// finalists told before, and Bærum, their results.
	want := []string{"bo@baerum.kommune.no", "hanne@horten.kommune.no", "hanne@horten.kommune.no", "kari@asker.kommune.no", "kari@asker.kommune.no",
		"ola@asker.kommune.no", "ola@asker.kommune.no", "per@oppegard.kommune.no", "tore@traena.kommune.no", "tore@traena.kommune.no"}
	if diff := cmp.Diff(want, recipients(mails)); diff != "" {
		t.Fatalf("after the winners (-want +got):\n%s", diff)
	}
	checkMail(t, mails, "kari@asker.kommune.no", "Gratulerer: «Innovasjon i hele Asker» vant Innovasjonsprisen 2027",
		[]string{"Nominasjonen «Innovasjon i hele Asker» har vunnet Innovasjonsprisen 2027", "Juryens begrunnelse:\n" + askerStatementNB,
			"Juryens skriftlige tilbakemelding ligger på nominasjonssiden:", baseURL + "/nominasjoner/" + w.pub["Asker"]},
		[]string{askerStatementNN, askerFeedback})
	checkMail(t, mails, "per@oppegard.kommune.no", "«Oppegård fornyer» får hederlig omtale i Innovasjonsprisen 2027",
		[]string{"en hederlig omtale", oppegardStatement}, nil)
	if n := w.count(`SELECT count(*) FROM announcement_mails`); n != 7 {
		t.Errorf("%d mails recorded, want 7", n)
	}
}

// TestNoMailWhenWithdrawn: an announcement unpublished before its instant
// sends nothing when its job comes due.
func TestNoMailWhenWithdrawn(t *testing.T) {
	t.Parallel()
	w := newWorld(t, false)
	_, events := startRiver(t, w)
	a := w.schedule(publication.Finalists, w.now().Add(1500*time.Millisecond))
	if _, err := w.s.Unpublish(w.ctx, w.actor("admin"), a.ID, "Juryen må se på Horten igjen"); err != nil {
		t.Fatal(err)
	}
	waitJobs(t, events, w.mailJobs(a.ID)...)
	if got := recipients(w.caught()); len(got) != 0 {
		t.Errorf("mails after unpublishing: %v", got)
	}
}

// TestWinnersMailNynorsk publishes the winners at once without a
// finalists' announcement: Træna's honourable mention is told in
// nynorsk with the statement in nynorsk, and Horten that it was a
// finalist.
func TestWinnersMailNynorsk(t *testing.T) {
	t.Parallel()
	w := newWorld(t, false)
	const nn = "Træna får heiderleg omtale for eit modig løft for busetjinga."
	w.exec(`UPDATE decisions SET outcome = 'honourable_mention', statement_nb = 'Træna får hederlig omtale.', statement_nn = ? WHERE nomination_id = ?`,
		nn, w.noms["Træna"])
	_, events := startRiver(t, w)
	a := w.publishNow(publication.Winners)
	waitJobs(t, events, w.mailJobs(a.ID)...)
	mails := w.caught()
	checkMail(t, mails, "tore@traena.kommune.no", "«Træna 2030» får heiderleg omtale i Innovasjonsprisen 2027",
		[]string{"Juryen gjev nominasjonen «Træna 2030» ein heiderleg omtale", "Grunngjevinga til juryen:\n" + nn,
			"Den skriftlege tilbakemeldinga frå juryen ligg på nominasjonssida:", "Venleg helsing"},
		[]string{"Træna får hederlig omtale.", "Vennlig"})
	checkMail(t, mails, "hanne@horten.kommune.no", "«Horten viser vei» var finalist i Innovasjonsprisen 2027",
		[]string{"Vinneren av Innovasjonsprisen 2027 er nå kunngjort. Nominasjonen «Horten viser vei» var en av finalistene."}, nil)
	// Bærum, without an outcome, gets no announcement mail: its result
	// goes through the outbox (TestResultsToEveryAssessed).
	if n := w.count(`SELECT count(*) FROM announcement_mails WHERE nomination_id = ?`, w.noms["Bærum"]); n != 0 {
		t.Errorf("Bærum, without an outcome, got %d announcement mails", n)
	}
}
