package notify

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/jury"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// invite makes an invitation to w's cycle as a site admin, in language.
func invite(t *testing.T, w *world, email, language string, chair bool) jury.Invitation {
	t.Helper()
	ctx := context.Background()
	var admin int64
	if err := w.db.QueryRowContext(ctx, `INSERT INTO users (issuer, subject, name, is_admin) VALUES ('https://idp.example', ?, 'Astrid Admin', true)
		ON CONFLICT (issuer, subject) DO UPDATE SET is_admin = true RETURNING id`, "admin").Scan(&admin); err != nil {
		t.Fatal(err)
	}
	var public string
	if err := w.db.QueryRowContext(ctx, `SELECT public_id FROM cycles WHERE id = ?`, w.cycle).Scan(&public); err != nil {
		t.Fatal(err)
	}
	inv, err := jury.NewService(w.db).Invite(ctx, &awards.Actor{User: awards.User{ID: admin, IsAdmin: true}}, public,
		jury.InvitationInput{Name: "Jorunn Juryleder", Email: email, Chair: chair, Language: language})
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

func invitationJob(id int64) *river.Job[jury.InvitationArgs] {
	return &river.Job[jury.InvitationArgs]{JobRow: &rivertype.JobRow{ID: id, Attempt: 1}, Args: jury.InvitationArgs{InvitationID: id}}
}

// TestInvitationMail: River sends the invitation through the mailer in
// the language chosen, with a link whose token only the mail holds (the
// database has its hash), and never twice.
func TestInvitationMail(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	logs := &syncBuffer{}
	d := deps(t, w, nil, logs)
	_, events := startRiver(t, w, d)
	inv := invite(t, w, "jorunn@example.org", "nn", true)
	var jobID int64
	if err := w.db.QueryRowContext(ctx, `SELECT id FROM river_job WHERE kind = 'jury_invitation'`).Scan(&jobID); err != nil {
		t.Fatal(err)
	}
	if ev := waitJob(t, events, jobID); ev.Kind != river.EventKindJobCompleted {
		t.Fatalf("job ended %s", ev.Kind)
	}
	mails := w.caught(t)
	if len(mails) != 1 {
		t.Fatalf("%d mails, want 1", len(mails))
	}
	m := mails[0]
	if m.To != "jorunn@example.org" || m.Subject != "Invitasjon: leiar av juryen for Innovasjonsprisen 2027" {
		t.Errorf("mail to %q, subject %q", m.To, m.Subject)
	}
	for _, want := range []string{"Hei, Jorunn Juryleder!", "leiar", testBaseURL + "/jury/invitasjon/", "Venleg helsing", "habilitet"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("body lacks %q:\n%s", want, m.Text)
		}
	}
	_, after, _ := strings.Cut(m.Text, testBaseURL+"/jury/invitasjon/")
	token, _, _ := strings.Cut(after, "\n")
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) != 32 {
		t.Fatalf("token %q: %v", token, err)
	}
	sum := sha256.Sum256(raw)
	var n int
	if err := w.db.QueryRowContext(ctx, `SELECT count(*) FROM jury_invitations WHERE id = ? AND token_hash = ? AND mailed_at IS NOT NULL`,
		inv.ID, sum[:]).Scan(&n); err != nil || n != 1 {
		t.Errorf("stored hash is not the mailed token's (%d, %v)", n, err)
	}
	var args string
	if err := w.db.QueryRowContext(ctx, `SELECT args::text FROM river_job WHERE id = ?`, jobID).Scan(&args); err != nil || strings.Contains(args, token) {
		t.Errorf("job arguments %s hold the token (%v)", args, err)
	}
	if strings.Contains(logs.String(), token) || strings.Contains(logs.String(), "jorunn@example.org") {
		t.Errorf("logs hold the token or the address:\n%s", logs.String())
	}

	// Running the job again sends nothing: the invitation is marked.
	worker, err := newInvitationWorker(d)
	if err != nil {
		t.Fatal(err)
	}
	if err := worker.Work(ctx, invitationJob(inv.ID)); err != nil {
		t.Fatal(err)
	}
	if len(w.caught(t)) != 1 {
		t.Error("a second run sent the invitation again")
	}
}

// TestInvitationMailRetry: a failed send leaves the invitation unmailed
// and fails the job; the retry sends it with a fresh token.
func TestInvitationMailRetry(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	d := deps(t, w, nil, nil)
	inv := invite(t, w, "jon@example.org", "", false)
	broken := d
	broken.Mailer = failingMailer{Mailer: d.Mailer, fail: "jon@example.org"}
	flaky, err := newInvitationWorker(broken)
	if err != nil {
		t.Fatal(err)
	}
	if err := flaky.Work(ctx, invitationJob(inv.ID)); err == nil || !strings.Contains(err.Error(), "550") {
		t.Fatalf("failed send: %v", err)
	}
	var mailed bool
	if err := w.db.QueryRowContext(ctx, `SELECT mailed_at IS NOT NULL FROM jury_invitations WHERE id = ?`, inv.ID).Scan(&mailed); err != nil || mailed {
		t.Fatalf("marked mailed after a failure (%v)", err)
	}
	good, err := newInvitationWorker(d)
	if err != nil {
		t.Fatal(err)
	}
	if err := good.Work(ctx, invitationJob(inv.ID)); err != nil {
		t.Fatal(err)
	}
	mails := w.caught(t)
	if len(mails) != 1 || mails[0].Subject != "Invitasjon til juryen for Innovasjonsprisen 2027" {
		t.Fatalf("mails = %+v", mails)
	}
	// A withdrawn invitation is not sent.
	withdrawn := invite(t, w, "jenny@example.org", "en", false)
	if _, err := w.db.ExecContext(ctx, `UPDATE jury_invitations SET revoked_at = now() WHERE id = ?`, withdrawn.ID); err != nil {
		t.Fatal(err)
	}
	if err := good.Work(ctx, invitationJob(withdrawn.ID)); err != nil {
		t.Fatal(err)
	}
	if len(w.caught(t)) != 1 {
		t.Error("a withdrawn invitation was sent")
	}
}
