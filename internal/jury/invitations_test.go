package jury_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/jury"
	"github.com/uptrace/bun"
)

func TestInviteRefusesBadInput(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	admin := w.actor("admin")
	long := strings.Repeat("å", 201)
	for _, tt := range []struct {
		name   string
		in     jury.InvitationInput
		fields map[string]string
	}{
		{"no name", jury.InvitationInput{Email: "jon@example.org"}, map[string]string{"name": "jury.error.name"}},
		{"long name", jury.InvitationInput{Name: long, Email: "jon@example.org"}, map[string]string{"name": "form.error.too_long"}},
		{"no e-mail", jury.InvitationInput{Name: "Jon"}, map[string]string{"email": "jury.error.email"}},
		{"no at", jury.InvitationInput{Name: "Jon", Email: "jon.example.org"}, map[string]string{"email": "jury.error.email"}},
		{"no domain", jury.InvitationInput{Name: "Jon", Email: "jon@"}, map[string]string{"email": "jury.error.email"}},
		{"undotted domain", jury.InvitationInput{Name: "Jon", Email: "jon@localhost"}, map[string]string{"email": "jury.error.email"}},
		{"display name", jury.InvitationInput{Name: "Jon", Email: "Jon <jon@example.org>"}, map[string]string{"email": "jury.error.email"}},
		{"two addresses", jury.InvitationInput{Name: "Jon", Email: "jon@example.org, jenny@example.org"}, map[string]string{"email": "jury.error.email"}},
		{"bad language", jury.InvitationInput{Name: "Jon", Email: "jon@example.org", Language: "de"}, map[string]string{"language": "form.error.choice"}},
	} {
		_, err := w.s.Invite(w.ctx, admin, w.cycle.PublicID, tt.in)
		wantErr(t, tt.name, err, awards.EInvalid, nil)
		if diff := cmp.Diff(tt.fields, awards.ErrorFields(err)); diff != "" {
			t.Errorf("%s: fields (-want +got):\n%s", tt.name, diff)
		}
	}
	_, err := w.s.Invite(w.ctx, w.actor("kari"), w.cycle.PublicID, jury.InvitationInput{Name: "Jon", Email: "jon@example.org"})
	wantErr(t, "submitter invites", err, awards.EForbidden, nil)
	_, err = w.s.Invite(w.ctx, admin, "nosuchcycle", jury.InvitationInput{Name: "Jon", Email: "jon@example.org"})
	wantErr(t, "unknown cycle", err, awards.ENotFound, nil)
	if n := w.count(`SELECT count(*) FROM jury_invitations`); n != 0 {
		t.Errorf("%d invitations stored after refusals", n)
	}
	if n := w.count(`SELECT count(*) FROM river_job`); n != 0 {
		t.Errorf("%d jobs enqueued after refusals", n)
	}
}

func TestInviteEnqueuesMailWithoutToken(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	inv, err := w.s.Invite(w.ctx, w.actor("admin"), w.cycle.PublicID,
		jury.InvitationInput{Name: " Jon Jurymedlem ", Email: "Jon@Example.org", Language: "nn"})
	if err != nil {
		t.Fatal(err)
	}
	if inv.Name != "Jon Jurymedlem" || inv.Email != "jon@example.org" || inv.Language != "nn" || inv.State != jury.StatePending || inv.MailedAt != nil {
		t.Errorf("invitation = %+v", inv)
	}
	if d := time.Until(inv.ExpiresAt); d < jury.InvitationValidity-time.Minute || d > jury.InvitationValidity+time.Minute {
		t.Errorf("expires in %v, want %v", d, jury.InvitationValidity)
	}
	var args []string
	if err := w.db.NewRaw(`SELECT args::text FROM river_job WHERE kind = 'jury_invitation'`).Scan(w.ctx, &args); err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(jury.InvitationArgs{InvitationID: inv.ID})
	var got, wantMap map[string]any
	if len(args) != 1 || json.Unmarshal([]byte(args[0]), &got) != nil || json.Unmarshal(want, &wantMap) != nil || !cmp.Equal(got, wantMap) {
		t.Errorf("jobs = %v, want one with %s", args, want)
	}
	entries, err := audit.List(w.ctx, w.db, "jury_invitation", inv.ID)
	if err != nil || len(entries) != 1 || entries[0].Action != "invite" {
		t.Errorf("audit = %+v, %v", entries, err)
	}

	// Mailing makes the token and marks the invitation; only the hash of
	// the token sent is stored, and a second run sends nothing.
	token := w.mail(inv.ID)
	if len(token) != 43 {
		t.Errorf("token %q is not 32 bytes in base64url", token)
	}
	var stored []byte
	if err := w.db.NewRaw(`SELECT token_hash FROM jury_invitations WHERE id = ?`, inv.ID).Scan(w.ctx, &stored); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(stored), token) || len(stored) != 32 {
		t.Errorf("stored %x for token %s", stored, token)
	}
	if n := w.count(`SELECT count(*) FROM jury_invitations WHERE token_hash = sha256(decode(?, 'base64'))`, padBase64(token)); n != 1 {
		t.Errorf("stored hash is not the SHA-256 of the token sent")
	}
	err = w.db.RunInTx(w.ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		_, ok, err := jury.PrepareInvitationMail(ctx, tx, inv.ID)
		if ok {
			t.Error("a mailed invitation was prepared again")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.Accept(w.ctx, w.actor("jon"), token); err != nil {
		t.Errorf("accept after mail: %v", err)
	}
}

// padBase64 turns base64url without padding into PostgreSQL's base64.
func padBase64(s string) string {
	s = strings.NewReplacer("-", "+", "_", "/").Replace(s)
	for len(s)%4 != 0 {
		s += "="
	}
	return s
}

func TestInviteConflicts(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	admin := w.actor("admin")
	invite := func(email string, chair bool) error {
		_, err := w.s.Invite(w.ctx, admin, w.cycle.PublicID, jury.InvitationInput{Name: "X", Email: email, Chair: chair})
		return err
	}
	if err := invite("jon@example.org", false); err != nil {
		t.Fatal(err)
	}
	err := invite("JON@example.org", false)
	wantErr(t, "second pending invitation", err, awards.EConflict, nil)
	if diff := cmp.Diff(map[string]string{"email": "jury.error.already_invited"}, awards.ErrorFields(err)); diff != "" {
		t.Error(diff)
	}
	if err := invite("jorunn@example.org", true); err != nil {
		t.Fatal(err)
	}
	err = invite("jenny@example.org", true)
	wantErr(t, "second chair invited", err, awards.EConflict, jury.ErrChairTaken)
	if diff := cmp.Diff(map[string]string{"chair": "jury.error.chair_invited"}, awards.ErrorFields(err)); diff != "" {
		t.Error(diff)
	}
	w.seat("tore", true)
	w.exec(`UPDATE jury_invitations SET revoked_at = now() WHERE chair`)
	err = invite("jenny@example.org", true)
	wantErr(t, "chair seated", err, awards.EConflict, jury.ErrChairTaken)
	if diff := cmp.Diff(map[string]string{"chair": "jury.error.chair_taken"}, awards.ErrorFields(err)); diff != "" {
		t.Error(diff)
	}
	err = invite("tore@example.org", false)
	wantErr(t, "already seated", err, awards.EConflict, jury.ErrAlreadySeated)
	w.exec(`UPDATE cycles SET phase = 'published' WHERE id = ?`, w.cycle.ID)
	wantErr(t, "published", invite("jenny@example.org", false), awards.EConflict, jury.ErrPublished)
	if n := w.count(`SELECT count(*) FROM jury_invitations`); n != 2 {
		t.Errorf("%d invitations, want 2", n)
	}
}

func randomToken(t *testing.T) string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func TestAccept(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	inv, token := w.invite("Jon", "jon@example.org", false)

	v, err := w.s.Invitation(w.ctx, &awards.Actor{}, token)
	if err != nil || v.CycleTitle != "Innovasjonsprisen 2027" || v.Name != "Jon" || v.Chair {
		t.Fatalf("invitation page: %+v, %v", v, err)
	}
	_, err = w.s.Accept(w.ctx, &awards.Actor{}, token)
	wantErr(t, "anonymous accepts", err, awards.EUnauthenticated, nil)

	// The invited address, verified by Jon's identity provider, in
	// other letters: the seat is his at once, bound to his identity.
	w.exec(`UPDATE users SET email = 'Jon@Example.ORG' WHERE id = ?`, w.users["jon"])
	seat, err := w.s.Accept(w.ctx, w.actor("jon"), token)
	if err != nil {
		t.Fatal(err)
	}
	if seat.CyclePublicID != w.cycle.PublicID || seat.Chair || seat.Awaiting || seat.InvitationID != inv.ID {
		t.Errorf("seat = %+v", seat)
	}
	if n := w.count(`SELECT count(*) FROM jurors WHERE id = ? AND user_id = ? AND cycle_id = ?`, seat.JurorID, w.users["jon"], w.cycle.ID); n != 1 {
		t.Error("the seat is not Jon's")
	}
	if a := w.actor("jon"); len(a.Seats) != 1 || a.Seats[0].CycleID != w.cycle.ID {
		t.Errorf("Jon's seats = %+v", a.Seats)
	}
	for _, name := range []string{"accept", "seat"} {
		entity, id := "jury_invitation", inv.ID
		if name == "seat" {
			entity, id = "juror", seat.JurorID
		}
		if entries, err := audit.List(w.ctx, w.db, entity, id); err != nil || len(entries) == 0 || entries[len(entries)-1].Action != name {
			t.Errorf("audit %s = %+v, %v", name, entries, err)
		}
	}

	seats := func() int { return w.count(`SELECT count(*) FROM jurors`) }
	_, err = w.s.Accept(w.ctx, w.actor("jon"), token)
	wantErr(t, "reused by the same person", err, awards.EConflict, jury.ErrInvitationUsed)
	_, err = w.s.Invitation(w.ctx, w.actor("jon"), token)
	wantErr(t, "page for the same person", err, awards.EConflict, jury.ErrInvitationUsed)
	_, err = w.s.Accept(w.ctx, w.actor("jenny"), token)
	wantErr(t, "used by another identity", err, awards.EForbidden, jury.ErrInvitationTaken)
	_, err = w.s.Invitation(w.ctx, w.actor("jenny"), token)
	wantErr(t, "page for another identity", err, awards.EForbidden, jury.ErrInvitationTaken)
	_, err = w.s.Invitation(w.ctx, nil, token)
	wantErr(t, "page for anonymous after use", err, awards.EConflict, jury.ErrInvitationUsed)
	for _, bad := range []string{randomToken(t), "abc", "", strings.Repeat("!", 43), token + "A"} {
		_, err = w.s.Accept(w.ctx, w.actor("jon"), bad)
		wantErr(t, "unknown "+bad, err, awards.ENotFound, jury.ErrInvitationUnknown)
		_, err = w.s.Invitation(w.ctx, nil, bad)
		wantErr(t, "page of unknown "+bad, err, awards.ENotFound, jury.ErrInvitationUnknown)
	}
	if seats() != 1 {
		t.Errorf("%d seats after refusals, want 1", seats())
	}
	var acceptedBy int64
	if err := w.db.NewRaw(`SELECT accepted_by FROM jury_invitations WHERE id = ?`, inv.ID).Scan(w.ctx, &acceptedBy); err != nil || acceptedBy != w.users["jon"] {
		t.Errorf("accepted_by = %d, %v", acceptedBy, err)
	}

	// Expired and withdrawn links store nothing.
	expired, expiredToken := w.invite("Jenny", "jenny@example.org", false)
	w.exec(`UPDATE jury_invitations SET expires_at = now() - interval '1 second' WHERE id = ?`, expired.ID)
	_, err = w.s.Accept(w.ctx, w.actor("jenny"), expiredToken)
	wantErr(t, "expired", err, awards.EConflict, jury.ErrInvitationExpired)
	if msg := awards.ErrorMessage(err); !regexp.MustCompile(`expired at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00:`).MatchString(msg) {
		t.Errorf("expired: the time is not in Oslo time with its offset: %s", msg)
	}
	_, err = w.s.Invitation(w.ctx, nil, expiredToken)
	wantErr(t, "page of expired", err, awards.EConflict, jury.ErrInvitationExpired)

	revoked, revokedToken := w.invite("Jenny", "jenny@example.org", false)
	if err := w.s.Revoke(w.ctx, w.actor("admin"), w.cycle.PublicID, revoked.ID); err != nil {
		t.Fatal(err)
	}
	_, err = w.s.Accept(w.ctx, w.actor("jenny"), revokedToken)
	wantErr(t, "revoked", err, awards.EConflict, jury.ErrInvitationRevoked)
	if seats() != 1 || w.count(`SELECT count(*) FROM jury_invitations WHERE accepted_at IS NOT NULL`) != 1 {
		t.Error("a refused acceptance stored something")
	}
	// A revoked invitation is not mailed either.
	err = w.db.RunInTx(w.ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		_, ok, err := jury.PrepareInvitationMail(ctx, tx, revoked.ID)
		if ok {
			t.Error("a withdrawn invitation was prepared for mail")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestAcceptSeatClashes(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	// A second invitation for someone already seated.
	_, first := w.invite("Jon", "jon@example.org", false)
	_, second := w.invite("Jon", "jon.privat@example.org", false)
	if _, err := w.s.Accept(w.ctx, w.actor("jon"), first); err != nil {
		t.Fatal(err)
	}
	_, err := w.s.Accept(w.ctx, w.actor("jon"), second)
	wantErr(t, "second seat", err, awards.EConflict, jury.ErrAlreadySeated)
	if n := w.count(`SELECT count(*) FROM jury_invitations WHERE accepted_at IS NOT NULL`); n != 1 {
		t.Errorf("%d accepted invitations, want 1 (the refused one stays pending)", n)
	}

	// An invitation to chair made before someone else became chair: the
	// index jurors_one_chair refuses the second chair.
	_, chairToken := w.invite("Jorunn", "jorunn@example.org", true)
	jenny := w.seat("jenny", false)
	if _, err := w.s.SetChair(w.ctx, w.actor("admin"), w.cycle.PublicID, jenny, true); err != nil {
		t.Fatal(err)
	}
	_, err = w.s.Accept(w.ctx, w.actor("jorunn"), chairToken)
	wantErr(t, "second chair", err, awards.EConflict, jury.ErrChairTaken)
	if n := w.count(`SELECT count(*) FROM jurors WHERE user_id = ?`, w.users["jorunn"]); n != 0 {
		t.Error("the second chair was seated")
	}
	if n := w.count(`SELECT count(*) FROM jury_invitations WHERE chair AND accepted_at IS NOT NULL`); n != 0 {
		t.Error("the refused invitation to chair was marked accepted")
	}

	// A removed juror cannot take a seat again with a new invitation.
	if _, err := w.s.Remove(w.ctx, w.actor("admin"), w.cycle.PublicID, jenny); err != nil {
		t.Fatal(err)
	}
	_, again := w.invite("Jenny", "jenny@example.org", false)
	_, err = w.s.Accept(w.ctx, w.actor("jenny"), again)
	wantErr(t, "removed juror", err, awards.EConflict, jury.ErrRemoved)
}

func TestRevoke(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	admin := w.actor("admin")
	pending, _ := w.invite("Jon", "jon@example.org", false)
	accepted, token := w.invite("Jenny", "jenny@example.org", false)
	if _, err := w.s.Accept(w.ctx, w.actor("jenny"), token); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "juror revokes", w.s.Revoke(w.ctx, w.actor("jenny"), w.cycle.PublicID, pending.ID), awards.EForbidden, nil)
	if err := w.s.Revoke(w.ctx, admin, w.cycle.PublicID, pending.ID); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "revoke twice", w.s.Revoke(w.ctx, admin, w.cycle.PublicID, pending.ID), awards.EConflict, jury.ErrInvitationRevoked)
	wantErr(t, "revoke accepted", w.s.Revoke(w.ctx, admin, w.cycle.PublicID, accepted.ID), awards.EConflict, jury.ErrInvitationUsed)
	wantErr(t, "revoke unknown", w.s.Revoke(w.ctx, admin, w.cycle.PublicID, accepted.ID+100), awards.ENotFound, nil)
	j, err := w.s.Jury(w.ctx, admin, w.cycle.PublicID)
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]string{}
	for _, inv := range j.Invitations {
		states[inv.Email] = inv.State
	}
	if diff := cmp.Diff(map[string]string{"jon@example.org": "revoked", "jenny@example.org": "accepted"}, states); diff != "" {
		t.Errorf("states (-want +got):\n%s", diff)
	}
}

func TestChairAndRemove(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	admin := w.actor("admin")
	jorunn := w.seat("jorunn", true)
	jon := w.seat("jon", false)
	// A direct second chair is what the index refuses.
	_, err := w.db.ExecContext(w.ctx, `UPDATE jurors SET chair = true WHERE id = ?`, jon)
	if err == nil {
		t.Fatal("the database accepted a second chair")
	}
	if _, err := w.s.SetChair(w.ctx, admin, w.cycle.PublicID, jon, true); err != nil {
		t.Fatal(err)
	}
	j, err := w.s.Jury(w.ctx, admin, w.cycle.PublicID)
	if err != nil {
		t.Fatal(err)
	}
	if chair, ok := j.Chair(); !ok || chair.ID != jon {
		t.Errorf("chair = %+v, want Jon", chair)
	}
	if n := w.count(`SELECT count(*) FROM jurors WHERE chair AND removed_at IS NULL AND cycle_id = ?`, w.cycle.ID); n != 1 {
		t.Errorf("%d chairs", n)
	}
	_, err = w.s.SetChair(w.ctx, w.actor("jon"), w.cycle.PublicID, jorunn, true)
	wantErr(t, "chair sets chair", err, awards.EForbidden, nil)

	// Removing keeps the scores, excluded, and says how many.
	w.declareNone("jorunn")
	w.submitScores(jorunn, w.asker)
	w.submitScores(jorunn, w.traena)
	r, err := w.s.Remove(w.ctx, admin, w.cycle.PublicID, jorunn)
	if err != nil {
		t.Fatal(err)
	}
	if r.ExcludedSubmissions != 2 || r.ExcludedScores != 2 || r.Juror.RemovedAt == nil || r.Juror.RemovedBy != "Admin" {
		t.Errorf("removal = %+v", r)
	}
	if n := w.count(`SELECT count(*) FROM scores WHERE juror_id = ?`, jorunn); n != 2 {
		t.Errorf("%d scores kept, want 2", n)
	}
	entries, err := audit.List(w.ctx, w.db, "juror", jorunn)
	if err != nil {
		t.Fatal(err)
	}
	last := entries[len(entries)-1]
	var after map[string]any
	if err := json.Unmarshal(last.After, &after); err != nil || last.Action != "remove" ||
		after["excluded_submissions"] != 2.0 || after["excluded_scores"] != 2.0 {
		t.Errorf("audit = %s %s", last.Action, last.After)
	}
	_, err = w.s.Remove(w.ctx, admin, w.cycle.PublicID, jorunn)
	wantErr(t, "remove twice", err, awards.EConflict, jury.ErrRemoved)
	_, err = w.s.Remove(w.ctx, admin, w.cycle.PublicID, jorunn+100)
	wantErr(t, "remove unknown", err, awards.ENotFound, nil)
	_, err = w.s.SetChair(w.ctx, admin, w.cycle.PublicID, jorunn, true)
	wantErr(t, "removed juror chairs", err, awards.EConflict, jury.ErrRemoved)

	// A removed juror sees nothing and declares nothing.
	if w.canRead("jorunn", w.asker) || w.canReadProject("jorunn") {
		t.Error("a removed juror reads a nomination")
	}
	_, err = w.s.Declaration(w.ctx, w.actor("jorunn"), w.cycle.PublicID)
	wantErr(t, "removed juror's declaration", err, awards.EForbidden, jury.ErrRemoved)
	seats, err := w.s.Seats(w.ctx, w.actor("jorunn"))
	if err != nil || len(seats) != 0 {
		t.Errorf("removed juror's seats = %+v, %v", seats, err)
	}
}
