package app_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/xuri/excelize/v2"
)

// decidingRun is a cycle being judged, chaired by jury-chair with jury-1
// on its jury: nominations by Bærum (scored 4 by both), Horten (scored 2
// by jury-1 with a signed comment, 4 by the chair) and Asker (scored by
// jury-1; the chair worked there and steps aside).
type decidingRun struct {
	a                     *apptest.App
	db                    *postgres.DB
	cycle                 string
	baerum, horten, asker string
}

func newDecidingRun(t *testing.T) decidingRun {
	t.Helper()
	x := decidingRun{a: apptest.Start(t)}
	ids := map[string]int64{}
	for _, u := range []string{"jury-chair", "jury-1"} {
		ids[u] = userID(t, x.a, x.a.Login(t, u))
	}
	x.db = nomDB(t, x.a)
	ctx := context.Background()
	x.cycle, _ = scoringCycle(t, x.db, "deciding-flow")
	x.baerum = scoringNomination(t, x.db, x.cycle, "Bærum")
	x.horten = scoringNomination(t, x.db, x.cycle, "Horten")
	x.asker = scoringNomination(t, x.db, x.cycle, "Asker")
	chairID := scoringSeat(t, x.db, x.cycle, ids["jury-chair"], true)
	jurorID := scoringSeat(t, x.db, x.cycle, ids["jury-1"], false)
	if _, err := x.db.ExecContext(ctx, `INSERT INTO conflicts (juror_id, organisation_id, kind, reason)
		SELECT ?, id, 'employed', 'Jobbet i Asker til i fjor' FROM organisations WHERE kind = 'municipality' AND name = 'Asker' AND valid_to IS NULL`, chairID); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{x.baerum, x.horten, x.asker} {
		scoringScore(t, x.db, jurorID, n, true)
	}
	scoringScore(t, x.db, chairID, x.baerum, true)
	scoringScore(t, x.db, chairID, x.horten, true)
	if _, err := x.db.ExecContext(ctx, `UPDATE scores s SET value = 2, comment = 'Lite nytt her. – JJ' FROM nominations n
		WHERE n.id = s.nomination_id AND n.public_id = ? AND s.juror_id = ?`, x.horten, jurorID); err != nil {
		t.Fatal(err)
	}
	return x
}

// TestDeciding walks the chair's part over HTTP: the ranking (page, a
// nomination's page, its strip plot and the API), a refused and an
// accepted decision, feedback started from the jurors' comments, the
// score exports and the report; the chair never sees the nomination they
// step aside from, which the admin does.
func TestDeciding(t *testing.T) {
	t.Parallel()
	x := newDecidingRun(t)
	a, db, ctx := x.a, x.db, context.Background()
	admin, chair, juror := a.Login(t, "admin"), a.Login(t, "jury-chair"), a.Login(t, "jury-1")
	cycle, baerum, horten, asker := x.cycle, x.baerum, x.horten, x.asker
	get := func(c *http.Client, path string, want int) string {
		t.Helper()
		status, body := a.Do(t, c, http.MethodGet, path, "")
		if status != want {
			t.Fatalf("GET %s: %d, want %d: %.400s", path, status, want, body)
		}
		return body
	}
	page := "/jury/" + cycle + "/"

	// The ranking page: Bærum (4, 4) above Horten (2, 4); Asker not there
	// for the chair, who is told one nomination is left out.
	body := get(chair, page+"rangering", http.StatusOK)
	for _, want := range []string{"Internt arbeidsdokument", "Innovasjon i Bærum", "Innovasjon i Horten", "Krippendorffs alfa",
		"Jurymedlemmenes strenghet", "poeng.svg", `loading="lazy"`, "1 nominasjon",
		// Plain words for the two rankings.
		"Plassen er justert for strenge og rause jurymedlemmer", "Justert snitt", "ujustert:",
		// Two nominations are too few for alpha to say anything.
		"vises ikke ennå: den sier noe først når minst 5 er vurdert av minst to jurymedlemmer, og nå er 2 det"} {
		if !strings.Contains(body, want) {
			t.Errorf("ranking page lacks %q", want)
		}
	}
	if strings.Contains(body, "Innovasjon i Asker") {
		t.Error("the chair's ranking shows the nomination they step aside from")
	}
	if strings.Index(body, "Innovasjon i Bærum") > strings.Index(body, "Innovasjon i Horten") {
		t.Error("Horten ranked above Bærum")
	}
	if body := get(chair, page+"rangering?uenighet=1", http.StatusOK); !strings.Contains(body, "Innovasjon i Horten") || strings.Contains(body, "Innovasjon i Bærum") {
		t.Error("the disagreement filter shows the wrong rows")
	}
	// Nothing decided yet: no finalists to show, and nothing after the page.
	if body := get(chair, page+"rangering?finalister=1", http.StatusOK); !strings.Contains(body, "Ingen nominasjoner å vise") ||
		!strings.HasSuffix(strings.TrimSpace(body), "</html>") || strings.Contains(body, `id="ranking"`) {
		t.Errorf("the finalists filter before any decision: %.300s", body[max(0, len(body)-300):])
	}
	if body := get(admin, page+"rangering", http.StatusOK); !strings.Contains(body, "Innovasjon i Asker") {
		t.Error("the admin's ranking lacks Asker")
	}
	get(chair, page+"rangering/"+asker, http.StatusNotFound)
	body = get(chair, page+"rangering/"+horten, http.StatusOK)
	if !strings.Contains(body, `role="img"`) || !strings.Contains(body, "Jon Jurymedlem") || !strings.Contains(body, "<caption>") {
		t.Error("a nomination's page lacks its strip plot or its table")
	}
	svgPath := page + "rangering/" + horten + "/poeng.svg"
	req, _ := http.NewRequest(http.MethodGet, a.URL+svgPath, nil)
	resp, err := chair.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	etag := resp.Header.Get("ETag")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/svg+xml; charset=utf-8" || etag == "" {
		t.Fatalf("strip plot: %d %s %q", resp.StatusCode, resp.Header.Get("Content-Type"), etag)
	}
	req.Header.Set("If-None-Match", etag)
	if resp, err = chair.Do(req); err != nil || resp.StatusCode != http.StatusNotModified {
		t.Fatalf("strip plot again: %v %v", resp.StatusCode, err)
	}
	resp.Body.Close()
	get(juror, page+"rangering", http.StatusForbidden)

	var rk struct {
		Rows []struct {
			Nomination string `json:"nomination_id"`
			ZRank      int    `json:"z_rank"`
			Disagree   bool
		}
		Hidden int
	}
	if err := json.Unmarshal([]byte(get(chair, "/api/v1/cycles/"+cycle+"/ranking", http.StatusOK)), &rk); err != nil {
		t.Fatal(err)
	}
	if len(rk.Rows) != 2 || rk.Rows[0].Nomination != baerum || rk.Rows[0].ZRank != 1 || !rk.Rows[1].Disagree || rk.Hidden != 1 {
		t.Errorf("ranking JSON %+v", rk)
	}

	// A winner without a statement is refused, with the message next to
	// the field and in the summary; then finalists and the winner.
	form := url.Values{"outcome-" + baerum: {"winner"}, "outcome-" + horten: {"finalist"}}
	status, body := a.Do(t, chair, http.MethodPost, page+"beslutning", form.Encode())
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "ds-error-summary") ||
		!strings.Contains(body, `href="#decision-statement_nb-`+baerum+`"`) || !strings.Contains(body, "Skriv juryens begrunnelse") {
		t.Fatalf("winner without a statement: %d %.600s", status, body)
	}
	form.Set("statement_nb-"+baerum, "Bærum bygger for alle.")
	if status, body := a.Do(t, chair, http.MethodPost, page+"beslutning", form.Encode()); status != http.StatusSeeOther {
		t.Fatalf("decision: %d %.400s", status, body)
	}
	body = get(chair, page+"beslutning", http.StatusOK)
	if !strings.Contains(body, "Bærum bygger for alle.") || !strings.Contains(body, "Registrert av Jorunn Juryleder") {
		t.Error("the decision page does not show the decision")
	}
	// Dropping Horten needs a reason.
	status, body = a.Do(t, admin, http.MethodPut, "/api/v1/cycles/"+cycle+"/decision",
		`{"decisions":[{"nomination_id":"`+baerum+`","outcome":"winner","statement_nb":"Bærum bygger for alle."}]}`)
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, `"reason"`) {
		t.Fatalf("change without a reason: %d %s", status, body)
	}
	var status2 string
	if err := db.NewRaw(`SELECT status FROM nominations WHERE public_id = ?`, baerum).Scan(ctx, &status2); err != nil || status2 != "submitted" {
		t.Errorf("the winner's status is %q (%v): the decision must not touch it", status2, err)
	}

	// Feedback, started from the comments, signature and all removed.
	fb := page + "tilbakemeldinger/" + horten
	if status, _ := a.Do(t, chair, http.MethodPost, fb+"/fra-kommentarer", ""); status != http.StatusSeeOther {
		t.Fatalf("from comments: %d", status)
	}
	var f struct {
		Body         string
		FromComments string `json:"from_comments"`
	}
	if err := json.Unmarshal([]byte(get(chair, "/api/v1/nominations/"+horten+"/feedback", http.StatusOK)), &f); err != nil {
		t.Fatal(err)
	}
	if f.Body != "Nytt:\n- Lite nytt her.\n\nNyttig:\n- Lite nytt her." || f.Body != f.FromComments {
		t.Errorf("feedback drafted as %q", f.Body)
	}
	// The same through the API adds the comments again below, losing nothing.
	drafted := f.Body
	status, body = a.Do(t, chair, http.MethodPost, "/api/v1/nominations/"+horten+"/feedback/from-comments", "")
	if err := json.Unmarshal([]byte(body), &f); err != nil || status != http.StatusOK || f.Body != drafted+"\n\n"+f.FromComments {
		t.Errorf("from comments through the API: %d %q (%v)", status, f.Body, err)
	}
	if status, _ := a.Do(t, chair, http.MethodPost, "/api/v1/nominations/"+asker+"/feedback/from-comments", ""); status != http.StatusNotFound {
		t.Errorf("from comments of a nomination not in the running: %d", status)
	}
	if body := get(chair, page+"tilbakemeldinger", http.StatusOK); !strings.Contains(body, "Utkast skrevet") || !strings.Contains(body, "Mangler") {
		t.Error("the feedback list lacks its statuses")
	}
	status, body = a.Do(t, chair, http.MethodPost, fb, "body="+strings.Repeat("x", 20001))
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, `aria-invalid="true"`) {
		t.Errorf("too long feedback: %d", status)
	}
	get(chair, "/api/v1/nominations/"+asker+"/feedback", http.StatusNotFound)

	// The exports, read back.
	csvBody := get(chair, "/api/v1/cycles/"+cycle+"/exports/scores.csv", http.StatusOK)
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvBody, "\ufeff")))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// Two criteria: jury-1 scored Bærum and Horten, the chair too; Asker's
	// scores are left out for the chair.
	if len(recs) != 1+8 || recs[0][0] != "Nominasjons-ID" {
		t.Errorf("chair's CSV: %d rows: %q", len(recs), recs)
	}
	for _, rec := range recs[1:] {
		if rec[0] == asker {
			t.Error("the chair's export has Asker's scores")
		}
		if strings.HasPrefix(rec[9], "Lite") && rec[8] != "2" {
			t.Errorf("Horten's row %q", rec)
		}
	}
	status, xlsx := a.Do(t, admin, http.MethodGet, "/api/v1/cycles/"+cycle+"/exports/scores.xlsx", "")
	if status != http.StatusOK {
		t.Fatalf("xlsx: %d", status)
	}
	wb, err := excelize.OpenReader(bytes.NewReader([]byte(xlsx)))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	rows, err := wb.GetRows("Poeng")
	if err != nil || len(rows) != 1+10 {
		t.Errorf("admin's workbook: %d rows (%v), want a header and 10", len(rows), err)
	}

	// The report.
	body = get(chair, page+"rapport", http.StatusOK)
	for _, want := range []string{"Juryens rapport", "Bærum bygger for alle.", "Inhabilitet", "deciding.css"} {
		if !strings.Contains(body, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(body, "Jobbet i Asker") {
		t.Error("the chair's report shows the conflict about a nomination hidden from them")
	}
	if body := get(admin, page+"rapport", http.StatusOK); !strings.Contains(body, "Jobbet i Asker til i fjor") || !strings.Contains(body, "Ansatt der") {
		t.Error("the admin's report lacks the chair's conflict")
	}
}

// TestDecidingWarnsOfUnfinishedScores: while a juror's scores are a draft
// or missing, the ranking and the decision pages say whose, and stop
// saying so once every juror has submitted.
func TestDecidingWarnsOfUnfinishedScores(t *testing.T) {
	t.Parallel()
	x := newDecidingRun(t)
	chair := x.a.Login(t, "jury-chair")
	page := func(path string) string {
		t.Helper()
		status, body := x.a.Do(t, chair, http.MethodGet, "/jury/"+x.cycle+"/"+path, "")
		if status != http.StatusOK {
			t.Fatalf("GET %s: %d", path, status)
		}
		return body
	}
	for _, path := range []string{"rangering", "beslutning"} {
		wantLacks(t, path+" with every score submitted", page(path), `id="unfinished"`)
	}
	jenny := scoringSeat(t, x.db, x.cycle, userID(t, x.a, x.a.Login(t, "jury-2")), false)
	scoringScore(t, x.db, jenny, x.baerum, false)
	for _, path := range []string{"rangering", "beslutning"} {
		wantContains(t, path+" with a draft", page(path), `id="unfinished"`, "Poengene er ikke ferdige",
			"Jenny Jurymedlem: 1 nominasjon med poeng i utkast, 1 nominasjon uten poeng")
	}
	for _, n := range []string{x.baerum, x.horten} {
		if _, err := x.db.ExecContext(context.Background(), `INSERT INTO score_submissions (juror_id, nomination_id) SELECT ?, id FROM nominations WHERE public_id = ?`, jenny, n); err != nil {
			t.Fatal(err)
		}
	}
	wantLacks(t, "ranking once Jenny submitted", page("rangering"), `id="unfinished"`)
}
