package nominations_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/nominations"
	"github.com/heder-awards/heder/internal/pgtest"
)

// TestInvitationConsent: an invited organisation is no nominee and uses
// none of its quota until one of its members accepts; accepting is
// refused at the quota; only its members answer.
func TestInvitationConsent(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cycle := e.open() // one nomination per organisation
	kari := e.actor("kari", false, "Asker")
	tore := e.actor("tore", false, "Træna")
	bjorn := e.actor("bjorn", false, "Bærum")
	admin := e.actor("admin", true)
	v, err := e.s.Create(e.ctx, kari, cycle, 0, nominations.Fields{Title: ptr("Felles velferdslab"), Summary: ptr("Hemmelig sammendrag")})
	if err != nil {
		t.Fatal(err)
	}
	if v.LeadID != e.orgs["Asker"] || !v.CanInvite || len(v.Nominated) != 1 || !v.Nominated[0].Lead {
		t.Fatalf("the creator leads: lead %d invite %v %+v", v.LeadID, v.CanInvite, v.Nominated)
	}
	inv, err := e.s.Invite(e.ctx, kari, v.PublicID, e.orgs["Træna"])
	if err != nil {
		t.Fatal(err)
	}
	if inv.Status != nominations.InvitationPending || inv.InvitedBy != "kari" || inv.InvitingOrganisation.Name != "Asker" || !inv.CanWithdraw || inv.CanAnswer {
		t.Errorf("invitation as the lead sees it: %+v", inv)
	}

	// Pending: not a nominee, nothing of the entry but the invitation.
	if _, err := e.s.Get(e.ctx, tore, v.PublicID); awards.ErrorCode(err) != awards.ENotFound {
		t.Errorf("the invited organisation reads the entry: %v", err)
	}
	if got, _ := e.s.Get(e.ctx, kari, v.PublicID); len(got.Nominees) != 1 || len(got.Invitations) != 1 {
		t.Errorf("pending: nominees %+v invitations %d", got.Nominees, len(got.Invitations))
	}
	mine, err := e.s.MyInvitations(e.ctx, tore)
	if err != nil || len(mine) != 1 || mine[0].NominationTitle != "Felles velferdslab" || !mine[0].CanAnswer || mine[0].CanWithdraw {
		t.Fatalf("Træna's invitations: %+v %v", mine, err)
	}
	if n := e.count(`SELECT count(*) FROM nomination_organisations x JOIN organisations o ON o.id = x.organisation_id WHERE o.name = 'Træna'`); n != 0 {
		t.Errorf("Træna is a nominee before accepting (%d rows)", n)
	}

	// The quota is untouched: Træna nominates its own work.
	own, err := e.s.Create(e.ctx, tore, cycle, 0, nominations.Fields{Title: ptr("Træna sin egen")})
	if err != nil {
		t.Fatalf("an invitation used Træna's quota: %v", err)
	}
	// Only Træna's members answer for Træna.
	_, err = e.s.AnswerInvitation(e.ctx, bjorn, inv.PublicID, true)
	wantCode(t, "another municipality accepts", err, awards.ENotFound, "")
	_, err = e.s.AnswerInvitation(e.ctx, admin, inv.PublicID, true)
	wantCode(t, "an admin accepts for Træna", err, awards.EForbidden, "invitation")
	_, err = e.s.AnswerInvitation(e.ctx, kari, inv.PublicID, true)
	wantCode(t, "the lead accepts for Træna", err, awards.EForbidden, "invitation")
	// At the quota, accepting is refused and nothing changes.
	_, err = e.s.AnswerInvitation(e.ctx, tore, inv.PublicID, true)
	wantCode(t, "accept at the quota", err, awards.EConflict, "organisation_id")
	if got, _ := e.s.GetInvitation(e.ctx, tore, inv.PublicID); got.Status != nominations.InvitationPending {
		t.Errorf("after a refused accept: %s", got.Status)
	}
	if _, err := e.s.Withdraw(e.ctx, tore, own.PublicID); err != nil {
		t.Fatal(err)
	}
	accepted, err := e.s.AnswerInvitation(e.ctx, tore, inv.PublicID, true)
	if err != nil || accepted.Status != nominations.InvitationAccepted {
		t.Fatalf("accept: %+v %v", accepted, err)
	}
	got, err := e.s.Get(e.ctx, tore, v.PublicID)
	if err != nil || len(got.Nominees) != 2 || got.Summary != "Hemmelig sammendrag" || got.CanInvite {
		t.Errorf("after accepting Træna reads the entry: %v nominees %+v invite %v", err, got.Nominees, got.CanInvite)
	}
	// Now the joint entry is Træna's one nomination in the cycle.
	_, err = e.s.Create(e.ctx, tore, cycle, 0, nominations.Fields{})
	wantCode(t, "a new nomination once the joint entry counts", err, awards.EConflict, "organisation_id")
	_, err = e.s.AnswerInvitation(e.ctx, tore, inv.PublicID, true)
	wantCode(t, "accept twice", err, awards.EConflict, "invitation")
	_, err = e.s.AnswerInvitation(e.ctx, tore, inv.PublicID, false)
	wantCode(t, "decline after accepting", err, awards.EConflict, "invitation")
	entries, err := audit.List(e.ctx, e.db, "nomination", v.ID)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, en := range entries {
		actions = append(actions, en.Action)
	}
	if fmt.Sprint(actions) != "[create invite_nominee accept_invitation]" {
		t.Errorf("audit %v", actions)
	}
}

// TestInvitationRules: who may invite, whom, and what is refused.
func TestInvitationRules(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cycle := e.cycle("open", "now() + interval '30 days'", 0, 3)
	kari := e.actor("kari", false, "Asker")
	tore := e.actor("tore", false, "Træna")
	bjorn := e.actor("bjorn", false, "Bærum")
	v, err := e.s.Create(e.ctx, kari, cycle, 0, nominations.Fields{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.s.Invite(e.ctx, kari, v.PublicID, e.orgs["Akershus"])
	wantCode(t, "invite a county", err, awards.EInvalid, "organisation_id")
	_, err = e.s.Invite(e.ctx, kari, v.PublicID, 999999)
	wantCode(t, "invite an unknown organisation", err, awards.EInvalid, "organisation_id")
	_, err = e.s.Invite(e.ctx, kari, v.PublicID, e.orgs["Asker"])
	wantCode(t, "invite the lead itself", err, awards.EConflict, "organisation_id")
	_, err = e.s.Invite(e.ctx, tore, v.PublicID, e.orgs["Træna"])
	wantCode(t, "invite oneself into another's entry", err, awards.ENotFound, "")
	e.join(kari, v.PublicID, tore, "Træna")
	_, err = e.s.Invite(e.ctx, kari, v.PublicID, e.orgs["Træna"])
	wantCode(t, "invite a nominee", err, awards.EConflict, "organisation_id")
	_, err = e.s.Invite(e.ctx, tore, v.PublicID, e.orgs["Bærum"])
	wantCode(t, "a co-nominee invites", err, awards.EForbidden, "organisation_id")
	inv, err := e.s.Invite(e.ctx, kari, v.PublicID, e.orgs["Bærum"])
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.s.Invite(e.ctx, kari, v.PublicID, e.orgs["Bærum"])
	wantCode(t, "invite twice", err, awards.EConflict, "organisation_id")
	// Withdrawing is the lead's.
	_, err = e.s.WithdrawInvitation(e.ctx, tore, inv.PublicID)
	wantCode(t, "a co-nominee withdraws", err, awards.EForbidden, "invitation")
	_, err = e.s.WithdrawInvitation(e.ctx, bjorn, inv.PublicID)
	wantCode(t, "the invited withdraws", err, awards.EForbidden, "invitation")
	if w, err := e.s.WithdrawInvitation(e.ctx, kari, inv.PublicID); err != nil || w.Status != nominations.InvitationWithdrawn {
		t.Fatalf("withdraw: %+v %v", w, err)
	}
	_, err = e.s.AnswerInvitation(e.ctx, bjorn, inv.PublicID, true)
	wantCode(t, "accept a withdrawn invitation", err, awards.EConflict, "invitation")
	// Declined, then invited again.
	inv, err = e.s.Invite(e.ctx, kari, v.PublicID, e.orgs["Bærum"])
	if err != nil {
		t.Fatalf("invite again after a withdrawal: %v", err)
	}
	if d, err := e.s.AnswerInvitation(e.ctx, bjorn, inv.PublicID, false); err != nil || d.Status != nominations.InvitationDeclined {
		t.Fatalf("decline: %+v %v", d, err)
	}
	if got, _ := e.s.Get(e.ctx, kari, v.PublicID); len(got.Nominees) != 2 || len(got.Invitations) != 3 {
		t.Errorf("after declining: nominees %+v, %d invitations", got.Nominees, len(got.Invitations))
	}
	// At most MaxOrganisations, invitations included.
	for i := len(v.Nominees) + 2; i <= nominations.MaxOrganisations; i++ {
		id := e.Organisation("municipality", fmt.Sprintf("Kommune %d", i), "")
		if _, err := e.s.Invite(e.ctx, kari, v.PublicID, id); err != nil {
			t.Fatalf("invitation %d: %v", i, err)
		}
	}
	_, err = e.s.Invite(e.ctx, kari, v.PublicID, e.orgs["Bærum"])
	wantCode(t, "one organisation too many", err, awards.EConflict, "organisation_id")
}

// TestRemoveAndLead: an organisation leaves by its own members' choice,
// with its projects; the lead stays until it hands the lead over; each
// organisation unlinks only its own projects.
func TestRemoveAndLead(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cycle := e.cycle("open", "now() + interval '30 days'", 0, 3)
	kari := e.actor("kari", false, "Asker")
	tore := e.actor("tore", false, "Træna")
	bjorn := e.actor("bjorn", false, "Bærum")
	admin := e.actor("admin", true)
	v, err := e.s.Create(e.ctx, kari, cycle, 0, nominations.Fields{})
	if err != nil {
		t.Fatal(err)
	}
	err = e.s.RemoveNominee(e.ctx, kari, v.PublicID, e.orgs["Asker"])
	wantCode(t, "the only nominee leaves", err, awards.EConflict, "organisation_id")
	e.join(kari, v.PublicID, tore, "Træna")
	e.join(kari, v.PublicID, bjorn, "Bærum")
	asker, err := e.s.CreateProject(e.ctx, kari, v.PublicID, nominations.ProjectInput{Title: ptr("Holmen svømmehall")})
	if err != nil {
		t.Fatal(err)
	}
	traena, err := e.s.CreateProject(e.ctx, tore, v.PublicID, nominations.ProjectInput{Title: ptr("Træna-prosjekt")})
	if err != nil {
		t.Fatal(err)
	}
	// Nobody removes another organisation, nor the lead.
	wantCode(t, "the lead removes Træna", e.s.RemoveNominee(e.ctx, kari, v.PublicID, e.orgs["Træna"]), awards.EForbidden, "organisation_id")
	wantCode(t, "Træna removes the lead", e.s.RemoveNominee(e.ctx, tore, v.PublicID, e.orgs["Asker"]), awards.EForbidden, "organisation_id")
	wantCode(t, "an admin removes the lead", e.s.RemoveNominee(e.ctx, admin, v.PublicID, e.orgs["Asker"]), awards.EConflict, "organisation_id")
	wantCode(t, "the lead leaves", e.s.RemoveNominee(e.ctx, kari, v.PublicID, e.orgs["Asker"]), awards.EConflict, "organisation_id")
	// Each organisation unlinks only its own projects.
	wantCode(t, "Asker unlinks Træna's project", e.s.UnlinkProject(e.ctx, kari, v.PublicID, traena.PublicID), awards.EForbidden, "project_id")
	wantCode(t, "Træna unlinks Asker's project", e.s.UnlinkProject(e.ctx, tore, v.PublicID, asker.PublicID), awards.EForbidden, "project_id")
	// Træna leaves, taking its project along; the project stays Træna's.
	if err := e.s.RemoveNominee(e.ctx, tore, v.PublicID, e.orgs["Træna"]); err != nil {
		t.Fatalf("Træna leaves: %v", err)
	}
	got, err := e.s.Get(e.ctx, kari, v.PublicID)
	if err != nil || len(got.Nominees) != 2 || len(got.Projects) != 1 || got.Projects[0].PublicID != asker.PublicID {
		t.Errorf("after Træna left: nominees %+v projects %+v %v", got.Nominees, got.Projects, err)
	}
	if p, err := e.s.Project(e.ctx, tore, traena.PublicID); err != nil || p.OrganisationID != e.orgs["Træna"] {
		t.Errorf("Træna's project after leaving: %+v %v", p, err)
	}
	if _, err := e.s.Get(e.ctx, tore, v.PublicID); awards.ErrorCode(err) != awards.ENotFound {
		t.Errorf("a former co-nominee reads the entry: %v", err)
	}
	// An admin may take a co-nominee off.
	if err := e.s.RemoveNominee(e.ctx, admin, v.PublicID, e.orgs["Bærum"]); err != nil {
		t.Fatalf("admin removes Bærum: %v", err)
	}
	// Handing the lead over: only to a nominee, only by the lead.
	e.join(kari, v.PublicID, tore, "Træna")
	wantCode(t, "lead to a non-nominee", e.s.HandOverLead(e.ctx, kari, v.PublicID, e.orgs["Bærum"]), awards.EInvalid, "organisation_id")
	wantCode(t, "a co-nominee takes the lead", e.s.HandOverLead(e.ctx, tore, v.PublicID, e.orgs["Træna"]), awards.EForbidden, "organisation_id")
	if err := e.s.HandOverLead(e.ctx, kari, v.PublicID, e.orgs["Træna"]); err != nil {
		t.Fatalf("hand over: %v", err)
	}
	got, _ = e.s.Get(e.ctx, tore, v.PublicID)
	if got.LeadID != e.orgs["Træna"] || !got.CanInvite {
		t.Errorf("after the hand-over: lead %d, Træna invites %v", got.LeadID, got.CanInvite)
	}
	if n := e.count(`SELECT count(*) FROM nomination_organisations WHERE nomination_id = ? AND lead`, v.ID); n != 1 {
		t.Errorf("%d leads", n)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE entity = 'nomination' AND entity_id = ? AND action = 'hand_over_lead'
		AND (before ->> 'lead_organisation_id')::bigint = ? AND (after ->> 'lead_organisation_id')::bigint = ?`,
		v.ID, e.orgs["Asker"], e.orgs["Træna"]); n != 1 {
		t.Errorf("hand-over audited %d times", n)
	}
	// Asker, no longer the lead, may now leave; its project goes with it.
	if err := e.s.RemoveNominee(e.ctx, kari, v.PublicID, e.orgs["Asker"]); err != nil {
		t.Fatalf("the former lead leaves: %v", err)
	}
	if got, _ := e.s.Get(e.ctx, tore, v.PublicID); len(got.Nominees) != 1 || len(got.Projects) != 0 {
		t.Errorf("after Asker left: %+v %+v", got.Nominees, got.Projects)
	}
}

// TestInvitationDeadline: after the deadline a pending invitation reads
// as lapsed at once and nothing about it can change; Lapse records it
// once and tells the lead's members in the lead's written form.
func TestInvitationDeadline(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cycle := e.open()
	kari := e.actor("kari", false, "Asker")
	tore := e.actor("tore", false, "Træna")
	bjorn := e.actor("bjorn", false, "Bærum")
	e.exec(`UPDATE organisations SET language = 'nn' WHERE id = ?`, e.orgs["Træna"])
	v, err := e.s.Create(e.ctx, kari, cycle, 0, nominations.Fields{Title: ptr("Felles")})
	if err != nil {
		t.Fatal(err)
	}
	inv, err := e.s.Invite(e.ctx, kari, v.PublicID, e.orgs["Træna"])
	if err != nil {
		t.Fatal(err)
	}
	other, err := e.s.Invite(e.ctx, kari, v.PublicID, e.orgs["Bærum"])
	if err != nil {
		t.Fatal(err)
	}
	id := func(publicID string) int64 {
		return int64(e.count(`SELECT id FROM nominee_invitations WHERE public_id = ?`, publicID))
	}
	// The invitation e-mail goes to Træna's members, in nynorsk.
	m, ok, err := nominations.PrepareInvitationMail(e.ctx, e.db, id(inv.PublicID))
	if err != nil || !ok || m.Language != "nn" || len(m.Recipients) != 1 || m.Recipients[0].Email != "tore@example.kommune.no" ||
		m.InvitingOrganisation != "Asker" || m.Path != nominations.InvitationPath(inv.PublicID) {
		t.Errorf("invitation mail %+v %v %v", m, ok, err)
	}
	// Before the deadline the lapse job waits for it.
	_, lapsed, retryAt, err := nominations.Lapse(e.ctx, e.db, id(inv.PublicID))
	if err != nil || lapsed || retryAt.Before(time.Now().Add(29*24*time.Hour)) {
		t.Errorf("lapse before the deadline: lapsed %v retry %v %v", lapsed, retryAt, err)
	}

	e.exec(`UPDATE cycles SET nomination_deadline = now() - interval '1 second' WHERE public_id = ?`, cycle)
	got, err := e.s.GetInvitation(e.ctx, tore, inv.PublicID)
	if err != nil || got.Status != nominations.InvitationLapsed || got.CanAnswer {
		t.Errorf("after the deadline: %+v %v", got, err)
	}
	_, err = e.s.AnswerInvitation(e.ctx, tore, inv.PublicID, true)
	if awards.ErrorCode(err) != awards.EConflict || !errors.Is(err, nominations.ErrClosed) {
		t.Errorf("accept after the deadline: %v", err)
	}
	_, err = e.s.AnswerInvitation(e.ctx, bjorn, other.PublicID, false)
	if awards.ErrorCode(err) != awards.EConflict || !errors.Is(err, nominations.ErrClosed) {
		t.Errorf("decline after the deadline: %v", err)
	}
	_, err = e.s.WithdrawInvitation(e.ctx, kari, inv.PublicID)
	if awards.ErrorCode(err) != awards.EConflict || !errors.Is(err, nominations.ErrClosed) {
		t.Errorf("withdraw after the deadline: %v", err)
	}
	_, err = e.s.Invite(e.ctx, kari, v.PublicID, e.orgs["Træna"])
	if awards.ErrorCode(err) != awards.EConflict || !errors.Is(err, nominations.ErrClosed) {
		t.Errorf("invite after the deadline: %v", err)
	}
	err = e.s.RemoveNominee(e.ctx, kari, v.PublicID, e.orgs["Asker"])
	wantCode(t, "remove after the deadline", err, awards.EConflict, "")
	if n := e.count(`SELECT count(*) FROM nomination_organisations WHERE nomination_id = ?`, v.ID); n != 1 {
		t.Errorf("%d nominees after refused late answers, want 1", n)
	}

	// The lapse is recorded once, by nobody, and tells Asker's members.
	m, lapsed, _, err = nominations.Lapse(e.ctx, e.db, id(inv.PublicID))
	if err != nil || !lapsed || m.Language != "nb" || len(m.Recipients) != 1 || m.Recipients[0].Email != "kari@example.kommune.no" || m.Organisation != "Træna" {
		t.Errorf("lapse: %+v %v %v", m, lapsed, err)
	}
	if _, lapsed, _, err = nominations.Lapse(e.ctx, e.db, id(inv.PublicID)); err != nil || lapsed {
		t.Errorf("second lapse: %v %v", lapsed, err)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE entity = 'nomination' AND entity_id = ? AND action = 'lapse_invitation' AND actor_id IS NULL`, v.ID); n != 1 {
		t.Errorf("lapse audited %d times", n)
	}
	if n := e.count(`SELECT count(*) FROM nominee_invitations WHERE id = ? AND status = 'lapsed' AND answered_at IS NOT NULL`, id(inv.PublicID)); n != 1 {
		t.Error("the lapse is not stored")
	}
	// An invitation that is no longer pending sends no mail.
	if _, ok, err := nominations.PrepareInvitationMail(e.ctx, e.db, id(inv.PublicID)); ok || err != nil {
		t.Errorf("mail for a lapsed invitation: %v %v", ok, err)
	}
}

// TestJurorSeesNoInvitations: a juror reads the nomination they assess,
// but not whom the entry invited.
func TestJurorSeesNoInvitations(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cycle := e.open()
	kari := e.actor("kari", false, "Asker")
	juror := e.actor("juror", false)
	v, err := e.s.Create(e.ctx, kari, cycle, 0, nominations.Fields{})
	if err != nil {
		t.Fatal(err)
	}
	e.complete(kari, v.PublicID)
	if _, err := e.s.Invite(e.ctx, kari, v.PublicID, e.orgs["Træna"]); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.Submit(e.ctx, kari, v.PublicID); err != nil {
		t.Fatal(err)
	}
	e.Review(e.Seat(e.cycleID(cycle), juror.User.ID, false, true, pgtest.Unreviewed), e.orgs["Asker"])
	got, err := e.s.Get(e.ctx, juror, v.PublicID)
	if err != nil {
		t.Fatalf("the juror reads the nomination: %v", err)
	}
	if len(got.Invitations) != 0 {
		t.Errorf("the juror sees %d invitations", len(got.Invitations))
	}
	if mine, _ := e.s.Get(e.ctx, kari, v.PublicID); len(mine.Invitations) != 1 {
		t.Errorf("the lead sees %d invitations, want 1", len(mine.Invitations))
	}
}
