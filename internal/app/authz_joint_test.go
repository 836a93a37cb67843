package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
)

func init() {
	authzAreas = append(authzAreas, authzArea{name: "joint", setup: jointSetup, rows: jointRows})
}

// jointAuthz holds what the joint-entry rows act on: Asker's entries in a
// cycle of their own, each row that changes something with its own entry
// or invitation to Træna.
var jointAuthz struct {
	traena int64
	// read has a pending invitation to Træna (readInv), for the rows that
	// only read.
	read, readInv string
	// UI rows.
	decline, withdraw, lead string
	// API rows.
	apiRemove, apiLead, apiInvite, apiAccept, apiDecline, apiWithdraw string
}

func jointSetup(t *testing.T, f *fixture) {
	x := &jointAuthz
	db := nomDB(t, f.a)
	cycle := nomCycle(t, db, "samarbeid-authz", "now() + interval '30 days'", 0, 3)
	x.traena = orgID(t, f.a, "Træna")
	asker := nomClient{t: t, a: f.a, c: f.clients["asker"]}
	traena := nomClient{t: t, a: f.a, c: f.clients["traena"]}
	invite := func(nomination string) string {
		var inv struct{ ID string }
		body := asker.call(http.MethodPost, "/api/v1/nominations/"+nomination+"/invitations", fmt.Sprintf(`{"organisation_id":"%d"}`, x.traena), http.StatusCreated)
		if err := json.Unmarshal([]byte(body), &inv); err != nil || inv.ID == "" {
			t.Fatalf("invite: %v %s", err, body)
		}
		return inv.ID
	}
	joint := func() string {
		id := asker.create(cycle, `{"title":"Felles nominasjon"}`)
		traena.call(http.MethodPost, "/api/v1/nominee-invitations/"+invite(id)+"/accept", "", http.StatusOK)
		return id
	}
	x.read = asker.create(cycle, `{"title":"Asker og Træna"}`)
	x.readInv = invite(x.read)
	x.decline = invite(asker.create(cycle, `{}`))
	x.withdraw = invite(asker.create(cycle, `{}`))
	x.lead = joint()
	x.apiRemove, x.apiLead = joint(), joint()
	x.apiInvite = asker.create(cycle, `{}`)
	x.apiAccept = invite(asker.create(cycle, `{}`))
	x.apiDecline = invite(asker.create(cycle, `{}`))
	x.apiWithdraw = invite(asker.create(cycle, `{}`))
}

func jointRows(f *fixture) map[string]authzCase {
	x := jointAuthz
	traena := fmt.Sprint(x.traena)
	// The invitation is seen by the lead's members (Asker), the invited
	// organisation's (Træna) and admins; jurors learn nothing.
	readInv := [8]int{see, ok, ok, notFound, notFound, notFound, notFound, ok}
	return map[string]authzCase{
		"GET /samarbeid/{id}": {"/samarbeid/" + x.readInv, "", readInv},
		// Only Træna answers for Træna; an admin may look but not answer.
		"POST /samarbeid/{id}/svar": {"/samarbeid/" + x.decline + "/svar", "decision=decline", [8]int{see, forbid, see, notFound, notFound, notFound, notFound, forbid}},
		// Only the lead withdraws.
		"POST /samarbeid/{id}/trekk": {"/samarbeid/" + x.withdraw + "/trekk", "", [8]int{see, see, forbid, notFound, notFound, notFound, notFound, forbid}},
		// Asker hands the lead to Træna; Træna, now leading, keeps it.
		"POST /nominasjoner/{id}/organisasjoner/{org}/leder": {"/nominasjoner/" + x.lead + "/organisasjoner/" + traena + "/leder", "",
			[8]int{see, see, see, notFound, notFound, notFound, forbid, forbid}},

		"GET /api/v1/nominations/{id}/nominees": {"/api/v1/nominations/" + x.read + "/nominees", "", [8]int{unauth, ok, notFound, notFound, notFound, notFound, ok, ok}},
		// Træna leaves; Asker cannot remove it; afterwards it is no nominee.
		"DELETE /api/v1/nominations/{id}/nominees/{org}": {"/api/v1/nominations/" + x.apiRemove + "/nominees/" + traena, "",
			[8]int{unauth, forbid, none, notFound, notFound, notFound, notFound, notFound}},
		"PUT /api/v1/nominations/{id}/lead": {"/api/v1/nominations/" + x.apiLead + "/lead", `{"organisation_id":"` + traena + `"}`,
			[8]int{unauth, ok, ok, notFound, notFound, notFound, forbid, forbid}},
		"POST /api/v1/nominations/{id}/invitations": {"/api/v1/nominations/" + x.apiInvite + "/invitations", `{"organisation_id":"` + traena + `"}`,
			[8]int{unauth, created, notFound, notFound, notFound, notFound, forbid, forbid}},
		"GET /api/v1/nominee-invitations":      {"/api/v1/nominee-invitations", "", [8]int{unauth, ok, ok, ok, ok, ok, ok, ok}},
		"GET /api/v1/nominee-invitations/{id}": {"/api/v1/nominee-invitations/" + x.readInv, "", [8]int{unauth, ok, ok, notFound, notFound, notFound, notFound, ok}},
		"POST /api/v1/nominee-invitations/{id}/accept": {"/api/v1/nominee-invitations/" + x.apiAccept + "/accept", "",
			[8]int{unauth, forbid, ok, notFound, notFound, notFound, notFound, forbid}},
		"POST /api/v1/nominee-invitations/{id}/decline": {"/api/v1/nominee-invitations/" + x.apiDecline + "/decline", "",
			[8]int{unauth, forbid, ok, notFound, notFound, notFound, notFound, forbid}},
		"POST /api/v1/nominee-invitations/{id}/withdraw": {"/api/v1/nominee-invitations/" + x.apiWithdraw + "/withdraw", "",
			[8]int{unauth, ok, forbid, notFound, notFound, notFound, notFound, forbid}},
	}
}
