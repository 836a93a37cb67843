package app_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/apptest"
)

// auditItem is an entry as GET /api/v1/audit gives it.
type auditItem struct {
	ID    apiID
	At    string
	Actor *struct {
		ID   apiID
		Name string
	}
	Action      string
	ActionLabel string `json:"action_label"`
	Entity      string
	Subject     *struct{ Kind, ID, Title string }
	Changes     []struct {
		Field         string
		Before, After *string
	}
	Before, After json.RawMessage
}

type auditPageJSON struct {
	Items []auditItem
	Next  *string
}

// TestAuditLog walks the audit page and its API over HTTP: a
// nomination's entries as its submitter made them, found by cycle,
// nomination, person and action, with the fields that changed; the CSV
// export parsed back; keyset pages; bad filters; and the personal data
// kept out of caches.
func TestAuditLog(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	db := nomDB(t, a)
	kari := nomClient{t: t, a: a, c: a.Login(t, "asker")}
	admin := nomClient{t: t, a: a, c: a.Login(t, "admin")}
	kariID := userID(t, a, kari.c)
	cycle := nomCycle(t, db, "logg", "now() + interval '30 days'", 0, 3)
	nom := kari.complete(cycle)
	v := kari.get(nom)
	kari.call(http.MethodPatch, "/api/v1/nominations/"+nom, fmt.Sprintf(`{"version":%d,"title":"Innovasjon i hele Asker"}`, v.Version), http.StatusOK)
	kari.call(http.MethodPost, "/api/v1/nominations/"+nom+"/submit", "", http.StatusOK)

	list := func(query string) auditPageJSON {
		t.Helper()
		var p auditPageJSON
		if err := json.Unmarshal([]byte(admin.call(http.MethodGet, "/api/v1/audit?"+query, "", http.StatusOK)), &p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	actions := func(p auditPageJSON) string {
		var s []string
		for _, e := range p.Items {
			s = append(s, e.Entity+":"+e.Action)
		}
		return strings.Join(s, " ")
	}

	// The nomination's entries, newest first: its project's too.
	byNom := list("nomination=" + nom)
	if got, want := actions(byNom), "nomination:submit nomination:update nomination:link_project project:create nomination:create"; got != want {
		t.Fatalf("nomination's entries = %q, want %q", got, want)
	}
	upd := byNom.Items[1]
	if upd.Actor == nil || int64(upd.Actor.ID) != kariID || upd.ActionLabel != "Endret" || upd.Subject == nil ||
		upd.Subject.Kind != "nomination" || upd.Subject.ID != nom || upd.Subject.Title != "Innovasjon i hele Asker" {
		t.Errorf("update entry = %+v", upd)
	}
	var titleChanged bool
	for _, c := range upd.Changes {
		if c.Field == "title" && *c.Before == "Innovasjon i hele kommunen" && *c.After == "Innovasjon i hele Asker" {
			titleChanged = true
		}
		if c.Field == "summary" || c.Field == "contact_email" {
			t.Errorf("unchanged field %s listed as changed", c.Field)
		}
	}
	if !titleChanged {
		t.Errorf("changes = %+v, want the title", upd.Changes)
	}
	if at, err := time.Parse(time.RFC3339, upd.At); err != nil || !strings.HasSuffix(upd.At, "+01:00") && !strings.HasSuffix(upd.At, "+02:00") ||
		time.Since(at) > time.Hour {
		t.Errorf("at = %q (%v), want now in Europe/Oslo", upd.At, err)
	}
	// The cycle finds the same (the cycle row itself was made in SQL,
	// without an entry); the person and the action narrow it.
	if got := actions(list("cycle=" + cycle)); got != actions(byNom) {
		t.Errorf("cycle's entries = %q", got)
	}
	if got := actions(list(fmt.Sprintf("cycle=%s&actor=%d&action=submit", cycle, kariID))); got != "nomination:submit" {
		t.Errorf("combined filter = %q", got)
	}
	today := time.Now().In(time.FixedZone("", 0)).Format(time.DateOnly)
	if got := actions(list("cycle=" + cycle + "&to=2020-01-01")); got != "" {
		t.Errorf("entries before 2020 = %q", got)
	}
	if p := list("cycle=" + cycle + "&from=2020-01-01"); len(p.Items) != 5 {
		t.Errorf("entries from 2020 (today %s) = %d", today, len(p.Items))
	}
	for _, e := range list("actor=system").Items {
		if e.Actor != nil {
			t.Errorf("system filter gives %+v", e)
		}
	}

	// The action in the reader's language.
	english := nomClient{t: t, a: a, c: a.Login(t, "admin")}
	english.call(http.MethodGet, "/lang/en?next=/", "", http.StatusSeeOther)
	var en auditPageJSON
	if err := json.Unmarshal([]byte(english.call(http.MethodGet, "/api/v1/audit?action=submit&nomination="+nom, "", http.StatusOK)), &en); err != nil ||
		len(en.Items) != 1 || en.Items[0].ActionLabel != "Submitted" {
		t.Errorf("in English: %+v (%v)", en, err)
	}
	// The choice is the person's, in every session: back to bokmål.
	english.call(http.MethodGet, "/lang/nb?next=/", "", http.StatusSeeOther)

	// Keyset pages: 60 more entries of the nomination make two pages; one
	// written between them does not shift the second.
	if _, err := db.ExecContext(context.Background(), `INSERT INTO audit_log (actor_id, action, entity, entity_id, after)
		SELECT ?, 'update', 'nomination', n.id, jsonb_build_object('title', 'v' || g) FROM nominations n, generate_series(1, 60) g
		WHERE n.public_id = ?`, kariID, nom); err != nil {
		t.Fatal(err)
	}
	p1 := list("nomination=" + nom)
	if len(p1.Items) != 50 || p1.Next == nil || !strings.Contains(*p1.Next, "nomination="+nom) {
		t.Fatalf("first page: %d items, next %v", len(p1.Items), p1.Next)
	}
	if _, err := db.ExecContext(context.Background(), `INSERT INTO audit_log (action, entity, entity_id) SELECT 'update', 'nomination', id FROM nominations WHERE public_id = ?`, nom); err != nil {
		t.Fatal(err)
	}
	var p2 auditPageJSON
	if err := json.Unmarshal([]byte(admin.call(http.MethodGet, *p1.Next, "", http.StatusOK)), &p2); err != nil {
		t.Fatal(err)
	}
	if len(p2.Items) != 15 || p2.Next != nil || p2.Items[0].ID >= p1.Items[49].ID || p2.Items[14].Action != "create" {
		t.Errorf("second page: %d items, next %v, first %d after %d", len(p2.Items), p2.Next, p2.Items[0].ID, p1.Items[49].ID)
	}

	// The CSV: the same entries, all of them, parsed back.
	status, header, body := a.DoHeader(t, admin.c, http.MethodGet, "/api/v1/audit.csv?nomination="+nom, "")
	if status != http.StatusOK || header.Get("Content-Type") != "text/csv; charset=utf-8" || header.Get("Cache-Control") != "no-store" ||
		!strings.HasPrefix(header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("csv: %d %v", status, header)
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != "id,at,actor_id,actor_name,action,entity,entity_id,subject_kind,subject_id,subject_title,before,after" {
		t.Errorf("header = %q", rows[0])
	}
	// The CSV keeps the fields' names, for machines.
	if !strings.Contains(body, `""contact_email""`) {
		t.Errorf("the CSV lacks the field name contact_email")
	}
	if len(rows) != 1+66 {
		t.Errorf("csv has %d rows, want 66 and the header", len(rows)-1)
	}
	for _, r := range rows[1:] {
		if _, err := time.Parse(time.RFC3339, r[1]); err != nil {
			t.Errorf("at %q: %v", r[1], err)
		}
		for _, j := range r[10:] {
			if j != "" && !json.Valid([]byte(j)) {
				t.Errorf("before/after %q is not JSON", j)
			}
		}
	}
	sub := rows[len(rows)-5] // the oldest five: create … submit, newest first
	if sub[4] != "submit" || sub[7] != "nomination" || sub[8] != nom || sub[2] != fmt.Sprint(kariID) {
		t.Errorf("submit row = %q", sub)
	}
	var after map[string]any
	if err := json.Unmarshal([]byte(sub[11]), &after); err != nil || after["status"] != "submitted" {
		t.Errorf("submit's after = %q (%v)", sub[11], err)
	}

	// Bad filters: problem details with a machine code per field.
	for _, tc := range []struct{ path, field, code string }{
		{"/api/v1/audit?cycle=finnesikke", "cycle", "unknown_reference"},
		{"/api/v1/audit?from=7.12.2026", "from", "invalid_format"},
		{"/api/v1/audit?from=2026-12-07&to=2026-12-06", "to", "wrong_order"},
		{"/api/v1/audit?actor=kari", "actor", "invalid_format"},
		{"/api/v1/audit.csv?nomination=finnesikke", "nomination", "unknown_reference"},
	} {
		var p struct {
			Code   string
			Errors map[string]string
			Codes  map[string]string
		}
		if err := json.Unmarshal([]byte(admin.call(http.MethodGet, tc.path, "", http.StatusUnprocessableEntity)), &p); err != nil {
			t.Fatal(err)
		}
		if p.Codes[tc.field] != tc.code || p.Errors[tc.field] == "" || strings.HasPrefix(p.Errors[tc.field], "audit.") {
			t.Errorf("%s: problem %+v", tc.path, p)
		}
	}

	// The page: who, what with its link, when, and the changed fields.
	page := admin.call(http.MethodGet, "/admin/logg?nomination="+nom+"&action=update&actor="+fmt.Sprint(kariID), "", http.StatusOK)
	wantContains(t, "page", page, "<h1 class=\"ds-heading\" data-size=\"lg\">Endringslogg</h1>", `href="/nominasjoner/`+nom+`"`,
		"<strong>Endret</strong>", "Nominasjon:", "<time datetime=", "kl.", `<th scope="row"><span data-name="title">Tittel</span></th>`, "<td>v60</td>",
		`href="/api/v1/audit.csv?action=update&amp;actor=`, "rel=\"next\"", "Eldre oppføringer")
	if strings.Contains(page, "audit.") && strings.Contains(page, ">audit.") {
		t.Errorf("page shows a message ID")
	}
	page = admin.call(http.MethodGet, "/admin/logg?actor=system&cycle="+cycle, "", http.StatusOK)
	wantContains(t, "system entry", page, "<span class=\"ds-tag\" data-color=\"neutral\">Heder</span>")
	page = admin.call(http.MethodGet, "/admin/logg?cycle=finnesikke&from=2026-12-07&to=2026-12-01", "", http.StatusUnprocessableEntity)
	wantContains(t, "bad page", page, `href="#filter-cycle"`, `id="filter-cycle-error"`, "Det finnes ingen syklus med denne ID-en",
		`href="#filter-to"`, `id="filter-to-error"`, "Til-datoen må være samme dag som fra-datoen eller senere")
	_, header, _ = a.DoHeader(t, admin.c, http.MethodGet, "/admin/logg", "")
	if header.Get("Cache-Control") != "no-store" {
		t.Errorf("page Cache-Control = %q", header.Get("Cache-Control"))
	}
	wantContains(t, "admin page", admin.call(http.MethodGet, "/admin", "", http.StatusOK), `href="/admin/logg"`)
}
