package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"
)

func init() {
	authzAreas = append(authzAreas, authzArea{name: "attachments", setup: attachmentsSetup, rows: attachmentsRows})
}

// authzFiles are the public IDs the attachment rows use: a project of
// Asker's with an uploaded file, linked to a draft nomination in a cycle
// of the ministry's award (which eier-kdd administers, eier-socentral
// not), and a file of a frozen project (part of a submitted nomination in
// that cycle, being judged), which nobody may delete, so that the delete
// rows test every role rather than stop at the first that succeeds.
var authzFiles struct{ project, file, frozenFile string }

func attachmentsSetup(t *testing.T, f *fixture) {
	ctx := context.Background()
	db := filesDB(t, f.a)
	authzFiles.project = filesProject(t, db, "Holmen svømmehall")
	resp, body := postFile(t, f.a, f.clients["asker"], "/api/v1/projects/"+authzFiles.project+"/attachments", "plan.pdf", "",
		bytes.NewReader(tinyPDF), nil)
	var file struct{ ID string }
	if err := json.Unmarshal([]byte(body), &file); resp.StatusCode != http.StatusCreated || err != nil {
		t.Fatalf("upload: %d %v %s", resp.StatusCode, err, body)
	}
	authzFiles.file = file.ID

	frozen := filesProject(t, db, "Løsningsjakten på Borgen")
	err := db.NewRaw(`
		WITH a AS (INSERT INTO awards (slug, name_nb, owner_id) VALUES ('vedlegg-authz', 'Vedleggsprisen', `+demoOwner+`) RETURNING id),
		c AS (INSERT INTO cycles (award_id, year, title, phase) SELECT id, 2017, 'Vedleggsprisen 2017', 'judging' FROM a RETURNING id),
		n AS (INSERT INTO nominations (cycle_id, title, status) SELECT id, 'Asker kommune', 'submitted' FROM c RETURNING id),
		o AS (INSERT INTO nomination_organisations (nomination_id, organisation_id)
			SELECT n.id, p.organisation_id FROM n, projects p WHERE p.public_id = ?),
		np AS (INSERT INTO nomination_projects (nomination_id, project_id) SELECT n.id, p.id FROM n, projects p WHERE p.public_id = ?)
		INSERT INTO attachments (project_id, filename, content_type, size, sha256, storage_key)
		SELECT id, 'jury.pdf', 'application/pdf', 1, '00', 'attachments/authz-frozen' FROM projects WHERE public_id = ?
		RETURNING public_id`, frozen, frozen, frozen).Scan(ctx, &authzFiles.frozenFile)
	if err != nil {
		t.Fatalf("freeze project: %v", err)
	}
	_, err = db.ExecContext(ctx, `
		WITH n AS (INSERT INTO nominations (cycle_id, title, status)
			SELECT c.id, 'Asker kommune', 'draft' FROM cycles c JOIN awards a ON a.id = c.award_id WHERE a.slug = 'vedlegg-authz' RETURNING id),
		o AS (INSERT INTO nomination_organisations (nomination_id, organisation_id)
			SELECT n.id, p.organisation_id FROM n, projects p WHERE p.public_id = ?)
		INSERT INTO nomination_projects (nomination_id, project_id) SELECT n.id, p.id FROM n, projects p WHERE p.public_id = ?`,
		authzFiles.project, authzFiles.project)
	if err != nil {
		t.Fatalf("nominate project: %v", err)
	}
}

func attachmentsRows(*fixture) map[string]authzCase {
	project, file, frozen := authzFiles.project, authzFiles.file, authzFiles.frozenFile
	return map[string]authzCase{
		// Asker sees and changes its files; the site admin and the owner
		// admin of the award it is nominated to see them; others learn nothing.
		"GET /prosjekter/{id}/vedlegg": {"/prosjekter/" + project + "/vedlegg", "", [8]int{see, ok, notFound, notFound, notFound, notFound, ok, ok}},
		// A form without a file: Asker is told to choose one, admins may not upload.
		"POST /prosjekter/{id}/vedlegg": {"/prosjekter/" + project + "/vedlegg", "alt_text=Et+bilde",
			[8]int{see, invalid, notFound, notFound, notFound, notFound, forbid, forbid}},
		"GET /vedlegg/{id}":        {"/vedlegg/" + file, "", [8]int{see, ok, notFound, notFound, notFound, notFound, ok, ok}},
		"POST /vedlegg/{id}/slett": {"/vedlegg/" + frozen + "/slett", "", [8]int{see, forbid, notFound, notFound, notFound, notFound, forbid, forbid}},

		"GET /api/v1/projects/{id}/attachments": {"/api/v1/projects/" + project + "/attachments", "",
			[8]int{unauth, ok, notFound, notFound, notFound, notFound, ok, ok}},
		"POST /api/v1/projects/{id}/attachments": {"/api/v1/projects/" + project + "/attachments", `{"alt_text":"Et bilde"}`,
			[8]int{unauth, invalid, notFound, notFound, notFound, notFound, forbid, forbid}},
		"GET /api/v1/attachments/{id}":    {"/api/v1/attachments/" + file, "", [8]int{unauth, ok, notFound, notFound, notFound, notFound, ok, ok}},
		"DELETE /api/v1/attachments/{id}": {"/api/v1/attachments/" + frozen, "", [8]int{unauth, forbid, notFound, notFound, notFound, notFound, forbid, forbid}},
	}
}
