package jury_test

import (
	"testing"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/jury"
)

// TestAcceptFromAnotherAddress: a forwarded link, or a login whose
// address is not verified, records the acceptance but gives no seat, and
// no access, until the chair or an administrator confirms it.
func TestAcceptFromAnotherAddress(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	admin := w.actor("admin")
	w.seat("jorunn", true)
	w.seat("jon", false)
	forwarded, token := w.invite("Kari Kollega", "kari.kollega@example.org", false)

	seat, err := w.s.Accept(w.ctx, w.actor("jenny"), token)
	if err != nil {
		t.Fatal(err)
	}
	if !seat.Awaiting || seat.JurorID != 0 || seat.InvitationID != forwarded.ID || seat.CyclePublicID != w.cycle.PublicID {
		t.Errorf("seat = %+v, want one awaiting confirmation", seat)
	}
	noAccess := func(when string) {
		t.Helper()
		if n := w.count(`SELECT count(*) FROM jurors WHERE user_id = ?`, w.users["jenny"]); n != 0 {
			t.Errorf("%s: Jenny has %d seats", when, n)
		}
		if a := w.actor("jenny"); len(a.Seats) != 0 {
			t.Errorf("%s: Jenny's seats = %+v", when, a.Seats)
		}
		_, err := w.s.Declaration(w.ctx, w.actor("jenny"), w.cycle.PublicID)
		wantErr(t, when+": declaration", err, awards.EForbidden, jury.ErrAwaitingConfirmation)
		_, err = w.s.Declare(w.ctx, w.actor("jenny"), w.cycle.PublicID, jury.DeclarationInput{NoneAtAll: true})
		wantErr(t, when+": declare", err, awards.EForbidden, jury.ErrAwaitingConfirmation)
		if w.canRead("jenny", w.asker) || w.canReadProject("jenny") {
			t.Errorf("%s: Jenny reads a nomination", when)
		}
		if seats, err := w.s.Seats(w.ctx, w.actor("jenny")); err != nil || len(seats) != 0 {
			t.Errorf("%s: home seats = %+v, %v", when, seats, err)
		}
	}
	noAccess("accepted")
	entries, err := audit.List(w.ctx, w.db, "jury_invitation", forwarded.ID)
	if err != nil || len(entries) != 2 || entries[1].Action != "accept" {
		t.Errorf("audit = %+v, %v", entries, err)
	}

	// The same link again, or another identity: refused as before.
	_, err = w.s.Accept(w.ctx, w.actor("jenny"), token)
	wantErr(t, "accept twice", err, awards.EConflict, jury.ErrInvitationUsed)
	_, err = w.s.Accept(w.ctx, w.actor("tore"), token)
	wantErr(t, "another identity", err, awards.EForbidden, jury.ErrInvitationTaken)
	// A second acceptance from Jenny waits on the first.
	_, second := w.invite("Tore", "tore.privat@example.org", false)
	_, err = w.s.Accept(w.ctx, w.actor("jenny"), second)
	wantErr(t, "second acceptance", err, awards.EConflict, jury.ErrAwaitingConfirmation)

	// The chair and admins see it; they alone confirm it.
	o, err := w.s.Conflicts(w.ctx, w.actor("jorunn"), w.cycle.PublicID)
	if err != nil || len(o.Awaiting) != 1 || o.Awaiting[0].ID != forwarded.ID || o.Awaiting[0].AcceptedBy != "Jenny" ||
		o.Awaiting[0].AcceptedByEmail != "jenny@example.org" || o.Awaiting[0].State != jury.StateAwaiting {
		t.Errorf("chair's overview: %+v, %v", o.Awaiting, err)
	}
	j, err := w.s.Jury(w.ctx, admin, w.cycle.PublicID)
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]string{}
	for _, inv := range j.Invitations {
		states[inv.Email] = inv.State
	}
	if states["kari.kollega@example.org"] != jury.StateAwaiting {
		t.Errorf("admin's list: %v", states)
	}
	for _, who := range []string{"jon", "kari", "jenny"} {
		_, err := w.s.Confirm(w.ctx, w.actor(who), w.cycle.PublicID, forwarded.ID)
		wantErr(t, who+" confirms", err, awards.EForbidden, nil)
	}
	_, err = w.s.Confirm(w.ctx, &awards.Actor{}, w.cycle.PublicID, forwarded.ID)
	wantErr(t, "anonymous confirms", err, awards.EUnauthenticated, nil)
	noAccess("refused confirmations")

	juror, err := w.s.Confirm(w.ctx, w.actor("jorunn"), w.cycle.PublicID, forwarded.ID)
	if err != nil {
		t.Fatal(err)
	}
	if juror.UserID != w.users["jenny"] || juror.Chair || juror.RemovedAt != nil {
		t.Errorf("confirmed juror = %+v", juror)
	}
	if a := w.actor("jenny"); len(a.Seats) != 1 || a.Seats[0].CycleID != w.cycle.ID {
		t.Errorf("Jenny's seats after confirmation = %+v", a.Seats)
	}
	w.declareNone("jenny")
	if !w.canRead("jenny", w.asker) {
		t.Error("a confirmed juror cannot read a nomination")
	}
	_, err = w.s.Confirm(w.ctx, admin, w.cycle.PublicID, forwarded.ID)
	wantErr(t, "confirm twice", err, awards.EConflict, jury.ErrConfirmed)
	if entries, err := audit.List(w.ctx, w.db, "juror", juror.ID); err != nil || len(entries) == 0 || entries[0].Action != "seat" {
		t.Errorf("juror audit = %+v, %v", entries, err)
	}
}

func TestConfirmRefusals(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	admin := w.actor("admin")

	// An address that is the invited one but not verified is not enough.
	unverified, token := w.invite("Ola", "ola@example.org", false)
	seat, err := w.s.Accept(w.ctx, w.actor("ola"), token)
	if err != nil || !seat.Awaiting {
		t.Fatalf("unverified address: %+v, %v", seat, err)
	}

	pending, _ := w.invite("Jon", "jon@example.org", false)
	_, err = w.s.Confirm(w.ctx, admin, w.cycle.PublicID, pending.ID)
	wantErr(t, "not accepted", err, awards.EConflict, jury.ErrNotAccepted)
	_, err = w.s.Confirm(w.ctx, admin, w.cycle.PublicID, pending.ID+100)
	wantErr(t, "unknown invitation", err, awards.ENotFound, nil)
	_, err = w.s.Confirm(w.ctx, admin, "nosuchcycle", unverified.ID)
	wantErr(t, "unknown cycle", err, awards.ENotFound, nil)
	_, accepted := w.invite("Jenny", "jenny@example.org", false)
	if s, err := w.s.Accept(w.ctx, w.actor("jenny"), accepted); err != nil || s.Awaiting {
		t.Fatalf("matching address: %+v, %v", s, err)
	}
	var acceptedID int64
	if err := w.db.NewRaw(`SELECT id FROM jury_invitations WHERE email = 'jenny@example.org'`).Scan(w.ctx, &acceptedID); err != nil {
		t.Fatal(err)
	}
	_, err = w.s.Confirm(w.ctx, admin, w.cycle.PublicID, acceptedID)
	wantErr(t, "seated at acceptance", err, awards.EConflict, jury.ErrConfirmed)

	// An invitation to chair accepted from another address, while the jury
	// has a chair, is refused at once.
	_, chairToken := w.invite("Jorunn", "jorunn.privat@example.org", true)
	w.seat("tore", true)
	_, err = w.s.Accept(w.ctx, w.actor("jorunn"), chairToken)
	wantErr(t, "chair taken", err, awards.EConflict, jury.ErrChairTaken)

	// Declined instead of confirmed: no seat, ever.
	if err := w.s.Revoke(w.ctx, admin, w.cycle.PublicID, unverified.ID); err != nil {
		t.Fatal(err)
	}
	_, err = w.s.Confirm(w.ctx, admin, w.cycle.PublicID, unverified.ID)
	wantErr(t, "declined", err, awards.EConflict, jury.ErrInvitationRevoked)
	wantErr(t, "decline twice", w.s.Revoke(w.ctx, admin, w.cycle.PublicID, unverified.ID), awards.EConflict, jury.ErrInvitationRevoked)
	_, err = w.s.Declaration(w.ctx, w.actor("ola"), w.cycle.PublicID)
	wantErr(t, "declined acceptor's declaration", err, awards.EForbidden, jury.ErrNotJuror)
	j, err := w.s.Jury(w.ctx, admin, w.cycle.PublicID)
	if err != nil {
		t.Fatal(err)
	}
	for _, inv := range j.Invitations {
		if inv.ID == unverified.ID && inv.State != jury.StateDeclined {
			t.Errorf("declined invitation's state = %q", inv.State)
		}
	}

	// Once the cycle is published its jury is closed.
	_, late := w.invite("Kari", "kari.privat@example.org", false)
	if s, err := w.s.Accept(w.ctx, w.actor("kari"), late); err != nil || !s.Awaiting {
		t.Fatalf("kari: %+v, %v", s, err)
	}
	w.exec(`UPDATE cycles SET phase = 'published' WHERE id = ?`, w.cycle.ID)
	var lateID int64
	if err := w.db.NewRaw(`SELECT id FROM jury_invitations WHERE email = 'kari.privat@example.org'`).Scan(w.ctx, &lateID); err != nil {
		t.Fatal(err)
	}
	_, err = w.s.Confirm(w.ctx, admin, w.cycle.PublicID, lateID)
	wantErr(t, "published", err, awards.EConflict, jury.ErrPublished)
	if n := w.count(`SELECT count(*) FROM jurors WHERE user_id IN (?, ?)`, w.users["ola"], w.users["kari"]); n != 0 {
		t.Errorf("%d seats for refused confirmations", n)
	}
}
