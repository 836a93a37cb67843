package server

import (
	"net/http"
	"sort"
	"testing"

	"github.com/heder-awards/heder/internal/api"
	"github.com/heder-awards/heder/internal/notify"
	"github.com/heder-awards/heder/internal/ui"
)

// pageAction is what a page's form does through the API: the API routes
// ("METHOD pattern") that do the same, or, for an action that has none by
// nature, why.
type pageAction struct {
	api  []string
	none string
}

// pageActions maps every POST route of the pages to its API counterpart,
// so that nothing a page can do is missing from the API.
var pageActions = map[string]pageAction{
	"POST /auth/logout": {none: "ends the browser's session; an API client with a bearer token has none to end"},

	// Organisations, members and users.
	"POST /organisasjoner":                             {api: []string{"POST /api/v1/organisations"}},
	"POST /organisasjoner/{id}":                        {api: []string{"PATCH /api/v1/organisations/{id}"}},
	"POST /organisasjoner/{id}/tilgang":                {api: []string{"POST /api/v1/organisations/{id}/members"}},
	"POST /organisasjoner/{id}/medlemmer":              {api: []string{"POST /api/v1/organisations/{id}/members"}},
	"POST /organisasjoner/{id}/medlemmer/{user}/fjern": {api: []string{"DELETE /api/v1/organisations/{id}/members/{user}"}},
	"POST /foresporsler/{id}":                          {api: []string{"POST /api/v1/organisations/{id}/members/requests/{request}"}},
	"POST /admin/brukere/{id}/admin":                   {api: []string{"PUT /api/v1/users/{id}/admin"}},
	"POST /nominasjoner/{id}/slett":                    {api: []string{"DELETE /api/v1/nominations/{id}"}},
	"POST /admin/sykluser/{cycle}/diplomer":            {api: []string{"PUT /api/v1/cycles/{cycle}/diplomas/signature"}},
	"POST /admin/sykluser/{cycle}/arkivuttrekk":        {api: []string{"POST /api/v1/cycles/{cycle}/noark5/exports"}},
	"POST /admin/eiere":                                {api: []string{"POST /api/v1/owners"}},
	"POST /admin/eiere/{id}/admins":                    {api: []string{"POST /api/v1/owners/{id}/admins"}},
	"POST /admin/eiere/{id}/admins/{user}/fjern":       {api: []string{"DELETE /api/v1/owners/{id}/admins/{user}"}},
	"POST /admin/eiere/{id}/lagring":                   {api: []string{"PATCH /api/v1/owners/{id}"}},

	// Awards, cycles, criteria and rounds.
	"POST /admin/priser":                     {api: []string{"POST /api/v1/awards"}},
	"POST /admin/priser/{slug}":              {api: []string{"PATCH /api/v1/awards/{slug}"}},
	"POST /admin/priser/{slug}/sykluser":     {api: []string{"POST /api/v1/awards/{slug}/cycles"}},
	"POST /admin/sykluser/{cycle}":           {api: []string{"PATCH /api/v1/cycles/{cycle}"}},
	"POST /admin/sykluser/{cycle}/fase":      {api: []string{"POST /api/v1/cycles/{cycle}/transitions"}},
	"POST /admin/sykluser/{cycle}/kopier":    {api: []string{"POST /api/v1/cycles/{cycle}/copy"}},
	"POST /admin/sykluser/{cycle}/kriterier": {api: []string{"POST /api/v1/cycles/{cycle}/criteria"}},
	"POST /admin/kriterier/{id}":             {api: []string{"PATCH /api/v1/criteria/{id}"}},
	"POST /admin/kriterier/{id}/slett":       {api: []string{"DELETE /api/v1/criteria/{id}"}},
	"POST /admin/sykluser/{cycle}/runder":    {api: []string{"POST /api/v1/cycles/{cycle}/rounds"}},
	"POST /admin/runder/{id}":                {api: []string{"PATCH /api/v1/rounds/{round}"}},
	"POST /admin/runder/{id}/jury":           {api: []string{"PUT /api/v1/rounds/{round}/jurors"}},
	"POST /admin/runder/{id}/slett":          {api: []string{"DELETE /api/v1/rounds/{round}"}},
	"POST /avmelding/{token}":                {api: []string{"POST /api/v1/opt-outs/{token}"}},

	// Nominations, joint entries, projects and files.
	"POST /sykluser/{cycle}/nominasjoner":                          {api: []string{"POST /api/v1/cycles/{cycle}/nominations"}},
	"POST /nominasjoner/{id}/fakta":                                {api: []string{"PATCH /api/v1/nominations/{id}"}},
	"POST /nominasjoner/{id}/kontakt":                              {api: []string{"PATCH /api/v1/nominations/{id}"}},
	"POST /nominasjoner/{id}/send-inn":                             {api: []string{"POST /api/v1/nominations/{id}/submit"}},
	"POST /nominasjoner/{id}/trekk":                                {api: []string{"POST /api/v1/nominations/{id}/withdraw"}},
	"POST /nominasjoner/{id}/ugyldig":                              {api: []string{"POST /api/v1/nominations/{id}/ineligible"}},
	"POST /nominasjoner/{id}/frist":                                {api: []string{"PUT /api/v1/nominations/{id}/deadline-extension", "DELETE /api/v1/nominations/{id}/deadline-extension"}},
	"POST /admin/sykluser/{cycle}/nominasjoner/{id}/kvalifisering": {api: []string{"POST /api/v1/nominations/{id}/ineligible"}},
	"POST /nominasjoner/{id}/organisasjoner":                       {api: []string{"POST /api/v1/nominations/{id}/invitations"}},
	"POST /nominasjoner/{id}/organisasjoner/{org}/fjern":           {api: []string{"DELETE /api/v1/nominations/{id}/nominees/{org}"}},
	"POST /nominasjoner/{id}/organisasjoner/{org}/leder":           {api: []string{"PUT /api/v1/nominations/{id}/lead"}},
	"POST /samarbeid/{id}/svar":                                    {api: []string{"POST /api/v1/nominee-invitations/{id}/accept", "POST /api/v1/nominee-invitations/{id}/decline"}},
	"POST /samarbeid/{id}/trekk":                                   {api: []string{"POST /api/v1/nominee-invitations/{id}/withdraw"}},
	"POST /nominasjoner/{id}/prosjekter":                           {api: []string{"POST /api/v1/nominations/{id}/projects"}},
	"POST /nominasjoner/{id}/prosjekter/{project}":                 {api: []string{"PATCH /api/v1/projects/{id}"}},
	"POST /nominasjoner/{id}/prosjekter/{project}/fjern":           {api: []string{"DELETE /api/v1/nominations/{id}/projects/{project}"}},
	"POST /prosjekter/{id}/vedlegg":                                {api: []string{"POST /api/v1/projects/{id}/attachments"}},
	"POST /vedlegg/{id}/slett":                                     {api: []string{"DELETE /api/v1/attachments/{id}"}},

	// The jury: seats, conflicts, assignments, scores and discussion.
	"POST /admin/sykluser/{cycle}/jury/invitasjoner":                    {api: []string{"POST /api/v1/cycles/{cycle}/jurors"}},
	"POST /admin/sykluser/{cycle}/jury/invitasjoner/{invitation}/trekk": {api: []string{"DELETE /api/v1/cycles/{cycle}/invitations/{invitation}"}},
	"POST /admin/sykluser/{cycle}/jury/medlemmer/{juror}/leder":         {api: []string{"PATCH /api/v1/cycles/{cycle}/jurors/{juror}"}},
	"POST /admin/sykluser/{cycle}/jury/medlemmer/{juror}/fjern":         {api: []string{"DELETE /api/v1/cycles/{cycle}/jurors/{juror}"}},
	"POST /jury/invitasjon/{token}":                                     {api: []string{"POST /api/v1/invitations/{token}/accept"}},
	"POST /jury/{cycle}/invitasjoner/{invitation}/bekreft":              {api: []string{"POST /api/v1/cycles/{cycle}/invitations/{invitation}/confirm"}},
	"POST /jury/{cycle}/habilitet":                                      {api: []string{"PUT /api/v1/cycles/{cycle}/conflicts"}},
	"POST /admin/sykluser/{cycle}/fordeling":                            {api: []string{"PUT /api/v1/cycles/{cycle}/assignments"}},
	"POST /admin/sykluser/{cycle}/fordeling/modus":                      {api: []string{"PUT /api/v1/cycles/{cycle}/assignments/mode"}},
	"POST /admin/sykluser/{cycle}/fordeling/auto":                       {api: []string{"POST /api/v1/cycles/{cycle}/assignments/auto"}},
	"POST /jury/{cycle}/onsker":                                         {api: []string{"PUT /api/v1/cycles/{cycle}/bids"}},
	"POST /jury/{cycle}/nominasjoner/{id}":                              {api: []string{"PUT /api/v1/nominations/{id}/scores", "POST /api/v1/nominations/{id}/scores/submission"}},
	"POST /jury/{cycle}/nominasjoner/{id}/gjenapne":                     {api: []string{"DELETE /api/v1/nominations/{id}/scores/submissions/{juror}"}},
	"POST /jury/{cycle}/nominasjoner/{id}/kommentarer":                  {api: []string{"POST /api/v1/nominations/{id}/comments"}},
	"POST /jury/{cycle}/fremdrift/paminnelser":                          {api: []string{"POST /api/v1/cycles/{cycle}/jury-reminders"}},
	"POST /jury/{cycle}/stemme":                                         {api: []string{"PUT /api/v1/rounds/{round}/ballot", "POST /api/v1/rounds/{round}/ballot/submit"}},
	"POST /jury/{cycle}/stemme/gjenapne":                                {api: []string{"POST /api/v1/rounds/{round}/ballots/{juror}/reopen"}},

	// Deciding, feedback and publication.
	"POST /jury/{cycle}/beslutning":                                    {api: []string{"PUT /api/v1/cycles/{cycle}/decision"}},
	"POST /jury/{cycle}/runder/{round}/videre":                         {api: []string{"POST /api/v1/cycles/{cycle}/rounds/{round}/advance"}},
	"POST /jury/{cycle}/tilbakemeldinger/{nomination}":                 {api: []string{"PUT /api/v1/nominations/{id}/feedback"}},
	"POST /jury/{cycle}/tilbakemeldinger/{nomination}/fra-kommentarer": {api: []string{"POST /api/v1/nominations/{id}/feedback/from-comments"}},
	"POST /admin/sykluser/{cycle}/publisering":                         {api: []string{"POST /api/v1/cycles/{cycle}/announcements"}},
	"POST /admin/sykluser/{cycle}/publisering/publiser-na":             {api: []string{"POST /api/v1/cycles/{cycle}/announcements"}},
	"POST /admin/kunngjoringer/{id}":                                   {api: []string{"PATCH /api/v1/announcements/{id}"}},
	"POST /admin/kunngjoringer/{id}/avpubliser":                        {api: []string{"POST /api/v1/announcements/{id}/unpublish"}},
	"POST /admin/utboks/{id}/prov-igjen":                               {api: []string{"POST /api/v1/outbox/{id}/retry"}},
}

// TestPageActionsHaveAPI fails for a page action (a POST route of the
// pages) without an API route that does the same, and for a row of
// pageActions that names a route that does not exist.
func TestPageActionsHaveAPI(t *testing.T) {
	t.Parallel()
	apiRoutes := map[string]bool{}
	for _, rt := range (&api.Handler{}).Routes() {
		apiRoutes[rt.Method+" "+rt.Pattern] = true
	}
	seen := map[string]bool{}
	for _, rt := range (&ui.Handler{DevMail: &notify.Catcher{}}).Routes() {
		if rt.Method != http.MethodPost {
			continue
		}
		key := rt.Method + " " + rt.Pattern
		seen[key] = true
		a, ok := pageActions[key]
		switch {
		case !ok:
			t.Errorf("page action %s has no row in pageActions: name the API route that does the same (add one if there is none)", key)
		case len(a.api) == 0 && a.none == "":
			t.Errorf("page action %s: no API route, and no reason why", key)
		}
		for _, r := range a.api {
			if !apiRoutes[r] {
				t.Errorf("page action %s: its API counterpart %s does not exist", key, r)
			}
		}
	}
	var stale []string
	for key := range pageActions {
		if !seen[key] {
			stale = append(stale, key)
		}
	}
	sort.Strings(stale)
	if len(stale) > 0 {
		t.Errorf("pageActions rows that match no page action: %v", stale)
	}
}
