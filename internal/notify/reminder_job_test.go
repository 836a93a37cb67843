package notify

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/nominations"
	"github.com/heder-awards/heder/internal/outbox"
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
		if err != nil || out.Skip != tc.skip || (out.Wait > 0) != tc.wait || out.Queued != 0 {
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
