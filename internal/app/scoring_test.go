package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/heder-awards/heder/internal/apptest"
)

// scoringRun is a cycle being judged with jury-1 and jury-chair on its
// jury, for the scoring scenarios.
type scoringRun struct {
	t        *testing.T
	a        *apptest.App
	f        *fixture
	cycle    string
	crit     [2]int64
	jurors   map[string]int64
	clients  map[string]*http.Client
	nominees map[string]string
}

func newScoringRun(t *testing.T) *scoringRun {
	t.Helper()
	a := apptest.Start(t)
	f := &fixture{a: a, clients: map[string]*http.Client{}, ids: map[string]int64{}, res: map[string]int64{}}
	s := &scoringRun{t: t, a: a, f: f, jurors: map[string]int64{}, clients: map[string]*http.Client{}, nominees: map[string]string{}}
	for _, u := range []string{"jury-1", "jury-chair", "admin", "asker"} {
		s.clients[u] = a.Login(t, u)
		f.ids[u] = userID(t, a, s.clients[u])
	}
	db := scoringDB(t, f)
	s.cycle, s.crit[0] = scoringCycle(t, db, "scoring-run")
	s.crit[1] = s.crit[0] + 1
	for _, u := range []string{"jury-1", "jury-chair"} {
		s.jurors[u] = scoringSeat(t, db, s.cycle, f.ids[u], u == "jury-chair")
	}
	for _, org := range []string{"Bærum", "Sandnes", "Træna"} {
		s.nominees[org] = scoringNomination(t, db, s.cycle, org)
	}
	// jury-1 stepped aside for Træna.
	if _, err := db.ExecContext(context.Background(), `INSERT INTO conflicts (juror_id, organisation_id, kind, reason)
		SELECT ?, id, 'employed', 'Søsteren min jobber der' FROM organisations WHERE kind = 'municipality' AND name = 'Træna' AND valid_to IS NULL`, s.jurors["jury-1"]); err != nil {
		t.Fatal(err)
	}
	return s
}

// do sends a request as who and fails unless the status is want.
func (s *scoringRun) do(who, method, path, body string, want int) string {
	s.t.Helper()
	status, got := s.a.Do(s.t, s.clients[who], method, path, body)
	if status != want {
		s.t.Fatalf("%s %s as %s: status %d, want %d: %.800s", method, path, who, status, want, got)
	}
	return got
}

// page gets a page as who, following the redirect after a form.
func (s *scoringRun) page(who, path string) string {
	s.t.Helper()
	return s.do(who, http.MethodGet, path, "", http.StatusOK)
}

func (s *scoringRun) screen(org string) string {
	return "/jury/" + s.cycle + "/nominasjoner/" + s.nominees[org]
}

func wantText(t *testing.T, what, body string, texts ...string) {
	t.Helper()
	for _, text := range texts {
		if !strings.Contains(body, text) {
			t.Errorf("%s: %q missing in %.3000s", what, text, body)
		}
	}
}

// oneSummary fails unless a refused page has one error summary, every
// link in it naming its field ("Field: message"), and no second alert.
func oneSummary(t *testing.T, what, body string) {
	t.Helper()
	if n := strings.Count(body, `class="ds-error-summary"`); n != 1 {
		t.Errorf("%s: %d error summaries, want 1", what, n)
	}
	if strings.Contains(body, `class="ds-alert" data-color="danger"`) {
		t.Errorf("%s: an alert besides the error summary", what)
	}
	for _, m := range regexp.MustCompile(`<li><a class="ds-link" href="#[^"]+">([^<]*)</a></li>`).FindAllStringSubmatch(body, -1) {
		if !strings.Contains(m[1], ": ") {
			t.Errorf("%s: the summary's %q does not name its field", what, m[1])
		}
	}
}

func wantNoText(t *testing.T, what, body string, texts ...string) {
	t.Helper()
	for _, text := range texts {
		if strings.Contains(body, text) {
			t.Errorf("%s: %q should not be there", what, text)
		}
	}
}

// TestScoringJourney walks a juror through the list, the scoring screen,
// a refused and an accepted save, submission, the other jurors' scores,
// the discussion and the chair's reopening, in the browser's forms.
func TestScoringJourney(t *testing.T) {
	t.Parallel()
	s := newScoringRun(t)

	list := s.page("jury-1", "/jury/"+s.cycle)
	wantText(t, "list", list, "Nominasjonene du skal vurdere", "Frist ", "om 3 dager", "0 av 2 vurdert", "Internt arbeidsdokument",
		"Innovasjon i Bærum", "Innovasjon i Sandnes", "Ikke startet")
	wantNoText(t, "list", list, "Innovasjon i Træna")
	// The juror's home points to the jury's work, not to joining an
	// organisation.
	wantNoText(t, "juror's home", s.page("jury-1", "/"), "Be om tilgang til en organisasjon")
	sorted := s.page("jury-1", "/jury/"+s.cycle+"?sort=title&dir=desc")
	if strings.Index(sorted, "Innovasjon i Sandnes") > strings.Index(sorted, "Innovasjon i Bærum") {
		t.Error("sorting by title, descending: Sandnes should come first")
	}
	wantText(t, "sorted list", sorted, `aria-sort="descending"`)

	scr := s.page("jury-1", s.screen("Bærum"))
	wantText(t, "screen", scr, "Helhetlig og systematisk.", "Velferdslab", "Bærum", "Nytt", "Er det nytt for kommunen",
		`<fieldset class="ds-fieldset scoring-criterion"`, `type="radio"`, "1 (lavest)", "5 (høyest)", "Ingen karakter",
		"Send inn mine vurderinger", "Neste nominasjon", s.nominees["Sandnes"], `src="/static/scoring.js?v=`)
	wantNoText(t, "screen before submitting", scr, "Juryens vurderinger", "Juryens diskusjon")
	// Træna's nomination is not there for jury-1.
	s.do("jury-1", http.MethodGet, s.screen("Træna"), "", http.StatusNotFound)

	// A tampered score: an error summary linked to the field, the message
	// beside it, the person's own comment kept, and nothing stored.
	bad := fmt.Sprintf("score-%d=7&comment-%d=Mitt+utkast&score-%d=&comment-%d=&action=save", s.crit[0], s.crit[0], s.crit[1], s.crit[1])
	refused := s.do("jury-1", http.MethodPost, s.screen("Bærum"), bad, http.StatusUnprocessableEntity)
	wantText(t, "refused save", refused, "ds-error-summary", fmt.Sprintf(`href="#score-%d"`, s.crit[0]), "Velg en karakter på skalaen.",
		fmt.Sprintf(`id="score-%d-error"`, s.crit[0]), "Mitt utkast")
	oneSummary(t, "refused save", refused)
	// Half done: saved as a draft.
	half := fmt.Sprintf("score-%d=4&comment-%d=Nytt+i+Norge&score-%d=&comment-%d=&action=save", s.crit[0], s.crit[0], s.crit[1], s.crit[1])
	s.do("jury-1", http.MethodPost, s.screen("Bærum"), half, http.StatusSeeOther)
	scr = s.page("jury-1", s.screen("Bærum"))
	wantText(t, "after saving", scr, "Vurderingene er lagret som utkast", "Lagret ", "Utkast", "Nytt i Norge",
		fmt.Sprintf(`id="score-%d-3" name="score-%d" value="4" checked`, s.crit[0], s.crit[0]), "Uten karakter:")
	// Submitting with one missing: the summary names it, nothing is locked.
	submitHalf := strings.Replace(half, "action=save", "action=submit", 1)
	refused = s.do("jury-1", http.MethodPost, s.screen("Bærum"), submitHalf, http.StatusUnprocessableEntity)
	wantText(t, "incomplete submit", refused, "Gi karakter på alle kriteriene før du sender inn", fmt.Sprintf(`href="#score-%d"`, s.crit[1]),
		"Gi karakter før du sender inn.")
	oneSummary(t, "incomplete submit", refused)
	// Save and go on to the next nomination.
	next := s.do("jury-1", http.MethodPost, s.screen("Bærum"), strings.Replace(half, "action=save", "action=next&next="+s.nominees["Sandnes"], 1), http.StatusSeeOther)
	_ = next
	full := fmt.Sprintf("score-%d=4&comment-%d=Nytt+i+Norge&score-%d=3&comment-%d=&action=submit", s.crit[0], s.crit[0], s.crit[1], s.crit[1])
	s.do("jury-1", http.MethodPost, s.screen("Bærum"), full, http.StatusSeeOther)
	scr = s.page("jury-1", s.screen("Bærum"))
	wantText(t, "after submitting", scr, "Vurderingene dine er sendt inn", "Juryens vurderinger", "Juryens diskusjon",
		"Ingen andre har sendt inn", "Vurderingene dine er låst")
	wantNoText(t, "after submitting", scr, `type="radio"`)
	// The form cannot be replayed.
	refused = s.do("jury-1", http.MethodPost, s.screen("Bærum"), full, http.StatusConflict)
	wantText(t, "second submit", refused, "Du har alt sendt inn vurderingene")

	// The chair scores too, then sees jury-1's scores and comment with the
	// spread, writes in the discussion, and reopens jury-1's scores.
	chairFull := fmt.Sprintf("score-%d=2&comment-%d=&score-%d=3&comment-%d=Usikker&action=submit", s.crit[0], s.crit[0], s.crit[1], s.crit[1])
	s.do("jury-chair", http.MethodPost, s.screen("Bærum"), chairFull, http.StatusSeeOther)
	scr = s.page("jury-chair", s.screen("Bærum"))
	wantText(t, "chair after submitting", scr, "Jon Jurymedlem", "Nytt i Norge", "2–4 (snitt 3, standardavvik 1)",
		"Åpne vurderingene til Jon Jurymedlem igjen", "Åpne vurderingene dine igjen")
	wantNoText(t, "chair after submitting", scr, "til Du ")
	// The chair's own scores are "yours", not "Du"'s, in every language.
	for _, c := range []struct{ lang, own, other, wrong string }{
		{"nn", "Opne vurderingane dine igjen", "Opne vurderingane til Jon Jurymedlem igjen", "til Du "},
		{"en", "Reopen your own scores", "Reopen the scores of Jon Jurymedlem", "of You"},
	} {
		s.do("jury-chair", http.MethodGet, "/lang/"+c.lang+"?next=/", "", http.StatusSeeOther)
		scr := s.page("jury-chair", s.screen("Bærum"))
		wantText(t, "chair in "+c.lang, scr, c.own, c.other)
		wantNoText(t, "chair in "+c.lang, scr, c.wrong)
	}
	s.do("jury-chair", http.MethodGet, "/lang/nb?next=/", "", http.StatusSeeOther)
	refused = s.do("jury-chair", http.MethodPost, s.screen("Bærum")+"/kommentarer", "body=", http.StatusUnprocessableEntity)
	wantText(t, "empty comment", refused, `href="#body">Nytt innlegg i diskusjonen: `)
	oneSummary(t, "empty comment", refused)
	s.do("jury-chair", http.MethodPost, s.screen("Bærum")+"/kommentarer", "body=Sterk+på+nytt%2C+svak+på+spredning", http.StatusSeeOther)
	scr = s.page("jury-1", s.screen("Bærum"))
	wantText(t, "discussion", scr, "Sterk på nytt, svak på spredning", "Jorunn Juryleder")
	reopen := fmt.Sprintf("juror_id=%d&reason=", s.jurors["jury-1"])
	refused = s.do("jury-chair", http.MethodPost, s.screen("Bærum")+"/gjenapne", reopen, http.StatusUnprocessableEntity)
	wantText(t, "reopen without reason", refused, fmt.Sprintf(`href="#reason-%d">Begrunnelse: `, s.jurors["jury-1"]))
	oneSummary(t, "reopen without reason", refused)
	s.do("jury-chair", http.MethodPost, s.screen("Bærum")+"/gjenapne", reopen+"Kriterium+2+ble+misforst%C3%A5tt", http.StatusSeeOther)
	scr = s.page("jury-1", s.screen("Bærum"))
	wantText(t, "reopened", scr, `type="radio"`, "Utkast")
	wantNoText(t, "reopened", scr, "Juryens vurderinger")

	// The progress board and the home page.
	board := s.page("jury-chair", "/jury/"+s.cycle+"/fremdrift")
	wantText(t, "board", board, "Juryens fremdrift", "Jon Jurymedlem", "Jorunn Juryleder", "Ferdig", "Utkast", "Inhabil",
		"Ikke startet", `action="/jury/`+s.cycle+`/fremdrift/paminnelser"`, fmt.Sprintf(`name="juror" value="%d"`, s.jurors["jury-1"]),
		"1 av 5 vurdert")
	// No mail links to jurors (the footer's contact link is the operator's).
	wantNoText(t, "board", board, "mailto:jon@", "mailto:jorunn@", "mailto:jenny@")
	// The chair reminds Jon now: the outbox sends it.
	s.do("jury-chair", http.MethodPost, "/jury/"+s.cycle+"/fremdrift/paminnelser", fmt.Sprintf("juror=%d", s.jurors["jury-1"]), http.StatusSeeOther)
	s.do("jury-1", http.MethodPost, "/jury/"+s.cycle+"/fremdrift/paminnelser", "", http.StatusNotFound)
	waitMail(t, receiptDB(t, s.a), "jon@example.org", "Du har vurderinger igjen å sende inn i")
	wantNoText(t, "board", board, "Søsteren", "reason")
	s.do("jury-1", http.MethodGet, "/jury/"+s.cycle+"/fremdrift", "", http.StatusNotFound)
	s.page("admin", "/jury/"+s.cycle+"/fremdrift")
	home := s.page("jury-1", "/")
	wantText(t, "home", home, "0 av 2 vurdert", "(om 3 dager)", `href="/jury/`+s.cycle+`"`)
	home = s.page("jury-chair", "/")
	wantText(t, "chair's home", home, "1 av 3 vurdert", `href="/jury/`+s.cycle+`/fremdrift"`)
	list = s.page("jury-1", "/jury/"+s.cycle)
	wantText(t, "list after work", list, "0 av 2 vurdert", "Utkast")
}

// TestScoringAPI scores through the JSON API: the caller's sheet, a
// refused and an accepted PUT, submission and the others' scores after.
func TestScoringAPI(t *testing.T) {
	t.Parallel()
	s := newScoringRun(t)
	nom := s.nominees["Sandnes"]
	var sheet struct {
		Status   string
		Criteria []struct{ ID apiID }
		Missing  []struct {
			CriterionID apiID `json:"criterion_id"`
		}
		OthersVisible bool `json:"others_visible"`
		Others        []struct {
			Name   string
			Scores []struct{ Value *float64 }
		}
		Spread []struct{ N int }
	}
	decode := func(body string) {
		t.Helper()
		sheet.Others = nil
		if err := json.Unmarshal([]byte(body), &sheet); err != nil {
			t.Fatalf("%v: %s", err, body)
		}
	}
	decode(s.do("jury-1", http.MethodGet, "/api/v1/nominations/"+nom+"/scores", "", http.StatusOK))
	if sheet.Status != "not_started" || len(sheet.Criteria) != 2 || len(sheet.Missing) != 2 || sheet.OthersVisible {
		t.Fatalf("fresh sheet %+v", sheet)
	}
	for _, tt := range []struct {
		name, body string
		status     int
		text       string
	}{
		{"off the scale", fmt.Sprintf(`{"scores":[{"criterion_id":"%d","value":6}]}`, s.crit[0]), 422, fmt.Sprintf(`"score-%d":"Velg en karakter på skalaen."`, s.crit[0])},
		{"off a step", fmt.Sprintf(`{"scores":[{"criterion_id":"%d","value":2.5}]}`, s.crit[0]), 422, "Velg en av karakterene"},
		{"a string", fmt.Sprintf(`{"scores":[{"criterion_id":"%d","value":"4"}]}`, s.crit[0]), 422, `"scores.value":"Verdien har feil type."`},
		{"an unknown field", fmt.Sprintf(`{"scores":[{"criterion_id":"%d","value":4,"weight":2}]}`, s.crit[0]), 422, `"weight":"Ukjent felt."`},
		{"a project at nomination level", fmt.Sprintf(`{"scores":[{"criterion_id":"%d","project_id":"x","value":4}]}`, s.crit[0]), 422, "som helhet"},
		{"nothing", `{"scores":[]}`, 422, "ingen vurderinger"},
		{"not JSON", `{"scores":`, 422, "the body could not be read"},
		{"one score", fmt.Sprintf(`{"scores":[{"criterion_id":"%d","value":4,"comment":"Tydelig nytt"}]}`, s.crit[0]), 200, `"status":"draft"`},
	} {
		status, body := s.a.Do(t, s.clients["jury-1"], http.MethodPut, "/api/v1/nominations/"+nom+"/scores", tt.body)
		if status != tt.status || !strings.Contains(body, tt.text) {
			t.Errorf("%s: %d %s, want %d with %q", tt.name, status, body, tt.status, tt.text)
		}
	}
	// The chair reminds jury-1 through the API; jurors may not.
	reminders := "/api/v1/cycles/" + s.cycle + "/jury-reminders"
	body := s.do("jury-chair", http.MethodPost, reminders, fmt.Sprintf(`{"juror_id":"%d"}`, s.jurors["jury-1"]), http.StatusAccepted)
	wantText(t, "reminder", body, `"queued":1`)
	waitMail(t, receiptDB(t, s.a), "jon@example.org", "Du har vurderinger igjen å sende inn i")
	s.do("jury-1", http.MethodPost, reminders, "", http.StatusNotFound)
	s.do("jury-chair", http.MethodPost, reminders, `{"juror_id":"alle"}`, http.StatusUnprocessableEntity)

	// Saving, submitting and reopening live under the nomination's scores.
	scores := "/api/v1/nominations/" + nom + "/scores"
	body = s.do("jury-1", http.MethodPost, scores+"/submission", "", http.StatusUnprocessableEntity)
	wantText(t, "incomplete", body, fmt.Sprintf(`"score-%d"`, s.crit[1]))
	s.do("jury-1", http.MethodPut, scores, fmt.Sprintf(`{"scores":[{"criterion_id":"%d","value":5}]}`, s.crit[1]), http.StatusOK)
	s.do("jury-1", http.MethodPost, "/api/v1/nominations/nosuch/scores/submission", "", http.StatusNotFound)
	s.do("jury-1", http.MethodPost, scores+"/submission", `{"nomination_id":"x"}`, http.StatusUnprocessableEntity)
	// The old routes are gone.
	for _, old := range []struct{ method, path string }{
		{http.MethodPost, "/api/v1/cycles/" + s.cycle + "/scores/submit"},
		{http.MethodPost, scores + "/reopen"},
	} {
		if status, _ := s.a.Do(t, s.clients["jury-1"], old.method, old.path, `{}`); status != http.StatusNotFound && status != http.StatusMethodNotAllowed {
			t.Errorf("%s %s: %d, want it gone", old.method, old.path, status)
		}
	}
	body = s.do("jury-1", http.MethodPost, scores+"/submission", "", http.StatusCreated)
	wantText(t, "submit", body, `"nomination_id":"`+nom+`"`, `"submitted_at"`)
	body = s.do("jury-1", http.MethodPost, scores+"/submission", "", http.StatusConflict)
	wantText(t, "second submit", body, "already submitted — ask the chair to reopen")
	body = s.do("jury-1", http.MethodPut, "/api/v1/nominations/"+nom+"/scores", fmt.Sprintf(`{"scores":[{"criterion_id":"%d","value":1}]}`, s.crit[1]), http.StatusConflict)
	wantText(t, "save after submit", body, "already submitted")

	// The chair does not see jury-1's scores until submitting.
	decode(s.do("jury-chair", http.MethodGet, "/api/v1/nominations/"+nom+"/scores", "", http.StatusOK))
	if sheet.OthersVisible || len(sheet.Others) != 0 {
		t.Fatalf("the chair sees others before submitting: %+v", sheet)
	}
	s.do("jury-chair", http.MethodGet, "/api/v1/nominations/"+nom+"/comments", "", http.StatusForbidden)
	// The chair saves and submits at once.
	s.do("jury-chair", http.MethodPost, scores+"/submission",
		fmt.Sprintf(`{"scores":[{"criterion_id":"%d","value":3},{"criterion_id":"%d","value":5}]}`, s.crit[0], s.crit[1]), http.StatusCreated)
	decode(s.do("jury-chair", http.MethodGet, "/api/v1/nominations/"+nom+"/scores", "", http.StatusOK))
	if !sheet.OthersVisible || len(sheet.Others) != 1 || sheet.Others[0].Name != "Jon Jurymedlem" || len(sheet.Spread) != 2 || sheet.Spread[0].N != 2 {
		t.Fatalf("after submitting: %+v", sheet)
	}
	s.do("jury-chair", http.MethodPost, "/api/v1/nominations/"+nom+"/comments", `{"body":"Enige om nytt?"}`, http.StatusCreated)
	body = s.do("jury-1", http.MethodGet, "/api/v1/nominations/"+nom+"/comments", "", http.StatusOK)
	wantText(t, "comments", body, "Enige om nytt?", "Internt arbeidsdokument")
	s.do("asker", http.MethodGet, "/api/v1/nominations/"+nom+"/comments", "", http.StatusNotFound)
	// jury-1 is conflicted with Træna: nothing there.
	s.do("jury-1", http.MethodGet, "/api/v1/nominations/"+s.nominees["Træna"]+"/scores", "", http.StatusNotFound)
	s.do("jury-1", http.MethodGet, "/api/v1/nominations/"+s.nominees["Træna"]+"/comments", "", http.StatusNotFound)

	reopen := fmt.Sprintf("%s/submissions/%d", scores, s.jurors["jury-1"])
	const reason = `{"reason":"Feil kriterium"}`
	s.do("jury-1", http.MethodDelete, reopen, reason, http.StatusForbidden)
	s.do("jury-chair", http.MethodDelete, reopen, `{"reason":""}`, http.StatusUnprocessableEntity)
	s.do("jury-chair", http.MethodDelete, reopen, `{"juror_id":"1","reason":"Feil kriterium"}`, http.StatusUnprocessableEntity)
	s.do("jury-chair", http.MethodDelete, scores+"/submissions/0", reason, http.StatusNotFound)
	s.do("jury-chair", http.MethodDelete, fmt.Sprintf("%s/submissions/%d", scores, s.jurors["jury-1"]+1000), reason, http.StatusNotFound)
	s.do("jury-chair", http.MethodDelete, reopen, reason, http.StatusNoContent)
	s.do("jury-chair", http.MethodDelete, reopen, reason, http.StatusConflict)
	decode(s.do("jury-1", http.MethodGet, "/api/v1/nominations/"+nom+"/scores", "", http.StatusOK))
	if sheet.Status != "draft" || sheet.OthersVisible {
		t.Errorf("after reopening: %+v", sheet)
	}
}

// TestScoringUndeclared checks that a juror who has not declared their
// conflicts is sent to declare before seeing any nomination.
func TestScoringUndeclared(t *testing.T) {
	t.Parallel()
	s := newScoringRun(t)
	db := scoringDB(t, s.f)
	if _, err := db.ExecContext(context.Background(), `UPDATE jurors SET declared_at = NULL WHERE id = ?`, s.jurors["jury-1"]); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/jury/" + s.cycle, s.screen("Bærum")} {
		status, _ := s.a.Do(t, s.clients["jury-1"], http.MethodGet, path, "")
		if status != http.StatusSeeOther {
			t.Errorf("%s: %d, want a redirect to the declaration", path, status)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, s.a.URL+s.screen("Bærum"), nil)
	c := *s.clients["jury-1"]
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc, _ := url.Parse(resp.Header.Get("Location")); loc == nil || loc.Path != "/jury/"+s.cycle+"/habilitet" {
		t.Errorf("redirected to %q", resp.Header.Get("Location"))
	}
	body := s.do("jury-1", http.MethodGet, "/api/v1/nominations/"+s.nominees["Bærum"]+"/scores", "", http.StatusForbidden)
	if !regexp.MustCompile(`declare your conflicts`).MatchString(body) {
		t.Errorf("API answer %s", body)
	}
}
