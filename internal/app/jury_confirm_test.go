package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestJurySeatConfirmation: an invitation seats at once only the login
// with the invited, verified address. A forwarded link's acceptance is
// recorded, gives no access to nominations, scores or the declaration
// until the chair confirms it, and then the juror's full access.
func TestJurySeatConfirmation(t *testing.T) {
	t.Parallel()
	s := newScoringRun(t)
	for _, u := range []string{"jury-2", "traena"} {
		s.clients[u] = s.a.Login(t, u)
	}
	db := scoringDB(t, s.f)
	api := "/api/v1/cycles/" + s.cycle
	conflicts := "/jury/" + s.cycle + "/habilitet"
	bærum := s.nominees["Bærum"]
	score := fmt.Sprintf(`{"scores":[{"criterion_id":"%d","value":4}]}`, s.crit[0])
	seats := func(who string) int {
		var n int
		if err := db.NewRaw(`SELECT count(*) FROM jurors j JOIN users u ON u.id = j.user_id JOIN cycles c ON c.id = j.cycle_id
			WHERE c.public_id = ? AND u.subject = ?`, s.cycle, who).Scan(t.Context(), &n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	// Jenny (jury-2) logs in with the address the invitation went to
	// (the development provider verifies it): seated at once.
	s.do("admin", http.MethodPost, api+"/jurors", `{"name":"Jenny Jurymedlem","email":"Jenny@Example.org"}`, http.StatusCreated)
	link := "/jury/invitasjon/" + invitationToken(t, db, "jenny@example.org", 1)
	wantNoText(t, "invitation to one's own address", s.page("jury-2", link), "en annen e-postadresse")
	wantText(t, "API invitation to one's own address", s.page("jury-2", "/api/v1/invitations/"+strings.TrimPrefix(link, "/jury/invitasjon/")), `"invited_login":true`)
	s.do("jury-2", http.MethodPost, link, "", http.StatusSeeOther)
	if seats("jury-2") != 1 {
		t.Fatal("Jenny was not seated at once")
	}
	wantText(t, "Jenny's declaration", s.page("jury-2", conflicts), "Du har plass i juryen", `name="none_at_all"`)

	// Tore (traena) opens a link sent to someone else: warned, and his
	// acceptance awaits confirmation.
	s.do("admin", http.MethodPost, api+"/jurors", `{"name":"Kari Kollega","email":"kari.kollega@example.org"}`, http.StatusCreated)
	token := invitationToken(t, db, "kari.kollega@example.org", 1)
	wantText(t, "invitation to another address", s.page("traena", "/jury/invitasjon/"+token), "en annen e-postadresse enn den du er logget inn med")
	wantText(t, "API invitation to another address", s.page("traena", "/api/v1/invitations/"+token), `"invited_login":false`)
	var seat struct {
		JurorID              apiID `json:"juror_id"`
		InvitationID         apiID `json:"invitation_id"`
		AwaitingConfirmation bool  `json:"awaiting_confirmation"`
	}
	if err := json.Unmarshal([]byte(s.do("traena", http.MethodPost, "/api/v1/invitations/"+token+"/accept", "", http.StatusAccepted)), &seat); err != nil ||
		!seat.AwaitingConfirmation || seat.JurorID != 0 || seat.InvitationID == 0 {
		t.Fatalf("acceptance from another address: %+v %v", seat, err)
	}
	noAccess := func(when string) {
		t.Helper()
		if seats("traena") != 0 {
			t.Fatalf("%s: Tore has a seat", when)
		}
		wantText(t, when+": declaration page", s.do("traena", http.MethodGet, conflicts, "", http.StatusForbidden),
			"venter på bekreftelse fra juryleder eller en administrator")
		wantNoText(t, when+": declaration page", s.do("traena", http.MethodGet, conflicts, "", http.StatusForbidden), `name="none_at_all"`, "Bærum")
		if p := decodeProblem(t, s.do("traena", http.MethodGet, api+"/conflicts", "", http.StatusForbidden)); !strings.Contains(p.Detail, "awaits confirmation") {
			t.Errorf("%s: API declaration: %+v", when, p)
		}
		s.do("traena", http.MethodPut, api+"/conflicts", `{"none":true}`, http.StatusForbidden)
		s.do("traena", http.MethodPost, conflicts, "none_at_all=true", http.StatusForbidden)
		s.do("traena", http.MethodGet, "/api/v1/nominations/"+bærum, "", http.StatusNotFound)
		s.do("traena", http.MethodGet, s.screen("Bærum"), "", http.StatusNotFound)
		s.do("traena", http.MethodGet, "/api/v1/nominations/"+bærum+"/scores", "", http.StatusNotFound)
		s.do("traena", http.MethodPut, "/api/v1/nominations/"+bærum+"/scores", score, http.StatusNotFound)
	}
	noAccess("awaiting")

	// Bad inputs: the link again, an unknown link, a confirmation by a
	// juror who does not chair.
	s.do("traena", http.MethodPost, "/api/v1/invitations/"+token+"/accept", "", http.StatusConflict)
	wantText(t, "accept twice in the page", s.do("traena", http.MethodPost, "/jury/invitasjon/"+token, "", http.StatusConflict), "allerede tatt imot")
	s.do("traena", http.MethodPost, "/api/v1/invitations/"+strings.Repeat("A", 43)+"/accept", "", http.StatusNotFound)
	s.do("jury-1", http.MethodPost, fmt.Sprintf("%s/invitations/%d/confirm", api, seat.InvitationID), "", http.StatusForbidden)
	s.do("traena", http.MethodPost, fmt.Sprintf("%s/invitations/%d/confirm", api, seat.InvitationID), "", http.StatusForbidden)
	s.do("admin", http.MethodPost, fmt.Sprintf("%s/invitations/%d/confirm", api, seat.InvitationID+1000), "", http.StatusNotFound)
	noAccess("refused confirmations")

	// The chair and the admin see it waiting; the chair confirms.
	overview := s.page("jury-chair", conflicts+"/oversikt")
	confirm := fmt.Sprintf("/jury/%s/invitasjoner/%d/bekreft", s.cycle, seat.InvitationID)
	wantText(t, "chair's overview", overview, "Venter på bekreftelse", "Kari Kollega", "kari.kollega@example.org", "Tore Træna",
		"tore@traena.kommune.no", `action="`+confirm+`"`)
	wantText(t, "admin's jury page", s.page("admin", "/admin/sykluser/"+s.cycle+"/jury"), "Venter på bekreftelse", `action="`+confirm+`"`, "Avvis")
	s.do("jury-chair", http.MethodPost, confirm, "", http.StatusSeeOther)
	wantText(t, "confirmed", s.page("jury-chair", conflicts+"/oversikt"), "Plassen er bekreftet")
	if seats("traena") != 1 {
		t.Fatal("confirmed, but Tore has no seat")
	}
	wantNoText(t, "overview after", s.page("jury-chair", conflicts+"/oversikt"), `action="`+confirm+`"`)
	if p := decodeProblem(t, s.do("admin", http.MethodPost, fmt.Sprintf("%s/invitations/%d/confirm", api, seat.InvitationID), "", http.StatusConflict)); !strings.Contains(p.Detail, "nothing to confirm") {
		t.Errorf("confirm twice: %+v", p)
	}

	// Now a juror: he declares, reads and scores Bærum's nomination.
	s.do("traena", http.MethodPut, api+"/conflicts", `{"none":true}`, http.StatusOK)
	s.do("traena", http.MethodGet, "/api/v1/nominations/"+bærum, "", http.StatusOK)
	s.do("traena", http.MethodPut, "/api/v1/nominations/"+bærum+"/scores", score, http.StatusOK)
	var list struct {
		Invitations []struct {
			Email, State string
			ConfirmedBy  string `json:"confirmed_by"`
		}
	}
	if err := json.Unmarshal([]byte(s.do("admin", http.MethodGet, api+"/jurors", "", http.StatusOK)), &list); err != nil {
		t.Fatal(err)
	}
	states := map[string]string{}
	for _, i := range list.Invitations {
		states[i.Email] = i.State + "/" + i.ConfirmedBy
	}
	if states["kari.kollega@example.org"] != "accepted/Jorunn Juryleder" || states["jenny@example.org"] != "accepted/" {
		t.Errorf("invitations: %v", states)
	}
}
