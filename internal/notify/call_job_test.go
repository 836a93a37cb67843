package notify

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/optout"
	"github.com/heder-awards/heder/internal/outbox"
)

var testSessionKey = []byte("notify-test-session-key-8Hq3Lw7Zp2Vn")

const (
	callNB = "Kommunal- og distriktsdepartementet inviterer kommunene til å nominere."
	callNN = "Kommunal- og distriktsdepartementet inviterer kommunane til å nominere."
)

// callWorld is w with what decides who hears of a call: Ola chose
// English, Bærum opted out, and a county and a former municipality, not
// eligible, have members too.
func callWorld(t *testing.T) (*world, *awards.Actor) {
	t.Helper()
	w := newWorld(t)
	ctx := context.Background()
	var admin int64
	for _, q := range []string{
		`UPDATE users SET locale = 'en' WHERE subject = 'ola'`,
		`INSERT INTO call_optouts (organisation_id) SELECT id FROM organisations WHERE name = 'Bærum kommune'`,
		`WITH o AS (INSERT INTO organisations (kind, name) VALUES ('county', 'Nordland fylkeskommune') RETURNING id),
			u AS (INSERT INTO users (issuer, subject, name, email) VALUES ('https://idp.example', 'nina', 'Nina', 'nina@nfk.no') RETURNING id)
			INSERT INTO memberships (user_id, organisation_id, role, source) SELECT u.id, o.id, 'submitter', 'admin' FROM o, u`,
		`WITH o AS (INSERT INTO organisations (kind, name, valid_to) VALUES ('municipality', 'Røyken kommune', '2019-12-31') RETURNING id),
			u AS (INSERT INTO users (issuer, subject, name, email) VALUES ('https://idp.example', 'rolf', 'Rolf', 'rolf@royken.kommune.no') RETURNING id)
			INSERT INTO memberships (user_id, organisation_id, role, source) SELECT u.id, o.id, 'submitter', 'admin' FROM o, u`,
	} {
		if _, err := w.db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := w.db.QueryRowContext(ctx, `INSERT INTO users (issuer, subject, name, is_admin) VALUES ('https://idp.example', 'admin', 'Astrid Admin', true) RETURNING id`).
		Scan(&admin); err != nil {
		t.Fatal(err)
	}
	return w, &awards.Actor{User: awards.User{ID: admin, IsAdmin: true}}
}

// draftCycle adds a draft cycle of w's award for year with both call
// texts, opening at opensAt (nil: with its phase), and returns it.
func draftCycle(t *testing.T, w *world, year int, opensAt *time.Time) (int64, string) {
	t.Helper()
	var id int64
	var public string
	err := w.db.QueryRowContext(context.Background(), `
		INSERT INTO cycles (award_id, year, title, phase, call_text, call_text_nn, call_opens_at, nomination_deadline)
		SELECT award_id, ?, 'Innovasjonsprisen ' || ?, 'draft', ?, ?, ?, ? FROM cycles WHERE id = ? RETURNING id, public_id`,
		year, year, callNB, callNN, opensAt, deadline.AddDate(year-2027, 0, 0), w.cycle).Scan(&id, &public)
	if err != nil {
		t.Fatal(err)
	}
	return id, public
}

var unsubscribeLink = regexp.MustCompile(regexp.QuoteMeta(testBaseURL) + `/avmelding/(\S+)`)

// TestCallAnnouncement: opening a call queues, in the transaction of the
// move, its announcement to each member of every current eligible
// organisation that has not opted out, once per address and cycle, in
// the organisation's written form with the call text in that form, and
// each mail's unsubscribe link opts its organisation out of the next.
func TestCallAnnouncement(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w, admin := callWorld(t)
	d := deps(t, w, nil, nil)
	d.SessionKey = testSessionKey
	startRiver(t, w, d)
	s := cycles.NewService(w.db)
	id, public := draftCycle(t, w, 2028, nil)
	if _, err := s.Transition(ctx, admin, public, awards.PhaseOpen); err != nil {
		t.Fatal(err)
	}
	rows := waitOutbox(t, w.db, func(r outboxRow) bool { return r.State == outbox.StateSent })
	got := map[string]string{}
	for _, r := range rows {
		got[r.Email] = r.Language
	}
	// Siri, in Asker and Træna, is written to once, for Asker (first by
	// name); Bo's Bærum opted out; Nina's county and Rolf's Røyken
	// (merged into Asker) may not be nominated.
	want := map[string]string{"Ola@Asker.kommune.no": "en", "kari@asker.kommune.no": "nb", "siri@example.org": "nb", "tore@traena.kommune.no": "nn"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("queued (-want +got):\n%s", diff)
	}
	// The job again (a retry, another replica) queues nothing more.
	if out, err := cycles.QueueCall(ctx, w.db, cycles.CallArgs{CycleID: id}, testSessionKey); err != nil || out.Queued != 0 || out.NotDue != "" {
		t.Errorf("the call again: %+v, %v", out, err)
	}
	time.Sleep(300 * time.Millisecond) // a second send would show by now
	mails := w.caught(t)
	if len(mails) != 4 {
		t.Fatalf("%d mails, want 4: %v", len(mails), recipientsOf(mails))
	}
	bundle, _ := i18n.Load()
	byTo := map[string]CaughtMail{}
	for _, m := range mails {
		byTo[m.To] = m
	}
	for to, c := range map[string]struct {
		lang, subject string
		has, hasNot   []string
	}{
		"tore@traena.kommune.no": {"nn", "Innovasjonsprisen 2028 er open for nominasjonar",
			[]string{"Innovasjonsprisen 2028 er open for nominasjonar, og Træna kommune kan nominerast.", callNN, "Les meir og nominer\n" + testBaseURL + "/sykluser/" + public,
				"Vil ikkje Træna kommune ha fleire utlysingar"}, []string{callNB}},
		"kari@asker.kommune.no": {"nb", "Innovasjonsprisen 2028 er åpen for nominasjoner",
			[]string{callNB, "Meld organisasjonen av her:"}, []string{callNN}},
		// English readers get the bokmål call text: the cycle has none in English.
		"Ola@Asker.kommune.no": {"en", "Innovasjonsprisen 2028 is open for nominations",
			[]string{"and Asker kommune may be nominated", callNB, "Unsubscribe the organisation here:"}, []string{callNN}},
	} {
		m := byTo[to]
		if m.Subject != c.subject {
			t.Errorf("%s: subject %q, want %q", to, m.Subject, c.subject)
		}
		deadlineLine := bundle.Localizer(c.lang).FormatTime(deadline.AddDate(1, 0, 0))
		for _, s := range append(c.has, deadlineLine) {
			if !strings.Contains(m.Text, s) {
				t.Errorf("%s lacks %q:\n%s", to, s, m.Text)
			}
		}
		for _, s := range append(c.hasNot, "outbox.", "<no value>") {
			if strings.Contains(m.Text, s) {
				t.Errorf("%s has %q:\n%s", to, s, m.Text)
			}
		}
		if !unsubscribeLink.MatchString(m.Text) {
			t.Errorf("%s: no unsubscribe link:\n%s", to, m.Text)
		}
	}

	// Tore follows his link and confirms: Træna hears of no more calls,
	// and Siri still does, for Asker.
	token := unsubscribeLink.FindStringSubmatch(byTo["tore@traena.kommune.no"].Text)[1]
	if _, err := optout.NewService(w.db, testSessionKey).Confirm(ctx, token); err != nil {
		t.Fatal(err)
	}
	_, next := draftCycle(t, w, 2029, nil)
	if _, err := s.Transition(ctx, admin, next, awards.PhaseOpen); err != nil {
		t.Fatal(err)
	}
	for wait := time.Now().Add(15 * time.Second); ; time.Sleep(25 * time.Millisecond) {
		rows = waitOutbox(t, w.db, func(r outboxRow) bool { return r.State == outbox.StateSent })
		if len(rows) == 7 {
			break
		}
		if time.Now().After(wait) {
			t.Fatalf("%d messages after the second call, want 4 + 3: %+v", len(rows), rows)
		}
	}
	var toTore int
	if err := w.db.QueryRowContext(ctx, `SELECT count(*) FROM outbox_messages WHERE email = 'tore@traena.kommune.no'`).Scan(&toTore); err != nil || toTore != 1 {
		t.Errorf("Tore got %d calls (%v), want only the first", toTore, err)
	}
}

// TestCallScheduled: a call whose call_opens_at lies ahead is announced
// at that instant, by a job scheduled for it that checks again when it
// runs: early it waits, and once the call has moved it does nothing.
func TestCallScheduled(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w, admin := callWorld(t)
	d := deps(t, w, nil, nil)
	d.SessionKey = testSessionKey
	_, events := startRiver(t, w, d)
	var now time.Time
	if err := w.db.QueryRowContext(ctx, `SELECT now()`).Scan(&now); err != nil {
		t.Fatal(err)
	}
	opens := now.Add(2 * time.Second).Truncate(time.Millisecond)
	id, public := draftCycle(t, w, 2028, &opens)
	if _, err := cycles.NewService(w.db).Transition(ctx, admin, public, awards.PhaseOpen); err != nil {
		t.Fatal(err)
	}
	var jobID int64
	var at time.Time
	if err := w.db.QueryRowContext(ctx, `SELECT id, scheduled_at FROM river_job WHERE kind = 'call_announcement'`).Scan(&jobID, &at); err != nil {
		t.Fatal(err)
	}
	if !at.Equal(opens) {
		t.Errorf("call job scheduled at %s, want %s", at, opens)
	}
	args := cycles.CallArgs{CycleID: id, OpensAt: opens.UTC()}
	if out, err := cycles.QueueCall(ctx, w.db, args, testSessionKey); err != nil || out.Wait <= 0 || out.Queued != 0 {
		t.Errorf("the call before its instant: %+v, %v", out, err)
	}
	if out, _ := cycles.QueueCall(ctx, w.db, cycles.CallArgs{CycleID: id}, testSessionKey); out.NotDue != "call moved" {
		t.Errorf("a job for another instant: %+v, want skipped", out)
	}
	if rows := outboxRows(t, w.db); len(rows) != 0 {
		t.Fatalf("%d messages before the instant", len(rows))
	}
	timeout := time.After(20 * time.Second)
	for done := false; !done; {
		select {
		case ev := <-events:
			done = ev.Job.ID == jobID
		case <-timeout:
			t.Fatal("call job not done after 20s")
		}
	}
	rows := waitOutbox(t, w.db, func(r outboxRow) bool { return r.State == outbox.StateSent })
	if len(rows) != 4 {
		t.Errorf("%d messages at the instant, want 4", len(rows))
	}
	var early int
	if err := w.db.QueryRowContext(ctx, `SELECT count(*) FROM outbox_messages WHERE created_at < ?`, opens).Scan(&early); err != nil || early != 0 {
		t.Errorf("%d messages queued before the instant (%v)", early, err)
	}
}
