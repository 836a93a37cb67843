package ui

import (
	"net/http"

	"github.com/heder-awards/heder/internal/httpx"
	"github.com/heder-awards/heder/internal/policy"
)

// Routes lists the HTML routes with their gates.
func (h *Handler) Routes() []httpx.Route {
	routes := []httpx.Route{
		{Method: http.MethodGet, Pattern: "/", Gate: policy.Public, Handler: h.handleHome},
		{Method: http.MethodGet, Pattern: "/om", Gate: policy.Public, Handler: h.handleAbout},
		{Method: http.MethodGet, Pattern: "/personvern", Gate: policy.Public, Handler: h.handlePrivacyStatement},
		{Method: http.MethodGet, Pattern: "/lang/{code}", Gate: policy.Public, Handler: h.handleLang},
		{Method: http.MethodGet, Pattern: "/auth/login", Gate: policy.Public, Handler: h.handleLogin},
		{Method: http.MethodGet, Pattern: "/auth/callback", Gate: policy.Public, Handler: h.handleCallback},
		{Method: http.MethodPost, Pattern: "/auth/logout", Gate: policy.Public, Handler: h.handleLogout},
		{Method: http.MethodGet, Pattern: "/organisasjoner", Gate: policy.LoggedIn, Handler: h.handleOrgList},
		{Method: http.MethodPost, Pattern: "/organisasjoner", Gate: policy.SiteAdmin, Handler: h.handleOrgCreate},
		{Method: http.MethodGet, Pattern: "/organisasjoner/{id}", Gate: policy.LoggedIn, Handler: h.handleOrgShow},
		{Method: http.MethodPost, Pattern: "/organisasjoner/{id}", Gate: policy.SiteAdmin, Handler: h.handleOrgUpdate},
		{Method: http.MethodPost, Pattern: "/organisasjoner/{id}/tilgang", Gate: policy.LoggedIn, Handler: h.handleOrgRequestAccess},
		{Method: http.MethodPost, Pattern: "/organisasjoner/{id}/medlemmer", Gate: policy.LoggedIn, Handler: h.handleOrgAddMember},
		{Method: http.MethodPost, Pattern: "/organisasjoner/{id}/medlemmer/{user}/fjern", Gate: policy.LoggedIn, Handler: h.handleOrgRemoveMember},
		{Method: http.MethodPost, Pattern: "/foresporsler/{id}", Gate: policy.LoggedIn, Handler: h.handleRequestDecide},
		{Method: http.MethodGet, Pattern: "/admin", Gate: policy.SiteAdmin, Handler: h.handleAdmin},
		{Method: http.MethodPost, Pattern: "/admin/brukere/{id}/admin", Gate: policy.SiteAdmin, Handler: h.handleAdminGrant},
		{Method: http.MethodGet, Pattern: "/nominasjoner/{id}/kvittering", Gate: policy.LoggedIn, Handler: h.handleReceipt},
	}
	routes = append(routes, h.cycleRoutes()...)
	routes = append(routes, h.roundRoutes()...)
	routes = append(routes, h.profileRoutes()...)
	routes = append(routes, h.attachmentRoutes()...)
	routes = append(routes, h.nominationRoutes()...)
	routes = append(routes, h.jointRoutes()...)
	routes = append(routes, h.reviewRoutes()...)
	routes = append(routes, h.assignmentRoutes()...)
	routes = append(routes, h.bidRoutes()...)
	routes = append(routes, h.juryRoutes()...)
	routes = append(routes, h.scoringRoutes()...)
	routes = append(routes, h.votingRoutes()...)
	routes = append(routes, h.publicationRoutes()...)
	routes = append(routes, h.decidingRoutes()...)
	routes = append(routes, h.diplomaRoutes()...)
	routes = append(routes, h.noarkRoutes()...)
	routes = append(routes, h.archiveRoutes()...)
	routes = append(routes, h.auditRoutes()...)
	routes = append(routes, h.outboxRoutes()...)
	routes = append(routes, h.optoutRoutes()...)
	routes = append(routes, h.ownerRoutes()...)
	return append(routes, h.devMailRoutes()...)
}
