package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/i18n"
)

func init() {
	authzAreas = append(authzAreas, authzArea{name: "nominations", setup: nominationsSetup, rows: nominationsRows})
}

// nomAuthz holds what the nominations rows act on: an open cycle of its
// own (no limit per organisation, three projects) and, for every row that
// changes something, a nomination or project of Asker's of its own, so
// that the rows don't depend on each other's order.
var nomAuthz struct {
	cycle                 string
	asker, baerum, traena int64
	read                  string // a draft with one project, for the pages that only read
	project               string // read's project
	// Per changing row: the nomination (and project) it acts on.
	facts, contact, orgAdd, orgRemove, newProject, editProject, unlink, submit, sent, withdraw, ineligible, del string
	extend, apiExtend                                                                                           string
	editProjectID, unlinkProjectID                                                                              string
	apiPatch, apiSubmit, apiWithdraw, apiIneligible, apiNewProject, apiUnlink, apiProject, apiDel               string
	apiUnlinkProject, apiProjectID                                                                              string
}

func nominationsSetup(t *testing.T, f *fixture) {
	x := &nomAuthz
	db := nomDB(t, f.a)
	x.cycle = nomCycle(t, db, "nominasjon-authz", "now() + interval '30 days'", 0, 3)
	x.asker, x.baerum = orgID(t, f.a, "Asker"), orgID(t, f.a, "Bærum")
	n := nomClient{t: t, a: f.a, c: f.clients["asker"]}

	x.read = n.create(x.cycle, `{"title":"Asker velferdslab"}`)
	x.project = n.addProject(x.read, `{"title":"Holmen svømmehall","description":"Et svømmeanlegg"}`)
	for _, p := range []*string{&x.facts, &x.contact, &x.orgAdd, &x.orgRemove, &x.newProject, &x.withdraw,
		&x.apiPatch, &x.apiWithdraw, &x.apiNewProject, &x.del, &x.apiDel, &x.extend, &x.apiExtend} {
		*p = n.create(x.cycle, `{}`)
	}
	// Træna joins orgRemove by consent, for the row where only Træna's
	// members (and admins) may take it off again.
	x.traena = orgID(t, f.a, "Træna")
	body := n.call(http.MethodPost, "/api/v1/nominations/"+x.orgRemove+"/invitations", fmt.Sprintf(`{"organisation_id":"%d"}`, x.traena), http.StatusCreated)
	var inv struct{ ID string }
	if err := json.Unmarshal([]byte(body), &inv); err != nil {
		t.Fatal(err)
	}
	nomClient{t: t, a: f.a, c: f.clients["traena"]}.call(http.MethodPost, "/api/v1/nominee-invitations/"+inv.ID+"/accept", "", http.StatusOK)
	x.editProject = n.create(x.cycle, `{}`)
	x.editProjectID = n.addProject(x.editProject, `{"title":"Løsningsjakten på Borgen"}`)
	x.unlink = n.create(x.cycle, `{}`)
	x.unlinkProjectID = n.addProject(x.unlink, `{"title":"Fjernes"}`)
	x.apiUnlink = n.create(x.cycle, `{}`)
	x.apiUnlinkProject = n.addProject(x.apiUnlink, `{"title":"Fjernes i API-et"}`)
	x.apiProject = n.create(x.cycle, `{}`)
	x.apiProjectID = n.addProject(x.apiProject, `{"title":"Endres i API-et"}`)
	x.submit = n.complete(x.cycle)
	x.apiSubmit = n.complete(x.cycle)
	x.sent = n.complete(x.cycle)
	x.ineligible = n.complete(x.cycle)
	x.apiIneligible = n.complete(x.cycle)
	for _, id := range []string{x.sent, x.ineligible, x.apiIneligible} {
		n.call(http.MethodPost, "/api/v1/nominations/"+id+"/submit", "", http.StatusOK)
	}
}

func nominationsRows(*fixture) map[string]authzCase {
	x := nomAuthz
	nom := func(id string, part ...string) string {
		p := "/nominasjoner/" + url.PathEscape(id)
		for _, s := range part {
			p += "/" + s
		}
		return p
	}
	api := func(id, part string) string { return "/api/v1/nominations/" + id + part }
	// After the cycle's deadline (30 days ahead), in Oslo for the page's
	// datetime-local field.
	later := time.Now().Add(40 * 24 * time.Hour).In(i18n.Oslo())
	// Members of Asker see and change; other municipalities and jurors
	// (without assignments) learn nothing; admins see but do not change.
	read := [8]int{see, ok, notFound, notFound, notFound, notFound, ok, ok}
	change := [8]int{see, see, notFound, notFound, notFound, notFound, forbid, forbid}
	apiRead := [8]int{unauth, ok, notFound, notFound, notFound, notFound, ok, ok}
	apiChange := [8]int{unauth, ok, notFound, notFound, notFound, notFound, forbid, forbid}
	return map[string]authzCase{
		"GET /sykluser/{cycle}/nominasjoner/ny": {"/sykluser/" + x.cycle + "/nominasjoner/ny", "", [8]int{see, ok, ok, ok, ok, ok, ok, ok}},
		// Only Asker's members nominate Asker (whom else each may nominate
		// is the scenario tests' matter).
		"POST /sykluser/{cycle}/nominasjoner": {"/sykluser/" + x.cycle + "/nominasjoner", fmt.Sprintf("organisation_id=%d", x.asker),
			[8]int{see, see, forbid, forbid, forbid, forbid, forbid, forbid}},
		"GET /nominasjoner/{id}":                 {nom(x.read), "", read},
		"GET /nominasjoner/{id}/fakta":           {nom(x.read, "fakta"), "", read},
		"POST /nominasjoner/{id}/fakta":          {nom(x.facts, "fakta"), "version=1&title=Innovasjon+i+hele+kommunen&summary=Kort&challenge=renewal", change},
		"GET /nominasjoner/{id}/organisasjoner":  {nom(x.read, "organisasjoner") + "?q=B%C3%A6rum", "", read},
		"POST /nominasjoner/{id}/organisasjoner": {nom(x.orgAdd, "organisasjoner"), fmt.Sprintf("organisation_id=%d", x.baerum), change},
		// Træna leaves; nobody else but an admin may take it off, and then
		// it is no nominee for the admin to remove.
		"POST /nominasjoner/{id}/organisasjoner/{org}/fjern": {nom(x.orgRemove, "organisasjoner", fmt.Sprint(x.traena), "fjern"), "",
			[8]int{see, forbid, see, notFound, notFound, notFound, notFound, notFound}},
		"GET /nominasjoner/{id}/kontakt":       {nom(x.read, "kontakt"), "", read},
		"POST /nominasjoner/{id}/kontakt":      {nom(x.contact, "kontakt"), "version=1&contact_name=Kari+Nordmann&contact_email=kari%40asker.kommune.no", change},
		"GET /nominasjoner/{id}/prosjekter/ny": {nom(x.read, "prosjekter", "ny"), "", read},
		"POST /nominasjoner/{id}/prosjekter": {nom(x.newProject, "prosjekter"), "title=Nytt+prosjekt&measure_label=deltakere&measure_value=783&measure_unit=",
			change},
		"GET /nominasjoner/{id}/prosjekter/{project}": {nom(x.read, "prosjekter", x.project), "", read},
		// The admins, the award's owner admin (eier-kdd) too, see the project and may not change it.
		"POST /nominasjoner/{id}/prosjekter/{project}": {nom(x.editProject, "prosjekter", x.editProjectID), "version=1&title=Borgen&description=Samskaping",
			change},
		"POST /nominasjoner/{id}/prosjekter/{project}/fjern": {nom(x.unlink, "prosjekter", x.unlinkProjectID, "fjern"), "", change},
		"GET /nominasjoner/{id}/send-inn":                    {nom(x.read, "send-inn"), "", read},
		"POST /nominasjoner/{id}/send-inn":                   {nom(x.submit, "send-inn"), "", change},
		"GET /nominasjoner/{id}/sendt":                       {nom(x.sent, "sendt"), "", read},
		"POST /nominasjoner/{id}/trekk":                      {nom(x.withdraw, "trekk"), "", change},
		// Once Asker's member has deleted the draft, it is gone for the
		// roles after; TestDelete (nominations) refuses the others first.
		"POST /nominasjoner/{id}/slett": {nom(x.del, "slett"), "", [8]int{see, see, notFound, notFound, notFound, notFound, notFound, notFound}},
		"POST /nominasjoner/{id}/ugyldig": {nom(x.ineligible, "ugyldig"), "ineligible=true&reason=Gjelder+et+fylke",
			[8]int{see, forbid, forbid, forbid, forbid, notFound, see, conflict}},

		// A later deadline: the cycle's admins (eier-kdd owns the award);
		// another owner's admin does not know the nomination.
		"POST /nominasjoner/{id}/frist": {nom(x.extend, "frist"),
			"extended_until=" + url.QueryEscape(later.Format("2006-01-02T15:04")) + "&extension_reason=Feil+i+innloggingen",
			[8]int{see, forbid, forbid, forbid, forbid, notFound, see, see}},
		"PUT /api/v1/nominations/{id}/deadline-extension": {api(x.apiExtend, "/deadline-extension"),
			fmt.Sprintf(`{"extended_until":%q,"extension_reason":"Feil i innloggingen"}`, later.Format(time.RFC3339)),
			[8]int{unauth, forbid, forbid, forbid, forbid, notFound, ok, ok}},
		"DELETE /api/v1/nominations/{id}/deadline-extension": {api(x.apiExtend, "/deadline-extension"), "",
			[8]int{unauth, forbid, forbid, forbid, forbid, notFound, ok, ok}},

		"GET /api/v1/cycles/{cycle}/nominations": {"/api/v1/cycles/" + x.cycle + "/nominations", "", [8]int{unauth, ok, ok, ok, ok, ok, ok, ok}},
		"POST /api/v1/cycles/{cycle}/nominations": {"/api/v1/cycles/" + x.cycle + "/nominations", fmt.Sprintf(`{"organisation_id":"%d","title":"Ny"}`, x.asker),
			[8]int{unauth, created, forbid, forbid, forbid, forbid, forbid, forbid}},
		"GET /api/v1/nominations/{id}":           {api(x.read, ""), "", apiRead},
		"PATCH /api/v1/nominations/{id}":         {api(x.apiPatch, ""), `{"version":1,"summary":"Nytt sammendrag"}`, apiChange},
		"POST /api/v1/nominations/{id}/submit":   {api(x.apiSubmit, "/submit"), "", apiChange},
		"POST /api/v1/nominations/{id}/withdraw": {api(x.apiWithdraw, "/withdraw"), "", apiChange},
		"DELETE /api/v1/nominations/{id}":        {api(x.apiDel, ""), "", [8]int{unauth, none, notFound, notFound, notFound, notFound, notFound, notFound}},
		"POST /api/v1/nominations/{id}/ineligible": {api(x.apiIneligible, "/ineligible"), `{"ineligible":true,"reason":"Gjelder et fylke"}`,
			[8]int{unauth, forbid, forbid, forbid, forbid, notFound, ok, conflict}},
		"GET /api/v1/nominations/{id}/projects": {api(x.read, "/projects"), "", apiRead},
		"POST /api/v1/nominations/{id}/projects": {api(x.apiNewProject, "/projects"), `{"title":"API-prosjekt","measures":[{"label":"innspill","value":458}]}`,
			[8]int{unauth, created, notFound, notFound, notFound, notFound, forbid, forbid}},
		// Only the nomination's editors: admins see the nomination but link nothing.
		"GET /api/v1/nominations/{id}/projects/linkable": {api(x.read, "/projects/linkable"), "", [8]int{unauth, ok, notFound, notFound, notFound, notFound, forbid, forbid}},
		"DELETE /api/v1/nominations/{id}/projects/{project}": {api(x.apiUnlink, "/projects/"+x.apiUnlinkProject), "",
			[8]int{unauth, none, notFound, notFound, notFound, notFound, forbid, forbid}},
		// The owner admin of the award the project is nominated to (eier-kdd)
		// sees it as the site admin does, and changes it no more than they.
		"GET /api/v1/projects/{id}":   {"/api/v1/projects/" + x.project, "", [8]int{unauth, ok, notFound, notFound, notFound, notFound, ok, ok}},
		"PATCH /api/v1/projects/{id}": {"/api/v1/projects/" + x.apiProjectID, `{"version":1,"results":"Hjemløsheten ned fra 186 til null"}`, [8]int{unauth, ok, notFound, notFound, notFound, notFound, forbid, forbid}},
	}
}
