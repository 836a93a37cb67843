package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/apptest"
	"github.com/heder-awards/heder/internal/i18n"
	"github.com/heder-awards/heder/internal/postgres"
)

// pubStep is one request of the publication scenario: who sends it, the
// status it must answer, and text the answer must (or must not) hold.
type pubStep struct {
	name         string
	who, method  string
	path, body   string
	status       int
	want, reject []string
}

func runPubSteps(t *testing.T, a *apptest.App, clients map[string]*http.Client, steps []pubStep) {
	t.Helper()
	for _, s := range steps {
		status, body := a.Do(t, clients[s.who], s.method, s.path, s.body)
		if status != s.status {
			t.Errorf("%s: %s %s as %s = %d, want %d\n%.800s", s.name, s.method, s.path, s.who, status, s.status, body)
			continue
		}
		for _, w := range s.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: answer lacks %q\n%.3000s", s.name, w, body)
			}
		}
		for _, r := range s.reject {
			if strings.Contains(body, r) {
				t.Errorf("%s: answer contains %q", s.name, r)
			}
		}
	}
}

// osloInput formats an instant as a datetime-local field holds it.
func osloInput(t time.Time) string {
	return url.QueryEscape(t.In(i18n.Oslo()).Format("2006-01-02T15:04"))
}

// TestPublicationScenario walks a decided cycle through its announcements
// over HTTP as the admin and the two municipalities would: scheduling
// with mistakes on the way, the confirmation before publishing now, what
// the submitters see on their nomination pages before and after each
// instant, unpublishing with a reason, the preview, the API, and the
// nominees' e-mail in their organisation's written form.
func TestPublicationScenario(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	db := pubDB(t, a)
	ctx := context.Background()
	// Publish all: Horten, without an outcome, becomes public with the winners.
	f := pubCycle(t, db, "pub-scenario", true)
	if _, err := db.ExecContext(ctx, `UPDATE organisations SET language = 'nn' WHERE kind = 'municipality' AND name = 'Træna' AND valid_to IS NULL`); err != nil {
		t.Fatal(err)
	}
	clients := map[string]*http.Client{"admin": a.Login(t, "admin"), "asker": a.Login(t, "asker"), "traena": a.Login(t, "traena")}
	page := "/admin/sykluser/" + f.cycle + "/publisering"
	nomination := func(id string) string { return "/nominasjoner/" + id }
	soon := time.Now().Add(50 * time.Hour)
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	nb := bundle.Localizer("nb")

	runPubSteps(t, a, clients, []pubStep{
		{name: "under assessment, nothing more", who: "asker", method: "GET", path: nomination(f.asker), status: 200,
			want: []string{"Sendt inn – til vurdering"}, reject: []string{"Vinner", pubStatement, pubFeedback, `id="result"`}},
		{name: "admin's cycle page links here", who: "admin", method: "GET", path: "/admin/sykluser/" + f.cycle, status: 200,
			want: []string{`href="` + page + `"`}},
		{name: "nothing scheduled", who: "admin", method: "GET", path: page, status: 200,
			want: []string{"Finalistene", "Vinnerne med juryens begrunnelser", "Ikke planlagt.", "alle innsendte nominasjoner", "Ingen kunngjøringer ennå."}},
		{name: "instant in the past", who: "admin", method: "POST", path: page, body: "kind=winners&publish_at=2020-01-01T12%3A00", status: 422,
			want: []string{"error-summary", `href="#schedule-winners-publish_at"`, "Tidspunktet må være fram i tid", `aria-invalid="true"`}},
		{name: "instant unreadable", who: "admin", method: "POST", path: page, body: "kind=winners&publish_at=15.+juni", status: 422,
			want: []string{"error-summary", `href="#schedule-winners-publish_at"`}},
		{name: "no instant", who: "admin", method: "POST", path: page, body: "kind=winners&publish_at=", status: 422,
			want: []string{"Skriv inn tidspunktet for publiseringen."}},
		{name: "unknown kind", who: "admin", method: "POST", path: page, body: "kind=losers&publish_at=2031-01-01T12%3A00", status: 422,
			want: []string{`id="problem"`, "Velg finalistene eller vinnerne."}},
		{name: "publish now: unknown kind", who: "admin", method: "POST", path: page + "/publiser-na", body: "kind=losers&confirm=true", status: 422,
			want: []string{"Velg finalistene eller vinnerne."}},
		{name: "confirmation of an unknown kind", who: "admin", method: "GET", path: page + "/publiser-na?type=losers", status: 422},
		{name: "finalists scheduled", who: "admin", method: "POST", path: page, body: "kind=finalists&publish_at=" + osloInput(soon), status: 303},
		{name: "scheduled, with countdown", who: "admin", method: "GET", path: page, status: 200,
			want: []string{"Publiseringen er planlagt.", "Planlagt", "Publiseres " + nb.FormatTime(soon.Truncate(time.Minute)), "(om 2 dager)",
				"Forhåndsvis slik publikum ser det", "Flytt publiseringen", "Avlys publiseringen", "Publiser nå"}},
		{name: "home page: due within a week", who: "admin", method: "GET", path: "/", status: 200,
			want: []string{"Publiseringer de neste sju dagene", "Finalistene – Innovasjonsprisen pub-scenario", "(om 2 dager)"}},
		{name: "submitters' home page does not", who: "asker", method: "GET", path: "/", status: 200,
			reject: []string{"Publiseringer de neste sju dagene", "Finalistene – Innovasjonsprisen"}},
		{name: "winners before finalists", who: "admin", method: "POST", path: page, body: "kind=winners&publish_at=" + osloInput(soon.Add(-time.Hour)), status: 422,
			want: []string{"Vinnerne kan ikke publiseres før finalistene."}},
		{name: "winners now before scheduled finalists", who: "admin", method: "GET", path: page + "/publiser-na?type=winners", status: 409,
			want: []string{"Finalistene er planlagt publisert senere."}},
		{name: "confirmation names what becomes public", who: "admin", method: "GET", path: page + "/publiser-na?type=finalists", status: 200,
			// Asker, the decided winner, is announced as a finalist like Træna.
			want: []string{"Publisere finalistene nå?", "Træna pub-scenario", "Asker pub-scenario", "Finalist", "Ingen andre nominasjoner blir offentlige.",
				"forblir skjult for innsenderne", "E-post går til", "flyttes til nå", "Ja, publiser nå"},
			reject: []string{"Horten pub-scenario", pubStatement}},
		{name: "publish now without confirmation", who: "admin", method: "POST", path: page + "/publiser-na", body: "kind=finalists", status: 422,
			want: []string{"bekreft før du publiserer nå"}},
		{name: "publish the finalists now", who: "admin", method: "POST", path: page + "/publiser-na", body: "kind=finalists&confirm=true", status: 303},
		{name: "published", who: "admin", method: "GET", path: page, status: 200,
			want: []string{"Publisert. Det er offentlig nå", "Avpubliser"}},
		{name: "Træna sees it is a finalist", who: "traena", method: "GET", path: nomination(f.traena), status: 200,
			want: []string{`id="result"`, "Juryen har valgt nominasjonen som en av finalistene."}, reject: []string{"Tilbakemelding til Træna."}},
		{name: "Asker's win is still secret: it is a finalist", who: "asker", method: "GET", path: nomination(f.asker), status: 200,
			want: []string{`id="result"`, "Juryen har valgt nominasjonen som en av finalistene."}, reject: []string{"Vinner", pubStatement, pubFeedback}},
		{name: "winners' confirmation", who: "admin", method: "GET", path: page + "/publiser-na?type=winners", status: 200,
			want: []string{"Publisere vinnerne nå?", "Asker pub-scenario", "Vinner", "Asker kommune vinner for et helhetlig", "Allerede offentlig",
				"1 annen innsendt nominasjon blir også offentlig", "Horten pub-scenario", "tilbakemeldinger til 3 nominasjoner blir synlige"}},
		{name: "publish the winners now", who: "admin", method: "POST", path: page + "/publiser-na", body: "kind=winners&confirm=true", status: 303},
	})
	// River sends the mails of both: Træna's and Asker's finalist mails,
	// and Asker's win; and the outbox Træna's result (not among the
	// winners, with its feedback).
	pubWaitMails(t, db, 4)
	runPubSteps(t, a, clients, []pubStep{
		{name: "Asker sees the win, the statement and the feedback", who: "asker", method: "GET", path: nomination(f.asker), status: 200,
			want:   []string{"Vinner", "Nominasjonen har vunnet prisen.", pubStatement, "Tilbakemelding fra juryen", pubFeedback},
			reject: []string{"Sendt inn – til vurdering"}},
		{name: "Træna reads its own feedback only", who: "traena", method: "GET", path: nomination(f.traena), status: 200,
			want: []string{"Tilbakemelding fra juryen", "Tilbakemelding til Træna."}, reject: []string{pubFeedback}},
		{name: "the page offers to close the cycle", who: "admin", method: "GET", path: page, status: 200,
			want: []string{"Vinnerne er kunngjort.", "/admin/sykluser/" + f.cycle + "/fase?til=published"}},
		{name: "unpublish without a reason", who: "admin", method: "POST", path: fmt.Sprintf("/admin/kunngjoringer/%d/avpubliser", pubLive(t, db, f.cycle, "winners")),
			body: "reason=+", status: 422, want: []string{"error-summary", "Skriv hvorfor kunngjøringen avpubliseres.", " open>"}},
		{name: "unpublish the winners", who: "admin", method: "POST", path: fmt.Sprintf("/admin/kunngjoringer/%d/avpubliser", pubLive(t, db, f.cycle, "winners")),
			body: "reason=Feil+vinner+i+statsrådens+tale", status: 303},
		{name: "history keeps the reason", who: "admin", method: "GET", path: page, status: 200,
			want:   []string{"Avpublisert. Det er ikke lenger offentlig", "Feil vinner i statsrådens tale", "Avpublisert"},
			reject: []string{"Vinnerne er kunngjort.", "fase?til=published"}},
		{name: "gone from Asker's page at once: a finalist again", who: "asker", method: "GET", path: nomination(f.asker), status: 200,
			want: []string{"Juryen har valgt nominasjonen som en av finalistene."}, reject: []string{"Vinner", pubStatement, pubFeedback}},
		{name: "preview: bad instant", who: "admin", method: "GET", path: page + "/forhandsvisning?tid=i+morgen", status: 422,
			want: []string{"error-summary", `id="tid-error"`}},
		{name: "preview: now", who: "admin", method: "GET", path: page + "/forhandsvisning", status: 200,
			want:   []string{"Slik ser publikum Innovasjonsprisen pub-scenario", "Finalist", "Træna pub-scenario", "Asker pub-scenario", "forhåndsvisning for administratorer"},
			reject: []string{"Horten pub-scenario", pubStatement}},
		{name: "stranger's nomination page", who: "traena", method: "GET", path: nomination(f.asker), status: 404},
	})

	// The winners again, scheduled a moment ahead: the preview at that
	// instant shows everything, the public view now nothing of it.
	at := time.Now().Add(3 * time.Hour).Truncate(time.Second)
	runPubSteps(t, a, clients, []pubStep{
		{name: "winners scheduled again", who: "admin", method: "POST", path: "/api/v1/cycles/" + f.cycle + "/announcements",
			body: fmt.Sprintf(`{"kind":"winners","publish_at":%q}`, at.Format(time.RFC3339)), status: 201, want: []string{`"state":"scheduled"`}},
		{name: "preview at the instant", who: "admin", method: "GET", path: page + "/forhandsvisning?tid=" + url.QueryEscape(at.Format(time.RFC3339)), status: 200,
			want: []string{"Vinner", "Asker pub-scenario", pubStatement, "Andre nominasjoner", "Horten pub-scenario", "Innsenderne kan lese juryens tilbakemeldinger."}},
		{name: "preview without an instant: once the winners are out", who: "admin", method: "GET", path: page + "/forhandsvisning", status: 200,
			want: []string{"Vinner", "Asker pub-scenario", pubStatement, `value="` + at.In(i18n.Oslo()).Format("2006-01-02T15:04") + `"`}},
		{name: "still secret", who: "asker", method: "GET", path: nomination(f.asker), status: 200, reject: []string{pubStatement}},
	})

	// The API: the list with what would become public, and refusals.
	status, body := a.Do(t, clients["admin"], http.MethodGet, "/api/v1/cycles/"+f.cycle+"/announcements", "")
	if status != 200 {
		t.Fatalf("list: %d %s", status, body)
	}
	var list struct {
		Items []struct {
			ID              apiID
			Kind, State     string
			UnpublishReason string `json:"unpublish_reason"`
		}
		BecomesPublic map[string]struct {
			Nominations []struct {
				Title, Outcome   string
				StatementExcerpt string `json:"statement_excerpt"`
				AlreadyPublic    bool   `json:"already_public"`
			}
			PublishAll       bool `json:"publish_all"`
			OtherNominations int  `json:"other_nominations"`
			FeedbackReleased int  `json:"feedback_released"`
			Refused          string
		} `json:"becomes_public"`
	}
	if err := json.Unmarshal([]byte(body), &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Items) != 3 || list.Items[0].State != "scheduled" || list.Items[1].UnpublishReason != "Feil vinner i statsrådens tale" {
		t.Errorf("items: %+v", list.Items)
	}
	if w := list.BecomesPublic["winners"]; len(w.Nominations) != 3 || !w.PublishAll || w.OtherNominations != 1 || w.FeedbackReleased != 3 ||
		w.Nominations[0].StatementExcerpt != pubStatement || w.Refused != "" {
		t.Errorf("becomes_public.winners: %+v", w)
	}
	if fin := list.BecomesPublic["finalists"]; !strings.Contains(fin.Refused, "already published") {
		t.Errorf("becomes_public.finalists: %+v", fin)
	}
	winners := list.Items[0].ID
	api := fmt.Sprintf("/api/v1/announcements/%d", winners)
	published := fmt.Sprintf("/api/v1/announcements/%d", pubLive(t, db, f.cycle, "finalists"))
	runPubSteps(t, a, clients, []pubStep{
		{name: "API: now without confirm", who: "admin", method: "POST", path: "/api/v1/cycles/" + f.cycle + "/announcements",
			body: `{"kind":"winners","publish_now":true}`, status: 422, want: []string{`"confirm"`}},
		{name: "API: unreadable instant", who: "admin", method: "POST", path: "/api/v1/cycles/" + f.cycle + "/announcements",
			body: `{"kind":"winners","publish_at":"15. juni kl. 12"}`, status: 422, want: []string{`"publish_at":"Skriv tidspunktet som RFC 3339`}},
		{name: "API: unknown field", who: "admin", method: "POST", path: "/api/v1/cycles/" + f.cycle + "/announcements",
			body: `{"kind":"winners","when":"now"}`, status: 422},
		{name: "API: already scheduled", who: "admin", method: "POST", path: "/api/v1/cycles/" + f.cycle + "/announcements",
			body: fmt.Sprintf(`{"kind":"winners","publish_at":%q}`, at.Add(time.Hour).Format(time.RFC3339)), status: 409, want: []string{"already scheduled"}},
		{name: "API: move a published one", who: "admin", method: "PATCH", path: published,
			body: `{"publish_at":"2031-01-01T12:00:00+01:00"}`, status: 409, want: []string{"can only be unpublished"}},
		{name: "API: move without an instant", who: "admin", method: "PATCH", path: api, body: `{}`, status: 422},
		{name: "API: move", who: "admin", method: "PATCH", path: api,
			body: fmt.Sprintf(`{"publish_at":%q}`, at.Add(time.Hour).Format(time.RFC3339)), status: 200, want: []string{`"state":"scheduled"`}},
		{name: "API: unpublish without reason", who: "admin", method: "POST", path: api + "/unpublish", body: `{"reason":""}`, status: 422,
			want: []string{`"reason"`}},
		{name: "API: unknown announcement", who: "admin", method: "POST", path: "/api/v1/announcements/99999999/unpublish", body: `{"reason":"x"}`, status: 404},
		{name: "API: cancel", who: "admin", method: "POST", path: api + "/unpublish", body: `{"reason":"Prisutdelingen er flyttet"}`, status: 200,
			want: []string{`"state":"unpublished"`, `"unpublish_reason":"Prisutdelingen er flyttet"`}},
	})

	// The nominees' e-mail went out through River with each publication,
	// once: Træna's finalist mail and its result in nynorsk, Asker's
	// finalist mail and its win in bokmål; the cancelled winners'
	// announcement sent nothing.
	mails := pubWaitMails(t, db, 4)
	byTo := map[string][]string{}
	for _, m := range mails {
		byTo[m.to] = append(byTo[m.to], m.subject+"\n"+m.text)
	}
	// River works the two jobs in either order.
	if got := byTo["tore@traena.kommune.no"]; len(got) != 2 || !strings.Contains(strings.Join(got, "\n"), "«Træna pub-scenario» er finalist i Innovasjonsprisen pub-scenario") ||
		strings.Count(strings.Join(got, "\n"), "Venleg helsing") != 2 || !strings.Contains(strings.Join(got, "\n"), "var finalist, men var ikkje blant vinnarane") ||
		!strings.Contains(strings.Join(got, "\n"), "Tilbakemelding til Træna.") {
		t.Errorf("Træna's mails: %q", got)
	}
	if got := byTo["kari@asker.kommune.no"]; len(got) != 2 || !strings.Contains(strings.Join(got, "\n"), "Gratulerer: «Asker pub-scenario» vant") ||
		!strings.Contains(strings.Join(got, "\n"), pubStatement) {
		t.Errorf("Asker's mails: %q", got)
	}
	for _, m := range byTo["kari@asker.kommune.no"] {
		if strings.Contains(m, "er finalist i") && strings.Contains(m, pubStatement) {
			t.Errorf("Asker's finalist mail gives the win away: %q", m)
		}
	}
}

// pubLive returns the ID of the cycle's live announcement of kind.
func pubLive(t *testing.T, db *postgres.DB, cycle, kind string) int64 {
	t.Helper()
	var id int64
	err := db.QueryRowContext(context.Background(), `SELECT a.id FROM announcements a JOIN cycles c ON c.id = a.cycle_id
		WHERE c.public_id = ? AND a.kind = ? AND a.unpublished_at IS NULL`, cycle, kind).Scan(&id)
	if err != nil {
		t.Fatalf("live %s of %s: %v", kind, cycle, err)
	}
	return id
}

type pubMail struct{ to, subject, text string }

// pubWaitMails waits until the dev mail catcher holds want mails about
// the scenario's cycle, and returns them; more than want fails.
func pubWaitMails(t *testing.T, db *postgres.DB, want int) []pubMail {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var mails []pubMail
		rows, err := db.QueryContext(context.Background(),
			`SELECT recipient, subject, text_body FROM caught_mails WHERE subject LIKE '%pub-scenario%' ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var m pubMail
			if err := rows.Scan(&m.to, &m.subject, &m.text); err != nil {
				t.Fatal(err)
			}
			mails = append(mails, m)
		}
		rows.Close()
		switch {
		case len(mails) > want:
			t.Fatalf("%d mails, want %d: %+v", len(mails), want, mails)
		case len(mails) == want:
			return mails
		case time.Now().After(deadline):
			t.Fatalf("%d mails after 30s, want %d: %+v", len(mails), want, mails)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
