package replicatest_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/replicatest"
)

const callKey = "replicatest-call-key-N4v8Qw2Zr6Ty1Xp3"

// TestCallReplicas: opening a call on three replicas, with the call's
// queuing run three more times at once (as replicas retrying it would),
// sends each eligible member exactly one announcement, and the
// unsubscribe link in it works on any replica.
func TestCallReplicas(t *testing.T) {
	t.Parallel()
	d := replicatest.Start(t, replicatest.Options{Replicas: 3, Env: map[string]string{"HEDER_SESSION_KEY": callKey}})
	db := d.DB(t)
	ctx := context.Background()
	// Sixty more municipalities get a member with an address each.
	if _, err := db.ExecContext(ctx, `
		WITH o AS (SELECT id, row_number() OVER (ORDER BY id) AS i FROM organisations WHERE kind = 'municipality' AND valid_to IS NULL ORDER BY id LIMIT 60),
		u AS (INSERT INTO users (issuer, subject, name, email) SELECT 'test', 'call-' || i, 'Kontakt ' || i, 'kontakt' || i || '@kommune.example' FROM o RETURNING id, subject)
		INSERT INTO memberships (user_id, organisation_id, role, source)
		SELECT u.id, o.id, 'submitter', 'admin' FROM u JOIN o ON u.subject = 'call-' || o.i`); err != nil {
		t.Fatal(err)
	}
	var admin, cycleID int64
	var public string
	if err := db.QueryRowContext(ctx, `INSERT INTO users (issuer, subject, name, is_admin) VALUES ('test', 'call-admin', 'Astrid', true) RETURNING id`).
		Scan(&admin); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRowContext(ctx, `
		INSERT INTO cycles (award_id, year, title, phase, call_text, call_text_nn, nomination_deadline)
		SELECT id, 2040, 'Innovasjonsprisen 2040', 'draft', 'Nominer innen fristen.', 'Nominer innan fristen.', '2040-03-01T22:59:00Z' FROM awards WHERE slug = 'kommunal-innovasjonspris'
		RETURNING id, public_id`).Scan(&cycleID, &public); err != nil {
		t.Fatal(err)
	}
	var want int
	if err := db.QueryRowContext(ctx, `
		SELECT count(DISTINCT lower(u.email)) FROM organisations o JOIN memberships m ON m.organisation_id = o.id JOIN users u ON u.id = m.user_id
		WHERE o.kind = 'municipality' AND o.valid_to IS NULL AND u.email <> ''`).Scan(&want); err != nil || want < 60 {
		t.Fatalf("%d eligible addresses (%v)", want, err)
	}
	actor := &awards.Actor{User: awards.User{ID: admin, IsAdmin: true}}
	if _, err := cycles.NewService(db).Transition(ctx, actor, public, awards.PhaseOpen); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			if _, err := cycles.QueueCall(ctx, db, cycles.CallArgs{CycleID: cycleID}, []byte(callKey)); err != nil {
				t.Errorf("queue the call again: %v", err)
			}
		})
	}
	wg.Wait()
	d.Mail.WaitMessages(t, want, 60*time.Second)
	time.Sleep(time.Second) // a duplicate would arrive about now
	got := map[string]int{}
	var link string
	for _, m := range d.Mail.Messages() {
		subject, _ := m.Header("Subject")
		if subject != "Innovasjonsprisen 2040 er åpen for nominasjoner" && subject != "Innovasjonsprisen 2040 er open for nominasjonar" &&
			subject != "Innovasjonsprisen 2040 is open for nominations" {
			continue
		}
		for _, to := range m.To {
			got[strings.ToLower(to)]++
		}
		if text, err := m.Text(); err == nil && link == "" {
			link = regexp.MustCompile(`http://\S+/avmelding/\S+`).FindString(text)
		}
	}
	for to, n := range got {
		if n != 1 {
			t.Errorf("%s got %d announcements", to, n)
		}
	}
	if len(got) != want {
		t.Errorf("%d addresses got the call, want %d", len(got), want)
	}
	if link == "" {
		t.Fatal("no unsubscribe link in the announcements")
	}
	// The link was made by one replica; another honours it.
	path := link[strings.Index(link, "/avmelding/"):]
	resp, err := http.Post(d.Replicas[2].URL+path, "application/x-www-form-urlencoded", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var opted int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM call_optouts`).Scan(&opted); resp.StatusCode != http.StatusOK || err != nil || opted != 1 {
		t.Errorf("unsubscribing on replica 3: status %d, %d opted out (%v)", resp.StatusCode, opted, err)
	}
}
