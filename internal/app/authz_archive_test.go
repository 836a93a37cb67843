package app_test

import (
	"fmt"
	"testing"
)

func init() {
	authzAreas = append(authzAreas, authzArea{name: "archive", setup: archiveSetup, rows: archiveRows})
}

// authzArchive is what the archive rows use: the demo's published 2017
// and its winner's project, a former municipality (Oppegård), and a
// public picture on a project linked to a public nomination.
var authzArchive struct {
	demo        demoArchive
	file        publicFile
	fileProject string
}

func archiveSetup(t *testing.T, f *fixture) {
	db := filesDB(t, f.a)
	authzArchive.demo = loadDemoArchive(t, db)
	authzArchive.file = publishPicture(t, f.a, db, f.clients["asker"], authzArchive.demo.traena2018)
}

// archiveRows: the archive is public and the same for everyone, logged
// in or not; what is not public is not found, whoever asks.
func archiveRows(*fixture) map[string]authzCase {
	d, file := authzArchive.demo, authzArchive.file
	all := func(status int) [8]int { return [8]int{status, status, status, status, status, status, status, status} }
	return map[string]authzCase{
		"GET /priser":                       {"/priser", "", all(ok)},
		"GET /priser/feed.atom":             {"/priser/feed.atom", "", all(ok)},
		"GET /priser/{slug}":                {"/priser/kommunal-innovasjonspris", "", all(ok)},
		"GET /priser/{slug}/feed.atom":      {"/priser/kommunal-innovasjonspris/feed.atom?lang=en", "", all(ok)},
		"GET /priser/{slug}/{year}":         {"/priser/kommunal-innovasjonspris/2017", "", all(ok)},
		"GET /prosjekter/{id}":              {"/prosjekter/" + d.holmen, "", all(ok)},
		"GET /prosjekter/{id}/filer/{file}": {"/prosjekter/" + file.project + "/filer/" + file.id, "", all(ok)},
		"GET /kommuner/{id}":                {fmt.Sprintf("/kommuner/%d", d.oppegard), "", all(ok)},
		"GET /sok":                          {"/sok?q=sv%C3%B8mmehallen&ar=2017", "", all(ok)},
		"GET /sitemap.xml":                  {"/sitemap.xml", "", all(ok)},
		"GET /sitemap-{part}.xml":           {"/sitemap-1.xml", "", all(ok)},
		"GET /robots.txt":                   {"/robots.txt", "", all(ok)},

		"GET /api/v1/public/awards":               {"/api/v1/public/awards?per_page=5", "", all(ok)},
		"GET /api/v1/public/awards/{slug}":        {"/api/v1/public/awards/kommunal-innovasjonspris", "", all(ok)},
		"GET /api/v1/public/awards/{slug}/{year}": {"/api/v1/public/awards/kommunal-innovasjonspris/2018", "", all(ok)},
		"GET /api/v1/public/projects/{id}":        {"/api/v1/public/projects/" + d.holmen, "", all(ok)},
		"GET /api/v1/public/organisations/{id}":   {fmt.Sprintf("/api/v1/public/organisations/%d", d.nordreFollo), "", all(ok)},
		"GET /api/v1/public/search":               {"/api/v1/public/search?q=Tr%C3%A6na", "", all(ok)},
	}
}
