package app_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/postgres"
)

func init() {
	authzAreas = append(authzAreas, authzArea{name: "jury", setup: jurySetup, rows: juryRows})
}

// juryAuthz is what the jury rows act on: a cycle being judged with a
// nomination by Bærum, jury-chair chairing it and jury-1 on it; and, so
// that no row depends on another's order, an invitation or seat per
// changing row. The invitations accepted by the rows are to cycles of
// their own, so that whoever accepts gets no seat on the main cycle.
// The acceptances awaiting confirmation are by people of their own.
var juryAuthz struct {
	cycle                      string
	chair, juror1              int64
	removeUI, removeAPI        int64
	revokeUI, revokeAPI        int64
	confirmUI, confirmAPI      int64
	getToken, acceptUI, accept string
}

func jurySetup(t *testing.T, f *fixture) {
	x := &juryAuthz
	db := filesDB(t, f.a)
	x.cycle = juryCycle(t, db, "jury-authz", "Bærum")
	acceptUICycle := juryCycle(t, db, "jury-authz-ui", "Bærum")
	acceptCycle := juryCycle(t, db, "jury-authz-api", "Bærum")
	x.chair = seatJuror(t, db, x.cycle, f.ids["jury-chair"], true)
	x.juror1 = seatJuror(t, db, x.cycle, f.ids["jury-1"], false)
	for i, p := range []*int64{&x.removeUI, &x.removeAPI} {
		var user int64
		if err := db.NewRaw(`INSERT INTO users (issuer, subject, name) VALUES ('https://idp.example', ?, 'Fjernes') RETURNING id`,
			fmt.Sprintf("authz-remove-%d", i)).Scan(context.Background(), &user); err != nil {
			t.Fatal(err)
		}
		*p = seatJuror(t, db, x.cycle, user, false)
	}
	for i, p := range []*int64{&x.confirmUI, &x.confirmAPI} {
		*p = awaitingAcceptance(t, db, x.cycle, fmt.Sprintf("authz-confirm-%d", i))
	}
	admin := f.clients["admin"]
	x.revokeUI = inviteJuror(t, f.a, admin, x.cycle, "trekk-ui@example.org", false)
	x.revokeAPI = inviteJuror(t, f.a, admin, x.cycle, "trekk-api@example.org", false)
	inviteJuror(t, f.a, admin, x.cycle, "se@example.org", false)
	inviteJuror(t, f.a, admin, acceptUICycle, "ui@example.org", false)
	inviteJuror(t, f.a, admin, acceptCycle, "api@example.org", false)
	x.getToken = invitationToken(t, db, "se@example.org", 1)
	x.acceptUI = invitationToken(t, db, "ui@example.org", 1)
	x.accept = invitationToken(t, db, "api@example.org", 1)
}

func juryRows(*fixture) map[string]authzCase {
	x := juryAuthz
	admin := "/admin/sykluser/" + x.cycle + "/jury"
	member := func(id int64, part string) string { return fmt.Sprintf("%s/medlemmer/%d/%s", admin, id, part) }
	api := "/api/v1/cycles/" + x.cycle
	adminOnly := [8]int{see, forbid, forbid, forbid, forbid, forbid, ok, ok}
	apiAdminOnly := [8]int{unauth, forbid, forbid, forbid, forbid, forbid, ok, ok}
	return map[string]authzCase{
		"GET /admin/sykluser/{cycle}/jury": {admin, "", adminOnly},
		"POST /admin/sykluser/{cycle}/jury/invitasjoner": {admin + "/invitasjoner", "name=Ny&email=ny-ui%40example.org&language=nn",
			[8]int{see, forbid, forbid, forbid, forbid, forbid, see, conflict}},
		"POST /admin/sykluser/{cycle}/jury/invitasjoner/{invitation}/trekk": {fmt.Sprintf("%s/invitasjoner/%d/trekk", admin, x.revokeUI), "",
			[8]int{see, forbid, forbid, forbid, forbid, forbid, see, conflict}},
		// Making the chair chair again changes nothing, so the rows stay independent.
		"POST /admin/sykluser/{cycle}/jury/medlemmer/{juror}/leder": {member(x.chair, "leder"), "",
			[8]int{see, forbid, forbid, forbid, forbid, forbid, see, see}},
		"GET /admin/sykluser/{cycle}/jury/medlemmer/{juror}/fjern": {member(x.juror1, "fjern"), "", adminOnly},
		"POST /admin/sykluser/{cycle}/jury/medlemmer/{juror}/fjern": {member(x.removeUI, "fjern"), "",
			[8]int{see, forbid, forbid, forbid, forbid, forbid, see, conflict}},
		// The link is the key: whoever holds it sees what it invites to.
		"GET /jury/invitasjon/{token}": {"/jury/invitasjon/" + x.getToken, "", [8]int{ok, ok, ok, ok, ok, ok, ok, ok}},
		// Asker accepts first (from another address: the seat awaits
		// confirmation); for everyone after, the link is used.
		"POST /jury/invitasjon/{token}": {"/jury/invitasjon/" + x.acceptUI, "", [8]int{see, see, forbid, forbid, forbid, forbid, forbid, forbid}},
		// The chair confirms first; for the admin after, the seat is taken.
		"POST /jury/{cycle}/invitasjoner/{invitation}/bekreft": {fmt.Sprintf("/jury/%s/invitasjoner/%d/bekreft", x.cycle, x.confirmUI), "",
			[8]int{see, forbid, forbid, forbid, see, forbid, conflict, conflict}},
		// Jurors of the cycle declare; nobody else has a declaration.
		"GET /jury/{cycle}/habilitet":  {"/jury/" + x.cycle + "/habilitet", "", [8]int{see, forbid, forbid, ok, ok, forbid, forbid, forbid}},
		"POST /jury/{cycle}/habilitet": {"/jury/" + x.cycle + "/habilitet", "none_at_all=true", [8]int{see, forbid, forbid, see, see, forbid, forbid, forbid}},
		// The chair and admins see who stepped aside.
		"GET /jury/{cycle}/habilitet/oversikt": {"/jury/" + x.cycle + "/habilitet/oversikt", "", [8]int{see, forbid, forbid, forbid, ok, forbid, ok, ok}},

		"GET /api/v1/cycles/{cycle}/jurors": {api + "/jurors", "", apiAdminOnly},
		"POST /api/v1/cycles/{cycle}/jurors": {api + "/jurors", `{"name":"Ny","email":"ny-api@example.org"}`,
			[8]int{unauth, forbid, forbid, forbid, forbid, forbid, created, conflict}},
		"PATCH /api/v1/cycles/{cycle}/jurors/{juror}":  {fmt.Sprintf("%s/jurors/%d", api, x.chair), `{"chair":true}`, apiAdminOnly},
		"DELETE /api/v1/cycles/{cycle}/jurors/{juror}": {fmt.Sprintf("%s/jurors/%d", api, x.removeAPI), "", [8]int{unauth, forbid, forbid, forbid, forbid, forbid, ok, conflict}},
		"DELETE /api/v1/cycles/{cycle}/invitations/{invitation}": {fmt.Sprintf("%s/invitations/%d", api, x.revokeAPI), "",
			[8]int{unauth, forbid, forbid, forbid, forbid, forbid, none, conflict}},
		"POST /api/v1/cycles/{cycle}/invitations/{invitation}/confirm": {fmt.Sprintf("%s/invitations/%d/confirm", api, x.confirmAPI), "",
			[8]int{unauth, forbid, forbid, forbid, ok, forbid, conflict, conflict}},
		"GET /api/v1/invitations/{token}":               {"/api/v1/invitations/" + x.getToken, "", [8]int{ok, ok, ok, ok, ok, ok, ok, ok}},
		"POST /api/v1/invitations/{token}/accept":       {"/api/v1/invitations/" + x.accept + "/accept", "", [8]int{unauth, accepted, forbid, forbid, forbid, forbid, forbid, forbid}},
		"GET /api/v1/cycles/{cycle}/conflicts":          {api + "/conflicts", "", [8]int{unauth, forbid, forbid, ok, ok, forbid, forbid, forbid}},
		"PUT /api/v1/cycles/{cycle}/conflicts":          {api + "/conflicts", `{"none":true}`, [8]int{unauth, forbid, forbid, ok, ok, forbid, forbid, forbid}},
		"GET /api/v1/cycles/{cycle}/conflicts/overview": {api + "/conflicts/overview", "", [8]int{unauth, forbid, forbid, forbid, ok, forbid, ok, ok}},
	}
}

// juryCycle makes a cycle being judged, in an award of its own, with a
// submitted nomination by each named municipality; it returns the
// cycle's public ID.
func juryCycle(t *testing.T, db *postgres.DB, slug string, nominees ...string) string {
	t.Helper()
	ctx := context.Background()
	var cycle int64
	var public string
	err := db.NewRaw(`
		WITH a AS (INSERT INTO awards (slug, name_nb, owner_id) VALUES (?, ?, `+demoOwner+`) RETURNING id)
		INSERT INTO cycles (award_id, year, title, phase, scoring_deadline)
		SELECT id, 2027, ?, 'judging', now() + interval '20 days' FROM a RETURNING id, public_id`,
		slug, "Pris "+slug, "Innovasjonsprisen "+slug).Scan(ctx, &cycle, &public)
	if err != nil {
		t.Fatalf("jury cycle: %v", err)
	}
	for _, name := range nominees {
		_, err := db.ExecContext(ctx, `
			WITH n AS (INSERT INTO nominations (cycle_id, title, status, submitted_at) VALUES (?, ?, 'submitted', now()) RETURNING id)
			INSERT INTO nomination_organisations (nomination_id, organisation_id)
			SELECT n.id, o.id FROM n, organisations o WHERE o.kind = 'municipality' AND o.name = ? AND o.valid_to IS NULL`,
			cycle, name+" kommune", name)
		if err != nil {
			t.Fatalf("nomination by %s: %v", name, err)
		}
	}
	return public
}

// seatJuror seats a user on the cycle's jury directly, as the demo data
// does, and returns the juror's ID.
func seatJuror(t *testing.T, db *postgres.DB, cycle string, user int64, chair bool) int64 {
	t.Helper()
	var id int64
	err := db.NewRaw(`INSERT INTO jurors (cycle_id, user_id, chair) SELECT id, ?, ? FROM cycles WHERE public_id = ? RETURNING id`,
		user, chair, cycle).Scan(context.Background(), &id)
	if err != nil {
		t.Fatalf("seat juror: %v", err)
	}
	return id
}

// awaitingAcceptance stores an invitation to the cycle's jury accepted by
// a new person from another address, as Accept leaves it, and returns
// its ID.
func awaitingAcceptance(t *testing.T, db *postgres.DB, cycle, subject string) int64 {
	t.Helper()
	var id int64
	err := db.NewRaw(`
		WITH u AS (INSERT INTO users (issuer, subject, name, email, email_verified) VALUES ('https://idp.example', ?, 'Videresendt', ? || '@example.org', true) RETURNING id)
		INSERT INTO jury_invitations (cycle_id, email, name, token_hash, expires_at, accepted_at, accepted_by)
		SELECT c.id, 'invitert-' || ? || '@example.org', 'Invitert', sha256(convert_to(?, 'UTF8')), now() + interval '1 day', now(), u.id
		FROM cycles c, u WHERE c.public_id = ? RETURNING id`, subject, subject, subject, subject, cycle).Scan(context.Background(), &id)
	if err != nil {
		t.Fatalf("awaiting acceptance: %v", err)
	}
	return id
}

// inviteJuror invites email to the cycle's jury through the API as c (an
// admin) and returns the invitation's ID.
func inviteJuror(t *testing.T, a *apptest.App, c *http.Client, cycle, email string, chair bool) int64 {
	t.Helper()
	var inv struct{ ID apiID }
	apiCreate(t, &fixture{a: a, clients: map[string]*http.Client{"admin": c}}, "/api/v1/cycles/"+cycle+"/jurors",
		fmt.Sprintf(`{"name":"Invitert","email":%q,"chair":%v}`, email, chair), &inv)
	if inv.ID == 0 {
		t.Fatalf("invite %s: no ID", email)
	}
	return int64(inv.ID)
}

// invitationToken waits until the app has mailed the n-th invitation to
// address to (counting from 1) and returns the token of its link.
func invitationToken(t *testing.T, db *postgres.DB, to string, n int) string {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		var bodies []string
		err := db.NewRaw(`SELECT text_body FROM caught_mails WHERE recipient = ? AND strpos(text_body, '/jury/invitasjon/') > 0 ORDER BY id`,
			to).Scan(context.Background(), &bodies)
		if err != nil {
			t.Fatal(err)
		}
		// The mail is caught while the job's transaction, which stores the
		// token's hash, is still open: wait for that commit too.
		var mailed int
		if err := db.NewRaw(`SELECT count(*) FROM jury_invitations WHERE email = ? AND mailed_at IS NOT NULL`, to).
			Scan(context.Background(), &mailed); err != nil {
			t.Fatal(err)
		}
		if len(bodies) >= n && mailed >= n {
			_, after, _ := strings.Cut(bodies[n-1], "/jury/invitasjon/")
			token, _, _ := strings.Cut(after, "\n")
			return strings.TrimSpace(token)
		}
		if time.Now().After(deadline) {
			t.Fatalf("no invitation %d to %s after 15s", n, to)
		}
		time.Sleep(25 * time.Millisecond)
	}
}
