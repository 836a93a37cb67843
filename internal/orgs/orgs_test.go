package orgs_test

import (
	"context"
	"io/fs"
	"testing"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/orgs"
	"github.com/heder-awards/heder/internal/pgtest"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/heder-awards/heder/internal/users"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func imported(t *testing.T) *postgres.DB {
	t.Helper()
	db := pgtest.New(t)
	data, _ := fs.Sub(orgs.Data, "data")
	if _, err := orgs.ImportKommuner(context.Background(), db, data); err != nil {
		t.Fatal(err)
	}
	return db
}

func find(t *testing.T, s *orgs.Service, q, number string) awards.Organisation {
	t.Helper()
	list, err := s.Search(context.Background(), q, 50)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range list {
		if o.Number == number {
			return o
		}
	}
	t.Fatalf("no %s (%s) in %+v", q, number, list)
	return awards.Organisation{}
}

func TestImportKommuner(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := imported(t)
	data, _ := fs.Sub(orgs.Data, "data")
	// A second import changes nothing and duplicates nothing.
	res, err := orgs.ImportKommuner(ctx, db, data)
	if err != nil {
		t.Fatal(err)
	}
	if res.Municipalities != 357 || res.Counties != 15 {
		t.Errorf("import counted %+v, want 357 municipalities in 15 counties", res)
	}
	var current, total int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE valid_to IS NULL), count(*) FROM organisations WHERE kind = 'municipality'`).Scan(&current, &total); err != nil {
		t.Fatal(err)
	}
	if current != 357 || total != 357+res.Historical {
		t.Errorf("after two imports: %d current, %d in all (historical %d)", current, total, res.Historical)
	}
	s := orgs.NewService(db)
	asker := find(t, s, "Asker", "3203")
	if asker.Orgnr != "920125298" || asker.CountyName != "Akershus" {
		t.Errorf("Asker = %+v", asker)
	}
	traena := find(t, s, "Træna", "1835")
	if traena.CountyName != "Nordland - Nordlánnda" || traena.ValidTo != nil {
		t.Errorf("Træna = %+v", traena)
	}
	// Oppegård merged into Nordre Follo in 2020 and keeps its own name.
	oppegard := find(t, s, "Oppegård", "0217")
	if oppegard.ValidTo == nil || oppegard.ValidTo.Format("2006-01-02") != "2020-01-01" || oppegard.SuccessorName != "Nordre Follo" {
		t.Errorf("Oppegård = %+v", oppegard)
	}
	// Its successor chain leads to today's Nordre Follo.
	next, err := s.Get(ctx, oppegard.SuccessorID)
	if err != nil {
		t.Fatal(err)
	}
	for next.SuccessorID != 0 {
		if next, err = s.Get(ctx, next.SuccessorID); err != nil {
			t.Fatal(err)
		}
	}
	if next.Name != "Nordre Follo" || next.ValidTo != nil || next.CountyName != "Akershus" {
		t.Errorf("Oppegård's successor today = %+v", next)
	}
}

// TestMembershipFlows covers the three ways into an organisation: an admin
// adds, a request is approved, and (in auth's tests) claims at login.
func TestMembershipFlows(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := imported(t)
	s := orgs.NewService(db)
	u := users.NewService(db)
	asker := find(t, s, "Asker", "3203")

	newActor := func(subject string, admin bool) *awards.Actor {
		id, err := u.Provision(ctx, users.Login{Issuer: "https://idp.test", Subject: subject, Name: subject, Admin: admin})
		if err != nil {
			t.Fatal(err)
		}
		a, err := u.Actor(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	admin := newActor("admin", true)
	kari := newActor("kari", false)
	ola := newActor("ola", false)

	// Kari asks to join Asker; Ola cannot decide it, the admin approves.
	req, err := s.RequestAccess(ctx, kari, asker.ID, "Jeg jobber i innovasjonsenheten")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RequestAccess(ctx, kari, asker.ID, "igjen"); awards.ErrorCode(err) != awards.EConflict {
		t.Errorf("second pending request: %v, want conflict", err)
	}
	if _, err := s.DecideRequest(ctx, ola, 0, req.ID, true); awards.ErrorCode(err) != awards.ENotFound {
		t.Errorf("outsider decides: %v, want not found", err)
	}
	if _, err := s.DecideRequest(ctx, admin, 0, req.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DecideRequest(ctx, admin, 0, req.ID, false); awards.ErrorCode(err) != awards.EConflict {
		t.Errorf("deciding twice: %v, want conflict", err)
	}
	kari, _ = u.Actor(ctx, kari.User.ID)
	if !kari.MemberOf(asker.ID) {
		t.Fatal("approved request did not make Kari a member")
	}

	// Kari (a submitter) may not add members; the admin makes her org admin,
	// and then she may.
	if err := s.AddMember(ctx, kari, asker.ID, ola.User.ID, "submitter"); awards.ErrorCode(err) != awards.EForbidden {
		t.Errorf("submitter adds member: %v, want forbidden", err)
	}
	if err := s.AddMember(ctx, admin, asker.ID, kari.User.ID, "org_admin"); err != nil {
		t.Fatal(err)
	}
	kari, _ = u.Actor(ctx, kari.User.ID)
	if err := s.AddMember(ctx, kari, asker.ID, ola.User.ID, "submitter"); err != nil {
		t.Fatalf("org admin adds member: %v", err)
	}
	if err := s.AddMember(ctx, kari, asker.ID, ola.User.ID, "king"); awards.ErrorCode(err) != awards.EInvalid {
		t.Errorf("unknown role: %v, want invalid", err)
	}
	members, err := s.Members(ctx, kari, asker.ID)
	if err != nil || len(members) != 2 {
		t.Fatalf("members = %+v, %v", members, err)
	}
	if err := s.RemoveMember(ctx, kari, asker.ID, ola.User.ID); err != nil {
		t.Fatal(err)
	}

	// Every step is in the audit log.
	entries, err := audit.List(ctx, db, "membership", asker.ID)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action)
	}
	if got, want := len(entries), 4; got != want {
		t.Errorf("membership audit entries %v, want %d (approve-add, role change, add, remove)", actions, want)
	}
}

func TestUpdateValidates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := imported(t)
	s := orgs.NewService(db)
	u := users.NewService(db)
	id, _ := u.Provision(ctx, users.Login{Issuer: "https://idp.test", Subject: "admin", Admin: true})
	admin, _ := u.Actor(ctx, id)
	asker := find(t, s, "Asker", "3203")
	bad, dom, lang := "12", "not a domain", "sv"
	_, err := s.Update(ctx, admin, asker.ID, orgs.Update{Orgnr: &bad, EmailDomain: &dom, Language: &lang})
	fields := awards.ErrorFields(err)
	for _, f := range []string{"orgnr", "email_domain", "language"} {
		if fields[f] == "" {
			t.Errorf("no message for %s in %v", f, err)
		}
	}
	// Another organisation's orgnr is a conflict; nothing changes.
	traena := find(t, s, "Træna", "1835")
	_, err = s.Update(ctx, admin, asker.ID, orgs.Update{Orgnr: &traena.Orgnr})
	if awards.ErrorCode(err) != awards.EConflict {
		t.Errorf("taken orgnr: %v, want conflict", err)
	}
	again, _ := s.Get(ctx, asker.ID)
	if again.Orgnr != asker.Orgnr {
		t.Errorf("orgnr changed to %s", again.Orgnr)
	}
	nonAdmin := &awards.Actor{User: awards.User{ID: 99}}
	if _, err := s.Update(ctx, nonAdmin, asker.ID, orgs.Update{}); awards.ErrorCode(err) != awards.EForbidden {
		t.Errorf("non-admin update: %v", err)
	}
}

func TestAddMemberByEmail(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := imported(t)
	s := orgs.NewService(db)
	u := users.NewService(db)
	adminID, _ := u.Provision(ctx, users.Login{Issuer: "https://idp.test", Subject: "admin", Admin: true})
	admin, _ := u.Actor(ctx, adminID)
	kariID, _ := u.Provision(ctx, users.Login{Issuer: "https://idp.test", Subject: "kari", Email: "Kari@Asker.kommune.no"})
	asker := find(t, s, "Asker", "3203")
	for email, field := range map[string]string{"": "email", "not-an-address": "email", "nobody@asker.kommune.no": "email"} {
		err := s.AddMemberByEmail(ctx, admin, asker.ID, email, "submitter")
		if awards.ErrorFields(err)[field] == "" {
			t.Errorf("AddMemberByEmail(%q): %v, want a message for %s", email, err, field)
		}
	}
	if err := s.AddMemberByEmail(ctx, admin, asker.ID, " kari@asker.KOMMUNE.no ", "submitter"); err != nil {
		t.Fatal(err)
	}
	kari, _ := u.Actor(ctx, kariID)
	if !kari.MemberOf(asker.ID) {
		t.Error("Kari was not added")
	}
}
