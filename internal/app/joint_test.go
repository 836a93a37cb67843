package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/postgres"
)

// invitationJSON is an invitation as the API shows it.
type invitationJSON struct {
	ID, Nomination, Status string
	NominationTitle        string `json:"nomination_title"`
	InvitedBy              string `json:"invited_by"`
	InvitingOrganisation   struct {
		Name string
	} `json:"inviting_organisation"`
	CanAnswer bool `json:"can_answer"`
}

func decodeInvitation(t *testing.T, body string) invitationJSON {
	t.Helper()
	var inv invitationJSON
	if err := json.Unmarshal([]byte(body), &inv); err != nil || inv.ID == "" {
		t.Fatalf("not an invitation: %v %.300s", err, body)
	}
	return inv
}

// TestJointEntryScenario walks a joint entry through the API as Asker's
// and Træna's members would: an invitation that Træna sees only the
// outline of, in its written form by e-mail; the quota counted on
// acceptance; who may remove whom; the lead handed over; and an
// invitation nobody answered lapsing at the deadline, the lead told.
func TestJointEntryScenario(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	db := nomDB(t, a)
	ctx := context.Background()
	asker := nomClient{t: t, a: a, c: a.Login(t, "asker")}
	traena := nomClient{t: t, a: a, c: a.Login(t, "traena")}
	admin := nomClient{t: t, a: a, c: a.Login(t, "admin")}
	askerID, traenaID := orgID(t, a, "Asker"), orgID(t, a, "Træna")
	admin.call(http.MethodPatch, fmt.Sprintf("/api/v1/organisations/%d", traenaID), `{"language":"nn"}`, http.StatusOK)
	cycle := nomCycle(t, db, "samarbeid", "now() + interval '30 days'", 1, 3)

	id := asker.create(cycle, `{"title":"Felles velferdslab","summary":"Det interne sammendraget"}`)
	invite := func(org int64) string {
		return fmt.Sprintf(`{"organisation_id":"%d"}`, org)
	}
	inv := decodeInvitation(t, asker.call(http.MethodPost, "/api/v1/nominations/"+id+"/invitations", invite(traenaID), http.StatusCreated))
	if inv.Status != "pending" || inv.InvitingOrganisation.Name != "Asker" {
		t.Errorf("invitation %+v", inv)
	}

	wantContains(t, "check and submit with an invitation pending", asker.call(http.MethodGet, "/nominasjoner/"+id+"/send-inn", "", http.StatusOK),
		"Træna er invitert, men har ikke svart")

	// Træna sees the invitation, not the entry.
	traena.call(http.MethodGet, "/api/v1/nominations/"+id, "", http.StatusNotFound)
	mine := traena.call(http.MethodGet, "/api/v1/nominee-invitations", "", http.StatusOK)
	wantContains(t, "Træna's invitations", mine, `"nomination_title":"Felles velferdslab"`, `"can_answer":true`, `"status":"pending"`)
	wantLacks(t, "Træna's invitations", mine, "Det interne sammendraget")
	mail := waitMail(t, db, "tore@traena.kommune.no", "/samarbeid/"+inv.ID)
	var subject, body string
	if err := db.NewRaw(`SELECT subject, text_body FROM caught_mails WHERE id = ?`, mail).Scan(ctx, &subject, &body); err != nil {
		t.Fatal(err)
	}
	wantContains(t, "the invitation mail (nynorsk)", subject+"\n"+body, "Asker inviterer dykk", "Felles velferdslab", "Ingenting skjer før eit medlem hos dykk takkar ja", a.URL+"/samarbeid/"+inv.ID)
	wantLacks(t, "the invitation mail", body, "Det interne sammendraget")

	// Bad input, each with its message and nothing changed.
	for _, tt := range []struct {
		what   string
		c      nomClient
		method string
		path   string
		body   string
		status int
		field  string
		code   string // the field's machine code, or the top one without a field
	}{
		{"Asker accepts for Træna", asker, http.MethodPost, "/api/v1/nominee-invitations/" + inv.ID + "/accept", "", http.StatusForbidden, "invitation", "not_member"},
		{"an admin accepts for Træna", admin, http.MethodPost, "/api/v1/nominee-invitations/" + inv.ID + "/accept", "", http.StatusForbidden, "invitation", "not_member"},
		{"invite Træna twice", asker, http.MethodPost, "/api/v1/nominations/" + id + "/invitations", invite(traenaID), http.StatusConflict, "organisation_id", "already_invited"},
		{"invite a county", asker, http.MethodPost, "/api/v1/nominations/" + id + "/invitations", invite(int64(countRows(t, db, `SELECT min(id) FROM organisations WHERE kind = 'county' AND valid_to IS NULL`))), http.StatusUnprocessableEntity, "organisation_id", "not_eligible"},
		{"invite Asker itself", asker, http.MethodPost, "/api/v1/nominations/" + id + "/invitations", invite(askerID), http.StatusConflict, "organisation_id", "already_nominee"},
		{"invite nobody", asker, http.MethodPost, "/api/v1/nominations/" + id + "/invitations", `{}`, http.StatusUnprocessableEntity, "organisation_id", "unknown_reference"},
		{"withdraw as Træna", traena, http.MethodPost, "/api/v1/nominee-invitations/" + inv.ID + "/withdraw", "", http.StatusForbidden, "invitation", "lead_only"},
		{"an unknown invitation", traena, http.MethodPost, "/api/v1/nominee-invitations/0123456789abcdef/accept", "", http.StatusNotFound, "", "not_found"},
	} {
		got := tt.c.call(tt.method, tt.path, tt.body, tt.status)
		p := decodeProblem(t, got)
		if tt.field != "" && (p.Errors[tt.field] == "" || messageID.MatchString(p.Errors[tt.field]) || p.Codes[tt.field] != tt.code) {
			t.Errorf("%s: errors %v codes %v, want a message for %s with code %s", tt.what, p.Errors, p.Codes, tt.field, tt.code)
		}
		if tt.field == "" && p.Code != tt.code {
			t.Errorf("%s: code %q, want %q", tt.what, p.Code, tt.code)
		}
	}

	// A form answer that is neither yes nor no is asked again, next to the buttons.
	wantContains(t, "an answer that is neither", traena.call(http.MethodPost, "/samarbeid/"+inv.ID+"/svar", "decision=maybe", http.StatusUnprocessableEntity),
		"Velg om dere takker ja eller nei.", `href="#decision"`)

	// The invitation used none of Træna's quota: Træna nominates its own
	// work, and then cannot accept until it withdraws that.
	own := traena.create(cycle, `{"title":"Træna sitt eige"}`)
	p := decodeProblem(t, traena.call(http.MethodPost, "/api/v1/nominee-invitations/"+inv.ID+"/accept", "", http.StatusConflict))
	if !strings.Contains(p.Errors["organisation_id"], "nominasjon") || p.Code != "quota_reached" || p.Codes["organisation_id"] != "quota_reached" {
		t.Errorf("accept at the quota: %+v", p)
	}
	traena.call(http.MethodPost, "/api/v1/nominations/"+own+"/withdraw", "", http.StatusOK)
	accepted := decodeInvitation(t, traena.call(http.MethodPost, "/api/v1/nominee-invitations/"+inv.ID+"/accept", "", http.StatusOK))
	if accepted.Status != "accepted" {
		t.Errorf("accepted: %+v", accepted)
	}
	if p := decodeProblem(t, traena.call(http.MethodPost, "/api/v1/nominee-invitations/"+inv.ID+"/accept", "", http.StatusConflict)); p.Codes["invitation"] != "invitation_not_pending" {
		t.Errorf("accept twice: %+v", p)
	}
	wantContains(t, "the entry as Træna reads it", traena.call(http.MethodGet, "/api/v1/nominations/"+id, "", http.StatusOK),
		"Det interne sammendraget", fmt.Sprintf(`{"id":"%d","name":"Asker","kind":"municipality","lead":true}`, askerID))

	// Nobody removes another organisation; the lead stays until handed over.
	traena.call(http.MethodDelete, fmt.Sprintf("/api/v1/nominations/%s/nominees/%d", id, askerID), "", http.StatusForbidden)
	asker.call(http.MethodDelete, fmt.Sprintf("/api/v1/nominations/%s/nominees/%d", id, traenaID), "", http.StatusForbidden)
	admin.call(http.MethodDelete, fmt.Sprintf("/api/v1/nominations/%s/nominees/%d", id, askerID), "", http.StatusConflict)
	traena.call(http.MethodPut, "/api/v1/nominations/"+id+"/lead", invite(traenaID), http.StatusForbidden)
	var nominees struct {
		Lead      apiID `json:"lead_organisation_id"`
		CanInvite bool  `json:"can_invite"`
	}
	if err := json.Unmarshal([]byte(asker.call(http.MethodPut, "/api/v1/nominations/"+id+"/lead", invite(traenaID), http.StatusOK)), &nominees); err != nil || int64(nominees.Lead) != traenaID || nominees.CanInvite {
		t.Errorf("after handing over: %+v %v", nominees, err)
	}
	asker.call(http.MethodDelete, fmt.Sprintf("/api/v1/nominations/%s/nominees/%d", id, askerID), "", http.StatusNoContent)
	asker.call(http.MethodGet, "/api/v1/nominations/"+id, "", http.StatusNotFound)
	traena.call(http.MethodGet, "/api/v1/nominations/"+id+"/nominees", "", http.StatusOK)

	// An invitation nobody answers lapses at the deadline; the lead hears.
	soon := nomCycle(t, db, "samarbeid-frist", "now() + interval '3 seconds'", 1, 3)
	late := asker.create(soon, `{"title":"Sein invitasjon"}`)
	lapsing := decodeInvitation(t, asker.call(http.MethodPost, "/api/v1/nominations/"+late+"/invitations", invite(traenaID), http.StatusCreated))
	waitMail(t, db, "kari@asker.kommune.no", "/nominasjoner/"+late+"/organisasjoner")
	got := decodeInvitation(t, traena.call(http.MethodGet, "/api/v1/nominee-invitations/"+lapsing.ID, "", http.StatusOK))
	if got.Status != "lapsed" || got.CanAnswer {
		t.Errorf("after the deadline: %+v", got)
	}
	var stored string
	if err := db.NewRaw(`SELECT status FROM nominee_invitations WHERE public_id = ?`, lapsing.ID).Scan(ctx, &stored); err != nil || stored != "lapsed" {
		t.Errorf("stored status %q %v", stored, err)
	}
	for _, path := range []string{"/accept", "/decline"} {
		p := decodeProblem(t, traena.call(http.MethodPost, "/api/v1/nominee-invitations/"+lapsing.ID+path, "", http.StatusConflict))
		if p.Errors["invitation"] == "" || p.Code != "deadline_passed" || p.Codes["invitation"] != "deadline_passed" || !osloTime.MatchString(p.Detail) {
			t.Errorf("%s after the deadline: %+v", path, p)
		}
	}
	asker.call(http.MethodPost, "/api/v1/nominee-invitations/"+lapsing.ID+"/withdraw", "", http.StatusConflict)
	if n := countRows(t, db, `SELECT count(*) FROM nomination_organisations x JOIN nominations n ON n.id = x.nomination_id WHERE n.public_id = ?`, late); n != 1 {
		t.Errorf("%d nominees after the lapse, want Asker alone", n)
	}
}

func countRows(t *testing.T, db *postgres.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.NewRaw(query, args...).Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}
