package publication_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/publication"
)

// waitOutbox waits until the outbox holds want messages, all sent.
func (w *world) waitOutbox(want int) {
	w.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		all := w.count(`SELECT count(*) FROM outbox_messages`)
		sent := w.count(`SELECT count(*) FROM outbox_messages WHERE state = 'sent'`)
		if all == want && sent == want {
			return
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("outbox: %d messages, %d sent; want %d sent", all, sent, want)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// TestResultsToEveryAssessed: at the winners' instant, every assessed
// nomination's members learn how it did, each exactly once: the
// announcement's own mails tell the winner and the honourable mention,
// and the outbox tells the finalists told before that they did not win
// and Bærum, without an outcome, that it was not among them, each with
// the jury's feedback and the public cycle page, in the organisation's
// written form. Nothing goes before the instant, to a draft or a
// withdrawn nomination, or for an announcement moved since.
func TestResultsToEveryAssessed(t *testing.T) {
	t.Parallel()
	w := newWorld(t, false)
	sola := w.id(`INSERT INTO nominations (cycle_id, title, status, submitted_at) VALUES (?, 'Sola trakk seg', 'withdrawn', now()) RETURNING id`, w.cycle.ID)
	w.exec(`INSERT INTO nomination_organisations (nomination_id, organisation_id) VALUES (?, ?)`, sola, w.orgs["Sola"])
	_, events := startRiver(t, w)
	fin := w.publishNow(publication.Finalists)
	waitJobs(t, events, w.mailJobs(fin.ID)...)

	win := w.schedule(publication.Winners, w.now().Add(2*time.Second))
	early := publication.MailArgs{AnnouncementID: win.ID, PublishAt: win.PublishAt}
	if n, err := publication.QueueResults(w.ctx, w.db, early); err != nil || n != 0 {
		t.Fatalf("results before the instant: %d queued, %v", n, err)
	}
	waitJobs(t, events, w.mailJobs(win.ID)...)
	w.waitOutbox(3)

	mails := w.caught()
	want := []string{"bo@baerum.kommune.no", "hanne@horten.kommune.no", "hanne@horten.kommune.no", "kari@asker.kommune.no",
		"kari@asker.kommune.no", "ola@asker.kommune.no", "ola@asker.kommune.no", "per@oppegard.kommune.no",
		"tore@traena.kommune.no", "tore@traena.kommune.no"}
	if diff := cmp.Diff(want, recipients(mails)); diff != "" {
		t.Fatalf("mails after the winners (-want +got):\n%s", diff)
	}
	page := baseURL + "/priser/kommunal-innovasjonspris/2027"
	checkMail(t, mails, "bo@baerum.kommune.no", "Resultatet for «Bærum prøver» i Innovasjonsprisen 2027",
		[]string{"Vinnerne av Innovasjonsprisen 2027 er kunngjort.", "«Bærum prøver» var ikke blant vinnerne, finalistene eller dem som fikk hederlig omtale.",
			"Juryens tilbakemelding:\nTilbakemelding til Bærum.", "Se vinnerne\n" + page, "medlem av Bærum kommune"},
		[]string{"outbox.", "Tilbakemelding til Horten."})
	checkMail(t, mails, "tore@traena.kommune.no", "Resultatet for «Træna 2030» i Innovasjonsprisen 2027",
		[]string{"Vinnarane av Innovasjonsprisen 2027 er kunngjorde.", "«Træna 2030» var finalist, men var ikkje blant vinnarane.",
			"Tilbakemeldinga frå juryen:\nTilbakemelding til Træna.", "Sjå vinnarane\n" + page, "Venleg helsing"},
		[]string{"outbox.", "Vennlig"})
	checkMail(t, mails, "hanne@horten.kommune.no", "Resultatet for «Horten viser vei» i Innovasjonsprisen 2027",
		[]string{"«Horten viser vei» var finalist, men var ikke blant vinnerne.", "Tilbakemelding til Horten."}, []string{"outbox."})

	// The job's work again (a retry, another replica) queues nothing new.
	if n, err := publication.QueueResults(w.ctx, w.db, early); err != nil || n != 0 {
		t.Errorf("results again: %d queued, %v", n, err)
	}
	// Nor does a job for an instant the announcement has left.
	moved := publication.MailArgs{AnnouncementID: win.ID, PublishAt: win.PublishAt.Add(-time.Hour)}
	if n, err := publication.QueueResults(w.ctx, w.db, moved); err != nil || n != 0 {
		t.Errorf("results of a moved announcement: %d queued, %v", n, err)
	}
	if n := w.count(`SELECT count(*) FROM outbox_messages WHERE kind = 'results' AND created_at < ?`, win.PublishAt); n != 0 {
		t.Errorf("%d results queued before the instant", n)
	}
}

// TestNoResultsWhenWithdrawn: a winners' announcement unpublished before
// its instant tells nobody anything.
func TestNoResultsWhenWithdrawn(t *testing.T) {
	t.Parallel()
	w := newWorld(t, false)
	_, events := startRiver(t, w)
	a := w.schedule(publication.Winners, w.now().Add(1500*time.Millisecond))
	if _, err := w.s.Unpublish(w.ctx, w.actor("admin"), a.ID, "Juryen må se på Horten igjen"); err != nil {
		t.Fatal(err)
	}
	waitJobs(t, events, w.mailJobs(a.ID)...)
	if n := w.count(`SELECT count(*) FROM outbox_messages`); n != 0 {
		t.Errorf("%d results queued after unpublishing", n)
	}
}
