package api

import (
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/heder-awards/heder/internal/archive"
	"github.com/heder-awards/heder/internal/assignment"
	"github.com/heder-awards/heder/internal/attachments"
	"github.com/heder-awards/heder/internal/auditlog"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/cycles"
	"github.com/heder-awards/heder/internal/deciding"
	"github.com/heder-awards/heder/internal/diplomas"
	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/jury"
	"github.com/heder-awards/heder/internal/noark"
	"github.com/heder-awards/heder/internal/nominations"
	"github.com/heder-awards/heder/internal/optout"
	"github.com/heder-awards/heder/internal/orgs"
	"github.com/heder-awards/heder/internal/outbox"
	"github.com/heder-awards/heder/internal/owners"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/privacy"
	"github.com/heder-awards/heder/internal/publication"
	"github.com/heder-awards/heder/internal/scoring"
	"github.com/heder-awards/heder/internal/users"
	"github.com/heder-awards/heder/internal/voting"
)

// Handler serves the JSON API.
type Handler struct {
	Orgs   *orgs.Service
	Cycles *cycles.Service
	Users  *users.Service
	Bundle *i18n.Bundle
	Logger *slog.Logger
	// Attachments keeps projects' files.
	Attachments *attachments.Service
	// Nominations owns nominations and their projects.
	Nominations *nominations.Service
	// Jury owns juries: invitations, seats and conflict declarations.
	Jury *jury.Service
	// Publication schedules announcements and keeps the embargo.
	Publication *publication.Service
	// Scoring runs the jurors' scores and the jury's discussion.
	Scoring *scoring.Service
	// Assignment shares a cycle's nominations among its jurors.
	Assignment *assignment.Service
	// Voting runs the ranked votes of rounds.
	Voting *voting.Service
	// Deciding ranks a cycle's nominations and records the decision and
	// the feedback.
	Deciding *deciding.Service
	// Diplomas makes the diplomas of a cycle's decision.
	Diplomas *diplomas.Service
	// Archive reads the public archive.
	Archive *archive.Service
	// Audit reads the audit log.
	Audit *auditlog.Service
	// Privacy exports a person's data.
	Privacy *privacy.Service
	// BaseURL is where the app is reached from outside, for the public
	// API's links.
	BaseURL string
	// Outbox lists a cycle's messages and retries failed ones.
	Outbox *outbox.Service
	// Owners manages award owners and their admins.
	Owners *owners.Service
	// Noark makes published cycles' archive deposits.
	Noark *noark.Service
	// Optout confirms the unsubscribe links of call announcements.
	Optout *optout.Service
}

// ServeOpenAPI serves the OpenAPI document.
func ServeOpenAPI(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	_, _ = w.Write(openAPI)
}

// Routes lists the API routes with their gates.
func (h *Handler) Routes() []httpx.Route {
	routes := []httpx.Route{
		{Method: http.MethodGet, Pattern: "/api/v1/me", Gate: policy.LoggedIn, Handler: h.handleMe},
		{Method: http.MethodGet, Pattern: "/api/v1/organisations", Gate: policy.Public, Handler: h.handleOrgList},
		{Method: http.MethodPost, Pattern: "/api/v1/organisations", Gate: policy.SiteAdmin, Handler: h.handleOrgCreate},
		{Method: http.MethodGet, Pattern: "/api/v1/organisations/{id}", Gate: policy.Public, Handler: h.handleOrgGet},
		{Method: http.MethodPatch, Pattern: "/api/v1/organisations/{id}", Gate: policy.SiteAdmin, Handler: h.handleOrgPatch},
		{Method: http.MethodGet, Pattern: "/api/v1/organisations/{id}/members", Gate: policy.LoggedIn, Handler: h.handleMemberList},
		{Method: http.MethodPost, Pattern: "/api/v1/organisations/{id}/members", Gate: policy.LoggedIn, Handler: h.handleMemberAdd},
		{Method: http.MethodDelete, Pattern: "/api/v1/organisations/{id}/members/{user}", Gate: policy.LoggedIn, Handler: h.handleMemberRemove},
		{Method: http.MethodGet, Pattern: "/api/v1/organisations/{id}/members/requests", Gate: policy.LoggedIn, Handler: h.handleRequestList},
		{Method: http.MethodPost, Pattern: "/api/v1/organisations/{id}/members/requests/{request}", Gate: policy.LoggedIn, Handler: h.handleRequestDecide},
		{Method: http.MethodGet, Pattern: "/api/v1/users", Gate: policy.SiteAdmin, Handler: h.handleUserList},
		{Method: http.MethodPut, Pattern: "/api/v1/users/{id}/admin", Gate: policy.SiteAdmin, Handler: h.handleUserAdmin},
	}
	routes = append(routes, h.cycleRoutes()...)
	routes = append(routes, h.roundRoutes()...)
	routes = append(routes, h.privacyRoutes()...)
	routes = append(routes, h.attachmentRoutes()...)
	routes = append(routes, h.nominationRoutes()...)
	routes = append(routes, h.jointRoutes()...)
	routes = append(routes, h.exportRoutes()...)
	routes = append(routes, h.assignmentRoutes()...)
	routes = append(routes, h.bidRoutes()...)
	routes = append(routes, h.juryRoutes()...)
	routes = append(routes, h.scoringRoutes()...)
	routes = append(routes, h.votingRoutes()...)
	routes = append(routes, h.publicationRoutes()...)
	routes = append(routes, h.decidingRoutes()...)
	routes = append(routes, h.advancingRoutes()...)
	routes = append(routes, h.diplomaRoutes()...)
	routes = append(routes, h.publicRoutes()...)
	routes = append(routes, h.auditRoutes()...)
	routes = append(routes, h.outboxRoutes()...)
	routes = append(routes, h.ownerRoutes()...)
	routes = append(routes, h.noarkRoutes()...)
	routes = append(routes, h.optoutRoutes()...)
	return routes
}

// Error writes err as problem details, field messages in the caller's
// language.
func (h *Handler) Error(w http.ResponseWriter, r *http.Request, err error) {
	httpx.LogError(h.Logger, r, err)
	if httpx.Status(err) == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "5")
	}
	l := h.Bundle.Localizer(httpx.LangFrom(r.Context()))
	httpx.WriteProblem(w, err, func(key string) string { return l.T(key) })
}

func idParam(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, name), 10, 64)
	if err != nil || id <= 0 {
		return 0, awards.Errorf(awards.ENotFound, "not found")
	}
	return id, nil
}

// Me is the logged-in user.
type Me struct {
	ID            ID             `json:"id"`
	Name          string         `json:"name"`
	Email         string         `json:"email"`
	Issuer        string         `json:"issuer"`
	Subject       string         `json:"subject"`
	Locale        string         `json:"locale"`
	Admin         bool           `json:"admin"`
	Roles         []string       `json:"roles"`
	Organisations []MyMembership `json:"organisations"`
	Jury          []MySeat       `json:"jury"`
	// Owners are the award owners the user administers.
	Owners []MyOwner `json:"owners"`
}

// MyOwner is an award owner the user administers.
type MyOwner struct {
	ID   ID     `json:"id"`
	Name string `json:"name"`
}

// MyMembership is one of the user's organisations.
type MyMembership struct {
	ID   ID     `json:"id"`
	Name string `json:"name"`
	Role string `json:"role"`
}

// MySeat is one of the user's jury seats.
type MySeat struct {
	CycleID ID     `json:"cycle_id"`
	Cycle   string `json:"cycle"`
	Chair   bool   `json:"chair"`
}

func (h *Handler) handleMe(w http.ResponseWriter, r *http.Request) {
	a := httpx.ActorFrom(r.Context())
	me := Me{ID: ID(a.User.ID), Name: a.User.Name, Email: a.User.Email, Issuer: a.User.Issuer, Subject: a.User.Subject,
		Locale: a.User.Locale, Admin: a.User.IsAdmin, Roles: []string{}, Organisations: []MyMembership{}, Jury: []MySeat{},
		Owners: []MyOwner{}}
	for _, role := range a.Roles() {
		me.Roles = append(me.Roles, string(role))
	}
	for _, m := range a.Memberships {
		me.Organisations = append(me.Organisations, MyMembership{ID: ID(m.OrganisationID), Name: m.OrganisationName, Role: string(m.Role)})
	}
	for _, s := range a.Seats {
		me.Jury = append(me.Jury, MySeat{CycleID: ID(s.CycleID), Cycle: s.CycleTitle, Chair: s.Chair})
	}
	for _, o := range a.Owners {
		me.Owners = append(me.Owners, MyOwner{ID: ID(o.OwnerID), Name: o.OwnerName})
	}
	httpx.WriteJSON(w, http.StatusOK, me)
}

// Organisation is an organisation as the API shows it.
type Organisation struct {
	ID            ID      `json:"id"`
	Kind          string  `json:"kind"`
	Name          string  `json:"name"`
	Number        string  `json:"number,omitempty"`
	Orgnr         string  `json:"orgnr,omitempty"`
	County        string  `json:"county,omitempty"`
	ParentID      ID      `json:"parent_id,omitempty"`
	Parent        string  `json:"parent,omitempty"`
	Language      string  `json:"language"`
	ValidTo       *string `json:"valid_to,omitempty"`
	SuccessorID   ID      `json:"successor_id,omitempty"`
	SuccessorName string  `json:"successor_name,omitempty"`
}

func toOrganisation(o awards.Organisation) Organisation {
	out := Organisation{ID: ID(o.ID), Kind: string(o.Kind), Name: o.Name, Number: o.Number, Orgnr: o.Orgnr,
		County: o.CountyName, ParentID: ID(o.ParentID), Parent: o.ParentName, Language: o.Language, SuccessorID: ID(o.SuccessorID), SuccessorName: o.SuccessorName}
	if o.ValidTo != nil {
		d := o.ValidTo.Format(time.DateOnly)
		out.ValidTo = &d
	}
	return out
}

func (h *Handler) handleOrgList(w http.ResponseWriter, r *http.Request) {
	list, err := h.Orgs.Search(r.Context(), r.URL.Query().Get("q"), 100)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	out := make([]Organisation, len(list))
	for i, o := range list {
		out[i] = toOrganisation(o)
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"items": out})
}

func (h *Handler) handleOrgGet(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	o, err := h.Orgs.Get(r.Context(), id)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toOrganisation(o))
}

// OrganisationPatch changes an organisation's settings.
type OrganisationPatch struct {
	Orgnr       *string `json:"orgnr"`
	EmailDomain *string `json:"email_domain"`
	Language    *string `json:"language"`
}

func (h *Handler) handleOrgPatch(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id")
	if err != nil {
		h.Error(w, r, err)
		return
	}
	var in OrganisationPatch
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.Error(w, r, err)
		return
	}
	o, err := h.Orgs.Update(r.Context(), httpx.ActorFrom(r.Context()), id, orgs.Update{Orgnr: in.Orgnr, EmailDomain: in.EmailDomain, Language: in.Language})
	if err != nil {
		h.Error(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toOrganisation(o))
}
