package notify

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/nominations"
	"github.com/heder-awards/heder/internal/outbox"
	"github.com/heder-awards/heder/internal/scoring"
)

// TestDraftReminders: at its instant a reminder goes to each member of
// each draft's nominees, once, in each organisation's written form; a
// submitted or withdrawn nomination is not reminded, and a job whose
// deadline moved, whose day was taken out or that ran early sends nothing.
func TestDraftReminders(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	// The deadline three days ahead: of the default reminders (7 and 1
	// days before) the first is due, the second not yet.
	var deadline time.Time
	if err := w.db.QueryRowContext(ctx, `UPDATE cycles SET nomination_deadline = date_trunc('minute', now()) + interval '3 days'
		WHERE id = ? RETURNING nomination_deadline`, w.cycle).Scan(&deadline); err != nil {
		t.Fatal(err)
	}
	submitted, _ := w.draft(t, "Sendt inn", w.baerum)
	withdrawn, _ := w.draft(t, "Trukket", w.baerum)
	if _, err := w.db.ExecContext(ctx, `UPDATE nominations SET status = 'submitted', submitted_at = now() WHERE id = ?;
		UPDATE nominations SET status = 'withdrawn' WHERE id = ?`, submitted, withdrawn); err != nil {
		t.Fatal(err)
	}
	args := cycles.ReminderArgs{CycleID: w.cycle, Deadline: deadline.UTC(), Days: 7}

	for _, tc := range []struct {
		name string
		args cycles.ReminderArgs
		skip string
		wait bool
	}{
		{"deadline moved", cycles.ReminderArgs{CycleID: w.cycle, Deadline: deadline.Add(time.Hour), Days: 7}, "deadline moved", false},
		{"day taken out", cycles.ReminderArgs{CycleID: w.cycle, Deadline: deadline, Days: 5}, "reminder day taken out", false},
		{"early", cycles.ReminderArgs{CycleID: w.cycle, Deadline: deadline, Days: 1}, "", true},
	} {
		out, err := nominations.QueueDraftReminders(ctx, w.db, tc.args)
		if err != nil || out.NotDue != tc.skip || (out.Wait > 0) != tc.wait || out.Queued != 0 {
			t.Errorf("%s: %+v %v", tc.name, out, err)
		}
	}
	if rows := outboxRows(t, w.db); len(rows) != 0 {
		t.Fatalf("queued by jobs that had nothing to do: %+v", rows)
	}

	_, _ = startRiver(t, w, deps(t, w, nil, nil))
	for range 2 { // the second run (a retry, another replica) queues nothing more
		if _, err := nominations.QueueDraftReminders(ctx, w.db, args); err != nil {
			t.Fatal(err)
		}
	}
	rows := waitOutbox(t, w.db, func(r outboxRow) bool { return r.State == outbox.StateSent })
	got := map[string]string{}
	for _, r := range rows {
		got[r.Email] = r.Language
	}
	want := map[string]string{"Ola@Asker.kommune.no": "nb", "kari@asker.kommune.no": "nb", "siri@example.org": "nb", "tore@traena.kommune.no": "nn"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("reminded (-want +got):\n%s", diff)
	}
	time.Sleep(300 * time.Millisecond) // a second send would show by now
	mails := w.caught(t)
	if diff := cmp.Diff(wantRecipients, recipientsOf(mails)); diff != "" {
		t.Errorf("sent (-want +got):\n%s", diff)
	}
	for _, m := range mails {
		wantSubject, wantText := "Påminnelse: «Løsningsjakten» er ikke sendt inn", []string{"er fortsatt et utkast",
			"Fristen er ", "Gjør ferdig og send inn nominasjonen\n" + testBaseURL + "/nominasjoner/" + w.publicID}
		if m.To == "tore@traena.kommune.no" {
			wantSubject, wantText = "Påminning: «Løsningsjakten» er ikkje sendt inn", []string{"er framleis eit utkast", "Fristen er ",
				"Gjer ferdig og send inn"}
		}
		if m.Subject != wantSubject {
			t.Errorf("to %s: subject %q", m.To, m.Subject)
		}
		for _, s := range wantText {
			if !strings.Contains(m.Text, s) {
				t.Errorf("to %s: body lacks %q:\n%s", m.To, s, m.Text)
			}
		}
	}
}

// TestJuryReminders: jurors with scores not yet submitted (or the
// declaration not made) are reminded before the scoring deadline, and
// when the chair or an administrator presses the button, once each, in
// the language each chose; a juror who is done is not.
func TestJuryReminders(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	var deadline time.Time
	if err := w.db.QueryRowContext(ctx, `UPDATE cycles SET phase = 'judging', nomination_deadline = now() - interval '1 day',
		scoring_deadline = date_trunc('minute', now()) + interval '2 days'
		WHERE id = ? RETURNING scoring_deadline`, w.cycle).Scan(&deadline); err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.ExecContext(ctx, `UPDATE nominations SET status = 'submitted', submitted_at = now() WHERE id = ?`, w.nomination); err != nil {
		t.Fatal(err)
	}
	jurors := map[string]int64{}
	users := map[string]int64{}
	for _, j := range []struct {
		name, email, locale   string
		chair, declared, done bool
	}{
		{"Jorunn Juryleder", "jorunn@example.org", "nn", true, true, false},
		{"Jon Jurymedlem", "jon@example.org", "nb", false, true, true},
		{"Jenny Jurymedlem", "jenny@example.org", "en", false, false, true},
	} {
		var uid, jid int64
		if err := w.db.QueryRowContext(ctx, `INSERT INTO users (issuer, subject, name, email, locale) VALUES ('https://idp.example', ?, ?, ?, ?) RETURNING id`,
			j.email, j.name, j.email, j.locale).Scan(&uid); err != nil {
			t.Fatal(err)
		}
		if err := w.db.QueryRowContext(ctx, `INSERT INTO jurors (cycle_id, user_id, chair, declared_at) VALUES (?, ?, ?, CASE WHEN ? THEN now() END) RETURNING id`,
			w.cycle, uid, j.chair, j.declared).Scan(&jid); err != nil {
			t.Fatal(err)
		}
		if j.done {
			if _, err := w.db.ExecContext(ctx, `INSERT INTO score_submissions (juror_id, nomination_id) VALUES (?, ?)`, jid, w.nomination); err != nil {
				t.Fatal(err)
			}
		}
		jurors[j.email], users[j.email] = jid, uid
	}
	svc := scoring.NewService(w.db)
	chair := &awards.Actor{User: awards.User{ID: users["jorunn@example.org"]}}
	admin := &awards.Actor{User: awards.User{ID: w.users["kari"], IsAdmin: true}}
	public := cyclePublicID(t, w)

	// Nothing due: the scoring deadline moved, or the cycle is not judging.
	if out, err := scoring.QueueJuryReminders(ctx, w.db, cycles.JuryReminderArgs{CycleID: w.cycle, Deadline: deadline.Add(time.Hour), Days: 7}); err != nil || out.NotDue != "deadline moved" {
		t.Errorf("moved deadline: %+v %v", out, err)
	}
	if _, err := svc.Remind(ctx, &awards.Actor{User: awards.User{ID: users["jon@example.org"]}}, public, 0); awards.ErrorCode(err) != awards.ENotFound {
		t.Errorf("a juror who is not the chair reminds: %v", err)
	}
	if _, err := svc.Remind(ctx, chair, public, jurors["jon@example.org"]); awards.ErrorCode(err) != awards.EConflict {
		t.Errorf("reminding a juror who is done: %v", err)
	}
	if rows := outboxRows(t, w.db); len(rows) != 0 {
		t.Fatalf("queued by refused reminders: %+v", rows)
	}

	_, _ = startRiver(t, w, deps(t, w, nil, nil))
	args := cycles.JuryReminderArgs{CycleID: w.cycle, Deadline: deadline.UTC(), Days: 7}
	for i, want := range []int{2, 0} { // the second run queues nothing more
		if out, err := scoring.QueueJuryReminders(ctx, w.db, args); err != nil || out.Queued != want {
			t.Errorf("scheduled run %d: %+v %v", i, out, err)
		}
	}
	// By hand, twice in the same minute: sent once.
	for i, want := range []int{1, 0} {
		if n, err := svc.Remind(ctx, admin, public, jurors["jenny@example.org"]); err != nil || n != want {
			t.Errorf("reminder by hand %d: %d %v", i, n, err)
		}
	}
	rows := waitOutbox(t, w.db, func(r outboxRow) bool { return r.State == outbox.StateSent })
	if len(rows) != 3 {
		t.Errorf("%d messages, want 3: %+v", len(rows), rows)
	}
	time.Sleep(300 * time.Millisecond) // a second send would show by now
	got := map[string][]string{}
	for _, m := range w.caught(t) {
		got[m.To] = append(got[m.To], m.Subject)
		if !strings.Contains(m.Text, testBaseURL+"/jury/"+public) {
			t.Errorf("to %s: no link to the jury's work:\n%s", m.To, m.Text)
		}
	}
	want := map[string][]string{
		"jorunn@example.org": {"Påminning: vurderingane i Innovasjonsprisen 2027"},
		"jenny@example.org":  {"Reminder: your assessments in Innovasjonsprisen 2027", "Reminder: your assessments in Innovasjonsprisen 2027"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("caught (-want +got):\n%s", diff)
	}
}
