package app_test

import (
	"testing"
)

func init() {
	authzAreas = append(authzAreas, authzArea{name: "deciding", setup: decidingSetup, rows: decidingRows})
}

// decidingAuthz is what the deciding rows act on: a cycle of its own being
// judged, chaired by jury-chair with jury-1 on its jury (both declared),
// and two nominations by Bærum kommune (nobody's own) that both have
// scored and submitted.
var decidingAuthz struct {
	cycle, first, second string
}

func decidingSetup(t *testing.T, f *fixture) {
	x := &decidingAuthz
	db := scoringDB(t, f)
	x.cycle, _ = scoringCycle(t, db, "deciding-authz")
	x.first = scoringNomination(t, db, x.cycle, "Bærum")
	x.second = scoringNomination(t, db, x.cycle, "Bærum")
	for _, u := range []string{"jury-1", "jury-chair"} {
		juror := scoringSeat(t, db, x.cycle, f.ids[u], u == "jury-chair")
		scoringScore(t, db, juror, x.first, true)
		scoringScore(t, db, juror, x.second, true)
	}
}

func decidingRows(*fixture) map[string]authzCase {
	x := decidingAuthz
	page := "/jury/" + x.cycle + "/"
	api := "/api/v1/cycles/" + x.cycle + "/"
	feedback := "/api/v1/nominations/" + x.first + "/feedback"
	// Only the chair and admins decide; the cycle's other jurors are told
	// so (403); people without a seat learn nothing of the jury's pages
	// (404). The chair's changes come first, so the admin's identical ones
	// change nothing and need no reason.
	read := [8]int{see, notFound, notFound, forbid, ok, notFound, ok, ok}
	change := [8]int{see, notFound, notFound, forbid, see, notFound, see, see}
	apiRead := [8]int{unauth, notFound, notFound, forbid, ok, notFound, ok, ok}
	return map[string]authzCase{
		"GET /jury/{cycle}/rangering":                                      {page + "rangering?uenighet=1&sorter=raa", "", read},
		"GET /jury/{cycle}/rangering/{nomination}":                         {page + "rangering/" + x.first, "", read},
		"GET /jury/{cycle}/rangering/{nomination}/poeng.svg":               {page + "rangering/" + x.first + "/poeng.svg", "", read},
		"GET /jury/{cycle}/beslutning":                                     {page + "beslutning", "", read},
		"POST /jury/{cycle}/beslutning":                                    {page + "beslutning", "outcome-" + x.first + "=finalist&outcome-" + x.second + "=&reason=", change},
		"GET /jury/{cycle}/tilbakemeldinger":                               {page + "tilbakemeldinger", "", read},
		"GET /jury/{cycle}/tilbakemeldinger/{nomination}":                  {page + "tilbakemeldinger/" + x.second, "", read},
		"POST /jury/{cycle}/tilbakemeldinger/{nomination}":                 {page + "tilbakemeldinger/" + x.second, "body=Takk+for+s%C3%B8knaden.", change},
		"POST /jury/{cycle}/tilbakemeldinger/{nomination}/fra-kommentarer": {page + "tilbakemeldinger/" + x.second + "/fra-kommentarer", "", change},
		"GET /jury/{cycle}/rapport":                                        {page + "rapport", "", read},
		"GET /jury/{cycle}/jurybok.pdf":                                    {page + "jurybok.pdf", "", read},

		"GET /api/v1/cycles/{cycle}/ranking":                   {api + "ranking", "", apiRead},
		"GET /api/v1/cycles/{cycle}/decision":                  {api + "decision", "", apiRead},
		"PUT /api/v1/cycles/{cycle}/decision":                  {api + "decision", `{"decisions":[{"nomination_id":"` + x.first + `","outcome":"finalist"},{"nomination_id":"` + x.second + `","outcome":"finalist"}]}`, apiRead},
		"GET /api/v1/cycles/{cycle}/feedback":                  {api + "feedback", "", apiRead},
		"GET /api/v1/nominations/{id}/feedback":                {feedback, "", apiRead},
		"PUT /api/v1/nominations/{id}/feedback":                {feedback, `{"body":"Takk for søknaden."}`, apiRead},
		"POST /api/v1/nominations/{id}/feedback/from-comments": {feedback + "/from-comments", "", apiRead},
		"GET /api/v1/cycles/{cycle}/exports/scores.csv":        {api + "exports/scores.csv", "", apiRead},
		"GET /api/v1/cycles/{cycle}/exports/scores.xlsx":       {api + "exports/scores.xlsx", "", apiRead},
		"GET /api/v1/cycles/{cycle}/jury-book.pdf":             {api + "jury-book.pdf", "", apiRead},
	}
}
